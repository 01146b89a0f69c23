//! A parsed Cloudflare record: its top-level fields, borrowed from the input text.
//!
//! Parsing stops at the top level: each value is kept as raw JSON text and decoded only
//! when a mapping asks for it, so a record is read once and never copied into a tree.
//!
//! Records are parsed by a small scanner of their usual shape first (see `scan_fields`), and by
//! serde_json when it gives up: serde_json decides what is valid, and explains what is not.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::json::{ONES, escape_mask};

/// One top-level field: its key and its value as JSON text.
#[derive(Debug)]
pub struct Field<'a> {
    key: Cow<'a, str>,
    raw: &'a str,
    /// Known to be a JSON string without escapes (most values are): its text is the value.
    plain_string: bool,
}

impl<'a> Field<'a> {
    #[inline]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The key, borrowed from the input when it had no escapes.
    #[inline]
    pub fn key_cow(&self) -> Cow<'a, str> {
        self.key.clone()
    }

    /// The value as JSON text, exactly as in the input.
    #[inline]
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// The decoded string when the value is a JSON string.
    #[inline]
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        if self.plain_string {
            self.raw.get(1..self.raw.len() - 1).map(Cow::Borrowed)
        } else {
            decode_str(self.raw)
        }
    }

    /// Whether the value is known to be a JSON string without escapes (else it may still be).
    pub fn is_plain_string(&self) -> bool {
        self.plain_string
    }

    /// The value when it is an integer JSON number.
    #[inline]
    pub fn as_i64(&self) -> Option<i64> {
        crate::json::parse_i64(self.raw())
    }

    /// The value when it is an integer, as a JSON number or a numeric string (`"443"`).
    #[inline]
    pub fn as_integer(&self) -> Option<i64> {
        self.as_i64().or_else(|| self.as_str().and_then(|s| crate::json::parse_i64(crate::json::trim(&s))))
    }

    /// The value when it is a non-negative integer JSON number.
    #[inline]
    pub fn as_u64(&self) -> Option<u64> {
        crate::json::parse_u64(self.raw())
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.raw() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// The nested object's fields when the value is a JSON object.
    pub fn as_object(&self) -> Option<Vec<Field<'a>>> {
        if !self.raw().starts_with('{') {
            return None;
        }
        parse_fields(self.raw()).ok()
    }
}

/// Appends `text`, a record whose top-level `fields` were parsed from it, as a JSON string
/// literal (`message`): the same bytes as `json::write_str(out, text)`. A record's text has a
/// quote every few bytes, which an escaper looks at byte by byte; where the fields tile the
/// text exactly (`{"key":value,...}`, Logpush's compact form), the quotes around keys and
/// plain string values are known, and what is between them is copied whole. Values with
/// quotes inside (objects, escaped strings) are escaped as usual, and text the fields do not
/// tile (whitespace, escaped keys) byte by byte.
pub fn write_as_string(text: &str, fields: &[Field], out: &mut Vec<u8>) {
    let start = out.len();
    if !write_tiled(text, fields, out) {
        out.truncate(start);
        crate::json::write_str(out, text);
    }
}

/// `write_as_string` for text the fields tile; `false`, having written part of it, as soon as
/// they turn out not to: something other than `{`, `"`, `":`, `,` or `}` between them.
fn write_tiled(text: &str, fields: &[Field], out: &mut Vec<u8>) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'{') {
        return false;
    }
    out.reserve(text.len() + text.len() / 2 + 2);
    out.extend_from_slice(b"\"{");
    let mut at = 1; // `text[..at]` is written
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            if bytes.get(at) != Some(&b',') {
                return false;
            }
            out.push(b',');
            at += 1;
        }
        let Cow::Borrowed(key) = field.key else {
            return false; // it had escapes
        };
        if bytes.get(at) != Some(&b'"') || start_in(text, key) != Some(at + 1) {
            return false;
        }
        at += 1 + key.len();
        if bytes.get(at..at + 2) != Some(b"\":") || start_in(text, field.raw) != Some(at + 2) {
            return false;
        }
        at += 2 + field.raw.len();
        out.extend_from_slice(b"\\\"");
        copy_short(out, text, key);
        out.extend_from_slice(b"\\\":");
        match field.raw.as_bytes().first() {
            Some(b'"') if field.plain_string => {
                out.extend_from_slice(b"\\\"");
                copy_short(out, text, field.raw.get(1..field.raw.len() - 1).unwrap_or_default());
                out.extend_from_slice(b"\\\"");
            }
            Some(b'"' | b'{' | b'[') => crate::json::write_escaped(out, field.raw.as_bytes()),
            // Numbers, `true`, `false` and `null`: nothing to escape.
            _ => copy_short(out, text, field.raw),
        }
    }
    out.extend_from_slice(b"}\"");
    at + 1 == bytes.len() && bytes.get(at) == Some(&b'}')
}

/// Where `part` starts in `text`, when it is a slice of it.
fn start_in(text: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start.checked_add(part.len())? <= text.len()).then_some(start)
}

/// Appends `part`, a slice of `text` with nothing to escape.
#[inline(always)]
fn copy_short(out: &mut Vec<u8>, text: &str, part: &str) {
    match start_in(text, part) {
        Some(start) => crate::json::copy_run(out, text.as_bytes(), start, start + part.len()),
        None => out.extend_from_slice(part.as_bytes()),
    }
}

/// Decodes a JSON string literal, borrowing when it has no escapes.
pub fn decode_str(raw: &str) -> Option<Cow<'_, str>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
}

/// Parses a JSON object into its top-level fields, in input order.
pub fn parse_fields(json: &str) -> Result<Vec<Field<'_>>, serde_json::Error> {
    parse_fields_into(json, Vec::new()).map(|(fields, _)| fields)
}

/// `parse_fields`, into `buffer` (emptied first), so that a buffer can serve record after
/// record; and whether the values are known to nest at most `SCANNER_MAX_DEPTH` levels.
pub fn parse_fields_into<'a>(json: &'a str, mut buffer: Vec<Field<'a>>) -> Result<(Vec<Field<'a>>, bool), serde_json::Error> {
    buffer.clear();
    match scan_fields(json, buffer) {
        Some(fields) => Ok((fields, true)),
        None => parse_fields_with_serde(json).map(|fields| (fields, false)),
    }
}

/// `parse_fields` by serde_json alone.
fn parse_fields_with_serde(json: &str) -> Result<Vec<Field<'_>>, serde_json::Error> {
    let Fields(fields) = serde_json::from_str(json)?;
    Ok(fields)
}

/// How deeply values may nest for the scanner; deeper ones are left to serde_json.
pub const SCANNER_MAX_DEPTH: u32 = 64;

/// The fast path of `parse_fields`: a parser for a subset of the JSON serde_json accepts,
/// giving the same fields. It gives up (`None`) on anything else (keys with escapes, values
/// nested more than 64 levels deep, and all invalid JSON), and serde_json parses those;
/// serde_json's visitor machinery was a sixth of the time spent on an `http_requests` record.
///
/// Each step expects one byte and looks for whitespace only when another is there: Logpush
/// writes records without any. Positions are passed and returned rather than kept in a
/// struct, so that they stay in registers.
fn scan_fields<'a>(text: &'a str, mut fields: Vec<Field<'a>>) -> Option<Vec<Field<'a>>> {
    let bytes = text.as_bytes();
    fields.reserve(32);
    let (at, byte) = token(bytes, 0)?;
    if byte != b'{' {
        return None;
    }
    let (mut at, mut byte) = token(bytes, at + 1)?;
    if byte == b'}' {
        return token(bytes, at + 1).is_none().then_some(fields);
    }
    loop {
        if byte != b'"' {
            return None;
        }
        let key_end = plain_end(bytes, at + 1);
        if bytes.get(key_end) != Some(&b'"') {
            return None; // an escaped key (or invalid): serde_json decodes it
        }
        let key = text.get(at + 1..key_end)?;
        (at, byte) = token(bytes, key_end + 1)?;
        if byte != b':' {
            return None;
        }
        (at, byte) = token(bytes, at + 1)?;
        let (end, plain_string) = match byte {
            b'"' => string(bytes, at + 1).map(|(end, escaped)| (end, !escaped))?,
            _ => (value(bytes, at, byte)?, false),
        };
        let raw = text.get(at..end)?;
        fields.push(Field { key: Cow::Borrowed(key), raw, plain_string });
        (at, byte) = token(bytes, end)?;
        match byte {
            b',' => (at, byte) = token(bytes, at + 1)?,
            b'}' => return token(bytes, at + 1).is_none().then_some(fields),
            _ => return None,
        }
    }
}

/// The first byte from `at` that is not whitespace, and where; `None` at the end.
#[inline(always)]
fn token(bytes: &[u8], at: usize) -> Option<(usize, u8)> {
    let byte = *bytes.get(at)?;
    if byte > b' ' {
        return Some((at, byte));
    }
    skip_whitespace(bytes, at)
}

/// `token` where there is whitespace (or a control character, where it stops).
#[cold]
#[inline(never)]
fn skip_whitespace(bytes: &[u8], at: usize) -> Option<(usize, u8)> {
    let rest = bytes.get(at..)?;
    let at = at + rest.iter().take_while(|b| matches!(b, b' ' | b'\n' | b'\t' | b'\r')).count();
    Some((at, *bytes.get(at)?))
}

/// The end of the JSON value from `at`, which starts with `first`, nested objects and
/// arrays included.
fn value(bytes: &[u8], mut at: usize, mut first: u8) -> Option<usize> {
    // The open objects and arrays, innermost in the lowest bit: 1 for an object.
    let (mut open, mut depth) = (0u64, 0u32);
    loop {
        at = match first {
            b'"' => string(bytes, at + 1)?.0,
            b'-' | b'0'..=b'9' => number(bytes, at)?,
            b't' => literal(bytes, at, b"true")?,
            b'f' => literal(bytes, at, b"false")?,
            b'n' => literal(bytes, at, b"null")?,
            b'{' | b'[' => {
                let is_object = first == b'{';
                let (next_at, next) = token(bytes, at + 1)?;
                if next == if is_object { b'}' } else { b']' } {
                    next_at + 1
                } else {
                    if depth == SCANNER_MAX_DEPTH {
                        return None;
                    }
                    (open, depth) = ((open << 1) | u64::from(is_object), depth + 1);
                    (at, first) = if is_object { member_key(bytes, next_at, next)? } else { (next_at, next) };
                    continue; // to the first member
                }
            }
            _ => return None,
        };
        // After a value: close what it ends, up to the next member.
        loop {
            if depth == 0 {
                return Some(at);
            }
            let in_object = open & 1 == 1;
            let (next_at, next) = token(bytes, at)?;
            at = next_at + 1;
            match next {
                b',' => {
                    let (next_at, next) = token(bytes, at)?;
                    (at, first) = if in_object { member_key(bytes, next_at, next)? } else { (next_at, next) };
                    break;
                }
                b'}' if in_object => {}
                b']' if !in_object => {}
                _ => return None,
            }
            (open, depth) = (open >> 1, depth - 1);
        }
    }
}

/// Past `"key":` of a nested object's member, at `at` starting with `first`: where its value
/// starts, and the value's first byte.
fn member_key(bytes: &[u8], at: usize, first: u8) -> Option<(usize, u8)> {
    if first != b'"' {
        return None;
    }
    let (at, byte) = token(bytes, string(bytes, at + 1)?.0)?;
    if byte != b':' {
        return None;
    }
    token(bytes, at + 1)
}

/// The end of a string whose opening quote is just before `start`, and whether it has escapes.
#[inline(always)]
fn string(bytes: &[u8], start: usize) -> Option<(usize, bool)> {
    let end = plain_end(bytes, start);
    if *bytes.get(end)? == b'"' {
        return Some((end + 1, false));
    }
    escaped_string(bytes, end)
}

/// `string` from its first escape (or control character) at `at`.
#[cold]
#[inline(never)]
fn escaped_string(bytes: &[u8], mut at: usize) -> Option<(usize, bool)> {
    loop {
        match bytes.get(at)? {
            b'"' => return Some((at + 1, true)),
            b'\\' => {
                let escape = bytes.get(at + 1..)?;
                match escape.first()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => at += 2,
                    b'u' if escape.get(1..5)?.iter().all(u8::is_ascii_hexdigit) => at += 6,
                    _ => return None,
                }
            }
            _ => return None, // a control character
        }
        at = plain_end(bytes, at);
    }
}

/// Where the string text from `at` stops being plain: its first `"`, `\\` or control
/// character (or the end). As `json::plain_run`, 16 bytes at a time, but without its
/// overlapping last block, which costs a few instructions more per string: most keys and
/// values are short. Bytes past the blocks are tested eight at once when there are eight.
#[inline(always)]
fn plain_end(bytes: &[u8], at: usize) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    let mut blocks = rest.chunks_exact(16);
    let mut end = at;
    for block in &mut blocks {
        let Some((low, high)) = block.first_chunk().zip(block.last_chunk()) else { break };
        let (low, high) = (escape_mask(u64::from_le_bytes(*low)), escape_mask(u64::from_le_bytes(*high)));
        if low | high != 0 {
            let bit = if low != 0 { low.trailing_zeros() } else { 64 + high.trailing_zeros() };
            return end + bit as usize / 8;
        }
        end += 16;
    }
    let mut rest = blocks.remainder();
    if let Some((word, after)) = rest.split_first_chunk::<8>() {
        let found = escape_mask(u64::from_le_bytes(*word));
        if found != 0 {
            return end + found.trailing_zeros() as usize / 8;
        }
        (end, rest) = (end + 8, after);
    }
    end + rest.iter().position(|&b| b < 0x20 || b == b'"' || b == b'\\').unwrap_or(rest.len())
}

/// The end of `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` from `at`.
fn number(bytes: &[u8], at: usize) -> Option<usize> {
    let start = at + usize::from(bytes.get(at) == Some(&b'-'));
    let end = digits(bytes, start);
    if end == start || (end > start + 1 && bytes.get(start) == Some(&b'0')) {
        return None;
    }
    match bytes.get(end) {
        Some(b'.' | b'e' | b'E') => fraction_exponent(bytes, end),
        _ => Some(end),
    }
}

/// The end of a number's `(\.[0-9]+)?([eE][+-]?[0-9]+)?` from `at`.
#[cold]
fn fraction_exponent(bytes: &[u8], mut at: usize) -> Option<usize> {
    if bytes.get(at) == Some(&b'.') {
        at = some_digits(bytes, at + 1)?;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1 + usize::from(matches!(bytes.get(at + 1), Some(b'+' | b'-')));
        at = some_digits(bytes, at)?;
    }
    Some(at)
}

/// Past the ASCII digits from `at`: most numbers have fewer than eight, tested at once. A byte
/// is not a digit when adding 0x46 or subtracting 0x30 sets its high bit; digits carry and
/// borrow nothing, so the first flagged byte is the first that is not one.
fn digits(bytes: &[u8], at: usize) -> usize {
    let Some(rest) = bytes.get(at..) else { return at };
    if let Some(word) = rest.first_chunk::<8>() {
        let word = u64::from_le_bytes(*word);
        let not_digit = (word.wrapping_add(ONES * 0x46) | word.wrapping_sub(ONES * 0x30)) & (ONES << 7);
        if not_digit != 0 {
            return at + not_digit.trailing_zeros() as usize / 8;
        }
    }
    at + rest.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// `digits`, at least one.
fn some_digits(bytes: &[u8], at: usize) -> Option<usize> {
    let end = digits(bytes, at);
    (end > at).then_some(end)
}

/// Past `word` at `at`.
fn literal(bytes: &[u8], at: usize, word: &[u8]) -> Option<usize> {
    bytes.get(at..)?.starts_with(word).then_some(at + word.len())
}

struct Fields<'a>(Vec<Field<'a>>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(32));
        while let Some(Key(key)) = map.next_key()? {
            let raw: &'de RawValue = map.next_value()?;
            fields.push(Field { key, raw: raw.get(), plain_string: false });
        }
        Ok(Fields(fields))
    }
}

/// An object key, borrowed from the input unless it contained escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_keys_and_values() {
        let fields = parse_fields(r#"{"QueryName":"example.com.","QueryType":1,"A\"b":{"x": [1]}}"#).unwrap();
        assert_eq!(fields.len(), 3);
        assert!(matches!(fields[0].key, Cow::Borrowed("QueryName")));
        assert!(matches!(fields[0].as_str(), Some(Cow::Borrowed("example.com."))));
        assert_eq!(fields[1].as_u64(), Some(1));
        assert_eq!(fields[1].as_str(), None);
        assert_eq!(fields[2].key(), "A\"b");
        assert_eq!(fields[2].raw(), r#"{"x": [1]}"#);
        assert_eq!(fields[2].as_object().unwrap()[0].raw(), "[1]");
    }

    #[test]
    fn decodes_escaped_strings() {
        assert_eq!(decode_str(r#""a\u0026b\n""#).as_deref(), Some("a&b\n"));
        assert_eq!(decode_str("12"), None);
    }

    /// The scanner must accept only what serde_json accepts, and give the same fields; plain
    /// strings flagged as such, and values nesting at most `SCANNER_MAX_DEPTH` levels.
    /// Whether it accepted.
    fn assert_scanner_agrees(text: &str) -> bool {
        let Some(scanned) = scan_fields(text, Vec::new()) else {
            return false;
        };
        let parsed = parse_fields_with_serde(text).unwrap_or_else(|e| panic!("scanner accepted what serde_json rejects ({e}): {text:?}"));
        let pairs = |fields: &[Field]| fields.iter().map(|f| (f.key().to_owned(), f.raw().to_owned(), f.as_str().map(Cow::into_owned))).collect::<Vec<_>>();
        assert_eq!(pairs(&scanned), pairs(&parsed), "{text:?}");
        for field in &scanned {
            assert_eq!(field.is_plain_string(), field.raw().starts_with('"') && !field.raw().contains('\\'), "{text:?}");
            assert!(crate::json::depth(field.raw()) <= SCANNER_MAX_DEPTH as usize, "{text:?}");
        }
        assert_written_as_string(text, &scanned);
        assert_written_as_string(text, &parsed);
        true
    }

    /// `write_as_string` writes the bytes `json::write_str` does.
    fn assert_written_as_string(text: &str, fields: &[Field]) {
        let (mut from_fields, mut escaped) = (Vec::new(), Vec::new());
        write_as_string(text, fields, &mut from_fields);
        crate::json::write_str(&mut escaped, text);
        assert_eq!(String::from_utf8_lossy(&from_fields), String::from_utf8_lossy(&escaped), "{text:?}");
    }

    /// A tiny deterministic generator of JSON records (xorshift), with every shape the scanner
    /// has a path for; and whether its top-level keys are all without escapes.
    struct Records(u64);

    impl Records {
        fn next(&mut self, below: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % below as u64) as usize
        }

        fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
            from[self.next(from.len())]
        }

        fn space(&mut self, out: &mut String, spaced: bool) {
            if spaced {
                out.push_str(self.pick(&["", "", " ", "\n", "\t", "\r\n  "]));
            }
        }

        /// A string literal, with escapes once in `rarely` parts; whether it has any.
        fn string(&mut self, out: &mut String, rarely: usize) -> bool {
            let plain = ["", "a", "Key", "ClientRequestHost", "example.com.", "é", "\u{1f600}", "0123456789abcdefghij"];
            let escapes = ["\\\"", "\\n", "\\/", "\\u00e9", "\\ud83d\\ude00", "\\\\"];
            out.push('"');
            let mut escaped = false;
            for _ in 0..self.next(4) {
                let part = if self.next(rarely) == 0 { self.pick(&escapes) } else { self.pick(&plain) };
                escaped |= part.contains('\\');
                out.push_str(part);
            }
            out.push('"');
            escaped
        }

        fn value(&mut self, out: &mut String, spaced: bool, depth: u32) {
            let numbers = ["0", "-0", "7", "-12", "1.5", "-0.25e-3", "1E9", "3e+2", "0.0", "18446744073709551616", "1712345678901234567"];
            match self.next(if depth < 4 { 8 } else { 6 }) {
                0 | 1 => drop(self.string(out, 4)),
                2 => out.push_str(self.pick(&numbers)),
                3 => out.push_str(self.pick(&["true", "false", "null"])),
                4 | 5 => out.push_str(self.pick(&["12", "\"plain value\"", "0"])),
                6 => {
                    out.push('[');
                    for i in 0..self.next(4) {
                        if i > 0 {
                            out.push(',');
                        }
                        self.space(out, spaced);
                        self.value(out, spaced, depth + 1);
                        self.space(out, spaced);
                    }
                    out.push(']');
                }
                _ => drop(self.object(out, spaced, depth + 1)),
            }
        }

        /// An object; whether its keys are all without escapes.
        fn object(&mut self, out: &mut String, spaced: bool, depth: u32) -> bool {
            let mut plain_keys = true;
            out.push('{');
            for i in 0..self.next(7) {
                if i > 0 {
                    out.push(',');
                }
                self.space(out, spaced);
                plain_keys &= !self.string(out, 30);
                self.space(out, spaced);
                out.push(':');
                self.space(out, spaced);
                self.value(out, spaced, depth);
                self.space(out, spaced);
            }
            out.push('}');
            plain_keys
        }

        fn record(&mut self) -> (String, bool) {
            let spaced = self.next(3) == 0;
            let mut out = String::new();
            self.space(&mut out, spaced);
            let plain_keys = self.object(&mut out, spaced, 0);
            self.space(&mut out, spaced);
            (out, plain_keys)
        }
    }

    #[test]
    fn scanner_agrees_with_serde_json() {
        let cases = [
            r#"{}"#, r#" { } "#, r#"{"a":1}"#, r#"{"a" : -0.5e+10 , "b":[ 1 , {"c" : null} ],"d":{}}"#,
            r#"{"a":"\u00e9\"\\\/\b\f\n\r\t"}"#, r#"{"a":"\ud800"}"#, r#"{"a":01}"#, r#"{"a":1.}"#,
            r#"{"a":.5}"#, r#"{"a":1e}"#, r#"{"a":-}"#, r#"{"a":"\x"}"#, r#"{"a":"\u12g4"}"#, r#"{"a":tru}"#,
            r#"{"a":truex}"#, r#"{"a":[1,]}"#, r#"{"a":1,}"#, r#"{"a":{"b":1,}}"#, r#"{"a":[}"#, r#"{"a":{]}"#,
            r#"{"a":1}x"#, r#"{"a":1} "#, "{\"a\":\"\u{1}\"}", "{\"a\":\"\u{7f}é\u{1f600}\"}", r#"{"a\"b":1}"#,
            r#"{"a":1 "b":2}"#, r#"{a:1}"#, r#"{"a" 1}"#, r#"[1]"#, r#""a""#, "", "{", r#"{"a":"#, r#"{"a":"b"#,
            r#"{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#,
            "{\"a\":1}\n", "{\"a\":1}\u{a0}", r#"{"a":1,"a":2}"#, r#"{"":""}"#,
        ];
        for case in cases {
            assert_scanner_agrees(case);
        }
        assert!(scan_fields(r#"{"a" : [1, {"b": "c\"d"}], "e": -1.5E-3}"#, Vec::new()).is_some());
        // Every fixture, and every small corruption of it.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut inputs = Vec::new();
        for dir in std::fs::read_dir(root).unwrap().flatten() {
            for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
                let path = file.path();
                if path.extension().is_some_and(|e| e == "input" || e == "bin") {
                    inputs.push(std::fs::read(path).unwrap());
                }
            }
        }
        for input in inputs {
            let Ok(text) = std::str::from_utf8(&input) else { continue };
            assert_scanner_agrees(text.trim());
            for line in text.lines().take(2).filter(|line| line.len() < 4096) {
                assert_scanner_agrees(line);
                let step = (line.len() / 24).max(1);
                for at in (0..line.len()).step_by(step) {
                    for patch in ["", "\"", "\\", ",", "}", "]", "{", "[", "0", "e", "-", " ", ":", "\u{1}"] {
                        let (Some(head), Some(tail)) = (line.get(..at), line.get(at + 1..)) else { continue };
                        assert_scanner_agrees(&format!("{head}{patch}{tail}"));
                        assert_scanner_agrees(&format!("{head}{patch}{}", line.get(at..).unwrap()));
                    }
                }
            }
        }
    }

    #[test]
    fn scanner_agrees_on_generated_records() {
        let mut records = Records(0x9e37_79b9_7f4a_7c15);
        for _ in 0..400 {
            let (text, plain_keys) = records.record();
            assert_eq!(assert_scanner_agrees(&text), plain_keys, "{text:?}");
            // Every truncation, and a byte patched in or replaced everywhere.
            for at in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
                let (head, tail) = text.split_at(at);
                assert_scanner_agrees(head);
                let after = tail.chars().next().map_or(tail, |c| &tail[c.len_utf8()..]);
                let patch = records.pick(&["\"", "\\", ",", "}", "]", "{", "[", "0", "-", ".", "e", " ", ":", "\u{1}", "\u{7f}", "t"]);
                assert_scanner_agrees(&format!("{head}{patch}{tail}"));
                assert_scanner_agrees(&format!("{head}{patch}{after}"));
                assert_scanner_agrees(&format!("{head}{after}"));
            }
        }
    }

    #[test]
    fn records_are_written_as_strings_from_their_fields() {
        for text in [r#"{}"#, r#"{"a":1}"#, r#"{"a":"b","c":[1,"d"],"e":{"f":"g\"h"},"i":null,"j":"k\\l","m":-1.5e3}"#, r#"{"":"","a":true}"#] {
            let fields = parse_fields(text).unwrap();
            let mut out = Vec::new();
            assert!(write_tiled(text, &fields, &mut out), "{text}");
            assert_written_as_string(text, &fields);
        }
        // Deeper than the scanner goes: serde_json's fields, which do not say which strings are plain.
        let deep = format!(r#"{{"a":"x","b":{}1{}}}"#, "[".repeat(70), "]".repeat(70));
        let fields = parse_fields(&deep).unwrap();
        assert!(write_tiled(&deep, &fields, &mut Vec::new()));
        assert_written_as_string(&deep, &fields);
        // Fields of other text, or not all of it, are not used.
        let text = r#"{"a":1,"b":2}"#;
        let fields = parse_fields(text).unwrap();
        assert!(!write_tiled(text, &fields[..1], &mut Vec::new()));
        assert!(!write_tiled(&String::from(text), &fields, &mut Vec::new()));
        assert_written_as_string(text, &fields[..1]);
        assert_written_as_string(&String::from(text), &fields);
        for text in [r#" {"a":1}"#, r#"{"a":1} "#, r#"{"a" :1}"#, r#"{"a\u0062":1}"#] {
            let fields = parse_fields(text).unwrap();
            assert!(!write_tiled(text, &fields, &mut Vec::new()), "{text}");
            assert_written_as_string(text, &fields);
        }
    }

    #[test]
    fn scanner_nests_at_most_its_depth() {
        let nested = |depth: usize, open: &str, close: &str| format!("{{\"a\":{}1{}}}", open.repeat(depth), close.repeat(depth));
        let limit = SCANNER_MAX_DEPTH as usize;
        assert!(assert_scanner_agrees(&nested(limit, "[", "]")));
        assert!(!assert_scanner_agrees(&nested(limit + 1, "[", "]")));
        assert!(assert_scanner_agrees(&nested(limit / 2, "{\"b\":[", "]}")));
        assert!(!assert_scanner_agrees(&nested(limit / 2 + 1, "{\"b\":[ ", " ]}")));
        assert!(parse_fields(&nested(limit + 1, "[", "]")).is_ok());
    }

    #[test]
    fn rejects_non_objects() {
        assert!(parse_fields("[1]").is_err());
        assert!(parse_fields("{\"a\":").is_err());
    }
}
