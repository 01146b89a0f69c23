//! Request helpers shared by the datasets that describe an HTTP request (`http_requests`,
//! `firewall_events`, and the HTTP-shaped ones to come): the client, the URL from split
//! fields, protocol and TLS versions, the user agent, the referrer, security actions.

use std::borrow::Cow;

use crate::doc::{DESTINATION, Doc, DomainFields, URL, Value, slice_of};
use crate::ecs::{protocol, url, user_agent};
use crate::record::Field;

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

/// `url.*` but `url.original` from an absolute URL (`url.full`, scheme, domain and its
/// public-suffix parts, port, path, query, fragment, extension, user name), also the
/// `destination.*` domain when `destination`. Text that is not an absolute URL is split as a
/// request target when it is one (`/path?query`), else left to `url.original`. 
#[allow(clippy::ptr_arg, reason = "borrowed or owned decides whether the parts can borrow from the record")]
pub(super) fn full_url<'a>(doc: &mut Doc<'a>, text: &Cow<'a, str>, destination: bool) {
    if text.is_empty() {
        return;
    }
    let (path, query, fragment) = match url::parse(text) {
        Some(parsed) => {
            doc.put_derived("url.scheme", text, parsed.scheme);
            let domain = parsed.domain.strip_suffix('.').unwrap_or(parsed.domain);
            if url::is_ip_literal(domain) {
                doc.put_derived("url.domain", text, domain);
            } else {
                let sets: &[&DomainFields] = if destination { &[&URL, &DESTINATION] } else { &[&URL] };
                doc.domains(sets, slice_of(text, domain));
            }
            if let Some(port) = parsed.port {
                doc.put("url.port", Value::Int(i64::from(port)));
            }
            if let Some(username) = parsed.username {
                doc.put_derived("url.username", text, username);
            }
            doc.put_str("url.full", text.clone());
            (parsed.path, parsed.query, parsed.fragment)
        }
        None if text.starts_with('/') => {
            let target = url::split_target(text);
            (target.path, target.query, target.fragment)
        }
        None => return,
    };
    doc.put_derived("url.path", text, path);
    if let Some(extension) = url::extension(path) {
        doc.put_derived("url.extension", text, extension);
    }
    if let Some(query) = query {
        doc.put_derived("url.query", text, query);
    }
    if let Some(fragment) = fragment {
        doc.put_derived("url.fragment", text, fragment);
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
pub(super) fn referrer<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
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
pub(super) fn tls_protocol<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> Option<bool> {
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
pub(super) fn tls_cipher<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    match string(doc, field) {
        Some(cipher) if !cipher.eq_ignore_ascii_case("none") && !cipher.eq_ignore_ascii_case("unknown") => {
            doc.put_str("tls.cipher", cipher);
        }
        Some(_) => doc.vendor(field),
        None => {}
    }
}

/// A fingerprint (`tls.client.ja3`, `tls.client.hash.sha256`); also one of `related.hash`.
pub(super) fn hash<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
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
pub(super) fn geo_location<'a>(doc: &mut Doc<'a>, latitude: Option<&Field<'a>>, longitude: Option<&Field<'a>>) {
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

/// `ClientReferer{Scheme,Host,Path,Query}`, rebuilt into `http.request.referrer`.
#[derive(Default)]
pub(super) struct Referer<'r, 'a> {
    pub scheme: Option<&'r Field<'a>>,
    pub host: Option<&'r Field<'a>>,
    pub path: Option<&'r Field<'a>>,
    pub query: Option<&'r Field<'a>>,
}

impl<'a> Referer<'_, 'a> {
    /// The referrer URL when the record names its scheme and host; otherwise the parts stay
    /// under `cloudflare.*`. The host is one of `related.hosts` either way.
    pub fn put(self, doc: &mut Doc<'a>) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_fields;

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
        let fields = parse_fields(
            r#"{"a":"48.85660","b":-122.5,"c":"90.0001","d":"-180.000","e":"1e2","f":"007","g":"99999999999"}"#,
        )
        .expect("object");
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
