//! `gateway_network`: Gateway network (L4) firewall sessions and decisions.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "gateway_network",
    variant: "",
    fields: &[
        field("AccountID", Str),
        field("Action", Str),
        field("ApplicationIDs", Ints),
        field("ApplicationNames", Strs),
        field("CategoryIDs", Ints),
        field("CategoryNames", Strs),
        field("Datetime", Time),
        field("DestinationIP", Str),
        field("DestinationIPContinentCode", Str),
        field("DestinationIPCountryCode", Str),
        field("DestinationPort", Int),
        field("DetectedProtocol", Str),
        field("DeviceID", Str),
        field("DeviceName", Str),
        field("Email", Str),
        field("OverrideIP", Str),
        field("OverridePort", Int),
        field("PolicyID", Str),
        field("PolicyName", Str),
        field("ProxyEndpoint", Str),
        field("RegistrationID", Str),
        field("SNI", Str),
        field("SessionID", Str),
        field("SourceIP", Str),
        field("SourceIPContinentCode", Str),
        field("SourceIPCountryCode", Str),
        field("SourceInternalIP", Str),
        field("SourcePort", Int),
        field("TenantID", Str),
        field("Transport", Str), // deprecated
        field("TransportProtocol", Str),
        field("UserID", Str),
        field("VirtualNetworkID", Str),
        field("VirtualNetworkName", Str),
    ],
    mapping: None,
};
