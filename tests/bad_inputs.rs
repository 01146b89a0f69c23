//! The bad-input corpus (`fixtures/bad-inputs/*.bin`, one hostile record per file) through the
//! native core, alone and as one NDJSON batch, under several option sets.
//!
//! The corpus has no expected files: every case must keep the contract's invariants. Each
//! record (each non-blank line of a batch) yields exactly one JSON object document on one line,
//! one that strict parsers (serde_json) accept; an error document keeps the original text in
//! `message` (invalid UTF-8 replaced by U+FFFD); nothing panics; the same input and options give
//! the same bytes. Plus the limits: nesting past serde_json's limit gives `too_deep`, records
//! over `max_record_bytes` give `too_large`, and 100k lines with 10% garbage give 100k documents
//! in order.

use std::fmt;
use std::fs;
use std::path::Path;

use cloudflare_ecs::{Normalizer, Options};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// Options every case runs under.
const OPTION_SETS: &[&str] = &[
    "{}",
    r#"{"max_record_bytes":64}"#,
    r#"{"keep_message":false}"#,
    r#"{"dataset":"dns_logs"}"#,
    r#"{"dataset":"audit_logs","keep_message":false}"#,
    r#"{"dataset":"http_requests"}"#,
];

/// Fewer cases than this means the corpus was not found, not that all is well.
const MIN_CASES: usize = 30;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bad-inputs");
    let mut cases: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "bin"))
        .map(|path| {
            let name = path.file_stem().expect("file name").to_string_lossy().into_owned();
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (name, bytes)
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= MIN_CASES, "only {} cases under {}", cases.len(), dir.display());
    cases
}

fn normalizer(options: &str) -> Normalizer {
    Normalizer::new(Options::from_json(options).unwrap_or_else(|e| panic!("options {options}: {e}")))
}

/// A JSON object's top-level entries in order, values as raw text.
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
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(RawEntries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// What `message` may hold for `record`: the record as received (invalid UTF-8 replaced), or
/// the record inside its envelope (the first `message`/`log` key, when it is a string).
fn originals(record: &[u8]) -> Vec<String> {
    let mut texts = vec![String::from_utf8_lossy(record).into_owned()];
    if let Ok(text) = std::str::from_utf8(record)
        && let Ok(RawEntries(entries)) = serde_json::from_str::<RawEntries>(text.trim())
        && let Some((_, raw)) = entries.iter().find(|(key, _)| key == "message" || key == "log")
        && let Ok(inner) = serde_json::from_str::<String>(raw.get())
    {
        texts.push(inner);
    }
    texts
}

/// The invariants of one document produced for `record`.
fn check(document: &[u8], record: &[u8], keep_message: bool) -> Result<Value, String> {
    if document.contains(&b'\n') || document.contains(&b'\r') {
        return Err("document spans several lines".into());
    }
    let doc: Value = serde_json::from_slice(document).map_err(|e| format!("not strict JSON: {e}"))?;
    if !doc.is_object() {
        return Err("not a JSON object".into());
    }
    if doc.pointer("/observer/vendor").and_then(Value::as_str) != Some("Cloudflare") {
        return Err("observer.vendor is not Cloudflare".into());
    }
    let message = doc.get("message").and_then(Value::as_str);
    let is_error = doc.pointer("/event/kind").and_then(Value::as_str) == Some("pipeline_error");
    if is_error {
        let error_type = doc.pointer("/error/type").and_then(Value::as_str).unwrap_or_default();
        if error_type.is_empty() {
            return Err("error document without error.type".into());
        }
        if doc.pointer("/error/message").and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err("error document without error.message".into());
        }
    } else if doc.pointer("/event/dataset").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err("normalized document without event.dataset".into());
    }
    if is_error || keep_message {
        let message = message.ok_or("no message")?;
        if !originals(record).iter().any(|original| original == message) {
            return Err("message is not the original record".into());
        }
    } else if doc.get("message").is_some() {
        return Err("message written although keep_message is false".into());
    }
    Ok(doc)
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(300).collect()
}

#[test]
fn every_case_yields_one_valid_document() {
    let cases = corpus();
    for options in OPTION_SETS {
        let normalizer = normalizer(options);
        let keep_message = normalizer.options().keep_message;
        for (name, record) in &cases {
            let document = normalizer.normalize(record);
            if let Err(problem) = check(document.as_bytes(), record, keep_message) {
                panic!("{name} with {options}: {problem}\ndocument: {}", show(document.as_bytes()));
            }
            assert_eq!(normalizer.normalize(record), document, "{name} with {options}: not deterministic");
            let fresh = self::normalizer(options);
            assert_eq!(fresh.normalize(record), document, "{name} with {options}: depends on the instance");
            let mut appended = b"previous document\n".to_vec();
            normalizer.normalize_into(record, &mut appended);
            assert_eq!(appended.get(18..), Some(document.as_bytes()), "{name}: normalize_into differs");
        }
    }
}

/// The lines `normalize_batch` sees: split on `\n`, one `\r` removed, blank lines skipped.
fn batch_lines(ndjson: &[u8]) -> Vec<&[u8]> {
    ndjson
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .collect()
}

#[test]
fn the_corpus_as_one_batch_yields_one_document_per_line() {
    let cases = corpus();
    let batch = cases.iter().map(|(_, bytes)| bytes.as_slice()).collect::<Vec<_>>().join(&b"\n"[..]);
    let lines = batch_lines(&batch);
    for options in OPTION_SETS {
        let normalizer = normalizer(options);
        let mut output = Vec::new();
        normalizer.normalize_batch(&batch, &mut output);
        let mut again = Vec::new();
        normalizer.normalize_batch(&batch, &mut again);
        assert!(output == again, "{options}: batch output not deterministic");
        let body = output.strip_suffix(b"\n").expect("output ends with a newline");
        let documents: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
        assert_eq!(documents.len(), lines.len(), "{options}: documents for {} non-blank lines", lines.len());
        for (line, document) in lines.iter().zip(&documents) {
            if let Err(problem) = check(document, line, normalizer.options().keep_message) {
                panic!("{options}: {problem}\nline: {}\ndocument: {}", show(line), show(document));
            }
            assert_eq!(
                String::from_utf8_lossy(document),
                normalizer.normalize(line),
                "{options}: a batch document differs from its line alone: {}",
                show(line)
            );
        }
    }
}

fn error_type(normalizer: &Normalizer, record: &[u8]) -> Option<String> {
    let doc: Value = serde_json::from_str(&normalizer.normalize(record)).expect("JSON");
    doc.pointer("/error/type").and_then(Value::as_str).map(str::to_owned)
}

#[test]
fn limits_and_error_types() {
    let cases = corpus();
    let case = |name: &str| {
        cases
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, bytes)| bytes.as_slice())
            .unwrap_or_else(|| panic!("no case {name}"))
    };
    let defaults = normalizer("{}");
    for name in ["deep_nesting_1000_arrays", "deep_nesting_1000_objects", "deep_nesting_in_envelope"] {
        assert_eq!(error_type(&defaults, case(name)).as_deref(), Some("too_deep"), "{name}");
    }
    for name in ["invalid_utf8_in_string", "invalid_utf8_overlong", "invalid_utf8_cesu_surrogate", "latin1_text"] {
        assert_eq!(error_type(&defaults, case(name)).as_deref(), Some("invalid_utf8"), "{name}");
    }
    for name in ["json_array", "json_number", "json_null", "json_true", "json_string"] {
        assert_eq!(error_type(&defaults, case(name)).as_deref(), Some("not_an_object"), "{name}");
    }
    for name in ["invalid_json_garbage", "truncated_object", "nul_bytes_raw_in_string", "empty", "message_not_json"] {
        assert_eq!(error_type(&defaults, case(name)).as_deref(), Some("invalid_json"), "{name}");
    }
    // Just under the limit is a normal record; its deep values are kept as text.
    assert_eq!(error_type(&defaults, case("deep_nesting_just_under_limit")), None);

    let small = normalizer(r#"{"max_record_bytes":64}"#);
    let big = case("string_100k_domain");
    assert_eq!(error_type(&small, big).as_deref(), Some("too_large"));
    let doc: Value = serde_json::from_str(&small.normalize(big)).expect("JSON");
    assert_eq!(doc["message"].as_str().map(str::len), Some(big.len()), "too_large keeps the whole record");
    // Exactly at the limit is not too large.
    let exact = normalizer(&format!(r#"{{"max_record_bytes":{}}}"#, big.len()));
    assert_ne!(error_type(&exact, big).as_deref(), Some("too_large"));
}

#[test]
fn hundred_thousand_lines_with_ten_percent_garbage() {
    const LINES: usize = 100_000;
    let is_garbage = |i: usize| i % 10 == 3;
    let mut batch = Vec::with_capacity(LINES * 120);
    for i in 0..LINES {
        let marker = format!("#{i}#");
        if is_garbage(i) {
            match (i / 10) % 5 {
                0 => batch.extend_from_slice(format!("not json {marker}").as_bytes()),
                1 => batch.extend_from_slice(format!(r#"{{"QueryName":"{marker}""#).as_bytes()),
                2 => {
                    batch.push(0xff);
                    batch.extend_from_slice(marker.as_bytes());
                    batch.push(0xfe);
                }
                3 => batch.extend_from_slice(format!(r#"["{marker}"]"#).as_bytes()),
                _ => batch.extend_from_slice(format!(r#"{{"message":"{marker}"}}"#).as_bytes()),
            }
        } else {
            let record = format!(
                r#"{{"Timestamp":{},"QueryName":"q{i}.example.com.","QueryType":1,"ResponseCode":0,"ColoCode":"{marker}"}}"#,
                1_700_000_000 + i
            );
            batch.extend_from_slice(record.as_bytes());
        }
        // Mixed line endings, and blank lines that yield nothing.
        batch.extend_from_slice(match i % 7 {
            0 => b"\r\n",
            1 => b"\n\n",
            2 => b"\n \t\n",
            _ => b"\n",
        });
    }
    let mut output = Vec::new();
    normalizer("{}").normalize_batch(&batch, &mut output);
    let body = output.strip_suffix(b"\n").expect("output ends with a newline");
    let documents: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    assert_eq!(documents.len(), LINES);
    for (i, document) in documents.iter().enumerate() {
        let document = std::str::from_utf8(document).unwrap_or_else(|e| panic!("line {i}: {e}"));
        // The marker `#i#` (never escaped, never part of another marker) is in the record,
        // so in its `message`.
        assert!(document.contains(&format!("#{i}#")), "document {i} is not line {i}'s: {document}");
        let is_error = document.contains(r#""kind":"pipeline_error""#);
        assert_eq!(is_error, is_garbage(i), "line {i}: {document}");
        // A full parse of a sample (the corpus tests check every document's shape).
        if i % 101 == 0 || is_error && i % 11 == 0 {
            let doc: Value = serde_json::from_str(document).unwrap_or_else(|e| panic!("line {i}: {e}"));
            assert!(doc["message"].as_str().is_some_and(|m| m.contains(&format!("#{i}#"))), "line {i}");
            let dataset = doc.pointer("/event/dataset").and_then(Value::as_str);
            assert_eq!(dataset, (!is_error).then_some("dns_logs"), "line {i}");
        }
    }
}
