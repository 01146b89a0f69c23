//! Helpers shared by the Zero Trust datasets (`audit_logs_v2`, `biso_user_actions`,
//! `casb_findings`, `mcp_portal_logs`, ...): ECS keywords, a user identifier, a full URL.
//!
//! Declared from `audit_logs_v2.rs` (`#[path]`): `mod.rs` registers the datasets only.

use std::borrow::Cow;

use crate::doc::{Doc, URL, Value, slice_of};
use crate::ecs::url;
use crate::json;
use crate::record::Field;

/// A keyword field (see `keyword_at`).
pub(in crate::datasets) fn keyword<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    keyword_at(doc, &[path], field);
}

/// A keyword field put at several paths: a string as it is, a number or a boolean as its
/// JSON text (an ECS keyword is always a string); an object or a list is a bad field.
pub(in crate::datasets) fn keyword_at<'a>(doc: &mut Doc<'a>, paths: &[&'static str], field: &Field<'a>) {
    let text = match field.as_str() {
        Some(text) => text,
        None if json::is_empty_value(field.raw()) => return,
        None if is_scalar(field.raw()) => Cow::Borrowed(field.raw()),
        None => return doc.bad_field(field, "expected a string"),
    };
    for path in paths {
        doc.put_str(path, text.clone());
    }
}

/// A JSON number, `true` or `false`.
fn is_scalar(raw: &str) -> bool {
    matches!(raw, "true" | "false") || raw.starts_with(|c: char| c == '-' || c.is_ascii_digit())
}

/// A user identifier (`user.email`, `user.id`, `user.effective.name`): the keyword, and one
/// of `related.user`.
pub(in crate::datasets) fn user<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    if let Some(text) = field.as_str() {
        doc.related_user(text);
    } else if is_scalar(field.raw()) {
        doc.related_user(Cow::Borrowed(field.raw()));
    }
    keyword(doc, path, field);
}

/// `url.*` of a URL field (see `url_text`); a value that is not a string is a bad field.
pub(in crate::datasets) fn full_url<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    match field.as_str() {
        Some(text) => url_text(doc, text),
        None if json::is_empty_value(field.raw()) => {}
        None => doc.bad_field(field, "expected a string"),
    }
}

/// `url.*` of a URL's text: `original` as written; `full`, `scheme`, `domain` (with its
/// public-suffix parts, and one of `related.hosts`), `port`, `path`, `query`, `fragment`,
/// `extension` when it is absolute; `path`, `query`, `fragment`, `extension` when it is a
/// path (`/login?next=/`).
pub(in crate::datasets) fn url_text<'a>(doc: &mut Doc<'a>, text: Cow<'a, str>) {
    if text.is_empty() {
        return;
    }
    if let Some(parts) = url::parse(&text) {
        doc.put_derived("url.scheme", &text, parts.scheme);
        let domain = parts.domain.strip_suffix('.').unwrap_or(parts.domain);
        if url::is_ip_literal(domain) {
            doc.put_derived("url.domain", &text, domain);
        } else {
            doc.domain(&URL, slice_of(&text, domain));
        }
        if let Some(port) = parts.port {
            doc.put("url.port", Value::Int(i64::from(port)));
        }
        doc.put_derived("url.path", &text, parts.path);
        if let Some(query) = parts.query {
            doc.put_derived("url.query", &text, query);
        }
        if let Some(fragment) = parts.fragment {
            doc.put_derived("url.fragment", &text, fragment);
        }
        if let Some(extension) = url::extension(parts.path) {
            doc.put_derived("url.extension", &text, extension);
        }
        doc.put_str("url.full", text.clone());
    } else if text.starts_with('/') {
        let target = url::split_target(&text);
        doc.put_derived("url.path", &text, target.path);
        if let Some(query) = target.query {
            doc.put_derived("url.query", &text, query);
        }
        if let Some(fragment) = target.fragment {
            doc.put_derived("url.fragment", &text, fragment);
        }
        if let Some(extension) = url::extension(target.path) {
            doc.put_derived("url.extension", &text, extension);
        }
    }
    doc.put_str("url.original", text);
}
