//! The reference wasmtime host for the raw `cloudflare_ecs.wasm` module (ABI: design.md §6),
//! shared by the host tests, the benchmark and the fuzz targets.
//!
//! Every pointer and length the guest hands back is checked against its linear memory, so a
//! misbehaving module yields an `Err`, never a host panic or an out-of-bounds read.

use std::path::Path;

use wasmtime::{Engine, ExternType, Memory, Module, Result, Store, TypedFunc, format_err};

/// The `cfecs_abi_version()` this host speaks.
pub const ABI_VERSION: i32 = 1;

/// A compiled module. Compiling is the slow part (seconds for the 1 MB module), so compile once
/// and [`instantiate`](Self::instantiate) as often as needed; it is cheap to clone and share.
#[derive(Clone)]
pub struct WasmModule {
    engine: Engine,
    module: Module,
}

impl WasmModule {
    pub fn from_bytes(wasm: &[u8]) -> Result<Self> {
        let engine = Engine::default();
        let module = Module::new(&engine, wasm)?;
        Ok(Self { engine, module })
    }

    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let engine = Engine::default();
        let module = Module::from_file(&engine, path)
            .map_err(|error| format_err!("cannot load {}: {error}", path.display()))?;
        Ok(Self { engine, module })
    }

    /// The module's imports as `module.name` (the contract is: none).
    pub fn imports(&self) -> Vec<String> {
        self.module
            .imports()
            .map(|import| format!("{}.{}", import.module(), import.name()))
            .collect()
    }

    pub fn import_count(&self) -> usize {
        self.module.imports().len()
    }

    /// The module's exports as `(name, kind)`, where a function's kind is its signature
    /// written `(i32, i32) -> i64`, and other kinds are `memory`, `global`, `table` or `tag`.
    pub fn exports(&self) -> Vec<(String, String)> {
        self.module
            .exports()
            .map(|export| (export.name().to_owned(), describe_extern(&export.ty())))
            .collect()
    }

    /// A fresh instance with its own store and memory, options at their defaults.
    pub fn instantiate(&self) -> Result<WasmNormalizer> {
        WasmNormalizer::new(self)
    }
}

fn describe_extern(ty: &ExternType) -> String {
    match ty {
        ExternType::Func(func) => {
            let list = |types: Vec<String>| types.join(", ");
            let params = list(func.params().map(|t| t.to_string()).collect());
            let results = list(func.results().map(|t| t.to_string()).collect());
            if results.is_empty() {
                format!("({params})")
            } else {
                format!("({params}) -> {results}")
            }
        }
        ExternType::Memory(_) => "memory".to_owned(),
        ExternType::Global(_) => "global".to_owned(),
        ExternType::Table(_) => "table".to_owned(),
        ExternType::Tag(_) => "tag".to_owned(),
    }
}

/// One instance of the module: a normalizer whose options persist between calls.
///
/// After any `Err` the guest's state is unknown (it may have trapped); drop the instance.
pub struct WasmNormalizer {
    store: Store<()>,
    memory: Memory,
    abi_version: TypedFunc<(), i32>,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
    configure: TypedFunc<(u32, u32), i32>,
    last_error: TypedFunc<(), u64>,
    transform: TypedFunc<(u32, u32), u64>,
    transform_batch: TypedFunc<(u32, u32), u64>,
    fluentbit: TypedFunc<(u32, u32, u32, u32, u32, u32), u32>,
    /// The buffer inputs of up to `REUSED_INPUT` bytes are copied into, kept from call to
    /// call: a record per call then costs two guest calls, not four.
    input: Option<GuestBuffer>,
}

/// The size of the reused input buffer. Larger inputs (batches) get a buffer of their own,
/// freed after the call, so that the guest does not keep megabytes for the next one.
const REUSED_INPUT: u32 = 64 * 1024;

/// The record argument of a Fluent Bit call.
enum FluentBitRecord<'a> {
    /// Copied into guest memory, NUL-terminated.
    Copied(&'a [u8]),
    /// Not in guest memory: a null pointer with this length.
    NotCopied { len: u32 },
}

/// A buffer the host allocated in guest memory with `cfecs_alloc`.
#[derive(Clone, Copy)]
struct GuestBuffer {
    ptr: u32,
    /// The size passed to `cfecs_alloc`, which `cfecs_free` must be given back.
    allocated: u32,
}

impl WasmNormalizer {
    fn new(module: &WasmModule) -> Result<Self> {
        let mut store = Store::new(&module.engine, ());
        // The module imports nothing; anything else fails here with wasmtime's own message.
        let instance = wasmtime::Instance::new(&mut store, &module.module, &[])?;
        let memory = instance
            .get_memory(&mut store, "memory")
            .ok_or_else(|| format_err!("the module exports no `memory`"))?;
        Ok(Self {
            abi_version: instance.get_typed_func(&mut store, "cfecs_abi_version")?,
            alloc: instance.get_typed_func(&mut store, "cfecs_alloc")?,
            free: instance.get_typed_func(&mut store, "cfecs_free")?,
            configure: instance.get_typed_func(&mut store, "cfecs_configure")?,
            last_error: instance.get_typed_func(&mut store, "cfecs_last_error")?,
            transform: instance.get_typed_func(&mut store, "cfecs_transform")?,
            transform_batch: instance.get_typed_func(&mut store, "cfecs_transform_batch")?,
            fluentbit: instance.get_typed_func(&mut store, "cfecs_fluentbit")?,
            input: None,
            memory,
            store,
        })
    }

    pub fn abi_version(&mut self) -> Result<i32> {
        self.abi_version.call(&mut self.store, ())
    }

    /// Sets the options (a JSON object, `{}` = defaults). The outer `Err` means the module
    /// misbehaved; `Ok(Err(document))` means it rejected the options and left them unchanged,
    /// with `document` the JSON error document it explained why in.
    pub fn configure(&mut self, options_json: &str) -> Result<Result<(), String>> {
        let options = options_json.as_bytes();
        let input = self.copy_in(options)?;
        let status = self
            .configure
            .call(&mut self.store, (input.ptr, len_u32(options)?))?;
        self.release(input)?;
        if status == 0 {
            return Ok(Ok(()));
        }
        let packed = self.last_error.call(&mut self.store, ())?;
        let mut document = Vec::new();
        self.take_output(packed, &mut document)?;
        Ok(Err(String::from_utf8_lossy(&document).into_owned()))
    }

    /// One record in, one JSON document out (no trailing newline).
    pub fn transform(&mut self, record: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.transform_into(record, &mut out)?;
        Ok(out)
    }

    /// `transform`, appending the document to `out`.
    pub fn transform_into(&mut self, record: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let func = self.transform.clone();
        self.call_with_input(func, record, out)
    }

    /// NDJSON in, NDJSON out: one document per non-blank input line, each ending in `\n`.
    pub fn transform_batch(&mut self, ndjson: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.transform_batch_into(ndjson, &mut out)?;
        Ok(out)
    }

    /// `transform_batch`, appending the documents to `out`.
    pub fn transform_batch_into(&mut self, ndjson: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let func = self.transform_batch.clone();
        self.call_with_input(func, ndjson, out)
    }

    /// Calls `cfecs_fluentbit` exactly as Fluent Bit's filter_wasm does in its JSON event
    /// format (flb_wasm.c, `flb_wasm_call_function_format_json`): tag and record are copied
    /// into guest memory with a trailing NUL that the lengths do not count, the returned
    /// NUL-terminated string is copied out (and never freed: the module owns it), then the
    /// host frees its two copies. Returns the string without its NUL.
    pub fn fluentbit(
        &mut self,
        tag: &[u8],
        time_sec: u32,
        time_nsec: u32,
        record: &[u8],
    ) -> Result<Vec<u8>> {
        self.call_fluentbit(tag, time_sec, time_nsec, FluentBitRecord::Copied(record))
    }

    /// What Fluent Bit passes when it could not copy the record into the guest heap (WAMR's
    /// app heap is small by default): `record_ptr = 0` with the record's real length.
    pub fn fluentbit_unallocated_record(
        &mut self,
        tag: &[u8],
        time_sec: u32,
        time_nsec: u32,
        record_len: u32,
    ) -> Result<Vec<u8>> {
        self.call_fluentbit(
            tag,
            time_sec,
            time_nsec,
            FluentBitRecord::NotCopied { len: record_len },
        )
    }

    /// The current size of the guest's linear memory.
    pub fn memory_size_bytes(&self) -> usize {
        self.memory.data_size(&self.store)
    }

    fn call_fluentbit(
        &mut self,
        tag: &[u8],
        time_sec: u32,
        time_nsec: u32,
        record: FluentBitRecord,
    ) -> Result<Vec<u8>> {
        // Same order as Fluent Bit: tag first, then record.
        let tag_len = len_u32(tag)?;
        let tag_copy = self.copy_in_nul_terminated(tag)?;
        let (record_copy, record_len) = match record {
            FluentBitRecord::Copied(bytes) => {
                (self.copy_in_nul_terminated(bytes)?, len_u32(bytes)?)
            }
            FluentBitRecord::NotCopied { len } => (None, len),
        };
        let pointer_of = |buffer: Option<GuestBuffer>| buffer.map_or(0, |b| b.ptr);
        let args = (
            pointer_of(tag_copy),
            tag_len,
            time_sec,
            time_nsec,
            pointer_of(record_copy),
            record_len,
        );
        // Fluent Bit copies the result before it frees its inputs, and frees them even when the
        // call trapped; do the same so the guest sees the same sequence of calls.
        let output = self
            .fluentbit
            .call(&mut self.store, args)
            .and_then(|ptr| self.read_c_string(ptr));
        let freed = [tag_copy, record_copy]
            .into_iter()
            .flatten()
            .try_for_each(|buffer| self.release(buffer));
        let output = output?;
        freed?;
        Ok(output)
    }

    fn call_with_input(
        &mut self,
        func: TypedFunc<(u32, u32), u64>,
        input: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let len = len_u32(input)?;
        let buffer = match self.input {
            Some(reused) if len <= reused.allocated => reused,
            None if len <= REUSED_INPUT => {
                let reused = self.allocate(REUSED_INPUT)?;
                self.input = Some(reused);
                reused
            }
            _ => self.allocate(len.max(1))?,
        };
        self.write(buffer, input)?;
        let packed = func.call(&mut self.store, (buffer.ptr, len))?;
        if Some(buffer.ptr) != self.input.map(|reused| reused.ptr) {
            self.release(buffer)?;
        }
        self.take_output(packed, out)
    }

    /// A fresh `cfecs_alloc` buffer of `allocated` bytes.
    fn allocate(&mut self, allocated: u32) -> Result<GuestBuffer> {
        let ptr = self.alloc.call(&mut self.store, allocated)?;
        if ptr == 0 {
            return Err(format_err!("cfecs_alloc({allocated}) failed"));
        }
        Ok(GuestBuffer { ptr, allocated })
    }

    /// Copies `bytes` into a fresh `cfecs_alloc` buffer. Allocates at least one byte, so that
    /// empty input does not depend on what the guest returns for `cfecs_alloc(0)`.
    fn copy_in(&mut self, bytes: &[u8]) -> Result<GuestBuffer> {
        let buffer = self.allocate(len_u32(bytes)?.max(1))?;
        self.write(buffer, bytes)?;
        Ok(buffer)
    }

    /// Fluent Bit's `wasm_runtime_module_dup_data(data, len + 1)`: `None` when the guest could
    /// not allocate, and Fluent Bit then passes a null pointer rather than failing.
    fn copy_in_nul_terminated(&mut self, bytes: &[u8]) -> Result<Option<GuestBuffer>> {
        let allocated = len_u32(bytes)?
            .checked_add(1)
            .ok_or_else(|| format_err!("input too large for a 32-bit guest"))?;
        let ptr = self.alloc.call(&mut self.store, allocated)?;
        if ptr == 0 {
            return Ok(None);
        }
        let buffer = GuestBuffer { ptr, allocated };
        let mut with_nul = Vec::with_capacity(bytes.len() + 1);
        with_nul.extend_from_slice(bytes);
        with_nul.push(0);
        self.write(buffer, &with_nul)?;
        Ok(Some(buffer))
    }

    fn write(&mut self, buffer: GuestBuffer, bytes: &[u8]) -> Result<()> {
        if bytes.len() > buffer.allocated as usize {
            return Err(format_err!(
                "{} bytes do not fit a {}-byte guest buffer",
                bytes.len(),
                buffer.allocated
            ));
        }
        self.memory
            .write(&mut self.store, buffer.ptr as usize, bytes)
            .map_err(|_| {
                format_err!(
                    "cfecs_alloc returned {:#x}, outside guest memory",
                    buffer.ptr
                )
            })
    }

    fn release(&mut self, buffer: GuestBuffer) -> Result<()> {
        self.free
            .call(&mut self.store, (buffer.ptr, buffer.allocated))
    }

    /// Appends an output packed as `(ptr << 32) | len` to `out`, then frees it. An empty
    /// output owns no buffer, so it is not freed.
    fn take_output(&mut self, packed: u64, out: &mut Vec<u8>) -> Result<()> {
        let ptr = (packed >> 32) as u32;
        let len = packed as u32;
        if len == 0 {
            return Ok(());
        }
        out.extend_from_slice(self.read(ptr, len)?);
        self.free.call(&mut self.store, (ptr, len))
    }

    fn read(&self, ptr: u32, len: u32) -> Result<&[u8]> {
        let start = ptr as usize;
        let memory = self.memory.data(&self.store);
        start
            .checked_add(len as usize)
            .and_then(|end| memory.get(start..end))
            .ok_or_else(|| {
                format_err!(
                    "output {ptr:#x}+{len} lies outside guest memory ({} bytes)",
                    memory.len()
                )
            })
    }

    /// Like WAMR's `wasm_runtime_validate_app_str_addr`: the string must end with a NUL
    /// inside guest memory. A null pointer is what Fluent Bit treats as "drop the record".
    fn read_c_string(&self, ptr: u32) -> Result<Vec<u8>> {
        if ptr == 0 {
            return Err(format_err!("cfecs_fluentbit returned a null pointer"));
        }
        let memory = self.memory.data(&self.store);
        let tail = memory.get(ptr as usize..).ok_or_else(|| {
            format_err!("cfecs_fluentbit returned {ptr:#x}, outside guest memory")
        })?;
        let len = tail.iter().position(|&byte| byte == 0).ok_or_else(|| {
            format_err!("cfecs_fluentbit's string at {ptr:#x} has no NUL inside guest memory")
        })?;
        Ok(tail[..len].to_vec())
    }
}

fn len_u32(bytes: &[u8]) -> Result<u32> {
    u32::try_from(bytes.len())
        .map_err(|_| format_err!("{} bytes do not fit a 32-bit guest", bytes.len()))
}
