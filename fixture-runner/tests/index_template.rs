//! The committed index templates are what the module's knowledge generates, and they map
//! every field of every fixture's document with a type that takes its value.

use std::path::Path;

use cloudflare_ecs::Normalizer;
use cloudflare_ecs_fixtures::load_fixtures;
use cloudflare_ecs_fixtures::template::{Flavor, mapping_of, templates};
use serde_json::Value;

fn committed(flavor: Flavor, name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(flavor.dir()).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("a template is JSON")
}

#[test]
fn committed_templates_are_up_to_date() {
    for flavor in Flavor::ALL {
        for (name, generated) in templates(flavor) {
            assert!(
                committed(flavor, name) == generated,
                "{}/{name} is stale: cargo run -p cloudflare-ecs-fixtures --bin index-template",
                flavor.dir()
            );
        }
    }
}

#[test]
fn every_fixture_field_is_mapped_with_a_compatible_type() {
    let mut problems = Vec::new();
    for flavor in Flavor::ALL {
        let component = committed(flavor, "component-template.json");
        for fixture in load_fixtures() {
            let document: Value =
                serde_json::from_str(&Normalizer::new(fixture.options()).normalize(&fixture.input)).expect("JSON");
            check(&component, "", &document, &mut |path, why| problems.push(format!("{flavor:?} {}: {path}: {why}", fixture.name)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn check(component: &Value, prefix: &str, value: &Value, problem: &mut dyn FnMut(&str, String)) {
    let mapping = (!prefix.is_empty()).then(|| mapping_of(component, prefix)).flatten();
    let field_type = mapping.and_then(|m| m.get("type")).and_then(Value::as_str);
    match (field_type, value) {
        (Some("flattened" | "flat_object"), Value::Object(_)) => {}
        (Some("geo_point"), Value::Object(point)) if point.contains_key("lat") && point.contains_key("lon") => {}
        (_, Value::Array(items)) => items.iter().for_each(|item| check(component, prefix, item, problem)),
        (None, Value::Object(object)) => {
            for (key, child) in object {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                check(component, &path, child, problem);
            }
        }
        (None, _) => problem(prefix, "not mapped".into()),
        (Some(field_type), value) => {
            let takes = match field_type {
                "keyword" | "wildcard" | "constant_keyword" | "match_only_text" | "text" | "ip" | "date" => value.is_string(),
                "long" | "integer" | "short" | "byte" => value.is_i64() || value.is_u64(),
                "float" | "double" | "scaled_float" => value.is_number(),
                "boolean" => value.is_boolean(),
                _ => false,
            };
            if !takes {
                problem(prefix, format!("{value} in a {field_type} field"));
            }
        }
    }
}
