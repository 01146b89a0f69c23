//! The cloudflare-ecs benchmark: throughput per dataset, module sizes and memory.
//!
//! ```text
//! cargo run --release -p cloudflare-ecs-bench -- [OPTIONS] [FILES...]
//! ```
//!
//! FILES are NDJSON (plain or gzip), one dataset each, named after it (`http_requests.ndjson.gz`);
//! without FILES, records of every mapped dataset are generated in memory. For each dataset,
//! in one run so that ratios hold on a noisy machine, the same lines go through:
//!
//! - (a) the core natively: `Normalizer::normalize_batch` and per record `normalize_into`;
//! - (b) `dist/cloudflare_ecs.wasm` in wasmtime, through the reference host (`wasm-host/`): `cfecs_transform_batch`
//!   and per record `cfecs_transform` (input copied in, output copied out, as a host does);
//! - (c) the npm package `dist/npm` in Node: `transformBatch`, `transform` (object in and out)
//!   and `transformJson` (a separate `node` process, bench/node/bench.cjs);
//! - (d) the baseline: `serde_json::Value` parse + serialize of each line.
//!
//! Methods (a), (b) and (d) are interleaved round by round; each figure is the median over the
//! rounds, and each ratio the median of the per-round ratios. Then module sizes (raw and gzip),
//! the linear memory one 5 MB batch needs, and with `--long` memory over 10^6 calls.

mod node;

use std::hint::black_box;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use cloudflare_ecs::Normalizer;
use cloudflare_ecs_wasm_host::{WasmModule, WasmNormalizer};

const USAGE: &str = "\
usage: bench [OPTIONS] [FILES...]

FILES: NDJSON files (plain or .gz) of one dataset each, named after it (dns_logs.ndjson).
Without FILES, records of every mapped dataset are generated in memory.

options:
  --generate DIR   write generated <dataset>.ndjson files to DIR and exit
  --records N      records generated per dataset (default 4000)
  --datasets A,B   only these datasets (generated or files)
  --rounds N       timed rounds (default 9, after one warm-up round)
  --batch N        records per batch call (default 1000)
  --seed N         generator seed (default 1)
  --wasm FILE      the raw module (default dist/cloudflare_ecs.wasm)
  --npm DIR        the npm package (default dist/npm)
  --no-wasm        skip the raw module
  --no-node        skip the npm package
  --long           also measure memory over 10^6 calls (slow)
";

struct Args {
    files: Vec<PathBuf>,
    generate: Option<PathBuf>,
    records: usize,
    datasets: Option<Vec<String>>,
    rounds: usize,
    batch: usize,
    seed: u64,
    wasm: Option<PathBuf>,
    npm: Option<PathBuf>,
    long: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        files: Vec::new(),
        generate: None,
        records: 4000,
        datasets: None,
        rounds: 9,
        batch: 1000,
        seed: 1,
        wasm: Some(PathBuf::from("dist/cloudflare_ecs.wasm")),
        npm: Some(PathBuf::from("dist/npm")),
        long: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        let number = |text: String, name: &str| text.parse::<usize>().map_err(|_| format!("{name}: not a number: {text}"));
        match arg.as_str() {
            "--generate" => args.generate = Some(value("--generate")?.into()),
            "--records" => args.records = number(value("--records")?, "--records")?.max(1),
            "--datasets" => args.datasets = Some(value("--datasets")?.split(',').map(str::to_owned).collect()),
            "--rounds" => args.rounds = number(value("--rounds")?, "--rounds")?.max(1),
            "--batch" => args.batch = number(value("--batch")?, "--batch")?.max(1),
            "--seed" => args.seed = number(value("--seed")?, "--seed")? as u64,
            "--wasm" => args.wasm = Some(value("--wasm")?.into()),
            "--npm" => args.npm = Some(value("--npm")?.into()),
            "--no-wasm" => args.wasm = None,
            "--no-node" => args.npm = None,
            "--long" => args.long = true,
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file => args.files.push(file.into()),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("bench: {message}");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
    }
}

/// One dataset's lines, and the same lines as NDJSON batches.
struct Workload {
    name: String,
    lines: Vec<Vec<u8>>,
    batches: Vec<Vec<u8>>,
    /// Input bytes, newlines not counted.
    bytes: usize,
}

impl Workload {
    fn new(name: String, lines: Vec<Vec<u8>>, batch: usize) -> Self {
        let bytes = lines.iter().map(Vec::len).sum();
        let batches = lines
            .chunks(batch)
            .map(|chunk| chunk.iter().flat_map(|line| line.iter().copied().chain([b'\n'])).collect())
            .collect();
        Workload { name, lines, batches, bytes }
    }

    fn average_bytes(&self) -> usize {
        self.bytes / self.lines.len().max(1)
    }
}

fn run(args: &Args) -> Result<(), String> {
    let wanted = |name: &str| args.datasets.as_ref().is_none_or(|list| list.iter().any(|d| d == name));
    if let Some(dir) = &args.generate {
        return write_generated(dir, args, &wanted);
    }
    let workloads = if args.files.is_empty() {
        generated(args, &wanted)
            .into_iter()
            .map(|(name, lines)| Workload::new(name, lines.into_iter().map(String::into_bytes).collect(), args.batch))
            .collect()
    } else {
        let mut workloads = Vec::new();
        for path in &args.files {
            let name = dataset_name(path);
            if wanted(&name) {
                workloads.push(Workload::new(name, read_lines(path)?, args.batch));
            }
        }
        workloads
    };
    if workloads.iter().all(|w| w.lines.is_empty()) {
        return Err("no records to measure".into());
    }

    let module = match &args.wasm {
        Some(path) if path.exists() => {
            eprintln!("compiling {} ...", path.display());
            Some(WasmModule::from_file(path).map_err(|e| e.to_string())?)
        }
        Some(path) => {
            println!("note: {} not found: raw module skipped (build it: ./build.sh wasm)", path.display());
            None
        }
        None => None,
    };
    let npm = match &args.npm {
        Some(dir) if !dir.join("node.cjs").exists() => {
            println!("note: {} not found: npm package skipped (build it: ./build.sh npm)", dir.join("node.cjs").display());
            None
        }
        Some(_) if !node::available() => {
            println!("note: `node` not found: npm package skipped");
            None
        }
        other => other.as_deref(),
    };

    println!(
        "cloudflare-ecs benchmark: {} rounds after a warm-up, batches of {} records; medians; MB = 10^6 input bytes",
        args.rounds, args.batch
    );
    println!("baseline = serde_json::Value parse + serialize of each line, natively\n");
    let mut summaries = Vec::new();
    for workload in workloads.iter().filter(|w| !w.lines.is_empty()) {
        summaries.push(measure_workload(workload, module.as_ref(), npm, args)?);
    }
    print_targets(&summaries);
    print_sizes(args);
    if let Some(module) = &module {
        print_batch_memory(module, &workloads)?;
    }
    if args.long {
        print_long(module.as_ref(), npm, &workloads)?;
    }
    println!("\nbench process peak RSS (VmHWM, includes wasmtime and all workloads): {}", peak_rss().unwrap_or_else(|| "unknown".into()));
    Ok(())
}

fn write_generated(dir: &Path, args: &Args, wanted: &dyn Fn(&str) -> bool) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, lines) in generated(args, wanted) {
        let path = dir.join(format!("{name}.ndjson"));
        let mut text = String::new();
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("{}: {} records, {} bytes", path.display(), args.records, text.len());
    }
    Ok(())
}

/// Realistic records of every mapped schema, made from its declaration (`cloudflare_ecs::sample`),
/// named so that the name is a file name (`audit_logs.api` for the schema `audit_logs/api`).
fn generated(args: &Args, wanted: &dyn Fn(&str) -> bool) -> Vec<(String, Vec<String>)> {
    cloudflare_ecs::SCHEMAS
        .iter()
        .filter(|schema| schema.mapping.is_some())
        .map(|schema| (schema.name().replace('/', "."), schema))
        .filter(|(name, _)| wanted(name))
        .map(|(name, schema)| (name, cloudflare_ecs::sample::records(schema, args.records, args.seed)))
        .collect()
}

/// `http_requests` from `dir/http_requests.ndjson.gz`.
fn dataset_name(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let mut name = file.as_str();
    for suffix in [".gz", ".ndjson", ".jsonl", ".json", ".log"] {
        name = name.strip_suffix(suffix).unwrap_or(name);
    }
    name.to_owned()
}

fn read_lines(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let reader = cloudflare_ecs_cli::input::open_ndjson(file).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = Vec::new();
    for line in reader.split(b'\n') {
        let mut line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            lines.push(line);
        }
    }
    Ok(lines)
}

/// What each method does to a whole workload once; timed round after round.
#[derive(Clone, Copy, PartialEq)]
enum Method {
    Baseline,
    NativeBatch,
    NativeRecord,
    WasmBatch,
    WasmRecord,
}

impl Method {
    fn label(self) -> &'static str {
        match self {
            Method::Baseline => "(d) baseline serde_json::Value",
            Method::NativeBatch => "(a) native normalize_batch",
            Method::NativeRecord => "(a) native per record",
            Method::WasmBatch => "(b) wasmtime cfecs_transform_batch",
            Method::WasmRecord => "(b) wasmtime cfecs_transform",
        }
    }
}

/// The figures the targets are checked against.
struct Summary {
    dataset: String,
    /// Median per-round ratios: native per record / baseline, native batch / baseline.
    native_vs_baseline: (f64, f64),
    /// wasm batch / native batch, wasm per record / native per record.
    wasm_vs_native: Option<(f64, f64)>,
    node_batch_1000: Option<node::BatchTiming>,
}

fn measure_workload(workload: &Workload, module: Option<&WasmModule>, npm: Option<&Path>, args: &Args) -> Result<Summary, String> {
    let normalizer = Normalizer::default();
    let mut wasm = module.map(WasmModule::instantiate).transpose().map_err(|e| e.to_string())?;
    let mut methods = vec![Method::Baseline, Method::NativeBatch, Method::NativeRecord];
    if wasm.is_some() {
        methods.extend([Method::WasmBatch, Method::WasmRecord]);
    }

    // Every surface must write the same documents.
    let native_output = native_batch_output(&normalizer, workload);
    if let Some(wasm) = &mut wasm {
        let mut wasm_output = Vec::new();
        for batch in &workload.batches {
            wasm_output.extend(wasm.transform_batch(batch).map_err(|e| e.to_string())?);
        }
        if wasm_output != native_output {
            println!("WARNING: {}: the raw module's output differs from the native output", workload.name);
        }
    }

    let mut out = Vec::with_capacity(1 << 20);
    let mut seconds: Vec<Vec<f64>> = vec![Vec::new(); methods.len()];
    for round in 0..=args.rounds {
        for (i, &method) in methods.iter().enumerate() {
            let start = Instant::now();
            run_method(method, workload, &normalizer, wasm.as_mut(), &mut out)?;
            if round > 0 {
                seconds[i].push(start.elapsed().as_secs_f64());
            }
        }
    }

    let records = workload.lines.len() as f64;
    let index = |method: Method| methods.iter().position(|&m| m == method);
    // Median over rounds of time(a) / time(b): how many times faster b is than a.
    let speedup = |slow: Method, fast: Method| -> Option<f64> {
        let (a, b) = (&seconds[index(slow)?], &seconds[index(fast)?]);
        Some(median(a.iter().zip(b).map(|(a, b)| a / b).collect()))
    };

    println!(
        "== {}: {} records, {} bytes/record on average, {:.1} MB",
        workload.name,
        workload.lines.len(),
        workload.average_bytes(),
        workload.bytes as f64 / 1e6
    );
    println!("   {:<38} {:>11} {:>9} {:>10}", "method", "records/s", "MB/s", "×baseline");
    for (i, &method) in methods.iter().enumerate() {
        let time = median(seconds[i].clone());
        let ratio = speedup(method, Method::Baseline).map_or(1.0, |r| 1.0 / r);
        println!(
            "   {:<38} {:>11} {:>9.1} {:>10.2}",
            method.label(),
            thousands(records / time),
            workload.bytes as f64 / time / 1e6,
            if method == Method::Baseline { 1.0 } else { ratio },
        );
    }

    let native_vs_baseline = (
        speedup(Method::NativeRecord, Method::Baseline).map_or(0.0, |r| 1.0 / r),
        speedup(Method::NativeBatch, Method::Baseline).map_or(0.0, |r| 1.0 / r),
    );
    let wasm_vs_native = wasm.as_ref().map(|_| {
        (
            speedup(Method::WasmBatch, Method::NativeBatch).map_or(0.0, |r| 1.0 / r),
            speedup(Method::WasmRecord, Method::NativeRecord).map_or(0.0, |r| 1.0 / r),
        )
    });
    if let Some((batch, record)) = wasm_vs_native {
        println!("   wasm/native: batch {batch:.2}, per record {record:.2}");
    }

    let mut node_batch_1000 = None;
    if let Some(dir) = npm {
        let timing = (workload.name == "http_requests").then_some(1000);
        match node::run(dir, workload, args.rounds, args.batch, timing, None) {
            Ok(report) => {
                for (label, time) in [
                    ("(c) node transformBatch", report.seconds.transform_batch),
                    ("(c) node transform (object)", report.seconds.transform),
                    ("(c) node transformJson", report.seconds.transform_json),
                    ("    node JSON.parse+stringify", report.seconds.json_baseline),
                ] {
                    println!("   {:<38} {:>11} {:>9.1}", label, thousands(records / time), workload.bytes as f64 / time / 1e6);
                }
                if report.batch_output_bytes != native_output.len() {
                    println!(
                        "WARNING: {}: transformBatch wrote {} bytes, the native core {}",
                        workload.name,
                        report.batch_output_bytes,
                        native_output.len()
                    );
                }
                if let Some(timing) = &report.batch_timing {
                    println!(
                        "   node transformBatch of one {}-record batch ({} KB): first call (cold) {:.2} ms; warm: median {:.2} ms, p95 {:.2} ms",
                        timing.records,
                        timing.bytes / 1000,
                        timing.cold_ms,
                        timing.median_ms,
                        timing.p95_ms
                    );
                }
                node_batch_1000 = report.batch_timing;
            }
            Err(message) => println!("   node: {message}"),
        }
    }
    println!(
        "   output: {:.2} bytes per input byte\n",
        native_output.len() as f64 / workload.bytes.max(1) as f64
    );
    Ok(Summary { dataset: workload.name.clone(), native_vs_baseline, wasm_vs_native, node_batch_1000 })
}

fn native_batch_output(normalizer: &Normalizer, workload: &Workload) -> Vec<u8> {
    let mut out = Vec::new();
    for batch in &workload.batches {
        normalizer.normalize_batch(batch, &mut out);
    }
    out
}

fn run_method(
    method: Method,
    workload: &Workload,
    normalizer: &Normalizer,
    wasm: Option<&mut WasmNormalizer>,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let mut sink = 0usize;
    match (method, wasm) {
        (Method::Baseline, _) => {
            for line in &workload.lines {
                out.clear();
                let value: serde_json::Value = serde_json::from_slice(line).map_err(|e| e.to_string())?;
                serde_json::to_writer(&mut *out, &value).map_err(|e| e.to_string())?;
                sink += out.len();
            }
        }
        (Method::NativeBatch, _) => {
            for batch in &workload.batches {
                out.clear();
                normalizer.normalize_batch(batch, out);
                sink += out.len();
            }
        }
        (Method::NativeRecord, _) => {
            for line in &workload.lines {
                out.clear();
                normalizer.normalize_into(line, out);
                sink += out.len();
            }
        }
        (Method::WasmBatch, Some(wasm)) => {
            for batch in &workload.batches {
                out.clear();
                wasm.transform_batch_into(batch, out).map_err(|e| e.to_string())?;
                sink += out.len();
            }
        }
        (Method::WasmRecord, Some(wasm)) => {
            for line in &workload.lines {
                out.clear();
                wasm.transform_into(line, out).map_err(|e| e.to_string())?;
                sink += out.len();
            }
        }
        (Method::WasmBatch | Method::WasmRecord, None) => {}
    }
    black_box(sink);
    Ok(())
}

fn print_targets(summaries: &[Summary]) {
    println!("== targets");
    for s in summaries {
        let (record, batch) = s.native_vs_baseline;
        let met = record >= 1.0 && batch >= 1.0;
        println!(
            "   native ≥ 1.0× baseline, {:<16} per record {record:.2}×, batch {batch:.2}×  {}",
            s.dataset,
            verdict(met)
        );
    }
    for s in summaries {
        if let Some((batch, record)) = s.wasm_vs_native {
            println!(
                "   wasmtime ≥ 0.6× native, {:<16} batch {batch:.2}×, per record {record:.2}×  {}",
                s.dataset,
                verdict(batch >= 0.6 && record >= 0.6)
            );
        }
    }
    if let Some(timing) = summaries.iter().find_map(|s| s.node_batch_1000.as_ref()) {
        println!(
            "   node 1,000-record http_requests transformBatch ≤ 10 ms: warm median {:.2} ms (cold first call {:.2} ms)  {}",
            timing.median_ms,
            timing.cold_ms,
            verdict(timing.median_ms <= 10.0)
        );
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT MET" }
}

fn print_sizes(args: &Args) {
    println!("\n== module sizes (gzip -9)");
    let mut files: Vec<PathBuf> = args.wasm.iter().cloned().collect();
    if let Some(dir) = &args.npm
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        let mut wasm: Vec<PathBuf> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "wasm")).collect();
        wasm.sort();
        files.extend(wasm);
    }
    for path in files {
        match std::fs::read(&path) {
            Ok(bytes) => {
                let gzip = gzip_size(&bytes);
                let target = if path.ends_with("cloudflare_ecs.wasm") {
                    format!("  (target ≤ 400 KB gzip: {})", verdict(gzip <= 400 * 1024))
                } else {
                    String::new()
                };
                println!("   {:<40} {:>9} bytes raw {:>9} bytes gzip{target}", path.display(), bytes.len(), gzip);
            }
            Err(e) => println!("   {}: {e}", path.display()),
        }
    }
}

fn gzip_size(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(0, |v| v.len())
}

/// Logpush uploads at most 5 MB per batch: what a fresh instance's linear memory grows to.
fn print_batch_memory(module: &WasmModule, workloads: &[Workload]) -> Result<(), String> {
    const BATCH_BYTES: usize = 5 * 1024 * 1024;
    println!("\n== linear memory for one 5 MiB batch (fresh instance, target < 32 MiB)");
    for workload in workloads.iter().filter(|w| !w.lines.is_empty()) {
        let mut batch = Vec::with_capacity(BATCH_BYTES);
        for line in workload.lines.iter().cycle() {
            if batch.len() + line.len() + 1 > BATCH_BYTES {
                break;
            }
            batch.extend_from_slice(line);
            batch.push(b'\n');
        }
        let mut wasm = module.instantiate().map_err(|e| e.to_string())?;
        let initial = wasm.memory_size_bytes();
        let output = wasm.transform_batch(&batch).map_err(|e| e.to_string())?;
        let after = wasm.memory_size_bytes();
        println!(
            "   {:<16} {:.2} MiB in, {:.2} MiB out: linear memory {:.1} MiB (initially {:.1} MiB)  {}",
            workload.name,
            mib(batch.len()),
            mib(output.len()),
            mib(after),
            mib(initial),
            verdict(after < 32 * 1024 * 1024)
        );
    }
    Ok(())
}

/// Memory over 10^6 calls: wasmtime linear memory, native RSS, and the npm package in Node.
fn print_long(module: Option<&WasmModule>, npm: Option<&Path>, workloads: &[Workload]) -> Result<(), String> {
    const CALLS: usize = 1_000_000;
    let lines: Vec<&[u8]> = interleaved_lines(workloads);
    if lines.is_empty() {
        return Ok(());
    }
    println!("\n== memory over 10^6 calls (records of every dataset in turn)");
    if let Some(module) = module {
        let mut wasm = module.instantiate().map_err(|e| e.to_string())?;
        let mut samples = Vec::new();
        let start = Instant::now();
        for call in 1..=CALLS {
            black_box(wasm.transform(lines[call % lines.len()]).map_err(|e| e.to_string())?);
            if is_sample_point(call) {
                samples.push((call, wasm.memory_size_bytes()));
            }
        }
        print_samples("wasmtime cfecs_transform, linear memory", &samples, start);
    }
    let normalizer = Normalizer::default();
    let mut out = Vec::new();
    let mut samples = Vec::new();
    let start = Instant::now();
    for call in 1..=CALLS {
        out.clear();
        normalizer.normalize_into(lines[call % lines.len()], &mut out);
        black_box(&out);
        if is_sample_point(call) {
            samples.push((call, rss_bytes().unwrap_or(0)));
        }
    }
    print_samples("native normalize_into, process RSS", &samples, start);
    if let Some(dir) = npm {
        let all: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
        let mixed = Workload::new("mixed".into(), all, 1000);
        match node::run(dir, &mixed, 1, 1000, None, Some(CALLS)) {
            Ok(report) => {
                let memory: Vec<(usize, usize)> = report.long.iter().map(|s| (s.calls, s.linear_memory)).collect();
                let rss: Vec<(usize, usize)> = report.long.iter().map(|s| (s.calls, s.rss)).collect();
                println!("   node transformJson, linear memory: {}", describe_samples(&memory));
                println!("   node transformJson, process RSS:   {}", describe_samples(&rss));
            }
            Err(message) => println!("   node: {message}"),
        }
    }
    Ok(())
}

/// Memory is sampled after 10^3, 10^4, 10^5 and 10^6 calls.
fn is_sample_point(call: usize) -> bool {
    [1_000, 10_000, 100_000, 1_000_000].contains(&call)
}

fn interleaved_lines(workloads: &[Workload]) -> Vec<&[u8]> {
    let longest = workloads.iter().map(|w| w.lines.len()).max().unwrap_or(0);
    (0..longest)
        .flat_map(|i| workloads.iter().filter_map(move |w| w.lines.get(i).map(Vec::as_slice)))
        .collect()
}

fn print_samples(label: &str, samples: &[(usize, usize)], start: Instant) {
    println!("   {label}: {} ({:.1} s)", describe_samples(samples), start.elapsed().as_secs_f64());
}

fn describe_samples(samples: &[(usize, usize)]) -> String {
    let list: Vec<String> = samples.iter().map(|(calls, bytes)| format!("{} after {}", format_mib(*bytes), thousands(*calls as f64))).collect();
    let growth = match (samples.get(1), samples.last()) {
        (Some((_, early)), Some((_, last))) => {
            let grew = *last as i64 - *early as i64;
            format!("; growth from 10^4 to 10^6 calls: {:+.2} MiB", grew as f64 / 1024.0 / 1024.0)
        }
        _ => String::new(),
    };
    format!("{}{growth}", list.join(", "))
}

fn format_mib(bytes: usize) -> String {
    format!("{:.2} MiB", mib(bytes))
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / 1024.0 / 1024.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// `123456.7` → `123,457`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn proc_status_kib(field: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn rss_bytes() -> Option<usize> {
    proc_status_kib("VmRSS:").map(|kib| kib * 1024)
}

fn peak_rss() -> Option<String> {
    proc_status_kib("VmHWM:").map(|kib| format_mib(kib * 1024))
}
