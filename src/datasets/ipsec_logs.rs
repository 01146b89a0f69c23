//! `ipsec_logs`: IPsec tunnel (Magic WAN/Transit) log lines.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "ipsec_logs",
    variant: "",
    fields: &[
        field("Level", Str),
        field("LocalIP", Str),
        field("LocalPort", Int),
        field("Message", Str),
        field("RemoteIP", Str),
        field("RemotePort", Int),
        field("Timestamp", Time),
    ],
    mapping: None,
};
