//! The npm package's API (design.md §6), through wasm-bindgen: `transform`, `transformJson`,
//! `transformBatch` and the `Normalizer` class. The generated glue *is* the package's API;
//! js/ only loads the module for each environment. This file only converts JS values to
//! bytes and back and calls the core: every record, good or bad, yields a document there.
//!
//! Conversions:
//! - a record or batch given as a `string` is passed as its UTF-8 bytes, a `Uint8Array` as
//!   is (so invalid UTF-8 reaches the core's `invalid_utf8` handling), and for `transform`
//!   any other value goes through `JSON.stringify` first;
//! - options (`{dataset, keep_message, max_record_bytes}`) go through `JSON.stringify` to
//!   `Options::from_json`, so every surface accepts and rejects the same options;
//!   `undefined`/`null` mean the defaults;
//! - `transform` returns `JSON.parse` of the document, the others the JSON text.
//!
//! Text crosses the boundary through the host's `TextEncoder`/`TextDecoder`, not the glue's
//! own string passing: its character-by-character copy loop took a fifth of a 1,000-record
//! `transformBatch` in Node, and the core's output needs no second UTF-8 check.
//!
//! Errors thrown to JS: rejected options (`Error`) and arguments of the wrong JS type
//! (`TypeError`). Record content never throws. The package's TypeScript declarations are
//! hand-written (js/npm/index.d.ts), with the API's documentation.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::{Normalizer as Core, Options};

#[wasm_bindgen]
extern "C" {
    // The few JS built-ins this needs, declared here so the crate depends on wasm-bindgen only.
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = Uint8Array)]
    type Bytes;

    /// `subarray()` is a view of the whole array; the glue copies it into linear memory.
    #[wasm_bindgen(method, js_name = subarray)]
    fn to_vec(this: &Bytes) -> Vec<u8>;

    type TextEncoder;

    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;

    /// The UTF-8 bytes of a JS string (lone surrogates become U+FFFD).
    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &JsValue) -> Vec<u8>;

    type TextDecoder;

    #[wasm_bindgen(constructor)]
    fn new() -> TextDecoder;

    /// A JS string of UTF-8 bytes, read in place from linear memory.
    #[wasm_bindgen(method)]
    fn decode(this: &TextDecoder, bytes: &[u8]) -> JsValue;

    /// Node's `Buffer` class (`undefined` elsewhere).
    #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = Buffer)]
    static NODE_BUFFER: JsValue;

    /// `globalThis.process`, set by Node and the runtimes that follow it.
    #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = process)]
    static PROCESS: JsValue;

    type Process;

    #[wasm_bindgen(method, getter)]
    fn versions(this: &Process) -> JsValue;

    type Versions;

    #[wasm_bindgen(method, getter)]
    fn node(this: &Versions) -> JsValue;

    type BufferClass;

    /// `Buffer.from(arrayBuffer, byteOffset, length)`: a view, not a copy.
    #[wasm_bindgen(method, js_name = from)]
    fn view(this: &BufferClass, array_buffer: &JsValue, byte_offset: u32, length: u32) -> NodeBuffer;

    type NodeBuffer;

    /// `buffer.latin1Slice(start, end)`, what `toString("latin1")` calls.
    #[wasm_bindgen(method, js_name = latin1Slice)]
    fn latin1_slice(this: &NodeBuffer, start: u32, end: u32) -> JsValue;

    type Memory;

    #[wasm_bindgen(method, getter)]
    fn buffer(this: &Memory) -> JsValue;

    #[wasm_bindgen(js_name = TypeError)]
    type TypeError;

    #[wasm_bindgen(constructor, js_class = "TypeError")]
    fn new(message: &str) -> TypeError;
}

/// Normalizes Cloudflare Logpush records into ECS documents with one set of options.
#[wasm_bindgen(js_name = Normalizer)]
pub struct JsNormalizer {
    core: Core,
}

#[wasm_bindgen(js_class = Normalizer)]
impl JsNormalizer {
    /// Throws an `Error` when the options are rejected (unknown name, wrong type, unknown dataset).
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<JsValue>) -> Result<JsNormalizer, JsValue> {
        let options = options_of(options.as_ref())?.unwrap_or_default();
        Ok(JsNormalizer {
            core: Core::new(options),
        })
    }

    /// One record (JSON text, bytes, or an object to be `JSON.stringify`'d) in, one ECS document out.
    pub fn transform(&self, record: JsValue) -> Result<JsValue, JsValue> {
        transform_with(&self.core, &record)
    }

    /// One record's JSON text in, one ECS document's JSON text out.
    #[wasm_bindgen(js_name = transformJson)]
    pub fn transform_json(&self, record: JsValue) -> Result<JsValue, JsValue> {
        transform_json_with(&self.core, &record)
    }

    /// NDJSON in, NDJSON out: one document and `\n` per non-blank line, in order.
    #[wasm_bindgen(js_name = transformBatch)]
    pub fn transform_batch(&self, ndjson: JsValue) -> Result<JsValue, JsValue> {
        transform_batch_with(&self.core, &ndjson)
    }
}

/// `new Normalizer(options).transform(record)`.
#[wasm_bindgen]
pub fn transform(record: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    with_core(options, |core| transform_with(core, &record))
}

/// `new Normalizer(options).transformJson(record)`.
#[wasm_bindgen(js_name = transformJson)]
pub fn transform_json(record: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    with_core(options, |core| transform_json_with(core, &record))
}

/// `new Normalizer(options).transformBatch(ndjson)`.
#[wasm_bindgen(js_name = transformBatch)]
pub fn transform_batch(ndjson: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    with_core(options, |core| transform_batch_with(core, &ndjson))
}

thread_local! {
    // The module is single-threaded; calls without options share one normalizer.
    static DEFAULT: Core = Core::default();
    static ENCODER: TextEncoder = TextEncoder::new();
    static DECODER: TextDecoder = TextDecoder::new();
    // Node's Buffer, when the module runs in Node (or Bun or Deno, which follow it).
    static BUFFER: Option<BufferClass> = PROCESS.with(|process| {
        let is_node = process.is_object() && {
            let versions = process.unchecked_ref::<Process>().versions();
            versions.is_object() && versions.unchecked_ref::<Versions>().node().is_string()
        };
        NODE_BUFFER.with(|buffer| (is_node && buffer.is_function()).then(|| buffer.clone().unchecked_into()))
    });
}

fn with_core<R>(
    options: Option<JsValue>,
    f: impl FnOnce(&Core) -> Result<R, JsValue>,
) -> Result<R, JsValue> {
    match options_of(options.as_ref())? {
        Some(options) => f(&Core::new(options)),
        None => DEFAULT.with(f),
    }
}

/// `None` for `undefined`/`null`: the defaults.
fn options_of(options: Option<&JsValue>) -> Result<Option<Options>, JsValue> {
    let Some(options) = options.filter(|o| !o.is_null_or_undefined()) else {
        return Ok(None);
    };
    let text = json_stringify(options)?
        .as_string()
        .ok_or_else(|| type_error("options must be an object"))?;
    match Options::from_json(&text) {
        Ok(options) => Ok(Some(options)),
        Err(e) => Err(JsError::new(&format!("cloudflare-ecs: invalid options: {e}")).into()),
    }
}

fn transform_with(core: &Core, record: &JsValue) -> Result<JsValue, JsValue> {
    let bytes = match bytes_of(record) {
        Some(bytes) => bytes,
        // Objects, arrays, numbers...: their JSON text (the core rejects what is not an object).
        // JSON.stringify's own TypeError (cycles, BigInt) is passed on.
        None => {
            let text = json_stringify(record)?;
            if !text.is_string() {
                return Err(type_error(
                    "record must be a string, a Uint8Array or a JSON-serializable value",
                ));
            }
            utf8_of(&text)
        }
    };
    let mut out = Vec::new();
    core.normalize_into(&bytes, &mut out);
    json_parse(&text_of(&out))
}

fn transform_json_with(core: &Core, record: &JsValue) -> Result<JsValue, JsValue> {
    let bytes =
        bytes_of(record).ok_or_else(|| type_error("record must be a string or a Uint8Array"))?;
    let mut out = Vec::new();
    core.normalize_into(&bytes, &mut out);
    Ok(text_of(&out))
}

fn transform_batch_with(core: &Core, ndjson: &JsValue) -> Result<JsValue, JsValue> {
    let bytes =
        bytes_of(ndjson).ok_or_else(|| type_error("ndjson must be a string or a Uint8Array"))?;
    let mut out = Vec::new();
    core.normalize_batch(&bytes, &mut out);
    Ok(text_of(&out))
}

/// The bytes of a `string` (UTF-8) or a `Uint8Array` (as is, e.g. a Node `Buffer`).
fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    if value.is_string() {
        Some(utf8_of(value))
    } else {
        value.dyn_ref::<Bytes>().map(Bytes::to_vec)
    }
}

fn utf8_of(text: &JsValue) -> Vec<u8> {
    ENCODER.with(|encoder| encoder.encode(text))
}

/// The core's output, always UTF-8 (JSON built from `&str` pieces), as a JS string.
///
/// In Node, large outputs that are ASCII, as most are, are made a string by `Buffer`'s
/// `latin1` decoding: the same characters for ASCII, and Node makes a string of over a
/// megabyte without copying it into V8's heap; `TextDecoder` validated and copied the
/// 3.7 MB of a 1,000-record `http_requests` batch in 2 to 4 ms, a fifth of the call.
fn text_of(bytes: &[u8]) -> JsValue {
    const LARGE: usize = 64 * 1024;
    if bytes.len() >= LARGE && is_ascii(bytes) {
        let latin1 = BUFFER.with(|buffer| {
            let buffer = buffer.as_ref()?;
            let memory = wasm_bindgen::memory().unchecked_into::<Memory>().buffer();
            // Offsets into linear memory, which is what a pointer is in WebAssembly.
            let (start, len) = (bytes.as_ptr() as u32, u32::try_from(bytes.len()).ok()?);
            Some(buffer.view(&memory, start, len).latin1_slice(0, len))
        });
        if let Some(text) = latin1 {
            return text;
        }
    }
    DECODER.with(|decoder| decoder.decode(bytes))
}

/// Whether all of `bytes` are ASCII; 32 at a time, one branch per 256 (the standard library
/// reads a `usize`, four bytes in WebAssembly, at a time).
fn is_ascii(bytes: &[u8]) -> bool {
    let (blocks, rest) = bytes.as_chunks::<256>();
    let high = |block: &[u8]| block.as_chunks::<8>().0.iter().fold(0, |high, word| high | u64::from_le_bytes(*word));
    blocks.iter().all(|block| high(block) & 0x8080_8080_8080_8080 == 0) && rest.is_ascii()
}

fn type_error(message: &str) -> JsValue {
    TypeError::new(&format!("cloudflare-ecs: {message}")).into()
}
