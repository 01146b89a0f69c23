//! Error documents: a record that cannot be normalized still yields one document that keeps
//! the original text (design.md §4).

use std::borrow::Cow;

use crate::doc::{Doc, Original};

/// Why a record could not be normalized; `code()` is `error.type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not JSON (or empty).
    InvalidJson,
    /// JSON, but not an object.
    NotAnObject,
    /// No dataset recognized from the record's keys.
    UnknownDataset,
    /// A recognized dataset that has no ECS mapping in this version.
    UnsupportedDataset,
    /// Longer than `max_record_bytes`.
    TooLarge,
    /// Nested deeper than the parser's limit (128 levels).
    TooDeep,
    /// Not valid UTF-8; `message` keeps the text with invalid bytes replaced by U+FFFD.
    InvalidUtf8,
    /// Logpush's destination check upload `{"content":"tests"}`: acknowledge and skip.
    LogpushValidation,
    /// An options object that was rejected.
    InvalidOptions,
    /// A host passed a buffer the module cannot read (raw ABI misuse).
    InvalidInput,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::NotAnObject => "not_an_object",
            ErrorKind::UnknownDataset => "unknown_dataset",
            ErrorKind::UnsupportedDataset => "unsupported_dataset",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::TooDeep => "too_deep",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::LogpushValidation => "logpush_validation",
            ErrorKind::InvalidOptions => "invalid_options",
            ErrorKind::InvalidInput => "invalid_input",
        }
    }
}

/// What a record's document is, known as it is written (a host's tally needs no parsing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// `event.dataset`, when known (an `unsupported_dataset` error document names one).
    pub dataset: Option<&'static str>,
    /// `error.type` of an error document (`event.kind` `pipeline_error`); `None` when normalized.
    pub error: Option<ErrorKind>,
}

/// A record-level failure.
#[derive(Debug)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
    pub dataset: Option<&'static str>,
}

impl Failure {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Failure { kind, message: message.into(), dataset: None }
    }

    /// Writes the error document for `original`, the record as received.
    pub fn write<'a>(&'a self, original: impl Into<Original<'a>>, out: &mut Vec<u8>) -> Outcome {
        let mut doc = Doc::empty();
        doc.put_str("event.kind", "pipeline_error");
        doc.put_str("event.dataset", self.dataset.unwrap_or_default());
        doc.put_str("error.type", self.kind.code());
        doc.put_str("error.message", Cow::Borrowed(self.message.as_str()));
        doc.put_str("observer.vendor", "Cloudflare");
        doc.write(Some(original.into()), out);
        Outcome { dataset: self.dataset, error: Some(self.kind) }
    }
}
