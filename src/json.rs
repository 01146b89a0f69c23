//! Small JSON text helpers for writing documents directly, without a value tree.

use std::borrow::Cow;

/// Appends `text` as a JSON string literal.
///
/// Most strings need nothing escaped: that is checked eight bytes at a time, and they are
/// copied at once.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2 + 8);
    out.push(b'"');
    if bytes.len() <= 16 {
        // Most values: two words at most, stored whole when there is nothing to escape.
        let (head, tail) = bytes.split_at(bytes.len().min(8));
        let (first, second) = (load_word(head).0, load_word(tail).0);
        if escape_mask(first) | escape_mask(second) == 0 {
            write_word(out, first, head.len());
            write_word(out, second, tail.len());
            out.push(b'"');
            return;
        }
    }
    let (plain, rest) = bytes.split_at_checked(plain_run(bytes)).unwrap_or((bytes, &[]));
    out.extend_from_slice(plain);
    if !rest.is_empty() {
        write_escaped_str(out, rest);
    }
    out.push(b'"');
}

/// Appends the first `n` (at most 8) bytes of `word`: all eight are stored at once, then the
/// length is cut back, which is cheaper than copying a variable number of bytes.
fn write_word(out: &mut Vec<u8>, word: u64, n: usize) {
    out.extend_from_slice(&word.to_le_bytes());
    out.truncate(out.len() - (8 - n.min(8)));
}

/// Appends `bytes` escaped, eight at a time (the last few padded with spaces). A word with
/// nothing to escape is copied whole; in one with quotes or backslashes, a backslash is
/// inserted before each (record text, `message`, has a quote every dozen bytes or so); a word
/// with a control character, which is rare, is escaped byte by byte. Up to 64 bytes at a time
/// are escaped into a buffer on the stack, then appended at once: writing to `out` directly,
/// the compiler reloads its length after every store, since it cannot tell that the bytes
/// written are not the vector itself.
fn write_escaped_str(out: &mut Vec<u8>, bytes: &[u8]) {
    // Without control characters, 64 bytes escape to at most 128; words are stored whole,
    // up to 8 bytes past the end of what is kept.
    let mut staged = [0u8; 64 * 2 + 8];
    for chunk in bytes.chunks(64) {
        let mut n = 0;
        let mut rest = chunk;
        while !rest.is_empty() {
            let (word, len) = load_word(rest);
            if zero_bytes(word & (ONES * 0xe0)) != 0 {
                out.extend_from_slice(staged.get(..n).unwrap_or_default());
                n = 0;
                rest.iter().take(len).for_each(|&byte| write_escaped(out, byte));
            } else {
                let mut quotes = zero_bytes(word ^ (ONES * u64::from(b'"'))) | zero_bytes(word ^ (ONES * u64::from(b'\\')));
                let mut from = 0;
                while quotes != 0 {
                    let at = quotes.trailing_zeros() as usize / 8;
                    stage(&mut staged, n, word >> (8 * from));
                    n += at - from;
                    stage(&mut staged, n, u64::from(b'\\'));
                    n += 1;
                    from = at;
                    quotes &= quotes - 1;
                }
                stage(&mut staged, n, word >> (8 * from));
                n += len - from;
            }
            rest = rest.get(len..).unwrap_or_default();
        }
        out.extend_from_slice(staged.get(..n).unwrap_or_default());
    }
}

/// The first 8 bytes of `bytes` as a little-endian word, or all of them followed by spaces;
/// and how many bytes of `bytes` that is.
fn load_word(bytes: &[u8]) -> (u64, usize) {
    if let Some(word) = bytes.first_chunk::<8>() {
        return (u64::from_le_bytes(*word), 8);
    }
    // 0 to 7 bytes: loaded 4, 2 and 1 at a time (a byte loop or `memcpy` costs more).
    let (mut word, mut loaded, mut rest) = (0u64, 0, bytes);
    if let Some((four, after)) = rest.split_first_chunk::<4>() {
        (word, loaded, rest) = (u64::from(u32::from_le_bytes(*four)), 32, after);
    }
    if let Some((two, after)) = rest.split_first_chunk::<2>() {
        (word, loaded, rest) = (word | u64::from(u16::from_le_bytes(*two)) << loaded, loaded + 16, after);
    }
    if let Some(&one) = rest.first() {
        (word, loaded) = (word | u64::from(one) << loaded, loaded + 8);
    }
    (word | SPACES.checked_shl(loaded).unwrap_or(0), bytes.len())
}

/// Stores the 8 bytes of `word` at `at` (below 128).
fn stage(staged: &mut [u8; 136], at: usize, word: u64) {
    if let Some(slot) = staged.get_mut(at..at + 8) {
        slot.copy_from_slice(&word.to_le_bytes());
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW_BITS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const SPACES: u64 = ONES * b' ' as u64;

/// The high bit of each zero byte of `v`, exactly: `((v & 0x7f) + 0x7f) | v` sets the high
/// bit of every non-zero byte, without carries between bytes.
fn zero_bytes(v: u64) -> u64 {
    !(((v & LOW_BITS) + LOW_BITS) | v | LOW_BITS)
}

/// Appends `byte`, escaped when JSON requires it.
fn write_escaped(out: &mut Vec<u8>, byte: u8) {
    match ESCAPES.get(usize::from(byte)).copied().unwrap_or(0) {
        0 => out.push(byte),
        b'u' => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let hex = |nibble: u8| HEX.get(usize::from(nibble & 0xf)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(byte >> 4), hex(byte)]);
        }
        short => out.extend_from_slice(&[b'\\', short]),
    }
}

/// The high bit of each of the 8 bytes (little-endian) that is a control character, `"` or
/// `\\`, plus possibly bytes after the first such one (a borrow carries into the next byte):
/// only the lowest set bit is exact. A byte below `n` makes `(x - n * 0x0101..) & !x & 0x8080..`
/// non-zero.
fn escape_mask(word: u64) -> u64 {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH_BITS;
    below(word, 0x20) | below(word ^ (ONES * u64::from(b'"')), 1) | below(word ^ (ONES * u64::from(b'\\')), 1)
}

/// How many leading bytes of `bytes` a JSON string can hold as they are: up to the first
/// `"`, `\\` or control character.
pub fn plain_run(bytes: &[u8]) -> usize {
    let mut rest = bytes;
    while !rest.is_empty() {
        let (word, len) = load_word(rest);
        let mask = escape_mask(word);
        if mask != 0 {
            // Padding is never escaped: the first byte to escape is one of `bytes`.
            return bytes.len() - rest.len() + (mask.trailing_zeros() / 8) as usize;
        }
        rest = rest.get(len..).unwrap_or_default();
    }
    bytes.len()
}

/// For each byte: 0 when it is written as is, else the letter of its escape (`u`: `\\u00XX`).
#[allow(clippy::indexing_slicing, reason = "evaluated at compile time: out of bounds fails the build")]
static ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

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
