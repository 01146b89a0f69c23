//! `biso_user_actions`: what a user did in an isolated browser session (copy, paste,
//! download, upload, print, keyboard input) and whether Browser Isolation allowed it.
//!
//! The action is `event.action` (`Type`); the decision gives `event.type` `allowed`/`denied`
//! and `event.outcome` as Gateway's decisions do (`ecs::security`), in the `network`
//! category, whose expected types those are (`web` has no `allowed`/`denied`); Browser
//! Isolation runs in the Gateway proxy (`observer.type` `proxy`). The user is `user.*`, the
//! page `url.*`, and its domain (`DomainName`) `destination.domain`. `Metadata`, the action's
//! details as JSON text, stays as `cloudflare.Metadata`.

use super::zero_trust::{url_field, user};
use super::request::string;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{DESTINATION, Doc};
use crate::ecs::security::{self, Effect};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "biso_user_actions",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        kept("Decision", Str),
        ecs("DomainName", Str),
        kept("Metadata", Str),
        ecs("Timestamp", Time),
        ecs("Type", Str),
        ecs("URL", Str),
        ecs("UserEmail", Str),
        ecs("UserID", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_const("observer.type", "proxy");

    let mut effect = Effect::Other;
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "Type" => doc.keyword("event.action", field),
            "Decision" => {
                effect = field.as_str().map_or(Effect::Other, |decision| security::effect(&decision));
                if !matches!(effect, Effect::Allow | Effect::Deny) {
                    doc.vendor(field);
                }
            }
            "AccountID" => doc.keyword("cloud.account.id", field),
            "UserEmail" => user(doc, "user.email", field),
            "UserID" => user(doc, "user.id", field),
            "URL" => url_field(doc, field),
            "DomainName" => {
                if let Some(domain) = string(doc, field) {
                    doc.domain(&DESTINATION, domain);
                }
            }
            _ => doc.vendor(field),
        }
    }
    doc.put_list("event.type", effect.event_types());
    if let Some(outcome) = effect.outcome() {
        doc.put_const("event.outcome", outcome);
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","Decision":"block","DomainName":"example.com","Metadata":"{}","Timestamp":"2024-03-14T09:26:53Z","Type":"download","URL":"https://example.com/report.pdf","UserEmail":"alice@example.com","UserID":"9b1f6f1c-3f2a-4b8e-a1d2-7c5e4f3a2b10"}"#;
        let fields = parse_fields(record).expect("an object");
        assert_eq!(detect(&fields).map(|s| s.name()).as_deref(), Some("biso_user_actions"));
    }
}
