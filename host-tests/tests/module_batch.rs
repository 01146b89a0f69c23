//! The single-line fixtures as one NDJSON batch through `cfecs_transform_batch`.

use cloudflare_ecs_host_tests::{Fixture, Mismatches, instance, load_fixtures};

#[test]
fn single_line_fixtures_as_one_batch() {
    let fixtures: Vec<Fixture> = load_fixtures()
        .into_iter()
        .filter(|fixture| fixture.options.is_none() && fixture.is_single_line())
        .collect();
    assert!(
        fixtures.len() >= 2,
        "too few single-line fixtures for a batch: {}",
        fixtures.len()
    );

    let batch = ndjson_with_blank_line_and_crlf(&fixtures);
    let output = instance()
        .transform_batch(&batch)
        .expect("cfecs_transform_batch");

    let text = String::from_utf8(output).expect("batch output is UTF-8");
    assert!(
        text.ends_with('\n'),
        "every output document must end with a newline"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        fixtures.len(),
        "one output line per record (blank lines skipped)"
    );

    let mut mismatches = Mismatches::new("cfecs_transform_batch");
    for (fixture, line) in fixtures.iter().zip(&lines) {
        mismatches.check(&fixture.name, &fixture.expected, line.as_bytes());
    }
    mismatches.assert_all_match();
}

/// One record per line; a blank line after the first record and a `\r\n` after the second,
/// both of which the module must skip over; no final newline.
fn ndjson_with_blank_line_and_crlf(fixtures: &[Fixture]) -> Vec<u8> {
    let mut batch = Vec::new();
    for (index, fixture) in fixtures.iter().enumerate() {
        if index > 0 {
            batch.extend_from_slice(match index {
                1 => b"\n\n".as_slice(),
                2 => b"\r\n",
                _ => b"\n",
            });
        }
        batch.extend_from_slice(&fixture.input);
    }
    batch
}
