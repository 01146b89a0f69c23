//! `firewall_events`, zone and account scope (the account one adds `ZoneName` and
//! `AISecurityCustomTopicCategories`): one record per security rule that matched a request.
//!
//! The request is mapped as in `http_requests`; the rule that matched is `rule.*`, the
//! security product (`Source`) its `rule.ruleset`, and the action decides `event.type`
//! (`denied` for blocks) and `event.outcome`.

use std::borrow::Cow;

use super::http_requests::{UrlFields, client_ip, first_usable, http_protocol, is_action, string, user_agent};
use crate::doc::Doc;
use crate::ecs::security::{self, Effect};
use crate::ecs::time::Unit;
use crate::ecs::url;
use crate::record::Field;

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_const("observer.type", "firewall");

    let mut request = UrlFields::default();
    let mut referer = Referer::default();
    let mut action = None;
    for field in fields {
        match field.key() {
            "Datetime" => doc.timestamp("@timestamp", field, Unit::Auto),
            "Action" => action = Some(field),
            "ClientIP" => client_ip(doc, field),
            "ClientASN" => _ = doc.integer_at(&["source.as.number", "client.as.number"], field),
            "ClientASNDescription" => {
                doc.keyword_at(&["source.as.organization.name", "client.as.organization.name"], field);
            }
            "ClientCountry" => doc.keyword_at(&["source.geo.country_iso_code", "client.geo.country_iso_code"], field),
            "ClientRefererScheme" => referer.scheme = Some(field),
            "ClientRefererHost" => referer.host = Some(field),
            "ClientRefererPath" => referer.path = Some(field),
            "ClientRefererQuery" => referer.query = Some(field),
            "ClientRequestHost" => request.host = string(doc, field),
            "ClientRequestMethod" => doc.keyword("http.request.method", field),
            "ClientRequestPath" => request.path = string(doc, field),
            "ClientRequestProtocol" => http_protocol(doc, field),
            "ClientRequestQuery" => request.query = string(doc, field),
            "ClientRequestScheme" => request.scheme = string(doc, field),
            "ClientRequestUserAgent" => user_agent(doc, field),
            "Description" => doc.keyword("rule.description", field),
            "EdgeColoCode" => doc.keyword("observer.geo.name", field),
            "EdgeResponseStatus" => _ = doc.integer_at(&["http.response.status_code"], field),
            "RayID" => doc.keyword("http.request.id", field),
            "Ref" => doc.keyword("rule.reference", field),
            "RuleID" => doc.keyword("rule.id", field),
            "Source" => doc.keyword("rule.ruleset", field),
            _ => doc.vendor(field),
        }
    }

    let action = first_usable(doc, "event.action", [action], is_action);
    let effect = action.as_deref().map_or(Effect::Other, security::effect);
    doc.put_list("event.type", effect.event_types());
    doc.put_str("event.outcome", effect.outcome().unwrap_or_default());
    request.put(doc);
    referer.put(doc);
}

/// `ClientReferer{Scheme,Host,Path,Query}`, rebuilt into `http.request.referrer`.
#[derive(Default)]
struct Referer<'r, 'a> {
    scheme: Option<&'r Field<'a>>,
    host: Option<&'r Field<'a>>,
    path: Option<&'r Field<'a>>,
    query: Option<&'r Field<'a>>,
}

impl<'a> Referer<'_, 'a> {
    /// The referrer URL when the record names its scheme and host; otherwise the parts stay
    /// under `cloudflare.*`. The host is one of `related.hosts` either way.
    fn put(self, doc: &mut Doc<'a>) {
        let text = |field: Option<&Field<'a>>| field.and_then(Field::as_str).filter(|s| !s.is_empty());
        let (scheme, host) = (text(self.scheme), text(self.host));
        if let Some(host) = &host
            && !url::is_ip_literal(host)
        {
            doc.related_host(host.clone());
        }
        let valid_scheme = scheme.as_deref().is_some_and(|s| {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        });
        let parts = [self.scheme, self.host, self.path, self.query];
        let (Some(scheme), Some(host), true) = (scheme, host, valid_scheme) else {
            for field in parts.into_iter().flatten() {
                doc.vendor(field);
            }
            return;
        };
        let path = text(self.path).unwrap_or_default();
        let query = text(self.query);
        let referrer = url::rebuild(&scheme, &host, None, &path, query.as_deref());
        doc.put_str("http.request.referrer", Cow::<str>::Owned(referrer));
        // Parts that are not strings were not used: keep them.
        for field in parts.into_iter().flatten() {
            if field.as_str().is_none() {
                doc.vendor(field);
            }
        }
    }
}
