//! Arbitrary bytes through the native core: `normalize` (one record) and `normalize_batch`
//! (NDJSON), with the default options and with a tiny `max_record_bytes`.
//!
//! The first byte picks the options; the rest is the input.

#![no_main]

use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_fuzz::{check_batch, check_single};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    let defaults = Options::default();
    let options = match selector % 8 {
        0..=3 => defaults,
        // 1 to 32 bytes: most records are too large, some lines of a batch are not.
        4 => Options { max_record_bytes: 1 + usize::from(selector / 8), ..defaults },
        5 => Options { keep_message: false, ..defaults },
        6 => Options { dataset: Some("dns_logs".to_owned()), ..defaults },
        _ => Options { dataset: Some("audit_logs".to_owned()), max_record_bytes: 64, ..defaults },
    };
    let normalizer = Normalizer::new(options);
    check_single(&normalizer, input);
    check_batch(&normalizer, input);
});
