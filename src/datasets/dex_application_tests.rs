//! `dex_application_tests`: Digital Experience Monitoring synthetic tests a WARP client runs,
//! an HTTP request to an application or a traceroute to it.
//!
//! A measurement: `event.kind` `metric`, `event.category` `network` (and `web` for an HTTP
//! test), `event.type` `info`. The device and user are `host.*`/`device.*`/`user.*` (see
//! `warp_config_changes::device`); the tested URL is `url.*`, the request `http.*`; the
//! client's public address (HTTP) or the traceroute's source is `source.*`, the server or the
//! traceroute's destination `destination.*` (ip, AS, city, country, postal code; the state
//! codes, netmasks and IP versions are kept). `event.outcome` says whether the test reached
//! the application: the HTTP status (an error message without one is a failure), or the
//! traceroute's status (`destinationReached` or not). `Timestamp` is `@timestamp` and
//! `event.start`, `TracerouteTimeEnd` `event.end`. The timings (`HTTP...Ms`, milliseconds
//! since the test started, `TracerouteDurationMs`), the hops and the test's identity stay
//! under `cloudflare.*`, in their units. `ColoCode` is `observer.geo.name`, as in the other
//! datasets that name the Cloudflare data center.

use super::flow::time;
use super::request::status_outcome;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use super::warp::device;
use crate::doc::{DESTINATION, Doc, Endpoint, URL, Value, slice_of};
use crate::ecs::time::Unit;
use crate::ecs::url;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "dex_application_tests",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        ecs("ClientPlatform", Str),
        kept("ClientVersion", Str),
        ecs("ColoCode", Str),
        ecs("DeviceID", Str),
        kept("DeviceRegistrationID", Str),
        kept("ExecutionContext", Str),
        ecs("HTTPClientIPASN", Int),
        ecs("HTTPClientIPASO", Str),
        ecs("HTTPClientIPAddress", Str),
        ecs("HTTPClientIPCity", Str),
        ecs("HTTPClientIPCountryISO", Str),
        kept("HTTPClientIPNetmask", Str),
        kept("HTTPClientIPStateISO", Str),
        kept("HTTPClientIPVersion", Str),
        ecs("HTTPClientIPZip", Str),
        kept("HTTPConnectEndMs", Int),
        kept("HTTPConnectStartMs", Int),
        kept("HTTPDomainLookupEndMs", Int),
        kept("HTTPDomainLookupStartMs", Int),
        kept("HTTPErrorMessage", Str),
        ecs("HTTPMethod", Str),
        kept("HTTPRequestStartMs", Int),
        ecs("HTTPResponseBodyBytes", Int),
        kept("HTTPResponseEndMs", Int),
        kept("HTTPResponseHeaderBytes", Int),
        kept("HTTPResponseStartMs", Int),
        kept("HTTPSecureConnectionStartMs", Int),
        ecs("HTTPServerIPASN", Int),
        ecs("HTTPServerIPASO", Str),
        ecs("HTTPServerIPAddress", Str),
        ecs("HTTPServerIPCity", Str),
        ecs("HTTPServerIPCountryISO", Str),
        kept("HTTPServerIPNetmask", Str),
        kept("HTTPServerIPStateISO", Str),
        kept("HTTPServerIPVersion", Str),
        ecs("HTTPServerIPZip", Str),
        ecs("HTTPStatusCode", Int),
        ecs("HTTPURL", Str),
        kept("TestID", Str),
        kept("TestType", Str),
        ecs("Timestamp", Time),
        ecs("TracerouteDestinationHostname", Str),
        ecs("TracerouteDestinationIPASN", Int),
        ecs("TracerouteDestinationIPASO", Str),
        ecs("TracerouteDestinationIPAddress", Str),
        ecs("TracerouteDestinationIPCity", Str),
        ecs("TracerouteDestinationIPCountryISO", Str),
        kept("TracerouteDestinationIPNetmask", Str),
        kept("TracerouteDestinationIPStateISO", Str),
        kept("TracerouteDestinationIPVersion", Str),
        ecs("TracerouteDestinationIPZip", Str),
        kept("TracerouteDurationMs", Int),
        kept("TracerouteHops", Objects),
        kept("TracerouteMaxTTL", Int),
        ecs("TracerouteProtocol", Str),
        kept("TracerouteSize", Int),
        ecs("TracerouteSourceIPASN", Int),
        ecs("TracerouteSourceIPASO", Str),
        ecs("TracerouteSourceIPAddress", Str),
        ecs("TracerouteSourceIPCity", Str),
        ecs("TracerouteSourceIPCountryISO", Str),
        kept("TracerouteSourceIPNetmask", Str),
        kept("TracerouteSourceIPStateISO", Str),
        kept("TracerouteSourceIPVersion", Str),
        ecs("TracerouteSourceIPZip", Str),
        kept("TracerouteStatus", Str),
        ecs("TracerouteTimeEnd", Time),
        kept("TracerouteVersion", Str),
        kept("TunnelType", Str),
        ecs("UserEmail", Str),
        ecs("UserID", Str),
    ],
    mapping: Some(map),
};

/// The ECS fields of one end of a test.
pub(super) struct Side {
    endpoint: Endpoint,
    as_number: &'static str,
    as_organization: &'static str,
    city: &'static str,
    country: &'static str,
    postal_code: &'static str,
}

const SOURCE: Side = Side {
    endpoint: Endpoint::Source,
    as_number: "source.as.number",
    as_organization: "source.as.organization.name",
    city: "source.geo.city_name",
    country: "source.geo.country_iso_code",
    postal_code: "source.geo.postal_code",
};

const DESTINATION_SIDE: Side = Side {
    endpoint: Endpoint::Destination,
    as_number: "destination.as.number",
    as_organization: "destination.as.organization.name",
    city: "destination.geo.city_name",
    country: "destination.geo.country_iso_code",
    postal_code: "destination.geo.postal_code",
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "metric");
    doc.put_list("event.type", &["info"]);

    let (mut http, mut status, mut http_error, mut traceroute) = (false, None, false, None);
    for field in fields {
        let key = field.key();
        match key {
            "Timestamp" => {
                doc.timestamp_at(&["@timestamp", "event.start"], field, Unit::Auto);
            }
            "TracerouteTimeEnd" => {
                time(doc, &["event.end"], field);
            }
            "TestType" => {
                http |= field.as_str().is_some_and(|t| t.eq_ignore_ascii_case("http"));
                doc.vendor(field);
            }
            "ColoCode" => doc.keyword("observer.geo.name", field),
            "HTTPURL" => full_url(doc, field),
            "HTTPMethod" => doc.keyword("http.request.method", field),
            "HTTPStatusCode" => match field.as_i64() {
                // No response: no status code.
                Some(0) => doc.vendor(field),
                _ => status = doc.integer_at(&["http.response.status_code"], field),
            },
            "HTTPResponseBodyBytes" => doc.integer("http.response.body.bytes", field),
            "HTTPErrorMessage" => {
                http_error = field.as_str().is_some_and(|m| !m.is_empty());
                doc.vendor(field);
            }
            "TracerouteDestinationHostname" => match field.as_str() {
                Some(name) if !url::is_ip_literal(&name) => doc.domain(&DESTINATION, name),
                _ => doc.vendor(field),
            },
            "TracerouteProtocol" => match field.as_str() {
                Some(protocol) if !protocol.is_empty() => {
                    doc.put_str("network.transport", crate::ecs::lowercase(protocol));
                }
                _ => doc.vendor(field),
            },
            "TracerouteStatus" => {
                traceroute = field.as_str().filter(|s| !s.is_empty()).map(|s| s == "destinationReached");
                doc.vendor(field);
            }
            _ => {
                let placed = if let Some(rest) = key.strip_prefix("HTTPClientIP") {
                    side(doc, &SOURCE, rest, field)
                } else if let Some(rest) = key.strip_prefix("TracerouteSourceIP") {
                    side(doc, &SOURCE, rest, field)
                } else if let Some(rest) = key.strip_prefix("HTTPServerIP") {
                    side(doc, &DESTINATION_SIDE, rest, field)
                } else if let Some(rest) = key.strip_prefix("TracerouteDestinationIP") {
                    side(doc, &DESTINATION_SIDE, rest, field)
                } else {
                    device(doc, field)
                };
                if !placed {
                    doc.vendor(field);
                }
            }
        }
    }
    doc.put_list("event.category", if http { &["network", "web"] } else { &["network"] });
    let outcome = match (status.and_then(status_outcome), traceroute) {
        (Some(outcome), _) => Some(outcome),
        (None, Some(reached)) => Some(if reached { "success" } else { "failure" }),
        (None, None) if http_error => Some("failure"),
        (None, None) => None,
    };
    if let Some(outcome) = outcome {
        doc.put_const("event.outcome", outcome);
    }
}

/// `<side>IP<rest>`: the address, its AS and its geolocation; `false` for the parts ECS has
/// no field for (state code, netmask, IP version).
fn side<'a>(doc: &mut Doc<'a>, side: &Side, rest: &str, field: &Field<'a>) -> bool {
    match rest {
        "Address" => doc.endpoint_ip(side.endpoint, field),
        "ASN" => match field.as_i64() {
            Some(0) => doc.vendor(field),
            _ => doc.integer(side.as_number, field),
        },
        "ASO" => doc.keyword(side.as_organization, field),
        "City" => doc.keyword(side.city, field),
        "CountryISO" => doc.keyword(side.country, field),
        "Zip" => doc.keyword(side.postal_code, field),
        _ => return false,
    }
    true
}

/// A full URL: `url.original`, `url.full` and its parts (`domain` with its public-suffix
/// parts, `port`, `path`, `query`, `fragment`, `extension`). A value that is not an absolute
/// URL is only `url.original`.
fn full_url<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(text) = field.as_str().filter(|t| !t.is_empty()) else {
        return doc.keyword("url.original", field);
    };
    doc.put_str("url.original", text.clone());
    let Some(parts) = url::parse(&text) else {
        return;
    };
    doc.put_str("url.full", text.clone());
    doc.put_derived("url.scheme", &text, parts.scheme);
    let host = parts.domain.trim_start_matches('[').trim_end_matches(']');
    if url::is_ip_literal(host) {
        doc.put_derived("url.domain", &text, host);
    } else {
        doc.domain(&URL, slice_of(&text, host));
    }
    if let Some(port) = parts.port {
        doc.put("url.port", Value::Int(i64::from(port)));
    }
    doc.put_derived("url.path", &text, parts.path);
    if let Some(extension) = url::extension(parts.path) {
        doc.put_derived("url.extension", &text, extension);
    }
    if let Some(query) = parts.query {
        doc.put_derived("url.query", &text, query);
    }
    if let Some(fragment) = parts.fragment {
        doc.put_derived("url.fragment", &text, fragment);
    }
    if let Some(username) = parts.username {
        doc.put_derived("url.username", &text, username);
    }
}
