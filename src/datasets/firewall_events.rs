//! `firewall_events`, zone and account scope (the account one adds `ZoneName` and
//! `AISecurityCustomTopicCategories`): one record per security rule that matched a request.
//!
//! The request is mapped as in `http_requests`; the rule that matched is `rule.*`, the
//! security product (`Source`) its `rule.ruleset`, and the action decides `event.type`
//! (`denied` for blocks) and `event.outcome`.

use super::request::{Referer, UrlFields, client_ip, first_usable, http_protocol, is_action, string, user_agent};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::Doc;
use crate::ecs::security::{self, Effect};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "firewall_events",
    variant: "",
    fields: &[
        kept("AISecurityCustomTopicCategories", Object),
        kept("AISecurityInjectionScore", Int),
        kept("AISecurityPIICategories", Strs),
        kept("AISecurityTokenCount", Int),
        kept("AISecurityUnsafeTopicCategories", Strs),
        ecs("Action", Str),
        ecs("ClientASN", Int),
        ecs("ClientASNDescription", Str),
        ecs("ClientCountry", Str),
        ecs("ClientIP", Str),
        kept("ClientIPClass", Str),
        ecs("ClientRefererHost", Str),
        ecs("ClientRefererPath", Str),
        ecs("ClientRefererQuery", Str),
        ecs("ClientRefererScheme", Str),
        ecs("ClientRequestHost", Str),
        ecs("ClientRequestMethod", Str),
        ecs("ClientRequestPath", Str),
        ecs("ClientRequestProtocol", Str),
        ecs("ClientRequestQuery", Str),
        ecs("ClientRequestScheme", Str),
        ecs("ClientRequestUserAgent", Str),
        kept("ContentScanObjResults", Strs),
        kept("ContentScanObjSizes", Ints),
        kept("ContentScanObjTypes", Strs),
        ecs("Datetime", Time),
        ecs("Description", Str),
        ecs("EdgeColoCode", Str),
        ecs("EdgeResponseStatus", Int),
        kept("FirewallForAIInjectionScore", Int),         // deprecated
        kept("FirewallForAIPIICategories", Strs),         // deprecated
        kept("FirewallForAITokenCount", Int),             // deprecated
        kept("FirewallForAIUnsafeTopicCategories", Strs), // deprecated
        kept("FraudUserID", Str),
        kept("Kind", Str),
        kept("LeakedCredentialCheckResult", Str),
        kept("MatchIndex", Int),
        kept("Metadata", Object),
        kept("OriginResponseStatus", Int),
        kept("OriginatorRayID", Str),
        ecs("RayID", Str),
        ecs("Ref", Str),
        ecs("RuleID", Str),
        ecs("Source", Str),
        kept("ZoneName", Str),
    ],
    mapping: Some(map),
};

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
