//! `http_requests`: every HTTP request Cloudflare's edge served for a zone. Logpush and the
//! Logpull API share this schema; Logpull records may also carry the legacy fields
//! (`WAFAction`, `WAFRuleID`, `WAFRuleMessage`, `FirewallMatches*`, `EdgeRateLimit*`, ...).
//!
//! The client is both `source` and `client`; the origin is `destination` (its IP, and the
//! requested host as its domain); the edge's IP towards the origin is `source.nat.ip`.

use std::borrow::Cow;

use super::request::{
    UrlFields, client_ip, first_usable, geo_location, hash, http_protocol, is_action, referrer, status_outcome, string,
    tls_cipher, tls_protocol, user_agent,
};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Endpoint, Value};
use crate::ecs::security::{self, Effect};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "http_requests",
    variant: "",
    fields: &[
        kept("BotDetectionIDs", Ints),
        kept("BotDetectionTags", Strs),
        kept("BotScore", Int),
        kept("BotScoreSrc", Str),
        kept("BotTags", Strs),
        kept("CacheCacheStatus", Str),
        kept("CacheReserveUsed", Bool),
        kept("CacheResponseBytes", Int),
        kept("CacheResponseStatus", Int), // deprecated
        kept("CacheTieredFill", Bool),
        ecs("ClientASN", Int),
        ecs("ClientCity", Str),
        ecs("ClientCountry", Str),
        kept("ClientDeviceType", Str),
        ecs("ClientIP", Str),
        kept("ClientIPClass", Str),
        ecs("ClientLatitude", Str),
        ecs("ClientLongitude", Str),
        ecs("ClientMTLSAuthCertFingerprint", Str),
        kept("ClientMTLSAuthStatus", Str),
        ecs("ClientRegionCode", Str),
        ecs("ClientRequestBytes", Int),
        ecs("ClientRequestHost", Str),
        ecs("ClientRequestMethod", Str),
        ecs("ClientRequestPath", Str),
        ecs("ClientRequestProtocol", Str),
        ecs("ClientRequestReferer", Str),
        ecs("ClientRequestScheme", Str),
        kept("ClientRequestSource", Str),
        ecs("ClientRequestURI", Str),
        ecs("ClientRequestUserAgent", Str),
        ecs("ClientSSLCipher", Str),
        ecs("ClientSSLProtocol", Str),
        ecs("ClientSrcPort", Int),
        kept("ClientTCPRTTMs", Int),
        kept("ClientXRequestedWith", Str),
        kept("ContentScanObjResults", Strs),
        kept("ContentScanObjSizes", Ints),
        kept("ContentScanObjTypes", Strs),
        kept("Cookies", Object),
        kept("EdgeCFConnectingO2O", Bool),
        ecs("EdgeColoCode", Str),
        kept("EdgeColoID", Int),
        ecs("EdgeEndTimestamp", Time),
        kept("EdgePathingOp", Str),
        kept("EdgePathingSrc", Str),
        kept("EdgePathingStatus", Str),
        kept("EdgeRequestHost", Str),
        ecs("EdgeResponseBodyBytes", Int),
        ecs("EdgeResponseBytes", Int),
        kept("EdgeResponseCompressionRatio", Float),
        ecs("EdgeResponseContentType", Str),
        ecs("EdgeResponseStatus", Int),
        ecs("EdgeServerIP", Str),
        ecs("EdgeStartTimestamp", Time),
        kept("EdgeTimeToFirstByteMs", Int),
        kept("FraudAttack", Str),
        kept("FraudDetectionIDs", Ints),
        kept("FraudDetectionTags", Strs),
        kept("FraudEmailRisk", Str),
        kept("FraudUserID", Str),
        ecs("JA3Hash", Str),
        kept("JA4", Str),
        kept("JA4Signals", Object),
        kept("JSDetectionPassed", Str),
        kept("LeakedCredentialCheckResult", Str),
        kept("OriginDNSResponseTimeMs", Int),
        ecs("OriginIP", Str),
        kept("OriginRequestHeaderSendDurationMs", Int),
        kept("OriginResponseBytes", Int), // deprecated
        kept("OriginResponseDurationMs", Int),
        kept("OriginResponseHTTPExpires", Str),
        kept("OriginResponseHTTPLastModified", Str),
        kept("OriginResponseHeaderReceiveDurationMs", Int),
        kept("OriginResponseStatus", Int),
        kept("OriginResponseTime", Int), // deprecated
        kept("OriginSSLProtocol", Str),
        kept("OriginTCPHandshakeDurationMs", Int),
        kept("OriginTLSHandshakeDurationMs", Int),
        kept("ParentRayID", Str),
        kept("PayPerCrawlStatus", Str),
        ecs("RayID", Str),
        kept("RequestHeaders", Object),
        kept("ResponseHeaders", Object),
        ecs("SecurityAction", Str),
        kept("SecurityActions", Strs),
        ecs("SecurityRuleDescription", Str),
        ecs("SecurityRuleID", Str),
        kept("SecurityRuleIDs", Strs),
        kept("SecuritySources", Strs),
        kept("SmartRouteColoID", Int),
        kept("UpperTierColoID", Int),
        kept("VerifiedBotCategory", Str),
        kept("WAFAttackScore", Int),
        kept("WAFFlags", Str),      // deprecated
        kept("WAFMatchedVar", Str), // deprecated
        kept("WAFRCEAttackScore", Int),
        kept("WAFSQLiAttackScore", Int),
        kept("WAFXSSAttackScore", Int),
        kept("WebAssetsLabelsManaged", Strs),
        kept("WebAssetsOperationID", Str),
        kept("WorkerCPUTime", Int),
        kept("WorkerScriptName", Str),
        kept("WorkerStatus", Str),
        kept("WorkerSubrequest", Bool),
        kept("WorkerSubrequestCount", Int),
        kept("WorkerWallTimeUs", Int),
        kept("ZoneName", Str),
        // Logpull's legacy fields.
        kept("EdgeRateLimitAction", Str),
        kept("EdgeRateLimitID", Int),
        kept("FirewallMatchesActions", Strs),
        kept("FirewallMatchesRuleIDs", Strs),
        kept("FirewallMatchesSources", Strs),
        kept("SecurityLevel", Str),
        ecs("WAFAction", Str),
        kept("WAFProfile", Str),
        ecs("WAFRuleID", Str),
        ecs("WAFRuleMessage", Str),
        kept("ZoneID", Int),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network", "web"]);
    doc.put_const("observer.type", "proxy");

    let mut request = UrlFields::default();
    let (mut start, mut end) = (None, None);
    let (mut status, mut request_bytes, mut response_bytes) = (None, None, None);
    let (mut latitude, mut longitude) = (None, None);
    let mut pathing_op = None;
    let mut tls = None;
    let (mut action, mut rule_id, mut rule_description) = (None, None, None);
    let (mut waf_action, mut waf_rule_id, mut waf_rule_message) = (None, None, None);
    for field in fields {
        match field.key() {
            "EdgeStartTimestamp" => start = doc.timestamp_at(&["@timestamp", "event.start"], field, Unit::Auto),
            "EdgeEndTimestamp" => end = doc.timestamp_at(&["event.end"], field, Unit::Auto),
            "ClientIP" => client_ip(doc, field),
            "ClientSrcPort" => _ = doc.integer_at(&["source.port", "client.port"], field),
            "ClientASN" => _ = doc.integer_at(&["source.as.number", "client.as.number"], field),
            "ClientCountry" => doc.keyword_at(&["source.geo.country_iso_code", "client.geo.country_iso_code"], field),
            "ClientRegionCode" => doc.keyword_at(&["source.geo.region_iso_code", "client.geo.region_iso_code"], field),
            "ClientCity" => doc.keyword_at(&["source.geo.city_name", "client.geo.city_name"], field),
            "ClientLatitude" => latitude = Some(field),
            "ClientLongitude" => longitude = Some(field),
            "ClientRequestBytes" => {
                request_bytes = doc.integer_at(&["http.request.bytes", "source.bytes", "client.bytes"], field);
            }
            "ClientRequestHost" => request.host = string(doc, field),
            "ClientRequestMethod" => doc.keyword("http.request.method", field),
            "ClientRequestPath" => request.path = string(doc, field),
            "ClientRequestProtocol" => http_protocol(doc, field),
            "ClientRequestReferer" => referrer(doc, field),
            "ClientRequestScheme" => request.scheme = string(doc, field),
            "ClientRequestURI" => request.target = string(doc, field),
            "ClientRequestUserAgent" => user_agent(doc, field),
            "ClientSSLCipher" => tls_cipher(doc, field),
            "ClientSSLProtocol" => tls = tls_protocol(doc, field),
            "ClientMTLSAuthCertFingerprint" => hash(doc, "tls.client.hash.sha256", field),
            "JA3Hash" => hash(doc, "tls.client.ja3", field),
            "EdgeColoCode" => doc.keyword("observer.geo.name", field),
            "EdgeServerIP" => doc.ip("source.nat.ip", field),
            "OriginIP" => doc.endpoint_ip(Endpoint::Destination, field),
            "EdgeResponseStatus" => status = doc.integer_at(&["http.response.status_code"], field),
            "EdgeResponseBytes" => {
                response_bytes = doc.integer_at(&["http.response.bytes", "destination.bytes"], field);
            }
            "EdgeResponseBodyBytes" => _ = doc.integer_at(&["http.response.body.bytes"], field),
            "EdgeResponseContentType" => doc.keyword("http.response.mime_type", field),
            "EdgePathingOp" => {
                pathing_op = field.as_str();
                doc.vendor(field);
            }
            "RayID" => doc.keyword_at(&["http.request.id", "event.id"], field),
            "SecurityAction" => action = Some(field),
            "SecurityRuleID" => rule_id = Some(field),
            "SecurityRuleDescription" => rule_description = Some(field),
            "WAFAction" => waf_action = Some(field),
            "WAFRuleID" => waf_rule_id = Some(field),
            "WAFRuleMessage" => waf_rule_message = Some(field),
            _ => doc.vendor(field),
        }
    }

    // The terminating security action, else the legacy WAF one; the one not used stays
    // under `cloudflare.*`.
    let action = first_usable(doc, "event.action", [action, waf_action], is_action);
    first_usable(doc, "rule.id", [rule_id, waf_rule_id], |s| !s.is_empty());
    first_usable(doc, "rule.description", [rule_description, waf_rule_message], |s| !s.is_empty());
    let effect = action.as_deref().map_or(Effect::Other, security::effect);
    let event_type: &'static [&'static str] = match effect {
        _ if effect == Effect::Deny || pathing_op.as_deref() == Some("ban") => &["access", "denied"],
        Effect::Allow => &["access", "allowed"],
        _ => &["access"],
    };
    doc.put_list("event.type", event_type);
    doc.put_str("event.outcome", status.and_then(status_outcome).unwrap_or_default());
    if let (None, Some(end)) = (start, end) {
        // A job without `EdgeStartTimestamp` still dates its records.
        doc.put("@timestamp", Value::Time(end));
    }
    if let (Some(start), Some(end)) = (start, end)
        && let Some(duration) = end.nanos_since(&start).filter(|&ns| ns >= 0)
    {
        doc.put("event.duration", Value::Int(duration));
    }
    if let (Some(request), Some(response)) = (request_bytes, response_bytes) {
        doc.put("network.bytes", Value::Int(request.saturating_add(response)));
    }
    geo_location(doc, latitude, longitude);
    if request.scheme.is_none() {
        // Logpull jobs often leave out `ClientRequestScheme`; the TLS version tells it.
        request.scheme = tls.map(|encrypted| Cow::Borrowed(if encrypted { "https" } else { "http" }));
    }
    request.put(doc);
}
