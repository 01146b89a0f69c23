//! Small JSON text helpers for writing documents directly, without a value tree.

use std::borrow::Cow;

/// Appends `text` as a JSON string literal.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    // serde_json's escaper is fast and writes to a Vec without failing.
    let _ = serde_json::to_writer(&mut *out, text);
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
        write_str(&mut out, "a\"b\n\u{1}é");
        assert_eq!(String::from_utf8(out).unwrap(), "\"a\\\"b\\n\\u0001é\"");
    }

    #[test]
    fn measures_depth_outside_strings() {
        assert_eq!(depth("1"), 0);
        assert_eq!(depth(r#"{"a":[{"b":"[[[\\\"{"}]}"#), 3);
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
