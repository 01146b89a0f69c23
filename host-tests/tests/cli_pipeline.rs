//! The CLI's library path (what `cloudflare-ecs` runs): gzip and plain NDJSON through
//! `Pipeline`, in several chunks, with the summary it prints.

use std::io::Write;

use cloudflare_ecs_cli::{Pipeline, Summary};
use cloudflare_ecs_host_tests::{Fixture, Mismatches, instance, load_fixtures};
use flate2::{Compression, write::GzEncoder};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// What the CLI should report for these fixtures, from their expected documents.
fn expected_summary(fixtures: &[&Fixture]) -> Summary {
    let mut summary = Summary::default();
    for fixture in fixtures {
        summary
            .count(fixture.expected.to_string().as_bytes())
            .expect("expected document is an object");
    }
    summary
}

#[test]
fn gzip_and_plain_inputs_in_small_chunks() {
    let fixtures = load_fixtures();
    let records: Vec<&Fixture> = fixtures
        .iter()
        .filter(|fixture| fixture.options.is_none() && fixture.is_single_line())
        .collect();
    let (first_half, second_half) = records.split_at(records.len() / 2);
    // Blank lines between records, CRLF endings, and no final newline on the gzip input,
    // whose last record must not run into the plain input's first one.
    let join = |part: &[&Fixture], separator: &[u8]| {
        part.iter()
            .map(|fixture| fixture.input.clone())
            .collect::<Vec<_>>()
            .join(separator)
    };
    let compressed = gzip(&join(first_half, b"\r\n\n"));
    let plain = join(second_half, b"\n");

    // A chunk limit far below the input size, so several batch calls are made.
    let mut pipeline = Pipeline::with_chunk_bytes(instance(), Vec::new(), 2048);
    pipeline
        .read_from(compressed.as_slice())
        .expect("read gzip input");
    pipeline
        .read_from(plain.as_slice())
        .expect("read plain input");
    let (summary, output) = pipeline.finish().expect("finish");

    let output = String::from_utf8(output).expect("output is UTF-8");
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), records.len(), "one document per record");
    let mut mismatches = Mismatches::new("Pipeline (CLI library)");
    for (fixture, line) in records.iter().zip(&lines) {
        mismatches.check(&fixture.name, &fixture.expected, line.as_bytes());
    }
    mismatches.assert_all_match();
    assert_eq!(summary, expected_summary(&records));
}

#[test]
fn empty_and_blank_inputs_yield_nothing() {
    let mut pipeline = Pipeline::new(instance(), Vec::new());
    pipeline.read_from(b"".as_slice()).expect("empty input");
    pipeline
        .read_from(gzip(b"\n \r\n\n").as_slice())
        .expect("blank gzip input");
    let (summary, output) = pipeline.finish().expect("finish");
    assert!(output.is_empty());
    assert_eq!(summary, Summary::default());
}

#[test]
fn summary_counts_datasets_and_error_types() {
    let mut summary = Summary::default();
    for document in [
        r#"{"event":{"dataset":"dns_logs","kind":"event"}}"#,
        r#"{"event":{"dataset":"dns_logs"}}"#,
        r#"{"event":{"kind":"pipeline_error"},"error":{"type":"invalid_json"}}"#,
    ] {
        summary.count(document.as_bytes()).expect("an object");
    }
    assert!(summary.count(b"[1]").is_err());
    assert!(summary.count(b"not json").is_err());
    assert_eq!(
        summary.to_string(),
        "records: 3\nerrors: 1\ndataset dns_logs: 2\nerror invalid_json: 1\n"
    );
}
