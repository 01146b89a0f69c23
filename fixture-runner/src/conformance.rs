//! Elastic's public pipeline-test pairs (`../shared/conformance/elastic/<stream>.jsonl`: an
//! input line and the document Elastic's ingest pipeline made of it) as a yardstick for the
//! ECS part of our documents.
//!
//! Each expected document is flattened to `(path, value)` pairs outside Elastic's own
//! namespaces (lists as single elements, dates as instants); a pair is reproduced when our
//! document has that value at that path. A test names the paths it deliberately maps
//! otherwise, each with a reason; what is neither reproduced nor named fails, and so does a
//! case reproducing less than 80% of its pairs.

use std::path::PathBuf;

use cloudflare_ecs::{Normalizer, Options};
use serde_json::Value;

/// Paths that are Elastic's bookkeeping, not ECS mapping choices.
const IGNORED: &[&str] = &["event.original", "event.ingested", "event.dataset", "ecs.version", "tags", "message"];
/// Namespaces that are Elastic's package fields, not ECS.
const IGNORED_PREFIXES: &[&str] = &["cloudflare_logpush.", "cloudflare.", "data_stream.", "_tmp."];

/// The share of each case's ECS pairs our document must reproduce.
pub const MIN_REPRODUCED: f64 = 0.8;

/// Where the pairs are: beside the repository, as in CI.
fn conformance_dir() -> PathBuf {
    crate::fixtures_dir().join("../../shared/conformance/elastic")
}

/// Runs every case of `stream` (`cloudflare_logpush.gateway_dns`) with the dataset forced to
/// `dataset`, and panics with a report unless every case reproduces at least
/// `MIN_REPRODUCED` of its ECS pairs and every other pair's path is in `deviations`
/// (`(path, reason)`), and every deviation is needed by some case.
pub fn check(stream: &str, dataset: &str, deviations: &[(&str, &str)]) {
    check_reproducing(stream, dataset, MIN_REPRODUCED, deviations);
}

/// `check` with another share to reproduce, for a stream where Elastic's pipeline writes
/// values ECS does not allow in so many of its pairs that correct ECS cannot reach
/// `MIN_REPRODUCED` (the caller says why).
pub fn check_reproducing(stream: &str, dataset: &str, min_share: f64, deviations: &[(&str, &str)]) {
    let path = conformance_dir().join(format!("{stream}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let options = Options::from_json(&format!(r#"{{"dataset":"{dataset}"}}"#)).expect("a known dataset");
    let normalizer = Normalizer::new(options);
    let mut failures = Vec::new();
    let mut used = vec![false; deviations.len()];
    for (case, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let pair: Value = serde_json::from_str(line).expect("a conformance line is JSON");
        let input = pair["input"].as_str().expect("input is a string");
        let ours: Value = serde_json::from_str(&normalizer.normalize(input.as_bytes())).expect("a document is JSON");
        let mut expected = Vec::new();
        flatten("", &pair["expected"], &mut expected);
        expected.retain(|(path, _)| !IGNORED.contains(&path.as_str()) && !IGNORED_PREFIXES.iter().any(|p| path.starts_with(p)));
        let record: Value = serde_json::from_str(input).unwrap_or(Value::Null);
        let mut inputs = Vec::new();
        flatten("", &record, &mut inputs);
        let before = expected.len();
        expected.retain(|(path, value)| !is_geoip_enrichment(path, value, &inputs));
        let enriched = before - expected.len();
        if enriched > 0 {
            println!("{stream} case {case}: {enriched} pairs from Elastic's GeoIP database not counted");
        }
        let mut reproduced = 0;
        for (path, value) in &expected {
            if has(&ours, path, value) {
                reproduced += 1;
            } else if let Some(i) = deviations.iter().position(|(p, _)| p == path) {
                used[i] = true;
            } else {
                failures.push(format!("case {case}: {path} = {value} not reproduced (ours: {})", at(&ours, path)));
            }
        }
        let share = if expected.is_empty() { 1.0 } else { reproduced as f64 / expected.len() as f64 };
        println!("{stream} case {case}: {reproduced} of {} ECS pairs reproduced ({:.0}%)", expected.len(), share * 100.0);
        if share < min_share {
            failures.push(format!("case {case}: only {reproduced} of {} ECS pairs reproduced", expected.len()));
        }
    }
    for ((path, _), used) in deviations.iter().zip(used) {
        if !used {
            failures.push(format!("deviation {path} is listed but no case needs it"));
        }
    }
    assert!(failures.is_empty(), "{stream} against {dataset}:\n{}", failures.join("\n"));
}

/// A `*.geo.*` or `*.as.*` pair whose value is nowhere in the record: Elastic's `geoip`
/// processor looked it up in its test database; no mapping of the record can reproduce it.
fn is_geoip_enrichment(path: &str, value: &Value, record: &[(String, Value)]) -> bool {
    let enrichable = path.split('.').any(|part| part == "geo" || part == "as");
    enrichable && !record.iter().any(|(_, v)| same(v, value))
}

/// Leaf `(path, value)` pairs, every list element its own pair.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(object) => {
            for (key, value) in object {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, value, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                flatten(prefix, item, out);
            }
        }
        scalar => out.push((prefix.to_owned(), scalar.clone())),
    }
}

/// Whether `document` holds `value` at `path` (in a list: as one of its elements).
fn has(document: &Value, path: &str, value: &Value) -> bool {
    let mut found = Vec::new();
    flatten("", document, &mut found);
    found.iter().any(|(p, v)| p == path && same(v, value))
}

fn at(document: &Value, path: &str) -> String {
    let mut found = Vec::new();
    flatten("", document, &mut found);
    let values: Vec<String> = found.into_iter().filter(|(p, _)| p == path).map(|(_, v)| v.to_string()).collect();
    if values.is_empty() { "absent".to_owned() } else { values.join(", ") }
}

/// Equal values; dates equal as instants (`…07.000Z` is `…07Z`), numbers as numbers.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => instant(a) == instant(b),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => a == b,
    }
}

/// An RFC 3339 UTC date without its `Z` and trailing fraction zeros; other text as is.
fn instant(text: &str) -> &str {
    let is_date = text.len() >= 20 && text.as_bytes().get(10) == Some(&b'T') && text.ends_with('Z');
    if !is_date {
        return text;
    }
    let text = text.trim_end_matches('Z');
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { text }
}
