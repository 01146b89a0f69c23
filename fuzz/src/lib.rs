//! The structure-aware record generator of the fuzz targets. The invariants they check are the
//! host tests' (`cloudflare_ecs_host_tests::invariants`, re-exported here); beyond those, no
//! panic, trap, hang or unbounded allocation.

pub mod generate;
pub mod keys;

pub use cloudflare_ecs_host_tests::invariants::*;

/// The value kind a dataset's field table documents for a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Bool,
    Float,
    Obj,
    /// `int or string`: a timestamp in the job's format.
    Time,
    IntArr,
    StrArr,
    ObjArr,
}
