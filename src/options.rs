//! The options object, the same in every surface (design.md §5).

use crate::record::{Field, parse_fields};

/// How records are normalized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// A dataset name forces that dataset; `None` (`"auto"`) detects it per record.
    pub dataset: Option<String>,
    /// Whether normalized documents carry the original record in `message`. Error documents
    /// always do, so nothing is lost.
    pub keep_message: bool,
    /// Records longer than this (bytes) give a `too_large` error document.
    pub max_record_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { dataset: None, keep_message: true, max_record_bytes: 1 << 20 }
    }
}

impl Options {
    /// Parses an options object; unknown names and wrong types are errors.
    pub fn from_json(text: &str) -> Result<Options, String> {
        let fields = parse_fields(text.trim()).map_err(|e| format!("options must be a JSON object: {e}"))?;
        let mut options = Options::default();
        for field in &fields {
            match field.key() {
                "dataset" => options.dataset = dataset_option(field)?,
                "keep_message" => {
                    options.keep_message = field.as_bool().ok_or("keep_message must be true or false")?;
                }
                "max_record_bytes" => {
                    options.max_record_bytes = field
                        .as_u64()
                        .filter(|&n| n > 0)
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or("max_record_bytes must be a positive integer")?;
                }
                other => return Err(format!("unknown option {other:?} (known: dataset, keep_message, max_record_bytes)")),
            }
        }
        Ok(options)
    }
}

fn dataset_option(field: &Field) -> Result<Option<String>, String> {
    let name = field.as_str().ok_or("dataset must be a string")?;
    match &*name {
        "auto" => Ok(None),
        known if crate::datasets::is_dataset(known) => Ok(Some(known.to_owned())),
        unknown => Err(format!("unknown dataset {unknown:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        assert_eq!(Options::from_json("{}").unwrap(), Options::default());
        let options = Options::from_json(r#"{"dataset":"dns_logs","keep_message":false,"max_record_bytes":10}"#).unwrap();
        assert_eq!(options, Options { dataset: Some("dns_logs".into()), keep_message: false, max_record_bytes: 10 });
        assert_eq!(Options::from_json(r#"{"dataset":"auto"}"#).unwrap().dataset, None);
    }

    #[test]
    fn rejects_unknown_and_mistyped_options() {
        assert!(Options::from_json(r#"{"datset":"dns_logs"}"#).unwrap_err().contains("unknown option"));
        assert!(Options::from_json(r#"{"dataset":"dns"}"#).unwrap_err().contains("unknown dataset"));
        assert!(Options::from_json(r#"{"keep_message":"yes"}"#).is_err());
        assert!(Options::from_json(r#"{"max_record_bytes":0}"#).is_err());
        assert!(Options::from_json("[]").is_err());
    }
}
