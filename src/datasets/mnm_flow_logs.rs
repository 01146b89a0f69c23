//! `mnm_flow_logs`: flow records (NetFlow, IPFIX, sFlow, AWS VPC flow logs) that routers and
//! clouds send to Magic Network Monitoring.
//!
//! A flow record is one direction of traffic: `SourceAddress`/`SourcePort`/`SourceAS` are
//! `source.*`, the destination's `destination.*`, `Protocol` `network.iana_number` and
//! `network.transport`, and the five-tuple gives `network.community_id` (not for ICMP, whose
//! type and code exporters encode in the ports in different ways). `Bits`/8 is
//! `network.bytes` and `source.bytes`, `Packets` `network.packets` and `source.packets`, as the
//! exporter counted them: the sample rate (`SampleRate`, kept) is the sampler's, and whether
//! the counts are already scaled by it depends on the exporter, so they are not scaled here.
//! The egress counters have no ECS home and are kept. `Timestamp` is `@timestamp`,
//! `FlowTimestamp` (the flow's own time) `event.start`; the records carry no flow end except
//! in an AWS VPC flow (`AWSVPCFlowJSON`, kept as Cloudflare gives it), whose `start`/`end`
//! (epoch seconds) are `event.start`/`event.end` with `event.duration`, and whose `action`
//! (`ACCEPT`/`REJECT`) is `event.action` with `event.type` `allowed`/`denied`. The sampler
//! (the router or cloud that exported the flow) is `observer.ip`; a WARP device the flow came
//! through `device.id`; `Ethertype` 2048/34525 `network.type` `ipv4`/`ipv6`. No
//! `observer.type`: an exporting router is none of `proxy`, `dns` or `firewall`.

use super::flow::{duration, protocol_field, put_community_id, time};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Endpoint, Value};
use crate::ecs::time::{Timestamp, Unit};
use crate::record::{Field, parse_fields};

pub const SCHEMA: Schema = Schema {
    dataset: "mnm_flow_logs",
    variant: "",
    fields: &[
        kept("AWSVPCFlowJSON", Str), // and its `start`/`end`/`action` give `event.*`
        ecs("Bits", Int),
        ecs("DestinationAS", Int),
        ecs("DestinationAddress", Str),
        ecs("DestinationPort", Int),
        ecs("DeviceID", Str),
        kept("EgressBits", Int),
        kept("EgressPackets", Int),
        kept("Ethertype", Int), // `network.type` when IPv4 or IPv6, else kept
        kept("FlowProtocol", Str),
        ecs("FlowTimestamp", Time),
        kept("NumFlows", Int),
        kept("PacketID", Str),
        ecs("Packets", Int),
        ecs("Protocol", Int),
        kept("RuleIDs", Str),
        kept("SampleRate", Int),
        kept("SampleRateType", Str),
        ecs("SamplerAddress", Str),
        ecs("SourceAS", Int),
        ecs("SourceAddress", Str),
        ecs("SourcePort", Int),
        kept("TcpFlags", Int),
        ecs("Timestamp", Time),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);

    let (mut source, mut destination) = (None, None);
    let (mut source_port, mut destination_port) = (None, None);
    let mut protocol = None;
    let mut flow_time = None;
    let mut vpc = Vpc::default();
    for field in fields {
        match field.key() {
            "Timestamp" => _ = time(doc, &["@timestamp"], field),
            "FlowTimestamp" => flow_time = Some(field),
            "SourceAddress" => {
                source = field.as_str();
                doc.endpoint_ip(Endpoint::Source, field);
            }
            "DestinationAddress" => {
                destination = field.as_str();
                doc.endpoint_ip(Endpoint::Destination, field);
            }
            "SourcePort" => source_port = doc.integer_at(&["source.port"], field),
            "DestinationPort" => destination_port = doc.integer_at(&["destination.port"], field),
            "SourceAS" => doc.integer("source.as.number", field),
            "DestinationAS" => doc.integer("destination.as.number", field),
            "Protocol" => {
                if let Some(number) = protocol_field(doc, field) {
                    protocol = number;
                }
            }
            "Bits" => match field.as_i64().filter(|&n| n >= 0) {
                Some(bits) => {
                    doc.put("network.bytes", Value::Int(bits / 8));
                    doc.put("source.bytes", Value::Int(bits / 8));
                }
                None if crate::json::is_empty_value(field.raw()) => {}
                None => doc.bad_field(field, "expected a count of bits"),
            },
            "Packets" => _ = doc.integer_at(&["network.packets", "source.packets"], field),
            "SamplerAddress" => doc.ip("observer.ip", field),
            "DeviceID" => doc.keyword("device.id", field),
            "Ethertype" => match field.as_i64() {
                Some(0x0800) => doc.put_const("network.type", "ipv4"),
                Some(0x86dd) => doc.put_const("network.type", "ipv6"),
                _ => doc.vendor(field),
            },
            "AWSVPCFlowJSON" => {
                vpc = Vpc::of(field);
                doc.vendor(field);
            }
            _ => doc.vendor(field),
        }
    }

    let start = match vpc.start {
        Some(start) => {
            doc.put("event.start", Value::Time(start));
            if let Some(field) = flow_time {
                doc.vendor(field);
            }
            Some(start)
        }
        None => flow_time.and_then(|field| time(doc, &["event.start"], field)),
    };
    if let Some(start) = start {
        // Without `Timestamp` in the job, the record is still dated by its flow (a time
        // already put at `@timestamp` wins).
        doc.put("@timestamp", Value::Time(start));
    }
    if let Some(end) = vpc.end {
        doc.put("event.end", Value::Time(end));
        if let Some(start) = start {
            duration(doc, start, end);
        }
    }
    let event_type: &'static [&'static str] = match vpc.action {
        Some(Action::Accept) => {
            doc.put_const("event.action", "accept");
            doc.put_const("event.outcome", "success");
            &["connection", "allowed"]
        }
        Some(Action::Reject) => {
            doc.put_const("event.action", "reject");
            doc.put_const("event.outcome", "failure");
            &["connection", "denied"]
        }
        None => &["connection"],
    };
    doc.put_list("event.type", event_type);

    let ports = match protocol {
        Some(1 | 58) => (None, None),
        _ => (source_port, destination_port),
    };
    put_community_id(doc, source.as_deref(), destination.as_deref(), protocol, ports);
}

/// What an AWS VPC flow log record (`AWSVPCFlowJSON`) says about the flow's time and fate.
#[derive(Default)]
struct Vpc {
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    action: Option<Action>,
}

enum Action {
    Accept,
    Reject,
}

impl Vpc {
    /// Reads `start`, `end` (epoch seconds, numbers or strings) and `action` from the JSON
    /// text; anything else, or text that is not a JSON object, gives nothing.
    fn of(field: &Field<'_>) -> Vpc {
        let mut vpc = Vpc::default();
        let Some(text) = field.as_str() else {
            return vpc;
        };
        let Ok(entries) = parse_fields(&text) else {
            return vpc;
        };
        let seconds = |entry: &Field<'_>| {
            let value = entry.as_i64().or_else(|| entry.as_str().and_then(|s| s.trim().parse().ok()))?;
            Timestamp::from_integer(value, Unit::Auto).filter(|t| Some(*t) != Timestamp::new(0, 0))
        };
        for entry in &entries {
            match entry.key() {
                "start" => vpc.start = seconds(entry),
                "end" => vpc.end = seconds(entry),
                "action" => {
                    vpc.action = match entry.as_str().as_deref() {
                        Some(a) if a.eq_ignore_ascii_case("accept") => Some(Action::Accept),
                        Some(a) if a.eq_ignore_ascii_case("reject") => Some(Action::Reject),
                        _ => None,
                    }
                }
                _ => {}
            }
        }
        vpc
    }
}

#[cfg(test)]
mod tests {
    use crate::datasets::Schema;
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn flow_records_are_detected() {
        let flow = r#"{"Bits":96000,"DestinationAddress":"203.0.113.7","DestinationPort":443,"FlowProtocol":"NETFLOW_V9","FlowTimestamp":"2024-05-02T10:00:00Z","Packets":80,"Protocol":6,"SampleRate":1000,"SamplerAddress":"192.0.2.254","SourceAddress":"198.51.100.3","SourcePort":50000,"Timestamp":"2024-05-02T10:00:05Z"}"#;
        let detected = detect(&parse_fields(flow).unwrap()).map(Schema::name);
        assert_eq!(detected.as_deref(), Some("mnm_flow_logs"));
    }
}
