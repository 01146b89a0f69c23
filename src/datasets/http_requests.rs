//! `http_requests`: every HTTP request Cloudflare's edge served for a zone. Logpush and the
//! Logpull API share this schema; Logpull records may also carry the legacy fields
//! (`WAFAction`, `WAFRuleID`, `WAFRuleMessage`, `FirewallMatches*`, `EdgeRateLimit*`, ...).
//!
//! The client is both `source` and `client`; the origin is `destination` (its IP, and the
//! requested host as its domain); the edge's IP towards the origin is `source.nat.ip`.
//! The request helpers here are shared with `firewall_events`.

use std::borrow::Cow;

use crate::doc::{DESTINATION, Doc, Endpoint, URL, Value, slice_of};
use crate::ecs::security::{self, Effect};
use crate::ecs::time::Unit;
use crate::ecs::{protocol, url, user_agent};
use crate::record::Field;

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
            "JA4" => doc.keyword("tls.client.ja4", field),
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

/// The split URL fields of a request, remembered during the pass for `url.*` after it.
#[derive(Default)]
pub(super) struct UrlFields<'a> {
    pub scheme: Option<Cow<'a, str>>,
    pub host: Option<Cow<'a, str>>,
    pub path: Option<Cow<'a, str>>,
    pub query: Option<Cow<'a, str>>,
    /// `ClientRequestURI`: path and query as requested.
    pub target: Option<Cow<'a, str>>,
}

impl<'a> UrlFields<'a> {
    /// `url.*` (with `url.full` rebuilt), and the host as `destination.domain`.
    pub fn put(self, doc: &mut Doc<'a>) {
        if let Some(scheme) = &self.scheme {
            doc.put_str("url.scheme", scheme.clone());
        }
        if let Some(host) = &self.host {
            put_host(doc, host);
        }
        if let Some(path) = &self.path {
            doc.put_str("url.path", path.clone());
        }
        if let Some(query) = &self.query {
            doc.put_derived("url.query", query, url::strip_query_mark(query));
        }
        let mut full = None;
        let mut target_path = None;
        if let Some(target) = &self.target {
            doc.put_str("url.original", target.clone());
            let (path, query, fragment) = match url::parse(target) {
                // An absolute-form target (`GET http://host/path`) is the full URL itself.
                Some(absolute) => {
                    full = Some(target.clone());
                    (absolute.path, absolute.query, absolute.fragment)
                }
                None => {
                    let parts = url::split_target(target);
                    (parts.path, parts.query, parts.fragment)
                }
            };
            doc.put_derived("url.path", target, path);
            if let Some(query) = query {
                doc.put_derived("url.query", target, query);
            }
            if let Some(fragment) = fragment {
                doc.put_derived("url.fragment", target, fragment);
            }
            target_path = Some(path);
        }
        match (&self.path, &self.target) {
            (Some(path), _) => {
                if let Some(extension) = url::extension(path) {
                    doc.put_derived("url.extension", path, extension);
                }
            }
            (None, Some(target)) => {
                if let Some(extension) = target_path.and_then(url::extension) {
                    doc.put_derived("url.extension", target, extension);
                }
            }
            (None, None) => {}
        }
        if full.is_none()
            && let (Some(scheme), Some(host)) = (&self.scheme, &self.host)
        {
            let path = self.path.as_deref().unwrap_or_default();
            let rebuilt = url::rebuild(scheme, host, self.target.as_deref(), path, self.query.as_deref());
            full = Some(Cow::Owned(rebuilt));
        }
        if let Some(full) = full {
            doc.put_str("url.full", full);
        }
    }
}

/// The requested host: `url.domain` and `destination.domain` with their public-suffix parts,
/// `url.port` when it names one. An IP address is only `url.domain`.
#[allow(clippy::ptr_arg, reason = "borrowed or owned decides whether the parts can borrow from the record")]
fn put_host<'a>(doc: &mut Doc<'a>, host: &Cow<'a, str>) {
    let Some((domain, port)) = url::split_host_port(host) else {
        return doc.put_str("url.domain", host.clone());
    };
    if let Some(port) = port {
        doc.put("url.port", Value::Int(i64::from(port)));
    }
    let domain = slice_of(host, domain.strip_suffix('.').unwrap_or(domain));
    if url::is_ip_literal(&domain) {
        doc.put_str("url.domain", domain);
    } else {
        doc.domains(&[&URL, &DESTINATION], domain);
    }
}

/// A string field's non-empty value; a non-string value is a bad field.
pub(super) fn string<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> Option<Cow<'a, str>> {
    match field.as_str() {
        Some(text) if text.is_empty() => None,
        Some(text) => Some(text),
        None => {
            if !crate::json::is_empty_value(field.raw()) {
                doc.bad_field(field, "expected a string");
            }
            None
        }
    }
}

/// The client's IP: `source.ip` and `client.ip`.
pub(super) fn client_ip<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    doc.ip_at(&["source.ip", "client.ip"], field);
}

/// `HTTP/2` → `http.version` `2`, `network.protocol` `http`, `network.transport` `tcp`.
pub(super) fn http_protocol<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(text) = string(doc, field) else {
        return;
    };
    match protocol::http(&text) {
        Some(http) => {
            doc.put_derived("http.version", &text, http.version);
            doc.put_str("network.protocol", protocol::HTTP);
            doc.put_str("network.transport", http.transport);
        }
        None => doc.vendor(field),
    }
}

/// `user_agent.original` and what it says (name, version, OS, device).
pub(super) fn user_agent<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(text) = string(doc, field) else {
        return;
    };
    match &text {
        Cow::Borrowed(borrowed) => put_user_agent(doc, user_agent::parse_cached(borrowed)),
        Cow::Owned(owned) => put_user_agent(doc, user_agent::parse(owned).into_owned()),
    }
    doc.put_str("user_agent.original", text);
}

fn put_user_agent<'a>(doc: &mut Doc<'a>, parsed: user_agent::UserAgent<'a>) {
    let os_full = parsed.os_full();
    let user_agent::UserAgent { name, version, os_name, os_version, device_name } = parsed;
    for (path, part) in [
        ("user_agent.name", name),
        ("user_agent.version", version),
        ("user_agent.os.name", os_name),
        ("user_agent.os.version", os_version),
        ("user_agent.device.name", device_name),
    ] {
        if let Some(part) = part {
            doc.put_str(path, part);
        }
    }
    if let Some(full) = os_full {
        doc.put_str("user_agent.os.full", full);
    }
}

/// `http.request.referrer`; its host is also one of `related.hosts`.
fn referrer<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(text) = string(doc, field) else {
        return;
    };
    if let Some(referrer) = url::parse(&text).filter(|u| !url::is_ip_literal(u.domain)) {
        let host = slice_of(&text, referrer.domain);
        doc.related_host(host);
    }
    doc.put_str("http.request.referrer", text);
}

/// `TLSv1.3` → `tls.version_protocol` `tls`, `tls.version` `1.3`; `none` (plain HTTP) and
/// other values stay under `cloudflare.*`. Returns whether the request was encrypted, when
/// the value says.
fn tls_protocol<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> Option<bool> {
    let text = string(doc, field)?;
    match protocol::tls(&text) {
        Some(tls) => {
            doc.put_str("tls.version_protocol", tls.protocol);
            doc.put_derived("tls.version", &text, tls.version);
            Some(true)
        }
        None => {
            doc.vendor(field);
            text.eq_ignore_ascii_case("none").then_some(false)
        }
    }
}

/// `tls.cipher`, unless the request was not encrypted (`NONE`).
fn tls_cipher<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    match string(doc, field) {
        Some(cipher) if !cipher.eq_ignore_ascii_case("none") && !cipher.eq_ignore_ascii_case("unknown") => {
            doc.put_str("tls.cipher", cipher);
        }
        Some(_) => doc.vendor(field),
        None => {}
    }
}

/// A fingerprint (`tls.client.ja3`, `tls.client.hash.sha256`); also one of `related.hash`.
fn hash<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    if let Some(hash) = string(doc, field) {
        doc.related_hash(hash.clone());
        doc.put_str(path, hash);
    }
}

/// Security action values that say something (`unknown` says nothing).
pub(super) fn is_action(action: &str) -> bool {
    !action.is_empty() && !action.eq_ignore_ascii_case("unknown")
}

/// Puts the first of `candidates` whose string value is `usable` at `path` and returns it;
/// every other candidate is kept under `cloudflare.*`.
pub(super) fn first_usable<'a, const N: usize>(
    doc: &mut Doc<'a>,
    path: &'static str,
    candidates: [Option<&Field<'a>>; N],
    usable: impl Fn(&str) -> bool,
) -> Option<Cow<'a, str>> {
    let mut used = None;
    for field in candidates.into_iter().flatten() {
        match field.as_str() {
            Some(value) if used.is_none() && usable(&value) => {
                doc.put_str(path, value.clone());
                used = Some(value);
            }
            _ => doc.vendor(field),
        }
    }
    used
}

/// `event.outcome` of an HTTP response status.
pub(super) fn status_outcome(status: i64) -> Option<&'static str> {
    match status {
        100..400 => Some("success"),
        400..600 => Some("failure"),
        _ => None,
    }
}

/// `source.geo.location` (and `client.geo.location`) from `ClientLatitude`/`ClientLongitude`,
/// which Cloudflare writes as strings. Both must be valid coordinates, else both are kept
/// under `cloudflare.*`.
fn geo_location<'a>(doc: &mut Doc<'a>, latitude: Option<&Field<'a>>, longitude: Option<&Field<'a>>) {
    let (Some(lat_field), Some(lon_field)) = (latitude, longitude) else {
        for field in [latitude, longitude].into_iter().flatten() {
            doc.vendor(field);
        }
        return;
    };
    let lat = coordinate(lat_field, 90);
    let lon = coordinate(lon_field, 180);
    match (lat, lon) {
        (Some(lat), Some(lon)) => {
            for (path, value) in [
                ("source.geo.location.lat", &lat),
                ("source.geo.location.lon", &lon),
                ("client.geo.location.lat", &lat),
                ("client.geo.location.lon", &lon),
            ] {
                doc.put_json(path, value.clone());
            }
        }
        (lat, lon) => {
            for (field, valid) in [(lat_field, lat.is_some()), (lon_field, lon.is_some())] {
                if valid || crate::json::is_empty_value(field.raw()) {
                    doc.vendor(field);
                } else {
                    doc.bad_field(field, "not a coordinate");
                }
            }
        }
    }
}

/// A coordinate as JSON number text (`"37.75100"` → `37.75100`), from a string or a
/// number within `±limit` degrees. Checked as text: no float parsing or formatting.
fn coordinate<'a>(field: &Field<'a>, limit: u32) -> Option<Cow<'a, str>> {
    let text = field.as_str().unwrap_or(Cow::Borrowed(field.raw()));
    if !is_json_number(&text) {
        return None;
    }
    let unsigned = text.strip_prefix('-').unwrap_or(&text);
    let (degrees, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let degrees: u32 = degrees.parse().ok()?;
    let within = degrees < limit || (degrees == limit && fraction.bytes().all(|b| b == b'0'));
    within.then_some(text)
}

/// `-12.5`, `0`, `37.75100`: what JSON accepts, exponents aside.
fn is_json_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac) && (int == "0" || !int.starts_with('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::Schema;
    use crate::record::parse_fields;

    fn detected(json: &str) -> Option<Schema> {
        crate::detect::detect(&parse_fields(json).expect("a JSON object"))
    }

    #[test]
    fn detection_tells_the_request_datasets_apart() {
        // Logpull's default field set, and a Logpush line.
        let logpull = r#"{"ClientIP":"192.0.2.1","ClientRequestHost":"a.com","ClientRequestMethod":"GET","ClientRequestURI":"/","EdgeEndTimestamp":1,"EdgeResponseBytes":2,"EdgeResponseStatus":200,"EdgeStartTimestamp":1,"RayID":"1"}"#;
        assert_eq!(detected(logpull), Some(Schema::HttpRequests));
        assert_eq!(detected(r#"{"ClientIP":"192.0.2.1","EdgeStartTimestamp":1,"CacheCacheStatus":"hit","EdgePathingOp":"wl"}"#), Some(Schema::HttpRequests));
        // Legacy Logpull-only keys.
        assert_eq!(detected(r#"{"RayID":"1","WAFAction":"drop","FirewallMatchesActions":[],"ZoneID":1}"#), Some(Schema::HttpRequests));
        // firewall_events, zone and account scope: one dataset.
        let zone = r#"{"Action":"block","ClientIP":"192.0.2.1","ClientRequestHost":"a.com","Datetime":1,"Kind":"firewall","MatchIndex":0,"RayID":"1","RuleID":"x","Source":"waf"}"#;
        assert_eq!(detected(zone), Some(Schema::FirewallEvents));
        let account = r#"{"Action":"log","ClientIP":"192.0.2.1","Datetime":1,"Source":"firewallCustom","ZoneName":"a.com","AISecurityCustomTopicCategories":{}}"#;
        assert_eq!(detected(account), Some(Schema::FirewallEvents));
        // The two audit formats.
        let api = r#"{"action":{"type":"login"},"actor":{"id":"1"},"id":"2","owner":{"id":"1"},"resource":{},"when":"2024-01-01T00:00:00Z"}"#;
        assert_eq!(detected(api), Some(Schema::AuditLogsApi));
        assert_eq!(detected(r#"{"When":"2024-01-01T00:00:00Z","ActorIP":"1.2.3.4","ActionType":"login","OwnerID":"1"}"#), Some(Schema::AuditLogs));
        // Look-alikes of other datasets stay theirs.
        assert_eq!(detected(r#"{"EdgeStartTimestamp":1,"ConnectionID":"1","BytesSentOrigin":2}"#), Some(Schema::WebsocketAnalytics));
        assert_eq!(detected(r#"{"connectionId":"1","rayId":"2","clientIP":"192.0.2.1"}"#), Some(Schema::WebsocketAnalyticsAccount));
    }

    #[test]
    fn forced_audit_dataset_follows_the_record_format() {
        let api = parse_fields(r#"{"actor":{"id":"1"},"when":"2024-01-01T00:00:00Z"}"#).expect("object");
        assert_eq!(Schema::for_dataset("audit_logs", &api), Some(Schema::AuditLogsApi));
        let logpush = parse_fields(r#"{"ActorID":"1","When":"2024-01-01T00:00:00Z"}"#).expect("object");
        assert_eq!(Schema::for_dataset("audit_logs", &logpush), Some(Schema::AuditLogs));
    }

    #[test]
    fn outcomes_from_status() {
        assert_eq!(status_outcome(200), Some("success"));
        assert_eq!(status_outcome(304), Some("success"));
        assert_eq!(status_outcome(403), Some("failure"));
        assert_eq!(status_outcome(520), Some("failure"));
        assert_eq!(status_outcome(0), None);
    }

    #[test]
    fn coordinates() {
        let fields = parse_fields(r#"{"a":"48.85660","b":-122.5,"c":"90.0001","d":"-180.000","e":"1e2","f":"007","g":"99999999999"}"#).expect("object");
        let got: Vec<_> = fields.iter().map(|f| coordinate(f, 90).map(Cow::into_owned)).collect();
        assert_eq!(got, [Some("48.85660".into()), None, None, None, None, None, None]);
        assert_eq!(coordinate(&fields[1], 180).as_deref(), Some("-122.5"));
        assert_eq!(coordinate(&fields[3], 180).as_deref(), Some("-180.000"));
    }

    #[test]
    fn json_numbers() {
        for ok in ["0", "-0.5", "37.75100", "-122.4194", "180"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in ["", "-", "01.5", ".5", "5.", "1e5", "+1", "NaN", "inf", " 1"] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
