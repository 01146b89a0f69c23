//! `email_security_alerts`: Email Security (formerly Area 1) verdicts, one record per
//! processed message.
//!
//! The message is ECS `email.*`: addresses (`From`, `To`, `CC`, `BCC`, `ReplyTo`, and the
//! sender as processing determined it, `OriginalSender`, as `email.sender.address`),
//! `Subject`, `MessageID`, `Origin` as `email.direction` (`external` → `inbound`,
//! `outbound` → `outbound`, the internal kinds → `internal`; the raw value is kept too), and
//! `Attachments` as `email.attachments` (name, extension, the computed MIME type, or the
//! provided one when none was computed, and the hashes, also in `related.hash`); what ECS has
//! no home for (`Encrypted`, `Decrypted`, the other content type) stays, index-aligned, in
//! `cloudflare.Attachments`. Display names have no ECS field and are kept.
//!
//! The sending server (SMTP HELO) is `source`: `SMTPHeloServerIP` → `source.ip`, its HELO name
//! → `source.domain`, its AS → `source.as.*`, its `country/region/city` text →
//! `source.geo.*`. Elastic puts the HELO name in `server.address`; the issue asks for the
//! sender as `source`, which is also where ECS puts the initiator of a connection.
//!
//! The verdict `FinalDisposition` is `event.action`; anything but `unset`/`none` makes the
//! document an `alert` (as Elastic does), with `event.outcome` `success` (a verdict was
//! reached; `unknown` for `unset`). `event.category` is `email`, plus `malware` for a
//! `malicious` verdict (both take `event.type` `info`). `ThreatCategories` (`BEC`,
//! `CredentialHarvester`, ...) have no ECS home (`threat.*` describes MITRE tactics and
//! techniques, indicators and software, not a vendor's categories) and stay under
//! `cloudflare.*`. The hosts of `Links` are `related.hosts`; addresses are `related.user`.
//! `AlertID` is `event.id`. Records carry no `X-Mailer`, so `email.x_mailer` is never set.

use std::borrow::Cow;

use super::email::{address, addresses, strings};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, DomainFields, Endpoint, Value};
use crate::ecs::time::Unit;
use crate::ecs::{ip, url};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "email_security_alerts",
    variant: "",
    fields: &[
        ecs("AlertID", Str),
        kept("AlertReasons", Strs),
        kept("Attachments", Objects),
        ecs("BCC", Strs),
        ecs("CC", Strs),
        kept("CCName", Strs),
        kept("DKIMResult", Str),
        kept("DMARCPolicy", Str),
        kept("DMARCResult", Str),
        ecs("FinalDisposition", Str),
        ecs("From", Str),
        kept("FromName", Str),
        kept("Links", Strs),
        kept("MessageDeliveryMode", Str),
        ecs("MessageID", Str),
        kept("Origin", Str),
        ecs("OriginalSender", Str),
        ecs("ReplyTo", Str),
        kept("ReplyToName", Str),
        kept("SMTPEnvelopeFrom", Str),
        kept("SMTPEnvelopeTo", Strs),
        ecs("SMTPHeloServerIP", Str),
        ecs("SMTPHeloServerIPAsName", Str),
        // `source.as.number` when it is a number, as Cloudflare writes it; kept (noted) when not,
        // as the generated samples are.
        kept("SMTPHeloServerIPAsNumber", Str),
        kept("SMTPHeloServerIPGeo", Str),
        ecs("SMTPHeloServerName", Str),
        kept("SPFResult", Str),
        ecs("Subject", Str),
        kept("ThreatCategories", Strs),
        ecs("Timestamp", Time),
        ecs("To", Strs),
        kept("ToName", Strs),
    ],
    mapping: Some(map),
};

/// `source.domain` and its public-suffix parts (the HELO name).
const SOURCE: DomainFields = DomainFields {
    domain: "source.domain",
    registered_domain: "source.registered_domain",
    top_level_domain: "source.top_level_domain",
    subdomain: "source.subdomain",
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    let mut disposition = None;
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "AlertID" => doc.keyword("event.id", field),
            "FinalDisposition" => {
                disposition = field.as_str();
                doc.keyword("event.action", field);
            }
            "From" => address(doc, "email.from.address", field),
            "OriginalSender" => address(doc, "email.sender.address", field),
            "ReplyTo" => address(doc, "email.reply_to.address", field),
            "To" => addresses(doc, "email.to.address", field),
            "CC" => addresses(doc, "email.cc.address", field),
            "BCC" => addresses(doc, "email.bcc.address", field),
            "SMTPEnvelopeFrom" => {
                relate_users(doc, field);
                doc.vendor(field);
            }
            "SMTPEnvelopeTo" => {
                relate_users(doc, field);
                doc.vendor(field);
            }
            "Subject" => doc.keyword("email.subject", field),
            "MessageID" => doc.keyword("email.message_id", field),
            "Origin" => {
                if let Some(direction) = field.as_str().as_deref().and_then(direction) {
                    doc.put_const("email.direction", direction);
                }
                doc.vendor(field);
            }
            "Attachments" => attachments(doc, field),
            "Links" => {
                for link in strings(field).unwrap_or_default() {
                    let Some(parsed) = url::parse(&link) else { continue };
                    let host = parsed.domain.trim_start_matches('[').trim_end_matches(']');
                    match ip::normalize(host) {
                        Some(address) => doc.related_ip(Cow::Owned(address.into_owned())),
                        None => doc.related_host(Cow::Owned(host.to_owned())),
                    }
                }
                doc.vendor(field);
            }
            "SMTPHeloServerIP" => doc.endpoint_ip(Endpoint::Source, field),
            "SMTPHeloServerName" => helo_name(doc, field),
            "SMTPHeloServerIPAsNumber" => as_number(doc, field),
            "SMTPHeloServerIPAsName" => doc.keyword("source.as.organization.name", field),
            "SMTPHeloServerIPGeo" => geo(doc, field),
            _ => doc.vendor(field),
        }
    }

    let disposition = disposition.as_deref().unwrap_or_default();
    let verdict = !matches!(disposition, "" | "unset" | "none");
    doc.put_const("event.kind", if verdict { "alert" } else { "event" });
    doc.put_list("event.category", if disposition == "malicious" { &["email", "malware"] } else { &["email"] });
    doc.put_list("event.type", &["info"]);
    if !disposition.is_empty() {
        doc.put_const("event.outcome", if verdict { "success" } else { "unknown" });
    }
}

/// `email.direction` from `Origin`.
fn direction(origin: &str) -> Option<&'static str> {
    match origin {
        "external" => Some("inbound"),
        "outbound" => Some("outbound"),
        "internal" | "secondPartyInternal" | "thirdPartyInternal" => Some("internal"),
        _ => None,
    }
}

/// Adds the address(es) of a field kept under `cloudflare.*` to `related.user`.
fn relate_users<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    match field.as_str() {
        Some(address) => doc.related_user(address),
        None => {
            for address in strings(field).unwrap_or_default() {
                doc.related_user(Cow::Owned(address));
            }
        }
    }
}

/// The HELO name: `source.domain` (with its public-suffix parts, and in `related.hosts`) when
/// it is a name; an address literal (`[192.0.2.1]`) or anything else stays under
/// `cloudflare.*`.
fn helo_name<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    match field.as_str() {
        Some(name) if name.is_empty() => {}
        Some(name) if is_host_name(&name) => doc.domain(&SOURCE, name),
        Some(_) => doc.vendor(field),
        None => doc.bad_field(field, "expected a string"),
    }
}

fn is_host_name(name: &str) -> bool {
    !url::is_ip_literal(name)
        && ip::normalize(name).is_none()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// `SMTPHeloServerIPAsNumber`, a string (`"13335"`, perhaps `"AS13335"`): `source.as.number`.
fn as_number<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(text) = field.as_str() else {
        return doc.integer("source.as.number", field);
    };
    let digits = text.strip_prefix("AS").or_else(|| text.strip_prefix("as")).unwrap_or(&text);
    match digits.parse::<u32>() {
        Ok(number) => doc.put("source.as.number", Value::Int(i64::from(number))),
        Err(_) if text.is_empty() => {}
        Err(_) => doc.bad_field(field, "not an AS number"),
    }
}

/// `SMTPHeloServerIPGeo`, `country/region/city` (`US/NV/Las Vegas`): `source.geo.*`, the region
/// as ISO 3166-2 (`US-NV`). Text of another shape stays under `cloudflare.*`.
fn geo<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(text) = field.as_str() else {
        return doc.bad_field(field, "expected a string");
    };
    if text.is_empty() {
        return;
    }
    let mut parts = text.splitn(3, '/');
    let country = parts.next().unwrap_or_default();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
        return doc.vendor(field);
    }
    let region = parts.next().filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric()));
    let city = parts.next().filter(|c| !c.is_empty());
    doc.put_derived("source.geo.country_iso_code", &text, country);
    if let Some(region) = region {
        doc.put_str("source.geo.region_iso_code", format!("{country}-{region}"));
    }
    if let Some(city) = city {
        doc.put_derived("source.geo.city_name", &text, city);
    }
}

/// `Attachments` → `email.attachments`: per attachment `file.name`, `file.extension`,
/// `file.mime_type`, `file.size`, `file.hash.*` (also `related.hash`); the keys left over are
/// kept, list position for list position, as `cloudflare.Attachments`.
fn attachments<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    use serde_json::{Map, Value as Json};
    let Ok(list) = serde_json::from_str::<Vec<Map<String, Json>>>(field.raw()) else {
        if !crate::json::is_empty_value(field.raw()) {
            doc.bad_field(field, "expected a list of objects");
        }
        return;
    };
    let mut ecs = Vec::with_capacity(list.len());
    let mut rest = Vec::with_capacity(list.len());
    let mut any_rest = false;
    for mut attachment in list {
        let mut file = Map::new();
        let mut hashes = Map::new();
        let mime = match text(&attachment, "ContentTypeComputed") {
            Some(computed) => {
                attachment.remove("ContentTypeComputed");
                Some(computed)
            }
            None => text(&attachment, "ContentTypeProvided").inspect(|_| {
                attachment.remove("ContentTypeProvided");
            }),
        };
        let mut left = Map::new();
        for (key, value) in attachment {
            let hash = match key.as_str() {
                "Md5" => Some("md5"),
                "Sha1" => Some("sha1"),
                "Sha256" => Some("sha256"),
                "Sha512" => Some("sha512"),
                "Ssdeep" => Some("ssdeep"),
                "Tlsh" => Some("tlsh"),
                _ => None,
            };
            match (key.as_str(), &value, hash) {
                (_, Json::String(s), _) if s.is_empty() => {}
                (_, Json::Null, _) => {}
                (_, Json::String(s), Some(hash)) => {
                    doc.related_hash(Cow::Owned(s.clone()));
                    hashes.insert(hash.to_owned(), value);
                }
                ("Name", Json::String(name), _) => {
                    if let Some(extension) = url::extension(name) {
                        file.insert("extension".to_owned(), Json::String(extension.to_owned()));
                    }
                    file.insert("name".to_owned(), value);
                }
                ("Size", Json::Number(n), _) if n.is_u64() => {
                    file.insert("size".to_owned(), value);
                }
                _ => {
                    left.insert(key, value);
                }
            }
        }
        if let Some(mime) = mime {
            file.insert("mime_type".to_owned(), Json::String(mime));
        }
        if !hashes.is_empty() {
            file.insert("hash".to_owned(), Json::Object(hashes));
        }
        if !file.is_empty() {
            let mut item = Map::new();
            item.insert("file".to_owned(), Json::Object(file));
            ecs.push(Json::Object(item));
        }
        any_rest |= !left.is_empty();
        rest.push(Json::Object(left));
    }
    if !ecs.is_empty()
        && let Ok(json) = serde_json::to_string(&ecs)
    {
        doc.put_json("email.attachments", Cow::Owned(json));
    }
    if any_rest && let Ok(json) = serde_json::to_string(&rest) {
        doc.vendor_built_json(field.key_cow(), &json);
    }
}

/// A non-empty string member of an object.
fn text(object: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    object.get(key).and_then(|v| v.as_str()).filter(|s| !s.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    fn detected(json: &str) -> Option<String> {
        detect(&parse_fields(json).unwrap()).map(|s| s.name())
    }

    #[test]
    fn alerts_and_post_delivery_events_are_told_apart() {
        let alert = r#"{"AlertID":"4WtWkr6nlBz9sNH-2024-08-28T15:32:35","AlertReasons":["x"],"FinalDisposition":"malicious","From":"a@example.com","MessageID":"<m@example.com>","SMTPHeloServerIP":"192.0.2.1","Timestamp":"2024-08-28T15:32:35Z"}"#;
        assert_eq!(detected(alert).as_deref(), Some("email_security_alerts"));
        // Only the keys both share, and one of each's own.
        let shared = r#""AlertID":"a","FinalDisposition":"spam","From":"a@example.com","MessageID":"<m>","Subject":"s","To":["b@example.com"]"#;
        assert_eq!(
            detected(&format!("{{{shared},\"ThreatCategories\":[\"BEC\"]}}")).as_deref(),
            Some("email_security_alerts")
        );
        assert_eq!(
            detected(&format!("{{{shared},\"Operation\":\"move\"}}")).as_deref(),
            Some("email_security_post_delivery_events")
        );
        assert_eq!(detected(&format!("{{{shared}}}")), None);
    }
}
