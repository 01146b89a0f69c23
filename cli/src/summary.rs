//! The per-run tally printed on stderr, from what the core says of each document it writes.

use std::collections::BTreeMap;
use std::fmt;

use cloudflare_ecs::Outcome;

/// Counts of the documents produced: every record yields exactly one document.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub records: u64,
    /// Error documents (`event.kind` = `pipeline_error`).
    pub errors: u64,
    /// Normalized documents per `event.dataset`.
    pub per_dataset: BTreeMap<&'static str, u64>,
    /// Error documents per `error.type`.
    pub per_error_type: BTreeMap<&'static str, u64>,
}

impl Summary {
    /// Counts one document.
    pub fn count(&mut self, outcome: Outcome) {
        self.records += 1;
        match (outcome.error, outcome.dataset) {
            (Some(kind), _) => {
                self.errors += 1;
                *self.per_error_type.entry(kind.code()).or_default() += 1;
            }
            (None, dataset) => {
                *self.per_dataset.entry(dataset.unwrap_or("unknown")).or_default() += 1;
            }
        }
    }

    /// Adds another tally to this one.
    pub fn add(&mut self, other: &Summary) {
        self.records += other.records;
        self.errors += other.errors;
        for (mine, theirs) in [
            (&mut self.per_dataset, &other.per_dataset),
            (&mut self.per_error_type, &other.per_error_type),
        ] {
            for (name, count) in theirs {
                *mine.entry(name).or_default() += count;
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use cloudflare_ecs::ErrorKind;

    #[test]
    fn counts_datasets_and_error_types_and_adds_up() {
        let dns = Outcome { dataset: Some("dns_logs"), error: None };
        let invalid = Outcome { dataset: None, error: Some(ErrorKind::InvalidJson) };
        let unsupported = Outcome { dataset: Some("spectrum_events"), error: Some(ErrorKind::UnsupportedDataset) };
        let mut first = Summary::default();
        first.count(dns);
        first.count(invalid);
        let mut second = Summary::default();
        second.count(dns);
        second.count(unsupported);
        first.add(&second);
        assert_eq!(
            first.to_string(),
            "records: 4\nerrors: 2\ndataset dns_logs: 2\nerror invalid_json: 1\nerror unsupported_dataset: 1\n"
        );
    }
}
