//! A parsed Cloudflare record: its top-level fields, borrowed from the input text.
//!
//! Parsing stops at the top level: each value is kept as raw JSON text and decoded only
//! when a mapping asks for it, so a record is read once and never copied into a tree.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// One top-level field: its key and its value as JSON text.
#[derive(Debug)]
pub struct Field<'a> {
    key: Cow<'a, str>,
    raw: &'a RawValue,
}

impl<'a> Field<'a> {
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The key, borrowed from the input when it had no escapes.
    pub fn key_cow(&self) -> Cow<'a, str> {
        self.key.clone()
    }

    /// The value as JSON text, exactly as in the input.
    pub fn raw(&self) -> &'a str {
        self.raw.get()
    }

    /// The decoded string when the value is a JSON string.
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        decode_str(self.raw())
    }

    /// The value when it is an integer JSON number.
    pub fn as_i64(&self) -> Option<i64> {
        self.raw().parse().ok()
    }

    /// The value when it is a non-negative integer JSON number.
    pub fn as_u64(&self) -> Option<u64> {
        self.raw().parse().ok()
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
    let Fields(fields) = serde_json::from_str(json)?;
    Ok(fields)
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
            fields.push(Field { key, raw });
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

    #[test]
    fn rejects_non_objects() {
        assert!(parse_fields("[1]").is_err());
        assert!(parse_fields("{\"a\":").is_err());
    }
}
