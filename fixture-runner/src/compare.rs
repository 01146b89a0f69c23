//! Comparing output documents with expected ones: as JSON values, every array as a multiset.

use serde_json::{Map, Value};

/// `value` with object keys sorted and every array sorted by its elements' canonical text,
/// so that equal documents are equal values whatever their key and list order.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut keys: Vec<&String> = object.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|key| (key.clone(), canonical(&object[key])))
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(canonical).collect();
            items.sort_by_cached_key(Value::to_string);
            Value::Array(items)
        }
        scalar => scalar.clone(),
    }
}

/// Human-readable differences between two canonical values, one per JSON pointer.
fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut found = Vec::new();
    collect_differences("", expected, actual, &mut found);
    found
}

fn collect_differences(path: &str, expected: &Value, actual: &Value, found: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            let mut keys: Vec<&String> = expected.keys().chain(actual.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let path = format!("{path}/{key}");
                match (expected.get(key), actual.get(key)) {
                    (Some(expected), Some(actual)) => {
                        collect_differences(&path, expected, actual, found)
                    }
                    (Some(expected), None) => found.push(format!("  missing {path}: {expected}")),
                    (None, Some(actual)) => found.push(format!("  unexpected {path}: {actual}")),
                    (None, None) => {}
                }
            }
        }
        _ if expected != actual => found.push(format!(
            "  {}: expected {expected}, got {actual}",
            or_root(path)
        )),
        _ => {}
    }
}

fn or_root(path: &str) -> &str {
    if path.is_empty() { "(document)" } else { path }
}

/// Collects every mismatching case of a run, so one failure reports them all.
pub struct Mismatches {
    what: String,
    checked: usize,
    reports: Vec<String>,
}

impl Mismatches {
    /// `what` names the path under test in the failure message, e.g. "cfecs_transform".
    pub fn new(what: &str) -> Self {
        Self {
            what: what.to_owned(),
            checked: 0,
            reports: Vec::new(),
        }
    }

    /// Checks output bytes, which must be one JSON document equal to `expected`.
    pub fn check(&mut self, case: &str, expected: &Value, actual: &[u8]) {
        match serde_json::from_slice::<Value>(actual) {
            Ok(actual) => self.check_value(case, expected, &actual),
            Err(error) => {
                self.checked += 1;
                self.fail(
                    case,
                    &format!(
                        "output is not JSON ({error}):\n{}",
                        String::from_utf8_lossy(actual)
                    ),
                );
            }
        }
    }

    pub fn check_value(&mut self, case: &str, expected: &Value, actual: &Value) {
        self.checked += 1;
        let (expected, actual) = (canonical(expected), canonical(actual));
        if expected != actual {
            let report = format!(
                "differences:\n{}\n--- expected\n{}\n--- actual\n{}",
                differences(&expected, &actual).join("\n"),
                pretty(&expected),
                pretty(&actual)
            );
            self.fail(case, &report);
        }
    }

    /// Records a failure that is not a document mismatch.
    pub fn fail(&mut self, case: &str, message: &str) {
        self.reports.push(format!("=== {case}: {message}"));
    }

    /// Panics, listing every failure, unless all checks passed. Returns the number checked.
    pub fn assert_all_match(self) -> usize {
        if let Some(report) = self.report() {
            panic!("{report}");
        }
        eprintln!("{}: {} checks passed", self.what, self.checked);
        self.checked
    }
}

impl Mismatches {
    /// Every failed check, or `None` when all matched.
    pub fn report(&self) -> Option<String> {
        let failed = format!("{}: {} of {} checks failed", self.what, self.reports.len(), self.checked);
        (!self.reports.is_empty()).then(|| format!("{failed}\n\n{}\n\n{failed}", self.reports.join("\n\n")))
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
