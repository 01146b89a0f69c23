//! `ipsec_logs`: log lines of the IPsec (IKEv2) tunnels between Cloudflare and a customer's
//! routers (Magic WAN/Transit): negotiations, the cipher suites agreed on, tunnels up and down.
//!
//! The customer's end (`RemoteIP`/`RemotePort`) is `source.*`, Cloudflare's end
//! (`LocalIP`/`LocalPort`) `destination.*`: the tunnel's peers, as the issue asks, oriented
//! like the customer's traffic into Cloudflare. `Level` is `log.level`. The line itself,
//! `Message`, is free text with no documented vocabulary; it is kept whole as
//! `cloudflare.Message`, and only its unmistakable words give the state change as
//! `event.action`: `failed` → `tunnel-negotiation-failed` (`event.outcome` `failure`),
//! `established` → `tunnel-established` (`connection`/`start`), `deleting`/`deleted`/`closing`
//! → `tunnel-closed` (`connection`/`end`), `ciphersuite` (logged for handshake messages) →
//! `tunnel-handshake` (`protocol`). Other lines are `info`, with no action.

use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Endpoint};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "ipsec_logs",
    variant: "",
    fields: &[
        ecs("Level", Str),
        ecs("LocalIP", Str),
        ecs("LocalPort", Int),
        kept("Message", Str),
        ecs("RemoteIP", Str),
        ecs("RemotePort", Int),
        ecs("Timestamp", Time),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);

    let mut change = None;
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "Level" => doc.keyword("log.level", field),
            "RemoteIP" => doc.endpoint_ip(Endpoint::Source, field),
            "RemotePort" => doc.integer("source.port", field),
            "LocalIP" => doc.endpoint_ip(Endpoint::Destination, field),
            "LocalPort" => doc.integer("destination.port", field),
            "Message" => {
                change = field.as_str().and_then(|message| state_change(&message));
                doc.vendor(field);
            }
            _ => doc.vendor(field),
        }
    }
    match change {
        Some(Change { action, types, outcome }) => {
            doc.put_const("event.action", action);
            doc.put_list("event.type", types);
            if let Some(outcome) = outcome {
                doc.put_const("event.outcome", outcome);
            }
        }
        None => doc.put_list("event.type", &["info"]),
    }
}

/// A tunnel state change a log line tells.
struct Change {
    action: &'static str,
    types: &'static [&'static str],
    outcome: Option<&'static str>,
}

/// The state change `message` tells, by its unmistakable words only.
fn state_change(message: &str) -> Option<Change> {
    let message = message.to_ascii_lowercase();
    let has = |word: &str| message.contains(word);
    let change = |action, types, outcome| Some(Change { action, types, outcome });
    if has("failed") {
        change("tunnel-negotiation-failed", &["connection"], Some("failure"))
    } else if has("established") {
        change("tunnel-established", &["connection", "start"], Some("success"))
    } else if has("deleting") || has("deleted") || has("closing") {
        change("tunnel-closed", &["connection", "end"], None)
    } else if has("ciphersuite") {
        change("tunnel-handshake", &["protocol"], None)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::{Normalizer, Options, SCHEMAS};

    /// Every field of the email, WARP, DEX, BGP and IPsec schemas, given a value of every
    /// wrong shape: a document that is JSON, never a panic; ECS fields keep their types.
    #[test]
    fn wrong_shaped_values_never_panic() {
        const MINE: [&str; 8] = [
            "email_security_alerts",
            "email_security_post_delivery_events",
            "warp_config_changes",
            "warp_toggle_changes",
            "dex_device_state_events",
            "dex_application_tests",
            "magic_bgp_logs",
            "ipsec_logs",
        ];
        const VALUES: [&str; 16] = [
            "null",
            "true",
            "-1",
            "0",
            "1e999",
            "18446744073709551616",
            "\"\"",
            "\"\\ud800\"",
            "\"::ffff:999.1.1.1\"",
            "\"http://[::1\"",
            "\"a/b/c/d\"",
            "[]",
            "[1,{\"a\":[]},null]",
            "[{\"Name\":1,\"Md5\":[],\"Size\":-5}]",
            "{}",
            "{\"src\":\"[2001:db8::1]:99999\",\"peer_asn\":\"x\",\"to_state\":7}",
        ];
        for schema in SCHEMAS.iter().filter(|s| MINE.contains(&s.dataset)) {
            let options = Options::from_json(&format!("{{\"dataset\":\"{}\"}}", schema.dataset)).unwrap();
            let normalizer = Normalizer::new(options);
            for field in schema.fields {
                for value in VALUES {
                    let record = format!("{{\"{}\":{value}}}", field.name);
                    let document = normalizer.normalize(record.as_bytes());
                    let parsed: serde_json::Value = serde_json::from_str(&document)
                        .unwrap_or_else(|e| panic!("{record}: not JSON ({e}): {document}"));
                    for path in ["source.port", "source.as.number", "destination.as.number", "event.duration"] {
                        let mut value = &parsed;
                        for part in path.split('.') {
                            value = &value[part];
                        }
                        assert!(value.is_null() || value.is_i64(), "{record}: {path} is {value}");
                    }
                }
            }
        }
    }
}
