//! `dlp_forensic_copies`: Payload copies captured by Gateway DLP rules.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "dlp_forensic_copies",
    variant: "",
    fields: &[
        field("AccountID", Str),
        field("Datetime", Time),
        field("ForensicCopyID", Str),
        field("GatewayRequestID", Str),
        field("Headers", Object),
        field("Payload", Str),
        field("Phase", Str),
        field("TriggeredRuleID", Str),
    ],
    mapping: None,
};
