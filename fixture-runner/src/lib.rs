//! The golden fixtures: `fixtures/<dataset>/<case>.input` → `<case>.expected.json` (with an
//! optional `<case>.options.json`), loaded and compared here for every host that runs them
//! (natively here, through the module in `host-tests/`).

mod compare;
pub mod conformance;
mod ecs_fields;
mod fixtures;
pub mod template;

pub use compare::Mismatches;
pub use ecs_fields::{ECS_VERSION, ecs_types, ecs_violations};
pub use fixtures::{Fixture, fixtures_dir, load_bad_inputs, load_fixtures, options_of};
