//! `warp_toggle_changes`: a user switched the WARP client on or off.
//!
//! The switch is `event.action` `warp-toggle-change` (Elastic's name), `event.category`
//! `configuration`, `event.type` `change`; its value, `Toggled`, has no ECS home and stays
//! under `cloudflare.*`. The device is `host.*`/`device.*`, the user `user.email`, the account
//! `cloud.account.*` (see `warp_config_changes::device`).

use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use super::warp::change;
use crate::doc::Doc;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "warp_toggle_changes",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        ecs("AccountName", Str),
        ecs("DeviceID", Str),
        kept("DeviceRegistrationID", Str),
        ecs("Hostname", Str),
        ecs("SerialNumber", Str),
        ecs("Timestamp", Time),
        kept("Toggled", Bool),
        ecs("UserEmail", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    change(fields, doc, "warp-toggle-change");
}
