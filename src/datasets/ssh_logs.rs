//! `ssh_logs`: SSH sessions proxied by Cloudflare (Access for Infrastructure, Gateway's SSH
//! proxy), one record per message of a program (a shell, an `exec` command, a tunnel) run in
//! a session.
//!
//! A `network`/`session` event over `ssh` (`observer.type` `proxy`): the client is
//! `source.*`, the server `destination.*` (an `ip:port` or `host:port` address is split);
//! the Zero Trust user is `user.*`, and the Unix principal the session logs in as
//! (`Username`) is `user.effective.name`, the user ECS says an action is performed as. The
//! session's start and end are `event.start`/`event.end` (with `event.duration` once it has
//! ended); a program that runs on the server (`shell`, `exec`, `x11`) is `process.*`
//! (`ProgramID` → `process.entity_id`, its start and end, `process.interactive` for a
//! shell), a tunnel (`direct-tcpip`, `forwarded-tcpip`) keeps its program fields under
//! `cloudflare.*`. An `Error` means the session failed (`event.outcome` `failure`); its text
//! stays as `cloudflare.Error`, since `error.message` carries the normalizer's own notes.
//!
//! The command of an `exec` program is inside `Payload`, an asciicast recording that Cloudflare
//! encrypts with the account's key when command logging is on: not text to read a
//! `process.command_line` from, it stays as `cloudflare.Payload`, as do `PTY`, the session
//! and target IDs and the program type.

use std::borrow::Cow;

use super::zero_trust::user;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, DomainFields, Value, slice_of};
use crate::ecs::time::{Timestamp, Unit};
use crate::ecs::{ip, url};
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "ssh_logs",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        ecs("ClientAddress", Str),
        ecs("Datetime", Time),
        kept("Error", Str),
        kept("PTY", Str),
        kept("Payload", Str),
        ecs("ProgramFinishDatetime", Time),
        ecs("ProgramID", Str),
        ecs("ProgramStartDatetime", Time),
        kept("ProgramType", Str),
        ecs("ServerAddress", Str),
        ecs("SessionFinishDatetime", Time),
        kept("SessionID", Str),
        ecs("SessionStartDatetime", Time),
        kept("TargetID", Str),
        ecs("UserEmail", Str),
        ecs("UserID", Str),
        ecs("Username", Str),
    ],
    mapping: Some(map),
};

/// An endpoint's ECS fields.
struct Side {
    ip: &'static str,
    port: &'static str,
    domain: DomainFields,
}

const SOURCE: Side = Side {
    ip: "source.ip",
    port: "source.port",
    domain: DomainFields {
        domain: "source.domain",
        registered_domain: "source.registered_domain",
        top_level_domain: "source.top_level_domain",
        subdomain: "source.subdomain",
    },
};

const DESTINATION: Side = Side {
    ip: "destination.ip",
    port: "destination.port",
    domain: DomainFields {
        domain: "destination.domain",
        registered_domain: "destination.registered_domain",
        top_level_domain: "destination.top_level_domain",
        subdomain: "destination.subdomain",
    },
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network", "session"]);
    doc.put_list("event.type", &["info"]);
    doc.put_const("observer.type", "proxy");
    doc.put_const("network.protocol", "ssh");
    doc.put_const("network.transport", "tcp");

    let (mut session_start, mut session_end) = (None, None);
    let mut program: [Option<&Field<'a>>; 3] = [None; 3];
    let mut program_type = None;
    for field in fields {
        match field.key() {
            "Datetime" => doc.timestamp("@timestamp", field, Unit::Auto),
            "SessionStartDatetime" => session_start = doc.timestamp_at(&["event.start"], field, Unit::Auto),
            "SessionFinishDatetime" => session_end = finish(doc, "event.end", field),
            "AccountID" => doc.keyword("cloud.account.id", field),
            "ClientAddress" => address(doc, &SOURCE, field),
            "ServerAddress" => address(doc, &DESTINATION, field),
            "UserEmail" => user(doc, "user.email", field),
            "UserID" => user(doc, "user.id", field),
            "Username" => user(doc, "user.effective.name", field),
            "Error" => {
                if field.as_str().is_some_and(|error| !error.is_empty()) {
                    doc.put_const("event.outcome", "failure");
                }
                doc.vendor(field);
            }
            "ProgramID" => program[0] = Some(field),
            "ProgramStartDatetime" => program[1] = Some(field),
            "ProgramFinishDatetime" => program[2] = Some(field),
            "ProgramType" => {
                program_type = field.as_str();
                doc.vendor(field);
            }
            _ => doc.vendor(field),
        }
    }

    if let Some(start) = session_start {
        // Without `Datetime` in the job, the record is dated by its session (a time already
        // put at `@timestamp` wins).
        doc.put("@timestamp", Value::Time(start));
    }
    if let (Some(start), Some(end)) = (session_start, session_end)
        && let Some(nanos) = end.nanos_since(&start).filter(|n| *n >= 0)
    {
        doc.put("event.duration", Value::Int(nanos));
    }
    let process = match program_type.as_deref() {
        Some("direct-tcpip" | "forwarded-tcpip") => false,
        Some("shell") => {
            doc.put("process.interactive", Value::Bool(true));
            true
        }
        Some("exec") => {
            doc.put("process.interactive", Value::Bool(false));
            true
        }
        _ => true,
    };
    let [id, start, end] = program;
    match (process, id) {
        (true, Some(id)) => doc.keyword("process.entity_id", id),
        (_, Some(id)) => doc.vendor(id),
        _ => {}
    }
    match (process, start) {
        (true, Some(start)) => doc.timestamp("process.start", start, Unit::Auto),
        (_, Some(start)) => doc.vendor(start),
        _ => {}
    }
    match (process, end) {
        (true, Some(end)) => {
            finish(doc, "process.end", end);
        }
        (_, Some(end)) => doc.vendor(end),
        _ => {}
    }
}

/// A time that is empty (`""`, `0`) until the session or program ends: left out until then,
/// never 1970-01-01.
fn finish<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) -> Option<Timestamp> {
    if field.raw() == "0" || field.as_str().is_some_and(|text| text.trim() == "0") {
        return None;
    }
    doc.timestamp_at(&[path], field, Unit::Auto)
}

/// An address as Cloudflare writes it: an IP, `ip:port`, `[v6]:port`, or `host:port`.
fn address<'a>(doc: &mut Doc<'a>, side: &Side, field: &Field<'a>) {
    let Some(text) = field.as_str().filter(|text| !text.is_empty()) else {
        return doc.ip(side.ip, field); // empty, or not a string: a bad field
    };
    if ip::normalize(&text).is_some() {
        return doc.ip(side.ip, field);
    }
    // `host:port`, `[v6]:port`; an unbracketed `v6:port` when what is before the last colon
    // is an address.
    let unbracketed_v6 = text
        .rsplit_once(':')
        .filter(|(host, _)| host.contains(':') && ip::normalize(host).is_some())
        .and_then(|(host, port)| Some((host, Some(port.parse::<u16>().ok()?))));
    let Some((host, port)) = unbracketed_v6.or_else(|| url::split_host_port(&text)) else {
        return doc.bad_field(field, "not an address");
    };
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    if let Some(normalized) = ip::normalize(bare) {
        let normalized = match normalized {
            Cow::Borrowed(part) => slice_of(&text, part),
            Cow::Owned(owned) => Cow::Owned(owned),
        };
        doc.related_ip(normalized.clone());
        doc.put_str(side.ip, normalized);
    } else if !host.is_empty() && !host.contains(['[', ']', ':', ' ', '/']) {
        doc.domain(&side.domain, slice_of(&text, host));
    } else {
        return doc.bad_field(field, "not an address");
    }
    if let Some(port) = port {
        doc.put(side.port, Value::Int(i64::from(port)));
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","ClientAddress":"198.51.100.7:52344","Datetime":"2024-03-14T09:26:53Z","ProgramID":"p-1","ProgramType":"shell","ServerAddress":"192.0.2.10:22","SessionID":"s-1","SessionStartDatetime":"2024-03-14T09:20:00Z","TargetID":"t-1","UserEmail":"alice@example.com","Username":"ubuntu"}"#;
        let fields = parse_fields(record).expect("an object");
        assert_eq!(detect(&fields).map(|s| s.name()).as_deref(), Some("ssh_logs"));
    }
}
