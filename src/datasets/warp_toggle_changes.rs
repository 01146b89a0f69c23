//! `warp_toggle_changes`: WARP client on/off toggles.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "warp_toggle_changes",
    variant: "",
    fields: &[
        field("AccountID", Str),
        field("AccountName", Str),
        field("DeviceID", Str),
        field("DeviceRegistrationID", Str),
        field("Hostname", Str),
        field("SerialNumber", Str),
        field("Timestamp", Time),
        field("Toggled", Bool),
        field("UserEmail", Str),
    ],
    mapping: None,
};
