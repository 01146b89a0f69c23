//! `audit_logs`: the account configuration audit trail (version 1), as the seed samples map it.

use std::borrow::Cow;

use crate::doc::{Doc, Endpoint};
use crate::ecs::time::Unit;
use crate::json;
use crate::record::Field;

use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept, message_only};

pub const SCHEMA: Schema = Schema {
    dataset: "audit_logs",
    variant: "",
    fields: &[
        kept("ActionResult", Bool),
        ecs("ActionType", Str),
        ecs("ActorEmail", Str),
        ecs("ActorID", Str),
        ecs("ActorIP", Str),
        kept("ActorType", Str),
        kept("ID", Str),
        kept("Interface", Str),
        ecs("Metadata", Object),
        message_only("NewValue", Object),
        message_only("OldValue", Object),
        ecs("OwnerID", Str),
        kept("ResourceID", Str),
        kept("ResourceType", Str),
        ecs("When", Time),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_list("event.category", &["network"]);
    doc.put_list("event.type", &["access"]);
    doc.put_const("observer.type", "proxy");

    for field in fields {
        match field.key() {
            "When" => doc.timestamp("@timestamp", field, Unit::Auto),
            "ActionType" => doc.keyword("event.action", field),
            "ActorEmail" => doc.keyword("user.email", field),
            "ActorID" => doc.keyword("user.id", field),
            "ActorIP" => doc.endpoint_ip(Endpoint::Source, field),
            "OwnerID" => doc.keyword("cloud.account.id", field),
            "Metadata" => metadata(field, doc),
            // The audited item's before/after state is user data of any shape and size; it
            // stays in `message` only.
            "NewValue" | "OldValue" => {}
            _ => doc.vendor(field),
        }
    }
}

/// Keeps the Metadata keys the seed samples keep: the zone, and the `Request` object
/// flattened to `cloudflare.request_<key>`.
fn metadata<'a>(field: &Field<'a>, doc: &mut Doc<'a>) {
    let Some(entries) = field.as_object() else {
        if !json::is_empty_value(field.raw()) {
            doc.bad_field(field, "expected an object");
        }
        return;
    };
    for entry in &entries {
        match entry.key() {
            "zone_name" | "zone_tag" => doc.vendor(entry),
            "Request" => {
                for request_entry in entry.as_object().unwrap_or_default() {
                    let name = Cow::Owned(format!("request_{}", request_entry.key()));
                    doc.vendor_json(name, request_entry.raw());
                }
            }
            _ => {}
        }
    }
}
