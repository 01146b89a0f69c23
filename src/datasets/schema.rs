//! What a dataset declares about itself: its Logpush fields as Cloudflare documents them
//! (`reference/logpush-datasets.md`), what its mapping does with each, and the mapping.
//!
//! Everything else is derived from these declarations: detection's table of keys unique to
//! one schema (`detect`), the choice between two schemas of one dataset name, the record
//! generators of the bench and the fuzzers (`sample`), and the test that no declared field is
//! left without a decision.

use crate::doc::Doc;
use crate::record::Field;

/// Maps one record's fields into the document.
pub type Mapping = for<'a> fn(&[Field<'a>], &mut Doc<'a>);

/// One Logpush field schema. A dataset name has two where Cloudflare's zone and account
/// variants differ (`websocket_analytics`), and where the same data comes in another format
/// (`audit_logs` from Logpush and from the audit-log API).
#[derive(Debug)]
pub struct Schema {
    /// The Logpush dataset name (`event.dataset`).
    pub dataset: &'static str,
    /// Which schema of the dataset name this is (`"zone"`, `"account"`, `"api"`), when it
    /// has several; `""` otherwise.
    pub variant: &'static str,
    /// Every field of the schema, both scopes where they differ.
    pub fields: &'static [Declared],
    /// The ECS mapping; records of a schema without one (a schema declared before its
    /// mapping is written) become `unsupported_dataset` error documents.
    pub mapping: Option<Mapping>,
}

impl Schema {
    /// `dataset`, or `dataset/variant` for a dataset name with several schemas.
    pub fn name(&self) -> String {
        match self.variant {
            "" => self.dataset.to_owned(),
            variant => format!("{}/{variant}", self.dataset),
        }
    }

    /// Whether the schema has a field named `key`.
    pub fn declares(&self, key: &str) -> bool {
        self.fields.iter().any(|field| field.name == key)
    }
}

/// A field as Cloudflare documents it, and what the mapping does with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Declared {
    pub name: &'static str,
    pub kind: Kind,
    pub fate: Fate,
}

/// A field's documented value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Float,
    Bool,
    /// `int or string`: a time in the job's timestamp format (RFC 3339 strings, or unix
    /// seconds / nanoseconds).
    Time,
    /// Always an integer of epoch milliseconds (`EventTimestampMs`).
    EpochMs,
    /// Always an integer of epoch nanoseconds (`timestampStartNanos`).
    EpochNs,
    Strs,
    Ints,
    Object,
    Objects,
}

/// What the mapping does with a field (checked by `tests::every_declared_field_is_decided`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Written to ECS fields (or only steers them, like `Allowed`).
    Ecs,
    /// Kept as `cloudflare.<Name>`, alone or besides an ECS field it also feeds.
    Kept,
    /// Deliberately left in `message` only (user data of any shape, like audit values).
    MessageOnly,
}

/// A field mapped to ECS.
pub const fn ecs(name: &'static str, kind: Kind) -> Declared {
    Declared { name, kind, fate: Fate::Ecs }
}

/// A field kept under `cloudflare.*`.
pub const fn kept(name: &'static str, kind: Kind) -> Declared {
    Declared { name, kind, fate: Fate::Kept }
}

/// A field left in `message` only.
pub const fn message_only(name: &'static str, kind: Kind) -> Declared {
    Declared { name, kind, fate: Fate::MessageOnly }
}
