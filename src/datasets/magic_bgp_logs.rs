//! `magic_bgp_logs`: BGP session events on Magic tunnels.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "magic_bgp_logs",
    variant: "",
    fields: &[
        field("Direction", Str),
        field("EventData", Object),
        field("EventKind", Str),
        field("EventTimestamp", Time),
        field("TunnelID", Str),
        field("TunnelName", Str),
    ],
    mapping: None,
};
