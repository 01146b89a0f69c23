//! Structure-aware Cloudflare-like records (see `generate.rs`) with random options, through
//! `normalize` (twice: deterministic) and, joined into NDJSON, through `normalize_batch`.

#![no_main]

use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_fuzz::generate::Scenario;
use cloudflare_ecs_fuzz::{check_batch, check_single};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|scenario: Scenario| {
    let (options_json, keep_message) = scenario.options.to_json();
    let options =
        Options::from_json(&options_json).unwrap_or_else(|e| panic!("valid options {options_json} rejected: {e}"));
    assert_eq!(options.keep_message, keep_message, "{options_json}");
    let normalizer = Normalizer::new(options);
    let records = scenario.records();
    for record in &records {
        check_single(&normalizer, record);
    }
    let batch = Scenario::batch(&records, &scenario.separators);
    check_batch(&normalizer, &batch);
});
