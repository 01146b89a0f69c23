//! Helpers shared by the CLI's tests.
#![allow(dead_code)] // each test binary uses its own part

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use cloudflare_ecs::{Normalizer, Options};
use flate2::{Compression, write::GzEncoder};

/// A scratch directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("cloudflare-ecs-cli-{test}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create dirs");
        fs::write(&path, bytes).expect("write temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir).expect("a directory").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    paths
}

/// Every fixture input that needs no options, one per line, then every hostile input of
/// `fixtures/bad-inputs/` (some span several lines, hold blank lines, CRLF, invalid UTF-8),
/// each followed by `\n`: a mixed batch of records and bad lines.
pub fn mixed_batch() -> Vec<u8> {
    let mut batch = Vec::new();
    for dir in sorted(&fixtures()).into_iter().filter(|dir| dir.is_dir()) {
        for path in sorted(&dir) {
            let name = path.to_string_lossy();
            let is_input = name.ends_with(".input") && !path.with_extension("options.json").exists();
            if is_input || name.ends_with(".bin") {
                batch.extend(fs::read(&path).expect("fixture"));
                batch.push(b'\n');
            }
        }
    }
    assert!(batch.len() > 50_000, "fixtures not found under {}", fixtures().display());
    batch
}

/// What the core writes for `text` as one batch: what the CLI must write for it.
pub fn core_batch(text: &[u8], options: &str) -> Vec<u8> {
    let mut out = Vec::new();
    Normalizer::new(Options::from_json(options).expect("options")).normalize_batch(text, &mut out);
    out
}
