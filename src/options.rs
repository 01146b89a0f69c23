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

    /// These options with the dataset a Fluent Bit tag names forced, as the `dataset` option
    /// does: the first dot-separated part of `tag` that is exactly a Logpush dataset name
    /// (`cloudflare.http_requests`, `logpush.dns_logs.zone-a`). `None` when no part is one
    /// (`cloudflare.logs`, `cloudflare.http_requests_old`): the options apply unchanged.
    pub fn for_tag(&self, tag: &[u8]) -> Option<Options> {
        let dataset = tag
            .split(|&b| b == b'.')
            .filter_map(|part| std::str::from_utf8(part).ok())
            .find(|part| crate::datasets::is_dataset(part))?;
        Some(Options { dataset: Some(dataset.to_owned()), ..self.clone() })
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

    #[test]
    fn a_tag_part_naming_a_dataset_forces_it() {
        let options = Options { keep_message: false, max_record_bytes: 10, ..Options::default() };
        let forced = |tag: &str| options.for_tag(tag.as_bytes()).map(|o| o.dataset);
        assert_eq!(forced("cloudflare.http_requests"), Some(Some("http_requests".into())));
        assert_eq!(forced("logpush.dns_logs.zone-a"), Some(Some("dns_logs".into())));
        assert_eq!(forced("firewall_events"), Some(Some("firewall_events".into())));
        // The first part that names one wins.
        assert_eq!(forced("dns_logs.http_requests"), Some(Some("dns_logs".into())));
        for tag in ["", ".", "cloudflare.logs", "cloudflare.http_requests_old", "cloudflare.HTTP_REQUESTS", "auto", "cloudflare.http_requests "] {
            assert_eq!(forced(tag), None, "{tag:?}");
        }
        assert_eq!(options.for_tag(b"\xff.http_requests").map(|o| o.dataset), Some(Some("http_requests".into())));
        // The other options are kept.
        let kept = options.for_tag(b"cloudflare.dns_logs").unwrap();
        assert_eq!((kept.keep_message, kept.max_record_bytes), (false, 10));
    }
}
