//! Host surfaces. Each only converts bytes to calls into the core and back.

#[cfg(target_arch = "wasm32")]
mod raw;
#[cfg(feature = "js")]
mod js;
