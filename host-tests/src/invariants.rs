//! The contract every surface's documents must keep (design.md §3, §4), checked by the
//! native and module bad-input tests and by the fuzz targets: every non-blank input line yields
//! exactly one JSON object document, normalized or an error document (`event.kind:
//! pipeline_error`) that keeps the original text in `message`; the same input and options give
//! the same bytes; ECS categorization values, times and IPs are well-formed.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use cloudflare_ecs::Normalizer;

/// A parsed JSON document that keeps duplicate keys and key order, parsed by serde_json's
/// strict path (numbers in f64 range, no lone surrogates), as a consumer downstream does.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a dotted path of nested objects (`event.kind`).
    pub fn at(&self, path: &str) -> Option<&Json> {
        path.split('.').try_fold(self, |value, key| value.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn str_at(&self, path: &str) -> Option<&str> {
        self.at(path).and_then(Json::as_str)
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct JsonVisitor;
        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
                if v.is_finite() { Ok(Json::Number(v)) } else { Err(E::custom("non-finite number")) }
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Json, E> {
                Ok(Json::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Json>()? {
                    entries.push((key, value));
                }
                Ok(Json::Object(entries))
            }
        }
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// A JSON object's top-level entries, in order, duplicates kept, values as raw text.
struct RawEntries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for RawEntries<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = RawEntries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push((key, value));
                }
                Ok(RawEntries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// The texts an error document's `message` may hold for `record`: the record as received
/// (invalid UTF-8 replaced by U+FFFD), or the record inside its `message`/`log` envelope (the
/// first such key, when it is a JSON string).
pub fn originals(record: &[u8]) -> Vec<String> {
    let lossy = String::from_utf8_lossy(record).into_owned();
    let mut texts = Vec::with_capacity(2);
    if let Ok(text) = std::str::from_utf8(record)
        && let Ok(RawEntries(entries)) = serde_json::from_str::<RawEntries>(text.trim())
        && let Some((_, raw)) = entries.iter().find(|(key, _)| key == "message" || key == "log")
        && let Ok(inner) = serde_json::from_str::<String>(raw.get())
    {
        texts.push(inner);
    }
    texts.push(lossy);
    texts
}

/// How much larger than its record a document may be. Escaping alone multiplies a control
/// byte by 6 (`\u0001`); a field may be written at a few ECS paths, in `related.*` and in
/// `message`.
pub const MAX_AMPLIFICATION: usize = 24;
pub const MAX_OVERHEAD: usize = 16 * 1024;

/// ECS allowed values (ECS 8.x) of the categorization fields.
const EVENT_KINDS: &[&str] = &["alert", "asset", "enrichment", "event", "metric", "state", "pipeline_error", "signal"];
const EVENT_CATEGORIES: &[&str] = &[
    "api",
    "authentication",
    "configuration",
    "database",
    "driver",
    "email",
    "file",
    "host",
    "iam",
    "intrusion_detection",
    "library",
    "malware",
    "network",
    "package",
    "process",
    "registry",
    "session",
    "threat",
    "vulnerability",
    "web",
];
const EVENT_TYPES: &[&str] = &[
    "access",
    "admin",
    "allowed",
    "change",
    "connection",
    "creation",
    "deletion",
    "denied",
    "device",
    "end",
    "error",
    "group",
    "indicator",
    "info",
    "installation",
    "protocol",
    "start",
    "user",
];
const EVENT_OUTCOMES: &[&str] = &["failure", "success", "unknown"];

/// Checks one output document against the record it came from.
pub fn check_document(document: &[u8], record: &[u8], keep_message: bool) -> Result<Json, String> {
    let text = std::str::from_utf8(document).map_err(|e| format!("document is not UTF-8: {e}"))?;
    if text.contains(['\n', '\r']) {
        return Err("document spans several lines".into());
    }
    let limit = MAX_AMPLIFICATION * record.len() + MAX_OVERHEAD;
    if document.len() > limit {
        return Err(format!("document of {} bytes for a record of {} bytes", document.len(), record.len()));
    }
    let doc: Json = serde_json::from_str(text).map_err(|e| format!("document is not strict JSON: {e}"))?;
    let Json::Object(_) = doc else {
        return Err("document is not a JSON object".into());
    };
    no_duplicate_keys(&doc, "")?;
    if doc.str_at("observer.vendor") != Some("Cloudflare") {
        return Err("observer.vendor is not Cloudflare".into());
    }
    let kind = doc.str_at("event.kind");
    if let Some(kind) = kind
        && !EVENT_KINDS.contains(&kind)
    {
        return Err(format!("event.kind {kind:?} is not an ECS value"));
    }
    check_allowed(&doc, "event.category", EVENT_CATEGORIES)?;
    check_allowed(&doc, "event.type", EVENT_TYPES)?;
    check_allowed(&doc, "event.outcome", EVENT_OUTCOMES)?;
    for path in ["@timestamp", "event.start", "event.end"] {
        if let Some(value) = doc.at(path) {
            let ok = value.as_str().is_some_and(is_ecs_time);
            if !ok {
                return Err(format!("{path} is not an ECS time: {value:?}"));
            }
        }
    }
    for path in ["source.ip", "client.ip", "destination.ip", "server.ip", "source.nat.ip", "destination.nat.ip"] {
        if let Some(value) = doc.at(path) {
            value.as_str().filter(|s| is_ecs_ip(s)).ok_or_else(|| format!("{path} is not an IP: {value:?}"))?;
        }
    }
    if let Some(Json::Array(ips)) = doc.at("related.ip") {
        for ip in ips {
            ip.as_str().filter(|s| is_ecs_ip(s)).ok_or_else(|| format!("related.ip has {ip:?}"))?;
        }
    }
    for list in ["related.ip", "related.hosts", "related.user", "related.hash"] {
        if let Some(value) = doc.at(list) {
            let Json::Array(items) = value else {
                return Err(format!("{list} is not an array"));
            };
            for (i, item) in items.iter().enumerate() {
                if items.get(..i).is_some_and(|before| before.contains(item)) {
                    return Err(format!("{list} repeats {item:?}"));
                }
            }
        }
    }

    let message = doc.get("message");
    if kind == Some("pipeline_error") {
        let error_type = doc.str_at("error.type").unwrap_or_default();
        if error_type.is_empty()
            || !error_type.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(format!("error document with error.type {:?}", doc.at("error.type")));
        }
        if doc.str_at("error.message").is_none_or(str::is_empty) {
            return Err("error document without error.message".into());
        }
        check_message(message, record)?;
    } else {
        if doc.str_at("event.dataset").is_none_or(str::is_empty) {
            return Err("normalized document without event.dataset".into());
        }
        if keep_message {
            check_message(message, record)?;
        } else if message.is_some() {
            return Err("message written although keep_message is false".into());
        }
    }
    Ok(doc)
}

fn check_message(message: Option<&Json>, record: &[u8]) -> Result<(), String> {
    let Some(message) = message else {
        return Err("no message".into());
    };
    let Some(message) = message.as_str() else {
        return Err(format!("message is not a string: {message:?}"));
    };
    let originals = originals(record);
    if originals.iter().any(|o| o == message) {
        Ok(())
    } else {
        Err(format!(
            "message {:?} is not the original record ({:?})",
            cut(message),
            originals.iter().map(|o| cut(o)).collect::<Vec<_>>()
        ))
    }
}

fn cut(s: &str) -> String {
    s.chars().take(200).collect()
}

fn check_allowed(doc: &Json, path: &str, allowed: &[&str]) -> Result<(), String> {
    let values: Vec<&Json> = match doc.at(path) {
        None => return Ok(()),
        Some(Json::Array(items)) => items.iter().collect(),
        Some(value) => vec![value],
    };
    for value in values {
        match value.as_str() {
            Some(v) if allowed.contains(&v) => {}
            _ => return Err(format!("{path} has {value:?}, not an ECS allowed value")),
        }
    }
    Ok(())
}

/// `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC.
pub fn is_ecs_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| b.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let base = digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && at(10, b'T')
        && digits(11..13)
        && at(13, b':')
        && digits(14..16)
        && at(16, b':')
        && digits(17..19);
    base && match b.len() {
        20 => at(19, b'Z'),
        27 => at(19, b'.') && digits(20..26) && at(26, b'Z') && b.get(20..26) != Some(b"000000"),
        _ => false,
    }
}

/// An IP address in ECS form: parses, and IPv4-mapped IPv6 has been unwrapped.
pub fn is_ecs_ip(s: &str) -> bool {
    match s.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => v6.to_ipv4_mapped().is_none(),
        Ok(std::net::IpAddr::V4(_)) => true,
        Err(_) => false,
    }
}

/// No object of a document repeats a key, copied values under `cloudflare.*` included
/// (Elasticsearch rejects such documents; in copied values the last occurrence wins).
fn no_duplicate_keys(value: &Json, path: &str) -> Result<(), String> {
    match value {
        Json::Object(entries) => {
            for (i, (key, child)) in entries.iter().enumerate() {
                if entries.iter().take(i).any(|(k, _)| k == key) {
                    return Err(format!("duplicate key {path}.{key}"));
                }
                no_duplicate_keys(child, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        Json::Array(items) => items.iter().try_for_each(|item| no_duplicate_keys(item, path)),
        _ => Ok(()),
    }
}

/// The non-blank lines of NDJSON as the batch entry sees them: split on `\n`, one trailing `\r`
/// removed, lines of ASCII whitespace only skipped.
pub fn batch_lines(ndjson: &[u8]) -> Vec<&[u8]> {
    ndjson
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .collect()
}

/// Splits batch output into documents: each ends with `\n`.
pub fn output_lines(output: &[u8]) -> Result<Vec<&[u8]>, String> {
    if output.is_empty() {
        return Ok(Vec::new());
    }
    let Some(body) = output.strip_suffix(b"\n") else {
        return Err("batch output does not end with a newline".into());
    };
    Ok(body.split(|&b| b == b'\n').collect())
}

/// One record through `normalize` (twice: same bytes) and `normalize_into`.
pub fn check_single(normalizer: &Normalizer, record: &[u8]) -> String {
    let document = normalizer.normalize(record);
    let again = normalizer.normalize(record);
    assert_eq!(document, again, "normalize is not deterministic");
    let mut into = b"prefix".to_vec();
    normalizer.normalize_into(record, &mut into);
    assert_eq!(into.get(6..), Some(document.as_bytes()), "normalize_into differs from normalize");
    if let Err(problem) = check_document(document.as_bytes(), record, normalizer.options().keep_message) {
        panic!("{problem}\nrecord:   {:?}\ndocument: {document}", String::from_utf8_lossy(record));
    }
    document
}

/// NDJSON through `normalize_batch`: one document per non-blank line, in order, each the same
/// bytes as that line alone through `normalize`.
pub fn check_batch(normalizer: &Normalizer, ndjson: &[u8]) -> Vec<u8> {
    let mut output = Vec::new();
    normalizer.normalize_batch(ndjson, &mut output);
    check_batch_output(normalizer, ndjson, &output);
    output
}

/// Checks `output`, the batch output for `ndjson` of some surface, against the native core.
pub fn check_batch_output(normalizer: &Normalizer, ndjson: &[u8], output: &[u8]) {
    let lines = batch_lines(ndjson);
    let documents = output_lines(output).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        documents.len(),
        lines.len(),
        "{} documents for {} non-blank lines\ninput: {:?}",
        documents.len(),
        lines.len(),
        String::from_utf8_lossy(ndjson)
    );
    for (line, document) in lines.iter().zip(&documents) {
        let single = normalizer.normalize(line);
        assert_eq!(
            String::from_utf8_lossy(document),
            single,
            "batch document differs from the line's single document\nline: {:?}",
            String::from_utf8_lossy(line)
        );
        if let Err(problem) = check_document(document, line, normalizer.options().keep_message) {
            panic!(
                "{problem}\nline:     {:?}\ndocument: {}",
                String::from_utf8_lossy(line),
                String::from_utf8_lossy(document)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecs_times() {
        assert!(is_ecs_time("2022-07-07T22:42:06Z"));
        assert!(is_ecs_time("2022-07-07T22:42:06.004000Z"));
        assert!(!is_ecs_time("2022-07-07T22:42:06.000000Z"));
        assert!(!is_ecs_time("2022-07-07T22:42:06.004Z"));
    }
}
