//! The `cloudflare-ecs` binary end to end.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{TempDir, core_batch, gzip, mixed_batch};
use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_cloudflare-ecs");

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
        String::from_utf8_lossy(&help.stdout).contains("Usage: cloudflare-ecs [OPTIONS] [FILE]...")
    );

    for bad in [
        &["--bogus"][..],
        &["--dataset"],
        &["--max-record-bytes", "lots"],
        &["--no-message=yes"],
        &["--jobs", "0"],
        &["--out-dir", "/tmp", "-"],
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

fn run_ok(args: &[&str]) -> Output {
    let output = run(args, b"");
    assert_eq!(output.status.code(), Some(0), "{args:?}: {}", stderr(&output));
    output
}

fn messages(output: &Output) -> Vec<String> {
    documents(output)
        .iter()
        .map(|document| pointer(document, "/message").unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn jobs_write_byte_for_byte_what_one_job_writes() {
    // Several chunks per input (the chunk is 128 KiB), records and bad lines mixed.
    let batch = mixed_batch().repeat(6);
    let temp = TempDir::new("jobs");
    let plain = temp.file("batch.ndjson", &batch);
    let compressed = temp.file("batch.ndjson.gz", &gzip(&batch));
    let small = temp.file("small.ndjson", b"not json\n\n{\"content\":\"tests\"}");
    let files = [plain, compressed, small].map(|path| path.to_string_lossy().into_owned());
    let expected = [core_batch(&batch, "{}"), core_batch(&batch, "{}"), core_batch(b"not json\n\n{\"content\":\"tests\"}", "{}")].concat();

    let one = run_ok(&[&["--jobs", "1"][..], &files.each_ref().map(String::as_str)].concat());
    assert!(one.stdout == expected, "--jobs 1 is not the core's batch output");
    for jobs in ["2", "5"] {
        let many = run_ok(&[&["--jobs", jobs][..], &files.each_ref().map(String::as_str)].concat());
        assert!(many.stdout == one.stdout, "--jobs {jobs} wrote other bytes than --jobs 1");
        assert_eq!(stderr(&many), stderr(&one), "--jobs {jobs}: summary");
    }
}

/// Feeds `lines` to a running CLI one at a time, reading each document back (5 s at most)
/// before writing the next, as a shipper's pipe does; returns each line's latency.
fn stream_lines(lines: &[Vec<u8>], gzip_stream: bool) -> Vec<Duration> {
    let mut child = Command::new(BINARY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cloudflare-ecs");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, documents) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    let mut stdin: Box<dyn Write> = if gzip_stream {
        Box::new(flate2::write::GzEncoder::new(stdin, flate2::Compression::default()))
    } else {
        Box::new(stdin)
    };
    let mut latencies = Vec::new();
    for line in lines {
        let sent = Instant::now();
        stdin.write_all(&[line.as_slice(), b"\n"].concat()).expect("write a line");
        stdin.flush().expect("flush the line"); // for gzip, a sync flush: the line can be decoded
        let document = documents
            .recv_timeout(Duration::from_secs(5))
            .expect("the document comes back while the pipe stays open")
            .expect("read a document");
        latencies.push(sent.elapsed());
        let expected = core_batch(line, "{}");
        assert_eq!(format!("{document}\n").as_bytes(), expected, "the document of {:?}", String::from_utf8_lossy(line));
    }
    drop(stdin);
    let output = child.wait_with_output().expect("cloudflare-ecs ends with its input");
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).starts_with(&format!("records: {}\n", lines.len())), "{}", stderr(&output));
    latencies
}

#[test]
fn a_live_pipe_gets_each_document_before_the_next_line_is_written() {
    let mut lines: Vec<Vec<u8>> = records_from_fixtures(6).into_iter().map(|record| record.line).collect();
    lines.insert(2, b"this is not json".to_vec());
    for gzip_stream in [false, true] {
        let mut latencies = stream_lines(&lines, gzip_stream);
        latencies.sort();
        eprintln!(
            "streaming ({}): latency per line min {:?}, median {:?}, max {:?}",
            if gzip_stream { "gzip" } else { "plain" },
            latencies[0],
            latencies[latencies.len() / 2],
            latencies[latencies.len() - 1]
        );
    }
}

/// A Logpush backfill tree, written in reverse time order; returns (relative path, text) in
/// time order.
fn logpush_tree(temp: &TempDir, root: &str) -> Vec<(String, Vec<u8>)> {
    let records = records_from_fixtures(4);
    let files = [
        ("20250101/20250101T000000Z_20250101T000500Z_a1b2c3.log.gz", &records[0].line),
        ("20250101/20250101T000500Z_20250101T001000Z_d4e5f6.log", &records[1].line),
        ("20250102/20250102T000000Z_20250102T000500Z_0a0b0c.log.gz", &records[2].line),
    ];
    for (name, line) in files.iter().rev() {
        let text = [line.as_slice(), b"\nnot json\n"].concat();
        let bytes = if name.ends_with(".gz") { gzip(&text) } else { text };
        temp.file(&format!("{root}/{name}"), &bytes);
    }
    temp.file(&format!("{root}/.hidden-by-a-shipper"), b"left out\n");
    files.iter().map(|(name, line)| (name.to_string(), [line.as_slice(), b"\nnot json\n"].concat())).collect()
}

#[test]
fn a_directory_or_a_pattern_of_archives_is_read_in_time_order() {
    let temp = TempDir::new("tree");
    let files = logpush_tree(&temp, "logs");
    let logs = temp.0.join("logs");
    let expected: Vec<u8> = files.iter().flat_map(|(_, text)| core_batch(text, "{}")).collect();

    let output = run_ok(&[logs.to_str().expect("UTF-8")]);
    assert!(output.stdout == expected, "not in time order:\n{:?}", messages(&output));
    assert!(stderr(&output).starts_with("records: 6\nerrors: 3\n"), "{}", stderr(&output));

    let pattern = logs.join("2025*").join("*.gz");
    let output = run_ok(&[pattern.to_str().expect("UTF-8")]);
    let gz: Vec<u8> = files.iter().filter(|(name, _)| name.ends_with(".gz")).flat_map(|(_, text)| core_batch(text, "{}")).collect();
    assert!(output.stdout == gz, "pattern: {:?}", messages(&output));

    let nothing = logs.join("1999*").join("*.gz");
    let output = run(&[nothing.to_str().expect("UTF-8")], b"");
    assert_eq!(output.status.code(), Some(1), "a pattern matching nothing is reported");
    assert!(stderr(&output).contains("1999*"), "{}", stderr(&output));
}

fn output_file(dir: &Path, name: &str) -> PathBuf {
    dir.join(name.strip_suffix(".gz").unwrap_or(name).strip_suffix(".log").expect("a .log name").to_owned() + ".ecs.ndjson")
}

fn hidden_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).expect("a directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(hidden_files(&path));
        } else if path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')) {
            found.push(path);
        }
    }
    found
}

#[test]
fn out_dir_writes_each_input_whole_and_a_restart_skips_finished_files() {
    let temp = TempDir::new("out-dir");
    let files = logpush_tree(&temp, "logs");
    let logs = temp.0.join("logs");
    // Inside the input directory: not read as input.
    let out = logs.join("ecs");
    let args = ["--out-dir", out.to_str().expect("UTF-8"), logs.to_str().expect("UTF-8")];

    let first = run_ok(&args);
    assert!(first.stdout.is_empty());
    assert!(stderr(&first).starts_with("records: 6\n"), "{}", stderr(&first));
    for (name, text) in &files {
        let written = fs::read(output_file(&out, name)).expect("an output file per input");
        assert!(written == core_batch(text, "{}"), "{name}");
    }
    assert_eq!(hidden_files(&out), Vec::<PathBuf>::new(), "no temporary file left");

    // As if interrupted while writing the last file: it has only a stale temporary file.
    let (last, last_text) = &files[2];
    let last_output = output_file(&out, last);
    fs::remove_file(&last_output).expect("remove");
    let stale = last_output.with_file_name(format!(".{}.partial", last_output.file_name().expect("name").to_string_lossy()));
    fs::write(&stale, b"half a docu").expect("stale temporary file");
    // A finished file is not written again.
    let kept = output_file(&out, &files[0].0);
    fs::write(&kept, b"kept\n").expect("mark");

    let second = run_ok(&args);
    assert!(stderr(&second).starts_with("records: 2\n"), "only the unfinished file: {}", stderr(&second));
    assert!(stderr(&second).contains("skipped, output already written: 2 files"), "{}", stderr(&second));
    assert!(fs::read(&last_output).expect("written again") == core_batch(last_text, "{}"));
    assert_eq!(fs::read(&kept).expect("kept"), b"kept\n");
    assert_eq!(hidden_files(&out), Vec::<PathBuf>::new(), "the stale temporary file is replaced");
}

#[test]
fn out_dir_leaves_no_file_for_an_input_that_cannot_be_read_to_its_end() {
    let temp = TempDir::new("out-dir-broken");
    let good = temp.file("in/good.ndjson", b"not json\n");
    let compressed = gzip(&mixed_batch());
    let broken = temp.file("in/broken.log.gz", &compressed[..compressed.len() / 2]);
    let out = temp.0.join("out");
    let output = run(
        &["--out-dir", out.to_str().expect("UTF-8"), broken.to_str().expect("UTF-8"), good.to_str().expect("UTF-8")],
        b"",
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("broken.log.gz"), "{}", stderr(&output));
    assert!(!out.join("broken.ecs.ndjson").exists());
    assert_eq!(fs::read(out.join("good.ecs.ndjson")).expect("written"), core_batch(b"not json\n", "{}"));
    assert_eq!(hidden_files(&out), Vec::<PathBuf>::new());
}
