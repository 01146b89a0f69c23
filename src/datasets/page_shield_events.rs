//! `page_shield_events`: Page Shield reports of a browser that met a script or connection on a
//! page of the zone that broke one of the zone's content-security policies.
//!
//! The resource is the subject: its URL is `url.*` (and its host `destination.domain`, the
//! host the browser fetched from), `URLHost` filling `url.domain` only when `URL` does not.
//! The page that loaded it is `http.request.referrer`, which it is for the resource's request;
//! `Host` (the zone host the page was on) adds to `related.hosts` and is kept. The policy is
//! `rule.id`; the CSP directive it broke, the resource type and the deprecated
//! `URLContainsCDNCGIPath` stay under `cloudflare.*`.
//!
//! `event.action` is the policy's action as Cloudflare writes it. An `allow` policy is an
//! allow list the browser enforces, so a report under it is a resource the browser refused
//! (`event.type` `denied`); a `log` policy is report-only, so the resource was loaded
//! (`allowed`). Hence `event.category` `web` (the page) with `intrusion_detection`
//! (Page Shield is there to catch injected scripts, and ECS allows `allowed`/`denied` for it),
//! where Elastic's `page_shield_events` pipeline says `network`/`info` for every report and
//! copies `Host` to `host.name`, which ECS keeps for the machine the event happened on.

use super::request::{full_url, referrer, string};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{DESTINATION, Doc, URL, slice_of};
use crate::ecs::{time::Unit, url};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "page_shield_events",
    variant: "",
    fields: &[
        ecs("Action", Str),
        kept("CSPDirective", Str),
        kept("Host", Str),
        ecs("PageURL", Str),
        ecs("PolicyID", Str),
        kept("ResourceType", Str),
        ecs("Timestamp", Time),
        ecs("URL", Str),
        kept("URLContainsCDNCGIPath", Bool), // deprecated
        ecs("URLHost", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["web", "intrusion_detection"]);

    let (mut resource, mut url_host) = (None, None);
    let mut event_type: &'static [&'static str] = &["info"];
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "Action" => {
                if let Some(action) = field.as_str() {
                    if action.eq_ignore_ascii_case("allow") {
                        event_type = &["denied"];
                    } else if action.eq_ignore_ascii_case("log") {
                        event_type = &["allowed"];
                    }
                }
                doc.keyword_at(&["event.action"], field);
            }
            "PolicyID" => doc.keyword_at(&["rule.id"], field),
            "PageURL" => referrer(doc, field),
            "URL" => resource = string(doc, field),
            "URLHost" => url_host = Some(field),
            "Host" => {
                if let Some(host) = field.as_str().filter(|h| !h.is_empty() && !url::is_ip_literal(h)) {
                    doc.related_host(host);
                }
                doc.vendor(field);
            }
            _ => doc.vendor(field),
        }
    }
    doc.put_list("event.type", event_type);

    let parsed_host = resource.as_deref().and_then(url::parse).map(|u| u.domain.to_ascii_lowercase());
    if let Some(resource) = resource {
        full_url(doc, &resource, true);
        doc.put_str("url.original", resource);
    }
    if let Some(field) = url_host {
        resource_host(doc, field, parsed_host.as_deref());
    }
}

/// `URLHost`: `url.domain` (and `destination.domain`) when the URL gave none; the same host
/// again is left out; another is kept.
fn resource_host<'a>(doc: &mut Doc<'a>, field: &Field<'a>, from_url: Option<&str>) {
    let Some(host) = string(doc, field) else {
        return;
    };
    match from_url {
        Some(from_url) if host.eq_ignore_ascii_case(from_url) => {}
        Some(_) => doc.vendor(field),
        None if url::is_ip_literal(&host) => doc.put_str("url.domain", host),
        None => {
            let name = slice_of(&host, host.strip_suffix('.').unwrap_or(&host));
            doc.domains(&[&URL, &DESTINATION], name);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"Action":"log","CSPDirective":"script-src","Host":"www.example.com","PageURL":"https://www.example.com/checkout","PolicyID":"c9ef84a6bf5e47138c75d95e2f933e8f","ResourceType":"script","Timestamp":"2026-03-02T10:15:07Z","URL":"https://cdn.example.net/skimmer.js","URLHost":"cdn.example.net"}"#;
        let schema = detect(&parse_fields(record).unwrap()).map(|s| s.name());
        assert_eq!(schema.as_deref(), Some("page_shield_events"));
    }
}
