//! `dns_firewall_logs`: queries handled by DNS Firewall, Cloudflare's caching proxy in front
//! of a customer's nameservers.
//!
//! The client is `source`; the upstream nameserver DNS Firewall asked is `destination`. The
//! answer the client got is `dns.response_code`; the upstream's own RCODE, the cluster and the
//! cache details have no ECS home and stay under `cloudflare.*`.

use super::dns_query::{question_name, question_type, response_code};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Endpoint};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "dns_firewall_logs",
    variant: "",
    fields: &[
        ecs("ClientResponseCode", Int),
        kept("ClusterID", Str),
        ecs("ColoCode", Str),
        kept("EDNSSubnet", Str),
        kept("EDNSSubnetLength", Int),
        ecs("QueryDO", Bool),
        ecs("QueryName", Str),
        ecs("QueryRD", Bool),
        ecs("QuerySize", Int),
        ecs("QueryTCP", Bool),
        ecs("QueryType", Int),
        kept("ResponseCached", Bool),
        kept("ResponseCachedStale", Bool),
        kept("ResponseReason", Str),
        ecs("SourceIP", Str),
        ecs("Timestamp", Time),
        ecs("UpstreamIP", Str),
        kept("UpstreamResponseCode", Int),
        kept("UpstreamResponseTimeMs", Int),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_list("event.type", &["info"]);
    doc.put_const("observer.type", "dns");
    doc.put_const("network.protocol", "dns");

    let (mut recursion_desired, mut dnssec_ok) = (false, false);
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "QueryName" => question_name(doc, field),
            "QueryType" => question_type(doc, field),
            "ClientResponseCode" => response_code(doc, field),
            "SourceIP" => doc.endpoint_ip(Endpoint::Source, field),
            "UpstreamIP" => doc.endpoint_ip(Endpoint::Destination, field),
            "QuerySize" => doc.integer("source.bytes", field),
            "ColoCode" => doc.keyword("observer.geo.name", field),
            "QueryTCP" => match field.as_bool() {
                Some(tcp) => doc.put_const("network.transport", if tcp { "tcp" } else { "udp" }),
                None => doc.bad_field(field, "expected a boolean"),
            },
            "QueryRD" => recursion_desired = flag(doc, field),
            "QueryDO" => dnssec_ok = flag(doc, field),
            _ => doc.vendor(field),
        }
    }
    doc.put_list(
        "dns.header_flags",
        match (recursion_desired, dnssec_ok) {
            (true, true) => &["RD", "DO"],
            (true, false) => &["RD"],
            (false, true) => &["DO"],
            (false, false) => &[],
        },
    );
}

/// A query header bit (`QueryRD`, `QueryDO`): set when `true`; anything but a boolean is a
/// bad field.
fn flag<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> bool {
    match field.as_bool() {
        Some(set) => set,
        None => {
            doc.bad_field(field, "expected a boolean");
            false
        }
    }
}
