//! `spectrum_events`: Spectrum L4 (TCP/UDP) proxy connection events.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "spectrum_events",
    variant: "",
    fields: &[
        field("Application", Str),
        field("ClientAsn", Int),
        field("ClientBytes", Int),
        field("ClientCountry", Str),
        field("ClientIP", Str),
        field("ClientMatchedIpFirewall", Str),
        field("ClientPort", Int),
        field("ClientProto", Str),
        field("ClientTcpRtt", Int),
        field("ClientTlsCipher", Str),
        field("ClientTlsClientHelloServerName", Str),
        field("ClientTlsProtocol", Str),
        field("ClientTlsStatus", Str),
        field("ColoCode", Str),
        field("ConnectTimestamp", Time),
        field("DisconnectTimestamp", Time),
        field("Event", Str),
        field("IpFirewall", Bool),
        field("OriginBytes", Int),
        field("OriginIP", Str),
        field("OriginPort", Int),
        field("OriginProto", Str),
        field("OriginTcpRtt", Int),
        field("OriginTlsCipher", Str),
        field("OriginTlsFingerprint", Str),
        field("OriginTlsMode", Str),
        field("OriginTlsProtocol", Str),
        field("OriginTlsStatus", Str),
        field("ProxyProtocol", Str),
        field("Status", Int),
        field("Timestamp", Time),
    ],
    mapping: None,
};
