//! cloudflare-ecs: Cloudflare Logpush records in, Elastic Common Schema documents out.
//!
//! The core knows nothing of hosts: it takes bytes and appends JSON documents to a buffer.
//! The host surfaces (raw WASM ABI, Fluent Bit filter, JavaScript API) live in `abi`.

// Input data must never reach a panic: no unwrap/expect/unchecked indexing outside tests.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]

mod abi;
mod datasets;
mod detect;
mod doc;
mod ecs;
mod error;
mod json;
mod options;
mod record;

use std::borrow::Cow;

pub use datasets::Schema;
pub use error::ErrorKind;
use doc::Original;
use error::Failure;
pub use options::Options;
use record::Field;

/// Normalizes records with one set of options.
#[derive(Clone, Debug, Default)]
pub struct Normalizer {
    options: Options,
}

impl Normalizer {
    pub fn new(options: Options) -> Self {
        Normalizer { options }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// One record in, one JSON document out.
    pub fn normalize(&self, record: &[u8]) -> String {
        let mut out = Vec::with_capacity(record.len() * 2);
        self.normalize_into(record, &mut out);
        // Documents are built from `&str` pieces and JSON escapes only.
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// Appends the document for one record (no trailing newline).
    pub fn normalize_into(&self, record: &[u8], out: &mut Vec<u8>) {
        if record.len() > self.options.max_record_bytes {
            let message = format!(
                "record of {} bytes exceeds max_record_bytes ({})",
                record.len(),
                self.options.max_record_bytes
            );
            return Failure::new(ErrorKind::TooLarge, message).write(&*String::from_utf8_lossy(record), out);
        }
        match std::str::from_utf8(record) {
            Ok(text) => self.normalize_text(text, out),
            Err(e) => {
                let message = format!("record is not valid UTF-8 ({e}); invalid bytes replaced by U+FFFD");
                Failure::new(ErrorKind::InvalidUtf8, message).write(&*String::from_utf8_lossy(record), out);
            }
        }
    }

    /// Appends one document per non-blank line of NDJSON, each followed by `\n`.
    pub fn normalize_batch(&self, ndjson: &[u8], out: &mut Vec<u8>) {
        out.reserve(ndjson.len() + ndjson.len() / 2);
        for line in ndjson.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.normalize_into(line, out);
            out.push(b'\n');
        }
    }

    fn normalize_text(&self, text: &str, out: &mut Vec<u8>) {
        let fields = match parse_record(text) {
            Ok(fields) => fields,
            Err(failure) => return failure.write(text, out),
        };
        // Shippers wrap the line: `{"message": "<record>"}`, Fluent Bit's tail `{"log": ...}`.
        match envelope(&fields) {
            Some((inner, literal)) => {
                let original = Original::Literal(literal);
                match parse_record(&inner) {
                    Ok(inner_fields) => self.map_record(&inner_fields, original, out),
                    Err(failure) => failure.write(original, out),
                }
            }
            None => self.map_record(&fields, Original::Text(text), out),
        }
    }

    fn map_record<'a>(&self, fields: &[Field<'a>], original: Original<'a>, out: &mut Vec<u8>) {
        if is_logpush_validation(fields) {
            let failure = Failure::new(ErrorKind::LogpushValidation, "Logpush destination check upload; acknowledge and skip");
            return failure.write(original, out);
        }
        let schema = match &self.options.dataset {
            Some(name) => Schema::for_dataset(name, fields),
            None => detect::detect(fields),
        };
        let Some(schema) = schema else {
            let failure = Failure::new(ErrorKind::UnknownDataset, "no Cloudflare Logpush dataset recognized from the record's fields");
            return failure.write(original, out);
        };
        let Some(mapping) = schema.mapping() else {
            let failure = Failure {
                dataset: Some(schema.dataset()),
                ..Failure::new(ErrorKind::UnsupportedDataset, "this dataset has no ECS mapping yet")
            };
            return failure.write(original, out);
        };
        let mut doc = doc::Doc::new(schema.dataset());
        mapping(fields, &mut doc);
        doc.write(self.options.keep_message.then_some(original), out);
    }
}

/// How deeply a record may nest: serde_json's own limit, so whatever we accept, any JSON
/// consumer downstream can parse.
const MAX_NESTING: usize = 128;

fn parse_record(text: &str) -> Result<Vec<Field<'_>>, Failure> {
    let fields = record::parse_fields(text.trim()).map_err(|e| {
        let kind = if e.to_string().contains("recursion limit") {
            ErrorKind::TooDeep
        } else if e.is_data() {
            ErrorKind::NotAnObject
        } else {
            ErrorKind::InvalidJson
        };
        Failure::new(kind, e.to_string())
    })?;
    // The record object is one level; its values may nest one less.
    let nested = |f: &Field| f.raw().starts_with(['{', '[']) && json::depth(f.raw()) >= MAX_NESTING;
    if fields.iter().any(nested) {
        return Err(Failure::new(ErrorKind::TooDeep, format!("record nests deeper than {MAX_NESTING} levels")));
    }
    Ok(fields)
}

/// The record text inside a `message`/`log` envelope, and its JSON string literal.
fn envelope<'a>(fields: &[Field<'a>]) -> Option<(Cow<'a, str>, &'a str)> {
    let field = fields.iter().find(|f| matches!(f.key(), "message" | "log"))?;
    Some((field.as_str()?, field.raw()))
}

/// Logpush's destination check upload is exactly `{"content":"tests"}`.
fn is_logpush_validation(fields: &[Field]) -> bool {
    matches!(fields, [only] if only.key() == "content" && only.as_str().as_deref() == Some("tests"))
}
