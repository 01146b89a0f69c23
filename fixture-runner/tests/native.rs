//! Every fixture through the core crate, natively (no WebAssembly), and what the core says of
//! each document it writes (`Outcome`, which hosts such as the CLI tally with).

use cloudflare_ecs::Normalizer;
use cloudflare_ecs_fixtures::{Fixture, Mismatches, load_fixtures};
use serde_json::Value;

#[test]
fn every_fixture_normalizes_natively() {
    let mut mismatches = Mismatches::new("native Normalizer::normalize");
    for fixture in load_fixtures() {
        let document = Normalizer::new(fixture.options()).normalize(&fixture.input);
        mismatches.check(&fixture.name, &fixture.expected, document.as_bytes());
    }
    mismatches.assert_all_match();
}

/// What `normalize_into` says of each document is what the document holds.
#[test]
fn outcome_names_the_documents_dataset_and_error_type() {
    for fixture in load_fixtures() {
        let mut document = Vec::new();
        let outcome = Normalizer::new(fixture.options()).normalize_into(&fixture.input, &mut document);
        let document: Value = serde_json::from_slice(&document).expect("a JSON document");
        let text_at = |pointer: &str| document.pointer(pointer).and_then(Value::as_str);
        assert_eq!(outcome.dataset, text_at("/event/dataset"), "{}: event.dataset", fixture.name);
        let is_error = text_at("/event/kind") == Some("pipeline_error");
        assert_eq!(outcome.error.map(|kind| kind.code()), text_at("/error/type").filter(|_| is_error), "{}", fixture.name);
        assert_eq!(outcome.error.is_some(), is_error, "{}", fixture.name);
    }
}

/// `normalize_batch_with` tells, in order, what `normalize_into` tells record by record.
#[test]
fn batch_outcomes_are_the_per_record_outcomes_in_order() {
    let fixtures = load_fixtures();
    let records: Vec<&Fixture> = fixtures.iter().filter(|f| f.options.is_none() && f.is_single_line()).collect();
    let batch = records.iter().map(|f| f.input.as_slice()).collect::<Vec<_>>().join(&b"\n"[..]);
    let normalizer = Normalizer::default();
    let mut outcomes = Vec::new();
    normalizer.normalize_batch_with(&batch, &mut Vec::new(), |outcome| outcomes.push(outcome));
    let one_by_one: Vec<_> = records.iter().map(|f| normalizer.normalize_into(&f.input, &mut Vec::new())).collect();
    assert_eq!(outcomes, one_by_one);
    assert!(outcomes.iter().any(|o| o.error.is_some()) && outcomes.iter().any(|o| o.error.is_none()));
}
