//! `workers_trace_events`: one record per Worker invocation: the script, the event that
//! triggered it, its outcome, and what it logged and threw.
//!
//! As in Elastic's `workers_trace` pipeline: `event.category` `web`, `event.action` the
//! event type (`fetch`, `scheduled`, `queue`, …), `event.type` `info` (with `error` when the
//! invocation failed), and from a `fetch` event's `Event` object the Ray ID as `event.id`
//! (and `http.request.id`), the request's URL as `url.*`, its method and the response status
//! as `http.*`. Unlike Elastic, which only knows `ok` and `exception`, every documented
//! `Outcome` gets an `event.outcome`: `ok` is `success`; an exception, an exceeded CPU,
//! memory or wall-time limit, a missing script and the platform's own refusals
//! (`killSwitch`, `loadShed`, `daemonDown`) are `failure`; a client that went away
//! (`canceled`, `responseStreamDisconnected`) says nothing of the Worker and is `unknown`, as
//! is `unknown`. The raw value is `event.reason`.
//!
//! `ScriptName` is `service.name`, the version's `Id` `service.version`. `WallTimeMs` (how
//! long the invocation's context was open) also gives `event.duration`. `Logs`, `Exceptions`,
//! the CPU and wall times, tags and dispatch namespace stay under `cloudflare.*` (values
//! nested deeper than the document's depth limit become JSON text). What `Event` holds
//! besides the fields copied to ECS is kept as `cloudflare.Event.*` (a `Request` or
//! `Response` with more than those fields whole, besides).
//!

use super::request::full_url;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Value};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "workers_trace_events",
    variant: "",
    fields: &[
        kept("CPUTimeMs", Int),
        kept("DispatchNamespace", Str),
        kept("Entrypoint", Str),
        kept("Event", Object),
        ecs("EventTimestampMs", EpochMs),
        ecs("EventType", Str),
        kept("Exceptions", Objects),
        kept("Logs", Objects),
        ecs("Outcome", Str),
        ecs("ScriptName", Str),
        kept("ScriptTags", Strs),
        kept("ScriptVersion", Object),
        kept("WallTimeMs", Int),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["web"]);

    let mut failed = false;
    for field in fields {
        match field.key() {
            "EventTimestampMs" => doc.timestamp("@timestamp", field, Unit::Millis),
            "ScriptName" => doc.keyword_at(&["service.name"], field),
            "EventType" => doc.keyword_at(&["event.action"], field),
            "Outcome" => failed = outcome(doc, field),
            "Event" => event(doc, field),
            "ScriptVersion" => script_version(doc, field),
            "WallTimeMs" => match field.as_i64().filter(|&ms| ms >= 0) {
                Some(ms) => {
                    doc.put("event.duration", Value::Int(ms.saturating_mul(1_000_000)));
                    doc.vendor(field);
                }
                None if crate::json::is_empty_value(field.raw()) => {}
                None => doc.bad_field(field, "expected a number of milliseconds"),
            },
            _ => doc.vendor(field),
        }
    }
    doc.put_list("event.type", if failed { &["info", "error"] } else { &["info"] });
}

/// `event.outcome` and `event.reason` of `Outcome`; whether the invocation failed.
fn outcome<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> bool {
    let Some(text) = field.as_str() else {
        doc.keyword_at(&["event.reason"], field);
        return false;
    };
    let outcome = match text.as_ref() {
        "ok" => "success",
        "exception" | "exceededCpu" | "exceededMemory" | "exceededWallTime" | "scriptNotFound" | "killSwitch"
        | "loadShed" | "daemonDown" => "failure",
        "" => "",
        _ => "unknown",
    };
    doc.put_str("event.outcome", outcome);
    doc.put_str("event.reason", text);
    outcome == "failure"
}

/// The triggering event: `RayID`, and a fetch's `Request` (`URL`, `Method`) and `Response`
/// (`Status`) to ECS; the rest kept as `cloudflare.Event.*`.
fn event<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(entries) = field.as_object() else {
        return if !crate::json::is_empty_value(field.raw()) {
            doc.bad_field(field, "expected an object")
        };
    };
    let mut rest = Vec::new();
    for entry in entries {
        let used = match entry.key() {
            "RayID" => match entry.as_str() {
                Some(ray) => {
                    doc.put_str("http.request.id", ray.clone());
                    doc.put_str("event.id", ray);
                    true
                }
                None => false,
            },
            "Request" => nested(doc, &entry, &["URL", "Method"], |doc, part| match (part.key(), part.as_str()) {
                ("URL", Some(text)) => {
                    full_url(doc, &text, true);
                    doc.put_str("url.original", text);
                    true
                }
                ("Method", Some(method)) => {
                    doc.put_str("http.request.method", method);
                    true
                }
                _ => false,
            }),
            "Response" => nested(doc, &entry, &["Status"], |doc, part| match part.key() {
                "Status" if part.as_i64().is_some() => {
                    doc.integer("http.response.status_code", part);
                    true
                }
                _ => false,
            }),
            _ => false,
        };
        if !used {
            rest.push(entry);
        }
    }
    if !rest.is_empty() {
        doc.vendor_object(field.key_cow(), &rest);
    }
}

/// Puts the `known` members of an object with `use_part`; whether it used them all (else the
/// object is to be kept whole, besides).
fn nested<'a>(
    doc: &mut Doc<'a>,
    field: &Field<'a>,
    known: &[&str],
    use_part: impl Fn(&mut Doc<'a>, &Field<'a>) -> bool,
) -> bool {
    let Some(parts) = field.as_object() else {
        return false;
    };
    let mut all = true;
    for part in &parts {
        all &= known.contains(&part.key()) && use_part(doc, part);
    }
    all
}

/// `ScriptVersion`: its `Id` as `service.version`, the rest (`Tag`, `Message`) kept.
fn script_version<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    let Some(entries) = field.as_object() else {
        return doc.vendor(field);
    };
    let mut rest = Vec::new();
    for entry in entries {
        match (entry.key(), entry.as_str()) {
            ("Id", Some(id)) => doc.put_str("service.version", id),
            _ => rest.push(entry),
        }
    }
    if !rest.is_empty() {
        doc.vendor_object(field.key_cow(), &rest);
    }
}


#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"EventTimestampMs":1772446507123,"EventType":"fetch","Outcome":"ok","ScriptName":"api-router","Logs":[],"Exceptions":[]}"#;
        let schema = detect(&parse_fields(record).unwrap()).map(|s| s.name());
        assert_eq!(schema.as_deref(), Some("workers_trace_events"));
    }
}
