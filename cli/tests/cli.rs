//! The `cloudflare-ecs` binary end to end (the module is embedded at build time).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use flate2::{Compression, write::GzEncoder};
use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_cloudflare-ecs");

/// A scratch directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("cloudflare-ecs-cli-{test}-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, bytes).expect("write temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A record that normalizes to a real document, with that document's `event.dataset`.
struct Record {
    line: Vec<u8>,
    dataset: String,
}

/// The first `count` one-line fixtures that need no options and expect a normalized document.
fn records_from_fixtures(count: usize) -> Vec<Record> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&fixtures)
        .expect("fixtures directory")
        .flat_map(|dataset| {
            fs::read_dir(dataset.expect("entry").path())
                .into_iter()
                .flatten()
        })
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "input")
        })
        .collect();
    inputs.sort();
    let records: Vec<Record> = inputs
        .iter()
        .filter(|input| !input.with_extension("options.json").exists())
        .filter_map(|input| {
            let text = fs::read(input).ok()?;
            let line = text.strip_suffix(b"\n").unwrap_or(&text);
            let line = line.strip_suffix(b"\r").unwrap_or(line).to_vec();
            let expected: Value =
                serde_json::from_slice(&fs::read(input.with_extension("expected.json")).ok()?)
                    .ok()?;
            let is_error = expected.pointer("/event/kind") == Some(&Value::from("pipeline_error"));
            let dataset = expected.pointer("/event/dataset")?.as_str()?.to_owned();
            (!line.contains(&b'\n') && !is_error).then_some(Record { line, dataset })
        })
        .take(count)
        .collect();
    assert_eq!(
        records.len(),
        count,
        "not enough one-line fixtures under {}",
        fixtures.display()
    );
    records
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BINARY)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cloudflare-ecs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("run cloudflare-ecs")
}

fn documents(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"))
        })
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn pointer<'a>(document: &'a Value, pointer: &str) -> Option<&'a str> {
    document.pointer(pointer).and_then(Value::as_str)
}

#[test]
fn gzip_file_with_three_records_and_a_garbage_line() {
    let records = records_from_fixtures(3);
    let mut ndjson = Vec::new();
    for record in &records {
        ndjson.extend_from_slice(&record.line);
        ndjson.push(b'\n');
    }
    ndjson.extend_from_slice(b"this is not json\n");
    let temp = TempDir::new("gzip");
    // No .gz extension: the content decides.
    let input = temp.file("logpush-batch", &gzip(&ndjson));

    let output = run(&[input.to_str().expect("UTF-8 path")], b"");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let documents = documents(&output);
    assert_eq!(documents.len(), 4, "one document per record");
    for (record, document) in records.iter().zip(&documents) {
        assert_eq!(
            pointer(document, "/event/dataset"),
            Some(record.dataset.as_str()),
            "{document}"
        );
        assert_eq!(
            pointer(document, "/message").map(str::as_bytes),
            Some(record.line.as_slice()),
            "in input order"
        );
    }
    assert_eq!(
        pointer(&documents[3], "/event/kind"),
        Some("pipeline_error")
    );
    assert_eq!(pointer(&documents[3], "/error/type"), Some("invalid_json"));

    let summary = stderr(&output);
    assert!(
        summary.starts_with("records: 4\nerrors: 1\n"),
        "summary: {summary}"
    );
    assert!(
        summary.contains("error invalid_json: 1\n"),
        "summary: {summary}"
    );
    for record in &records {
        assert!(
            summary.contains(&format!("dataset {}: ", record.dataset)),
            "summary: {summary}"
        );
    }
}

#[test]
fn files_and_stdin_in_order_with_options() {
    let records = records_from_fixtures(2);
    let temp = TempDir::new("order");
    let file = temp.file("one.ndjson", &records[0].line);
    let file = file.to_str().expect("UTF-8 path");

    let output = run(&["--no-message", file, "-", file], &records[1].line);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let documents = documents(&output);
    let expected = [&records[0], &records[1], &records[0]];
    assert_eq!(documents.len(), expected.len());
    for (record, document) in expected.iter().zip(&documents) {
        assert_eq!(
            pointer(document, "/event/dataset"),
            Some(record.dataset.as_str()),
            "{document}"
        );
        assert_eq!(document.get("message"), None, "--no-message: {document}");
    }
    assert!(
        stderr(&output).starts_with("records: 3\nerrors: 0\n"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unreadable_file_is_reported_and_the_rest_still_processed() {
    let records = records_from_fixtures(1);
    let temp = TempDir::new("missing");
    let file = temp.file("present.ndjson", &records[0].line);
    let missing = temp.0.join("missing.ndjson");

    let output = run(
        &[
            missing.to_str().expect("UTF-8"),
            file.to_str().expect("UTF-8"),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(documents(&output).len(), 1);
    let stderr = stderr(&output);
    assert!(stderr.contains("missing.ndjson"), "{stderr}");
    assert!(stderr.contains("records: 1\n"), "{stderr}");
}

#[test]
fn usage() {
    let help = run(&["--help"], b"");
    assert_eq!(help.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("Usage: cloudflare-ecs [OPTIONS] [FILE...]")
    );

    for bad in [
        &["--bogus"][..],
        &["--dataset"],
        &["--max-record-bytes", "lots"],
        &["--no-message=yes"],
    ] {
        let output = run(bad, b"");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{bad:?}: {}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty(), "{bad:?}");
    }
}

#[test]
fn options_the_module_rejects_are_usage_errors() {
    let output = run(&["--dataset", "no_such_dataset"], b"");
    assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains("invalid options"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn max_record_bytes_yields_too_large() {
    let records = records_from_fixtures(1);
    let output = run(&["--max-record-bytes", "10"], &records[0].line);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let documents = documents(&output);
    assert_eq!(documents.len(), 1);
    assert_eq!(
        pointer(&documents[0], "/error/type"),
        Some("too_large"),
        "{}",
        documents[0]
    );
}
