//! Shared helpers of the host tests: fixtures, document comparison, the invariants every
//! document keeps (also checked by the fuzz targets), and the module under test.

pub mod invariants;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cloudflare_ecs_wasm_host::{WasmModule, WasmNormalizer};

pub use cloudflare_ecs_fixtures::{Fixture, Mismatches, load_bad_inputs, load_fixtures};

/// `dist/cloudflare_ecs.wasm`, the module under test.
pub fn module_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/cloudflare_ecs.wasm")
}

/// The raw module, compiled once per test binary (compiling takes seconds; instances don't).
pub fn wasm_module() -> &'static WasmModule {
    static MODULE: OnceLock<WasmModule> = OnceLock::new();
    MODULE.get_or_init(|| {
        WasmModule::from_file(module_path())
            .unwrap_or_else(|error| panic!("{error} (build it first: ./build.sh)"))
    })
}

/// A fresh instance of the module with default options.
pub fn instance() -> WasmNormalizer {
    wasm_module().instantiate().expect("instantiate the module")
}

/// Configures `options`, panicking with the module's error document if it is rejected.
pub fn configure(normalizer: &mut WasmNormalizer, case: &str, options: &str) {
    match normalizer.configure(options).expect("cfecs_configure") {
        Ok(()) => {}
        Err(error_document) => panic!("{case}: options {options} rejected: {error_document}"),
    }
}
