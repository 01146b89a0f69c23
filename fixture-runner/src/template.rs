//! The Elasticsearch and OpenSearch index templates for `logs-cloudflare.*`, generated from
//! what the module writes: every ECS path in the documents of the fixtures, the bad inputs
//! and generated records of every mapped schema, with its siblings (the other ECS fields
//! under the same parent, for values those records did not happen to carry), each mapped with
//! its ECS type; `cloudflare.*` as one `flattened` (OpenSearch: `flat_object`) field, so a
//! vendor field never conflicts with another record's type for it.

use std::collections::{BTreeMap, BTreeSet};

use cloudflare_ecs::{Normalizer, Options, SCHEMAS, sample};
use serde_json::{Map, Value, json};

use crate::{ECS_VERSION, ecs_types, load_bad_inputs, load_fixtures};

/// Where the templates are written, per flavor, relative to the repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Elasticsearch,
    OpenSearch,
}

impl Flavor {
    pub const ALL: [Flavor; 2] = [Flavor::Elasticsearch, Flavor::OpenSearch];

    pub fn dir(self) -> &'static str {
        match self {
            Flavor::Elasticsearch => "elasticsearch",
            Flavor::OpenSearch => "opensearch",
        }
    }
}

/// The component template's name (referenced by the index template).
pub const COMPONENT: &str = "logs-cloudflare@ecs";
/// Generated records per mapped schema.
const SAMPLES: usize = 200;

/// The template files of `flavor`: `(file name, JSON)`.
pub fn templates(flavor: Flavor) -> Vec<(&'static str, Value)> {
    let fields = mapped_fields(&written_paths());
    let mut properties = Map::new();
    for (path, ecs_type) in &fields {
        insert(&mut properties, path, field_mapping(flavor, ecs_type));
    }
    let vendor = match flavor {
        Flavor::Elasticsearch => json!({"type": "flattened", "ignore_above": 1024, "depth_limit": 20}),
        Flavor::OpenSearch => json!({"type": "flat_object"}),
    };
    properties.insert("cloudflare".to_owned(), vendor);
    let meta = json!({"ecs_version": ECS_VERSION, "generated_by": "cargo run -p cloudflare-ecs-fixtures --bin index-template"});
    let component = json!({
        "template": {
            "settings": {"index.mapping.total_fields.limit": 5000},
            "mappings": {"dynamic": false, "properties": properties}
        },
        "_meta": meta
    });
    let index = json!({
        "index_patterns": ["logs-cloudflare.*-*"],
        "data_stream": {},
        "priority": 200,
        "composed_of": [COMPONENT],
        "_meta": meta
    });
    vec![("component-template.json", component), ("index-template.json", index)]
}

/// Every ECS path (outside `cloudflare.*`) of the documents the module makes of the fixtures,
/// the bad inputs and generated records of each mapped schema.
pub fn written_paths() -> BTreeSet<String> {
    let mut documents = Vec::new();
    for fixture in load_fixtures() {
        documents.push(Normalizer::new(fixture.options()).normalize(&fixture.input));
    }
    let normalizer = Normalizer::new(Options::default());
    for (_, input) in load_bad_inputs() {
        documents.push(normalizer.normalize(&input));
    }
    for schema in SCHEMAS.iter().filter(|s| s.mapping.is_some()) {
        for record in sample::records(schema, SAMPLES, 11) {
            documents.push(normalizer.normalize(record.as_bytes()));
        }
    }
    let mut paths = BTreeSet::new();
    for document in documents {
        let value: Value = serde_json::from_str(&document).unwrap_or_default();
        leaf_paths("", &value, &mut paths);
    }
    paths.retain(|p| p != "cloudflare" && !p.starts_with("cloudflare."));
    paths
}

/// The ECS fields to map: `paths` that ECS defines, with their ECS siblings.
fn mapped_fields(paths: &BTreeSet<String>) -> BTreeMap<String, String> {
    let types = ecs_types();
    let parent = |path: &str| path.rsplit_once('.').map_or(String::new(), |(p, _)| p.to_owned());
    let parents: BTreeSet<String> = paths.iter().filter(|p| types.contains_key(*p)).map(|p| parent(p)).collect();
    types
        .iter()
        .filter(|(path, ecs_type)| {
            !matches!(ecs_type.as_str(), "object" | "nested") && (paths.contains(*path) || parents.contains(&parent(path)))
        })
        .map(|(path, ecs_type)| (path.clone(), ecs_type.clone()))
        .collect()
}

/// Leaf paths of a document: objects are walked, arrays are their elements' paths.
fn leaf_paths(prefix: &str, value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            for (key, value) in object {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                if path == "cloudflare" {
                    out.insert(path);
                    continue;
                }
                leaf_paths(&path, value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| leaf_paths(prefix, item, out)),
        _ if prefix.ends_with(".lat") || prefix.ends_with(".lon") => {
            // A geo_point's members are the point, not fields.
            out.insert(prefix.rsplit_once('.').map_or(prefix, |(p, _)| p).to_owned());
        }
        _ => {
            out.insert(prefix.to_owned());
        }
    }
}

/// An ECS type as a field mapping of `flavor`.
fn field_mapping(flavor: Flavor, ecs_type: &str) -> Value {
    match (flavor, ecs_type) {
        (_, "keyword") => json!({"type": "keyword", "ignore_above": 1024}),
        (_, "scaled_float") => json!({"type": "scaled_float", "scaling_factor": 1000}),
        (Flavor::OpenSearch, "match_only_text") => json!({"type": "text"}),
        (Flavor::OpenSearch, "flattened") => json!({"type": "flat_object"}),
        (Flavor::OpenSearch, "wildcard" | "constant_keyword") => json!({"type": "keyword", "ignore_above": 1024}),
        (_, other) => json!({"type": other}),
    }
}

/// Puts `mapping` at a dotted path of nested `properties`.
fn insert(properties: &mut Map<String, Value>, path: &str, mapping: Value) {
    match path.split_once('.') {
        None => {
            properties.insert(path.to_owned(), mapping);
        }
        Some((head, rest)) => {
            let object = properties.entry(head.to_owned()).or_insert_with(|| json!({"properties": {}}));
            if let Some(Value::Object(children)) = object.get_mut("properties") {
                insert(children, rest, mapping);
            }
        }
    }
}

/// The mapping of a document path in a generated component template, if it has one.
pub fn mapping_of<'t>(component: &'t Value, path: &str) -> Option<&'t Value> {
    let mut node = component.pointer("/template/mappings")?;
    for segment in path.split('.') {
        node = node.get("properties")?.get(segment)?;
    }
    Some(node)
}
