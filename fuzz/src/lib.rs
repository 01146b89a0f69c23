//! The structure-aware record generator of the fuzz targets: Cloudflare-like records built
//! from the declared schemas' keys and kinds (`cloudflare_ecs::SCHEMAS`). The invariants they check are the
//! host tests' (`cloudflare_ecs_host_tests::invariants`, re-exported here); beyond those, no
//! panic, trap, hang or unbounded allocation.

pub mod generate;

pub use cloudflare_ecs_host_tests::invariants::*;
