//! The CLI's pipeline as a library: chunks far smaller than the input, several threads, the
//! same bytes as the core's batch call, in input order, and the tally of what the core wrote.

mod common;

use cloudflare_ecs::Normalizer;
use cloudflare_ecs_cli::output::Stream;
use cloudflare_ecs_cli::pipeline::{self, Config};
use cloudflare_ecs_cli::{Input, Progress, Source, Summary};
use common::{TempDir, core_batch, gzip, mixed_batch};

fn run(inputs: &[Input], jobs: usize, chunk_bytes: usize) -> (Vec<u8>, Summary, usize) {
    let mut output = Stream(Vec::new());
    let report = pipeline::run(&Normalizer::default(), inputs, &Config { jobs, chunk_bytes }, &mut output, &Progress::hidden())
        .expect("pipeline");
    (output.0, report.summary, report.unreadable)
}

fn file(path: std::path::PathBuf) -> Input {
    Input { source: Source::File(path), output: None }
}

#[test]
fn many_small_chunks_on_several_threads_write_the_core_batch_in_order() {
    let batch = mixed_batch();
    let temp = TempDir::new("pipeline");
    // The gzip input without its final newline: its last line must not run into the next input.
    let without_last_newline = batch.strip_suffix(b"\n").expect("ends with a newline");
    let inputs = [
        file(temp.file("plain.ndjson", &batch)),
        file(temp.file("compressed.gz", &gzip(without_last_newline))),
        file(temp.file("empty.ndjson", b"")),
        file(temp.file("again.ndjson", &batch)),
    ];
    let expected = [core_batch(&batch, "{}"), core_batch(without_last_newline, "{}"), core_batch(&batch, "{}")].concat();

    let (one_job, summary, unreadable) = run(&inputs, 1, 1000);
    assert!(one_job == expected, "one job: not the core's batch output");
    assert_eq!(unreadable, 0);
    let documents = expected.iter().filter(|&&byte| byte == b'\n').count() as u64;
    assert_eq!(summary.records, documents);
    assert!(summary.errors > 0 && summary.per_dataset.len() >= 5, "{summary}");

    for (jobs, chunk_bytes) in [(3, 1000), (2, 64 * 1024), (4, 1)] {
        let (output, many_summary, _) = run(&inputs, jobs, chunk_bytes);
        assert!(output == expected, "{jobs} jobs, {chunk_bytes}-byte chunks: not the same bytes");
        assert_eq!(many_summary, summary, "{jobs} jobs");
    }
}

#[test]
fn a_missing_file_is_reported_and_the_others_written() {
    let temp = TempDir::new("pipeline-missing");
    let batch = mixed_batch();
    let inputs = [file(temp.0.join("missing.ndjson")), file(temp.file("present.ndjson", &batch))];
    let (output, _, unreadable) = run(&inputs, 2, 4096);
    assert_eq!(unreadable, 1);
    assert!(output == core_batch(&batch, "{}"));
}

#[test]
fn a_truncated_gzip_keeps_the_whole_lines_read_before() {
    let temp = TempDir::new("pipeline-truncated");
    let batch = mixed_batch();
    let compressed = gzip(&batch);
    let truncated = &compressed[..compressed.len() / 2];
    let inputs = [file(temp.file("truncated.gz", truncated))];
    let (output, summary, unreadable) = run(&inputs, 2, 4096);
    assert_eq!(unreadable, 1);
    assert!(summary.records > 0);
    // Every document written is the core's for a line of the batch, in order.
    let expected = core_batch(&batch, "{}");
    assert!(expected.starts_with(&output), "a prefix of the core's output, ending at a whole document");
}
