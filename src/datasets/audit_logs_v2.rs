//! `audit_logs_v2`: the account audit trail in Cloudflare's second audit-log format (who did
//! what to which resource, with the actor's context and token, and the API request made).
//!
//! The same ECS picture as `audit_logs` and its API format: the action as `event.action`
//! (lower-cased, as the API format does) with `event.category`/`event.type` from it
//! (`audit_action::categorize`), the result as `event.outcome`, the actor as `user.*` and
//! `source.ip`, the account as `cloud.account.*`, the entry's ID as `event.id`. Version 2
//! names the verb (`create`) and the resource (`ResourceProduct` `members`) apart, so an
//! action on an identity (member, token, role, user) is an `iam` event rather than a
//! `configuration` one. `Raw`, the API request behind the action, gives `http.request.method`,
//! `http.response.status_code`, `url.*` and `user_agent.*`; its other keys (`cf_ray_id`) stay
//! as `cloudflare.Raw.*`.
//!
//! ECS has no home for the actor's type, context (`dash`, `api_token`) and token, nor for the
//! resource: they stay under `cloudflare.*` (`ActorType`, `ActorContext`,
//! `ActorTokenDetails`, `Resource*`), as the zone does (`ZoneID`, `ZoneName`). The resource's
//! request, response and value are kept too (as the API format keeps `newValue`), unlike
//! version 1's `NewValue`/`OldValue`, which the seed samples leave in `message` only.

use std::borrow::Cow;

use super::audit_action::{as_iam, categorize};
use super::request;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use super::zero_trust::{url_text, user};
use crate::doc::{Doc, Endpoint};
use crate::ecs::time::Unit;
use crate::json;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "audit_logs_v2",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        ecs("AccountName", Str),
        kept("ActionDescription", Str),
        kept("ActionResult", Str),
        ecs("ActionTimestamp", Time),
        ecs("ActionType", Str),
        kept("ActorContext", Str),
        ecs("ActorEmail", Str),
        ecs("ActorID", Str),
        ecs("ActorIPAddress", Str),
        kept("ActorTokenDetails", Object),
        kept("ActorType", Str),
        ecs("AuditLogID", Str),
        kept("Raw", Object),
        kept("ResourceID", Str),
        kept("ResourceProduct", Str),
        kept("ResourceRequest", Object),
        kept("ResourceResponse", Object),
        kept("ResourceScope", Str),
        kept("ResourceType", Str),
        kept("ResourceValue", Object),
        kept("ZoneID", Str),
        kept("ZoneName", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_const("cloud.provider", "cloudflare");

    let mut action = None;
    let mut identity = false;
    for field in fields {
        match field.key() {
            "ActionTimestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "ActionType" => match field.as_str() {
                Some(text) => action = Some(text).filter(|t| !t.is_empty()),
                None => doc.keyword("event.action", field),
            },
            "ActionResult" => outcome(doc, field),
            "AuditLogID" => doc.keyword("event.id", field),
            "AccountID" => doc.keyword("cloud.account.id", field),
            "AccountName" => doc.keyword("cloud.account.name", field),
            "ActorEmail" => user(doc, "user.email", field),
            "ActorID" => user(doc, "user.id", field),
            "ActorIPAddress" => doc.endpoint_ip(Endpoint::Source, field),
            "Raw" => raw(doc, field),
            "ResourceProduct" | "ResourceType" => {
                identity |= field.as_str().is_some_and(|text| names_identity(&text));
                doc.vendor(field);
            }
            _ => doc.vendor(field),
        }
    }

    let action = action.map(crate::ecs::lowercase);
    let (category, event_type) = match action.as_deref().map(categorize) {
        Some(categories) if identity => as_iam(categories),
        Some(categories) => categories,
        None => (&[][..], &["info"][..]),
    };
    doc.put_list("event.category", category);
    doc.put_list("event.type", event_type);
    if let Some(action) = action {
        doc.put_str("event.action", action);
    }
}

/// `success`/`failure` → `event.outcome`; another value stays as `cloudflare.ActionResult`.
fn outcome<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let text = field.as_str().unwrap_or_default();
    if text.eq_ignore_ascii_case("success") {
        doc.put_const("event.outcome", "success");
    } else if text.eq_ignore_ascii_case("failure") || text.eq_ignore_ascii_case("failed") {
        doc.put_const("event.outcome", "failure");
    } else {
        doc.vendor(field);
    }
}

/// Whether a resource product or type is an identity: an account member, a user, an API
/// token or key, a role or permission group.
fn names_identity(resource: &str) -> bool {
    let resource = resource.as_bytes();
    ["member", "user", "token", "api_key", "api key", "role", "permission"]
        .iter()
        .any(|word| resource.windows(word.len()).any(|window| window.eq_ignore_ascii_case(word.as_bytes())))
}

/// The API request behind the action: `method`, `status_code`, `uri`, `user_agent` to ECS,
/// other keys kept as `cloudflare.Raw.*`. Not an object: kept as it is (a bad field unless
/// empty).
fn raw<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(entries) = field.as_object() else {
        if !json::is_empty_value(field.raw()) {
            doc.bad_field(field, "expected an object");
        }
        return;
    };
    let mut rest = Vec::new();
    for entry in entries {
        match entry.key() {
            "method" if entry.as_str().is_some() => doc.keyword("http.request.method", &entry),
            "status_code" if entry.as_integer().is_some() => doc.integer("http.response.status_code", &entry),
            "uri" if entry.as_str().is_some() => url_text(doc, entry.as_str().unwrap_or_default()),
            "user_agent" if entry.as_str().is_some() => request::user_agent(doc, &entry),
            // Anything else, and the values above that are not what they should be, stay
            // where they were.
            _ => rest.push(entry),
        }
    }
    doc.vendor_object(Cow::Borrowed("Raw"), &rest);
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    fn detected(json: &str) -> Option<String> {
        detect(&parse_fields(json).ok()?).map(|schema| schema.name())
    }

    #[test]
    fn told_apart_from_audit_logs_and_the_api_format() {
        let v2 = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","ActionResult":"success","ActionTimestamp":"2024-04-26T17:31:07Z","ActionType":"create","ActorEmail":"alice@example.com","ActorID":"f6b5de0326bb5182b8a4840ee01ec774","ActorIPAddress":"198.51.100.10","ActorType":"user","AuditLogID":"c9ef0f47-f3a5-4f86-9d4c-3e5e0e3b1a2c","ResourceID":"1","ResourceProduct":"members","ResourceScope":"accounts","ResourceType":"account"}"#;
        assert_eq!(detected(v2).as_deref(), Some("audit_logs_v2"));
        // The fields both versions have, alone, name neither.
        let shared = r#"{"ActionType":"create","ActorEmail":"alice@example.com","ActorID":"1","ResourceType":"zone"}"#;
        assert_eq!(detected(shared), None);
        // A field of either version's own is enough.
        let v2_time = r#"{"ActionTimestamp":1714152667,"ActionType":"create","ActorEmail":"alice@example.com"}"#;
        assert_eq!(detected(v2_time).as_deref(), Some("audit_logs_v2"));
        let v1 = r#"{"ActionResult":true,"ActionType":"create","ActorEmail":"alice@example.com","ActorIP":"198.51.100.10","ID":"1","OwnerID":"2","When":"2024-04-26T17:31:07Z"}"#;
        assert_eq!(detected(v1).as_deref(), Some("audit_logs"));
        let api = r#"{"action":{"result":true,"type":"create"},"actor":{"email":"alice@example.com","id":"1","ip":"198.51.100.10","type":"user"},"id":"1","interface":"API","when":"2024-04-26T17:31:07Z"}"#;
        assert_eq!(detected(api).as_deref(), Some("audit_logs/api"));
        // The v2 API's nested records are the API format (`audit_logs`), not Logpush's v2.
        let api_v2 = r#"{"account":{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"Acme Corp"},"action":{"description":"Add Member","result":"success","time":"2024-04-26T17:31:07Z","type":"create"},"actor":{"context":"dash","email":"alice@example.com","id":"1","ip_address":"198.51.100.10","type":"user"},"id":"c9ef0f47-f3a5-4f86-9d4c-3e5e0e3b1a2c","raw":{"method":"POST","status_code":200},"resource":{"id":"1","product":"members","scope":"accounts","type":"account"},"zone":{}}"#;
        assert_eq!(detected(api_v2).as_deref(), Some("audit_logs/api"));
    }
}
