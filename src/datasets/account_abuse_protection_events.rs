//! `account_abuse_protection_events`: logins, sign-ups and other account events of a zone's
//! own users, as Cloudflare saw them at the edge, with its fraud and bot signals.
//!
//! `EventType` is `event.action`, and decides the categorization: a `login` is an
//! `authentication` `start`, a `logout` its `end`; a `signup` is `iam` `user`/`creation`, a
//! `profileUpdate` or `passwordReset` `iam` `user`/`change`; the other events (transactions,
//! payment methods, WARP enrollment, `unknown`) are `web` `info`. `AuthenticationStatus` is
//! `event.outcome` (`success`; every `failure…` value `failure`) and, as written,
//! `event.reason` (`failureIncorrectPassword`, `pendingMfa`, …).
//!
//! The user is `user.id`/`user.email` (both in `related.user`); the client `source`/`client`
//! (IP, ASN, city, country), the requested host `url.domain`/`destination.domain`, the Ray ID
//! `event.id`/`http.request.id`, as in `http_requests`. ECS 9.4 has no JA4 field: `JA4` is
//! kept, and is one of `related.hash`. The login method and identity provider, the bot score,
//! the e-mail risk, the Turnstile ephemeral ID and the event source stay under `cloudflare.*`.

use super::request::{UrlFields, client_ip, string, user_agent};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::Doc;
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "account_abuse_protection_events",
    variant: "",
    fields: &[
        kept("AuthenticationIdentityProvider", Str),
        kept("AuthenticationMethod", Str),
        ecs("AuthenticationStatus", Str),
        kept("BotScore", Int),
        ecs("ClientASN", Int),
        ecs("ClientCity", Str),
        ecs("ClientCountry", Str),
        ecs("ClientIP", Str),
        ecs("Email", Str),
        kept("EphemeralID", Str),
        kept("EventSource", Str),
        ecs("EventType", Str),
        kept("FraudEmailRisk", Str),
        ecs("Host", Str),
        kept("JA4", Str),
        ecs("RayID", Str),
        ecs("Timestamp", Time),
        ecs("UserAgent", Str),
        ecs("UserID", Str),
    ],
    mapping: Some(map),
};

type Categories = (&'static [&'static str], &'static [&'static str]);

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");

    let mut request = UrlFields::default();
    let mut categories: Categories = (&["web"], &["info"]);
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "EventType" => {
                if let Some(event) = field.as_str() {
                    categories = categorize(&event);
                }
                doc.keyword_at(&["event.action"], field);
            }
            "AuthenticationStatus" => {
                if let Some(status) = field.as_str() {
                    doc.put_str("event.outcome", outcome(&status));
                }
                doc.keyword_at(&["event.reason"], field);
            }
            "UserID" | "Email" => {
                if let Some(user) = string(doc, field) {
                    doc.related_user(user.clone());
                    doc.put_str(if field.key() == "UserID" { "user.id" } else { "user.email" }, user);
                }
            }
            "ClientIP" => client_ip(doc, field),
            "ClientASN" => _ = doc.integer_at(&["source.as.number", "client.as.number"], field),
            "ClientCity" => doc.keyword_at(&["source.geo.city_name", "client.geo.city_name"], field),
            "ClientCountry" => {
                doc.keyword_at(&["source.geo.country_iso_code", "client.geo.country_iso_code"], field)
            }
            "Host" => request.host = string(doc, field),
            "RayID" => doc.keyword_at(&["http.request.id", "event.id"], field),
            "UserAgent" => user_agent(doc, field),
            "JA4" => {
                if let Some(ja4) = field.as_str() {
                    doc.related_hash(ja4);
                }
                doc.vendor(field);
            }
            _ => doc.vendor(field),
        }
    }
    let (category, event_type) = categories;
    doc.put_list("event.category", category);
    doc.put_list("event.type", event_type);
    request.put(doc);
}

/// `event.category` and `event.type` of an event type.
fn categorize(event: &str) -> Categories {
    match event {
        "login" => (&["authentication"], &["start"]),
        "logout" => (&["authentication"], &["end"]),
        "signup" => (&["iam"], &["user", "creation"]),
        "profileUpdate" | "passwordReset" => (&["iam"], &["user", "change"]),
        _ => (&["web"], &["info"]),
    }
}

/// `event.outcome` of an authentication status.
fn outcome(status: &str) -> &'static str {
    match status {
        "success" => "success",
        failure if failure.starts_with("failure") => "failure",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::outcome;
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"AuthenticationMethod":"password","AuthenticationStatus":"failureIncorrectPassword","ClientIP":"198.51.100.7","Email":"alice@example.com","EphemeralID":"x:9f8e7d6c5b4a","EventSource":"cdn","EventType":"login","Host":"login.example.com","RayID":"8f1a2b3c4d5e6f70","Timestamp":"2026-03-02T10:15:07Z","UserID":"5f2b7c1a"}"#;
        let schema = detect(&parse_fields(record).unwrap()).map(|s| s.name());
        assert_eq!(schema.as_deref(), Some("account_abuse_protection_events"));
    }

    #[test]
    fn outcomes() {
        assert_eq!(outcome("success"), "success");
        assert_eq!(outcome("failureAccountLocked"), "failure");
        assert_eq!(outcome("failureOther"), "failure");
        assert_eq!(outcome("pendingMfa"), "");
        assert_eq!(outcome("unknown"), "");
    }
}
