//! `ssh_logs`: SSH session/command logs from Cloudflare's SSH proxy.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "ssh_logs",
    variant: "",
    fields: &[
        field("AccountID", Str),
        field("ClientAddress", Str),
        field("Datetime", Time),
        field("Error", Str),
        field("PTY", Str),
        field("Payload", Str),
        field("ProgramFinishDatetime", Time),
        field("ProgramID", Str),
        field("ProgramStartDatetime", Time),
        field("ProgramType", Str),
        field("ServerAddress", Str),
        field("SessionFinishDatetime", Time),
        field("SessionID", Str),
        field("SessionStartDatetime", Time),
        field("TargetID", Str),
        field("UserEmail", Str),
        field("UserID", Str),
        field("Username", Str),
    ],
    mapping: None,
};
