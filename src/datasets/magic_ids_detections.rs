//! `magic_ids_detections`: Magic IDS signature matches on Magic Transit / Magic WAN traffic.
//!
//! Each record is an IDS alert: `event.kind` `alert`, `event.category` `intrusion_detection`
//! and `network`, `observer.type` `ids`. The signature is the rule: `SignatureID` `rule.id`,
//! `SignatureMessage` `rule.name`, `SignatureRevision` `rule.version` (both
//! keywords, as text), and `rule.category` from the message's Emerging Threats-style prefix
//! (`ET EXPLOIT …` → `EXPLOIT`, `ET CURRENT_EVENTS …` → `CURRENT_EVENTS`) when it has one.
//! `Action` is `event.action`, `pass` `event.type` `info`+`allowed` and `block` `info`+`denied`
//! (as Elastic's `magic_ids` pipeline; Elastic keeps `event.kind` `event`, but a signature
//! match is what ECS calls an alert), with `event.outcome` `success`/`failure` as the other
//! security datasets. The packet's addresses and ports are `source.*`/`destination.*`,
//! `Protocol` `network.transport` (`any`, a detection below L4, has no transport and stays
//! under `cloudflare.*`), and the five-tuple gives `network.community_id`. The data center is
//! `observer.geo.name` (its IATA code) and `observer.geo.city_name`.

use std::borrow::Cow;

use super::request::string;
use super::schema::Kind::*;
use super::schema::{Schema, ecs};
use super::flow::{put_community_id, transport};
use crate::doc::{Doc, Endpoint};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "magic_ids_detections",
    variant: "",
    fields: &[
        ecs("Action", Str),
        ecs("ColoCity", Str),
        ecs("ColoCode", Str),
        ecs("DestinationIP", Str),
        ecs("DestinationPort", Int),
        ecs("Protocol", Str),
        ecs("SignatureID", Int),
        ecs("SignatureMessage", Str),
        ecs("SignatureRevision", Int),
        ecs("SourceIP", Str),
        ecs("SourcePort", Int),
        ecs("Timestamp", Time),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "alert");
    doc.put_list("event.category", &["intrusion_detection", "network"]);
    doc.put_const("observer.type", "ids");

    let (mut source, mut destination) = (None, None);
    let (mut source_port, mut destination_port) = (None, None);
    let (mut protocol, mut action) = (None, None);
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, crate::ecs::time::Unit::Auto),
            "SourceIP" => {
                source = field.as_str();
                doc.endpoint_ip(Endpoint::Source, field);
            }
            "DestinationIP" => {
                destination = field.as_str();
                doc.endpoint_ip(Endpoint::Destination, field);
            }
            "SourcePort" => source_port = doc.integer_at(&["source.port"], field),
            "DestinationPort" => destination_port = doc.integer_at(&["destination.port"], field),
            "Protocol" => match field.as_str() {
                Some(any) if any.eq_ignore_ascii_case("any") => doc.vendor(field),
                _ => protocol = transport(doc, field),
            },
            "SignatureID" => number_text(doc, "rule.id", field),
            "SignatureRevision" => number_text(doc, "rule.version", field),
            "SignatureMessage" => {
                if let Some(message) = string(doc, field) {
                    if let Some(category) = category(&message) {
                        doc.put_str("rule.category", category);
                    }
                    doc.put_str("rule.name", message);
                }
            }
            "Action" => {
                action = string(doc, field);
                if let Some(action) = &action {
                    doc.put_str("event.action", action.clone());
                }
            }
            "ColoCode" => doc.keyword("observer.geo.name", field),
            "ColoCity" => doc.keyword("observer.geo.city_name", field),
            _ => doc.vendor(field),
        }
    }

    let (event_type, outcome): (&'static [&'static str], &'static str) = match action.as_deref() {
        Some(a) if a.eq_ignore_ascii_case("block") => (&["info", "denied"], "failure"),
        Some(a) if a.eq_ignore_ascii_case("pass") => (&["info", "allowed"], "success"),
        _ => (&["info"], ""),
    };
    doc.put_list("event.type", event_type);
    doc.put_const("event.outcome", outcome);
    put_community_id(doc, source.as_deref(), destination.as_deref(), protocol, (source_port, destination_port));
}

/// An integer field of a keyword ECS field (`rule.id`), as text; a string is taken as is.
fn number_text<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    if let Some(number) = field.as_i64() {
        doc.put_str(path, number.to_string());
    } else if let Some(text) = string(doc, field) {
        doc.put_str(path, text);
    }
}

/// The category of an Emerging Threats-style signature message: its second word when the
/// first is a ruleset tag (`ET`, `ETPRO`, `GPL`) and the second an upper-case category name.
fn category<'a>(message: &Cow<'a, str>) -> Option<Cow<'a, str>> {
    let mut words = message.split(' ');
    let tag = words.next()?;
    let category = words.next()?;
    let is_name =
        |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit());
    (["ET", "ETPRO", "GPL"].contains(&tag) && is_name(category) && category.bytes().any(|b| b.is_ascii_uppercase()))
        .then(|| crate::doc::slice_of(message, category))
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::category;
    use crate::datasets::Schema;
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detections_are_detected() {
        let alert = r#"{"Action":"block","ColoCity":"Tokyo","ColoCode":"NRT","DestinationIP":"203.0.113.80","DestinationPort":80,"Protocol":"tcp","SignatureID":2031296,"SignatureMessage":"ET EXPLOIT Example","SignatureRevision":1,"SourceIP":"198.51.100.2","SourcePort":44667,"Timestamp":"2024-05-02T10:00:00Z"}"#;
        let detected = detect(&parse_fields(alert).unwrap()).map(Schema::name);
        assert_eq!(detected.as_deref(), Some("magic_ids_detections"));
    }

    #[test]
    fn signature_categories() {
        let of = |m: &str| category(&Cow::Borrowed(m)).map(Cow::into_owned);
        assert_eq!(of("ET EXPLOIT Quanta LTE Router UDP Backdoor Activation Attempt").as_deref(), Some("EXPLOIT"));
        assert_eq!(of("ET CURRENT_EVENTS [Fireeye] POSSIBLE HackTool").as_deref(), Some("CURRENT_EVENTS"));
        assert_eq!(of("GPL ICMP_INFO PING").as_deref(), Some("ICMP_INFO"));
        assert_eq!(of("ET Exploit lower case"), None);
        assert_eq!(of("Custom rule hit"), None);
        assert_eq!(of("ET"), None);
        assert_eq!(of(""), None);
    }
}
