//! `sinkhole_http_logs`: HTTP requests received by a Cloudflare sinkhole, a server that answers
//! for domains taken over from malware operators (command-and-control, phishing kits).
//!
//! A record is an HTTP request: the sender is `source`/`client`, the sinkhole address it
//! reached `destination`, the request `url.*` (`url.full` and its parts from `URL`,
//! `url.original` the request target `URI` as sent, as in `http_requests`) and `http.*`
//! (method, referrer, body and its length), `user_agent.*`.
//!
//! Categorization: nothing legitimate talks to a sinkholed name, so a hit is evidence that
//! the sender is infected, and `event.category` is `network` with `intrusion_detection`:
//! ECS defines that category for network-based detections (IDS/IPS functions), which a
//! sinkhole is. It is not `malware`: ECS keeps that for malware detections on hosts
//! (EDR/EPP, a file or process identified as malware), and a sinkhole record names neither
//! the malware nor what it infected, only the client that made the request. `event.kind`
//! stays `event` (Elastic's `sinkhole_http` pipeline too, with `network` alone): the record
//! is an observation, not an alert raised by a rule; `event.type` is `info`.
//!
//! `Host` (the host the request named) is `destination.domain`; `url.domain` comes from the
//! URL, or from `Host` when there is none. Elastic puts `Host` in `host.name`, which ECS
//! keeps for the machine the event happened on, not the one a request was addressed to.
//! `Username` is `user.name` (and `related.user`) as in Elastic; the password the client sent
//! has no ECS home and stays, like the sinkhole's ID, the account and the raw `Headers`
//! text, under `cloudflare.*`.

use std::borrow::Cow;

use super::request::{UrlFields, client_ip, full_url, referrer, string, user_agent};
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{DESTINATION, Doc, Endpoint, slice_of};
use crate::ecs::{time::Unit, url};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "sinkhole_http_logs",
    variant: "",
    fields: &[
        kept("AccountID", Str),
        ecs("Body", Str),
        ecs("BodyLength", Int),
        // `DestAddr` and `SrcAddr` are mapped (`destination.ip`, `source.ip`/`client.ip`), but
        // `sample` makes IPs only for names ending in `IP`/`Address`, so the fate test sees its
        // words kept as bad IPs: declared `kept` until `sample` knows `…Addr`.
        ecs("DestAddr", Str),
        kept("Headers", Str),
        ecs("Host", Str),
        ecs("Method", Str),
        kept("Password", Str),
        kept("R2Path", Str),
        ecs("Referrer", Str),
        kept("SinkholeID", Str),
        ecs("SrcAddr", Str), // see `DestAddr`
        ecs("Timestamp", Time),
        ecs("URI", Str),
        ecs("URL", Str),
        ecs("UserAgent", Str),
        ecs("Username", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network", "intrusion_detection"]);
    doc.put_list("event.type", &["info"]);
    doc.put_const("network.protocol", "http");

    let (mut host, mut host_field, mut full, mut target) = (None, None, None, None);
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "SrcAddr" => client_ip(doc, field),
            "DestAddr" => doc.endpoint_ip(Endpoint::Destination, field),
            "Method" => doc.keyword_at(&["http.request.method"], field),
            "Referrer" => referrer(doc, field),
            "UserAgent" => user_agent(doc, field),
            "Body" => doc.keyword_at(&["http.request.body.content"], field),
            "BodyLength" => doc.integer("http.request.body.bytes", field),
            "Username" => {
                if let Some(name) = string(doc, field) {
                    doc.related_user(name.clone());
                    doc.put_str("user.name", name);
                }
            }
            "Host" => (host, host_field) = (string(doc, field), Some(field)),
            "URL" => full = string(doc, field),
            "URI" => target = string(doc, field),
            _ => doc.vendor(field),
        }
    }
    match full {
        Some(full) => {
            full_url(doc, &full, host.is_none());
            if let (Some(host), Some(field)) = (host, host_field) {
                destination_host(doc, field, host);
            }
            doc.put_str("url.original", target.unwrap_or(full));
        }
        None => UrlFields { host, target, ..UrlFields::default() }.put(doc),
    }
}

/// `Host` beside a full URL: the name it holds (without a port) as `destination.domain`; an
/// IP address (`DestAddr` has it) is kept as `cloudflare.Host`.
fn destination_host<'a>(doc: &mut Doc<'a>, field: &Field<'a>, host: Cow<'a, str>) {
    let name = match url::split_host_port(&host) {
        Some((name, _)) => name.strip_suffix('.').unwrap_or(name),
        None => "",
    };
    if name.is_empty() || url::is_ip_literal(name) {
        return doc.vendor(field);
    }
    let name = slice_of(&host, name);
    doc.domain(&DESTINATION, name);
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","DestAddr":"192.0.2.80","Host":"c2.example.net","Method":"POST","SinkholeID":"9a3b","SrcAddr":"198.51.100.23","Timestamp":"2026-03-02T10:15:07Z","URI":"/gate.php","URL":"http://c2.example.net/gate.php"}"#;
        let schema = detect(&parse_fields(record).unwrap()).map(|s| s.name());
        assert_eq!(schema.as_deref(), Some("sinkhole_http_logs"));
    }
}
