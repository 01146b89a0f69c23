//! `audit_logs_v2`: Account audit trail, v2 schema.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "audit_logs_v2",
    variant: "",
    fields: &[
        field("AccountID", Str),
        field("AccountName", Str),
        field("ActionDescription", Str),
        field("ActionResult", Str),
        field("ActionTimestamp", Time),
        field("ActionType", Str),
        field("ActorContext", Str),
        field("ActorEmail", Str),
        field("ActorID", Str),
        field("ActorIPAddress", Str),
        field("ActorTokenDetails", Object),
        field("ActorType", Str),
        field("AuditLogID", Str),
        field("Raw", Object),
        field("ResourceID", Str),
        field("ResourceProduct", Str),
        field("ResourceRequest", Object),
        field("ResourceResponse", Object),
        field("ResourceScope", Str),
        field("ResourceType", Str),
        field("ResourceValue", Object),
        field("ZoneID", Str),
        field("ZoneName", Str),
    ],
    mapping: None,
};
