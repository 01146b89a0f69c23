//! `zaraz_events`: Zaraz (Cloudflare's third-party tool manager) logs: requests from the
//! browser to Zaraz and from Zaraz to tools' servers, triggered actions and e-commerce
//! events, and component errors.
//!
//! `EventType` (`client_request`, `server_request`, `server_response`, `action_triggered`,
//! `ecommerce_triggered`, `component_error`) is `event.action`; a `component_error` is
//! `event.outcome` `failure` with `event.type` `error`, the other events say nothing of an
//! outcome. `event.category` `web`. The client is `source`/`client`; the URL of the request
//! is `url.*` (its host `destination.domain`). The request's headers, body and the event's
//! details are objects of the tool's making and stay under `cloudflare.*` (as JSON text past
//! the document's depth limit); the `User-Agent` and `Referer` headers also give
//! `user_agent.*` and `http.request.referrer`.

use super::request::{client_ip, full_url, referrer, string, user_agent};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::Doc;
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "zaraz_events",
    variant: "",
    fields: &[
        kept("Body", Object),
        kept("EventDetails", Object),
        ecs("EventType", Str),
        ecs("IP", Str),
        kept("RequestHeaders", Object),
        ecs("TimestampStart", Time),
        ecs("URL", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["web"]);

    let mut failed = false;
    for field in fields {
        match field.key() {
            "TimestampStart" => doc.timestamp("@timestamp", field, Unit::Auto),
            "IP" => client_ip(doc, field),
            "EventType" => {
                failed = field.as_str().is_some_and(|event| event == "component_error");
                doc.keyword_at(&["event.action"], field);
            }
            "URL" => {
                if let Some(text) = string(doc, field) {
                    full_url(doc, &text, true);
                    doc.put_str("url.original", text);
                }
            }
            "RequestHeaders" => {
                headers(doc, field);
                doc.vendor(field);
            }
            _ => doc.vendor(field),
        }
    }
    if failed {
        doc.put_const("event.outcome", "failure");
    }
    doc.put_list("event.type", if failed { &["info", "error"] } else { &["info"] });
}

/// `user_agent.*` and `http.request.referrer` from the request's headers (names matched
/// without case; string values only, the last of repeated names).
fn headers<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(headers) = field.as_object() else {
        return;
    };
    let usable = |header: &&Field<'a>| header.as_str().is_some_and(|v| !v.is_empty());
    let named = |name: &str| headers.iter().filter(usable).rfind(|h| h.key().eq_ignore_ascii_case(name));
    if let Some(agent) = named("user-agent") {
        user_agent(doc, agent);
    }
    if let Some(referer) = named("referer") {
        referrer(doc, referer);
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"Body":{},"EventDetails":{"name":"Pageview"},"EventType":"action_triggered","IP":"198.51.100.7","RequestHeaders":{},"TimestampStart":"2026-03-02T10:15:07Z","URL":"https://www.example.com/cdn-cgi/zaraz/t"}"#;
        let schema = detect(&parse_fields(record).unwrap()).map(|s| s.name());
        assert_eq!(schema.as_deref(), Some("zaraz_events"));
    }
}
