//! `cloudflare-ecs`: Cloudflare Logpush NDJSON (plain or gzip) in, ECS NDJSON out, through the
//! native core on every core.

// As in the core: no panic reachable from input or the environment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]

use std::io::{self, ErrorKind, IsTerminal};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_cli::output::{OutDir, Stream};
use cloudflare_ecs_cli::pipeline::{self, DEFAULT_CHUNK_BYTES};
use cloudflare_ecs_cli::{Config, Input, Output, Progress, inputs};
use serde_json::{Map, Value};

/// Turn Cloudflare Logpush records into Elastic Common Schema (ECS) documents.
///
/// Reads NDJSON records (plain or gzip-compressed) from each FILE in order, or from standard
/// input when no FILE is given or FILE is '-'. Writes one JSON document per record to standard
/// output, in input order; a record that cannot be normalized yields an error document
/// (event.kind "pipeline_error"). Blank lines are skipped. When input pauses (a live pipe),
/// what has been read is written at once. A summary (records, errors, counts per dataset and
/// per error type) goes to standard error, and a progress line while stderr is a terminal.
///
/// Exit status: 0 on success (error documents are not failures), 1 when an input could not be
/// read or output not written, 2 on a usage error.
#[derive(Parser, Debug)]
#[command(name = "cloudflare-ecs", version, max_term_width = 100)]
struct Args {
    /// NDJSON files (plain or gzip, detected by content), directories of Logpush archives
    /// (the files below, in path order: for Logpush's YYYYMMDD/… layout, time order), or
    /// quoted patterns ('logs/202501*/*.gz'); '-' is standard input
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Treat every record as dataset NAME (default: auto, detected per record)
    #[arg(long, value_name = "NAME")]
    dataset: Option<String>,

    /// Do not keep the original record text in `message`
    #[arg(long)]
    no_message: bool,

    /// Larger records yield a too_large error document [default: 1048576]
    #[arg(long, value_name = "N")]
    max_record_bytes: Option<u64>,

    /// Threads that normalize; documents keep input order [default: the number of cores]
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<NonZeroUsize>,

    /// Write each input's documents to its own file in DIR (its path below the directory or
    /// pattern given, extension .ecs.ndjson), whole (temporary file, then rename); inputs whose
    /// file exists are skipped, so an interrupted backfill restarts where it stopped
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let normalizer = match options(&args) {
        Ok(options) => Normalizer::new(options),
        Err(message) => usage_error(&format!("invalid options: {message}")),
    };
    let inputs = match inputs::expand(&args.files, args.out_dir.as_deref()) {
        Ok(inputs) => inputs,
        Err(message) => usage_error(&message),
    };
    // With --out-dir, an input whose output exists was done by an earlier run.
    let (done, inputs): (Vec<Input>, Vec<Input>) =
        inputs.into_iter().partition(|input| input.output.as_ref().is_some_and(|output| output.exists()));
    let config = Config {
        jobs: args.jobs.map_or_else(default_jobs, NonZeroUsize::get),
        chunk_bytes: DEFAULT_CHUNK_BYTES,
    };
    // Progress on a terminal, unless the documents go to the same terminal.
    let progress = if io::stderr().is_terminal() && (args.out_dir.is_some() || !io::stdout().is_terminal()) {
        let sizes: Option<Vec<u64>> = inputs.iter().map(Input::size).collect();
        Progress::on_stderr(sizes.map(|sizes| sizes.iter().sum()))
    } else {
        Progress::hidden()
    };

    let mut output: Box<dyn Output> = match args.out_dir {
        Some(_) => Box::new(OutDir::default()),
        None => Box::new(Stream(io::stdout().lock())),
    };
    let result = pipeline::run(&normalizer, &inputs, &config, output.as_mut(), &progress);
    progress.finish();
    match result {
        Ok(report) => {
            eprint!("{}", report.summary);
            if !done.is_empty() {
                eprintln!("skipped, output already written: {} files", done.len());
            }
            if report.unreadable > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        // The reader went away (`cloudflare-ecs big.gz | head`): nothing more to say to it.
        Err(error) if error.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cloudflare-ecs: write error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The core's options from the flags: validated by the core, as on every surface.
fn options(args: &Args) -> Result<Options, String> {
    let mut options = Map::new();
    if let Some(dataset) = &args.dataset {
        options.insert("dataset".into(), Value::from(dataset.as_str()));
    }
    if args.no_message {
        options.insert("keep_message".into(), Value::Bool(false));
    }
    if let Some(bytes) = args.max_record_bytes {
        options.insert("max_record_bytes".into(), Value::from(bytes));
    }
    Options::from_json(&Value::Object(options).to_string())
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Exits with status 2, as clap does for its own usage errors.
fn usage_error(message: &str) -> ! {
    Args::command().error(clap::error::ErrorKind::ValueValidation, message).exit()
}
