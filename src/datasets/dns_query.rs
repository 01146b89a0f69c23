//! DNS query helpers shared by the datasets that log DNS queries (`dns_logs`,
//! `dns_firewall_logs`, and the resolver datasets to come).

use super::request::string;
use crate::doc::{DNS_QUESTION, Doc, slice_of};
use crate::ecs::dns::{query_type_name, response_code_name};
use crate::ecs::domain::trim_dns_dots;
use crate::record::Field;

/// `dns.question.name` with its trailing dot removed, its public-suffix parts and
/// `related.hosts`.
pub(super) fn question_name<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    if let Some(name) = string(doc, field) {
        doc.domain(&DNS_QUESTION, slice_of(&name, trim_dns_dots(&name)));
    }
}

/// `dns.question.type` from the numeric RR type. Codes outside the IANA tables have no name:
/// the field is left out (the record stays in `message`), as in the seed samples.
pub(super) fn question_type<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    match field.as_u64() {
        Some(code) => doc.put_str("dns.question.type", query_type_name(code).unwrap_or_default()),
        None => doc.bad_field(field, "expected a DNS type number"),
    }
}

/// `dns.response_code` (`NoError`, `NXDomain`, ...) from the numeric RCODE.
pub(super) fn response_code<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    match field.as_u64() {
        Some(code) => doc.put_str("dns.response_code", response_code_name(code).unwrap_or_default()),
        None => doc.bad_field(field, "expected a DNS RCODE number"),
    }
}
