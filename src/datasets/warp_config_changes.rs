//! `warp_config_changes`: WARP client account/config switches.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "warp_config_changes",
    variant: "",
    fields: &[
        field("AccountIDFrom", Str),
        field("AccountIDTo", Str),
        field("AccountNameFrom", Str),
        field("AccountNameTo", Str),
        field("ConfigNameFrom", Str),
        field("ConfigNameTo", Str),
        field("DeviceID", Str),
        field("DeviceRegistrationID", Str),
        field("Hostname", Str),
        field("SerialNumber", Str),
        field("Timestamp", Time),
    ],
    mapping: None,
};
