//! `zaraz_events`: Zaraz third-party tool manager event logs.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "zaraz_events",
    variant: "",
    fields: &[
        field("Body", Object),
        field("EventDetails", Object),
        field("EventType", Str),
        field("IP", Str),
        field("RequestHeaders", Object),
        field("TimestampStart", Time),
        field("URL", Str),
    ],
    mapping: None,
};
