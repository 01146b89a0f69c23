//! Every fixture through the raw module's `cfecs_transform`, one instance for the whole run.

use cloudflare_ecs_host_tests::{Mismatches, configure, instance, load_fixtures};

#[test]
fn every_fixture_through_cfecs_transform() {
    let mut normalizer = instance();
    let mut mismatches = Mismatches::new("cfecs_transform");
    for fixture in load_fixtures() {
        if let Some(options) = &fixture.options {
            configure(&mut normalizer, &fixture.name, options);
        }
        let document = normalizer
            .transform(&fixture.input)
            .unwrap_or_else(|error| panic!("{}: cfecs_transform failed: {error}", fixture.name));
        mismatches.check(&fixture.name, &fixture.expected, &document);
        if fixture.options.is_some() {
            configure(&mut normalizer, &fixture.name, "{}");
        }
    }
    mismatches.assert_all_match();
}
