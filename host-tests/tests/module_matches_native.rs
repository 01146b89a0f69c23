//! The module and the native core are one normalizer: for every fixture input and every
//! hostile record of the bad-input corpus, under several option sets, the module returns the
//! native core's bytes exactly (per record and as a batch), and it never traps. This is
//! where wasm-only failures show up (a smaller stack, 32-bit sizes, no threads).

use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_host_tests::{configure, instance, load_bad_inputs, load_fixtures};
use serde_json::Value;

const OPTION_SETS: &[&str] = &[
    "{}",
    r#"{"max_record_bytes":64}"#,
    r#"{"keep_message":false}"#,
    r#"{"dataset":"dns_logs"}"#,
    r#"{"dataset":"http_requests","keep_message":false}"#,
];

/// Every fixture input and every bad input, as `(name, bytes)`.
fn records() -> Vec<(String, Vec<u8>)> {
    let fixtures = load_fixtures()
        .into_iter()
        .map(|fixture| (fixture.name, fixture.input));
    fixtures.chain(load_bad_inputs()).collect()
}

fn native(options: &str) -> Normalizer {
    Normalizer::new(Options::from_json(options).expect("native options"))
}

/// The start of `bytes`, readable, for failure messages.
fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(400).collect()
}

/// Panics listing every failure, if any.
fn assert_no_failures(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{what}: {} failures\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn cfecs_transform_gives_the_native_bytes() {
    let records = records();
    let mut module = instance();
    let mut failures = Vec::new();
    for options in OPTION_SETS {
        configure(&mut module, "option set", options);
        let native = native(options);
        for (name, record) in &records {
            let expected = native.normalize(record);
            match module.transform(record) {
                Ok(actual) if actual == expected.as_bytes() => {}
                Ok(actual) => failures.push(format!(
                    "=== {name} with {options}\n--- native\n{}\n--- module\n{}",
                    show(expected.as_bytes()),
                    show(&actual)
                )),
                // The instance may be dead after a trap: report it and stop.
                Err(error) => {
                    failures.push(format!("=== {name} with {options}: {error}"));
                    assert_no_failures("cfecs_transform", &failures);
                }
            }
        }
    }
    assert_no_failures("cfecs_transform", &failures);
}

#[test]
fn cfecs_transform_batch_gives_the_native_bytes() {
    let records = records();
    // One record per line, as NDJSON can carry them: multi-line records are skipped.
    let lines: Vec<&[u8]> = records
        .iter()
        .map(|(_, record)| record.as_slice())
        .filter(|record| !record.contains(&b'\n'))
        .collect();
    let batch = lines.join(&b"\n"[..]);
    let mut module = instance();
    for options in OPTION_SETS {
        configure(&mut module, "option set", options);
        let mut expected = Vec::new();
        native(options).normalize_batch(&batch, &mut expected);
        let actual = module
            .transform_batch(&batch)
            .unwrap_or_else(|error| panic!("{options}: {error}"));
        if actual != expected {
            let pairs = expected
                .split(|&b| b == b'\n')
                .zip(actual.split(|&b| b == b'\n'));
            let first_difference = pairs
                .enumerate()
                .find(|(_, (native, module))| native != module);
            panic!(
                "{options}: batch output differs from the native core's; first differing line: {first_difference:?}",
                first_difference = first_difference.map(|(line, (native, module))| {
                    format!(
                        "{line}\n--- native\n{}\n--- module\n{}",
                        show(native),
                        show(module)
                    )
                })
            );
        }
    }
}

#[test]
fn cfecs_fluentbit_gives_the_native_document_for_every_bad_input() {
    // Fluent Bit hands the filter JSON objects only, but the filter must survive anything.
    let mut module = instance();
    let native = native("{}");
    let mut failures = Vec::new();
    for (name, record) in load_bad_inputs() {
        let expected = native.normalize(&record);
        match module.fluentbit(b"cloudflare", 1_700_000_000, 0, &record) {
            Ok(actual) if actual == expected.as_bytes() => {
                let document: Value =
                    serde_json::from_slice(&actual).expect("native output is JSON");
                assert!(document.is_object(), "{name}: not a JSON object");
            }
            Ok(actual) => failures.push(format!(
                "=== {name}\n--- native\n{}\n--- module\n{}",
                show(expected.as_bytes()),
                show(&actual)
            )),
            Err(error) => {
                failures.push(format!("=== {name}: {error}"));
                assert_no_failures("cfecs_fluentbit", &failures);
            }
        }
    }
    assert_no_failures("cfecs_fluentbit", &failures);
}
