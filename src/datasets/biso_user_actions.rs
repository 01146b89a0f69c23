//! `biso_user_actions`: Browser Isolation user actions (copy/paste/download...) and decisions.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "biso_user_actions",
    variant: "",
    fields: &[
        field("AccountID", Str),
        field("Decision", Str),
        field("DomainName", Str),
        field("Metadata", Str),
        field("Timestamp", Time),
        field("Type", Str),
        field("URL", Str),
        field("UserEmail", Str),
        field("UserID", Str),
    ],
    mapping: None,
};
