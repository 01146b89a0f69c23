//! `gateway_http`: HTTP requests of Zero Trust users proxied by Cloudflare Gateway, with the
//! HTTP policy decision on each.
//!
//! The user's device is `source` (`SourceInternalIP`, its address behind a tunnel or WARP's
//! CGNAT address, as `source.nat.ip`), the origin is `destination` with the `Host` header
//! as `destination.domain`. `URL` is split into `url.*` (`original`, `full`, `scheme`,
//! `domain` and its public-suffix parts, `port` when written, `path`, `query`, `fragment`,
//! `extension`). Method, status, referrer, version and user agent are `http.*` and
//! `user_agent.*` as in `http_requests`; `RequestID` is `http.request.id`. `Action` is
//! `event.action` and categorizes the event (see `gateway`). A blocked file is `file.*`
//! (`file.hash.sha256` only when the hash is one, `file.mime_type` only when the type is
//! one); isolation, DLP, quarantine, forensic-copy, header-rewrite and application details
//! have no ECS home and stay under `cloudflare.*`.
//!
//! Where the peers differ: Elastic and Sekoia copy `HTTPVersion` verbatim (`HTTP/2`) into
//! `http.version`; ECS and the other datasets here write `2`. Sekoia leaves `block` as `info`
//! and never sets `user_agent`; Elastic writes `info` + `denied` for it, as this mapping
//! does. Sekoia infers `url.port` 443 from the scheme; a port is written here only when the
//! URL names one.

use super::gateway::{action, categorize, common, endpoints};
use super::request::{full_url, http_protocol, referrer, string, user_agent};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{DESTINATION, Doc, Value, slice_of};
use crate::ecs::time::Unit;
use crate::ecs::url;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "gateway_http",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        ecs("Action", Str),
        kept("AddedHeaders", Strs),
        kept("AppControlInfo", Object),
        kept("ApplicationIDs", Ints),
        kept("ApplicationNames", Strs),
        kept("ApplicationStatuses", Strs),
        kept("BlockedFileHash", Str),
        ecs("BlockedFileName", Str),
        kept("BlockedFileReason", Str),
        ecs("BlockedFileSize", Int),
        kept("BlockedFileType", Str),
        kept("CategoryIDs", Ints),
        kept("CategoryNames", Strs),
        ecs("Datetime", Time),
        kept("DeletedHeaders", Strs),
        ecs("DestinationIP", Str),
        ecs("DestinationIPContinentCode", Str),
        ecs("DestinationIPCountryCode", Str),
        ecs("DestinationPort", Int),
        ecs("DeviceID", Str),
        ecs("DeviceName", Str),
        kept("DownloadMatchedDlpProfileEntries", Strs),
        kept("DownloadMatchedDlpProfiles", Strs),
        kept("DownloadedFileNames", Strs),
        ecs("Email", Str),
        kept("FileInfo", Object),
        kept("ForensicCopyStatus", Str),
        ecs("HTTPHost", Str),
        ecs("HTTPMethod", Str),
        ecs("HTTPStatusCode", Int),
        kept("HTTPVersion", Str),
        kept("IsIsolated", Bool),
        ecs("PolicyID", Str),
        ecs("PolicyName", Str),
        kept("PrivateAppAUD", Str),
        kept("ProxyEndpoint", Str),
        kept("Quarantined", Bool),
        kept("RedirectTargetURI", Str),
        ecs("Referer", Str),
        kept("RegistrationID", Str),
        ecs("RequestID", Str),
        kept("SessionID", Str),
        kept("SetHeaders", Strs),
        ecs("SourceIP", Str),
        ecs("SourceIPContinentCode", Str),
        ecs("SourceIPCountryCode", Str),
        ecs("SourceInternalIP", Str),
        ecs("SourcePort", Int),
        kept("TenantID", Str),
        ecs("URL", Str),
        kept("UntrustedCertificateAction", Str),
        kept("UploadMatchedDlpProfileEntries", Strs),
        kept("UploadMatchedDlpProfiles", Strs),
        kept("UploadedFileNames", Strs),
        ecs("UserAgent", Str),
        ecs("UserID", Str),
        kept("VirtualNetworkID", Str),
        kept("VirtualNetworkName", Str),
        kept("Warnings", Strs),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_const("observer.type", "proxy");
    doc.put_const("network.protocol", "http");

    let mut verdict = None;
    for field in fields {
        if common(doc, field) || endpoints(doc, field) {
            continue;
        }
        match field.key() {
            "Datetime" => doc.timestamp("@timestamp", field, Unit::Auto),
            "Action" => verdict = action(doc, field),
            "URL" => request_url(doc, field),
            "HTTPHost" => host(doc, field),
            "HTTPMethod" => doc.keyword("http.request.method", field),
            "HTTPStatusCode" => match field.as_integer() {
                // 0: no response (the client went away).
                Some(status @ 100..=999) => doc.put("http.response.status_code", Value::Int(status)),
                _ => doc.vendor(field),
            },
            "HTTPVersion" => http_protocol(doc, field),
            "Referer" => referrer(doc, field),
            "UserAgent" => user_agent(doc, field),
            "RequestID" => doc.keyword("http.request.id", field),
            "BlockedFileName" => doc.keyword("file.name", field),
            // Logpush writes 0 when no file was blocked: that is no file, not an empty one.
            "BlockedFileSize" if field.raw() == "0" => doc.vendor(field),
            "BlockedFileSize" => doc.integer("file.size", field),
            "BlockedFileHash" => file_hash(doc, field),
            "BlockedFileType" => match field.as_str() {
                Some(mime) if is_mime_type(&mime) => doc.put_str("file.mime_type", mime),
                _ => doc.vendor(field),
            },
            _ => doc.vendor(field),
        }
    }
    categorize(doc, verdict);
}

/// `url.original` as sent, and the rest of `url.*` when it is an absolute URL.
fn request_url<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    if let Some(text) = string(doc, field) {
        full_url(doc, &text, false);
        doc.put_str("url.original", text);
    }
}

/// The `Host` header: `destination.domain` with its public-suffix parts (an IP address is
/// not a domain: it is in `DestinationIP`).
fn host<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(text) = string(doc, field) else {
        return;
    };
    match url::split_host_port(&text) {
        Some((name, _)) if !url::is_ip_literal(name) && !name.is_empty() => {
            let name = name.strip_suffix('.').unwrap_or(name);
            doc.domain(&DESTINATION, slice_of(&text, name));
        }
        _ => doc.vendor(field),
    }
}

/// `file.hash.sha256` when the hash is 64 hex digits (and one of `related.hash`); kept
/// otherwise.
fn file_hash<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    match field.as_str() {
        Some(hash) if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            doc.related_hash(hash.clone());
            doc.put_str("file.hash.sha256", hash);
        }
        _ => doc.vendor(field),
    }
}

/// `type/subtype` (`application/pdf`), not a file kind (`exe`, `bin`).
fn is_mime_type(value: &str) -> bool {
    let valid =
        |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.split_once('/').is_some_and(|(kind, subtype)| valid(kind) && valid(subtype))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types() {
        assert!(is_mime_type("application/pdf"));
        assert!(is_mime_type("text/html; charset=utf-8"));
        assert!(!is_mime_type("exe"));
        assert!(!is_mime_type("a/"));
        assert!(!is_mime_type("/b"));
    }
}
