//! `workers_trace_events`: One record per Worker invocation (logs, exceptions, outcome).
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "workers_trace_events",
    variant: "",
    fields: &[
        field("CPUTimeMs", Int),
        field("DispatchNamespace", Str),
        field("Entrypoint", Str),
        field("Event", Object),
        field("EventTimestampMs", EpochMs),
        field("EventType", Str),
        field("Exceptions", Objects),
        field("Logs", Objects),
        field("Outcome", Str),
        field("ScriptName", Str),
        field("ScriptTags", Strs),
        field("ScriptVersion", Object),
        field("WallTimeMs", Int),
    ],
    mapping: None,
};
