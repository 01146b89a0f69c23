//! The raw WebAssembly ABI (design.md §6): plain exports over linear memory, no imports, so
//! any runtime can load the module. Fluent Bit's filter entry point is here too.
//!
//! Buffers cross the boundary as (pointer, length). Inputs are the host's: it allocates them
//! with `cfecs_alloc` and frees them after the call. Outputs are the host's once returned:
//! `(ptr << 32) | len` packed in an i64, freed with `cfecs_free(ptr, len)`. Freeing a buffer
//! twice, or with another length, is undefined behaviour, as with any allocator.

use std::alloc::{Layout, alloc, dealloc};
use std::cell::RefCell;

use crate::error::{ErrorKind, Failure};
use crate::{Normalizer, Options};

/// Bumped when an export changes meaning.
const ABI_VERSION: i32 = 1;

#[derive(Default)]
struct State {
    normalizer: Normalizer,
    /// Why the last `cfecs_configure` failed, as an error document.
    last_error: Vec<u8>,
    /// Fluent Bit never frees what a filter returns, so one buffer is reused for every call.
    fluentbit_out: Vec<u8>,
    fluentbit_tag: TagNormalizer,
    /// The buffer outputs are written into, when the host is not holding it: handed out by
    /// `cfecs_transform(_batch)` and taken back by `cfecs_free`, rather than allocated,
    /// shrunk (copied) and freed for every record.
    out: Vec<u8>,
    out_lent: bool,
}

/// The last tag `cfecs_fluentbit` was called with, and the normalizer for the dataset it
/// names, if it names one. Tags change from chunk to chunk at most, so records of one tag
/// pay a comparison, not an options lookup.
#[derive(Default)]
struct TagNormalizer {
    tag: Vec<u8>,
    /// `None`: the tag names no dataset, and the configured normalizer applies.
    forced: Option<Normalizer>,
}

impl TagNormalizer {
    /// The normalizer for records of `tag`: `configured` with the dataset the tag names forced.
    fn for_tag<'a>(&'a mut self, tag: &[u8], configured: &'a Normalizer) -> &'a Normalizer {
        if self.tag != tag {
            self.tag.clear();
            self.tag.extend_from_slice(tag);
            self.forced = configured.options().for_tag(tag).map(Normalizer::new);
        }
        self.forced.as_ref().unwrap_or(configured)
    }
}

/// Outputs whose buffer grew larger than this get one of their own, freed by `cfecs_free`, so
/// that the module does not keep megabytes after a large batch.
const MAX_REUSED_OUTPUT: usize = 1 << 20;

impl State {
    /// An empty buffer for the next output: the reused one unless the host holds it.
    fn output_buffer(&mut self) -> Vec<u8> {
        let mut out = if self.out_lent { Vec::new() } else { std::mem::take(&mut self.out) };
        out.clear();
        out
    }

    /// Hands `out` to the host, packed as `(ptr << 32) | len`.
    fn hand_out(&mut self, out: Vec<u8>) -> i64 {
        if self.out_lent || out.is_empty() || out.capacity() > MAX_REUSED_OUTPUT {
            return output(out);
        }
        let packed = pack(out.as_ptr(), out.len());
        self.out = out;
        self.out_lent = true;
        packed
    }
}

thread_local! {
    // The module is single-threaded; an instance lives as long as its host keeps it.
    static STATE: RefCell<State> = RefCell::new(State::default());
}

#[unsafe(no_mangle)]
pub extern "C" fn cfecs_abi_version() -> i32 {
    ABI_VERSION
}

/// `len` writable bytes, or 0 when memory is exhausted. A zero length gets a dangling,
/// non-zero pointer that must not be written.
#[unsafe(no_mangle)]
pub extern "C" fn cfecs_alloc(len: u32) -> u32 {
    if len == 0 {
        return 1;
    }
    match byte_layout(len) {
        // SAFETY: the layout has a non-zero size.
        Some(layout) => unsafe { alloc(layout) as u32 },
        // Larger than the address space can hold.
        None => 0,
    }
}

/// Frees a buffer from `cfecs_alloc` or an output, given its length.
///
/// # Safety
/// `ptr` must come from `cfecs_alloc(len)` or be an output of length `len`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cfecs_free(ptr: u32, len: u32) {
    // The reused output buffer is taken back, never freed (so freeing it twice is harmless).
    let reused = STATE.with_borrow_mut(|state| {
        let reused = state.out.capacity() > 0 && ptr == state.out.as_ptr() as u32;
        state.out_lent &= !reused;
        reused
    });
    if reused {
        return;
    }
    if let Some(layout) = byte_layout(len).filter(|_| ptr != 0) {
        // SAFETY: the caller passes a live allocation of this layout.
        unsafe { dealloc(ptr as *mut u8, layout) }
    }
}

/// Sets the options (a JSON object). 0 = applied; 1 = rejected, options unchanged, and
/// `cfecs_last_error` returns an error document saying why.
#[unsafe(no_mangle)]
pub extern "C" fn cfecs_configure(ptr: u32, len: u32) -> i32 {
    let result = match input(ptr, len) {
        Some(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Options::from_json(text).map_err(|e| (e, text.to_owned())),
            Err(_) => Err(("options are not valid UTF-8".to_owned(), String::new())),
        },
        None => Err(("options buffer is outside linear memory".to_owned(), String::new())),
    };
    STATE.with_borrow_mut(|state| match result {
        Ok(options) => {
            state.normalizer = Normalizer::new(options);
            // The tag's normalizer was made from the previous options.
            state.fluentbit_tag = TagNormalizer::default();
            state.last_error.clear();
            0
        }
        Err((message, original)) => {
            state.last_error.clear();
            Failure::new(ErrorKind::InvalidOptions, message).write(original.as_str(), &mut state.last_error);
            1
        }
    })
}

/// The error document of the last rejected `cfecs_configure`, packed like `cfecs_transform`.
#[unsafe(no_mangle)]
pub extern "C" fn cfecs_last_error() -> i64 {
    STATE.with_borrow(|state| output(state.last_error.clone()))
}

/// One record in, one JSON document out.
#[unsafe(no_mangle)]
pub extern "C" fn cfecs_transform(ptr: u32, len: u32) -> i64 {
    STATE.with_borrow_mut(|state| {
        let mut out = state.output_buffer();
        match input(ptr, len) {
            Some(record) => state.normalizer.normalize_into(record, &mut out),
            None => out_of_bounds(len).write("", &mut out),
        };
        state.hand_out(out)
    })
}

/// NDJSON in, NDJSON out: one document per non-blank line, in order.
#[unsafe(no_mangle)]
pub extern "C" fn cfecs_transform_batch(ptr: u32, len: u32) -> i64 {
    STATE.with_borrow_mut(|state| {
        let mut out = state.output_buffer();
        match input(ptr, len) {
            Some(batch) => state.normalizer.normalize_batch(batch, &mut out),
            None => {
                out_of_bounds(len).write("", &mut out);
                out.push(b'\n');
            }
        }
        state.hand_out(out)
    })
}

/// Fluent Bit's `filter_wasm` entry point (JSON event format): the record body in, a
/// NUL-terminated JSON object out, owned by the module until the next call. Fluent Bit
/// calls with `record_ptr = 0` when it could not copy the record into the module's heap,
/// and likewise `tag_ptr = 0`. A tag with a dot-separated part that is a dataset name
/// (`cloudflare.http_requests`) forces that dataset; a tag outside memory is no tag.
#[unsafe(no_mangle)]
pub extern "C" fn cfecs_fluentbit(
    tag_ptr: u32,
    tag_len: u32,
    _time_sec: u32,
    _time_nsec: u32,
    record_ptr: u32,
    record_len: u32,
) -> u32 {
    STATE.with_borrow_mut(|state| {
        let State { normalizer, fluentbit_out, fluentbit_tag, .. } = state;
        let normalizer = fluentbit_tag.for_tag(input(tag_ptr, tag_len).unwrap_or_default(), normalizer);
        fluentbit_out.clear();
        match input(record_ptr, record_len).filter(|_| record_ptr != 0) {
            Some(record) => {
                normalizer.normalize_into(record, fluentbit_out);
            }
            None => {
                let message = format!(
                    "record of {record_len} bytes did not fit in the filter's heap; raise WASM_Heap_Size"
                );
                Failure::new(ErrorKind::TooLarge, message).write("", fluentbit_out);
            }
        }
        fluentbit_out.push(0);
        fluentbit_out.as_ptr() as u32
    })
}

fn byte_layout(len: u32) -> Option<Layout> {
    Layout::from_size_align(usize::try_from(len).ok()?, 1).ok().filter(|l| l.size() > 0)
}

/// The input bytes, if `ptr..ptr + len` lies inside linear memory.
fn input<'a>(ptr: u32, len: u32) -> Option<&'a [u8]> {
    if len == 0 {
        return Some(&[]);
    }
    let end = u64::from(ptr) + u64::from(len);
    let memory_bytes = core::arch::wasm32::memory_size(0) as u64 * 65_536;
    if end > memory_bytes || ptr == 0 {
        return None;
    }
    // SAFETY: the range is inside linear memory, which is always readable; the host owns
    // the buffer and does not change it during the call.
    Some(unsafe { std::slice::from_raw_parts(ptr as *const u8, len as usize) })
}

fn out_of_bounds(len: u32) -> Failure {
    Failure::new(ErrorKind::InvalidInput, format!("input buffer of {len} bytes is outside linear memory"))
}

/// Hands an output buffer of its own to the host, packed as `(ptr << 32) | len`.
fn output(out: Vec<u8>) -> i64 {
    let len = out.len();
    pack(Box::into_raw(out.into_boxed_slice()) as *const u8, len)
}

fn pack(ptr: *const u8, len: usize) -> i64 {
    ((ptr as u64) << 32 | len as u64) as i64
}
