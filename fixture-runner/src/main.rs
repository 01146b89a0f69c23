//! `fixtures`: the short loop of someone adding a dataset, natively, without WebAssembly.
//!
//!     cargo run -p cloudflare-ecs-fixtures -- check [DATASET...]
//!     cargo run -p cloudflare-ecs-fixtures -- expect DATASET... [--overwrite]
//!
//! `check` runs the fixtures of the named datasets (all when none is named) and prints every
//! difference. `expect` writes `<case>.expected.json` for each `<case>.input` that has none,
//! as the core normalizes it now, for review before it is committed; `--overwrite` also
//! rewrites existing ones, except the seed samples (`seed_*`), which are never written.

use std::path::Path;
use std::process::ExitCode;

use cloudflare_ecs::Normalizer;
use cloudflare_ecs_fixtures::{Mismatches, fixtures_dir, load_fixtures, options_of};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((command, rest)) if command == "check" => check(rest),
        Some((command, rest)) if command == "expect" => {
            let overwrite = rest.iter().any(|a| a == "--overwrite");
            let datasets: Vec<&String> = rest.iter().filter(|a| *a != "--overwrite").collect();
            if datasets.is_empty() {
                return usage();
            }
            datasets.into_iter().map(|d| expect(&fixtures_dir().join(d), overwrite)).fold(ExitCode::SUCCESS, worst)
        }
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: fixtures check [DATASET...] | fixtures expect DATASET... [--overwrite]");
    ExitCode::from(2)
}

fn worst(a: ExitCode, b: ExitCode) -> ExitCode {
    if a == ExitCode::SUCCESS { b } else { a }
}

fn check(datasets: &[String]) -> ExitCode {
    let mut mismatches = Mismatches::new("native Normalizer::normalize");
    let mut count = 0;
    for fixture in load_fixtures() {
        let dataset = fixture.name.split('/').next().unwrap_or_default();
        if !datasets.is_empty() && !datasets.iter().any(|d| d == dataset) {
            continue;
        }
        let document = Normalizer::new(fixture.options()).normalize(&fixture.input);
        mismatches.check(&fixture.name, &fixture.expected, document.as_bytes());
        count += 1;
    }
    match mismatches.report() {
        None => {
            println!("{count} fixtures match");
            ExitCode::SUCCESS
        }
        Some(report) => {
            println!("{report}");
            ExitCode::FAILURE
        }
    }
}

fn expect(dir: &Path, overwrite: bool) -> ExitCode {
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("no fixture directory {}", dir.display());
        return ExitCode::FAILURE;
    };
    let mut inputs: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    inputs.sort();
    for input in inputs.iter().filter(|p| p.extension().is_some_and(|e| e == "input")) {
        let case = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let expected = dir.join(format!("{case}.expected.json"));
        if case.starts_with("seed_") || (expected.exists() && !overwrite) {
            continue;
        }
        let record = std::fs::read(input).unwrap_or_default();
        let options = options_of(&dir.join(format!("{case}.options.json")));
        let document = Normalizer::new(options).normalize(record.trim_ascii_end());
        let pretty = serde_json::from_str::<serde_json::Value>(&document)
            .and_then(|value| serde_json::to_string_pretty(&value))
            .unwrap_or(document);
        if let Err(error) = std::fs::write(&expected, pretty + "\n") {
            eprintln!("cannot write {}: {error}", expected.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {} (review it before committing)", expected.display());
    }
    ExitCode::SUCCESS
}
