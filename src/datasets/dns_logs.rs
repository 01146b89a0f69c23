//! `dns_logs`: queries answered by Cloudflare's authoritative DNS for a zone.

use super::dns_query::{question_name, question_type, response_code};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Endpoint};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "dns_logs",
    variant: "",
    fields: &[
        kept("ColoCode", Str),
        kept("EDNSSubnet", Str),
        kept("EDNSSubnetLength", Int),
        ecs("QueryName", Str),
        ecs("QueryType", Int),
        kept("ResponseCached", Bool),
        ecs("ResponseCode", Int),
        ecs("SourceIP", Str),
        ecs("Timestamp", Time),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_list("event.type", &["info"]);
    doc.put_const("observer.type", "dns");

    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "QueryName" => question_name(doc, field),
            "QueryType" => question_type(doc, field),
            "ResponseCode" => response_code(doc, field),
            "SourceIP" => doc.endpoint_ip(Endpoint::Source, field),
            _ => doc.vendor(field),
        }
    }
}
