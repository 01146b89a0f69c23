//! `websocket_analytics`: one record per WebSocket connection Cloudflare proxied, written when
//! it closed. Two schemas with the same content: the zone one (PascalCase keys, times in the
//! job's timestamp format) and the account one (camelCase keys, times always in epoch
//! nanoseconds), told apart by their keys. Both read the same, so one mapping serves both,
//! each schema naming its keys' roles (`zone_role`, `account_role`).
//!
//! The client is `source`/`client` (IP, ASN, user agent), the requested host and path of the
//! upgrade request `url.*` (the host also `destination.domain`), the data center
//! `observer.geo.name`, as in `http_requests`. The connection's start and end are
//! `@timestamp`/`event.start` and `event.end`, with `event.duration`; the connection ID is
//! `event.id`, the upgrade request's Ray ID `http.request.id`. A time of `0` is not a time (kept
//! under `cloudflare.*`, not made 1970). `event.type` is `connection`
//! and `end`: the record describes a connection that has ended.
//!
//! Bytes are the client's leg, as `http_requests` counts them: what the edge received from the
//! client is `source.bytes`/`client.bytes`, what it sent to the client `destination.bytes`,
//! their sum `network.bytes`. The origin leg's counts have no ECS home beside them and stay
//! under `cloudflare.*`.
//!
//! The close reason is `event.reason`, and gives `event.outcome`: a clean close (`none`,
//! `peerNoError`) is `success`, a timeout, a reset, a protocol violation or an unspecified error
//! `failure`. Who closed it, the transport close code (a TLS alert), and the account and zone
//! IDs stay under `cloudflare.*`.

use super::request::{UrlFields, client_ip, string, user_agent};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Value};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const ZONE: Schema = Schema {
    dataset: "websocket_analytics",
    variant: "zone",
    fields: &[
        ecs("BytesReceivedClient", Int),
        kept("BytesReceivedOrigin", Int),
        ecs("BytesSentClient", Int),
        kept("BytesSentOrigin", Int),
        ecs("ClientASN", Int),
        ecs("ClientIP", Str),
        ecs("ClientRequestHost", Str),
        ecs("ClientRequestPath", Str),
        ecs("ClientRequestUserAgent", Str),
        ecs("ColoCode", Str),
        ecs("ConnectionCloseReason", Str),
        kept("ConnectionCloseSource", Str),
        ecs("ConnectionID", Str),
        kept("ConnectionTransportCloseCode", Int),
        ecs("EdgeEndTimestamp", Time),
        ecs("EdgeStartTimestamp", Time),
        ecs("RayID", Str),
    ],
    mapping: Some(map_zone),
};

pub const ACCOUNT: Schema = Schema {
    dataset: "websocket_analytics",
    variant: "account",
    fields: &[
        kept("accountId", Int),
        kept("byteRecvDownlink", Int),
        ecs("byteRecvUplink", Int),
        ecs("byteSentDownlink", Int),
        kept("byteSentUplink", Int),
        ecs("clientASN", Int),
        ecs("clientIP", Str),
        ecs("clientRequestHTTPHost", Str),
        ecs("clientRequestPath", Str),
        ecs("clientRequestUserAgent", Str),
        ecs("coloCode", Str),
        ecs("connectionCloseReason", Str),
        kept("connectionCloseSource", Str),
        ecs("connectionId", Str),
        ecs("rayId", Str),
        ecs("timestampEndNanos", EpochNs),
        ecs("timestampStartNanos", EpochNs),
        kept("transportCloseCode", Int),
        kept("zoneId", Int),
    ],
    mapping: Some(map_account),
};

/// What a field of either schema is.
#[derive(Clone, Copy)]
enum Role {
    Start(Unit),
    End(Unit),
    ClientIp,
    ClientAsn,
    Host,
    Path,
    UserAgent,
    Colo,
    CloseReason,
    ConnectionId,
    RayId,
    /// Bytes the edge received from the client.
    FromClient,
    /// Bytes the edge sent to the client.
    ToClient,
}

fn zone_role(key: &str) -> Option<Role> {
    Some(match key {
        "EdgeStartTimestamp" => Role::Start(Unit::Auto),
        "EdgeEndTimestamp" => Role::End(Unit::Auto),
        "ClientIP" => Role::ClientIp,
        "ClientASN" => Role::ClientAsn,
        "ClientRequestHost" => Role::Host,
        "ClientRequestPath" => Role::Path,
        "ClientRequestUserAgent" => Role::UserAgent,
        "ColoCode" => Role::Colo,
        "ConnectionCloseReason" => Role::CloseReason,
        "ConnectionID" => Role::ConnectionId,
        "RayID" => Role::RayId,
        "BytesReceivedClient" => Role::FromClient,
        "BytesSentClient" => Role::ToClient,
        _ => return None,
    })
}

fn account_role(key: &str) -> Option<Role> {
    Some(match key {
        "timestampStartNanos" => Role::Start(Unit::Nanos),
        "timestampEndNanos" => Role::End(Unit::Nanos),
        "clientIP" => Role::ClientIp,
        "clientASN" => Role::ClientAsn,
        "clientRequestHTTPHost" => Role::Host,
        "clientRequestPath" => Role::Path,
        "clientRequestUserAgent" => Role::UserAgent,
        "coloCode" => Role::Colo,
        "connectionCloseReason" => Role::CloseReason,
        "connectionId" => Role::ConnectionId,
        "rayId" => Role::RayId,
        "byteRecvUplink" => Role::FromClient,
        "byteSentDownlink" => Role::ToClient,
        _ => return None,
    })
}

pub fn map_zone<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    map(fields, doc, zone_role);
}

pub fn map_account<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    map(fields, doc, account_role);
}

fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>, role: fn(&str) -> Option<Role>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_list("event.type", &["connection", "end"]);
    doc.put_const("observer.type", "proxy");
    doc.put_const("network.protocol", "websocket");
    doc.put_const("network.transport", "tcp");

    let mut request = UrlFields::default();
    let (mut start, mut end, mut from_client, mut to_client) = (None, None, None, None);
    for field in fields {
        let Some(role) = role(field.key()) else {
            doc.vendor(field);
            continue;
        };
        match role {
            Role::Start(_) | Role::End(_) if is_zero(field) => doc.vendor(field),
            Role::Start(unit) => start = doc.timestamp_at(&["@timestamp", "event.start"], field, unit),
            Role::End(unit) => end = doc.timestamp_at(&["event.end"], field, unit),
            Role::ClientIp => client_ip(doc, field),
            Role::ClientAsn => _ = doc.integer_at(&["source.as.number", "client.as.number"], field),
            Role::Host => request.host = string(doc, field),
            Role::Path => request.path = string(doc, field),
            Role::UserAgent => user_agent(doc, field),
            Role::Colo => doc.keyword_at(&["observer.geo.name"], field),
            Role::CloseReason => {
                if let Some(reason) = field.as_str() {
                    doc.put_str("event.outcome", close_outcome(&reason));
                }
                doc.keyword_at(&["event.reason"], field);
            }
            Role::ConnectionId => doc.keyword_at(&["event.id"], field),
            Role::RayId => doc.keyword_at(&["http.request.id"], field),
            Role::FromClient => from_client = doc.integer_at(&["source.bytes", "client.bytes"], field),
            Role::ToClient => to_client = doc.integer_at(&["destination.bytes"], field),
        }
    }
    if let (Some(start), Some(end)) = (start, end)
        && let Some(duration) = end.nanos_since(&start).filter(|&ns| ns >= 0)
    {
        doc.put("event.duration", Value::Int(duration));
    }
    if let (Some(from_client), Some(to_client)) = (from_client, to_client) {
        doc.put("network.bytes", Value::Int(from_client.saturating_add(to_client)));
    }
    request.put(doc);
}

/// A time of `0`: not known (an end not written yet), not 1970; kept as it is.
fn is_zero(field: &Field) -> bool {
    field.as_i64() == Some(0) || field.as_str().is_some_and(|s| s.trim() == "0")
}

/// `event.outcome` of a close reason.
fn close_outcome(reason: &str) -> &'static str {
    match reason {
        "none" | "peerNoError" => "success",
        "unspecifiedError" | "timedOut" | "peerReset" | "upstreamReset" | "protocolViolation" => "failure",
        "" => "",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    fn detected(json: &str) -> Option<String> {
        detect(&parse_fields(json).unwrap()).map(|s| s.name())
    }

    #[test]
    fn both_schemas_are_told_apart_and_from_http_requests() {
        let zone = r#"{"BytesReceivedClient":1024,"BytesSentClient":4096,"ClientIP":"198.51.100.7","ClientRequestHost":"chat.example.com","ConnectionCloseReason":"peerNoError","ConnectionCloseSource":"downstream","ConnectionID":"0f1e2d3c4b5a6978","EdgeEndTimestamp":"2026-03-02T10:20:07Z","EdgeStartTimestamp":"2026-03-02T10:15:07Z","RayID":"8f1a2b3c4d5e6f70"}"#;
        assert_eq!(detected(zone).as_deref(), Some("websocket_analytics/zone"));
        let account = r#"{"accountId":123456,"byteRecvUplink":1024,"byteSentDownlink":4096,"clientIP":"198.51.100.7","clientRequestHTTPHost":"chat.example.com","connectionCloseReason":"peerNoError","connectionId":"0f1e2d3c4b5a6978","rayId":"8f1a2b3c4d5e6f70","timestampEndNanos":1772446807000000000,"timestampStartNanos":1772446507000000000,"zoneId":987654}"#;
        assert_eq!(detected(account).as_deref(), Some("websocket_analytics/account"));
        // Keys the zone schema shares with `http_requests` decide nothing alone; one of its own
        // decides for it, and `http_requests`' own keys for `http_requests`.
        let shared = r#"{"ClientIP":"198.51.100.7","ClientRequestHost":"chat.example.com","EdgeStartTimestamp":"2026-03-02T10:15:07Z","RayID":"8f1a2b3c4d5e6f70"}"#;
        assert_ne!(detected(shared).as_deref(), Some("websocket_analytics/zone"));
        let zone_minimal = r#"{"ClientIP":"198.51.100.7","EdgeStartTimestamp":"2026-03-02T10:15:07Z","ConnectionID":"0f1e2d3c4b5a6978"}"#;
        assert_eq!(detected(zone_minimal).as_deref(), Some("websocket_analytics/zone"));
        let http = r#"{"ClientIP":"198.51.100.7","ClientRequestHost":"chat.example.com","ClientRequestURI":"/socket","EdgeResponseStatus":101,"EdgeStartTimestamp":"2026-03-02T10:15:07Z","RayID":"8f1a2b3c4d5e6f70"}"#;
        assert_eq!(detected(http).as_deref(), Some("http_requests"));
    }

    #[test]
    fn a_forced_dataset_picks_the_schema_by_keys() {
        let account = r#"{"clientIP":"198.51.100.7","connectionId":"0f1e2d3c4b5a6978"}"#;
        let fields = parse_fields(account).unwrap();
        let schema = crate::datasets::for_dataset("websocket_analytics", &fields).map(|s| s.name());
        assert_eq!(schema.as_deref(), Some("websocket_analytics/account"));
    }
}
