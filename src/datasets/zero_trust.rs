//! Helpers shared by the Zero Trust datasets (`audit_logs_v2`, `biso_user_actions`,
//! `casb_findings`, `device_posture_results`, `mcp_portal_logs`, `ssh_logs`, the Gateway
//! datasets, `zero_trust_network_sessions`): a user identifier, the WARP device, a URL field.

use std::borrow::Cow;

use super::request::{full_url, string};
use crate::doc::Doc;
use crate::record::Field;

/// A user identifier (`user.email`, `user.id`, `user.effective.name`): the keyword, and one
/// of `related.user`.
pub(in crate::datasets) fn user<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    match field.as_str() {
        Some(text) => doc.related_user(text),
        // A number keeps its text, as `doc.keyword` writes it.
        None if field.raw().starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
            doc.related_user(Cow::Borrowed(field.raw()))
        }
        None => {}
    }
    doc.keyword(path, field);
}

/// The WARP device's ID: `device.id` and `host.id` (a host identifier, one of `related.hosts`,
/// as ECS allows and Elastic does).
pub(in crate::datasets) fn device_id<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    if let Some(id) = string(doc, field) {
        doc.related_host(id.clone());
        doc.put_str("device.id", id.clone());
        doc.put_str("host.id", id);
    }
}

/// The WARP device's name: `host.name` and `host.hostname`, one of `related.hosts`.
pub(in crate::datasets) fn device_name<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    if let Some(name) = string(doc, field) {
        doc.related_host(name.clone());
        doc.put_str("host.name", name.clone());
        doc.put_str("host.hostname", name);
    }
}

/// A URL field: `url.original` as written, the rest of `url.*` when it is an absolute URL
/// or a path (`request::full_url`); not a string, a bad field.
pub(in crate::datasets) fn url_field<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    if let Some(text) = string(doc, field) {
        url_text(doc, text);
    }
}

/// `url_field` of a URL's text.
pub(in crate::datasets) fn url_text<'a>(doc: &mut Doc<'a>, text: Cow<'a, str>) {
    full_url(doc, &text, false);
    doc.put_str("url.original", text);
}
