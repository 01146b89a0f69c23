//! The bad-input corpus (`fixtures/bad-inputs/*.bin`) through the raw module under wasmtime, on
//! ONE long-lived instance: `cfecs_transform`, `cfecs_transform_batch` and the Fluent Bit entry
//! point, under several option sets. No call traps; every record (every non-blank line of a
//! batch) yields exactly one JSON object document, the native core's bytes (whose invariants
//! `native_bad_inputs.rs` checks: error documents keep the original, and so on); and after all
//! of it the instance still normalizes a good record correctly.
//!
//! Raw ABI misuse: `cfecs_transform` and `cfecs_transform_batch` given a buffer outside linear
//! memory (or a null one) return an error document, never trap, and leave the instance working.
//! The reference host only passes buffers it allocated, so those calls go through a patched
//! copy of the module (see `patch_module`). Freeing a buffer twice is undefined behaviour (the
//! allocator's state is corrupted, as with C's `free`); it is not exercised.

use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_wasm_host::{WasmModule, WasmNormalizer};
use cloudflare_ecs_host_tests::invariants::batch_lines;
use cloudflare_ecs_host_tests::{configure, instance, load_bad_inputs};
use serde_json::Value;

const OPTION_SETS: &[&str] = &[
    "{}",
    r#"{"max_record_bytes":64}"#,
    r#"{"keep_message":false}"#,
    r#"{"dataset":"dns_logs"}"#,
];

/// A record every option set above normalizes (it fits in 64 bytes... of a dns_logs record).
const GOOD_RECORD: &[u8] = br#"{"QueryName":"a.example.com.","QueryType":1,"ResponseCode":0}"#;

/// The instance's linear memory after the whole corpus, every entry point, every option set.
const MAX_MEMORY: usize = 64 << 20;

fn native(options: &str) -> Normalizer {
    Normalizer::new(Options::from_json(options).expect("native options"))
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(300).collect()
}

/// One line of compact JSON that is an object, with `observer.vendor`.
fn json_object(document: &[u8]) -> Result<Value, String> {
    if document.contains(&b'\n') {
        return Err("document spans several lines".into());
    }
    let doc: Value = serde_json::from_slice(document).map_err(|e| format!("not JSON: {e}"))?;
    if !doc.is_object() {
        return Err("not a JSON object".into());
    }
    if doc.pointer("/observer/vendor").and_then(Value::as_str) != Some("Cloudflare") {
        return Err("no observer.vendor".into());
    }
    Ok(doc)
}

/// `document` for `record` is a JSON object and the native core's bytes.
fn check(
    failures: &mut Vec<String>,
    what: &str,
    record: &[u8],
    document: &[u8],
    native: &Normalizer,
) {
    if let Err(problem) = json_object(document) {
        failures.push(format!(
            "{what}: {problem}\n  record:   {}\n  document: {}",
            show(record),
            show(document)
        ));
    } else if document != native.normalize(record).as_bytes() {
        failures.push(format!(
            "{what}: differs from the native core\n  record:   {}\n  document: {}",
            show(record),
            show(document)
        ));
    }
}

/// The instance still normalizes a good record, on every entry point.
fn assert_still_works(module: &mut WasmNormalizer, native: &Normalizer, context: &str) {
    let expected = native.normalize(GOOD_RECORD);
    let doc: Value = serde_json::from_str(&expected).expect("native document");
    assert_eq!(
        doc.pointer("/event/dataset").and_then(Value::as_str),
        Some("dns_logs"),
        "{context}: {expected}"
    );
    assert_eq!(
        doc.pointer("/dns/question/name").and_then(Value::as_str),
        Some("a.example.com"),
        "{context}"
    );
    let single = module
        .transform(GOOD_RECORD)
        .unwrap_or_else(|e| panic!("{context}: cfecs_transform: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&single),
        expected,
        "{context}: cfecs_transform"
    );
    let batch = module
        .transform_batch(GOOD_RECORD)
        .unwrap_or_else(|e| panic!("{context}: cfecs_transform_batch: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&batch),
        format!("{expected}\n"),
        "{context}: cfecs_transform_batch"
    );
    let fluentbit = module
        .fluentbit(b"cloudflare", 1_700_000_000, 0, GOOD_RECORD)
        .unwrap_or_else(|e| panic!("{context}: cfecs_fluentbit: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&fluentbit),
        expected,
        "{context}: cfecs_fluentbit"
    );
}

#[test]
fn one_instance_survives_the_corpus_on_every_entry_point() {
    let cases = load_bad_inputs();
    let batch = cases
        .iter()
        .map(|(_, bytes)| bytes.as_slice())
        .collect::<Vec<_>>()
        .join(&b"\n"[..]);
    let lines = batch_lines(&batch);
    let mut module = instance();
    let mut failures = Vec::new();
    for options in OPTION_SETS {
        configure(&mut module, "bad inputs", options);
        let native = native(options);
        for (name, record) in &cases {
            match module.transform(record) {
                Ok(document) => check(
                    &mut failures,
                    &format!("cfecs_transform {name} {options}"),
                    record,
                    &document,
                    &native,
                ),
                Err(error) => panic!("cfecs_transform {name} with {options} failed: {error}"),
            }
            // Fluent Bit hands the filter a JSON object, but the entry point must survive any bytes.
            match module.fluentbit(b"cloudflare.logpush", 1_700_000_000, 5, record) {
                Ok(document) => check(
                    &mut failures,
                    &format!("cfecs_fluentbit {name} {options}"),
                    record,
                    &document,
                    &native,
                ),
                Err(error) => panic!("cfecs_fluentbit {name} with {options} failed: {error}"),
            }
        }
        let output = module
            .transform_batch(&batch)
            .unwrap_or_else(|e| panic!("cfecs_transform_batch with {options} failed: {e}"));
        let documents: Vec<&[u8]> = output
            .strip_suffix(b"\n")
            .expect("batch output ends with a newline")
            .split(|&b| b == b'\n')
            .collect();
        assert_eq!(
            documents.len(),
            lines.len(),
            "{options}: one document per non-blank line"
        );
        for (i, (line, document)) in lines.iter().zip(&documents).enumerate() {
            check(
                &mut failures,
                &format!("cfecs_transform_batch line {i} {options}"),
                line,
                document,
                &native,
            );
        }
        assert_still_works(&mut module, &native, options);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let memory = module.memory_size_bytes();
    assert!(memory <= MAX_MEMORY, "linear memory grew to {memory} bytes");
}

#[test]
fn fluent_bit_record_that_was_not_copied_gives_an_error_document() {
    let mut module = instance();
    for len in [0, 1, 10, 1 << 20, u32::MAX] {
        let document = module
            .fluentbit_unallocated_record(b"cloudflare", 0, 0, len)
            .unwrap_or_else(|e| panic!("record_ptr 0, record_len {len}: {e}"));
        let doc = json_object(&document)
            .unwrap_or_else(|e| panic!("record_len {len}: {e}: {}", show(&document)));
        assert_eq!(
            doc.pointer("/event/kind").and_then(Value::as_str),
            Some("pipeline_error"),
            "record_len {len}"
        );
    }
    assert_still_works(&mut module, &native("{}"), "after null records");
}

// ---------------------------------------------------------------------------------------------
// Raw ABI misuse, through a patched module.

/// The raw module with `cfecs_transform` and `cfecs_transform_batch` re-exported through shims:
/// an 8-byte input is read as a little-endian `(ptr, len)` pair, and the real export is called
/// with that pair; any other input is passed through. Through the reference host's ordinary
/// `transform(bytes)`, a test can so hand the real exports any pointer and length, as a buggy
/// or hostile host would. Everything else is the module's own code.
fn patch_module(wasm: &[u8]) -> Vec<u8> {
    let (header, body) = wasm.split_at(8);
    assert_eq!(header, b"\0asm\x01\0\0\0", "a wasm module");
    let mut sections = Vec::new();
    let mut rest = body;
    while let Some((&id, after_id)) = rest.split_first() {
        let mut at = after_id;
        let size = read_leb(&mut at) as usize;
        sections.push((id, at[..size].to_vec()));
        rest = &at[size..];
    }
    let content = |id: u8| {
        sections
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, c)| c.clone())
            .expect("section")
    };
    assert!(
        sections.iter().all(|(id, _)| *id != 2),
        "the module imports nothing"
    );

    // Function section: the type index of each defined function (no imports: index = position).
    let functions = content(3);
    let mut at = functions.as_slice();
    let count = read_leb(&mut at);
    let types: Vec<u32> = (0..count).map(|_| read_leb(&mut at)).collect();

    // Export section: find the two entry points, point them at the shims.
    let exports = content(7);
    let mut at = exports.as_slice();
    let export_count = read_leb(&mut at);
    let mut new_exports = Vec::new();
    write_leb(export_count, &mut new_exports);
    let mut shims = Vec::new(); // (real function index, shim index)
    for _ in 0..export_count {
        let name_len = read_leb(&mut at) as usize;
        let name = &at[..name_len];
        at = &at[name_len..];
        let kind = at[0];
        at = &at[1..];
        let mut index = read_leb(&mut at);
        if kind == 0 && (name == b"cfecs_transform" || name == b"cfecs_transform_batch") {
            let shim = count + shims.len() as u32;
            shims.push((index, shim));
            index = shim;
        }
        write_leb(name_len as u32, &mut new_exports);
        new_exports.extend_from_slice(name);
        new_exports.push(kind);
        write_leb(index, &mut new_exports);
    }
    assert_eq!(shims.len(), 2, "both transform exports found");

    let mut new_functions = Vec::new();
    write_leb(count + 2, &mut new_functions);
    for ty in types
        .iter()
        .chain(shims.iter().map(|(real, _)| &types[*real as usize]))
    {
        write_leb(*ty, &mut new_functions);
    }

    let code = content(10);
    let mut at = code.as_slice();
    let body_count = read_leb(&mut at);
    assert_eq!(body_count, count);
    let mut new_code = Vec::new();
    write_leb(body_count + 2, &mut new_code);
    new_code.extend_from_slice(at);
    for (real, _) in &shims {
        let mut body = vec![
            0x00, // no locals
            0x20, 0x01, 0x41, 0x08, 0x46, // local.get 1; i32.const 8; i32.eq
            0x04, 0x7e, // if (result i64)
            0x20, 0x00, 0x28, 0x02, 0x00, // i32.load (ptr)
            0x20, 0x00, 0x28, 0x02, 0x04, // i32.load offset=4 (len)
            0x10, // call real
        ];
        write_leb(*real, &mut body);
        body.extend_from_slice(&[0x05, 0x20, 0x00, 0x20, 0x01, 0x10]); // else; local.get 0; local.get 1; call real
        write_leb(*real, &mut body);
        body.extend_from_slice(&[0x0b, 0x0b]); // end if; end
        write_leb(body.len() as u32, &mut new_code);
        new_code.extend_from_slice(&body);
    }

    let mut out = header.to_vec();
    for (id, content) in &sections {
        let content = match id {
            3 => &new_functions,
            7 => &new_exports,
            10 => &new_code,
            _ => content,
        };
        out.push(*id);
        write_leb(content.len() as u32, &mut out);
        out.extend_from_slice(content);
    }
    out
}

fn read_leb(at: &mut &[u8]) -> u32 {
    let (mut value, mut shift) = (0u32, 0);
    loop {
        let byte = at[0];
        *at = &at[1..];
        value |= u32::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return value;
        }
        shift += 7;
    }
}

fn write_leb(mut value: u32, out: &mut Vec<u8>) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn pair(ptr: u32, len: u32) -> Vec<u8> {
    [ptr.to_le_bytes(), len.to_le_bytes()].concat()
}

#[test]
fn raw_transform_with_buffers_outside_memory_gives_error_documents() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/cloudflare_ecs.wasm");
    let wasm = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (build it: ./build.sh wasm)", path.display()));
    let patched =
        WasmModule::from_bytes(&patch_module(&wasm)).expect("the patched module compiles");
    let mut module = patched.instantiate().expect("instantiate");
    let native = native("{}");
    // The shims pass other inputs through: the patched instance is the module itself.
    assert_still_works(&mut module, &native, "patched module");

    let memory = u32::try_from(module.memory_size_bytes()).expect("32-bit memory");
    let outside = [
        (memory, 1),
        (memory - 1, 2),
        (memory, u32::MAX),
        (u32::MAX, 1),
        (u32::MAX, u32::MAX),
        (1, u32::MAX),
        (0, 10), // null
        (0, 1 << 20),
    ];
    for (ptr, len) in outside {
        for batch in [false, true] {
            let call = if batch {
                "cfecs_transform_batch"
            } else {
                "cfecs_transform"
            };
            let output = if batch {
                module.transform_batch(&pair(ptr, len))
            } else {
                module.transform(&pair(ptr, len))
            };
            let output = output.unwrap_or_else(|e| panic!("{call}({ptr:#x}, {len}) trapped: {e}"));
            let document = if batch {
                let lines: Vec<&[u8]> = output
                    .strip_suffix(b"\n")
                    .expect("a newline")
                    .split(|&b| b == b'\n')
                    .collect();
                assert_eq!(lines.len(), 1, "{call}({ptr:#x}, {len}): one document");
                lines[0].to_vec()
            } else {
                output
            };
            let doc =
                json_object(&document).unwrap_or_else(|e| panic!("{call}({ptr:#x}, {len}): {e}"));
            assert_eq!(
                doc.pointer("/event/kind").and_then(Value::as_str),
                Some("pipeline_error"),
                "{call}({ptr:#x}, {len})"
            );
            assert_eq!(
                doc.pointer("/error/type").and_then(Value::as_str),
                Some("invalid_input"),
                "{call}({ptr:#x}, {len})"
            );
        }
    }
    // Inside memory but not from `cfecs_alloc` (the data segment, the stack, the heap): read as a
    // record, whatever it holds; reading changes nothing.
    let inside = [
        (1, 64),
        (1024, 4096),
        (memory - 16, 16),
        (8, 0),
        (memory, 0),
    ];
    for (ptr, len) in inside {
        for batch in [false, true] {
            let output = if batch {
                module.transform_batch(&pair(ptr, len))
            } else {
                module.transform(&pair(ptr, len))
            };
            let output = output.unwrap_or_else(|e| panic!("({ptr:#x}, {len}) trapped: {e}"));
            for document in output.split(|&b| b == b'\n').filter(|d| !d.is_empty()) {
                json_object(document)
                    .unwrap_or_else(|e| panic!("({ptr:#x}, {len}): {e}: {}", show(document)));
            }
        }
    }
    assert_still_works(&mut module, &native, "after buffers outside memory");
}
