//! `zero_trust_network_sessions`: network sessions proxied by Cloudflare Gateway, across all
//! on-ramps (WARP, proxy endpoints, Browser Isolation, tunnels), one record per session.
//!
//! A session is `event.category` `network` + `session`, `event.type` `connection` with `end`
//! once it has ended (`SessionEndTime`), else `start`. The client is `source` (its WARP/public
//! IP), the origin `destination` (`OriginIP`/`OriginPort`, named by `ResolvedFQDN`, else the
//! SNI); the egress IP and port Gateway used toward the origin are the source's translation,
//! `source.nat.*` (ECS: "translated IP of source based NAT sessions"). Sekoia's draft puts
//! `SourceInternalIP` there instead, but that is the LAN address *behind* an on-ramp, before
//! any translation: it is kept as `cloudflare.SourceInternalIP` (and in `related.ip`), as is
//! `InitialOriginIP` (a policy-correlation address, not a hop of the flow).
//! `SessionStartTime`/`SessionEndTime` are `@timestamp`/`event.start` and `event.end`, with
//! `event.duration` in nanoseconds; an unset end (`0`, `""`) is not turned into 1970.
//! `BytesSent` (client → origin) is `source.bytes`, `BytesReceived` `destination.bytes`, their
//! sum `network.bytes`. `Protocol` is `network.transport` (ECS names: `tcp`, `udp`, `icmp`,
//! `ipv6-icmp`) with `network.iana_number`, `DetectedProtocol` `network.protocol` (lower case).
//! The client-side TLS (`ClientTLSVersion`/`Cipher`) is `tls.version`/`tls.cipher`: ECS's
//! `tls.*` describes one connection, and the client's is the one the user made; the origin
//! side's version, cipher and validation result have no ECS home and stay under
//! `cloudflare.*`, its certificate issuer is `tls.server.x509.issuer.common_name` and
//! `tls.server.issuer` (as Elastic). `ConnectionCloseReason` is `event.reason`, the egress
//! policy `rule.id`/`rule.name`, the ingress data center `observer.geo.name`, the device
//! `device.id`/`host.id` and `host.name`/`host.hostname` (Elastic uses `host.*`, Sekoia
//! `device.*`: both are set, the device being the host the session came from).
//! Elastic's `vlan.id` from `VirtualNetworkID` is not an ECS field (and a Cloudflare virtual
//! network is not a VLAN): kept under `cloudflare.*`.

use std::borrow::Cow;

use super::flow::{duration, lowercase, time, transport};
use super::request::{string, tls_cipher, tls_protocol};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use super::zero_trust::{device_id, device_name, user};
use crate::doc::{DESTINATION, Doc, Endpoint, Value};
use crate::ecs::ip;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "zero_trust_network_sessions",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        ecs("BytesReceived", Int),
        ecs("BytesSent", Int),
        kept("ClientTCPHandshakeDurationMs", Int),
        ecs("ClientTLSCipher", Str),
        kept("ClientTLSHandshakeDurationMs", Int),
        ecs("ClientTLSVersion", Str),
        ecs("ConnectionCloseReason", Str),
        kept("ConnectionReuse", Bool),
        kept("DestinationTunnelID", Str),
        ecs("DetectedProtocol", Str),
        ecs("DeviceID", Str),
        ecs("DeviceName", Str),
        kept("EgressColoName", Str),
        ecs("EgressIP", Str),
        ecs("EgressPort", Int),
        ecs("EgressRuleID", Str),
        ecs("EgressRuleName", Str),
        ecs("Email", Str),
        ecs("IngressColoName", Str),
        kept("InitialOriginIP", Str),
        kept("Offramp", Str),
        ecs("OriginIP", Str),
        ecs("OriginPort", Int),
        ecs("OriginTLSCertificateIssuer", Str),
        kept("OriginTLSCertificateValidationResult", Str),
        kept("OriginTLSCipher", Str),
        kept("OriginTLSHandshakeDurationMs", Int),
        kept("OriginTLSVersion", Str),
        ecs("Protocol", Str),
        kept("RegistrationID", Str),
        ecs("ResolvedFQDN", Str),
        kept("RuleEvaluationDurationMs", Int),
        ecs("SNI", Str),
        ecs("SessionEndTime", Time),
        ecs("SessionID", Str),
        ecs("SessionStartTime", Time),
        ecs("SourceIP", Str),
        kept("SourceInternalIP", Str),
        ecs("SourcePort", Int),
        kept("TenantID", Str),
        ecs("UserID", Str),
        kept("VirtualNetworkID", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network", "session"]);
    doc.put_const("observer.type", "proxy");

    let (mut start, mut end) = (None, None);
    let (mut sent, mut received) = (None, None);
    let (mut fqdn, mut sni) = (None, None);
    for field in fields {
        match field.key() {
            "SessionStartTime" => start = time(doc, &["@timestamp", "event.start"], field),
            "SessionEndTime" => end = time(doc, &["event.end"], field),
            "SessionID" => doc.keyword("event.id", field),
            "AccountID" => doc.keyword("cloud.account.id", field),
            "SourceIP" => doc.endpoint_ip(Endpoint::Source, field),
            "SourcePort" => doc.integer("source.port", field),
            "SourceInternalIP" => related_kept_ip(doc, field),
            "EgressIP" => doc.ip("source.nat.ip", field),
            "EgressPort" => doc.integer("source.nat.port", field),
            "OriginIP" => doc.endpoint_ip(Endpoint::Destination, field),
            "OriginPort" => doc.integer("destination.port", field),
            "InitialOriginIP" => related_kept_ip(doc, field),
            "ResolvedFQDN" => fqdn = string(doc, field),
            "SNI" => {
                sni = string(doc, field);
                if let Some(name) = &sni {
                    doc.put_str("tls.client.server_name", name.clone());
                }
            }
            "BytesSent" => sent = doc.integer_at(&["source.bytes"], field),
            "BytesReceived" => received = doc.integer_at(&["destination.bytes"], field),
            "Protocol" => _ = transport(doc, field),
            "DetectedProtocol" => match field.as_str() {
                Some(name) if name.eq_ignore_ascii_case("unknown") => doc.vendor(field),
                _ => lowercase(doc, "network.protocol", field),
            },
            "ClientTLSVersion" => _ = tls_protocol(doc, field),
            "ClientTLSCipher" => tls_cipher(doc, field),
            "OriginTLSCertificateIssuer" => {
                doc.keyword_at(&["tls.server.x509.issuer.common_name", "tls.server.issuer"], field)
            }
            "ConnectionCloseReason" => doc.keyword("event.reason", field),
            "Email" => user(doc, "user.email", field),
            "UserID" => user(doc, "user.id", field),
            "DeviceID" => device_id(doc, field),
            "DeviceName" => device_name(doc, field),
            "IngressColoName" => doc.keyword("observer.geo.name", field),
            "EgressRuleID" => doc.keyword("rule.id", field),
            "EgressRuleName" => doc.keyword("rule.name", field),
            _ => doc.vendor(field),
        }
    }

    doc.put_list("event.type", if end.is_some() { &["connection", "end"] } else { &["connection", "start"] });
    if let Some(end) = end {
        // Without `SessionStartTime` in the job, the record is still dated (a time already
        // put at `@timestamp` wins).
        doc.put("@timestamp", Value::Time(end));
    }
    if let (Some(start), Some(end)) = (start, end) {
        duration(doc, start, end);
    }
    if let (Some(sent), Some(received)) = (sent, received) {
        doc.put("network.bytes", Value::Int(sent.saturating_add(received)));
    }
    if let Some(name) = fqdn.or(sni) {
        doc.domain(&DESTINATION, name);
    }
}

/// An address kept under `cloudflare.*` that is still one of the event's: in `related.ip`
/// when it is a usable IP (not `0.0.0.0` or `::`).
fn related_kept_ip<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    if let Some(text) = field.as_str()
        && let Some(address) = ip::normalize(&text)
        && address != "0.0.0.0"
        && address != "::"
    {
        doc.related_ip(Cow::Owned(address.into_owned()));
    }
    doc.vendor(field);
}

#[cfg(test)]
mod tests {
    use crate::datasets::Schema;
    use crate::detect::detect;
    use crate::record::parse_fields;

    fn detected(json: &str) -> Option<String> {
        detect(&parse_fields(json).unwrap()).map(Schema::name)
    }

    #[test]
    fn sessions_are_told_from_gateway_network() {
        let session = r#"{"AccountID":"0123456789abcdef0123456789abcdef","BytesReceived":5120,"BytesSent":830,"ConnectionCloseReason":"CLIENT_CLOSED","DetectedProtocol":"TLS","DeviceID":"6f2c1a3e-0000-4000-8000-000000000001","Email":"alice@example.com","OriginIP":"203.0.113.10","OriginPort":443,"Protocol":"TCP","SNI":"www.example.com","SessionEndTime":"2024-05-02T10:15:42Z","SessionID":"1a2b3c","SessionStartTime":"2024-05-02T10:15:30Z","SourceIP":"198.51.100.7","SourcePort":50123,"UserID":"u-1"}"#;
        assert_eq!(detected(session).as_deref(), Some("zero_trust_network_sessions"));
        // The same kind of flow as a Gateway network policy decision.
        let gateway = r#"{"AccountID":"0123456789abcdef0123456789abcdef","Action":"allow","Datetime":"2024-05-02T10:15:30Z","DestinationIP":"203.0.113.10","DestinationPort":443,"DetectedProtocol":"TLS","DeviceID":"6f2c1a3e-0000-4000-8000-000000000001","Email":"alice@example.com","PolicyID":"p-1","SNI":"www.example.com","SessionID":"1a2b3c","SourceIP":"198.51.100.7","SourcePort":50123,"Transport":"tcp","UserID":"u-1"}"#;
        assert_eq!(detected(gateway).as_deref(), Some("gateway_network"));
        // Only the session keys Sekoia's and Elastic's samples share.
        let minimal = r#"{"SessionStartTime":1714644930,"SessionEndTime":1714644942,"BytesSent":1,"BytesReceived":2,"OriginIP":"203.0.113.10","SourceIP":"198.51.100.7"}"#;
        assert_eq!(detected(minimal).as_deref(), Some("zero_trust_network_sessions"));
    }
}
