//! `gateway_network`: network (layer 4) sessions of Zero Trust users through Cloudflare
//! Gateway, with the network policy decision on each.
//!
//! The user's device is `source` (`SourceInternalIP`, its address behind a tunnel or WARP's
//! CGNAT address, as `source.nat.ip`), the server it connects to is `destination`; the TLS
//! SNI names it (`tls.client.server_name` and `destination.domain` with its public-suffix
//! parts). `TransportProtocol` (or the deprecated `Transport`) is `network.transport`
//! (`quic` runs over `udp`, and is also kept), `DetectedProtocol` is `network.protocol` in
//! lower case, `SessionID` is `event.id`. `Action` is `event.action` and categorizes the
//! event (see `gateway`). An override policy's target (`OverrideIP`/`OverridePort`) stays
//! under `cloudflare.*`, its IP also in `related.ip`.
//!
//! `observer.type` is `firewall`: these records are the verdicts of Gateway's network
//! firewall policies (Sekoia writes `proxy`, Elastic nothing).

use std::borrow::Cow;

use super::gateway::{action, categorize, common, endpoints};
use super::request::string;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{DESTINATION, Doc, slice_of};
use crate::ecs::time::Unit;
use crate::ecs::{ip, protocol, url};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "gateway_network",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        ecs("Action", Str),
        kept("ApplicationIDs", Ints),
        kept("ApplicationNames", Strs),
        kept("CategoryIDs", Ints),
        kept("CategoryNames", Strs),
        ecs("Datetime", Time),
        ecs("DestinationIP", Str),
        ecs("DestinationIPContinentCode", Str),
        ecs("DestinationIPCountryCode", Str),
        ecs("DestinationPort", Int),
        ecs("DetectedProtocol", Str),
        ecs("DeviceID", Str),
        ecs("DeviceName", Str),
        ecs("Email", Str),
        kept("OverrideIP", Str),
        kept("OverridePort", Int),
        ecs("PolicyID", Str),
        ecs("PolicyName", Str),
        kept("ProxyEndpoint", Str),
        kept("RegistrationID", Str),
        ecs("SNI", Str),
        ecs("SessionID", Str),
        ecs("SourceIP", Str),
        ecs("SourceIPContinentCode", Str),
        ecs("SourceIPCountryCode", Str),
        ecs("SourceInternalIP", Str),
        ecs("SourcePort", Int),
        kept("TenantID", Str),
        kept("Transport", Str), // deprecated
        kept("TransportProtocol", Str),
        ecs("UserID", Str),
        kept("VirtualNetworkID", Str),
        kept("VirtualNetworkName", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_const("observer.type", "firewall");

    let mut verdict = None;
    for field in fields {
        if common(doc, field) || endpoints(doc, field) {
            continue;
        }
        match field.key() {
            "Datetime" => doc.timestamp("@timestamp", field, Unit::Auto),
            "Action" => verdict = action(doc, field),
            "SessionID" => doc.keyword("event.id", field),
            "SNI" => server_name(doc, field),
            "TransportProtocol" | "Transport" => transport(doc, field),
            "DetectedProtocol" => detected_protocol(doc, field),
            "OverrideIP" => override_ip(doc, field),
            _ => doc.vendor(field),
        }
    }
    categorize(doc, verdict);
}

/// The SNI: `tls.client.server_name`, and `destination.domain` with its public-suffix parts
/// unless it is an IP address.
fn server_name<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(name) = string(doc, field) else {
        return;
    };
    let domain = name.strip_suffix('.').unwrap_or(&name);
    if !url::is_ip_literal(domain) {
        doc.domain(&DESTINATION, slice_of(&name, domain));
    }
    doc.put_str("tls.client.server_name", name);
}

/// `tcp`, `udp` → `network.transport`; `quic` is `udp`, and kept; anything else is kept.
fn transport<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(value) = string(doc, field) else {
        return;
    };
    if value.eq_ignore_ascii_case("tcp") {
        doc.put_const("network.transport", "tcp");
    } else if value.eq_ignore_ascii_case("udp") {
        doc.put_const("network.transport", "udp");
    } else {
        if value.eq_ignore_ascii_case("quic") {
            doc.put_const("network.transport", "udp");
        }
        doc.vendor(field);
    }
}

/// `network.protocol`, lower case (`HTTP/2` is `http`); a value that is not a protocol name
/// is kept.
fn detected_protocol<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(value) = string(doc, field) else {
        return;
    };
    if protocol::http(&value).is_some() {
        doc.put_const("network.protocol", protocol::HTTP);
    } else if value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        doc.put_str("network.protocol", crate::ecs::lowercase(value));
    } else {
        doc.vendor(field);
    }
}

/// The IP an override policy sent the session to: kept, and one of `related.ip`.
fn override_ip<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(text) = string(doc, field) else {
        return;
    };
    match ip::normalize(&text) {
        Some(ip) => {
            doc.related_ip(Cow::Owned(ip.into_owned()));
            doc.vendor(field);
        }
        None => doc.bad_field(field, "not an IP address"),
    }
}

#[cfg(test)]
mod tests {
    use crate::record::parse_fields;

    fn detected(json: &str) -> Option<String> {
        crate::detect::detect(&parse_fields(json).expect("object")).map(|s| s.name())
    }

    /// `gateway_network` and `zero_trust_network_sessions` share the session, device, user,
    /// SNI and source keys; the transport and override keys are only Gateway's, the session
    /// times, bytes and off-ramp only the sessions'.
    #[test]
    fn told_from_network_sessions() {
        let gateway = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","Action":"block","Datetime":"2024-03-14T09:26:53Z","DestinationIP":"192.0.2.10","DestinationPort":22,"DetectedProtocol":"SSH","DeviceID":"6b2e","DeviceName":"BOB-WIN11","Email":"bob@example.com","OverrideIP":"","OverridePort":0,"PolicyID":"8506","SNI":"","SessionID":"7a1b","SourceIP":"203.0.113.45","SourceInternalIP":"10.1.2.3","SourcePort":61002,"TransportProtocol":"tcp","UserID":"2c0f"}"#;
        assert_eq!(detected(gateway).as_deref(), Some("gateway_network"));
        let only_transport =
            r#"{"Datetime":1710408413,"SessionID":"7a1b","SourceIP":"203.0.113.45","Transport":"udp"}"#;
        assert_eq!(detected(only_transport).as_deref(), Some("gateway_network"));
        let sessions = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","BytesReceived":5120,"BytesSent":860,"DetectedProtocol":"SSH","DeviceID":"6b2e","DeviceName":"BOB-WIN11","Email":"bob@example.com","OriginIP":"192.0.2.10","OriginPort":22,"SNI":"","SessionEndTime":"2024-03-14T09:27:01Z","SessionID":"7a1b","SessionStartTime":"2024-03-14T09:26:53Z","SourceIP":"203.0.113.45","SourceInternalIP":"10.1.2.3","SourcePort":61002,"UserID":"2c0f"}"#;
        assert_eq!(detected(sessions).as_deref(), Some("zero_trust_network_sessions"));
    }
}
