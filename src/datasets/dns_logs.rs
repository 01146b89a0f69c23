//! `dns_logs`: queries answered by Cloudflare's authoritative DNS for a zone.

use crate::doc::{DNS_QUESTION, Doc, Endpoint, slice_of};
use crate::ecs::domain::trim_dns_dots;
use crate::ecs::dns::{query_type_name, response_code_name};
use crate::ecs::time::Unit;
use crate::record::Field;

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_list("event.type", &["info"]);
    doc.put_const("observer.type", "dns");

    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "QueryName" => match field.as_str() {
                Some(name) => doc.domain(&DNS_QUESTION, slice_of(&name, trim_dns_dots(&name))),
                None => doc.bad_field(field, "expected a string"),
            },
            // Codes outside the IANA tables have no name: the field is left out (the record
            // stays in `message`), as in the seed samples.
            "QueryType" => match field.as_u64() {
                Some(code) => doc.put_str("dns.question.type", query_type_name(code).unwrap_or_default()),
                None => doc.bad_field(field, "expected a DNS type number"),
            },
            "ResponseCode" => match field.as_u64() {
                Some(code) => doc.put_str("dns.response_code", response_code_name(code).unwrap_or_default()),
                None => doc.bad_field(field, "expected a DNS RCODE number"),
            },
            "SourceIP" => doc.endpoint_ip(Endpoint::Source, field),
            _ => doc.vendor(field),
        }
    }
}
