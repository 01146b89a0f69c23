//! `spectrum_events`: Spectrum L4 (TCP/UDP) proxy connection events: connect, disconnect,
//! filtering and error events per proxied connection.
//!
//! The client is `source` (IP, port, ASN, country as Cloudflare gives it), the origin
//! `destination`; the records name no edge address, so there is no `*.nat.*` side to fill.
//! `ClientBytes` (read from the client) is `source.bytes`, `OriginBytes` `destination.bytes`,
//! their sum `network.bytes`. `ClientProto` is `network.transport` (with
//! `network.iana_number`) and, with the two endpoints, gives `network.community_id`
//! (Community ID v1, as Elastic's pipeline computes it from the same four fields).
//! `Timestamp` is `@timestamp`; `ConnectTimestamp`/`DisconnectTimestamp` are `event.start`/
//! `event.end` with `event.duration`, left out while unset (`0`, `""`: a `connect` event has
//! no disconnect time; Elastic writes 1970-01-01 there).
//! `Event` is `event.action` as Cloudflare names it, and decides `event.type`: `connect`
//! `connection`+`start`, `disconnect` `connection`+`end`, `clientFiltered` (or an IP Firewall
//! block in `ClientMatchedIpFirewall`) `connection`+`denied` with `event.outcome` `failure`;
//! the error events (`tlsError`, `resolveOrigin`, `originError`) are `connection` with
//! `event.outcome` `failure`. Elastic sets `event.type` `info` for all of them, which says
//! nothing a SIEM can filter on.
//! Client-side TLS (the connection the client made) is `tls.*`, its SNI
//! `tls.client.server_name`; the origin side's TLS has no ECS home and stays under
//! `cloudflare.*`. `Status` (Spectrum's close-reason code) is kept as `cloudflare.Status`:
//! Elastic's `http.response.status_code` would call an L4 proxy code an HTTP status. The
//! application ID is kept as `cloudflare.Application` (Elastic's `event.id` would give every
//! event of an application the same event ID).

use super::request::{string, tls_protocol};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use super::flow::{duration, put_community_id, time, transport};
use crate::doc::{Doc, Endpoint, Value};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "spectrum_events",
    variant: "",
    fields: &[
        kept("Application", Str),
        ecs("ClientAsn", Int),
        ecs("ClientBytes", Int),
        ecs("ClientCountry", Str),
        ecs("ClientIP", Str),
        kept("ClientMatchedIpFirewall", Str), // and a `BLOCK_*` match makes the event `denied`
        ecs("ClientPort", Int),
        ecs("ClientProto", Str),
        kept("ClientTcpRtt", Int),
        ecs("ClientTlsCipher", Str),
        ecs("ClientTlsClientHelloServerName", Str),
        kept("ClientTlsProtocol", Str), // `tls.version*` when it names one (`TLSv1.2`), else kept
        kept("ClientTlsStatus", Str),
        ecs("ColoCode", Str),
        ecs("ConnectTimestamp", Time),
        ecs("DisconnectTimestamp", Time),
        ecs("Event", Str),
        kept("IpFirewall", Bool),
        ecs("OriginBytes", Int),
        ecs("OriginIP", Str),
        ecs("OriginPort", Int),
        kept("OriginProto", Str),
        kept("OriginTcpRtt", Int),
        kept("OriginTlsCipher", Str),
        kept("OriginTlsFingerprint", Str),
        kept("OriginTlsMode", Str),
        kept("OriginTlsProtocol", Str),
        kept("OriginTlsStatus", Str),
        kept("ProxyProtocol", Str),
        kept("Status", Int),
        ecs("Timestamp", Time),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_const("observer.type", "proxy");

    let (mut start, mut end) = (None, None);
    let (mut client_bytes, mut origin_bytes) = (None, None);
    let (mut client_ip, mut origin_ip, mut protocol) = (None, None, None);
    let (mut client_port, mut origin_port) = (None, None);
    let (mut event, mut blocked) = (None, false);
    for field in fields {
        match field.key() {
            "Timestamp" => _ = time(doc, &["@timestamp"], field),
            "ConnectTimestamp" => start = time(doc, &["event.start"], field),
            "DisconnectTimestamp" => end = time(doc, &["event.end"], field),
            "Event" => {
                event = string(doc, field);
                if let Some(event) = &event {
                    doc.put_str("event.action", event.clone());
                }
            }
            "ClientIP" => {
                client_ip = field.as_str();
                doc.endpoint_ip(Endpoint::Source, field);
            }
            "ClientPort" => client_port = doc.integer_at(&["source.port"], field),
            "ClientAsn" => doc.integer("source.as.number", field),
            "ClientCountry" => doc.keyword("source.geo.country_iso_code", field),
            "ClientBytes" => client_bytes = doc.integer_at(&["source.bytes"], field),
            "OriginIP" => {
                origin_ip = field.as_str();
                doc.endpoint_ip(Endpoint::Destination, field);
            }
            "OriginPort" => origin_port = doc.integer_at(&["destination.port"], field),
            "OriginBytes" => origin_bytes = doc.integer_at(&["destination.bytes"], field),
            "ClientProto" => protocol = transport(doc, field),
            "ClientTlsProtocol" => _ = tls_protocol(doc, field),
            "ClientTlsCipher" => match string(doc, field) {
                Some(cipher) if is_known(&cipher) => doc.put_str("tls.cipher", cipher),
                Some(_) => doc.vendor(field),
                None => {}
            },
            "ClientTlsClientHelloServerName" => {
                if let Some(name) = string(doc, field) {
                    doc.related_host(name.clone());
                    doc.put_str("tls.client.server_name", name);
                }
            }
            "ClientMatchedIpFirewall" => {
                blocked = field.as_str().is_some_and(|m| m.starts_with("BLOCK"));
                doc.vendor(field);
            }
            "ColoCode" => doc.keyword("observer.geo.name", field),
            _ => doc.vendor(field),
        }
    }

    let (event_type, outcome): (&'static [&'static str], &'static str) = match event.as_deref() {
        _ if blocked => (&["connection", "denied"], "failure"),
        Some("connect") => (&["connection", "start"], "success"),
        Some("disconnect") => (&["connection", "end"], "success"),
        Some("clientFiltered") => (&["connection", "denied"], "failure"),
        Some("tlsError" | "resolveOrigin" | "originError") => (&["connection"], "failure"),
        _ => (&["connection"], ""),
    };
    doc.put_list("event.type", event_type);
    doc.put_const("event.outcome", outcome);
    if let Some(time) = end.or(start) {
        // Without `Timestamp` in the job, the record is still dated by its connection (a time
        // already put at `@timestamp` wins).
        doc.put("@timestamp", Value::Time(time));
    }
    if let (Some(start), Some(end)) = (start, end) {
        duration(doc, start, end);
    }
    if let (Some(client), Some(origin)) = (client_bytes, origin_bytes) {
        doc.put("network.bytes", Value::Int(client.saturating_add(origin)));
    }
    put_community_id(doc, client_ip.as_deref(), origin_ip.as_deref(), protocol, (client_port, origin_port));
}

/// Cipher names other than Spectrum's placeholders (`UNK`, `unknown`, `none`).
fn is_known(cipher: &str) -> bool {
    !["UNK", "unknown", "none"].iter().any(|placeholder| cipher.eq_ignore_ascii_case(placeholder))
}

#[cfg(test)]
mod tests {
    use crate::datasets::Schema;
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn spectrum_events_are_detected() {
        let event = r#"{"Application":"7ef659a2f8ef4810a9bade96fdad7c75","ClientAsn":64500,"ClientBytes":512,"ClientCountry":"de","ClientIP":"198.51.100.4","ClientPort":40456,"ClientProto":"tcp","ColoCode":"FRA","ConnectTimestamp":"2024-05-02T10:00:00Z","DisconnectTimestamp":"2024-05-02T10:05:00Z","Event":"disconnect","OriginBytes":2048,"OriginIP":"203.0.113.22","OriginPort":22,"Status":0,"Timestamp":"2024-05-02T10:05:00Z"}"#;
        let detected = detect(&parse_fields(event).unwrap()).map(Schema::name);
        assert_eq!(detected.as_deref(), Some("spectrum_events"));
    }
}
