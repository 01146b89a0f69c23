//! Every fixture through the core crate, natively (no WebAssembly).

use cloudflare_ecs::Normalizer;
use cloudflare_ecs_fixtures::{Mismatches, load_fixtures};

#[test]
fn every_fixture_normalizes_natively() {
    let mut mismatches = Mismatches::new("native Normalizer::normalize");
    for fixture in load_fixtures() {
        let document = Normalizer::new(fixture.options()).normalize(&fixture.input);
        mismatches.check(&fixture.name, &fixture.expected, document.as_bytes());
    }
    mismatches.assert_all_match();
}
