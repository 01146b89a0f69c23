//! The ECS field table (`fixture-runner/ecs/ecs-9.4.0-fields.json`, the project's copy of
//! ECS 9.4.0's generated definition), and the check that a document holds, outside
//! `cloudflare.*`, only fields ECS defines, each value of its field's type.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

/// The ECS version the table and the documents follow.
pub const ECS_VERSION: &str = "9.4.0";

/// ECS field path → its Elasticsearch type (`keyword`, `long`, `ip`, `date`, `geo_point`, ...).
pub fn ecs_types() -> &'static HashMap<String, String> {
    static TYPES: OnceLock<HashMap<String, String>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ecs/ecs-9.4.0-fields.json");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let table: HashMap<String, Value> = serde_json::from_str(&text).expect("the ECS table is JSON");
        table.into_iter().map(|(path, def)| (path, def["type"].as_str().unwrap_or_default().to_owned())).collect()
    })
}

/// `event.category` value → the `event.type` values ECS expects with it.
fn expected_event_types() -> &'static HashMap<String, Vec<String>> {
    static EXPECTED: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    EXPECTED.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ecs/ecs-9.4.0-fields.json");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let table: Value = serde_json::from_str(&text).expect("the ECS table is JSON");
        let categories = table["event.category"]["allowed_values"].as_array().cloned().unwrap_or_default();
        categories
            .iter()
            .map(|c| {
                let types = c["expected_event_types"].as_array().cloned().unwrap_or_default();
                let types = types.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect();
                (c["name"].as_str().unwrap_or_default().to_owned(), types)
            })
            .collect()
    })
}

/// Every place where `document` leaves ECS: a path ECS does not define, a value not of its
/// field's type, or an `event.type` that none of the document's `event.category` values
/// expects. Empty when the document keeps to ECS.
pub fn ecs_violations(document: &Value) -> Vec<String> {
    let mut found = Vec::new();
    if let Value::Object(object) = document {
        for (key, value) in object {
            if key != "cloudflare" {
                check("", key, value, &mut found);
            }
        }
    }
    let list = |pointer: &str| -> Vec<&str> {
        document.pointer(pointer).and_then(Value::as_array).map_or(Vec::new(), |a| a.iter().filter_map(Value::as_str).collect())
    };
    let categories = list("/event/category");
    if !categories.is_empty() {
        let expected = expected_event_types();
        for event_type in list("/event/type") {
            let fits = categories.iter().any(|c| expected.get(*c).is_some_and(|types| types.iter().any(|t| t == event_type)));
            if !fits {
                found.push(format!("event.type: {event_type} is expected with none of event.category {categories:?}"));
            }
        }
    }
    found
}

fn check(prefix: &str, key: &str, value: &Value, found: &mut Vec<String>) {
    let path = if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") };
    match ecs_types().get(&path).map(String::as_str) {
        // An object ECS defines by its members (`dns.answers`): each member checked.
        Some("object" | "nested") => match value {
            Value::Array(items) => items.iter().for_each(|item| members(&path, item, found)),
            item => members(&path, item, found),
        },
        Some(field_type) => match value {
            Value::Array(items) => {
                for item in items {
                    if !of_type(field_type, item) {
                        found.push(format!("{path}: {item} is not a {field_type}"));
                    }
                }
            }
            value if !of_type(field_type, value) => found.push(format!("{path}: {value} is not a {field_type}")),
            _ => {}
        },
        // Not a field: an object on the way to fields (`source` of `source.ip`).
        None => match value {
            Value::Object(_) => members(&path, value, found),
            _ => found.push(format!("{path}: not an ECS {ECS_VERSION} field")),
        },
    }
}

fn members(path: &str, value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => object.iter().for_each(|(key, value)| check(path, key, value, found)),
        other => found.push(format!("{path}: {other} is not an object")),
    }
}

fn of_type(field_type: &str, value: &Value) -> bool {
    match field_type {
        "keyword" | "constant_keyword" | "wildcard" | "match_only_text" | "text" => value.is_string(),
        "long" | "integer" | "short" | "byte" => value.is_i64() || value.is_u64(),
        "float" | "double" | "scaled_float" | "half_float" => value.is_number(),
        "boolean" => value.is_boolean(),
        "date" => value.as_str().is_some_and(|s| s.len() >= 20 && s.as_bytes().get(10) == Some(&b'T')),
        "ip" => value.as_str().is_some_and(|s| s.parse::<std::net::IpAddr>().is_ok()),
        "geo_point" => {
            let coordinate = |key: &str| value.get(key).is_some_and(Value::is_number);
            coordinate("lat") && coordinate("lon")
        }
        "flattened" => value.is_object(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_and_types() {
        assert!(ecs_violations(&json!({"source": {"ip": "192.0.2.1", "port": 443, "geo": {"location": {"lat": 1.5, "lon": -2}}}, "cloudflare": {"Anything": 1}})).is_empty());
        assert!(ecs_violations(&json!({"dns": {"answers": [{"name": "a.com", "ttl": 60, "type": "A", "data": "192.0.2.1"}]}})).is_empty());
        let bad = ecs_violations(&json!({"event": {"action": 5, "kind": "event"}, "tls": {"client": {"ja4": "x"}}, "source": {"ip": "nope"}, "user": {"id": true}}));
        assert_eq!(bad.len(), 4, "{bad:?}");
        let mismatched = ecs_violations(&json!({"event": {"category": ["email"], "type": ["info", "denied"]}}));
        assert_eq!(mismatched.len(), 1, "{mismatched:?}");
    }
}
