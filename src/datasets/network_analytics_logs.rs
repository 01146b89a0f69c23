//! `network_analytics_logs`: packets sampled by Cloudflare's L3/4 DDoS protection (`dosd`,
//! `flowtrackd`) and Magic Firewall, for Magic Transit, Spectrum and Magic WAN customers.
//!
//! One record is one sampled packet, standing for `SampleInterval` packets like it. The
//! packet's addresses, ports, ASNs (with their names as `as.organization.name`) and countries
//! are `source.*`/`destination.*`; `IPProtocol` is `network.iana_number` and
//! `network.transport` (`IPProtocolName` when the number is missing), and the five-tuple (ICMP:
//! type and code) gives `network.community_id`. `network.packets`/`source.packets` is
//! `SampleInterval` (1 when absent or 0) and `network.bytes`/`source.bytes` is `IPTotalLength`
//! times it: the estimated traffic the sample stands for, as Network Analytics counts it; the
//! raw `IPTotalLength` and `SampleInterval` stay under `cloudflare.*`.
//! `Outcome` (`pass`, `drop`) is `event.action`: `drop` is `event.type` `connection`+`denied`
//! with `event.outcome` `failure`, `pass` `connection`+`allowed` with `success`; `Verdict`
//! (what the system would have done, differing in monitoring mode) is kept. The DDoS rule is
//! `rule.id`/`rule.name`/`rule.ruleset`, its attack vector `rule.category`, the mitigation
//! reason `event.reason`; `Direction` (relative to the customer's network) is
//! `network.direction` (`ingress`/`egress`, as ECS names a perimeter's view). The data
//! center is `observer.*` (`ColoCode` `observer.geo.name` as in every dataset, the site
//! `ColoName` `observer.name`, its city and country). A sampled DNS query's name and type are
//! `dns.question.*`. Header fields (TCP, GRE, IPv4/IPv6 options, checksums, TTL, geohashes)
//! have no ECS home and stay under `cloudflare.*`.

use super::dns_query::question_name;
use super::flow::{lowercase, protocol_field, protocol_number, put_community_id, time};
use super::request::string;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Endpoint, Value};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "network_analytics_logs",
    variant: "",
    fields: &[
        kept("AttackCampaignID", Str),
        kept("AttackID", Str),
        ecs("AttackVector", Str),
        ecs("ColoCity", Str),
        ecs("ColoCode", Str),
        ecs("ColoCountry", Str),
        kept("ColoGeoHash", Str),
        ecs("ColoName", Str),
        ecs("Datetime", Time),
        ecs("DestinationASN", Int),
        ecs("DestinationASNName", Str),
        ecs("DestinationCountry", Str),
        kept("DestinationGeoHash", Str),
        ecs("DestinationPort", Int),
        kept("Direction", Str), // `network.direction` when `ingress` or `egress`, else kept
        kept("GREChecksum", Int),
        kept("GREEtherType", Int),
        kept("GREHeaderLength", Int),
        kept("GREKey", Int),
        kept("GRESequenceNumber", Int),
        kept("GREVersion", Int),
        kept("ICMPChecksum", Int),
        kept("ICMPCode", Int), // and `network.community_id`
        kept("ICMPType", Int), // and `network.community_id`
        ecs("IPDestinationAddress", Str),
        kept("IPDestinationSubnet", Str),
        kept("IPFragmentOffset", Int),
        kept("IPHeaderLength", Int),
        kept("IPMoreFragments", Int),
        ecs("IPProtocol", Int),
        ecs("IPProtocolName", Str),
        ecs("IPSourceAddress", Str),
        kept("IPSourceSubnet", Str),
        kept("IPTTL", Int),
        kept("IPTTLBuckets", Int),
        kept("IPTotalLength", Int), // and `*.bytes`, scaled by `SampleInterval`
        kept("IPTotalLengthBuckets", Int),
        kept("IPv4Checksum", Int),
        kept("IPv4DSCP", Int),
        kept("IPv4DontFragment", Int),
        kept("IPv4ECN", Int),
        kept("IPv4Identification", Int),
        kept("IPv4Options", Str),
        kept("IPv6DSCP", Int),
        kept("IPv6ECN", Int),
        kept("IPv6ExtensionHeaders", Str),
        kept("IPv6FlowLabel", Int),
        kept("IPv6Identification", Int),
        ecs("MitigationReason", Str),
        kept("MitigationScope", Str),
        kept("MitigationSystem", Str),
        ecs("Outcome", Str),
        kept("ProtocolState", Str),
        ecs("RuleID", Str),
        ecs("RuleName", Str),
        ecs("RulesetID", Str),
        kept("RulesetOverrideID", Str),
        kept("SampleInterval", Int), // and `*.packets`, `*.bytes`
        ecs("SourceASN", Int),
        ecs("SourceASNName", Str),
        ecs("SourceCountry", Str),
        kept("SourceGeoHash", Str),
        ecs("SourcePort", Int),
        kept("TCPAcknowledgementNumber", Int),
        kept("TCPChecksum", Int),
        kept("TCPDataOffset", Int),
        kept("TCPFlags", Int),
        kept("TCPFlagsString", Str),
        kept("TCPMSS", Int),
        kept("TCPOptions", Str),
        kept("TCPSACKBlocks", Str),
        kept("TCPSACKPermitted", Int),
        kept("TCPSequenceNumber", Int),
        kept("TCPTimestampECR", Int),
        kept("TCPTimestampValue", Int),
        kept("TCPUrgentPointer", Int),
        kept("TCPWindowScale", Int),
        kept("TCPWindowSize", Int),
        kept("UDPChecksum", Int),
        kept("UDPPayloadLength", Int),
        kept("Verdict", Str),
        ecs("DNSQueryName", Str),
        ecs("DNSQueryType", Str),
        kept("PFPCustomTag", Int),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_const("observer.type", "firewall");

    let (mut source, mut destination) = (None, None);
    let (mut source_port, mut destination_port) = (None, None);
    let (mut icmp_type, mut icmp_code) = (None, None);
    let (mut protocol, mut protocol_name) = (None, None);
    let (mut length, mut interval) = (None, None);
    let mut outcome = None;
    for field in fields {
        match field.key() {
            "Datetime" => _ = time(doc, &["@timestamp"], field),
            "IPSourceAddress" => {
                source = field.as_str();
                doc.endpoint_ip(Endpoint::Source, field);
            }
            "IPDestinationAddress" => {
                destination = field.as_str();
                doc.endpoint_ip(Endpoint::Destination, field);
            }
            "SourcePort" => source_port = doc.integer_at(&["source.port"], field),
            "DestinationPort" => destination_port = doc.integer_at(&["destination.port"], field),
            "SourceASN" => doc.integer("source.as.number", field),
            "DestinationASN" => doc.integer("destination.as.number", field),
            "SourceASNName" => doc.keyword("source.as.organization.name", field),
            "DestinationASNName" => doc.keyword("destination.as.organization.name", field),
            "SourceCountry" => doc.keyword("source.geo.country_iso_code", field),
            "DestinationCountry" => doc.keyword("destination.geo.country_iso_code", field),
            "IPProtocol" => {
                if let Some(number) = protocol_field(doc, field) {
                    protocol = number;
                }
            }
            "IPProtocolName" => {
                protocol_name = field.as_str().as_deref().and_then(protocol_number);
                lowercase(doc, "network.transport", field);
            }
            "ICMPType" => {
                icmp_type = field.as_i64();
                doc.vendor(field);
            }
            "ICMPCode" => {
                icmp_code = field.as_i64();
                doc.vendor(field);
            }
            "IPTotalLength" => {
                length = field.as_i64();
                doc.vendor(field);
            }
            "SampleInterval" => {
                interval = field.as_i64();
                doc.vendor(field);
            }
            "Outcome" => {
                outcome = string(doc, field);
                if let Some(outcome) = &outcome {
                    doc.put_str("event.action", outcome.clone());
                }
            }
            "MitigationReason" => doc.keyword("event.reason", field),
            "RuleID" => doc.keyword("rule.id", field),
            "RuleName" => doc.keyword("rule.name", field),
            "RulesetID" => doc.keyword("rule.ruleset", field),
            "AttackVector" => doc.keyword("rule.category", field),
            "Direction" => match field.as_str() {
                Some(direction) if direction == "ingress" || direction == "egress" => {
                    doc.put_str("network.direction", direction)
                }
                _ => doc.vendor(field),
            },
            "ColoCode" => doc.keyword("observer.geo.name", field),
            "ColoName" => doc.keyword("observer.name", field),
            "ColoCity" => doc.keyword("observer.geo.city_name", field),
            "ColoCountry" => doc.keyword("observer.geo.country_iso_code", field),
            "DNSQueryName" => {
                if field.as_str().is_some_and(|name| !name.is_empty()) {
                    doc.put_const("network.protocol", "dns");
                }
                question_name(doc, field);
            }
            "DNSQueryType" => doc.keyword("dns.question.type", field),
            _ => doc.vendor(field),
        }
    }

    let (event_type, result): (&'static [&'static str], &'static str) = match outcome.as_deref() {
        Some(o) if o.eq_ignore_ascii_case("drop") => (&["connection", "denied"], "failure"),
        Some(o) if o.eq_ignore_ascii_case("pass") => (&["connection", "allowed"], "success"),
        _ => (&["connection"], ""),
    };
    doc.put_list("event.type", event_type);
    doc.put_const("event.outcome", result);

    // The traffic the sample stands for.
    let packets = interval.filter(|&n| n > 0).unwrap_or(1);
    doc.put("network.packets", Value::Int(packets));
    doc.put("source.packets", Value::Int(packets));
    if let Some(length) = length.filter(|&n| n > 0) {
        let bytes = length.saturating_mul(packets);
        doc.put("network.bytes", Value::Int(bytes));
        doc.put("source.bytes", Value::Int(bytes));
    }

    let protocol = protocol.or(protocol_name);
    let ports = match protocol {
        Some(1 | 58) => (icmp_type, icmp_code),
        _ => (source_port, destination_port),
    };
    put_community_id(doc, source.as_deref(), destination.as_deref(), protocol, ports);
}

#[cfg(test)]
mod tests {
    use crate::datasets::Schema;
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn sampled_packets_are_detected() {
        let packet = r#"{"AttackID":"","ColoCode":"AMS","ColoName":"ams01","Datetime":"2024-05-02T10:00:00Z","DestinationPort":443,"Direction":"ingress","IPDestinationAddress":"203.0.113.50","IPProtocol":6,"IPSourceAddress":"198.51.100.9","IPTotalLength":60,"MitigationSystem":"dosd","Outcome":"drop","SampleInterval":1000,"SourcePort":40000,"Verdict":"drop"}"#;
        let detected = detect(&parse_fields(packet).unwrap()).map(Schema::name);
        assert_eq!(detected.as_deref(), Some("network_analytics_logs"));
    }
}
