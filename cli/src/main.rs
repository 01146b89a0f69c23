//! `cloudflare-ecs`: Cloudflare Logpush NDJSON (plain or gzip) in, ECS NDJSON out, through the
//! WebAssembly module run by wasmtime.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, ErrorKind};
use std::path::PathBuf;
use std::process::ExitCode;

use cloudflare_ecs_cli::{Pipeline, PipelineError, WasmModule};
use serde_json::{Map, Value};

/// The raw module, built by build.sh before the CLI, so the binary is self-contained.
static MODULE_WASM: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../dist/cloudflare_ecs.wasm"
));

const USAGE: &str = "\
cloudflare-ecs: turn Cloudflare Logpush records into Elastic Common Schema (ECS) documents

Usage: cloudflare-ecs [OPTIONS] [FILE...]

Reads NDJSON records (plain or gzip-compressed) from each FILE in order, or from
standard input when no FILE is given or FILE is '-'. Writes one JSON document per
record to standard output, in input order; a record that cannot be normalized yields
an error document (event.kind \"pipeline_error\"). Blank lines are skipped.
A summary (records, errors, counts per dataset and per error type) goes to standard error.

Options:
  --dataset NAME          treat every record as dataset NAME (default: auto, detected per record)
  --no-message            do not keep the original record text in `message`
  --max-record-bytes N    larger records yield a too_large error document (default: 1048576)
  -h, --help              print this help
  -V, --version           print the version

Exit status: 0 on success (error documents are not failures), 1 on an I/O or module
error, 2 on a usage error.
";

const EXIT_FAILURE: u8 = 1;
const EXIT_USAGE: u8 = 2;

enum Command {
    Help,
    Version,
    Normalize(Invocation),
}

struct Invocation {
    /// The options object for `cfecs_configure`, only with what the flags set.
    options: Map<String, Value>,
    inputs: Vec<Input>,
}

enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn name(&self) -> String {
        match self {
            Self::Stdin => "<stdin>".to_owned(),
            Self::File(path) => path.display().to_string(),
        }
    }
}

fn main() -> ExitCode {
    match parse_args(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("cloudflare-ecs {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Command::Normalize(invocation)) => normalize(invocation),
        Err(message) => usage_error(&message),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("cloudflare-ecs: {message}\nTry 'cloudflare-ecs --help'.");
    ExitCode::from(EXIT_USAGE)
}

fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut options = Map::new();
    let mut inputs = Vec::new();
    let mut args = args.into_iter();
    let mut only_files = false;
    while let Some(arg) = args.next() {
        let flag = arg
            .to_str()
            .filter(|text| !only_files && text.starts_with('-') && *text != "-");
        let Some(flag) = flag else {
            inputs.push(if arg == "-" {
                Input::Stdin
            } else {
                Input::File(arg.into())
            });
            continue;
        };
        // `--name=value` or `--name value`
        let (name, inline_value) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (flag, None),
        };
        const TAKES_VALUE: [&str; 2] = ["--dataset", "--max-record-bytes"];
        if inline_value.is_some() && !TAKES_VALUE.contains(&name) {
            return Err(format!("{name} takes no value"));
        }
        let mut value = || {
            inline_value
                .clone()
                .or_else(|| args.next().and_then(|next| next.into_string().ok()))
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--" => only_files = true,
            "--dataset" => {
                options.insert("dataset".into(), Value::String(value()?));
            }
            "--no-message" => {
                options.insert("keep_message".into(), Value::Bool(false));
            }
            "--max-record-bytes" => {
                let text = value()?;
                let bytes: u64 = text.parse().map_err(|_| {
                    format!("--max-record-bytes needs a whole number of bytes, not '{text}'")
                })?;
                options.insert("max_record_bytes".into(), Value::from(bytes));
            }
            _ => return Err(format!("unknown option '{flag}'")),
        }
    }
    if inputs.is_empty() {
        inputs.push(Input::Stdin);
    }
    Ok(Command::Normalize(Invocation { options, inputs }))
}

fn normalize(invocation: Invocation) -> ExitCode {
    let mut normalizer =
        match WasmModule::from_bytes(MODULE_WASM).and_then(|module| module.instantiate()) {
            Ok(normalizer) => normalizer,
            Err(error) => return failure(&format!("cannot load the WebAssembly module: {error}")),
        };
    let options = Value::Object(invocation.options).to_string();
    match normalizer.configure(&options) {
        Ok(Ok(())) => {}
        Ok(Err(error_document)) => {
            return usage_error(&format!(
                "invalid options: {}",
                error_message(&error_document)
            ));
        }
        Err(error) => return failure(&format!("module error: {error}")),
    }

    let mut pipeline = Pipeline::new(normalizer, io::stdout().lock());
    let mut unreadable_input = false;
    for input in &invocation.inputs {
        let result = match input {
            Input::Stdin => pipeline.read_from(io::stdin().lock()),
            Input::File(path) => File::open(path)
                .map_err(PipelineError::Input)
                .and_then(|file| pipeline.read_from(file)),
        };
        match result {
            Ok(()) => {}
            // Like `cat`: report it, go on with the next input, fail at the end.
            Err(PipelineError::Input(error)) => {
                eprintln!("cloudflare-ecs: {}: {error}", input.name());
                unreadable_input = true;
            }
            Err(error) => return pipeline_failure(&error),
        }
    }
    match pipeline.finish() {
        Ok((summary, _)) => {
            eprint!("{summary}");
            if unreadable_input {
                ExitCode::from(EXIT_FAILURE)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => pipeline_failure(&error),
    }
}

fn pipeline_failure(error: &PipelineError) -> ExitCode {
    match error {
        // The reader went away (`cloudflare-ecs big.gz | head`): nothing more to say to it.
        PipelineError::Output(io_error) if io_error.kind() == ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        _ => failure(&error.to_string()),
    }
}

fn failure(message: &str) -> ExitCode {
    eprintln!("cloudflare-ecs: {message}");
    ExitCode::from(EXIT_FAILURE)
}

/// The `error.message` of an error document, or the whole document if it has none.
fn error_message(error_document: &str) -> String {
    serde_json::from_str::<Value>(error_document)
        .ok()
        .and_then(|document| {
            document
                .pointer("/error/message")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| error_document.to_owned())
}
