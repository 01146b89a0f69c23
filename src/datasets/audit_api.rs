//! The account audit log as Cloudflare's API returns it (`GET /accounts/{id}/audit_logs`,
//! and Logpull-era collectors): the `audit_logs` data with nested camelCase keys
//! (`actor`/`action`/`resource`/`owner`/`when`). Mapped as the reference sample (seed 003)
//! shows: `event.action` lower-cased, `event.category`/`event.type` from the action,
//! `event.outcome` from `action.result`, the actor as `user.*` and `source.ip`.
//!
//! Keys without an ECS home keep their nesting under `cloudflare.*` (`cloudflare.actor.type`,
//! `cloudflare.resource.id`, `cloudflare.metadata`, ...).

use std::borrow::Cow;

use crate::doc::{Doc, Endpoint};
use crate::ecs::time::Unit;
use crate::json;
use crate::record::Field;

use super::audit_action::categorize;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};

pub const SCHEMA: Schema = Schema {
    dataset: "audit_logs",
    variant: "api",
    fields: &[
        kept("action", Object),
        kept("actor", Object),
        ecs("id", Str),
        ecs("interface", Str),
        kept("metadata", Object),
        kept("newValue", Str),
        kept("newValueJson", Object),
        kept("oldValue", Str),
        kept("oldValueJson", Object),
        kept("owner", Object),
        kept("resource", Object),
        ecs("when", Time),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_const("cloud.provider", "cloudflare");

    let mut action = None;
    for field in fields {
        match field.key() {
            "when" => doc.timestamp("@timestamp", field, Unit::Auto),
            "id" => doc.keyword("event.id", field),
            "interface" => doc.keyword("event.provider", field),
            "action" => action = action_object(doc, field),
            "actor" => actor(doc, field),
            "resource" => resource(doc, field),
            _ => doc.vendor(field),
        }
    }

    let action = action.map(crate::ecs::lowercase);
    let (category, event_type) = action.as_deref().map_or((&[][..], &["info"][..]), categorize);
    doc.put_list("event.category", category);
    doc.put_list("event.type", event_type);
    if let Some(action) = action {
        doc.put_str("event.action", action);
    }
}

/// `action.type` (returned for `event.action`), `action.result` → `event.outcome`; other
/// keys (`info`) stay as `cloudflare.action.*`.
fn action_object<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> Option<Cow<'a, str>> {
    let mut action_type = None;
    let rest = nested(doc, field, |doc, entry| match entry.key() {
        "type" => match entry.as_str() {
            Some(value) => {
                action_type = Some(value);
                true
            }
            None => false,
        },
        "result" => match entry.as_bool() {
            Some(result) => {
                doc.put_str("event.outcome", if result { "success" } else { "failure" });
                true
            }
            None => false,
        },
        _ => false,
    });
    keep(doc, field, rest);
    action_type.filter(|t| !t.is_empty())
}

/// `actor.email`/`id` → `user.*` (the id also `related.user`), `actor.ip` → `source.ip`;
/// `actor.type` stays as `cloudflare.actor.type`.
fn actor<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let rest = nested(doc, field, |doc, entry| match entry.key() {
        "email" => {
            doc.keyword("user.email", entry);
            true
        }
        "id" => {
            if let Some(id) = entry.as_str() {
                doc.related_user(id);
            }
            doc.keyword("user.id", entry);
            true
        }
        "ip" => {
            doc.endpoint_ip(Endpoint::Source, entry);
            true
        }
        _ => false,
    });
    keep(doc, field, rest);
}

/// Kept whole as `cloudflare.resource`; a resource that is a user is also one of
/// `related.user`.
fn resource<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let entries = field.as_object().unwrap_or_default();
    let text = |key: &str| entries.iter().find(|e| e.key() == key).and_then(Field::as_str);
    if text("type").as_deref() == Some("user")
        && let Some(id) = text("id")
    {
        doc.related_user(id);
    }
    doc.vendor(field);
}

/// Runs `claim` on each entry of an object field; returns the entries it did not claim.
/// A field that is not an object is kept as it is (a bad field unless empty).
fn nested<'a>(
    doc: &mut Doc<'a>,
    field: &Field<'a>,
    mut claim: impl FnMut(&mut Doc<'a>, &Field<'a>) -> bool,
) -> Option<Vec<Field<'a>>> {
    let Some(entries) = field.as_object() else {
        if !json::is_empty_value(field.raw()) {
            doc.bad_field(field, "expected an object");
        }
        return None;
    };
    Some(entries.into_iter().filter(|entry| !claim(doc, entry)).collect())
}

/// Keeps the unclaimed entries as `cloudflare.<field>.<entry>`.
fn keep<'a>(doc: &mut Doc<'a>, field: &Field<'a>, rest: Option<Vec<Field<'a>>>) {
    if let Some(rest) = rest {
        doc.vendor_object(field.key_cow(), &rest);
    }
}
