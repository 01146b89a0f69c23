//! The Cloudflare datasets: one file per dataset, each declaring its Logpush fields next to
//! its mapping (see `schema`), registered in `SCHEMAS` below.
//!
//! A mapping reads a record's top-level fields once, in input order, and puts ECS values into
//! the document; a field it does not claim goes to `cloudflare.<Name>`.

use crate::record::Field;

mod audit_action;
mod dns_query;
mod email;
mod flow;
mod gateway;
mod request;
pub mod schema;
mod warp;
mod zero_trust;

mod access_requests;
mod account_abuse_protection_events;
mod audit_api;
mod audit_logs;
mod audit_logs_v2;
mod biso_user_actions;
mod casb_findings;
mod device_posture_results;
mod dex_application_tests;
mod dex_device_state_events;
mod dlp_forensic_copies;
mod dns_firewall_logs;
mod dns_logs;
mod email_security_alerts;
mod email_security_post_delivery_events;
mod firewall_events;
mod gateway_dns;
mod gateway_http;
mod gateway_network;
mod http_requests;
mod ipsec_logs;
mod magic_bgp_logs;
mod magic_ids_detections;
mod mcp_portal_logs;
mod mnm_flow_logs;
mod nel_reports;
mod network_analytics_logs;
mod page_shield_events;
mod sinkhole_http_logs;
mod spectrum_events;
mod ssh_logs;
mod turnstile_events;
mod warp_config_changes;
mod warp_toggle_changes;
mod websocket_analytics;
mod workers_trace_events;
mod zaraz_events;
mod zero_trust_network_sessions;

pub use schema::Schema;

/// Every Logpush schema. Where a dataset name has several, the first is the one a forced
/// dataset falls back to when the record's keys do not tell.
pub const SCHEMAS: [&Schema; 39] = [
    &access_requests::SCHEMA,
    &account_abuse_protection_events::SCHEMA,
    &audit_logs::SCHEMA,
    &audit_api::SCHEMA,
    &audit_logs_v2::SCHEMA,
    &biso_user_actions::SCHEMA,
    &casb_findings::SCHEMA,
    &device_posture_results::SCHEMA,
    &dex_application_tests::SCHEMA,
    &dex_device_state_events::SCHEMA,
    &dlp_forensic_copies::SCHEMA,
    &dns_firewall_logs::SCHEMA,
    &dns_logs::SCHEMA,
    &email_security_alerts::SCHEMA,
    &email_security_post_delivery_events::SCHEMA,
    &firewall_events::SCHEMA,
    &gateway_dns::SCHEMA,
    &gateway_http::SCHEMA,
    &gateway_network::SCHEMA,
    &http_requests::SCHEMA,
    &ipsec_logs::SCHEMA,
    &magic_bgp_logs::SCHEMA,
    &magic_ids_detections::SCHEMA,
    &mcp_portal_logs::SCHEMA,
    &mnm_flow_logs::SCHEMA,
    &nel_reports::SCHEMA,
    &network_analytics_logs::SCHEMA,
    &page_shield_events::SCHEMA,
    &sinkhole_http_logs::SCHEMA,
    &spectrum_events::SCHEMA,
    &ssh_logs::SCHEMA,
    &turnstile_events::SCHEMA,
    &warp_config_changes::SCHEMA,
    &warp_toggle_changes::SCHEMA,
    &websocket_analytics::ZONE,
    &websocket_analytics::ACCOUNT,
    &workers_trace_events::SCHEMA,
    &zaraz_events::SCHEMA,
    &zero_trust_network_sessions::SCHEMA,
];

/// Whether `name` is a Logpush dataset name.
pub fn is_dataset(name: &str) -> bool {
    SCHEMAS.iter().any(|s| s.dataset == name)
}

/// The schema of a record whose dataset is given by name (the `dataset` option): where the
/// name has several schemas, the one declaring most of the record's keys (the first on a tie).
pub fn for_dataset(name: &str, fields: &[Field]) -> Option<&'static Schema> {
    let candidates = || SCHEMAS.into_iter().filter(move |s| s.dataset == name);
    if candidates().nth(1).is_none() {
        return candidates().next();
    }
    let declared = |schema: &&Schema| fields.iter().filter(|f| schema.declares(f.key())).count();
    // `max_by_key` keeps the last of equals: reversed, that is the first in the table.
    candidates().rev().max_by_key(declared)
}

#[cfg(test)]
mod tests {
    use super::schema::{Declared, Fate, Kind};
    use super::*;
    use crate::doc::Doc;
    use crate::record::parse_fields;
    use crate::sample::{self, Rng, TimeFormat};

    /// The document a mapping makes of `record`, without `message`.
    fn mapped(schema: &Schema, record: &str) -> serde_json::Value {
        let fields = parse_fields(record).expect("a generated record is an object");
        let mut doc = Doc::new(schema.dataset);
        if let Some(mapping) = schema.mapping {
            mapping(&fields, &mut doc);
        }
        let mut out = Vec::new();
        doc.write(None, &mut out);
        serde_json::from_slice(&out).expect("a document is JSON")
    }

    fn kept(doc: &serde_json::Value, name: &str) -> bool {
        doc.get("cloudflare").and_then(|c| c.get(name)).is_some()
    }

    /// What the mapping does with `field`, seen from outside: kept under `cloudflare.*` in a
    /// complete record and alone; else in `message` only when, alone, it changes nothing;
    /// else ECS (it may be kept when another field wins, like the legacy `WAFAction`).
    fn observed_fate(schema: &Schema, field: &Declared, complete: &serde_json::Value, rng: &mut Rng) -> Fate {
        let alone = |value: String| mapped(schema, &format!("{{\"{}\":{value}}}", field.name));
        let values = match field.kind {
            Kind::Bool => ["true".to_owned(), "false".to_owned()],
            _ => [sample::value(field, rng, TimeFormat::Rfc3339), sample::value(field, rng, TimeFormat::Unix)],
        };
        let [first, second] = values.map(alone);
        if kept(complete, field.name) && kept(&first, field.name) {
            return Fate::Kept;
        }
        let nothing = mapped(schema, "{}");
        if !kept(complete, field.name) && first == nothing && second == nothing {
            return Fate::MessageOnly;
        }
        Fate::Ecs
    }

    #[test]
    fn every_declared_field_is_decided() {
        let mut mismatched = Vec::new();
        for schema in SCHEMAS.iter().filter(|s| s.mapping.is_some()) {
            let mut rng = Rng::new(7);
            let complete = mapped(schema, &sample::record(schema, &mut rng, 0));
            let observed: Vec<Declared> = schema
                .fields
                .iter()
                .map(|f| Declared { fate: observed_fate(schema, f, &complete, &mut rng), ..*f })
                .collect();
            if observed != schema.fields {
                // The declaration as the mapping behaves, to review and paste.
                let lines: Vec<String> = observed
                    .iter()
                    .map(|f| {
                        let fate = match f.fate {
                            Fate::Ecs => "ecs",
                            Fate::Kept => "kept",
                            Fate::MessageOnly => "message_only",
                        };
                        format!("        {fate}(\"{}\", {:?}),", f.name, f.kind)
                    })
                    .collect();
                mismatched.push(format!("{}:\n{}", schema.name(), lines.join("\n")));
            }
        }
        assert!(mismatched.is_empty(), "declared fates differ from what the mappings do:\n{}", mismatched.join("\n\n"));
    }

    #[test]
    fn schemas_are_named_once_and_declare_each_field_once() {
        let mut names: Vec<String> = SCHEMAS.iter().map(|s| s.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), SCHEMAS.len());
        for schema in SCHEMAS {
            let mut fields: Vec<&str> = schema.fields.iter().map(|f| f.name).collect();
            fields.sort_unstable();
            let count = fields.len();
            fields.dedup();
            assert_eq!(fields.len(), count, "{} declares a field twice", schema.name());
        }
    }

    #[test]
    fn forced_datasets_with_two_schemas_follow_the_record() {
        let api = parse_fields(r#"{"actor":{"id":"1"},"when":"2024-01-01T00:00:00Z"}"#).expect("object");
        assert_eq!(for_dataset("audit_logs", &api).map(|s| s.name()).as_deref(), Some("audit_logs/api"));
        let logpush = parse_fields(r#"{"ActorID":"1","When":"2024-01-01T00:00:00Z"}"#).expect("object");
        assert_eq!(for_dataset("audit_logs", &logpush).map(|s| s.name()).as_deref(), Some("audit_logs"));
        let account = parse_fields(r#"{"connectionId":"1","clientIP":"192.0.2.1"}"#).expect("object");
        assert_eq!(
            for_dataset("websocket_analytics", &account).map(|s| s.name()).as_deref(),
            Some("websocket_analytics/account")
        );
        // Keys of neither: the first schema of the name.
        let neither = parse_fields(r#"{"ClientIP":"192.0.2.1"}"#).expect("object");
        assert_eq!(
            for_dataset("websocket_analytics", &neither).map(|s| s.name()).as_deref(),
            Some("websocket_analytics/zone")
        );
        assert_eq!(for_dataset("dns_logs", &neither).map(|s| s.name()).as_deref(), Some("dns_logs"));
        assert!(for_dataset("no_such_dataset", &neither).is_none());
    }
}
