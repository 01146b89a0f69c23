//! The `cloudflare-ecs` command line as a library: inputs (files, directories, patterns,
//! stdin; plain or gzip), the multi-threaded pipeline through the native core, outputs
//! (stdout or one file per input), the tally and the progress line.

// As in the core: no panic reachable from input or the environment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]

pub mod input;
pub mod inputs;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod summary;

pub use inputs::{Input, Source};
pub use pipeline::{Config, Output, Report};
pub use progress::Progress;
pub use summary::Summary;
