//! The raw module for real: `dist/cloudflare_ecs.wasm` (or `$CFECS_WASM`) under wasmtime,
//! through the reference host (`wasm-host/`), on ONE long-lived instance for the whole run.
//!
//! Mostly `cfecs_transform_batch` with fuzzed NDJSON; some inputs go line by line through
//! `cfecs_transform` or `cfecs_fluentbit` instead, and some reconfigure the instance first.
//! Asserts: the call does not trap, one JSON object document per non-blank line, and linear
//! memory stays bounded. With `CFECS_FUZZ_DIFF=1` (the module built from the same sources, as
//! `run.sh` does) every document must also be byte-identical to the native core's; the
//! native call is also what gives libFuzzer coverage to steer by, since JIT code is not
//! instrumented.

#![no_main]

use std::cell::RefCell;

use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_wasm_host::{WasmModule, WasmNormalizer};
use cloudflare_ecs_fuzz::{batch_lines, check_batch_output, check_document};
use libfuzzer_sys::fuzz_target;

/// Options an input may switch the instance to (`cfecs_configure`).
const OPTIONS: [&str; 4] = [
    "{}",
    r#"{"max_record_bytes":64}"#,
    r#"{"keep_message":false}"#,
    r#"{"dataset":"dns_logs","max_record_bytes":4096}"#,
];

/// Linear memory may hold the input, the output (a few times the input) and allocator slack;
/// beyond this, something leaks or over-allocates.
const MEMORY_BASE: usize = 64 << 20;
const MEMORY_PER_INPUT_BYTE: usize = 32;

struct Host {
    wasm: WasmNormalizer,
    natives: Vec<Normalizer>,
    current: usize,
    compare_native: bool,
    largest_input: usize,
    initial_memory: usize,
    peak_memory: usize,
}

thread_local! {
    static HOST: RefCell<Host> = RefCell::new(Host::new());
}

impl Host {
    fn new() -> Host {
        let path = std::env::var("CFECS_WASM")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../dist/cloudflare_ecs.wasm").to_owned());
        let module = WasmModule::from_file(&path).unwrap_or_else(|e| panic!("{e} (build it: ./build.sh wasm)"));
        let wasm = module.instantiate().expect("instantiate the module");
        let natives = OPTIONS.iter().map(|o| Normalizer::new(Options::from_json(o).expect("options"))).collect();
        let compare_native = std::env::var("CFECS_FUZZ_DIFF").is_ok_and(|v| v == "1");
        let initial_memory = wasm.memory_size_bytes();
        eprintln!("abi_batch: {path}, memory {initial_memory} bytes, compare with native core: {compare_native}");
        Host {
            wasm,
            natives,
            current: 0,
            compare_native,
            largest_input: 0,
            initial_memory,
            peak_memory: initial_memory,
        }
    }

    fn native(&self) -> &Normalizer {
        &self.natives[self.current]
    }

    fn run(&mut self, selector: u8, input: &[u8]) {
        if selector & 0x30 == 0x30 {
            let which = usize::from(selector & 3);
            match self.wasm.configure(OPTIONS[which]).expect("cfecs_configure trapped") {
                Ok(()) => self.current = which,
                Err(document) => panic!("options {} rejected: {document}", OPTIONS[which]),
            }
        }
        let keep_message = self.native().options().keep_message;
        match selector >> 6 {
            // `cfecs_transform`, one line at a time.
            2 => {
                for line in batch_lines(input) {
                    let document = self.wasm.transform(line).expect("cfecs_transform trapped");
                    self.check_one(line, &document, keep_message);
                }
            }
            // `cfecs_fluentbit`, one line at a time, as Fluent Bit calls it.
            3 => {
                for line in batch_lines(input) {
                    let document = self
                        .wasm
                        .fluentbit(b"cloudflare.logpush", 1_700_000_000, 0, line)
                        .expect("cfecs_fluentbit trapped");
                    self.check_one(line, &document, keep_message);
                }
            }
            _ => {
                let output = self.wasm.transform_batch(input).expect("cfecs_transform_batch trapped");
                if self.compare_native {
                    check_batch_output(self.native(), input, &output);
                } else {
                    // Also runs the native core, for coverage feedback.
                    let mut native = Vec::new();
                    self.native().normalize_batch(input, &mut native);
                    let lines = batch_lines(input);
                    let documents = cloudflare_ecs_fuzz::output_lines(&output).unwrap_or_else(|e| panic!("{e}"));
                    assert_eq!(documents.len(), lines.len(), "documents for non-blank lines");
                    for (line, document) in lines.iter().zip(documents) {
                        self.check_one(line, document, keep_message);
                    }
                }
            }
        }
        self.largest_input = self.largest_input.max(input.len());
        let memory = self.wasm.memory_size_bytes();
        if memory > self.peak_memory {
            self.peak_memory = memory;
            eprintln!(
                "abi_batch: linear memory grew to {memory} bytes (largest input so far {} bytes)",
                self.largest_input
            );
        }
        let bound = self.initial_memory + MEMORY_BASE + MEMORY_PER_INPUT_BYTE * self.largest_input;
        assert!(
            memory <= bound,
            "linear memory grew to {memory} bytes (bound {bound}; largest input {} bytes)",
            self.largest_input
        );
    }

    fn check_one(&self, line: &[u8], document: &[u8], keep_message: bool) {
        if self.compare_native {
            let native = self.native().normalize(line);
            assert_eq!(String::from_utf8_lossy(document), native, "module and native core differ");
        }
        if let Err(problem) = check_document(document, line, keep_message) {
            panic!(
                "{problem}\nline:     {:?}\ndocument: {}",
                String::from_utf8_lossy(line),
                String::from_utf8_lossy(document)
            );
        }
    }
}

fuzz_target!(
    init: {
        // Compiling the module takes seconds: before the first input, not during it.
        HOST.with(|_| ());
    },
    |data: &[u8]| {
        let Some((&selector, input)) = data.split_first() else {
            return;
        };
        HOST.with_borrow_mut(|host| host.run(selector, input));
    }
);
