//! The host against a hand-assembled module that breaks the ABI's promises: every bad pointer
//! or length it returns must come back as an `Err`, never a panic or an out-of-bounds read.

use cloudflare_ecs_wasm_host::WasmModule;

const PAGE: u32 = 65_536;
/// Where the module's data segment puts bytes with no NUL after them, up to the memory's end.
const UNTERMINATED_AT: u32 = PAGE - 3;

const I32: u8 = 0x7f;
const I64: u8 = 0x7e;

fn leb_u32(mut value: u32, out: &mut Vec<u8>) {
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

fn leb_i64(mut value: i64, out: &mut Vec<u8>) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        let done = (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0);
        out.push(if done { byte } else { byte | 0x80 });
        if done {
            return;
        }
    }
}

fn section(id: u8, items: &[Vec<u8>], out: &mut Vec<u8>) {
    let mut content = Vec::new();
    leb_u32(items.len() as u32, &mut content);
    items
        .iter()
        .for_each(|item| content.extend_from_slice(item));
    out.push(id);
    leb_u32(content.len() as u32, out);
    out.extend_from_slice(&content);
}

fn name(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    leb_u32(text.len() as u32, &mut out);
    out.extend_from_slice(text.as_bytes());
    out
}

fn i32_const(value: u32) -> Vec<u8> {
    let mut out = vec![0x41];
    leb_i64(i64::from(value as i32), &mut out);
    out
}

fn i64_const(packed: u64) -> Vec<u8> {
    let mut out = vec![0x42];
    leb_i64(packed as i64, &mut out);
    out
}

fn packed(ptr: u32, len: u32) -> u64 {
    (u64::from(ptr) << 32) | u64::from(len)
}

type Function = (&'static str, &'static [u8], &'static [u8], Vec<u8>);

/// One page of memory and the ABI's exports, each returning a bad value; `cfecs_fluentbit`
/// returns its `time_sec` argument as the pointer, so each test picks its own bad pointer.
fn misbehaving_module() -> Vec<u8> {
    // (export name, parameter types, result types, body code)
    let functions: [Function; 8] = [
        ("cfecs_abi_version", &[], &[I32], i32_const(1)),
        ("cfecs_alloc", &[I32], &[I32], i32_const(1024)),
        ("cfecs_free", &[I32, I32], &[], Vec::new()),
        ("cfecs_configure", &[I32, I32], &[I32], i32_const(1)),
        ("cfecs_last_error", &[], &[I64], i64_const(packed(PAGE, 1))),
        (
            "cfecs_transform",
            &[I32, I32],
            &[I64],
            i64_const(packed(0xffff_0000, 16)),
        ),
        (
            "cfecs_transform_batch",
            &[I32, I32],
            &[I64],
            i64_const(packed(PAGE - 6, 100)),
        ),
        ("cfecs_fluentbit", &[I32; 6], &[I32], vec![0x20, 2]), // local.get 2
    ];
    let mut types = Vec::new();
    let mut indices = Vec::new();
    let mut exports = vec![[name("memory"), vec![0x02, 0x00]].concat()];
    let mut bodies = Vec::new();
    for (index, (export, params, results, code)) in functions.iter().enumerate() {
        types.push(
            [
                &[0x60, params.len() as u8],
                *params,
                &[results.len() as u8],
                *results,
            ]
            .concat(),
        );
        indices.push(vec![index as u8]);
        exports.push([name(export), vec![0x00, index as u8]].concat());
        let body = [&[0x00][..], code, &[0x0b]].concat(); // no locals, code, end
        bodies.push([vec![body.len() as u8], body].concat());
    }
    let data = [&[0x00][..], &i32_const(UNTERMINATED_AT), &[0x0b, 3], b"xyz"].concat();

    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    section(1, &types, &mut wasm);
    section(3, &indices, &mut wasm);
    section(5, &[vec![0x00, 0x01]], &mut wasm); // memory: min 1 page, no max
    section(7, &exports, &mut wasm);
    section(10, &bodies, &mut wasm);
    section(11, &[data], &mut wasm);
    wasm
}

#[test]
fn the_test_module_is_what_the_host_expects() {
    let module = WasmModule::from_bytes(&misbehaving_module()).expect("a valid module");
    assert_eq!(module.import_count(), 0);
    let exports = module.exports();
    assert!(
        exports.contains(&(
            "cfecs_fluentbit".into(),
            "(i32, i32, i32, i32, i32, i32) -> i32".into()
        )),
        "{exports:?}"
    );
    assert!(
        exports.contains(&("cfecs_free".into(), "(i32, i32)".into())),
        "{exports:?}"
    );
    assert!(
        exports.contains(&("memory".into(), "memory".into())),
        "{exports:?}"
    );
    let mut normalizer = module.instantiate().expect("instantiate");
    assert_eq!(normalizer.abi_version().expect("abi version"), 1);
    assert_eq!(normalizer.memory_size_bytes(), PAGE as usize);
}

#[test]
fn bad_output_pointers_are_errors() {
    let module = WasmModule::from_bytes(&misbehaving_module()).expect("a valid module");
    let mut normalizer = module.instantiate().expect("instantiate");
    let error = normalizer
        .transform(b"{}")
        .expect_err("pointer past the memory");
    assert!(
        error.to_string().contains("outside guest memory"),
        "{error}"
    );
    let error = normalizer
        .transform_batch(b"{}\n")
        .expect_err("output straddling the memory's end");
    assert!(
        error.to_string().contains("outside guest memory"),
        "{error}"
    );
    let error = normalizer
        .configure("{}")
        .expect_err("error document outside the memory");
    assert!(
        error.to_string().contains("outside guest memory"),
        "{error}"
    );
}

#[test]
fn bad_fluent_bit_strings_are_errors() {
    let module = WasmModule::from_bytes(&misbehaving_module()).expect("a valid module");
    let mut normalizer = module.instantiate().expect("instantiate");
    for (returned, why) in [
        (0, "null pointer"),
        (PAGE + 10, "outside guest memory"),
        (UNTERMINATED_AT, "no NUL"),
    ] {
        let error = normalizer
            .fluentbit(b"tag", returned, 0, b"{}")
            .expect_err(why);
        assert!(error.to_string().contains(why), "{error}");
    }
    // A pointer to a NUL is the empty string, Fluent Bit's "drop this record".
    assert_eq!(
        normalizer
            .fluentbit(b"tag", 16, 0, b"{}")
            .expect("empty string"),
        b""
    );
}
