//! The per-run tally printed on stderr.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// Counts of the documents produced: every record yields exactly one document.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub records: u64,
    /// Error documents (`event.kind` = `pipeline_error`).
    pub errors: u64,
    /// Normalized documents per `event.dataset`.
    pub per_dataset: BTreeMap<String, u64>,
    /// Error documents per `error.type`.
    pub per_error_type: BTreeMap<String, u64>,
}

impl Summary {
    /// Counts one output document; `Err` if it is not a JSON object.
    pub fn count(&mut self, document: &[u8]) -> Result<(), String> {
        let document: Value = serde_json::from_slice(document)
            .map_err(|error| format!("the module returned a line that is not JSON: {error}"))?;
        if !document.is_object() {
            return Err("the module returned a JSON value that is not an object".to_owned());
        }
        let text_at = |pointer: &str| {
            document
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_owned()
        };
        self.records += 1;
        if document.pointer("/event/kind").and_then(Value::as_str) == Some("pipeline_error") {
            self.errors += 1;
            *self
                .per_error_type
                .entry(text_at("/error/type"))
                .or_default() += 1;
        } else {
            *self
                .per_dataset
                .entry(text_at("/event/dataset"))
                .or_default() += 1;
        }
        Ok(())
    }
}

/// One `key: count` per line, sorted, e.g.
/// ```text
/// records: 4
/// errors: 1
/// dataset dns_logs: 3
/// error invalid_json: 1
/// ```
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "records: {}", self.records)?;
        writeln!(f, "errors: {}", self.errors)?;
        for (dataset, count) in &self.per_dataset {
            writeln!(f, "dataset {dataset}: {count}")?;
        }
        for (error_type, count) in &self.per_error_type {
            writeln!(f, "error {error_type}: {count}")?;
        }
        Ok(())
    }
}
