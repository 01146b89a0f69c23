//! Shared ECS helpers: each a small pure module with its tests beside it.

pub mod dns;
pub mod domain;
pub mod ip;
pub mod protocol;
pub mod security;
pub mod time;
pub mod url;
pub mod user_agent;
