//! Small JSON text helpers for writing documents directly, without a value tree.

use std::borrow::Cow;

/// Appends `text` as a JSON string literal.
///
/// Eight bytes are checked at a time and copied whole when none needs escaping: most values
/// (names, addresses, ids) have nothing to escape, and record text (`message`) has long runs.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map_or(u64::MAX, u64::from_le_bytes);
        if chunk_needs_escape(word) {
            chunk.iter().for_each(|&byte| write_byte(out, byte));
        } else {
            out.extend_from_slice(chunk);
        }
    }
    chunks.remainder().iter().for_each(|&byte| write_byte(out, byte));
    out.push(b'"');
}

fn write_byte(out: &mut Vec<u8>, byte: u8) {
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

/// Whether any of 8 bytes is a control character, `"` or `\\`: a byte below `n` makes
/// `(x - n * 0x0101..) & !x & 0x8080..` non-zero.
fn chunk_needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let any_below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH_BITS != 0;
    any_below(word, 0x20)
        || any_below(word ^ (ONES * u64::from(b'"')), 1)
        || any_below(word ^ (ONES * u64::from(b'\\')), 1)
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
    fn empty_values() {
        for empty in ["null", "\"\"", "[]", "{}"] {
            assert!(is_empty_value(empty));
        }
        for kept in ["0", "false", "\" \"", "[0]"] {
            assert!(!is_empty_value(kept));
        }
    }
}
