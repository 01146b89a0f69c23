//! `magic_ids_detections`: Magic IDS signature detections.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "magic_ids_detections",
    variant: "",
    fields: &[
        field("Action", Str),
        field("ColoCity", Str),
        field("ColoCode", Str),
        field("DestinationIP", Str),
        field("DestinationPort", Int),
        field("Protocol", Str),
        field("SignatureID", Int),
        field("SignatureMessage", Str),
        field("SignatureRevision", Int),
        field("SourceIP", Str),
        field("SourcePort", Int),
        field("Timestamp", Time),
    ],
    mapping: None,
};
