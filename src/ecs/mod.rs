//! Shared ECS helpers: each a small pure module with its tests beside it.

pub mod dns;
pub mod domain;
pub mod ip;
pub mod time;
