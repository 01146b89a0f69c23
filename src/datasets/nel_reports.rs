//! `nel_reports`: Browser Network Error Logging reports about failures reaching the zone.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "nel_reports",
    variant: "",
    fields: &[
        field("ClientIPASN", Int),
        field("ClientIPASNDescription", Str),
        field("ClientIPCountry", Str),
        field("LastKnownGoodColoCode", Str),
        field("Phase", Str),
        field("Timestamp", Time),
        field("Type", Str),
    ],
    mapping: None,
};
