//! `turnstile_events`: Turnstile (Cloudflare's CAPTCHA replacement) events: a challenge issued
//! to a visitor, solved by them, and the site's server verifying (`siteverify`) the token.
//!
//! `EventType` is `event.action`, and says the challenge's outcome: `…_solved` is `success`,
//! `…_failed_…` and `…_ratelimited` are `failure`; `challenge_issued` has none yet, so no
//! `event.outcome`. `event.category` `web` / `event.type` `info`: a challenge on a web page,
//! which is neither an authentication (no credentials, no session) nor an intrusion detection.
//!
//! The visitor is `source`/`client` (IP, ASN, country, as in `http_requests`); the host the
//! widget was on is `url.domain`. Cloudflare's own reading of the user agent (browser and OS
//! names and major versions) fills `user_agent.*`, the major versions as text (`0`, unknown,
//! is kept); the user agent is parsed only when the record has none of those fields. The widget's sitekey and the
//! customer's action label (`Action`, a free string such as `login`, not what happened) stay
//! under `cloudflare.*`.

use super::request::{client_ip, string, user_agent};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, URL};
use crate::ecs::{time::Unit, url};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "turnstile_events",
    variant: "",
    fields: &[
        ecs("ASN", Int),
        kept("Action", Str),
        ecs("BrowserMajor", Int),
        ecs("BrowserName", Str),
        ecs("ClientIP", Str),
        ecs("CountryCode", Str),
        ecs("EventType", Str),
        ecs("Hostname", Str),
        ecs("OSMajor", Int),
        ecs("OSName", Str),
        kept("Sitekey", Str),
        ecs("Timestamp", Time),
        ecs("UserAgent", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["web"]);
    doc.put_list("event.type", &["info"]);

    let (mut agent, mut parsed_by_cloudflare) = (None, false);
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "EventType" => {
                if let Some(event) = field.as_str() {
                    doc.put_str("event.outcome", outcome(&event));
                }
                doc.keyword_at(&["event.action"], field);
            }
            "ClientIP" => client_ip(doc, field),
            "ASN" => _ = doc.integer_at(&["source.as.number", "client.as.number"], field),
            "CountryCode" => doc.keyword_at(&["source.geo.country_iso_code", "client.geo.country_iso_code"], field),
            "Hostname" => {
                if let Some(host) = string(doc, field) {
                    if url::is_ip_literal(&host) { doc.put_str("url.domain", host) } else { doc.domain(&URL, host) }
                }
            }
            "UserAgent" => agent = Some(field),
            "BrowserName" => parsed_by_cloudflare |= put_text(doc, "user_agent.name", field),
            "BrowserMajor" => parsed_by_cloudflare |= put_text(doc, "user_agent.version", field),
            "OSName" => parsed_by_cloudflare |= put_text(doc, "user_agent.os.name", field),
            "OSMajor" => parsed_by_cloudflare |= put_text(doc, "user_agent.os.version", field),
            _ => doc.vendor(field),
        }
    }
    match agent {
        Some(field) if parsed_by_cloudflare => {
            if let Some(text) = string(doc, field) {
                doc.put_str("user_agent.original", text);
            }
        }
        Some(field) => user_agent(doc, field),
        None => {}
    }
}

/// The challenge outcome an event type says.
fn outcome(event: &str) -> &'static str {
    if event.ends_with("_solved") {
        "success"
    } else if event.contains("_failed") || event.ends_with("_ratelimited") {
        "failure"
    } else {
        ""
    }
}

/// A keyword field from a string or an integer (the major versions); whether it was set. A
/// major version `0` is Cloudflare's "unknown": kept as it is.
fn put_text<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) -> bool {
    match field.as_i64() {
        Some(0) => {
            doc.vendor(field);
            return false;
        }
        Some(number) => {
            doc.put_str(path, number.to_string());
            return true;
        }
        None => {}
    }
    match string(doc, field) {
        Some(text) => {
            doc.put_str(path, text);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::outcome;
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"ASN":64496,"Action":"login","BrowserMajor":124,"BrowserName":"Chrome","ClientIP":"198.51.100.7","CountryCode":"US","EventType":"challenge_issued","Hostname":"www.example.com","OSMajor":10,"OSName":"Windows","Sitekey":"0x4AAAAAAAB1cD2eF3gH4iJ5","Timestamp":"2026-03-02T10:15:07Z"}"#;
        let schema = detect(&parse_fields(record).unwrap()).map(|s| s.name());
        assert_eq!(schema.as_deref(), Some("turnstile_events"));
    }

    #[test]
    fn outcomes() {
        assert_eq!(outcome("challenge_issued"), "");
        assert_eq!(outcome("challenge_interactive_solved"), "success");
        assert_eq!(outcome("challenge_clearance_siteverify_solved"), "success");
        assert_eq!(outcome("challenge_siteverify_failed_invalid_token"), "failure");
        assert_eq!(outcome("challenge_siteverify_ratelimited"), "failure");
    }
}
