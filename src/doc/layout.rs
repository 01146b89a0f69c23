//! Where each entry of a document goes: the order of paths, and the JSON between values.
//!
//! A document's entries are `(dotted path, value)` pairs in the order mappings put them. To
//! write it, paths are sorted (byte order; of several values put at one path the first wins),
//! `*.address` is derived, and the dotted paths become nested objects. All of that depends on
//! the paths alone, so it is worked out once into a [`Layout`]: the entries to write, in
//! order, and the bytes between their values (`},"geo":{"city_name":`). Records of one
//! Logpush job put the same few sequences of paths again and again, so layouts are cached
//! per thread, keyed by that sequence, and most documents are written by copying bytes
//! between values. Constants of the mappings (`"event":{"kind":"event"`) are part of the
//! shape, and written into the glue with the keys.

use std::cell::RefCell;

use super::{Endpoint, Parts, Value, span_of, write_value};
use crate::json;

/// Entries: `(path, value)`, in the order they were put.
type Entries<'e, 'a> = &'e [(&'static str, Value<'a>)];

/// The part of each entry in its document's shape (see `words`), in the same order.
pub type ShapeWords = [(u64, u64)];

/// How a document of one shape is written.
struct Layout {
    shape: Shape,
    /// The JSON text around values, in one buffer.
    glue: Vec<u8>,
    /// For each value written: the end of the glue before it, and the entry it comes from.
    steps: Vec<(u32, u32)>,
}

impl Layout {
    /// Works out the layout of `entries`: sort, first value per path, addresses, nesting.
    fn new(entries: Entries, shape: Shape) -> Self {
        let mut order = sorted_order(entries);
        // Of several values put at one path, the first wins.
        order.dedup_by(|later, earlier| later.0 == earlier.0);
        derive_addresses(&mut order, entries);
        let mut glue = Vec::with_capacity(order.len() * 16);
        let mut steps = Vec::with_capacity(order.len());
        nest(&order, &mut glue, |glue, entry| match entries.get(entry) {
            Some((_, value @ (Value::Const(_) | Value::StaticStrs(_)))) => write_value(value, &Parts::NONE, glue),
            _ => {
                let end = u32::try_from(glue.len()).unwrap_or(u32::MAX);
                steps.push((end, u32::try_from(entry).unwrap_or(u32::MAX)));
            }
        });
        // Padding, so that any glue can be read 16 bytes at a time (see `json::copy_run`).
        glue.extend_from_slice(&[0; 16]);
        Layout { shape, glue, steps }
    }

    /// Writes the document: glue, value, glue, value, ..., glue.
    fn write(&self, entries: Entries, parts: &Parts, out: &mut Vec<u8>) {
        let mut start = 0;
        for &(end, entry) in &self.steps {
            let end = end as usize;
            json::copy_run(out, &self.glue, start, end);
            start = end;
            match entries.get(entry as usize) {
                // The most common values, without a call through the general writer.
                Some((_, Value::Str(text))) => json::write_str(out, text),
                Some((_, Value::Json(text))) => out.extend_from_slice(text.as_bytes()),
                Some((_, Value::OwnedStr(span))) => json::write_str(out, span_of(parts.text, *span)),
                Some((_, value)) => write_value(value, parts, out),
                None => {}
            }
        }
        json::copy_run(out, &self.glue, start, self.glue.len() - 16);
    }
}

/// Writes `entries` as a document, with the cached layout of their shape if there is one.
pub fn write(entries: Entries, words: &ShapeWords, mixed: u64, parts: &Parts, out: &mut Vec<u8>) {
    LAYOUTS.with(|cache| match cache.try_borrow_mut() {
        Ok(mut cache) => cache.write(entries, words, finish(mixed, words.len()), parts, out),
        Err(_) => Layout::new(entries, Shape::of(words)).write(entries, parts, out),
    });
}

/// What a layout depends on: each entry's path, whether its value is a string (only string
/// domains and IPs make an address), and the constants. A `&'static` path or constant is
/// recorded by its address and length: equal means the same text. The same text at another
/// address is only another shape, never a wrong layout.
struct Shape {
    hash: u64,
    words: Vec<(u64, u64)>,
}

/// The address and length of static text, in one word: addresses are below 2^48 on the
/// 64-bit targets (and 2^32 on wasm32), paths and constants far shorter than 2^16 bytes.
fn text_word(address: usize, len: usize) -> u64 {
    address as u64 | (len as u64) << 48
}

/// An entry's part in its document's shape: its path, and the kind of its value: 0 for a
/// value, 1 for a string value, or the constant. Worked out as the entry is put, where the
/// kind of value is known.
#[inline(always)]
pub fn words(path: &'static str, value: &Value) -> (u64, u64) {
    let kind = match value {
        Value::Str(_) | Value::OwnedStr(_) => 1,
        Value::Const(text) => text_word(text.as_ptr() as usize, text.len()),
        Value::StaticStrs(list) => text_word(list.as_ptr() as usize, list.len()),
        _ => 0,
    };
    (text_word(path.as_ptr() as usize, path.len()), kind)
}

/// An entry's part in the hash of its document's shape, which sums them: each entry's words
/// are mixed on their own, with its position, so that the multiplications do not wait on each
/// other, and entries can be summed as they are put.
#[inline(always)]
pub fn mix(position: usize, (path, kind): (u64, u64)) -> u64 {
    (path ^ kind.rotate_left(29) ^ position as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The hash of a shape from the sum of its entries' `mix`.
fn finish(sum: u64, entries: usize) -> u64 {
    let sum = sum ^ entries as u64;
    (sum ^ sum >> 31).wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

impl Shape {
    /// The hash of a shape: `mix` of each entry in turn, then `finish`.
    fn hash(words: &ShapeWords) -> u64 {
        let sum = words.iter().enumerate().fold(0u64, |sum, (i, &entry)| sum.wrapping_add(mix(i, entry)));
        finish(sum, words.len())
    }

    /// Whether this is the shape of `words`. All words are compared, without stopping at the
    /// first difference (equal is the usual answer), so that it is a word-at-a-time loop
    /// rather than a `memcmp` call, which in WebAssembly compares byte by byte.
    fn matches(&self, words: &ShapeWords) -> bool {
        self.words.len() == words.len()
            && self.words.iter().zip(words).fold(0, |differ, (a, b)| differ | (a.0 ^ b.0) | (a.1 ^ b.1)) == 0
    }

    fn of(words: &ShapeWords) -> Self {
        Shape { hash: Shape::hash(words), words: words.to_vec() }
    }
}

/// Documents with more entries than this are laid out every time, not cached (all 108
/// `http_requests` fields make about 130).
const MAX_CACHED_ENTRIES: usize = 256;
/// How many layouts a thread keeps: a Logpush job yields dozens of shapes per dataset. With
/// the limit above, the cache stays under about 3 MB, and mostly under 1 MB.
const CACHED_LAYOUTS: usize = 256;

/// The layouts of recent shapes; when full, each new one replaces the oldest.
#[derive(Default)]
struct Layouts {
    layouts: Vec<Layout>,
    /// The hash of each layout's shape, searched first: a few cache lines, not hundreds.
    hashes: Vec<u64>,
    oldest: usize,
}

impl Layouts {
    fn write(&mut self, entries: Entries, words: &ShapeWords, hash: u64, parts: &Parts, out: &mut Vec<u8>) {
        let found = self.hashes.iter().zip(&self.layouts).find(|&(&h, layout)| h == hash && layout.shape.matches(words));
        if let Some((_, layout)) = found {
            return layout.write(entries, parts, out);
        }
        let layout = Layout::new(entries, Shape { hash, words: words.to_vec() });
        layout.write(entries, parts, out);
        // Records with thousands of repeated keys make layouts not worth keeping.
        if layout.shape.words.len() > MAX_CACHED_ENTRIES {
            return;
        }
        if self.layouts.len() < CACHED_LAYOUTS {
            self.hashes.push(layout.shape.hash);
            self.layouts.push(layout);
        } else if let (Some(hash), Some(slot)) = (self.hashes.get_mut(self.oldest), self.layouts.get_mut(self.oldest)) {
            *hash = layout.shape.hash;
            *slot = layout;
            self.oldest = (self.oldest + 1) % CACHED_LAYOUTS;
        }
    }
}

thread_local! {
    static LAYOUTS: RefCell<Layouts> = RefCell::new(Layouts::default());
}

/// `(path, entry index)` of every entry, by path (byte order), then in the order put.
fn sorted_order(entries: Entries) -> Vec<(&'static str, usize)> {
    let mut order: Vec<(&'static str, usize)> = entries.iter().enumerate().map(|(index, (path, _))| (*path, index)).collect();
    order.sort_unstable();
    order
}

/// `*.address` for each endpoint without one: the entry of its domain when that is a string,
/// else of its IP. `order` is sorted by path, one entry per path.
fn derive_addresses(order: &mut Vec<(&'static str, usize)>, entries: Entries) {
    for endpoint in Endpoint::ALL {
        let (ip, domain, address) = endpoint.paths();
        let Err(insert_at) = order.binary_search_by(|(path, _)| path.cmp(&address)) else {
            continue;
        };
        let text_entry = |path: &str| {
            let at = order.binary_search_by(|(p, _)| p.cmp(&path)).ok()?;
            let &(_, entry) = order.get(at)?;
            entries.get(entry).is_some_and(|(_, value)| value.is_str()).then_some(entry)
        };
        if let Some(entry) = text_entry(domain).or_else(|| text_entry(ip)) {
            order.insert(insert_at, (address, entry));
        }
    }
}

/// Writes the nested objects of sorted dotted paths into `glue`, calling `value(glue, entry)`
/// where each entry's value goes. Paths are our own ECS names: non-empty segments of ASCII
/// letters, digits, `_` and `@`, nothing to escape.
///
/// Each path is compared with the one before it: the parents they share stay open, the
/// previous path's other parents are closed, and the new path's other parents opened.
fn nest(order: &[(&'static str, usize)], glue: &mut Vec<u8>, mut value: impl FnMut(&mut Vec<u8>, usize)) {
    glue.push(b'{');
    let mut previous = "";
    // How many of the previous path's parents are open objects; whether a key needs a comma.
    let mut open = 0;
    let mut comma = false;
    let key = |glue: &mut Vec<u8>, comma: bool, segment: &str| {
        if comma {
            glue.push(b',');
        }
        glue.push(b'"');
        glue.extend_from_slice(segment.as_bytes());
        glue.extend_from_slice(b"\":");
    };
    for &(path, entry) in order {
        // A path below a leaf already written (`a.b` then `a.b.c`) cannot be nested: skip it.
        if !previous.is_empty() && path.strip_prefix(previous).is_some_and(|rest| rest.starts_with('.')) {
            continue;
        }
        let (shared, mut rest) = shared_parents(previous, path);
        for _ in shared..open {
            glue.push(b'}');
            comma = true;
        }
        open = shared;
        while let Some((parent, after)) = rest.split_once('.') {
            key(glue, comma, parent);
            glue.push(b'{');
            open += 1;
            comma = false;
            rest = after;
        }
        key(glue, comma, rest);
        value(glue, entry);
        comma = true;
        previous = path;
    }
    for _ in 0..open {
        glue.push(b'}');
    }
    glue.push(b'}');
}

/// How many leading parent segments `path` shares with `previous`, and the rest of `path`
/// after them.
fn shared_parents<'p>(previous: &str, path: &'p str) -> (usize, &'p str) {
    let (mut shared, mut rest_at) = (0, 0);
    for (i, (a, b)) in previous.bytes().zip(path.bytes()).enumerate() {
        if a != b {
            break;
        }
        if a == b'.' {
            shared += 1;
            rest_at = i + 1;
        }
    }
    (shared, path.get(rest_at..).unwrap_or(path))
}
