//! `nel_reports`: Network Error Logging reports, sent by browsers that failed to reach the
//! zone (W3C NEL) and collected by Cloudflare.
//!
//! A report is evidence of a failure, so every document is `event.outcome` `failure`, with
//! the report's error type (`tcp.timed_out`, `dns.name_not_resolved`, …) as `error.type`,
//! as Elastic's `nel_report` pipeline does; `event.category` `network` / `event.type`
//! `info` as there too. The failing client has no IP in the record, only its network: its
//! ASN, AS name and country go to `source.*` and `client.*` (as in `http_requests`). The
//! phase (`dns`, `connection`, `application`) and the last data center the client reached
//! have no ECS home (`observer.*` would be the data center that logged the event, which this
//! is not) and stay under `cloudflare.*`.

use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::Doc;
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "nel_reports",
    variant: "",
    fields: &[
        ecs("ClientIPASN", Int),
        ecs("ClientIPASNDescription", Str),
        ecs("ClientIPCountry", Str),
        kept("LastKnownGoodColoCode", Str),
        kept("Phase", Str),
        ecs("Timestamp", Time),
        ecs("Type", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_list("event.type", &["info"]);
    doc.put_const("event.outcome", "failure");

    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "Type" => doc.keyword_at(&["error.type"], field),
            "ClientIPASN" => _ = doc.integer_at(&["source.as.number", "client.as.number"], field),
            "ClientIPASNDescription" => {
                doc.keyword_at(&["source.as.organization.name", "client.as.organization.name"], field)
            }
            "ClientIPCountry" => {
                doc.keyword_at(&["source.geo.country_iso_code", "client.geo.country_iso_code"], field)
            }
            _ => doc.vendor(field),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"ClientIPASN":64496,"ClientIPASNDescription":"EXAMPLE-AS","ClientIPCountry":"us","LastKnownGoodColoCode":"sjc","Phase":"connection","Timestamp":"2026-03-02T10:15:00Z","Type":"tcp.timed_out"}"#;
        let schema = detect(&parse_fields(record).unwrap()).map(|s| s.name());
        assert_eq!(schema.as_deref(), Some("nel_reports"));
        // `Phase` is shared with `dlp_forensic_copies`: alone with common keys, it decides nothing.
        let ambiguous = r#"{"Phase":"dns","Timestamp":1,"Type":"dns.name_not_resolved"}"#;
        assert_ne!(detect(&parse_fields(ambiguous).unwrap()).map(|s| s.name()).as_deref(), Some("dlp_forensic_copies"));
    }
}
