//! Loading `fixtures/<dataset>/<case>.{input,expected.json,options.json}`.

use std::fs;
use std::path::{Path, PathBuf};

use cloudflare_ecs::Options;
use serde_json::{Map, Value};

/// `fixtures/bad-inputs/*.bin`: hostile records with no expected output, one per file. The
/// host tests check their invariants natively (`tests/native_bad_inputs.rs`) and in the module.
const BAD_INPUTS_DIR: &str = "bad-inputs";

/// Fewer fixtures than this means the tree was not found or not filled, not that all is well.
const MIN_FIXTURES: usize = 20;

pub struct Fixture {
    /// `<dataset>/<case>`
    pub name: String,
    /// The record bytes as a host receives them, trailing line terminators removed.
    pub input: Vec<u8>,
    pub expected: Value,
    /// The options object text to configure before this case, if the case has one.
    pub options: Option<String>,
}

impl Fixture {
    /// A record that fits on one NDJSON line (so it can go into a batch).
    pub fn is_single_line(&self) -> bool {
        !self.input.contains(&b'\n') && !self.input.trim_ascii().is_empty()
    }

    /// The input as a JSON object, if it is one (what Fluent Bit can hand to a filter).
    pub fn json_object(&self) -> Option<Map<String, Value>> {
        match serde_json::from_slice(self.input.trim_ascii()) {
            Ok(Value::Object(object)) => Some(object),
            _ => None,
        }
    }

    pub fn expects_error_document(&self) -> bool {
        self.expected.pointer("/event/kind").and_then(Value::as_str) == Some("pipeline_error")
    }
}

impl Fixture {
    /// The case's options (defaults when it has none).
    pub fn options(&self) -> Options {
        match &self.options {
            Some(text) => Options::from_json(text).unwrap_or_else(|error| panic!("{}: options rejected: {error}", self.name)),
            None => Options::default(),
        }
    }
}

/// The options in `path`, or the defaults when there is no such file.
pub fn options_of(path: &Path) -> Options {
    match fs::read_to_string(path) {
        Ok(text) => Options::from_json(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display())),
        Err(_) => Options::default(),
    }
}

/// `fixtures/` at the root of the repository.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// Every fixture (the bad-input corpus aside), sorted by name. Panics on an incomplete case (an input without expected
/// output or the reverse), an empty dataset directory, or too few fixtures overall.
pub fn load_fixtures() -> Vec<Fixture> {
    let root = fixtures_dir();
    let mut fixtures = Vec::new();
    let dataset_dirs = sorted_entries(&root)
        .into_iter()
        .filter(|path| path.is_dir() && !path.ends_with(BAD_INPUTS_DIR));
    for dataset_dir in dataset_dirs {
        let before = fixtures.len();
        load_dataset(&dataset_dir, &mut fixtures);
        assert!(
            fixtures.len() > before,
            "{} holds no fixture",
            dataset_dir.display()
        );
    }
    assert!(
        fixtures.len() >= MIN_FIXTURES,
        "only {} fixtures under {} (expected at least {MIN_FIXTURES})",
        fixtures.len(),
        root.display()
    );
    fixtures
}

fn load_dataset(dir: &Path, fixtures: &mut Vec<Fixture>) {
    let dataset = file_name(dir);
    let files = sorted_entries(dir);
    for path in &files {
        let name = file_name(path);
        for suffix in [".expected.json", ".options.json"] {
            if let Some(case) = name.strip_suffix(suffix) {
                let input = dir.join(format!("{case}.input"));
                assert!(
                    input.is_file(),
                    "{} has no {}",
                    path.display(),
                    input.display()
                );
            }
        }
        let Some(case) = name.strip_suffix(".input") else {
            continue;
        };
        let expected_path = dir.join(format!("{case}.expected.json"));
        let expected_text = read_text(&expected_path);
        let expected = serde_json::from_str(&expected_text)
            .unwrap_or_else(|error| panic!("{} is not JSON: {error}", expected_path.display()));
        let options_path = dir.join(format!("{case}.options.json"));
        fixtures.push(Fixture {
            name: format!("{dataset}/{case}"),
            input: strip_line_terminators(&read(path)).to_vec(),
            expected,
            options: options_path.is_file().then(|| read_text(&options_path)),
        });
    }
}

/// The bad-input corpus as `(case name, record bytes)`, sorted by name.
pub fn load_bad_inputs() -> Vec<(String, Vec<u8>)> {
    let dir = fixtures_dir().join(BAD_INPUTS_DIR);
    let cases: Vec<(String, Vec<u8>)> = sorted_entries(&dir)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|extension| extension == "bin"))
        .map(|path| {
            (
                format!("{BAD_INPUTS_DIR}/{}", file_name(&path)),
                read(&path),
            )
        })
        .collect();
    assert!(
        cases.len() >= MIN_FIXTURES,
        "only {} cases under {}",
        cases.len(),
        dir.display()
    );
    cases
}

/// Removes every trailing `\n` / `\r\n`: the file's line ending, not part of the record.
fn strip_line_terminators(mut bytes: &[u8]) -> &[u8] {
    while let Some(rest) = bytes.strip_suffix(b"\n") {
        bytes = rest.strip_suffix(b"\r").unwrap_or(rest);
    }
    bytes
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    paths.sort();
    paths
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a named entry")
        .to_string_lossy()
        .into_owned()
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn read_text(path: &Path) -> String {
    String::from_utf8(read(path)).unwrap_or_else(|_| panic!("{} is not UTF-8", path.display()))
}
