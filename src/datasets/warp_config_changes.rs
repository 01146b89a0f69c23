//! `warp_config_changes`: a WARP client switched from one Zero Trust account or device
//! configuration to another.
//!
//! The switch is `event.action` `warp-config-change` (Elastic's name), `event.category`
//! `configuration`, `event.type` `change`; what it switched from and to (`AccountIDFrom`,
//! `ConfigNameTo`, ...) has no ECS home and stays under `cloudflare.*`. The device is `host.*`
//! and `device.*` as in every WARP and DEX dataset (see [`device`]).

use super::warp::change;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::Doc;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "warp_config_changes",
    variant: "",
    fields: &[
        kept("AccountIDFrom", Str),
        kept("AccountIDTo", Str),
        kept("AccountNameFrom", Str),
        kept("AccountNameTo", Str),
        kept("ConfigNameFrom", Str),
        kept("ConfigNameTo", Str),
        ecs("DeviceID", Str),
        kept("DeviceRegistrationID", Str),
        ecs("Hostname", Str),
        ecs("SerialNumber", Str),
        ecs("Timestamp", Time),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    change(fields, doc, "warp-config-change");
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    fn detected(json: &str) -> Option<String> {
        detect(&parse_fields(json).unwrap()).map(|s| s.name())
    }

    #[test]
    fn config_and_toggle_changes_are_told_apart() {
        let config = r#"{"AccountIDFrom":"699d98642c564d2e855e9661899b7252","AccountIDTo":"023e105f4ecef8ad9ca31a8372d0c353","ConfigNameFrom":"Default","ConfigNameTo":"Contractors","DeviceID":"083a8354-d56c-11ed-9771-6a842b100cff","Hostname":"laptop-42","SerialNumber":"C02XK1ABJGH5","Timestamp":"2024-05-01T10:00:00Z"}"#;
        assert_eq!(detected(config).as_deref(), Some("warp_config_changes"));
        let toggle = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","AccountName":"Example","DeviceID":"083a8354-d56c-11ed-9771-6a842b100cff","Hostname":"laptop-42","SerialNumber":"C02XK1ABJGH5","Timestamp":"2024-05-01T10:00:00Z","Toggled":true,"UserEmail":"jdoe@example.com"}"#;
        assert_eq!(detected(toggle).as_deref(), Some("warp_toggle_changes"));
        // The keys the two share say nothing.
        let shared = r#"{"DeviceID":"083a8354","DeviceRegistrationID":"r","Hostname":"h","SerialNumber":"s","Timestamp":1714557600}"#;
        assert_eq!(detected(shared), None);
    }
}
