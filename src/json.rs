//! Small JSON text helpers for writing documents directly, without a value tree.

use std::borrow::Cow;

/// Appends `text` as a JSON string literal.
///
/// Most strings are short keys and values with nothing to escape, written by `write_short`;
/// others are copied at once up to the first byte to escape.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if !write_short(out, bytes) {
        write_long(out, bytes);
    }
}

/// Appends a string literal copied at once up to the first byte to escape. Not inlined, so
/// that short strings do not pay for its stack frame.
#[inline(never)]
fn write_long(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    write_escaped(out, bytes);
    out.push(b'"');
}

/// Appends `bytes` as the inside of a JSON string literal: copied at once up to the first
/// byte to escape, escaped from there.
pub fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let (plain, rest) = bytes.split_at_checked(plain_run(bytes)).unwrap_or((bytes, &[]));
    out.extend_from_slice(plain);
    if !rest.is_empty() {
        write_escaped_str(out, rest);
    }
}

/// Appends up to 32 bytes with nothing to escape as a string literal; whether it did. They are
/// stored over 34 quotes appended at once, as a head and a tail of 16, 8 or 4 bytes, which
/// overlap when fewer (a byte loop or `memcpy` costs more), and checked a word at a time; the
/// surplus is then cut off. Nothing is called, so no register has to be saved: without room in
/// `out`, `write_long` grows it.
fn write_short(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    let len = bytes.len();
    if len > 32 || out.capacity() - out.len() < 34 {
        return false;
    }
    let start = out.len();
    out.extend_from_slice(&[b'"'; 34]);
    let Some(quoted) = out.last_chunk_mut::<34>() else {
        return false;
    };
    let mask = if let (Some(head), Some(tail)) = (bytes.first_chunk::<16>(), bytes.last_chunk::<16>()) {
        put(quoted, 1, head);
        put(quoted, len - 15, tail);
        let (head, tail) = (u128::from_le_bytes(*head), u128::from_le_bytes(*tail));
        [head, head >> 64, tail, tail >> 64].iter().fold(0, |mask, &half| mask | escape_mask(half as u64))
    } else if let (Some(head), Some(tail)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        put(quoted, 1, head);
        put(quoted, len - 7, tail);
        escape_mask(u64::from_le_bytes(*head)) | escape_mask(u64::from_le_bytes(*tail))
    } else if let (Some(head), Some(tail)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        put(quoted, 1, head);
        put(quoted, len - 3, tail);
        escape_mask(u64::from(u32::from_le_bytes(*head)) | u64::from(u32::from_le_bytes(*tail)) << 32)
    } else if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) {
        // 1 to 3 bytes: the first, middle and last.
        let middle = bytes.get(len / 2).copied().unwrap_or(last);
        put(quoted, 1, &[first]);
        put(quoted, 1 + len / 2, &[middle]);
        put(quoted, len, &[last]);
        escape_mask(u64::from_le_bytes([first, middle, last, b' ', b' ', b' ', b' ', b' ']))
    } else {
        0
    };
    out.truncate(if mask == 0 { start + len + 2 } else { start });
    mask == 0
}

/// Stores `bytes` at `at` in `quoted`.
fn put<const N: usize>(quoted: &mut [u8; 34], at: usize, bytes: &[u8; N]) {
    if let Some(slot) = quoted.get_mut(at..at + N) {
        slot.copy_from_slice(bytes);
    }
}

/// Appends `bytes` escaped. Each byte's escape is looked up and stored as a whole word, then
/// the position advanced by its length: no branch depends on the bytes (in record text,
/// `message`, a quote comes every 5 to 10 bytes, at no regular place). Up to 128 bytes at a
/// time are escaped into a buffer on the stack, then appended at once: writing to `out`
/// directly, the compiler would check its capacity and reload its length for every byte.
fn write_escaped_str(out: &mut Vec<u8>, bytes: &[u8]) {
    // Seven groups escape to at most 7 * 16 * 6 bytes, before the room of the eighth.
    let mut staged = [0u8; 7 * GROUP * 6 + GROUP_ROOM];
    let (groups, rest) = bytes.as_chunks::<GROUP>();
    for eight in groups.chunks(8) {
        let mut n = 0;
        for group in eight {
            if let Some(slots) = staged.get_mut(n..).and_then(<[u8]>::first_chunk_mut) {
                n += escape_group(slots, group);
            }
        }
        out.extend_from_slice(staged.get(..n).unwrap_or_default());
    }
    if !rest.is_empty() {
        // Padded with spaces, which escape to themselves.
        let mut last = [b' '; GROUP];
        last.iter_mut().zip(rest).for_each(|(slot, &byte)| *slot = byte);
        if let Some(slots) = staged.first_chunk_mut() {
            let n = escape_group(slots, &last) - (GROUP - rest.len());
            out.extend_from_slice(staged.get(..n).unwrap_or_default());
        }
    }
}

/// Bytes escaped in one go by `escape_group`.
const GROUP: usize = 16;

/// Room for the escapes of a group as far as the compiler can tell: their length is below
/// 128 (the sum of 16 numbers below 8), and the last is stored as a whole word.
const GROUP_ROOM: usize = 128 + 8;

/// Stores the escapes of `group` at the start of `slots`; returns their length.
fn escape_group(slots: &mut [u8; GROUP_ROOM], group: &[u8; GROUP]) -> usize {
    let mut n = 0;
    for &byte in group {
        let escaped = ESCAPED.get(usize::from(byte)).copied().unwrap_or_default();
        if let Some(slot) = slots.get_mut(n..n + 8) {
            slot.copy_from_slice(&escaped.to_le_bytes());
        }
        n += (escaped >> 61) as usize;
    }
    n
}

/// Each byte as a JSON string holds it (`"` as `\"`, a control character as `\n` or
/// `\u001f`, ...): its bytes, little-endian, and their number in the top 3 bits.
#[allow(clippy::indexing_slicing, reason = "evaluated at compile time: out of bounds fails the build")]
static ESCAPED: [u64; 256] = {
    const fn word(bytes: &[u8]) -> u64 {
        let mut word = (bytes.len() as u64) << 61;
        let mut i = 0;
        while i < bytes.len() {
            word |= (bytes[i] as u64) << (8 * i);
            i += 1;
        }
        word
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut table = [0u64; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = match byte as u8 {
            b'\n' => word(b"\\n"),
            b'\r' => word(b"\\r"),
            b'\t' => word(b"\\t"),
            b'"' => word(b"\\\""),
            b'\\' => word(b"\\\\"),
            control @ 0..0x20 => word(&[b'\\', b'u', b'0', b'0', HEX[control as usize >> 4], HEX[control as usize & 0xf]]),
            other => word(&[other]),
        };
        byte += 1;
    }
    table
};

/// The high bit of each of the 8 bytes (little-endian) that is a control character, `"` or
/// `\\`, plus possibly bytes after the first such one (a borrow carries into the next byte):
/// only the lowest set bit is exact. A byte of `x` below `n` (at most 0x80) makes
/// `(x - n * 0x0101..) & !x & 0x8080..` non-zero. Flipping bit 1 keeps control characters
/// below 0x20 and turns `"` into 0x20, and nothing else below 0x21; `\\` xor-ed with itself is
/// below 1. Neither flip changes high bits.
pub(crate) fn escape_mask(word: u64) -> u64 {
    let below = (word ^ (ONES * 2)).wrapping_sub(ONES * 0x21) | (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    below & !word & (ONES << 7)
}

/// A `u64` of ones bytes, which byte-wise tests multiply.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// How many leading bytes of `bytes` a JSON string can hold as they are: up to the first
/// `"`, `\\` or control character. Checked 16 bytes at a time, the last 16 overlapping bytes
/// already found plain, so that the first flagged is still the first to escape.
pub fn plain_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    while at < bytes.len() {
        let from = at.min(bytes.len().saturating_sub(16));
        let Some(block) = bytes.get(from..).and_then(<[u8]>::first_chunk::<16>) else {
            // Fewer than 16 bytes in all.
            return bytes.iter().position(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\').unwrap_or(bytes.len());
        };
        let block = u128::from_le_bytes(*block);
        let (low, high) = (escape_mask(block as u64), escape_mask((block >> 64) as u64));
        if low | high != 0 {
            let bit = if low != 0 { low.trailing_zeros() } else { 64 + high.trailing_zeros() };
            return from + bit as usize / 8;
        }
        at = from + 16;
    }
    bytes.len()
}

/// Where the first `\n` of `bytes` is (NDJSON lines). 32 bytes, four words, at a time,
/// with one branch for them: in WebAssembly the standard library's search reads four bytes
/// at a time, and a record is hundreds of bytes.
pub fn find_newline(bytes: &[u8]) -> Option<usize> {
    // The lowest bit set marks the first byte equal to `\n` exactly.
    let newlines = |word: u64| {
        let x = word ^ (ONES * u64::from(b'\n'));
        x.wrapping_sub(ONES) & !x & (ONES << 7)
    };
    let (blocks, _) = bytes.as_chunks::<32>();
    for (i, block) in blocks.iter().enumerate() {
        let (words, _) = block.as_chunks::<8>();
        let found = words.iter().fold(0, |found, word| found | newlines(u64::from_le_bytes(*word)));
        if found != 0 {
            let at = i * 32;
            let word = words.iter().position(|word| newlines(u64::from_le_bytes(*word)) != 0).unwrap_or_default();
            let bits = words.get(word).map_or(0, |w| newlines(u64::from_le_bytes(*w)));
            return Some(at + word * 8 + bits.trailing_zeros() as usize / 8);
        }
    }
    let at = blocks.len() * 32;
    let tail = bytes.get(at..)?;
    tail.iter().position(|&byte| byte == b'\n').map(|i| at + i)
}

/// Appends `bytes[start..end]`. Most runs copied between values are short (`,"ip":`, keys,
/// values): when 16 bytes from `start` are there to read, they are copied at once and the
/// length cut back, which is cheaper than copying a variable number of bytes.
#[inline(always)]
pub fn copy_run(out: &mut Vec<u8>, bytes: &[u8], start: usize, end: usize) {
    let len = end.saturating_sub(start);
    match bytes.get(start..start + 16) {
        Some(sixteen) if len <= 16 => {
            out.extend_from_slice(sixteen);
            out.truncate(out.len() - (16 - len));
        }
        _ => out.extend_from_slice(bytes.get(start..end).unwrap_or_default()),
    }
}

/// `a.cmp(b)`, eight bytes at a time: in WebAssembly, comparing byte strings is a call to a
/// `memcmp` that compares byte by byte, and keys share long prefixes (`ClientRequest...`).
pub fn compare(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let (a_words, _) = a.as_chunks::<8>();
    let (b_words, _) = b.as_chunks::<8>();
    for (a_word, b_word) in a_words.iter().zip(b_words) {
        if a_word != b_word {
            // Big-endian: the first byte that differs decides, as in byte order.
            return u64::from_be_bytes(*a_word).cmp(&u64::from_be_bytes(*b_word));
        }
    }
    // Fewer than eight bytes left in one of them.
    let common = a_words.len().min(b_words.len()) * 8;
    a.get(common..).cmp(&b.get(common..))
}

/// `text.trim()`, without decoding characters when both ends are ASCII and not whitespace,
/// as they are in almost every record and value.
pub fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(b'!'..=b'~'), Some(b'!'..=b'~')) => text,
        _ => text.trim(),
    }
}

/// `text.parse::<i64>()`, with a fast path for up to 19 digits. The standard library's parse
/// checks every digit for overflow with a 128-bit multiplication, a library call per digit in
/// WebAssembly; this runs for most numbers in a record (nanosecond times have 19 digits).
pub fn parse_i64(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', digits @ ..] => (true, digits),
        digits => (false, digits),
    };
    match short_decimal(digits).and_then(|value| i64::try_from(value).ok()) {
        Some(value) => Some(if negative { -value } else { value }),
        None => text.parse().ok(), // i64::MIN, more digits, or not a number
    }
}

/// `text.parse::<u64>()`, fast for up to 19 digits (see `parse_i64`).
pub fn parse_u64(text: &str) -> Option<u64> {
    short_decimal(text.as_bytes()).or_else(|| text.parse().ok())
}

/// The value of 1 to 19 ASCII digits, which cannot overflow a `u64`; `None` for anything else
/// (left to the full parse).
#[inline]
fn short_decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    digits.iter().try_fold(0u64, |value, &byte| {
        let digit = byte.wrapping_sub(b'0');
        (digit < 10).then_some(value * 10 + u64::from(digit))
    })
}

/// Appends an integer.
pub fn write_int(out: &mut Vec<u8>, value: i64) {
    let _ = serde_json::to_writer(&mut *out, &value);
}

/// Valid JSON text without insignificant whitespace, so a copied value never breaks an
/// NDJSON line (pretty-printed input carries newlines inside objects).
pub fn compact(json: &str) -> Cow<'_, str> {
    if !json.bytes().any(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t')) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if !matches!(c, ' ' | '\n' | '\r' | '\t') {
            in_string = c == '"';
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// How deeply objects and arrays nest in compact JSON text (`1` for `[1]`, `0` for `1`).
pub fn depth(compact_json: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut in_string = false;
    let mut escaped = false;
    for b in compact_json.bytes() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'{' | b'[' if !in_string => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' if !in_string => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Whether an object in compact JSON text (checked for syntax) holds a key twice. Keys are
/// compared as written (escapes not decoded); each object's keys are sorted once it closes,
/// so a record of thousands of keys costs O(n log n), not O(n²).
pub fn has_duplicate_keys(compact_json: &str) -> bool {
    if !compact_json.contains('{') {
        return false;
    }
    let bytes = compact_json.as_bytes();
    // Per open object or array: the keys seen, `None` for arrays.
    let mut open: Vec<Option<Vec<&[u8]>>> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' => open.push(Some(Vec::new())),
            b'[' => open.push(None),
            b'}' | b']' => {
                if let Some(Some(mut keys)) = open.pop() {
                    keys.sort_unstable();
                    if keys.windows(2).any(|pair| pair.first() == pair.last()) {
                        return true;
                    }
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        _ => {}
                    }
                    i += 1;
                }
                if bytes.get(i + 1) == Some(&b':')
                    && let (Some(Some(keys)), Some(key)) = (open.last_mut(), bytes.get(start..=i))
                {
                    keys.push(key);
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Compact JSON text with each object's repeated keys reduced to the last one, as
/// `JSON.parse` and Elasticsearch's readers would have it (key order then sorted).
pub fn last_keys_win(compact_json: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(compact_json).ok().map(|value| value.to_string())
}

/// Whether JSON text (already checked for syntax, as serde_json's raw values are) is also
/// accepted by strict parsers: every number within f64 range, no lone UTF-16 surrogate escape
/// (`"\ud800"`). serde_json (so the CLI) rejects a whole document holding `1e999` or
/// `"\ud800"`, and other parsers read infinity or U+FFFD: such a value is not copied as is.
pub fn is_portable(json: &str) -> bool {
    // Only `\u` escapes and exponent or very long numbers can fail: most values skip the parse.
    let suspicious = json.contains("\\u") || has_suspicious_number(json);
    !suspicious || serde_json::from_str::<serde_json::Value>(json).is_ok()
}

/// Whether JSON text (checked for syntax) is a scalar that is compact and portable as it is:
/// a string without escapes, `true`, `false`, `null`, or a number without an exponent and of
/// at most 300 characters. Most values are, and skip `compact` and `is_portable`.
pub fn is_plain_scalar(json: &str) -> bool {
    match json.as_bytes().first() {
        Some(b'"') => !json.contains('\\'),
        Some(b't' | b'f' | b'n') => true,
        Some(b'-' | b'0'..=b'9') => json.len() <= 300 && !json.bytes().any(|b| matches!(b, b'e' | b'E')),
        _ => false,
    }
}

/// Whether a number outside strings has an exponent or more than 300 characters.
fn has_suspicious_number(json: &str) -> bool {
    let (mut in_string, mut escaped, mut number_len) = (false, false, 0usize);
    for b in json.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'e' | b'E' if number_len > 0 => return true,
            b'0'..=b'9' | b'.' | b'-' | b'+' => {
                number_len += 1;
                if number_len > 300 {
                    return true;
                }
                continue;
            }
            _ => {}
        }
        number_len = 0;
    }
    false
}

/// Whether compact JSON text is one of the values documents leave out: `null`, `""`, `[]`, `{}`.
pub fn is_empty_value(compact_json: &str) -> bool {
    matches!(compact_json, "null" | "\"\"" | "[]" | "{}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_in_any_object() {
        assert!(!has_duplicate_keys(r#"{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}"#));
        assert!(has_duplicate_keys(r#"{"a":1,"a":2}"#));
        assert!(has_duplicate_keys(r#"[1,{"x":{"k":"}","k":"\"}"}}]"#));
        assert!(!has_duplicate_keys(r#"{"k":"a\"","k\"":1}"#));
        assert!(!has_duplicate_keys(r#"["a","a"]"#));
        assert_eq!(last_keys_win(r#"{"b":1,"a":{"x":1,"x":2},"b":3}"#).as_deref(), Some(r#"{"a":{"x":2},"b":3}"#));
    }

    #[test]
    fn runs_are_copied_exactly() {
        let bytes: Vec<u8> = (0..100).collect();
        for start in 0..100 {
            for end in start..=100 {
                let mut out = vec![7];
                copy_run(&mut out, &bytes, start, end);
                assert_eq!(out[1..], bytes[start..end], "{start}..{end}");
            }
        }
    }

    #[test]
    fn compares_as_str_compares() {
        let texts = ["", "a", "b", "ab", "abcdefg", "abcdefgh", "abcdefgi", "abcdefgh\u{0}", "abcdefghi", "ClientRequestHost", "ClientRequestHosu",
            "ClientRequestPath", "ClientRequest", "é", "e\u{301}", "\u{ff}abcdefg", "\u{7f}abcdefg"];
        for a in texts {
            for b in texts {
                assert_eq!(compare(a.as_bytes(), b.as_bytes()), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn trims_as_str_trims() {
        for text in ["", " ", "a", " a ", "\u{a0}a", "a\u{2028}", "\t{}\n", "é", " é", "{\"a\":1}", "\u{feff}{}"] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn integers_parse_as_std_parses_them() {
        let mut cases: Vec<String> = [
            "", "-", "+", "+1", "-0", "0", "00", "007", "1", "-1", "12a", "1.0", "1e3", " 1", "1 ", "٣",
            "999999999999999999", "-999999999999999999", "1000000000000000000", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
            "18446744073709551616", "99999999999999999999999",
        ]
        .map(String::from)
        .to_vec();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let digits = 1 + (seed % 21) as usize;
            let mut text: String = (0..digits).map(|i| char::from(b'0' + (seed >> (i * 3 % 60)) as u8 % 10)).collect();
            if seed & 1 == 1 {
                text.insert(0, '-');
            }
            cases.push(text);
        }
        for text in &cases {
            assert_eq!(parse_i64(text), text.parse::<i64>().ok(), "{text:?}");
            assert_eq!(parse_u64(text), text.parse::<u64>().ok(), "{text:?}");
        }
    }

    #[test]
    fn finds_the_first_newline() {
        for len in 0..100 {
            for at in 0..len {
                let mut bytes = vec![b'x'; len];
                bytes[at] = b'\n';
                if at + 3 < len {
                    bytes[at + 3] = b'\n';
                }
                bytes.iter_mut().take(at).for_each(|b| *b = 0x8a); // high bytes: no false matches
                assert_eq!(find_newline(&bytes), Some(at), "{len} {at}");
            }
            assert_eq!(find_newline(&vec![b'\x0b'; len]), None);
        }
    }

    #[test]
    fn compacts_outside_strings_only() {
        assert_eq!(compact("{\n  \"a b\": [1, 2],\n  \"c\": \"x\\\" y\"\n}"), "{\"a b\":[1,2],\"c\":\"x\\\" y\"}");
        assert!(matches!(compact("[1,2]"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_strings() {
        let mut out = Vec::new();
        write_str(&mut out, "a\"b\n\u{1}é\\\u{1f}\t\r");
        assert_eq!(String::from_utf8(out).unwrap(), "\"a\\\"b\\n\\u0001é\\\\\\u001f\\t\\r\"");
    }

    #[test]
    fn plain_runs() {
        assert_eq!(plain_run(b""), 0);
        assert_eq!(plain_run(b"abc"), 3);
        assert_eq!(plain_run(b"abcdefghij\"k"), 10);
        assert_eq!(plain_run(b"abcdefgh\\"), 8);
        assert_eq!(plain_run("\u{e9}\u{1f600}\n".as_bytes()), 6);
        assert_eq!(plain_run(b"a\x1f"), 1);
    }

    /// The escapes `write_str` has always written, one character at a time.
    fn reference(text: &str) -> String {
        let mut quoted = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => quoted.push_str("\\\""),
                '\\' => quoted.push_str("\\\\"),
                '\n' => quoted.push_str("\\n"),
                '\r' => quoted.push_str("\\r"),
                '\t' => quoted.push_str("\\t"),
                '\0'..='\u{1f}' => quoted.push_str(&format!("\\u{:04x}", u32::from(c))),
                _ => quoted.push(c),
            }
        }
        quoted.push('"');
        quoted
    }

    #[test]
    fn escapes_as_always_and_as_serde_json() {
        const CHARS: [char; 14] = ['"', '\\', '\n', '\r', '\t', '\0', '\u{8}', '\u{c}', '\u{1f}', '\u{7f}', 'é', '€', '\u{2028}', '😀'];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut random = |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        for _ in 0..20_000 {
            // Short or long, from plain text to mostly escapes, so that every path runs.
            let len = if random(2) == 0 { random(20) } else { random(301) };
            let special = random(101);
            let text: String = (0..len)
                .map(|_| match random(100) {
                    odds if odds < special => CHARS.get(random(14) as usize).copied().unwrap_or('"'),
                    _ => char::from(b' ' + random(95) as u8),
                })
                .collect();
            let mut out = b"[".to_vec();
            write_str(&mut out, &text);
            let written = std::str::from_utf8(out.get(1..).unwrap()).unwrap();
            assert_eq!(written, reference(&text), "{text:?}");
            // serde_json writes U+0008 and U+000C as `\b` and `\f`, and otherwise the same.
            if !text.contains(['\u{8}', '\u{c}']) {
                assert_eq!(written, serde_json::to_string(&text).unwrap(), "{text:?}");
            }
            let plain = text.bytes().position(|b| b < 0x20 || b == b'"' || b == b'\\');
            assert_eq!(plain_run(text.as_bytes()), plain.unwrap_or(text.len()), "{text:?}");
        }
    }

    #[test]
    fn measures_depth_outside_strings() {
        assert_eq!(depth("1"), 0);
        assert_eq!(depth(r#"{"a":[{"b":"[[[\\\"{"}]}"#), 3);
    }

    #[test]
    fn escapes_at_every_offset_of_a_chunk() {
        for special in ['"', '\\', '\n', '\u{0}', '\u{1f}'] {
            for at in 0..20 {
                let text: String = (0..20).map(|i| if i == at { special } else { 'a' }).collect();
                let mut out = Vec::new();
                write_str(&mut out, &text);
                assert_eq!(serde_json::from_slice::<String>(&out).unwrap(), text);
            }
        }
    }

    #[test]
    fn portable_json() {
        for ok in ["1", "-0.5", "1e3", "1E-999", "true", "\"e\"", r#""\u00e9\ud83d\ude00""#, r#"{"e":[1,false]}"#, "123456789012345678901234567890"] {
            assert!(is_portable(ok), "{ok}");
        }
        let long = "9".repeat(400);
        for bad in ["1e999", "-1E400", r#""\ud800""#, r#""\udc00x""#, r#"{"a":[1e309]}"#, r#"{"\ud800":1}"#, long.as_str()] {
            assert!(!is_portable(bad), "{bad}");
        }
    }

    #[test]
    fn plain_scalars_are_compact_and_portable() {
        for plain in ["1", "-0.5", "true", "false", "null", "\"a b\"", "\"\"", "123456789012345678901234567890"] {
            assert!(is_plain_scalar(plain), "{plain}");
            assert!(matches!(compact(plain), Cow::Borrowed(_)) || plain.contains(' '));
            assert!(is_portable(plain) && depth(plain) == 0, "{plain}");
        }
        let long = "9".repeat(400);
        for other in ["1e3", "1E-9", r#""\u00e9""#, r#""a\"b""#, "[1]", "{}", long.as_str()] {
            assert!(!is_plain_scalar(other), "{other}");
        }
    }

    #[test]
    fn empty_values() {
        for empty in ["null", "\"\"", "[]", "{}"] {
            assert!(is_empty_value(empty));
        }
        for kept in ["0", "false", "\" \"", "[0]"] {
            assert!(!is_empty_value(kept));
        }
    }
}
