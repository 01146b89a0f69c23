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

use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_host_tests::invariants::{check_batch_output, check_single};
use cloudflare_ecs_host_tests::load_bad_inputs;
use serde_json::Value;

/// Options every case runs under.
const OPTION_SETS: &[&str] = &[
    "{}",
    r#"{"max_record_bytes":64}"#,
    r#"{"keep_message":false}"#,
    r#"{"dataset":"dns_logs"}"#,
    r#"{"dataset":"audit_logs","keep_message":false}"#,
    r#"{"dataset":"http_requests"}"#,
];

fn normalizer(options: &str) -> Normalizer {
    Normalizer::new(Options::from_json(options).unwrap_or_else(|e| panic!("options {options}: {e}")))
}

#[test]
fn every_case_yields_one_valid_document() {
    let cases = load_bad_inputs();
    for options in OPTION_SETS {
        let normalizer = normalizer(options);
        for (name, record) in &cases {
            // One valid document, the same bytes twice and through `normalize_into`.
            let document = check_single(&normalizer, record);
            let fresh = self::normalizer(options);
            assert_eq!(fresh.normalize(record), document, "{name} with {options}: depends on the instance");
        }
    }
}

#[test]
fn the_corpus_as_one_batch_yields_one_document_per_line() {
    let cases = load_bad_inputs();
    let batch = cases.iter().map(|(_, bytes)| bytes.as_slice()).collect::<Vec<_>>().join(&b"\n"[..]);
    for options in OPTION_SETS {
        let normalizer = normalizer(options);
        let mut output = Vec::new();
        normalizer.normalize_batch(&batch, &mut output);
        let mut again = Vec::new();
        normalizer.normalize_batch(&batch, &mut again);
        assert!(output == again, "{options}: batch output not deterministic");
        // One valid document per non-blank line, each that line's own document.
        check_batch_output(&normalizer, &batch, &output);
    }
}

fn error_type(normalizer: &Normalizer, record: &[u8]) -> Option<String> {
    let doc: Value = serde_json::from_str(&normalizer.normalize(record)).expect("JSON");
    doc.pointer("/error/type").and_then(Value::as_str).map(str::to_owned)
}

#[test]
fn limits_and_error_types() {
    let cases = load_bad_inputs();
    let case = |name: &str| {
        cases
            .iter()
            .find(|(n, _)| *n == format!("bad-inputs/{name}.bin"))
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
