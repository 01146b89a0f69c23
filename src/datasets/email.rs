//! Address helpers shared by the email datasets (`email_security_alerts`,
//! `email_security_post_delivery_events`).

use std::borrow::Cow;

use crate::doc::Doc;
use crate::record::Field;

/// One address (`From`): the ECS field and `related.user`.
pub(super) fn address<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    if let Some(address) = field.as_str().filter(|a| !a.is_empty()) {
        doc.related_user(address.clone());
    }
    doc.keyword(path, field);
}

/// A list of addresses (`To`): the ECS field (a list) and `related.user`; a lone string is
/// taken as a list of one. Anything else is a bad field.
pub(super) fn addresses<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    if field.as_str().is_some() {
        return address(doc, path, field);
    }
    let Some(list) = strings(field) else {
        return doc.bad_field(field, "expected a list of strings");
    };
    let list: Vec<String> = list.into_iter().filter(|a| !a.is_empty()).collect();
    if list.is_empty() {
        return;
    }
    if let Ok(json) = serde_json::to_string(&list) {
        doc.put_json(path, Cow::Owned(json));
    }
    for address in list {
        doc.related_user(Cow::Owned(address));
    }
}

/// The items of a JSON list of strings; `None` for anything else.
pub(super) fn strings(field: &Field<'_>) -> Option<Vec<String>> {
    if !field.raw().starts_with('[') {
        return None;
    }
    serde_json::from_str(field.raw()).ok()
}
