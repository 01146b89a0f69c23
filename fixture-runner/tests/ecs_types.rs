//! Every document made of every fixture and every bad input keeps to ECS outside
//! `cloudflare.*`: only fields ECS 9.4 defines, each value of its field's type.

use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_fixtures::{ecs_violations, load_bad_inputs, load_fixtures};

#[test]
fn every_document_keeps_to_ecs() {
    let mut violations = Vec::new();
    let fixtures = load_fixtures().into_iter().map(|f| (f.name.clone(), f.options(), f.input));
    let bad_inputs = load_bad_inputs().into_iter().map(|(name, input)| (name, Options::default(), input));
    for (name, options, input) in fixtures.chain(bad_inputs) {
        let document = Normalizer::new(options).normalize(&input);
        let document: serde_json::Value = serde_json::from_str(&document).expect("a document is JSON");
        violations.extend(ecs_violations(&document).into_iter().map(|v| format!("{name}: {v}")));
    }
    assert!(violations.is_empty(), "{} fields outside ECS:\n{}", violations.len(), violations.join("\n"));
}
