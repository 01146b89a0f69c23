//! `email_security_post_delivery_events`: actions Email Security took, or was asked to take,
//! on mail already delivered: moves to another folder, submissions (reclassification
//! requests), quarantine releases.
//!
//! The event is the action: `Operation` is `event.action` and `Success` `event.outcome`;
//! `RequestedAt` is `@timestamp` and `event.start`, `CompletedAt` `event.end` (with
//! `event.duration`). The message acted on is `email.*`: `From`, `To`, `Subject`,
//! `MessageID`, `PostfixID` (the queue ID, `email.local_id`), and `MessageTimestamp` as
//! `email.origination_timestamp`. The verdict of that message (`FinalDisposition`) is not this
//! event's action, unlike in `email_security_alerts`, and stays under `cloudflare.*` with the
//! requested disposition, folders, reasons and the provider's status. Who asked
//! (`RequestedBy`) is `user.email`; the mailbox acted on (`Recipient`) `user.target.email`;
//! both are `related.user`, with the message's addresses. `event.kind` `event`,
//! `event.category` `email`, `event.type` `info` (the only type ECS allows with `email`).

use super::email::{address, addresses};
use super::flow::time;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Value};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "email_security_post_delivery_events",
    variant: "",
    fields: &[
        kept("AlertID", Str),
        ecs("CompletedAt", Time),
        kept("Destination", Str),
        kept("FinalDisposition", Str),
        kept("Folder", Str),
        ecs("From", Str),
        kept("FromName", Str),
        ecs("MessageID", Str),
        ecs("MessageTimestamp", Time),
        kept("MicrosoftTenantID", Str),
        ecs("Operation", Str),
        ecs("PostfixID", Str),
        kept("Reasons", Strs),
        ecs("Recipient", Str),
        ecs("RequestedAt", Time),
        ecs("RequestedBy", Str),
        kept("RequestedDisposition", Str),
        kept("Status", Str),
        ecs("Subject", Str),
        ecs("Success", Bool),
        ecs("To", Strs),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["email"]);
    doc.put_list("event.type", &["info"]);

    let (mut requested, mut completed) = (None, None);
    for field in fields {
        match field.key() {
            "RequestedAt" => requested = doc.timestamp_at(&["@timestamp", "event.start"], field, Unit::Auto),
            "CompletedAt" => completed = time(doc, &["event.end"], field),
            "MessageTimestamp" => {
                time(doc, &["email.origination_timestamp"], field);
            }
            "Operation" => doc.keyword("event.action", field),
            "Success" => match field.as_bool() {
                Some(success) => doc.put_const("event.outcome", if success { "success" } else { "failure" }),
                None => doc.bad_field(field, "expected a boolean"),
            },
            "From" => address(doc, "email.from.address", field),
            "To" => addresses(doc, "email.to.address", field),
            "Subject" => doc.keyword("email.subject", field),
            "MessageID" => doc.keyword("email.message_id", field),
            "PostfixID" => doc.keyword("email.local_id", field),
            "RequestedBy" => address(doc, "user.email", field),
            "Recipient" => address(doc, "user.target.email", field),
            _ => doc.vendor(field),
        }
    }
    if let (Some(start), Some(end)) = (requested, completed)
        && let Some(nanos) = end.nanos_since(&start).filter(|n| *n >= 0)
    {
        doc.put("event.duration", Value::Int(nanos));
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn a_typical_record_is_detected() {
        let record = r#"{"AlertID":"4WtWkr6nlBz9sNH-2024-08-28T15:32:35","CompletedAt":"2024-08-28T15:40:02Z","FinalDisposition":"malicious","From":"a@example.net","MessageID":"<m@example.net>","Operation":"move","PostfixID":"4WtWkr6nlBz9sNH","Recipient":"j@example.com","RequestedAt":"2024-08-28T15:39:58Z","Success":true}"#;
        let schema = detect(&parse_fields(record).unwrap()).map(|s| s.name());
        assert_eq!(schema.as_deref(), Some("email_security_post_delivery_events"));
    }
}
