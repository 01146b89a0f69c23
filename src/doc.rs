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
use crate::record::Field;

mod layout;

/// A value in the output document.
#[derive(Debug)]
pub enum Value<'a> {
    Str(Cow<'a, str>),
    /// A constant of the mapping (`event.kind: "event"`): written once into the layout of
    /// each shape of document, like the keys around it, not for every document.
    Const(&'static str),
    /// Compact JSON text, written as is.
    Json(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    Time(Timestamp),
    /// One of the document's `related.*` lists.
    Related(Related),
    StaticStrs(&'static [&'static str]),
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl Value<'_> {
    #[inline(always)]
    fn is_empty(&self) -> bool {
        match self {
            Value::Str(s) => s.is_empty(),
            Value::Const(s) => s.is_empty(),
            Value::Json(j) => json::is_empty_value(j),
            Value::StaticStrs(list) => list.is_empty(),
            Value::Object(entries) => entries.is_empty(),
            Value::Int(_) | Value::Bool(_) | Value::Time(_) | Value::Related(_) => false,
        }
    }
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
            Original::Text(text) => Value::Str(Cow::Borrowed(text)),
            Original::Literal(literal) => Value::Json(Cow::Borrowed(literal)),
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

/// Removes repeated values, keeping the first of each in place.
fn dedup_in_order<T: Ord>(list: Vec<T>) -> Vec<T> {
    if list.len() <= RELATED_LINEAR_LIMIT {
        return list;
    }
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by(|&a, &b| list.get(a).cmp(&list.get(b))); // stable: equal values by position
    let mut keep = vec![false; list.len()];
    let mut previous = None;
    for i in order {
        let value = list.get(i);
        if value != previous {
            if let Some(k) = keep.get_mut(i) {
                *k = true;
            }
            previous = value;
        }
    }
    list.into_iter().zip(keep).filter_map(|(value, keep)| keep.then_some(value)).collect()
}

/// `related.*` values, by list, in the order they were added.
type RelatedValues<'a> = [(Related, Cow<'a, str>)];

/// An output document under construction.
pub struct Doc<'a> {
    /// `(path, value)` in the order they were put.
    fields: Vec<(&'static str, Value<'a>)>,
    vendor: Vec<(Cow<'a, str>, Value<'a>)>,
    related: Vec<(Related, Cow<'a, str>)>,
    notes: Vec<String>,
}

impl<'a> Doc<'a> {
    /// A document with nothing in it.
    pub fn empty() -> Self {
        // Spares are kept empty, and a vector of `'static` values is one of `'a` values.
        let (mut fields, mut vendor): (Vec<_>, Vec<_>) = (SPARE_FIELDS.take(), SPARE_VENDOR.take());
        fields.reserve(48);
        vendor.reserve(32);
        let related = SPARE_RELATED.take();
        Doc { fields, vendor, related, notes: Vec::new() }
    }

    /// A normalized document of `dataset`.
    pub fn new(dataset: &'static str) -> Self {
        let mut doc = Doc::empty();
        doc.put("event.dataset", Value::Const(dataset));
        doc.put("observer.vendor", Value::Const("Cloudflare"));
        doc
    }

    /// Puts `value` at an ECS path, unless it is empty.
    #[inline(always)]
    pub fn put(&mut self, path: &'static str, value: Value<'a>) {
        if !value.is_empty() {
            self.fields.push((path, value));
        }
    }

    #[inline(always)]
    pub fn put_str(&mut self, path: &'static str, value: impl Into<Cow<'a, str>>) {
        self.put(path, Value::Str(value.into()));
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

    /// A keyword field: strings as they are, numbers and booleans as their JSON value.
    #[inline]
    pub fn keyword(&mut self, path: &'static str, field: &Field<'a>) {
        self.keyword_at(&[path], field);
    }

    /// A keyword field put at several paths (`source.geo.*` and `client.geo.*`).
    #[inline]
    pub fn keyword_at(&mut self, paths: &[&'static str], field: &Field<'a>) {
        match field.as_str() {
            Some(text) => {
                for path in paths {
                    self.put_str(path, text.clone());
                }
            }
            None if is_scalar(field.raw()) && json::is_portable(field.raw()) => {
                for path in paths {
                    self.put(path, Value::Json(Cow::Borrowed(field.raw())));
                }
            }
            None if is_scalar(field.raw()) => self.bad_field(field, "number out of range or lone surrogate"),
            None if field_is_empty(field) => {}
            None => self.bad_field(field, "expected a string"),
        }
    }

    /// An integer field (ports, bytes, status codes); integers written as strings are accepted.
    pub fn integer(&mut self, path: &'static str, field: &Field<'a>) {
        self.integer_at(&[path], field);
    }

    /// An integer field put at several paths; returns the value for derived fields
    /// (`event.outcome` from a status code, `network.bytes`).
    pub fn integer_at(&mut self, paths: &[&'static str], field: &Field<'a>) -> Option<i64> {
        let value = field.as_i64().or_else(|| field.as_str().and_then(|s| s.trim().parse().ok()));
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
                for path in paths {
                    self.put(path, Value::Str(ip.clone()));
                }
                self.related_ip(ip);
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
        for fields in sets {
            self.put_str(fields.domain, name.clone());
        }
        self.related_host(name);
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
        for fields in sets {
            for (path, part) in [
                (fields.registered_domain, registered_domain),
                (fields.top_level_domain, top_level_domain),
                (fields.subdomain, subdomain),
            ] {
                if let Some(part) = part {
                    self.put_str(path, slice_of(name, part));
                }
            }
        }
    }

    pub fn related_ip(&mut self, value: Cow<'a, str>) {
        self.relate(Related::Ip, value);
    }

    pub fn related_host(&mut self, value: Cow<'a, str>) {
        self.relate(Related::Hosts, value);
    }

    pub fn related_user(&mut self, value: Cow<'a, str>) {
        self.relate(Related::User, value);
    }

    pub fn related_hash(&mut self, value: Cow<'a, str>) {
        self.relate(Related::Hash, value);
    }

    #[inline]
    fn relate(&mut self, list: Related, value: Cow<'a, str>) {
        let known = |(l, v): &(Related, Cow<'a, str>)| *l == list && *v == value;
        if !value.is_empty() && (self.related.len() >= RELATED_LINEAR_LIMIT || !self.related.iter().any(known)) {
            self.related.push((list, value));
        }
    }

    /// Keeps a field with no ECS home as `cloudflare.<Name>`, with Cloudflare's value.
    #[inline]
    pub fn vendor(&mut self, field: &Field<'a>) {
        let value = if field.is_plain_string() { Value::Json(Cow::Borrowed(field.raw())) } else { json_value(field.raw()) };
        self.vendor_value(field.key_cow(), value);
    }

    #[inline]
    pub fn vendor_value(&mut self, name: Cow<'a, str>, value: Value<'a>) {
        if !value.is_empty() {
            self.vendor.push((name, value));
        }
    }

    /// A field that could not be normalized: kept unchanged under `cloudflare.*`, noted in
    /// `error.message`; the rest of the record is still mapped.
    pub fn bad_field(&mut self, field: &Field<'a>, reason: &str) {
        self.notes.push(format!("{}: {reason}", field.key()));
        self.vendor(field);
    }

    /// Writes the document as one line of compact JSON.
    pub fn write(mut self, message: Option<Original<'a>>, out: &mut Vec<u8>) {
        let related = dedup_in_order(std::mem::take(&mut self.related));
        for list in Related::ALL {
            if related.iter().any(|(l, _)| *l == list) {
                self.put(list.path(), Value::Related(list));
            }
        }
        if !self.notes.is_empty() {
            let notes = self.notes.join("; ");
            self.put_str("error.message", notes);
        }
        if let Some(message) = message {
            // Even when empty: an error document always says what it was given.
            self.fields.push(("message", message.into()));
        }
        let mut vendor = std::mem::take(&mut self.vendor);
        // Logpush writes fields in name order, so usually there is nothing to sort.
        if !vendor.is_sorted_by(|a, b| a.0 < b.0) {
            vendor.sort_by(|a, b| a.0.cmp(&b.0)); // stable: the first of duplicate keys wins
            vendor.dedup_by(|later, earlier| later.0 == earlier.0);
        }
        self.put("cloudflare", Value::Object(vendor));

        layout::write(&self.fields, &related, out);
        // Keep the vectors for the next document.
        crate::keep_spare(&SPARE_RELATED, related);
        if let Some(("cloudflare", Value::Object(vendor))) = self.fields.last_mut() {
            crate::keep_spare(&SPARE_VENDOR, std::mem::take(vendor));
        }
        release(&mut self.fields);
        crate::keep_spare(&SPARE_FIELDS, self.fields);
    }
}

/// Empties a document's entries. Most values borrow from the record and own nothing: those
/// are forgotten, which does nothing, rather than dropped, which calls a function per value
/// (the drop of this recursive enum is not inlined).
fn release(entries: &mut Vec<(&'static str, Value<'_>)>) {
    for (_, value) in entries.drain(..) {
        match &value {
            Value::Str(Cow::Borrowed(_))
            | Value::Json(Cow::Borrowed(_))
            | Value::Const(_)
            | Value::Int(_)
            | Value::Bool(_)
            | Value::Time(_)
            | Value::StaticStrs(_) => std::mem::forget(value),
            _ => drop(value),
        }
    }
}

thread_local! {
    /// The vectors of the last document written, kept for the next one (see `crate::recycle`).
    static SPARE_FIELDS: Cell<Vec<(&'static str, Value<'static>)>> = const { Cell::new(Vec::new()) };
    static SPARE_VENDOR: Cell<Vec<(Cow<'static, str>, Value<'static>)>> = const { Cell::new(Vec::new()) };
    static SPARE_RELATED: Cell<Vec<(Related, Cow<'static, str>)>> = const { Cell::new(Vec::new()) };
}

/// Deepest nesting kept as JSON under `cloudflare.*`. Deeper user data (audit values, custom
/// headers) is kept as its JSON text instead, so documents stay within Elasticsearch's
/// mapping depth limit (20) and Fluent Bit's nesting limit (~64).
const MAX_VALUE_DEPTH: usize = 16;

/// A copied JSON value: compact, or its text as a string when nested too deep or not portable
/// (`1e999`, `"\ud800"`: see `json::is_portable`).
pub fn json_value(raw: &str) -> Value<'_> {
    if json::is_plain_scalar(raw) {
        return Value::Json(Cow::Borrowed(raw));
    }
    let compact = json::compact(raw);
    if json::depth(&compact) > MAX_VALUE_DEPTH || !json::is_portable(&compact) {
        Value::Str(compact)
    } else {
        Value::Json(compact)
    }
}

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

fn write_value(value: &Value, related: &RelatedValues, out: &mut Vec<u8>) {
    match value {
        Value::Str(s) => json::write_str(out, s),
        Value::Const(s) => json::write_str(out, s),
        Value::Json(j) => out.extend_from_slice(j.as_bytes()),
        Value::Int(n) => json::write_int(out, *n),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Time(ts) => {
            out.push(b'"');
            ts.write_ecs(out);
            out.push(b'"');
        }
        Value::Related(list) => write_array(related.iter().filter(|(l, _)| l == list).map(|(_, v)| v.as_ref()), out),
        Value::StaticStrs(list) => write_array(list.iter().copied(), out),
        Value::Object(entries) => {
            out.push(b'{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json::write_str(out, key);
                out.push(b':');
                write_value(value, related, out);
            }
            out.push(b'}');
        }
    }
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
        doc.put("dns.question.name", Value::Str("a.com".into()));
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
        let fields = parse_fields(r#"{"ActorIP":"::ffff:10.0.0.1","Bad":"x","Obj":{ "a" : [1, 2] },"Nil":null,"Empty":[],"Zero":0,"Obj":1}"#).unwrap();
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
        assert_eq!(doc["user"], serde_json::json!({"id": 1000.0}));
        assert_eq!(doc["error"]["message"], "Big: number out of range or lone surrogate; Lone: number out of range or lone surrogate");
    }

    #[test]
    fn leaf_and_object_at_the_same_path_stay_valid_json() {
        let mut doc = Doc::new("x");
        doc.put_str("url.domain", "a");
        doc.put_str("url.domain.x", "b");
        assert_eq!(written(doc, None)["url"], serde_json::json!({"domain": "a"}));
    }
}
