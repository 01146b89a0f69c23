//! `email_security_alerts`: Email Security detections per message.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "email_security_alerts",
    variant: "",
    fields: &[
        field("AlertID", Str),
        field("AlertReasons", Strs),
        field("Attachments", Objects),
        field("BCC", Strs),
        field("CC", Strs),
        field("CCName", Strs),
        field("DKIMResult", Str),
        field("DMARCPolicy", Str),
        field("DMARCResult", Str),
        field("FinalDisposition", Str),
        field("From", Str),
        field("FromName", Str),
        field("Links", Strs),
        field("MessageDeliveryMode", Str),
        field("MessageID", Str),
        field("Origin", Str),
        field("OriginalSender", Str),
        field("ReplyTo", Str),
        field("ReplyToName", Str),
        field("SMTPEnvelopeFrom", Str),
        field("SMTPEnvelopeTo", Strs),
        field("SMTPHeloServerIP", Str),
        field("SMTPHeloServerIPAsName", Str),
        field("SMTPHeloServerIPAsNumber", Str),
        field("SMTPHeloServerIPGeo", Str),
        field("SMTPHeloServerName", Str),
        field("SPFResult", Str),
        field("Subject", Str),
        field("ThreatCategories", Strs),
        field("Timestamp", Time),
        field("To", Strs),
        field("ToName", Strs),
    ],
    mapping: None,
};
