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
#[cfg(any(test, feature = "sample"))]
pub mod sample;

use std::borrow::Cow;
use std::cell::Cell;

pub use datasets::schema::{Declared, Fate, Kind, Schema};
pub use datasets::{SCHEMAS, is_dataset};
pub use error::{ErrorKind, Outcome};
use doc::{Buffers, Original};
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
        let mut out = Vec::new();
        self.normalize_into(record, &mut out);
        // Documents are built from `&str` pieces and JSON escapes only.
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// Appends the document for one record (no trailing newline), and says what it is.
    pub fn normalize_into(&self, record: &[u8], out: &mut Vec<u8>) -> Outcome {
        // Documents are two to four times their record: room for most at once, rather than
        // a dozen reallocations when `out` starts empty.
        out.reserve(record.len().min(self.options.max_record_bytes).saturating_mul(3).saturating_add(1024));
        if record.len() > self.options.max_record_bytes {
            let message = format!(
                "record of {} bytes exceeds max_record_bytes ({})",
                record.len(),
                self.options.max_record_bytes
            );
            return Failure::new(ErrorKind::TooLarge, message).write(&*String::from_utf8_lossy(record), out);
        }
        match std::str::from_utf8(record) {
            Ok(text) => {
                let mut scratch = Scratch::take();
                let outcome = self.normalize_text(text, &mut scratch, out);
                scratch.keep();
                outcome
            }
            Err(e) => {
                let message = format!("record is not valid UTF-8 ({e}); invalid bytes replaced by U+FFFD");
                Failure::new(ErrorKind::InvalidUtf8, message).write(&*String::from_utf8_lossy(record), out)
            }
        }
    }

    /// Appends one document per non-blank line of NDJSON, each followed by `\n`.
    pub fn normalize_batch(&self, ndjson: &[u8], out: &mut Vec<u8>) {
        self.normalize_batch_with(ndjson, out, |_| {});
    }

    /// `normalize_batch`, telling `each` what every document is, in order (a host's tally).
    pub fn normalize_batch_with(&self, ndjson: &[u8], out: &mut Vec<u8>, mut each: impl FnMut(Outcome)) {
        let mut room = Room::new(ndjson.len(), out);
        match std::str::from_utf8(ndjson) {
            // The usual case: lines are found 32 bytes at a time, and not validated one by one.
            Ok(text) => {
                // The lines borrow from the batch: one set of buffers serves them all.
                let mut scratch = Scratch::take();
                for line in lines(text) {
                    room.make(line.len(), out);
                    let line = line.strip_suffix('\r').unwrap_or(line);
                    if !line.bytes().all(|b| b.is_ascii_whitespace()) {
                        each(if line.len() <= self.options.max_record_bytes {
                            self.normalize_text(line, &mut scratch, out)
                        } else {
                            self.normalize_into(line.as_bytes(), out) // a `too_large` document
                        });
                        out.push(b'\n');
                    }
                }
                scratch.keep();
            }
            Err(_) => {
                for line in ndjson.split(|&b| b == b'\n') {
                    room.make(line.len(), out);
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    if !line.iter().all(u8::is_ascii_whitespace) {
                        each(self.normalize_into(line, out));
                        out.push(b'\n');
                    }
                }
            }
        }
    }

    fn normalize_text<'a>(&self, text: &'a str, scratch: &mut Scratch<'a>, out: &mut Vec<u8>) -> Outcome {
        let fields = match parse_record(text, std::mem::take(&mut scratch.fields)) {
            Ok(fields) => fields,
            Err(failure) => return failure.write(text, out),
        };
        // Shippers wrap the line: `{"message": "<record>"}`, Fluent Bit's tail `{"log": ...}`.
        match envelope(&fields) {
            Some((inner, literal)) => {
                // The record inside is text of its own (decoded): buffers for its lifetime.
                let original = Original::Literal(literal);
                match parse_record(&inner, recycle(fields)) {
                    Ok(inner_fields) => {
                        let buffers = std::mem::take(&mut scratch.doc).relabel();
                        let (buffers, outcome) = self.map_record(&inner_fields, original, buffers, out);
                        scratch.doc = buffers.relabel();
                        scratch.fields = spare(inner_fields);
                        outcome
                    }
                    Err(failure) => failure.write(original, out),
                }
            }
            None => {
                let (buffers, outcome) = self.map_record(&fields, Original::Text(text), std::mem::take(&mut scratch.doc), out);
                scratch.doc = buffers;
                scratch.fields = bounded(fields);
                outcome
            }
        }
    }

    /// Maps one record's fields into its document, in `buffers`, which it returns for the next.
    fn map_record<'a>(&self, fields: &[Field<'a>], original: Original<'a>, buffers: Buffers<'a>, out: &mut Vec<u8>) -> (Buffers<'a>, Outcome) {
        if is_logpush_validation(fields) {
            let failure = Failure::new(ErrorKind::LogpushValidation, "Logpush destination check upload; acknowledge and skip");
            return (buffers, failure.write(original, out));
        }
        let schema = match &self.options.dataset {
            Some(name) => datasets::for_dataset(name, fields),
            None => detect::detect(fields),
        };
        let Some(schema) = schema else {
            let failure = Failure::new(ErrorKind::UnknownDataset, "no Cloudflare Logpush dataset recognized from the record's fields");
            return (buffers, failure.write(original, out));
        };
        let Some(mapping) = schema.mapping else {
            let failure = Failure {
                dataset: Some(schema.dataset),
                ..Failure::new(ErrorKind::UnsupportedDataset, "this dataset has no ECS mapping yet")
            };
            return (buffers, failure.write(original, out));
        };
        let mut doc = doc::Doc::new_in(schema.dataset, buffers);
        mapping(fields, &mut doc);
        let buffers = doc.write_out(self.options.keep_message.then_some(original), fields, out);
        (buffers, Outcome { dataset: Some(schema.dataset), error: None })
    }
}

/// The lines of NDJSON text, as `str::split('\n')` gives them.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        // Split at an ASCII byte: both sides are whole characters.
        let (line, after) = match json::find_newline(text.as_bytes()) {
            Some(at) => (text.get(..at), text.get(at + 1..)),
            None => (Some(text), None),
        };
        rest = after;
        line
    })
}

/// Room in a batch's output buffer, reserved ahead at the rate documents have been coming.
///
/// Documents are two to four times the size of their records, depending on the dataset. Left
/// to itself, the buffer would double whenever full, each time copying everything written and,
/// in WebAssembly, leaving the old buffer behind as free memory the module keeps: a 5 MB
/// batch would need over 50 MB. Instead, once the first records show the rate, room for the
/// whole batch at that rate (plus a margin) is reserved in one step, while the buffer is
/// still small.
struct Room {
    /// Where this batch's output starts, and how much of the batch has been read.
    start: usize,
    read: usize,
    remaining: usize,
}

impl Room {
    /// Room for the first records.
    const FIRST: usize = 64 * 1024;

    fn new(batch_len: usize, out: &mut Vec<u8>) -> Self {
        out.reserve(batch_len.min(Self::FIRST) * 4);
        Room { start: out.len(), read: 0, remaining: batch_len }
    }

    /// Makes room for the document of a line of `len` bytes (and the `\n` after it).
    fn make(&mut self, len: usize, out: &mut Vec<u8>) {
        let line = len.saturating_add(1);
        self.remaining = self.remaining.saturating_sub(line);
        if out.capacity() - out.len() < len.saturating_mul(4).saturating_add(4096) {
            let written = out.len() - self.start;
            let rate = match self.read {
                0 => 4.0,
                read => written as f64 / read as f64,
            };
            let expected = (self.remaining.saturating_add(line) as f64 * rate * 1.0625) as usize;
            out.reserve_exact(expected.saturating_add(4096));
        }
        self.read = self.read.saturating_add(line);
    }
}

/// The buffers records are normalized in: a record's fields and its document's. One set serves
/// every line of a batch, which all borrow from the batch's text; between calls, the thread
/// keeps it (allocating them for every record took a tenth of the time of a small one).
struct Scratch<'a> {
    fields: Vec<Field<'a>>,
    doc: Buffers<'a>,
}

impl Scratch<'_> {
    fn take() -> Scratch<'static> {
        Scratch { fields: SPARE_FIELDS.take(), doc: Buffers::take() }
    }

    fn keep(self) {
        SPARE_FIELDS.set(spare(self.fields));
        self.doc.keep();
    }
}

thread_local! {
    static SPARE_FIELDS: Cell<Vec<Field<'static>>> = const { Cell::new(Vec::new()) };
}

/// An empty vector with `v`'s allocation, for elements of the same type but other lifetimes,
/// so that a buffer can outlive the record it was filled from, without `unsafe`: collecting
/// a vector's own iterator into a vector of a type of the same size reuses its allocation
/// (the standard library's in-place collection; were it not to, this would allocate).
pub(crate) fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear(); // dropping the elements in a plain loop is cheaper than in the iterator below
    v.into_iter().filter_map(|_| None).collect()
}

/// An empty vector with `v`'s allocation, for elements of other lifetimes (see `recycle`),
/// unless it has grown unusually large (see `bounded`).
pub(crate) fn spare<T, U>(v: Vec<T>) -> Vec<U> {
    recycle(bounded(v))
}

/// `v`, emptied, unless it has grown unusually large (a record of thousands of fields), so
/// that what stays allocated between records is bounded.
pub(crate) fn bounded<T>(mut v: Vec<T>) -> Vec<T> {
    v.clear();
    if v.capacity() * std::mem::size_of::<T>() <= MAX_SPARE_BYTES { v } else { Vec::new() }
}

/// The largest buffer kept from one record for the next.
pub(crate) const MAX_SPARE_BYTES: usize = 64 * 1024;

/// How deeply a record may nest: serde_json's own limit, so whatever we accept, any JSON
/// consumer downstream can parse.
const MAX_NESTING: usize = 128;

fn parse_record<'a>(text: &'a str, buffer: Vec<Field<'a>>) -> Result<Vec<Field<'a>>, Failure> {
    let (fields, shallow) = record::parse_fields_into(json::trim(text), buffer).map_err(|e| {
        let kind = if e.to_string().contains("recursion limit") {
            ErrorKind::TooDeep
        } else if e.is_data() {
            ErrorKind::NotAnObject
        } else {
            ErrorKind::InvalidJson
        };
        Failure::new(kind, e.to_string())
    })?;
    // The record object is one level; its values may nest one less. Records the scanner took
    // are known to nest less: their nested values (audit logs) are not read again.
    const _: () = assert!((record::SCANNER_MAX_DEPTH as usize) < MAX_NESTING);
    let nested = |f: &Field| f.raw().starts_with(['{', '[']) && json::depth(f.raw()) >= MAX_NESTING;
    if !shallow && fields.iter().any(nested) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_as_str_split_does() {
        for text in ["", "\n", "\n\n", "a", "a\n", "\na", "ab\r\ncd\n\néé\n{\"x\":1}", &"0123456789\n".repeat(7)] {
            assert_eq!(lines(text).collect::<Vec<_>>(), text.split('\n').collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn recycled_vectors_keep_their_allocation() {
        let text = String::from(r#"{"a":1,"b":[2]}"#);
        let fields = record::parse_fields(&text).unwrap();
        let (address, capacity) = (fields.as_ptr() as usize, fields.capacity());
        let spare: Vec<Field<'static>> = recycle(fields);
        assert!(spare.is_empty());
        assert_eq!((spare.as_ptr() as usize, spare.capacity()), (address, capacity));
    }
}
