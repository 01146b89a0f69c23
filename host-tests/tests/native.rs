//! Every fixture through the core crate, natively (no WebAssembly).

use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_host_tests::{Mismatches, load_fixtures};

#[test]
fn every_fixture_normalizes_natively() {
    let mut mismatches = Mismatches::new("native Normalizer::normalize");
    for fixture in load_fixtures() {
        let options = match &fixture.options {
            Some(text) => Options::from_json(text)
                .unwrap_or_else(|error| panic!("{}: options rejected: {error}", fixture.name)),
            None => Options::default(),
        };
        let document = Normalizer::new(options).normalize(&fixture.input);
        mismatches.check(&fixture.name, &fixture.expected, document.as_bytes());
    }
    mismatches.assert_all_match();
}
