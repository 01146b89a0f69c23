//! `sinkhole_http_logs`: HTTP requests captured by Cloudflare sinkholes.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "sinkhole_http_logs",
    variant: "",
    fields: &[
        field("AccountID", Str),
        field("Body", Str),
        field("BodyLength", Int),
        field("DestAddr", Str),
        field("Headers", Str),
        field("Host", Str),
        field("Method", Str),
        field("Password", Str),
        field("R2Path", Str),
        field("Referrer", Str),
        field("SinkholeID", Str),
        field("SrcAddr", Str),
        field("Timestamp", Time),
        field("URI", Str),
        field("URL", Str),
        field("UserAgent", Str),
        field("Username", Str),
    ],
    mapping: None,
};
