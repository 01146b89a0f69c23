//! `email_security_post_delivery_events`: Post-delivery actions (move, submission, quarantine release) on delivered mail.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "email_security_post_delivery_events",
    variant: "",
    fields: &[
        field("AlertID", Str),
        field("CompletedAt", Time),
        field("Destination", Str),
        field("FinalDisposition", Str),
        field("Folder", Str),
        field("From", Str),
        field("FromName", Str),
        field("MessageID", Str),
        field("MessageTimestamp", Time),
        field("MicrosoftTenantID", Str),
        field("Operation", Str),
        field("PostfixID", Str),
        field("Reasons", Strs),
        field("Recipient", Str),
        field("RequestedAt", Time),
        field("RequestedBy", Str),
        field("RequestedDisposition", Str),
        field("Status", Str),
        field("Subject", Str),
        field("Success", Bool),
        field("To", Strs),
    ],
    mapping: None,
};
