//! `magic_bgp_logs`: events of the BGP sessions Cloudflare holds with a customer's routers
//! over Magic WAN/Transit IPsec and GRE tunnels: messages exchanged (open, update,
//! notification, route refresh), session state transitions, failed TCP handshakes, timers
//! and configuration changes.
//!
//! `EventKind` is `event.action`. Sessions and messages are `event.category` `network` with
//! `network.protocol` `bgp` and `network.transport` `tcp`; a transition into `Established`
//! is `event.type` `connection`+`start`, out of it `connection`+`end`, other transitions and
//! failed handshakes `connection` (a failed handshake with `event.outcome` `failure`),
//! messages `protocol`; the `*_config_changed` kinds are `configuration`/`change`.
//! `Direction` is `network.direction` from Cloudflare's side (`to_cloudflare` → `ingress`,
//! `from_cloudflare` → `egress`). The payload, `EventData`, keeps what has no ECS home (the
//! states, the route announced, capabilities, ...) as `cloudflare.EventData.*`; its peer
//! addresses (`src`, `dst`) are `source.*`/`destination.*`, its `reason` `event.reason`, and
//! an open message's ASNs `source.as.number`/`destination.as.number` as the direction says
//! (the peer's is the source of a message to Cloudflare). The tunnel stays under
//! `cloudflare.*`.

use std::borrow::Cow;

use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Value};
use crate::ecs::time::Unit;
use crate::ecs::{ip, url};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "magic_bgp_logs",
    variant: "",
    fields: &[
        // `network.direction` for the two documented values; another (as the generated samples
        // write) is kept.
        kept("Direction", Str),
        kept("EventData", Object),
        ecs("EventKind", Str),
        ecs("EventTimestamp", Time),
        kept("TunnelID", Str),
        kept("TunnelName", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");

    let (mut kind, mut to_cloudflare, mut data) = (None, None, None);
    for field in fields {
        match field.key() {
            "EventTimestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "EventKind" => {
                kind = field.as_str();
                doc.keyword("event.action", field);
            }
            "Direction" => match field.as_str().as_deref() {
                Some("to_cloudflare") => {
                    to_cloudflare = Some(true);
                    doc.put_const("network.direction", "ingress");
                }
                Some("from_cloudflare") => {
                    to_cloudflare = Some(false);
                    doc.put_const("network.direction", "egress");
                }
                Some("") => {}
                _ => doc.vendor(field),
            },
            "EventData" => data = Some(field),
            _ => doc.vendor(field),
        }
    }

    let states = data.map(|data| event_data(doc, data, to_cloudflare)).unwrap_or_default();
    let kind = kind.as_deref().unwrap_or_default();
    if kind.ends_with("_config_changed") {
        doc.put_list("event.category", &["configuration"]);
        doc.put_list("event.type", &["change"]);
        return;
    }
    doc.put_list("event.category", &["network"]);
    doc.put_const("network.protocol", "bgp");
    doc.put_const("network.transport", "tcp");
    let established = |state: &Option<String>| state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("established"));
    let event_type: &'static [&'static str] = match kind {
        "bgp_state_transition" if established(&states.to) => &["connection", "start"],
        "bgp_state_transition" if established(&states.from) => &["connection", "end"],
        "bgp_state_transition" => &["connection"],
        "tcp_handshake_failed" => {
            doc.put_const("event.outcome", "failure");
            &["connection"]
        }
        kind if kind.ends_with("_message") => &["protocol"],
        _ => &["info"],
    };
    doc.put_list("event.type", event_type);
}

/// The session states of a transition (`from_state`, `to_state`).
#[derive(Default)]
struct States {
    from: Option<String>,
    to: Option<String>,
}

/// `EventData`: peer addresses, reason and ASNs to ECS, the rest kept as
/// `cloudflare.EventData.*`. Anything but an object is kept as it is.
fn event_data<'a>(doc: &mut Doc<'a>, field: &Field<'a>, to_cloudflare: Option<bool>) -> States {
    let mut states = States::default();
    let Some(entries) = field.as_object() else {
        if !crate::json::is_empty_value(field.raw()) {
            doc.bad_field(field, "expected an object");
        }
        return states;
    };
    let mut rest = Vec::with_capacity(entries.len());
    for entry in entries {
        let mapped = match entry.key() {
            "src" => peer(doc, "source.ip", "source.port", &entry),
            "dst" => peer(doc, "destination.ip", "destination.port", &entry),
            "reason" => match entry.as_str() {
                Some(reason) if !reason.is_empty() => {
                    doc.put_str("event.reason", reason);
                    true
                }
                _ => false,
            },
            "peer_asn" | "cloudflare_asn" => match (to_cloudflare, entry.as_i64().filter(|n| *n > 0)) {
                (Some(to_cloudflare), Some(asn)) => {
                    let peer_is_source = to_cloudflare == (entry.key() == "peer_asn");
                    let path = if peer_is_source { "source.as.number" } else { "destination.as.number" };
                    doc.put(path, Value::Int(asn));
                    true
                }
                _ => false,
            },
            "from_state" => {
                states.from = entry.as_str().map(Cow::into_owned);
                false
            }
            "to_state" => {
                states.to = entry.as_str().map(Cow::into_owned);
                false
            }
            _ => false,
        };
        if !mapped {
            rest.push(entry);
        }
    }
    doc.vendor_object(field.key_cow(), &rest);
    states
}

/// A peer address, `192.0.2.1`, `192.0.2.1:179` or `[2001:db8::1]:179`: the IP (also
/// `related.ip`) and the port. `false` when it is neither.
fn peer<'a>(doc: &mut Doc<'a>, ip_path: &'static str, port_path: &'static str, entry: &Field<'a>) -> bool {
    let Some(text) = entry.as_str() else {
        return false;
    };
    let (host, port) = match ip::normalize(&text) {
        Some(_) => (text.as_ref(), None),
        None => match url::split_host_port(&text) {
            Some((host, port)) => (host.trim_start_matches('[').trim_end_matches(']'), port),
            None => return false,
        },
    };
    let Some(address) = ip::normalize(host).map(Cow::into_owned) else {
        return false;
    };
    doc.related_ip(Cow::Owned(address.clone()));
    doc.put_str(ip_path, address);
    if let Some(port) = port {
        doc.put(port_path, Value::Int(i64::from(port)));
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn bgp_and_ipsec_records_are_detected() {
        let bgp = r#"{"Direction":"","EventData":{"from_state":"OpenConfirm","to_state":"Established","event":"KeepAliveMsg"},"EventKind":"bgp_state_transition","EventTimestamp":"2025-03-01T12:00:00Z","TunnelID":"9f2c4e6a8b0d4f1a3c5e7a9b1d3f5a7c","TunnelName":"fra-ipsec-01"}"#;
        assert_eq!(detect(&parse_fields(bgp).unwrap()).map(|s| s.name()).as_deref(), Some("magic_bgp_logs"));
        let ipsec = r#"{"Level":"info","LocalIP":"162.159.65.1","LocalPort":500,"Message":"IKE_SA established","RemoteIP":"203.0.113.7","RemotePort":500,"Timestamp":"2025-03-01T12:00:00Z"}"#;
        assert_eq!(detect(&parse_fields(ipsec).unwrap()).map(|s| s.name()).as_deref(), Some("ipsec_logs"));
    }
}
