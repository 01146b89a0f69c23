//! The npm package's measurements: runs bench/node/bench.cjs in `node` and reads its report.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::Workload;

/// The script, kept next to this crate so it can be read and run on its own.
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/node/bench.cjs");

pub fn available() -> bool {
    Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Median seconds for the whole workload, per method.
pub struct Seconds {
    pub transform_batch: f64,
    pub transform: f64,
    pub transform_json: f64,
    pub json_baseline: f64,
}

pub struct BatchTiming {
    pub records: usize,
    pub bytes: usize,
    pub cold_ms: f64,
    pub median_ms: f64,
    pub p95_ms: f64,
}

pub struct MemorySample {
    pub calls: usize,
    pub linear_memory: usize,
    pub rss: usize,
}

pub struct Report {
    pub seconds: Seconds,
    pub batch_output_bytes: usize,
    pub batch_timing: Option<BatchTiming>,
    pub long: Vec<MemorySample>,
}

/// Runs the script on `workload`; `batch_timing`: time one batch of that many records too;
/// `long`: that many `transformJson` calls with memory samples.
pub fn run(
    npm: &Path,
    workload: &Workload,
    rounds: usize,
    batch: usize,
    batch_timing: Option<usize>,
    long: Option<usize>,
) -> Result<Report, String> {
    let file = TempFile::new(&workload.name, &workload.lines)?;
    let output = Command::new("node")
        .arg(SCRIPT)
        .args(["--npm".as_ref(), npm.as_os_str()])
        .args(["--file".as_ref(), file.0.as_os_str()])
        .args(["--rounds", &rounds.to_string(), "--batch", &batch.to_string()])
        .args(["--batch-timing", &batch_timing.unwrap_or(0).to_string()])
        .args(["--long", &long.unwrap_or(0).to_string()])
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        return Err(format!("node failed: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    let report: Value = serde_json::from_slice(&output.stdout).map_err(|e| format!("node's report: {e}"))?;
    let seconds = |name: &str| report["seconds"][name].as_f64().unwrap_or(f64::NAN);
    let count = |value: &Value| value.as_u64().unwrap_or(0) as usize;
    let millis = |value: &Value, name: &str| value[name].as_f64().unwrap_or(f64::NAN);
    Ok(Report {
        seconds: Seconds {
            transform_batch: seconds("transformBatch"),
            transform: seconds("transform"),
            transform_json: seconds("transformJson"),
            json_baseline: seconds("jsonBaseline"),
        },
        batch_output_bytes: count(&report["batchOutputBytes"]),
        batch_timing: report.get("batchTiming").map(|t| BatchTiming {
            records: count(&t["records"]),
            bytes: count(&t["bytes"]),
            cold_ms: millis(t, "coldMs"),
            median_ms: millis(t, "medianMs"),
            p95_ms: millis(t, "p95Ms"),
        }),
        long: report["long"]
            .as_array()
            .map(|samples| {
                samples
                    .iter()
                    .map(|s| MemorySample {
                        calls: count(&s["calls"]),
                        linear_memory: count(&s["linearMemory"]),
                        rss: count(&s["rss"]),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// The workload as an NDJSON file for the script, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, lines: &[Vec<u8>]) -> Result<Self, String> {
        let path = std::env::temp_dir().join(format!("cfecs-bench-{}-{name}.ndjson", std::process::id()));
        let mut text = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for line in lines {
            text.extend_from_slice(line);
            text.push(b'\n');
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(TempFile(path))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
