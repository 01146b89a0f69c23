//! The reference wasmtime host of `cloudflare_ecs.wasm`, shared by the `cloudflare-ecs` CLI
//! and the host tests.

pub mod input;
pub mod pipeline;
pub mod summary;
pub mod wasm;

pub use pipeline::{Pipeline, PipelineError};
pub use summary::Summary;
pub use wasm::{WasmModule, WasmNormalizer};
