//! `page_shield_events`: Page Shield content-security-policy violation reports.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "page_shield_events",
    variant: "",
    fields: &[
        field("Action", Str),
        field("CSPDirective", Str),
        field("Host", Str),
        field("PageURL", Str),
        field("PolicyID", Str),
        field("ResourceType", Str),
        field("Timestamp", Time),
        field("URL", Str),
        field("URLContainsCDNCGIPath", Bool), // deprecated
        field("URLHost", Str),
    ],
    mapping: None,
};
