//! `gateway_dns`: DNS queries of Zero Trust users, devices and locations resolved by
//! Cloudflare Gateway, with the policy decision on each.
//!
//! The client is `source` (with its Gateway location as `source.geo.name`), Gateway's
//! resolver address is `destination`. The question is `dns.question.*` (`QueryTypeName`
//! first, the IANA table for `QueryType` otherwise), `RCode` is `dns.response_code` in the
//! names `dns_logs` uses, `ResolvedIPs` is `dns.resolved_ip`, and the answer records
//! (`ResourceRecords`, else the deprecated `RData`: DNS wire format in base64) are decoded
//! into `dns.answers` (name, type, class, TTL, and the data of address and name records).
//! `ResolverDecision` is `event.action` and categorizes the event (see `gateway`).
//! `QueryID` is `event.id`, `QuerySize` `source.bytes`, `ResponseTimeMs` `event.duration`.
//! `network.protocol` is `dns`; `Protocol` (`udp`, `tcp`, `https` for DoH, `tls` for DoT)
//! gives `network.transport` and is also kept, since DoH/DoT has no other ECS home.
//! Categories, applications, indicator feeds and resolver details stay under `cloudflare.*`.
//!
//! Where the peers differ: Elastic writes `Protocol` to `network.protocol` (`https`) and the
//! RCODE as its number; Sekoia writes `Protocol` to `network.transport` verbatim. ECS wants
//! the application protocol (`dns`) in `network.protocol` and the layer-4 one in
//! `network.transport`, and `dns_logs` names RCODEs, so this mapping does that.

use std::borrow::Cow;

use super::dns_query::{question_name, response_code};
use super::request::string;
use super::gateway::{categorize, common, ip_list, port, resolver_decision};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Endpoint, Value};
use crate::ecs::dns::query_type_name;
use crate::ecs::time::Unit;
use crate::record::Field;


pub const SCHEMA: Schema = Schema {
    dataset: "gateway_dns",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        kept("ApplicationID", Int),
        kept("ApplicationName", Str),
        kept("AppliedMaxTTL", Int),
        kept("AuthoritativeNameServerIPs", Strs),
        kept("CNAMECategoryIDs", Ints),
        kept("CNAMECategoryNames", Strs),
        kept("CNAMEs", Strs),
        kept("CNAMEsReversed", Strs),
        ecs("ColoCode", Str),
        kept("ColoID", Int),
        kept("CustomResolveDurationMs", Int),
        kept("CustomResolverAddress", Str),
        kept("CustomResolverPolicyID", Str),   // deprecated
        kept("CustomResolverPolicyName", Str), // deprecated
        kept("CustomResolverResponse", Str),
        ecs("Datetime", Time),
        ecs("DeviceID", Str),
        ecs("DeviceName", Str),
        kept("DoHSubdomain", Str),
        kept("DoTSubdomain", Str),
        ecs("DstIP", Str),
        ecs("DstPort", Int),
        kept("EDEErrors", Ints),
        ecs("Email", Str),
        kept("InitialCategoryIDs", Ints),
        kept("InitialCategoryNames", Strs),
        kept("InitialResolvedIPs", Strs),
        kept("InternalDNSDurationMs", Int),
        kept("InternalDNSFallbackStrategy", Str),
        kept("InternalDNSRCode", Int),
        kept("InternalDNSViewID", Str),
        kept("InternalDNSZoneID", Str),
        kept("IsResponseCached", Bool),
        ecs("Location", Str),
        kept("LocationID", Str),
        kept("MatchedCategoryIDs", Ints),
        kept("MatchedCategoryNames", Strs),
        kept("MatchedIndicatorFeedIDs", Ints),
        kept("MatchedIndicatorFeedNames", Strs),
        kept("Policy", Str), // deprecated
        ecs("PolicyID", Str),
        ecs("PolicyName", Str),
        kept("Protocol", Str),
        kept("QueryApplicationIDs", Ints),
        kept("QueryApplicationNames", Strs),
        kept("QueryCategoryIDs", Ints),
        kept("QueryCategoryNames", Strs),
        ecs("QueryID", Str),
        kept("QueryIndicatorFeedIDs", Ints),
        kept("QueryIndicatorFeedNames", Strs),
        ecs("QueryName", Str),
        kept("QueryNameReversed", Str),
        ecs("QuerySize", Int),
        ecs("QueryType", Int),
        ecs("QueryTypeName", Str),
        ecs("RCode", Int),
        kept("RData", Objects), // deprecated
        kept("RedirectTargetURI", Str),
        kept("RegistrationID", Str),
        kept("RequestContextCategoryIDs", Ints),
        kept("RequestContextCategoryNames", Strs),
        kept("ResolvedIPCategoryIDs", Ints),
        kept("ResolvedIPCategoryNames", Strs),
        kept("ResolvedIPContinentCodes", Strs),
        kept("ResolvedIPCountryCodes", Strs),
        ecs("ResolvedIPs", Strs),
        ecs("ResolverDecision", Str),
        kept("ResolverPolicyID", Str),
        kept("ResolverPolicyName", Str),
        kept("ResourceRecords", Objects),
        kept("ResourceRecordsJSON", Str),
        ecs("ResponseTimeMs", Int),
        ecs("SrcIP", Str),
        ecs("SrcIPContinentCode", Str),
        ecs("SrcIPCountryCode", Str),
        ecs("SrcPort", Int),
        kept("TenantID", Str),
        kept("TimeZone", Str),
        kept("TimeZoneInferredMethod", Str),
        kept("UpstreamRecordTTLs", Ints),
        ecs("UserID", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_const("observer.type", "dns");
    doc.put_const("network.protocol", "dns");

    let mut verdict = None;
    let (mut type_number, mut type_name) = (None, None);
    let (mut records, mut rdata) = (None, None);
    let mut question = None;
    for field in fields {
        if common(doc, field) {
            continue;
        }
        match field.key() {
            "Datetime" => doc.timestamp("@timestamp", field, Unit::Auto),
            "ResolverDecision" => verdict = resolver_decision(doc, field),
            "QueryName" => {
                question = field.as_str();
                question_name(doc, field);
            }
            "QueryType" => type_number = Some(field),
            "QueryTypeName" => type_name = Some(field),
            "RCode" => response_code(doc, field),
            "QueryID" => doc.keyword("event.id", field),
            "QuerySize" => doc.integer("source.bytes", field),
            "ResolvedIPs" => ip_list(doc, "dns.resolved_ip", field),
            "ResourceRecords" => records = Some(field),
            "RData" => rdata = Some(field),
            "ResponseTimeMs" => duration_ms(doc, field),
            "SrcIP" => doc.endpoint_ip(Endpoint::Source, field),
            "SrcPort" => port(doc, "source.port", field),
            "SrcIPCountryCode" => doc.keyword("source.geo.country_iso_code", field),
            "SrcIPContinentCode" => doc.keyword("source.geo.continent_code", field),
            "Location" => doc.keyword("source.geo.name", field),
            "DstIP" => doc.endpoint_ip(Endpoint::Destination, field),
            "DstPort" => port(doc, "destination.port", field),
            "Protocol" => {
                if let Some(transport) = field.as_str().and_then(|p| transport(&p)) {
                    doc.put_const("network.transport", transport);
                }
                doc.vendor(field);
            }
            _ => doc.vendor(field),
        }
    }
    categorize(doc, verdict);
    question_type(doc, type_name, type_number);
    answers(doc, question.as_deref(), [records, rdata]);
}

/// `network.transport` of the protocol a client asked Gateway with.
fn transport(protocol: &str) -> Option<&'static str> {
    const TCP: &[&str] = &["tcp", "https", "doh", "tls", "dot"];
    const UDP: &[&str] = &["udp", "quic", "doq"];
    if TCP.iter().any(|p| p.eq_ignore_ascii_case(protocol)) {
        Some("tcp")
    } else if UDP.iter().any(|p| p.eq_ignore_ascii_case(protocol)) {
        Some("udp")
    } else {
        None
    }
}

/// `dns.question.type`: `QueryTypeName`, else the name of `QueryType`. A number the IANA table
/// does not name is kept; a number shadowed by its name is the name.
fn question_type<'a>(doc: &mut Doc<'a>, name: Option<&Field<'a>>, number: Option<&Field<'a>>) {
    if let Some(name) = name.and_then(|field| string(doc, field)) {
        doc.put_str("dns.question.type", name);
        return;
    }
    let Some(number) = number else {
        return;
    };
    match number.as_u64().map(query_type_name) {
        Some(Some(name)) => doc.put_const("dns.question.type", name),
        Some(None) => doc.vendor(number),
        None if crate::json::is_empty_value(number.raw()) => {}
        None => doc.bad_field(number, "expected a DNS type number"),
    }
}

/// `event.duration` (nanoseconds) from milliseconds.
fn duration_ms<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    match field.as_i64().and_then(|ms| ms.checked_mul(1_000_000)).filter(|&ns| ns >= 0) {
        Some(ns) => doc.put("event.duration", Value::Int(ns)),
        None if crate::json::is_empty_value(field.raw()) => {}
        None => doc.bad_field(field, "expected a duration in milliseconds"),
    }
}

/// `dns.answers` from the first of the answer lists that decodes; the question's class from
/// an answer to it. Lists not used are kept.
fn answers<'a>(doc: &mut Doc<'a>, question: Option<&str>, lists: [Option<&Field<'a>>; 2]) {
    let mut decoded = false;
    for field in lists.into_iter().flatten() {
        if decoded {
            doc.vendor(field);
            continue;
        }
        match decode_records(field.raw()) {
            Some(answers) if !answers.is_empty() => {
                let class = answers
                    .iter()
                    .find(|a| {
                        question
                            .is_some_and(|q| a.name.trim_end_matches('.').eq_ignore_ascii_case(q.trim_end_matches('.')))
                    })
                    .and_then(|a| a.class);
                if let Some(class) = class {
                    doc.put_const("dns.question.class", class);
                }
                doc.put_json("dns.answers", Cow::Owned(answers_json(&answers)));
                decoded = true;
            }
            _ => doc.vendor(field),
        }
    }
}

/// One decoded answer record.
#[derive(Debug, PartialEq)]
struct Answer {
    name: String,
    kind: Option<&'static str>,
    class: Option<&'static str>,
    ttl: u32,
    data: Option<String>,
}

/// `[{"type":"1","data":"<base64 RR>"}, ...]` decoded; `None` unless every record decodes.
fn decode_records(raw: &str) -> Option<Vec<Answer>> {
    let items: Vec<serde_json::Value> = serde_json::from_str(raw).ok()?;
    items.iter().map(|item| decode_rr(&base64(item.get("data")?.as_str()?)?)).collect()
}

/// A resource record in DNS wire format (RFC 1035 §4.1.3), uncompressed as Gateway logs it.
fn decode_rr(wire: &[u8]) -> Option<Answer> {
    let (name, rest) = read_name(wire)?;
    let (header, rdata) = rest.split_at_checked(10)?;
    let [t0, t1, c0, c1, l0, l1, l2, l3, r0, r1] = <[u8; 10]>::try_from(header).ok()?;
    let (kind, class) = (u16::from_be_bytes([t0, t1]), u16::from_be_bytes([c0, c1]));
    let ttl = u32::from_be_bytes([l0, l1, l2, l3]);
    let rdata = rdata.get(..usize::from(u16::from_be_bytes([r0, r1])))?;
    let data = match (kind, rdata.len()) {
        (1, 4) => <[u8; 4]>::try_from(rdata).ok().map(|a| std::net::Ipv4Addr::from(a).to_string()),
        (28, 16) => <[u8; 16]>::try_from(rdata).ok().map(|a| std::net::Ipv6Addr::from(a).to_string()),
        // CNAME, NS, PTR, DNAME: a name, unless compressed (its suffix is elsewhere).
        (2 | 5 | 12 | 39, _) => read_name(rdata).filter(|(_, rest)| rest.is_empty()).map(|(name, _)| name),
        _ => None,
    };
    let class = match class {
        1 => Some("IN"),
        3 => Some("CH"),
        4 => Some("HS"),
        254 => Some("NONE"),
        255 => Some("ANY"),
        _ => None,
    };
    Some(Answer { name, kind: query_type_name(u64::from(kind)), class, ttl, data })
}

/// A domain name's labels (`example.com`; `.` for the root) and what follows it. A
/// compression pointer ends the name: its suffix is not in the record.
fn read_name(mut wire: &[u8]) -> Option<(String, &[u8])> {
    let mut name = String::new();
    loop {
        let (&len, rest) = wire.split_first()?;
        match len {
            0 => {
                if name.is_empty() {
                    name.push('.');
                }
                return Some((name, rest));
            }
            1..=63 => {
                let (label, rest) = rest.split_at_checked(usize::from(len))?;
                if !name.is_empty() {
                    name.push('.');
                }
                name.push_str(&String::from_utf8_lossy(label));
                wire = rest;
            }
            _ => return None,
        }
    }
}

fn answers_json(answers: &[Answer]) -> String {
    let mut out = Vec::new();
    out.push(b'[');
    for (i, answer) in answers.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"name\":");
        crate::json::write_str(&mut out, &answer.name);
        for (key, value) in [("type", answer.kind), ("class", answer.class)] {
            if let Some(value) = value {
                out.extend_from_slice(format!(",\"{key}\":").as_bytes());
                crate::json::write_str(&mut out, value);
            }
        }
        out.extend_from_slice(format!(",\"ttl\":{}", answer.ttl).as_bytes());
        if let Some(data) = &answer.data {
            out.extend_from_slice(b",\"data\":");
            crate::json::write_str(&mut out, data);
        }
        out.push(b'}');
    }
    out.push(b']');
    String::from_utf8(out).unwrap_or_default()
}

/// Standard base64 (padding optional); `None` on any other character.
fn base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = ((buffer << 6) | u32::from(value)) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_fields;

    fn detected(json: &str) -> String {
        crate::detect::detect(&parse_fields(json).expect("object")).map(|s| s.name()).unwrap_or_default()
    }

    #[test]
    fn gateway_records_are_detected() {
        let dns = r#"{"Datetime":"2024-03-14T09:26:53Z","DeviceID":"4f1c","Email":"alice@example.com","QueryName":"example.com","QueryNameReversed":"com.example","QueryType":1,"QueryTypeName":"A","RCode":0,"ResolverDecision":"allowedOnNoPolicyMatch","SrcIP":"198.51.100.7","DstIP":"192.0.2.1"}"#;
        assert_eq!(detected(dns), "gateway_dns");
        let http = r#"{"Action":"block","Datetime":"2024-03-14T09:26:53Z","DestinationIP":"192.0.2.10","HTTPHost":"example.com","HTTPMethod":"GET","HTTPStatusCode":403,"IsIsolated":false,"RequestID":"1884fec9b6","SessionID":"5f2d","SourceIP":"198.51.100.7","URL":"https://example.com/","UserAgent":"curl/8.4.0"}"#;
        assert_eq!(detected(http), "gateway_http");
        let network = r#"{"Action":"allowedOnNoRuleMatch","Datetime":"2024-03-14T09:26:53Z","DestinationIP":"192.0.2.10","DestinationPort":443,"OverrideIP":"","OverridePort":0,"SNI":"example.com","SessionID":"5f2d","SourceIP":"198.51.100.7","SourcePort":50123,"TransportProtocol":"tcp"}"#;
        assert_eq!(detected(network), "gateway_network");
        let deprecated = r#"{"Action":"allow","Datetime":1710408413,"DestinationIP":"192.0.2.10","SessionID":"5f2d","SourceIP":"198.51.100.7","Transport":"udp"}"#;
        assert_eq!(detected(deprecated), "gateway_network");
        // The look-alike: sessions share SessionID, SNI, Source/Destination keys, not Datetime/Action.
        let sessions = r#"{"BytesReceived":5120,"BytesSent":860,"DetectedProtocol":"HTTP","DeviceID":"4f1c","Email":"alice@example.com","OriginIP":"192.0.2.10","OriginPort":443,"SNI":"example.com","SessionEndTime":"2024-03-14T09:27:01Z","SessionID":"5f2d","SessionStartTime":"2024-03-14T09:26:53Z","SourceIP":"198.51.100.7","SourcePort":50123,"Offramp":"INTERNET"}"#;
        assert_eq!(detected(sessions), "zero_trust_network_sessions");
    }

    #[test]
    fn answer_records_decode() {
        let a = base64("CHNlY3VyaXR5BnVidW50dQNjb20AAAEAAQAAAAgABLl9vic=").expect("base64");
        assert_eq!(
            decode_rr(&a),
            Some(Answer {
                name: "security.ubuntu.com".into(),
                kind: Some("A"),
                class: Some("IN"),
                ttl: 8,
                data: Some("185.125.190.39".into())
            })
        );
        // A CNAME to `www.example.com`, TTL 300.
        let mut cname = b"\x03www\x07example\x03org\x00\x00\x05\x00\x01\x00\x00\x01\x2c\x00\x11".to_vec();
        cname.extend_from_slice(b"\x03www\x07example\x03com\x00");
        assert_eq!(decode_rr(&cname).and_then(|a| a.data), Some("www.example.com".into()));
        // Truncated, a pointer, a bad length: nothing, no panic.
        for bad in [&a[..20], b"\xc0\x0c\x00\x01", b"\x05ab", b""] {
            assert_eq!(decode_rr(bad), None);
        }
        assert_eq!(base64("not base64!"), None);
    }
}
