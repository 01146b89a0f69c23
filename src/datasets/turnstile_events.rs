//! `turnstile_events`: Turnstile challenge and siteverify events.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "turnstile_events",
    variant: "",
    fields: &[
        field("ASN", Int),
        field("Action", Str),
        field("BrowserMajor", Int),
        field("BrowserName", Str),
        field("ClientIP", Str),
        field("CountryCode", Str),
        field("EventType", Str),
        field("Hostname", Str),
        field("OSMajor", Int),
        field("OSName", Str),
        field("Sitekey", Str),
        field("Timestamp", Time),
        field("UserAgent", Str),
    ],
    mapping: None,
};
