//! `access_requests`: Cloudflare Access login and logout decisions.

use crate::doc::{Doc, Endpoint, URL, slice_of};
use crate::ecs::time::Unit;
use crate::record::Field;

use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};

pub const SCHEMA: Schema = Schema {
    dataset: "access_requests",
    variant: "",
    fields: &[
        ecs("Action", Str),
        ecs("Allowed", Bool),
        ecs("AppDomain", Str),
        kept("AppUUID", Str),
        kept("Connection", Str),
        ecs("Country", Str),
        ecs("CreatedAt", Time),
        ecs("Email", Str),
        ecs("IPAddress", Str),
        kept("PurposeJustificationPrompt", Str),
        kept("PurposeJustificationResponse", Str),
        kept("RayID", Str),
        kept("TemporaryAccessApprovers", Strs),
        kept("TemporaryAccessDuration", Int),
        ecs("UserUID", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["authentication", "network"]);
    doc.put_const("observer.type", "proxy");

    let mut action = None;
    let mut allowed = None;
    for field in fields {
        match field.key() {
            "CreatedAt" => doc.timestamp("@timestamp", field, Unit::Auto),
            "Action" => {
                action = field.as_str();
                doc.keyword("event.action", field);
            }
            "Allowed" => allowed = field.as_bool(),
            "AppDomain" => app_domain(field, doc),
            "Country" => doc.keyword("source.geo.country_iso_code", field),
            "Email" => doc.keyword("user.email", field),
            "IPAddress" => {
                doc.endpoint_ip(Endpoint::Client, field);
                doc.endpoint_ip(Endpoint::Source, field);
            }
            "UserUID" => doc.keyword("user.id", field),
            _ => doc.vendor(field),
        }
    }

    let (event_type, outcome): (&'static [&'static str], _) = match (action.as_deref(), allowed) {
        (_, Some(false)) => (&["connection", "denied"], "failure"),
        (Some("login"), _) => (&["connection", "start"], "success"),
        (Some("logout"), _) => (&["connection", "end"], "success"),
        _ => (&["info"], ""),
    };
    doc.put_list("event.type", event_type);
    doc.put_str("event.outcome", outcome);
}

/// `AppDomain` is a host possibly followed by a path (`team.cloudflareaccess.com/cdn-cgi/...`):
/// kept whole in `url.domain` and `related.hosts`, as in the seed samples, split by its host.
fn app_domain<'a>(field: &Field<'a>, doc: &mut Doc<'a>) {
    let Some(value) = field.as_str() else {
        return doc.keyword("url.domain", field);
    };
    let host = slice_of(&value, value.split('/').next().unwrap_or_default());
    doc.domain_parts(&[&URL], &host);
    doc.related_host(value.clone());
    doc.put_str("url.domain", value);
}
