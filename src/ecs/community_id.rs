//! Community ID v1 flow hashes (`network.community_id`), as the Community ID specification
//! (corelight/community-id-spec) and Elastic's `community_id` ingest processor compute them.
//!
//! The hash is `1:` + base64(SHA-1(seed (u16, big-endian), source IP, destination IP,
//! protocol (u8), a zero byte, source port, destination port (u16s, big-endian))) with the
//! seed 0 and the endpoints ordered (the smaller IP first, or the smaller port when the IPs
//! are equal) so that both directions of a flow give the same ID. Ports are hashed for TCP,
//! UDP and SCTP; ICMP and ICMPv6 hash the message type and its counterpart type (echo ↔ echo
//! reply, …) in their place, or the type and code of a one-way message (which is not
//! reordered); other protocols hash no ports.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// IANA protocol numbers the hash treats specially.
pub const ICMP: u8 = 1;
pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const ICMPV6: u8 = 58;
pub const SCTP: u8 = 132;

/// The transport-layer part of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ports {
    /// TCP, UDP, SCTP: source and destination port.
    Transport(u16, u16),
    /// ICMP, ICMPv6: the message's type and code.
    Icmp { kind: u8, code: u8 },
    /// Other protocols (GRE, ESP, …), or ports unknown.
    None,
}

/// The Community ID of a flow from `source` to `destination`, seed 0; `None` when the two
/// addresses are of different families, or when a port-carrying protocol (TCP, UDP, SCTP,
/// ICMP) comes without its ports.
pub fn community_id(source: IpAddr, destination: IpAddr, protocol: u8, ports: Ports) -> Option<String> {
    let (port_a, port_b, one_way) = match (protocol, ports) {
        (TCP | UDP | SCTP, Ports::Transport(a, b)) => (Some(a), Some(b), false),
        (ICMP, Ports::Icmp { kind, code }) => icmp_ports(ICMP_V4_COUNTERPARTS, kind, code),
        (ICMPV6, Ports::Icmp { kind, code }) => icmp_ports(ICMP_V6_COUNTERPARTS, kind, code),
        (TCP | UDP | SCTP | ICMP | ICMPV6, _) => return None,
        (_, _) => (None, None, false),
    };
    let mut hash = sha1_smol::Sha1::new();
    hash.update(&0u16.to_be_bytes());
    let ordered = |a: &[u8], b: &[u8]| one_way || a < b || (a == b && port_a.unwrap_or(0) <= port_b.unwrap_or(0));
    let (first, second) = match (source, destination) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            let (s, d) = (s.octets(), d.octets());
            let keep = ordered(&s, &d);
            hash_addresses(&mut hash, &s, &d, keep);
            swap_if(keep, port_a, port_b)
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            let (s, d) = (s.octets(), d.octets());
            let keep = ordered(&s, &d);
            hash_addresses(&mut hash, &s, &d, keep);
            swap_if(keep, port_a, port_b)
        }
        _ => return None,
    };
    hash.update(&[protocol, 0]);
    if let (Some(first), Some(second)) = (first, second) {
        hash.update(&first.to_be_bytes());
        hash.update(&second.to_be_bytes());
    }
    let mut id = String::with_capacity(30);
    id.push_str("1:");
    STANDARD.encode_string(hash.digest().bytes(), &mut id);
    Some(id)
}

/// The Community ID of a flow given as text (IPv4-mapped IPv6 taken as IPv4, as everywhere
/// in ECS fields); `None` when an address does not parse (see [`community_id`]).
pub fn of_text(source: &str, destination: &str, protocol: u8, ports: Ports) -> Option<String> {
    let source = crate::ecs::ip::normalize(source)?.parse().ok()?;
    let destination = crate::ecs::ip::normalize(destination)?.parse().ok()?;
    community_id(source, destination, protocol, ports)
}

fn hash_addresses(hash: &mut sha1_smol::Sha1, source: &[u8], destination: &[u8], keep: bool) {
    let (first, second) = if keep { (source, destination) } else { (destination, source) };
    hash.update(first);
    hash.update(second);
}

fn swap_if(keep: bool, a: Option<u16>, b: Option<u16>) -> (Option<u16>, Option<u16>) {
    if keep { (a, b) } else { (b, a) }
}

/// ICMP message types that have a counterpart (request ↔ reply), per the specification.
const ICMP_V4_COUNTERPARTS: &[(u8, u8)] =
    &[(8, 0), (0, 8), (13, 14), (14, 13), (15, 16), (16, 15), (10, 9), (9, 10), (17, 18), (18, 17)];
const ICMP_V6_COUNTERPARTS: &[(u8, u8)] = &[
    (128, 129),
    (129, 128),
    (133, 134),
    (134, 133),
    (135, 136),
    (136, 135),
    (130, 131),
    (131, 130),
    (139, 140),
    (140, 139),
    (144, 145),
    (145, 144),
];

/// (port equivalents, one-way): a type with a counterpart hashes (type, counterpart) and is
/// ordered like ports; any other is one-way and hashes (type, code) as seen.
fn icmp_ports(counterparts: &[(u8, u8)], kind: u8, code: u8) -> (Option<u16>, Option<u16>, bool) {
    match counterparts.iter().find(|(t, _)| *t == kind) {
        Some(&(_, counterpart)) => (Some(u16::from(kind)), Some(u16::from(counterpart)), false),
        None => (Some(u16::from(kind)), Some(u16::from(code)), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(source: &str, destination: &str, protocol: u8, ports: Ports) -> Option<String> {
        of_text(source, destination, protocol, ports)
    }

    /// The specification's baseline (`baseline/baseline_deflt.json`, seed 0), where ICMP
    /// "ports" are the type and its counterpart type or code.
    #[test]
    fn specification_baseline() {
        let cases: &[(u8, &str, &str, u16, u16, &str)] = &[
            (6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="),
            (6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="),
            (17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="),
            (17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="),
            (132, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="),
            (132, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="),
            (
                6,
                "2001:470:e5bf:dead:4957:2174:e82c:4887",
                "2607:f8b0:400c:c03::1a",
                63943,
                25,
                "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
            ),
            (
                6,
                "2607:f8b0:400c:c03::1a",
                "2001:470:e5bf:dead:4957:2174:e82c:4887",
                25,
                63943,
                "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
            ),
        ];
        for &(protocol, source, destination, sport, dport, expected) in cases {
            assert_eq!(id(source, destination, protocol, Ports::Transport(sport, dport)).as_deref(), Some(expected));
        }
        // No ports (RSVP, 46).
        for (source, destination) in [("10.1.12.1", "10.1.12.2"), ("10.1.12.2", "10.1.12.1")] {
            assert_eq!(id(source, destination, 46, Ports::None).as_deref(), Some("1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="));
        }
    }

    #[test]
    fn specification_baseline_icmp() {
        let icmp = |kind, code| Ports::Icmp { kind, code };
        // Echo request and its reply.
        assert_eq!(
            id("192.168.0.89", "192.168.0.1", ICMP, icmp(8, 0)).as_deref(),
            Some("1:X0snYXpgwiv9TZtqg64sgzUn6Dk=")
        );
        assert_eq!(
            id("192.168.0.1", "192.168.0.89", ICMP, icmp(0, 0)).as_deref(),
            Some("1:X0snYXpgwiv9TZtqg64sgzUn6Dk=")
        );
        // Time exceeded: one-way.
        assert_eq!(id("10.0.0.1", "10.0.0.2", ICMP, icmp(11, 0)).as_deref(), Some("1:YHxtAirCG//0OzkcVAukqKQN9xM="));
        // ICMPv6 neighbor solicitation and advertisement, both ways.
        let (a, b) = ("fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea");
        assert_eq!(id(a, b, ICMPV6, icmp(135, 0)).as_deref(), Some("1:dGHyGvjMfljg6Bppwm3bg0LO8TY="));
        assert_eq!(id(b, a, ICMPV6, icmp(136, 0)).as_deref(), Some("1:dGHyGvjMfljg6Bppwm3bg0LO8TY="));
        assert_eq!(id(b, a, ICMPV6, icmp(135, 0)).as_deref(), Some("1:zavyT/cezQr1fmImYCwYnMXbgck="));
        assert_eq!(id(a, b, ICMPV6, icmp(136, 0)).as_deref(), Some("1:zavyT/cezQr1fmImYCwYnMXbgck="));
        // One-way ICMPv6: time exceeded, destination unreachable.
        assert_eq!(
            id("3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", ICMPV6, icmp(3, 0)).as_deref(),
            Some("1:2ObVBgIn28oZvibYZhZMBgh7WdQ=")
        );
        assert_eq!(
            id("3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", ICMPV6, icmp(1, 4)).as_deref(),
            Some("1:hLZd0XGWojozrvxqE0dWB1iM6R0=")
        );
        // Echo request/reply, router solicitation/advertisement.
        let (c, d) = ("3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2");
        assert_eq!(id(c, d, ICMPV6, icmp(128, 0)).as_deref(), Some("1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="));
        assert_eq!(id(d, c, ICMPV6, icmp(129, 0)).as_deref(), Some("1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="));
        assert_eq!(id(a, "ff02::2", ICMPV6, icmp(133, 0)).as_deref(), Some("1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="));
        assert_eq!(id(b, "ff02::1", ICMPV6, icmp(134, 0)).as_deref(), Some("1:pkvHqCL88/tg1k4cPigmZXUtL00="));
    }

    /// The `network.community_id` of Elastic's `spectrum_event` pipeline-test documents.
    #[test]
    fn elastic_spectrum_pairs() {
        let expected = Some("1:X7lywUVKlduqRq5SyCRaBj4hLP0=");
        assert_eq!(id("67.43.156.0", "175.16.199.0", TCP, Ports::Transport(40456, 3389)).as_deref(), expected);
        assert_eq!(id("175.16.199.0", "67.43.156.0", TCP, Ports::Transport(3389, 40456)).as_deref(), expected);
        assert_eq!(id("::ffff:67.43.156.0", "175.16.199.0", TCP, Ports::Transport(40456, 3389)).as_deref(), expected);
    }

    #[test]
    fn unusable_flows() {
        assert_eq!(id("192.0.2.1", "2001:db8::1", TCP, Ports::Transport(1, 2)), None);
        assert_eq!(id("192.0.2.1", "198.51.100.1", TCP, Ports::None), None);
        assert_eq!(id("192.0.2.1", "198.51.100.1", ICMP, Ports::Transport(8, 0)), None);
        assert_eq!(id("not an ip", "198.51.100.1", UDP, Ports::Transport(1, 2)), None);
        assert_eq!(id("", "198.51.100.1", UDP, Ports::Transport(1, 2)), None);
    }
}
