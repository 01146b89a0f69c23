//! Flow helpers shared by the datasets that describe sessions and flows
//! (`zero_trust_network_sessions`, `spectrum_events`, `network_analytics_logs`,
//! `mnm_flow_logs`, `magic_ids_detections`): session times, durations, transports by name or
//! IANA number, and `network.community_id`.

use super::request::string;
use crate::doc::{Doc, Value};
use crate::ecs::time::{Timestamp, Unit};
use crate::record::Field;

/// A time field put at `paths`; `0` or an empty value means "not set" (a session not yet
/// ended), not 1970. Returns the time for `event.duration`.
pub(super) fn time<'a>(doc: &mut Doc<'a>, paths: &[&'static str], field: &Field<'a>) -> Option<Timestamp> {
    let parsed = match field.as_str() {
        Some(text) if text.is_empty() => return None,
        Some(text) => Timestamp::parse_str(&text, Unit::Auto),
        None if crate::json::is_empty_value(field.raw()) => return None,
        None => field.as_i64().and_then(|n| Timestamp::from_integer(n, Unit::Auto)),
    };
    match parsed {
        Some(time) if Some(time) == Timestamp::new(0, 0) => None,
        Some(time) => {
            for path in paths {
                doc.put(path, Value::Time(time));
            }
            Some(time)
        }
        None => {
            doc.bad_field(field, "not a timestamp in a Logpush format");
            None
        }
    }
}

/// `event.duration` in nanoseconds, when the end is not before the start.
pub(super) fn duration(doc: &mut Doc<'_>, start: Timestamp, end: Timestamp) {
    if let Some(nanos) = end.nanos_since(&start).filter(|&ns| ns >= 0) {
        doc.put("event.duration", Value::Int(nanos));
    }
}

/// A keyword in lower case (`network.protocol`, `network.transport`).
pub(super) fn lowercase<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    if let Some(text) = string(doc, field) {
        doc.put_str(path, crate::ecs::lowercase(text));
    }
}

/// A transport name (`TCP`, `udp`, `ICMPV6`): `network.transport` by ECS's names and
/// `network.iana_number`; another value is only `network.transport`, in lower case. Returns
/// the IANA number when known.
pub(super) fn transport<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> Option<u8> {
    let text = string(doc, field)?;
    let number = protocol_number(&text);
    match number {
        Some(number) => put_transport(doc, number),
        None => doc.put_str("network.transport", crate::ecs::lowercase(text)),
    }
    number
}

/// The IANA number of a transport named as Cloudflare names them (`tcp`, `UDP`, `ICMPV6`).
pub(super) fn protocol_number(name: &str) -> Option<u8> {
    const NAMES: [(&str, u8); 6] =
        [("tcp", 6), ("udp", 17), ("icmp", 1), ("icmpv6", 58), ("ipv6-icmp", 58), ("sctp", 132)];
    NAMES.iter().find(|(known, _)| known.eq_ignore_ascii_case(name)).map(|&(_, number)| number)
}

/// An IANA protocol number field (`Protocol`, `IPProtocol`): `network.transport` and
/// `network.iana_number` (only the number above 255). `None` when the field holds no number;
/// else the number when it fits a `u8`, for `network.community_id`.
pub(super) fn protocol_field<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> Option<Option<u8>> {
    match field.as_i64().filter(|&n| n >= 0) {
        Some(number) => {
            let protocol = u8::try_from(number).ok();
            match protocol {
                Some(number) => put_transport(doc, number),
                None => doc.put_str("network.iana_number", number.to_string()),
            }
            Some(protocol)
        }
        None if crate::json::is_empty_value(field.raw()) => None,
        None => {
            doc.bad_field(field, "expected an IP protocol number");
            None
        }
    }
}

/// `network.transport` and `network.iana_number` of an IANA protocol number; protocols
/// without a usual ECS name get only the number.
pub(super) fn put_transport(doc: &mut Doc<'_>, number: u8) {
    let name = match number {
        1 => "icmp",
        2 => "igmp",
        4 => "ipv4",
        6 => "tcp",
        17 => "udp",
        41 => "ipv6",
        47 => "gre",
        50 => "esp",
        51 => "ah",
        58 => "ipv6-icmp",
        132 => "sctp",
        _ => "",
    };
    doc.put_const("network.transport", name);
    doc.put_str("network.iana_number", number.to_string());
}

/// `network.community_id` of a flow (see `ecs::community_id`), when both addresses parse and
/// the protocol's ports are known (`icmp`: the message's type and code).
pub(super) fn put_community_id(
    doc: &mut Doc<'_>,
    source: Option<&str>,
    destination: Option<&str>,
    protocol: Option<u8>,
    ports: (Option<i64>, Option<i64>),
) {
    use crate::ecs::community_id::{self, Ports};
    let (Some(source), Some(destination), Some(protocol)) = (source, destination, protocol) else {
        return;
    };
    let port = |p: Option<i64>| p.and_then(|p| u16::try_from(p).ok());
    let ports = match (protocol, port(ports.0), port(ports.1)) {
        (community_id::ICMP | community_id::ICMPV6, Some(kind), Some(code)) => {
            match (u8::try_from(kind), u8::try_from(code)) {
                (Ok(kind), Ok(code)) => Ports::Icmp { kind, code },
                _ => return,
            }
        }
        (_, Some(a), Some(b)) => Ports::Transport(a, b),
        _ => Ports::None,
    };
    if let Some(id) = community_id::of_text(source, destination, protocol, ports) {
        doc.put_str("network.community_id", id);
    }
}
