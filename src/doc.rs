//! The output document, written directly as JSON.
//!
//! Mappings put values at dotted ECS paths (`"source.ip"`) or under `cloudflare.*`; nothing
//! is serialized until `write`, which emits the nested objects in one pass, in the order and
//! with the JSON between values worked out once per sequence of paths (see `layout`).
//! Rules every dataset shares live here: empty values are left out, the first value put at a
//! path wins, `*.address` comes from `*.domain` or `*.ip`, `related.*` is deduplicated, and a
//! field that could not be normalized is kept under `cloudflare.*` with a note in
//! `error.message`.

use std::borrow::Cow;
use std::cell::Cell;

use crate::ecs::domain::{self, DomainParts};
use crate::ecs::{self, ip};
use crate::ecs::time::{Timestamp, Unit};
use crate::json;
use crate::record::{self, Field};

mod layout;

/// A value in the output document.
///
/// Values are `Copy`: text the record does not hold as such (decoded escapes, lower-cased or
/// rebuilt values) is kept in the document's own buffer and referred to by its [`Span`]. So a
/// value needs no drop, and is built straight into the document's entries rather than on the
/// stack and copied (which stalled on every entry: a copy's wide loads cannot be forwarded
/// from the narrow stores that built it).
#[derive(Clone, Copy, Debug)]
pub enum Value<'a> {
    Str(&'a str),
    /// The record as received, as a string (`message`): written from its parsed fields when
    /// they tile it (see `record::write_as_string`).
    Record(&'a str),
    /// A string in the document's buffer.
    OwnedStr(Span),
    /// A constant of the mapping (`event.kind: "event"`): written once into the layout of
    /// each shape of document, like the keys around it, not for every document.
    Const(&'static str),
    /// Compact JSON text, written as is.
    Json(&'a str),
    /// Compact JSON text in the document's buffer.
    OwnedJson(Span),
    Int(i64),
    Bool(bool),
    Time(Timestamp),
    /// One of the document's `related.*` lists.
    Related(Related),
    StaticStrs(&'static [&'static str]),
    /// `cloudflare`: the vendor fields.
    Vendor,
    /// A nested object under `cloudflare.*`: a range of the document's members.
    Object(Span),
}

impl Value<'_> {
    #[inline(always)]
    fn is_empty(&self) -> bool {
        match self {
            Value::Str(s) => s.is_empty(),
            Value::OwnedStr(span) => span.len == 0,
            Value::Const(s) => s.is_empty(),
            Value::Json(j) => json::is_empty_value(j),
            Value::StaticStrs(list) => list.is_empty(),
            Value::Object(span) => span.len == 0,
            Value::Record(_) | Value::OwnedJson(_) | Value::Int(_) | Value::Bool(_) | Value::Time(_) | Value::Related(_) | Value::Vendor => false,
        }
    }

    /// Whether the value is a string (only string domains and IPs make an address).
    fn is_str(&self) -> bool {
        matches!(self, Value::Str(_) | Value::OwnedStr(_))
    }

    fn of_text(text: Text<'_>) -> Value<'_> {
        match text {
            Text::Borrowed(s) => Value::Str(s),
            Text::Owned(span) => Value::OwnedStr(span),
        }
    }
}

/// Where something the document holds itself is: bytes of its text buffer, or entries of its
/// members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    start: usize,
    len: usize,
}

/// A key or a `related.*` value: borrowed from the record (or static), or in the document's
/// buffer.
#[derive(Clone, Copy, Debug)]
enum Text<'a> {
    Borrowed(&'a str),
    Owned(Span),
}

/// The original record for `message`.
#[derive(Clone, Copy, Debug)]
pub enum Original<'a> {
    /// The text as received, escaped when written.
    Text(&'a str),
    /// The JSON string literal of an envelope's `message`/`log`, whose content is the record
    /// as received: copied without decoding and escaping again.
    Literal(&'a str),
}

impl<'a> From<&'a str> for Original<'a> {
    fn from(text: &'a str) -> Self {
        Original::Text(text)
    }
}

impl<'a> From<Original<'a>> for Value<'a> {
    fn from(original: Original<'a>) -> Self {
        match original {
            Original::Text(text) => Value::Record(text),
            Original::Literal(literal) => Value::Json(literal),
        }
    }
}

/// The ECS field sets of a domain name and its public-suffix parts.
pub struct DomainFields {
    pub domain: &'static str,
    pub registered_domain: &'static str,
    pub top_level_domain: &'static str,
    pub subdomain: &'static str,
}

pub const DNS_QUESTION: DomainFields = DomainFields {
    domain: "dns.question.name",
    registered_domain: "dns.question.registered_domain",
    top_level_domain: "dns.question.top_level_domain",
    subdomain: "dns.question.subdomain",
};

pub const URL: DomainFields = DomainFields {
    domain: "url.domain",
    registered_domain: "url.registered_domain",
    top_level_domain: "url.top_level_domain",
    subdomain: "url.subdomain",
};

pub const DESTINATION: DomainFields = DomainFields {
    domain: "destination.domain",
    registered_domain: "destination.registered_domain",
    top_level_domain: "destination.top_level_domain",
    subdomain: "destination.subdomain",
};

/// ECS endpoints whose `address` is derived from their `domain` or `ip`.
#[derive(Clone, Copy)]
pub enum Endpoint {
    Source,
    Client,
    Destination,
    Server,
}

impl Endpoint {
    const ALL: [Endpoint; 4] = [Endpoint::Source, Endpoint::Client, Endpoint::Destination, Endpoint::Server];

    /// (ip, domain, address) paths.
    fn paths(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Endpoint::Source => ("source.ip", "source.domain", "source.address"),
            Endpoint::Client => ("client.ip", "client.domain", "client.address"),
            Endpoint::Destination => ("destination.ip", "destination.domain", "destination.address"),
            Endpoint::Server => ("server.ip", "server.domain", "server.address"),
        }
    }
}

/// The `related.*` lists. A document keeps their values in one vector, each list
/// deduplicated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Related {
    Hash,
    Hosts,
    Ip,
    User,
}

impl Related {
    const ALL: [Related; 4] = [Related::Hash, Related::Hosts, Related::Ip, Related::User];

    fn path(self) -> &'static str {
        match self {
            Related::Hash => "related.hash",
            Related::Hosts => "related.hosts",
            Related::Ip => "related.ip",
            Related::User => "related.user",
        }
    }
}

/// Past this many values `related.*` is deduplicated once, when the document is written
/// (O(n log n)), not on every push (O(n²)): a record repeating a key thousands of times must not
/// stall the pipeline (a 1 MiB record of duplicate `ActorIP`s took 5 s).
const RELATED_LINEAR_LIMIT: usize = 64;

/// The vectors and text buffer of a document, reused from document to document: allocating
/// them for every record took a tenth of the time of a small one.
#[derive(Default)]
pub struct Buffers<'a> {
    /// `(path, value)` in the order they were put.
    fields: Vec<(&'static str, Value<'a>)>,
    /// The part of each of `fields` in the document's shape (see `layout::words`), and the
    /// sum of their `layout::mix`.
    shape: Vec<(u64, u64)>,
    shape_mixed: u64,
    /// `cloudflare.*`: `(key, value)`.
    vendor: Vec<(Text<'a>, Value<'a>)>,
    /// The members of nested objects under `cloudflare.*`, each object a range.
    members: Vec<(Text<'a>, Value<'a>)>,
    /// `related.*` values, by list, in the order they were added.
    related: Vec<(Related, Text<'a>)>,
    /// Text the record does not hold as such, which values refer to by span.
    text: String,
}

impl<'a> Buffers<'a> {
    /// The buffers the last document of this thread left (see `keep`), or new ones.
    pub fn take() -> Buffers<'static> {
        SPARE.take()
    }

    /// Keeps these buffers' allocations for the next `take`.
    pub fn keep(self) {
        SPARE.set(self.relabel());
    }

    /// Empty buffers keeping these allocations, for values of another lifetime (see
    /// `crate::recycle`).
    pub fn relabel<'b>(self) -> Buffers<'b> {
        let Buffers { fields, shape, vendor, members, related, text, .. } = self;
        Buffers {
            fields: crate::spare(fields),
            shape: crate::bounded(shape),
            shape_mixed: 0,
            vendor: crate::spare(vendor),
            members: crate::spare(members),
            related: crate::spare(related),
            text: bounded_text(text),
        }
    }

    /// Emptied for the next document of the same lifetime, unless a vector grew unusually
    /// large (a record of thousands of fields): what stays allocated between records is bounded.
    fn cleared(self) -> Self {
        let Buffers { fields, shape, vendor, members, related, text, .. } = self;
        Buffers {
            fields: crate::bounded(fields),
            shape: crate::bounded(shape),
            shape_mixed: 0,
            vendor: crate::bounded(vendor),
            members: crate::bounded(members),
            related: crate::bounded(related),
            text: bounded_text(text),
        }
    }
}

/// `text`, emptied, unless it has grown unusually large (see `crate::bounded`).
fn bounded_text(mut text: String) -> String {
    text.clear();
    if text.capacity() <= crate::MAX_SPARE_BYTES { text } else { String::new() }
}

thread_local! {
    static SPARE: Cell<Buffers<'static>> = const {
        Cell::new(Buffers { fields: Vec::new(), shape: Vec::new(), shape_mixed: 0, vendor: Vec::new(), members: Vec::new(), related: Vec::new(), text: String::new() })
    };
}

/// An output document under construction.
pub struct Doc<'a> {
    buffers: Buffers<'a>,
    notes: Vec<String>,
}

impl<'a> Doc<'a> {
    /// A document with nothing in it, in the buffers this thread's last document left.
    pub fn empty() -> Self {
        // Buffers of `'static` values are buffers of `'a` values.
        Doc::empty_in(Buffers::take())
    }

    /// A document with nothing in it, in `buffers` (empty).
    pub fn empty_in(mut buffers: Buffers<'a>) -> Self {
        buffers.fields.reserve(48);
        buffers.shape.reserve(48);
        buffers.vendor.reserve(32);
        Doc { buffers, notes: Vec::new() }
    }

    /// A normalized document of `dataset`.
    #[cfg(test)]
    pub fn new(dataset: &'static str) -> Self {
        Doc::new_in(dataset, Buffers::take())
    }

    /// A normalized document of `dataset`, in `buffers` (empty).
    pub fn new_in(dataset: &'static str, buffers: Buffers<'a>) -> Self {
        let mut doc = Doc::empty_in(buffers);
        doc.put("event.dataset", Value::Const(dataset));
        doc.put("observer.vendor", Value::Const("Cloudflare"));
        doc
    }

    /// Puts `value` at an ECS path, unless it is empty.
    #[inline(always)]
    pub fn put(&mut self, path: &'static str, value: Value<'a>) {
        if !value.is_empty() {
            self.push(path, value);
        }
    }

    #[inline(always)]
    fn push(&mut self, path: &'static str, value: Value<'a>) {
        self.buffers.fields.push((path, value));
        let words = layout::words(path, &value);
        self.buffers.shape_mixed = self.buffers.shape_mixed.wrapping_add(layout::mix(self.buffers.shape.len(), words));
        self.buffers.shape.push(words);
    }

    #[inline(always)]
    pub fn put_str(&mut self, path: &'static str, value: impl Into<Cow<'a, str>>) {
        let value = self.str_value(value.into());
        self.put(path, value);
    }

    /// Compact JSON text (a number the record wrote as a string, say).
    pub fn put_json(&mut self, path: &'static str, json: Cow<'a, str>) {
        let value = match json {
            Cow::Borrowed(json) => Value::Json(json),
            Cow::Owned(json) => Value::OwnedJson(self.own(&json)),
        };
        self.put(path, value);
    }

    /// A constant of the mapping: the same text in every document that has it.
    #[inline(always)]
    pub fn put_const(&mut self, path: &'static str, value: &'static str) {
        self.put(path, Value::Const(value));
    }

    /// A constant list of the mapping (`event.category`).
    #[inline(always)]
    pub fn put_list(&mut self, path: &'static str, values: &'static [&'static str]) {
        self.put(path, Value::StaticStrs(values));
    }

    /// A keyword field: strings as they are, numbers and booleans as their text.
    #[inline]
    pub fn keyword(&mut self, path: &'static str, field: &Field<'a>) {
        self.keyword_at(&[path], field);
    }

    /// A keyword field put at several paths (`source.geo.*` and `client.geo.*`).
    #[inline]
    pub fn keyword_at(&mut self, paths: &[&'static str], field: &Field<'a>) {
        let value = match field.as_str() {
            Some(text) => self.str_value(text),
            // ECS keywords are strings: a number or boolean keeps its text.
            None if is_scalar(field.raw()) && json::is_portable(field.raw()) => Value::Str(field.raw()),
            None if is_scalar(field.raw()) => return self.bad_field(field, "number out of range or lone surrogate"),
            None if field_is_empty(field) => return,
            None => return self.bad_field(field, "expected a string"),
        };
        for path in paths {
            self.put(path, value);
        }
    }

    /// An integer field (ports, bytes, status codes); integers written as strings are accepted.
    #[inline]
    pub fn integer(&mut self, path: &'static str, field: &Field<'a>) {
        self.integer_at(&[path], field);
    }

    /// An integer field put at several paths; returns the value for derived fields
    /// (`event.outcome` from a status code, `network.bytes`).
    #[inline]
    pub fn integer_at(&mut self, paths: &[&'static str], field: &Field<'a>) -> Option<i64> {
        let value = field.as_integer();
        self.put_parsed(paths, field, value, Value::Int, "expected an integer")
    }

    /// A timestamp field in any Logpush format.
    #[inline]
    pub fn timestamp(&mut self, path: &'static str, field: &Field<'a>, unit: Unit) {
        self.timestamp_at(&[path], field, unit);
    }

    /// A timestamp field put at several paths (`@timestamp` and `event.start`); returns the
    /// time for derived fields such as `event.duration`.
    #[inline]
    pub fn timestamp_at(&mut self, paths: &[&'static str], field: &Field<'a>, unit: Unit) -> Option<Timestamp> {
        let parsed = match field.as_str() {
            Some(text) => Timestamp::parse_str(&text, unit),
            None => field.as_i64().and_then(|n| Timestamp::from_integer(n, unit)),
        };
        self.put_parsed(paths, field, parsed, Value::Time, "not a timestamp in a Logpush format")
    }

    /// Puts a field's parsed value at every path; a value that did not parse is left out when
    /// empty, else kept as a bad field. Returns the value for derived fields.
    #[inline]
    fn put_parsed<T: Copy>(
        &mut self,
        paths: &[&'static str],
        field: &Field<'a>,
        parsed: Option<T>,
        to_value: fn(T) -> Value<'a>,
        reason: &str,
    ) -> Option<T> {
        match parsed {
            Some(value) => {
                for path in paths {
                    self.put(path, to_value(value));
                }
            }
            None if field_is_empty(field) => {}
            None => self.bad_field(field, reason),
        }
        parsed
    }

    /// An IP field of an endpoint (`source`, `client`, ...); also added to `related.ip`.
    #[inline]
    pub fn endpoint_ip(&mut self, endpoint: Endpoint, field: &Field<'a>) {
        self.ip(endpoint.paths().0, field);
    }

    /// An IP field (`source.nat.ip`, `destination.ip`, ...); also added to `related.ip`.
    #[inline]
    pub fn ip(&mut self, path: &'static str, field: &Field<'a>) {
        self.ip_at(&[path], field);
    }

    /// An IP field put at several paths (`source.ip` and `client.ip`), parsed once.
    #[inline]
    pub fn ip_at(&mut self, paths: &[&'static str], field: &Field<'a>) {
        let Some(text) = field.as_str().filter(|s| !s.is_empty()) else {
            if !field_is_empty(field) {
                self.bad_field(field, "expected an IP address");
            }
            return;
        };
        match ip::normalize(&text).map(|ip| reborrow(&text, ip)) {
            Some(ip) => {
                let ip = self.text(ip);
                for path in paths {
                    self.put(path, Value::of_text(ip));
                }
                self.relate(Related::Ip, ip);
            }
            None => self.bad_field(field, "not an IP address"),
        }
    }

    /// A domain name with its public-suffix parts; also added to `related.hosts`.
    #[inline]
    pub fn domain(&mut self, fields: &DomainFields, name: Cow<'a, str>) {
        self.domains(&[fields], name);
    }

    /// One host name put in several domain field sets (`url.*` and `destination.*`), split by
    /// the public suffix list once; also added to `related.hosts`.
    #[inline]
    pub fn domains(&mut self, sets: &[&DomainFields], name: Cow<'a, str>) {
        if name.is_empty() {
            return;
        }
        self.domain_parts(sets, &name);
        let name = self.text(name);
        for fields in sets {
            self.put(fields.domain, Value::of_text(name));
        }
        self.relate(Related::Hosts, name);
    }

    /// Puts `derived` (usually a slice of `source`, a field's value), borrowing from the
    /// record when it can.
    #[allow(clippy::ptr_arg, reason = "borrowed or owned decides whether `derived` can borrow from the record")]
    pub fn put_derived(&mut self, path: &'static str, source: &Cow<'a, str>, derived: &str) {
        self.put_str(path, slice_of(source, derived));
    }

    /// Only the public-suffix parts of `name`, in each field set.
    // `&Cow`, not `&str`: the parts borrow from the input only when `name` does.
    #[allow(clippy::ptr_arg)]
    #[inline]
    pub fn domain_parts(&mut self, sets: &[&DomainFields], name: &Cow<'a, str>) {
        let DomainParts { registered_domain, top_level_domain, subdomain } = domain::split(name);
        for (part, path_in) in [
            (registered_domain, (|f: &DomainFields| f.registered_domain) as fn(&DomainFields) -> &'static str),
            (top_level_domain, |f| f.top_level_domain),
            (subdomain, |f| f.subdomain),
        ] {
            if let Some(part) = part {
                let part = self.text(slice_of(name, part));
                for fields in sets {
                    self.put(path_in(fields), Value::of_text(part));
                }
            }
        }
    }

    pub fn related_ip(&mut self, value: Cow<'a, str>) {
        let text = self.text(value);
        self.relate(Related::Ip, text);
    }

    pub fn related_host(&mut self, value: Cow<'a, str>) {
        let text = self.text(value);
        self.relate(Related::Hosts, text);
    }

    pub fn related_user(&mut self, value: Cow<'a, str>) {
        let text = self.text(value);
        self.relate(Related::User, text);
    }

    pub fn related_hash(&mut self, value: Cow<'a, str>) {
        let text = self.text(value);
        self.relate(Related::Hash, text);
    }

    #[inline(always)]
    fn relate(&mut self, list: Related, value: Text<'a>) {
        let value_str = resolve(&self.buffers.text, value);
        if value_str.is_empty() {
            return;
        }
        let related = &self.buffers.related;
        let known = |&(l, v): &(Related, Text<'a>)| l == list && resolve(&self.buffers.text, v) == value_str;
        if related.len() >= RELATED_LINEAR_LIMIT || !related.iter().any(known) {
            self.buffers.related.push((list, value));
        }
    }

    /// Keeps a field with no ECS home as `cloudflare.<Name>`, with Cloudflare's value.
    #[inline]
    pub fn vendor(&mut self, field: &Field<'a>) {
        let value = if field.is_plain_string() { Value::Json(field.raw()) } else { self.json_value(field.raw()) };
        self.vendor_value(field.key_cow(), value);
    }

    /// Keeps a JSON value as `cloudflare.<name>`.
    pub fn vendor_json(&mut self, name: Cow<'a, str>, raw: &'a str) {
        let value = self.json_value(raw);
        self.vendor_value(name, value);
    }

    /// Keeps the fields of an object as `cloudflare.<name>.<key>` (empty values left out; of a
    /// repeated key, the last occurrence, as `JSON.parse` keeps).
    pub fn vendor_object(&mut self, name: Cow<'a, str>, entries: &[Field<'a>]) {
        let start = self.buffers.members.len();
        let mut later_keys = std::collections::HashSet::new();
        let mut is_last: Vec<bool> = entries.iter().rev().map(|entry| later_keys.insert(entry.key())).collect();
        is_last.reverse();
        for (entry, _) in entries.iter().zip(is_last).filter(|(_, last)| *last) {
            let value = self.json_value(entry.raw());
            if !value.is_empty() {
                let key = self.text(entry.key_cow());
                self.buffers.members.push((key, value));
            }
        }
        let members = Span { start, len: self.buffers.members.len() - start };
        self.vendor_value(name, Value::Object(members));
    }

    #[inline]
    fn vendor_value(&mut self, name: Cow<'a, str>, value: Value<'a>) {
        if !value.is_empty() {
            let name = self.text(name);
            self.buffers.vendor.push((name, value));
        }
    }

    /// A field that could not be normalized: kept unchanged under `cloudflare.*`, noted in
    /// `error.message`; the rest of the record is still mapped.
    pub fn bad_field(&mut self, field: &Field<'a>, reason: &str) {
        self.notes.push(format!("{}: {reason}", field.key()));
        self.vendor(field);
    }

    /// A copied JSON value: compact, or its text as a string when nested too deep or not
    /// portable (`1e999`, `"\ud800"`: see `json::is_portable`).
    fn json_value(&mut self, raw: &'a str) -> Value<'a> {
        if json::is_plain_scalar(raw) {
            return Value::Json(raw);
        }
        let compact = json::compact(raw);
        if json::is_empty_value(&compact) {
            return Value::Str(""); // `[ ]`, `{ }`: left out, as the empty values they are
        }
        let as_text = json::depth(&compact) > MAX_VALUE_DEPTH || !json::is_portable(&compact);
        // No object of a document holds a key twice: Elasticsearch rejects such a document.
        let compact = match json::has_duplicate_keys(&compact).then(|| json::last_keys_win(&compact)).flatten() {
            Some(unique) if !as_text => Cow::Owned(unique),
            _ => compact,
        };
        match compact {
            Cow::Borrowed(compact) if as_text => Value::Str(compact),
            Cow::Borrowed(compact) => Value::Json(compact),
            Cow::Owned(compact) if as_text => Value::OwnedStr(self.own(&compact)),
            Cow::Owned(compact) => Value::OwnedJson(self.own(&compact)),
        }
    }

    /// A string value, borrowed from the record when it can be.
    #[inline(always)]
    fn str_value(&mut self, text: Cow<'a, str>) -> Value<'a> {
        Value::of_text(self.text(text))
    }

    #[inline(always)]
    fn text(&mut self, text: Cow<'a, str>) -> Text<'a> {
        match text {
            Cow::Borrowed(text) => Text::Borrowed(text),
            Cow::Owned(text) => Text::Owned(self.own(&text)),
        }
    }

    /// Copies `text` into the document's buffer.
    fn own(&mut self, text: &str) -> Span {
        let start = self.buffers.text.len();
        self.buffers.text.push_str(text);
        Span { start, len: text.len() }
    }

    /// Writes the document as one line of compact JSON; its buffers are kept for this
    /// thread's next document.
    pub fn write(self, message: Option<Original<'a>>, out: &mut Vec<u8>) {
        self.write_out(message, &[], out).keep();
    }

    /// Writes the document as one line of compact JSON; returns its buffers, emptied, for the
    /// next document. `record` is the fields `message` was parsed into, if it was.
    pub fn write_out(mut self, message: Option<Original<'a>>, record: &[Field], out: &mut Vec<u8>) -> Buffers<'a> {
        dedup_related(&mut self.buffers.related, &self.buffers.text);
        for list in Related::ALL {
            if self.buffers.related.iter().any(|&(l, _)| l == list) {
                self.put(list.path(), Value::Related(list));
            }
        }
        if !self.notes.is_empty() {
            let notes = self.notes.join("; ");
            self.put_str("error.message", notes);
        }
        if let Some(message) = message {
            // Even when empty: an error document always says what it was given.
            self.push("message", message.into());
        }
        let Buffers { vendor, text, .. } = &mut self.buffers;
        fn key<'t>(text: &'t str, (key, _): &(Text<'t>, Value<'t>)) -> &'t str {
            resolve(text, *key)
        }
        // Logpush writes fields in name order, so usually there is nothing to sort.
        if !vendor.is_sorted_by(|a, b| json::compare(key(text, a).as_bytes(), key(text, b).as_bytes()).is_lt()) {
            vendor.sort_by(|a, b| json::compare(key(text, a).as_bytes(), key(text, b).as_bytes())); // stable: the first of duplicate keys wins
            vendor.dedup_by(|later, earlier| key(text, later) == key(text, earlier));
        }
        if !vendor.is_empty() {
            self.push("cloudflare", Value::Vendor);
        }
        let Buffers { fields, shape, shape_mixed, vendor, members, related, text } = &self.buffers;
        layout::write(fields, shape, *shape_mixed, &Parts { related, vendor, members, text, record }, out);
        self.buffers.cleared()
    }

    /// Keeps compact, portable JSON text the mapping built (what is left of a list of objects
    /// whose other keys went to ECS) as `cloudflare.<name>`.
    pub fn vendor_built_json(&mut self, name: Cow<'a, str>, json: &str) {
        let value = Value::OwnedJson(self.own(json));
        self.vendor_value(name, value);
    }
}

/// The text of a key or related value, in `buffer` when the document holds it.
fn resolve<'t>(buffer: &'t str, text: Text<'t>) -> &'t str {
    match text {
        Text::Borrowed(text) => text,
        Text::Owned(span) => span_of(buffer, span),
    }
}

fn span_of(buffer: &str, span: Span) -> &str {
    buffer.get(span.start..span.start + span.len).unwrap_or_default()
}

/// Removes repeated values of each `related.*` list, keeping the first of each in place.
/// Done as values are added while there are few (see `Doc::relate`), here past that.
fn dedup_related(related: &mut Vec<(Related, Text)>, buffer: &str) {
    if related.len() <= RELATED_LINEAR_LIMIT {
        return;
    }
    let key = |i: usize| related.get(i).map(|&(list, text)| (list, resolve(buffer, text)));
    let mut order: Vec<usize> = (0..related.len()).collect();
    order.sort_by(|&a, &b| key(a).cmp(&key(b))); // stable: equal values by position
    let mut keep = vec![false; related.len()];
    let mut previous = None;
    for i in order {
        let value = key(i);
        if value != previous {
            if let Some(k) = keep.get_mut(i) {
                *k = true;
            }
            previous = value;
        }
    }
    let mut keep = keep.into_iter();
    related.retain(|_| keep.next().unwrap_or(false));
}

/// What values refer to, besides the record: for `write_value`.
struct Parts<'d, 'a> {
    related: &'d [(Related, Text<'a>)],
    vendor: &'d [(Text<'a>, Value<'a>)],
    members: &'d [(Text<'a>, Value<'a>)],
    text: &'d str,
    /// The record's fields, for `Value::Record`.
    record: &'d [Field<'d>],
}

impl Parts<'_, '_> {
    /// For values that refer to nothing (the constants written into layouts).
    const NONE: Parts<'static, 'static> = Parts { related: &[], vendor: &[], members: &[], text: "", record: &[] };
}

/// Deepest nesting kept as JSON under `cloudflare.*`. Deeper user data (audit values, custom
/// headers) is kept as its JSON text instead, so documents stay within Elasticsearch's
/// mapping depth limit (20) and Fluent Bit's nesting limit (~64).
const MAX_VALUE_DEPTH: usize = 16;

fn is_scalar(raw: &str) -> bool {
    !matches!(raw.as_bytes().first(), Some(b'{' | b'[' | b'n'))
}

fn field_is_empty(field: &Field) -> bool {
    json::is_empty_value(field.raw())
}

/// `part` (a slice of `whole`) with `whole`'s lifetime when `whole` is borrowed.
pub fn slice_of<'a>(whole: &Cow<'a, str>, part: &str) -> Cow<'a, str> {
    match whole {
        Cow::Borrowed(whole) => ecs::offset_in(whole, part)
            .and_then(|start| whole.get(start..start + part.len()))
            .map_or_else(|| Cow::Owned(part.to_owned()), Cow::Borrowed),
        Cow::Owned(_) => Cow::Owned(part.to_owned()),
    }
}

/// A value derived from `source` that may borrow from it, with `source`'s lifetime.
fn reborrow<'a>(source: &Cow<'a, str>, derived: Cow<'_, str>) -> Cow<'a, str> {
    match derived {
        Cow::Borrowed(part) => slice_of(source, part),
        Cow::Owned(owned) => Cow::Owned(owned),
    }
}

fn write_value(value: &Value, parts: &Parts, out: &mut Vec<u8>) {
    match *value {
        Value::Str(s) => json::write_str(out, s),
        Value::Record(text) => record::write_as_string(text, parts.record, out),
        Value::OwnedStr(span) => json::write_str(out, span_of(parts.text, span)),
        Value::Const(s) => json::write_str(out, s),
        Value::Json(j) => out.extend_from_slice(j.as_bytes()),
        Value::OwnedJson(span) => out.extend_from_slice(span_of(parts.text, span).as_bytes()),
        Value::Int(n) => json::write_int(out, n),
        Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Value::Time(ts) => {
            out.push(b'"');
            ts.write_ecs(out);
            out.push(b'"');
        }
        Value::Related(list) => {
            let values = parts.related.iter().filter(|&&(l, _)| l == list).map(|&(_, v)| resolve(parts.text, v));
            write_array(values, out);
        }
        Value::StaticStrs(list) => write_array(list.iter().copied(), out),
        Value::Vendor => write_object(parts.vendor, parts, out),
        Value::Object(span) => {
            write_object(parts.members.get(span.start..span.start + span.len).unwrap_or_default(), parts, out);
        }
    }
}

fn write_object(entries: &[(Text, Value)], parts: &Parts, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json::write_str(out, resolve(parts.text, *key));
        out.push(b':');
        write_value(value, parts, out);
    }
    out.push(b'}');
}

fn write_array<'s>(items: impl Iterator<Item = &'s str>, out: &mut Vec<u8>) {
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json::write_str(out, item);
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_fields;

    fn written<'a>(doc: Doc<'a>, message: Option<Original<'a>>) -> serde_json::Value {
        let mut out = Vec::new();
        doc.write(message, &mut out);
        serde_json::from_slice(&out).expect("valid JSON")
    }

    #[test]
    fn nests_paths_and_prunes_empties() {
        let mut doc = Doc::new("dns_logs");
        doc.put_str("source.ip", "1.2.3.4");
        doc.put_str("source.as.organization.name", "");
        doc.put("source.port", Value::Int(0));
        doc.put("dns.question.name", Value::Str("a.com"));
        doc.put("event.category", Value::StaticStrs(&["network"]));
        doc.put_str("source.ip", "5.6.7.8"); // first wins
        let doc = written(doc, Some("raw".into()));
        assert_eq!(
            doc,
            serde_json::json!({
                "message": "raw",
                "event": {"dataset": "dns_logs", "category": ["network"]},
                "observer": {"vendor": "Cloudflare"},
                "source": {"ip": "1.2.3.4", "address": "1.2.3.4", "port": 0},
                "dns": {"question": {"name": "a.com"}}
            })
        );
    }

    #[test]
    fn address_prefers_domain() {
        let mut doc = Doc::new("x");
        doc.put_str("destination.ip", "1.2.3.4");
        doc.put_str("destination.domain", "example.com");
        assert_eq!(written(doc, None)["destination"]["address"], "example.com");
    }

    #[test]
    fn vendor_fields_bad_fields_and_related() {
        let fields = parse_fields(r#"{"ActorIP":"::ffff:10.0.0.1","Bad":"x","Obj":{ "a" : [1, 2] },"Nil":null,"Empty":[],"Blank":{ },"Zero":0,"Obj":1}"#).unwrap();
        let mut doc = Doc::new("x");
        doc.endpoint_ip(Endpoint::Source, &fields[0]);
        doc.endpoint_ip(Endpoint::Client, &fields[0]);
        doc.endpoint_ip(Endpoint::Destination, &fields[1]);
        for field in &fields[2..] {
            doc.vendor(field);
        }
        let doc = written(doc, None);
        assert_eq!(doc["source"]["ip"], "10.0.0.1");
        assert_eq!(doc["related"]["ip"], serde_json::json!(["10.0.0.1"]));
        assert_eq!(doc["cloudflare"], serde_json::json!({"Bad": "x", "Obj": {"a": [1, 2]}, "Zero": 0}));
        assert_eq!(doc["error"]["message"], "Bad: not an IP address");
    }

    #[test]
    fn domain_parts_from_owned_and_borrowed_names() {
        let mut doc = Doc::new("x");
        doc.domain(&DNS_QUESTION, Cow::Owned("www.example.co.uk".to_owned()));
        doc.domain(&URL, Cow::Borrowed("host.corp.internal"));
        let doc = written(doc, None);
        assert_eq!(doc["dns"]["question"]["registered_domain"], "example.co.uk");
        assert_eq!(doc["dns"]["question"]["subdomain"], "www");
        assert_eq!(doc["url"]["subdomain"], "host.corp");
        assert_eq!(doc["url"].get("top_level_domain"), None);
        assert_eq!(doc["related"]["hosts"], serde_json::json!(["www.example.co.uk", "host.corp.internal"]));
    }

    #[test]
    fn many_related_values_dedup_in_order() {
        let mut doc = Doc::new("x");
        for i in 0..5_000 {
            doc.related_ip(Cow::Owned(format!("10.0.{}.{}", (i % 300) / 256, i % 300 % 256)));
        }
        let ips = written(doc, None)["related"]["ip"].as_array().unwrap().clone();
        assert_eq!(ips.len(), 300);
        assert_eq!(ips[0], "10.0.0.0");
        assert_eq!(ips[299], "10.0.1.43");
    }

    #[test]
    fn values_strict_parsers_reject_are_kept_as_text() {
        let fields = parse_fields(r#"{"Big":1e999,"Lone":"\ud800","Deep":{"a":[-1E400]},"Ok":1e3}"#).unwrap();
        let mut doc = Doc::new("x");
        doc.keyword("user.name", &fields[0]);
        doc.keyword("user.email", &fields[1]);
        doc.vendor(&fields[2]);
        doc.keyword("user.id", &fields[3]);
        let mut out = Vec::new();
        doc.write(None, &mut out);
        let doc: serde_json::Value = serde_json::from_slice(&out).expect("serde_json parses the document");
        assert_eq!(doc["cloudflare"], serde_json::json!({"Big": "1e999", "Lone": "\"\\ud800\"", "Deep": "{\"a\":[-1E400]}"}));
        assert_eq!(doc["user"], serde_json::json!({"id": "1e3"}));
        assert_eq!(doc["error"]["message"], "Big: number out of range or lone surrogate; Lone: number out of range or lone surrogate");
    }

    #[test]
    fn copied_objects_keep_the_last_of_a_repeated_key() {
        let fields = parse_fields(r#"{"Nested":{"a":1,"b":{"x":1,"x":2},"a":3},"Obj":{"k":1,"k":2}}"#).unwrap();
        let mut doc = Doc::new("x");
        doc.vendor(&fields[0]);
        let entries = fields[1].as_object().unwrap();
        doc.vendor_object(Cow::Borrowed("Obj"), &entries);
        let mut out = Vec::new();
        doc.write(None, &mut out);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#""cloudflare":{"Nested":{"a":3,"b":{"x":2}},"Obj":{"k":2}}"#), "{text}");
    }

    #[test]
    fn leaf_and_object_at_the_same_path_stay_valid_json() {
        let mut doc = Doc::new("x");
        doc.put_str("url.domain", "a");
        doc.put_str("url.domain.x", "b");
        assert_eq!(written(doc, None)["url"], serde_json::json!({"domain": "a"}));
    }
}
