//! `websocket_analytics`: One record per proxied WebSocket connection. Two schemas: the zone one (PascalCase
//! keys) and the account one (camelCase keys), told apart by their keys.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const ZONE: Schema = Schema {
    dataset: "websocket_analytics",
    variant: "zone",
    fields: &[
        field("BytesReceivedClient", Int),
        field("BytesReceivedOrigin", Int),
        field("BytesSentClient", Int),
        field("BytesSentOrigin", Int),
        field("ClientASN", Int),
        field("ClientIP", Str),
        field("ClientRequestHost", Str),
        field("ClientRequestPath", Str),
        field("ClientRequestUserAgent", Str),
        field("ColoCode", Str),
        field("ConnectionCloseReason", Str),
        field("ConnectionCloseSource", Str),
        field("ConnectionID", Str),
        field("ConnectionTransportCloseCode", Int),
        field("EdgeEndTimestamp", Time),
        field("EdgeStartTimestamp", Time),
        field("RayID", Str),
    ],
    mapping: None,
};

pub const ACCOUNT: Schema = Schema {
    dataset: "websocket_analytics",
    variant: "account",
    fields: &[
        field("accountId", Int),
        field("byteRecvDownlink", Int),
        field("byteRecvUplink", Int),
        field("byteSentDownlink", Int),
        field("byteSentUplink", Int),
        field("clientASN", Int),
        field("clientIP", Str),
        field("clientRequestHTTPHost", Str),
        field("clientRequestPath", Str),
        field("clientRequestUserAgent", Str),
        field("coloCode", Str),
        field("connectionCloseReason", Str),
        field("connectionCloseSource", Str),
        field("connectionId", Str),
        field("rayId", Str),
        field("timestampEndNanos", EpochNs),
        field("timestampStartNanos", EpochNs),
        field("transportCloseCode", Int),
        field("zoneId", Int),
    ],
    mapping: None,
};
