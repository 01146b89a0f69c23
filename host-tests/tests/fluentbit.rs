//! `cfecs_fluentbit` called the way Fluent Bit's filter_wasm calls it (JSON event format).

use cloudflare_ecs_wasm_host::WasmNormalizer;
use cloudflare_ecs_host_tests::{Fixture, Mismatches, instance, load_fixtures};
use serde_json::{Map, Value};

const TAG: &[u8] = b"cloudflare.logpush";
const TIME_SEC: u32 = 1_700_000_000;
const TIME_NSEC: u32 = 123_456_789;

/// A fixture as Fluent Bit would deliver it: the record body re-serialized.
struct FluentBitCase<'a> {
    fixture: &'a Fixture,
    body: Vec<u8>,
    /// `{"message": "..."}` / `{"log": "..."}`: the body is re-serialized but the inner
    /// record text is not, so `message` must still match exactly.
    is_envelope: bool,
}

/// Fixtures whose input is a JSON object. Those with options are left out: Fluent Bit runs
/// the module with its defaults.
fn fluent_bit_cases(fixtures: &[Fixture]) -> Vec<FluentBitCase<'_>> {
    let cases: Vec<FluentBitCase> = fixtures
        .iter()
        .filter(|fixture| fixture.options.is_none())
        .filter_map(|fixture| {
            let object = fixture.json_object()?;
            let is_envelope = ["message", "log"]
                .iter()
                .any(|key| object.get(*key).is_some_and(Value::is_string));
            Some(FluentBitCase {
                fixture,
                body: fluent_bit_json(&object).into_bytes(),
                is_envelope,
            })
        })
        .collect();
    assert!(!cases.is_empty(), "no fixture input is a JSON object");
    cases
}

/// Compact JSON with every non-ASCII character escaped as `\uXXXX`, as Fluent Bit writes it.
fn fluent_bit_json(object: &Map<String, Value>) -> String {
    let compact = serde_json::to_string(object).expect("serialize");
    let mut escaped = String::with_capacity(compact.len());
    for c in compact.chars() {
        if c.is_ascii() {
            escaped.push(c);
        } else {
            // Outside ASCII means inside a string, where an escape is equivalent.
            for unit in c.encode_utf16(&mut [0; 2]) {
                escaped.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    escaped
}

/// Runs the filter, which must return a JSON object (Fluent Bit drops anything else).
fn filter(normalizer: &mut WasmNormalizer, body: &[u8]) -> Result<Map<String, Value>, String> {
    let output = normalizer
        .fluentbit(TAG, TIME_SEC, TIME_NSEC, body)
        .map_err(|error| format!("cfecs_fluentbit failed: {error}"))?;
    match serde_json::from_slice(&output) {
        Ok(Value::Object(document)) => Ok(document),
        _ => Err(format!(
            "output is not a JSON object: {}",
            String::from_utf8_lossy(&output)
        )),
    }
}

#[test]
fn fixtures_through_the_fluent_bit_convention() {
    let fixtures = load_fixtures();
    let mut normalizer = instance();
    let mut mismatches = Mismatches::new("cfecs_fluentbit");
    for case in fluent_bit_cases(&fixtures) {
        let name = &case.fixture.name;
        let mut document = match filter(&mut normalizer, &case.body) {
            Ok(document) => document,
            Err(message) => {
                mismatches.fail(name, &message);
                continue;
            }
        };
        let mut expected = case.fixture.expected.clone();
        if !case.is_envelope {
            // The host re-serialized the raw record, so `message` holds that text instead.
            document.remove("message");
            if let Some(expected) = expected.as_object_mut() {
                expected.remove("message");
            }
        }
        mismatches.check_value(name, &expected, &Value::Object(document));
    }
    mismatches.assert_all_match();
}

#[test]
fn a_record_fluent_bit_could_not_copy_is_too_large() {
    let mut normalizer = instance();
    let output = normalizer
        .fluentbit_unallocated_record(TAG, TIME_SEC, TIME_NSEC, 10_000_000)
        .expect("cfecs_fluentbit with a null record");
    let document: Value = serde_json::from_slice(&output).expect("output is JSON");
    assert!(
        document.is_object(),
        "output is not a JSON object: {document}"
    );
    assert_eq!(
        document.pointer("/error/type"),
        Some(&Value::from("too_large")),
        "{document}"
    );
}

#[test]
fn ten_thousand_calls_do_not_grow_memory() {
    const CALLS: usize = 10_000;
    let fixtures = load_fixtures();
    let cases = fluent_bit_cases(&fixtures);
    let mut normalizer = instance();
    // Warm up over every case twice, so each record size and document shape has been seen and
    // the allocator has settled on where the cached layouts and buffers sit (one pass over the
    // ~180 fixtures of all datasets was not enough: one more 64 KiB page in the second pass,
    // then flat over 60,000 calls).
    let warm_up = (cases.len() * 2).max(100);
    assert!(
        warm_up < CALLS,
        "too many cases to warm up within {CALLS} calls"
    );
    let mut warmed_size = 0;
    for (call, case) in cases.iter().cycle().take(CALLS).enumerate() {
        if call == warm_up {
            warmed_size = normalizer.memory_size_bytes();
        }
        if let Err(message) = filter(&mut normalizer, &case.body) {
            panic!("call {call}, {}: {message}", case.fixture.name);
        }
    }
    let final_size = normalizer.memory_size_bytes();
    assert_eq!(
        final_size, warmed_size,
        "linear memory grew after warm-up ({warmed_size} -> {final_size} bytes)"
    );
}
