//! The raw module's shape and resource behaviour: no imports, the ABI's exports, a stable
//! memory footprint, and configure errors that leave the module usable.

use std::collections::BTreeMap;

use cloudflare_ecs_wasm_host::ABI_VERSION;
use cloudflare_ecs_host_tests::{Fixture, Mismatches, instance, load_fixtures, wasm_module};
use serde_json::Value;

#[test]
fn module_imports_nothing() {
    assert_eq!(
        wasm_module().imports(),
        Vec::<String>::new(),
        "Fluent Bit and bare runtimes load only import-free modules"
    );
    assert_eq!(wasm_module().import_count(), 0);
}

#[test]
fn module_exports_the_abi() {
    let exports: BTreeMap<String, String> = wasm_module().exports().into_iter().collect();
    let expected = [
        ("memory", "memory"),
        ("cfecs_abi_version", "() -> i32"),
        ("cfecs_alloc", "(i32) -> i32"),
        ("cfecs_free", "(i32, i32)"),
        ("cfecs_configure", "(i32, i32) -> i32"),
        ("cfecs_last_error", "() -> i64"),
        ("cfecs_transform", "(i32, i32) -> i64"),
        ("cfecs_transform_batch", "(i32, i32) -> i64"),
        ("cfecs_fluentbit", "(i32, i32, i32, i32, i32, i32) -> i32"),
    ];
    for (name, kind) in expected {
        assert_eq!(
            exports.get(name).map(String::as_str),
            Some(kind),
            "export {name}; all exports: {exports:?}"
        );
    }
    assert_eq!(
        instance().abi_version().expect("cfecs_abi_version"),
        ABI_VERSION
    );
}

/// The first fixture that normalizes to a real document, to exercise the full path.
fn a_normalized_record(fixtures: &[Fixture]) -> &Fixture {
    fixtures
        .iter()
        .find(|fixture| fixture.options.is_none() && !fixture.expects_error_document())
        .expect("a fixture with a normalized document")
}

#[test]
fn a_hundred_thousand_transforms_do_not_grow_memory() {
    const WARM_UP: usize = 1_000;
    const CALLS: usize = 100_000;
    let fixtures = load_fixtures();
    let fixture = a_normalized_record(&fixtures);
    let mut normalizer = instance();
    let mut warmed_size = 0;
    let mut last_output = Vec::new();
    for call in 0..CALLS {
        if call == WARM_UP {
            warmed_size = normalizer.memory_size_bytes();
        }
        last_output = normalizer
            .transform(&fixture.input)
            .unwrap_or_else(|error| panic!("call {call}: {error}"));
    }
    let final_size = normalizer.memory_size_bytes();
    assert_eq!(
        final_size, warmed_size,
        "linear memory grew after warm-up ({warmed_size} -> {final_size} bytes)"
    );
    let mut mismatches = Mismatches::new("cfecs_transform after 100,000 calls");
    mismatches.check(&fixture.name, &fixture.expected, &last_output);
    mismatches.assert_all_match();
}

#[test]
fn rejected_options_explain_why_and_change_nothing() {
    let fixtures = load_fixtures();
    let fixture = a_normalized_record(&fixtures);
    let mut normalizer = instance();
    let mut mismatches = Mismatches::new("cfecs_transform around a rejected cfecs_configure");
    normalizer
        .configure(r#"{"keep_message":false}"#)
        .expect("cfecs_configure")
        .expect("keep_message accepted");

    let error_document = match normalizer
        .configure(r#"{"bogus":1}"#)
        .expect("cfecs_configure")
    {
        Ok(()) => panic!("an unknown option must be rejected"),
        Err(error_document) => error_document,
    };
    let error: Value = serde_json::from_str(&error_document)
        .unwrap_or_else(|error| panic!("cfecs_last_error is not JSON ({error}): {error_document}"));
    for field in ["/error/type", "/error/message"] {
        assert!(
            error
                .pointer(field)
                .and_then(Value::as_str)
                .is_some_and(|text| !text.is_empty()),
            "no {field} in {error}"
        );
    }

    // The rejected call left keep_message = false in force.
    let mut without_message = fixture.expected.clone();
    if let Some(document) = without_message.as_object_mut() {
        document.remove("message");
    }
    let document = normalizer
        .transform(&fixture.input)
        .expect("cfecs_transform");
    mismatches.check(
        &format!("{} (keep_message false)", fixture.name),
        &without_message,
        &document,
    );

    // Still configurable, and normalizing with the defaults again.
    normalizer
        .configure("{}")
        .expect("cfecs_configure")
        .expect("defaults accepted");
    let document = normalizer
        .transform(&fixture.input)
        .expect("cfecs_transform");
    mismatches.check(&fixture.name, &fixture.expected, &document);
    mismatches.assert_all_match();
}
