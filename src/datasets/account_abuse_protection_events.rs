//! `account_abuse_protection_events`: Login/signup/account-abuse events with fraud and bot signals.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "account_abuse_protection_events",
    variant: "",
    fields: &[
        field("AuthenticationIdentityProvider", Str),
        field("AuthenticationMethod", Str),
        field("AuthenticationStatus", Str),
        field("BotScore", Int),
        field("ClientASN", Int),
        field("ClientCity", Str),
        field("ClientCountry", Str),
        field("ClientIP", Str),
        field("Email", Str),
        field("EphemeralID", Str),
        field("EventSource", Str),
        field("EventType", Str),
        field("FraudEmailRisk", Str),
        field("Host", Str),
        field("JA4", Str),
        field("RayID", Str),
        field("Timestamp", Time),
        field("UserAgent", Str),
        field("UserID", Str),
    ],
    mapping: None,
};
