//! The dataset from the tag: `cfecs_fluentbit` called the way Fluent Bit's filter_wasm calls
//! it, with tags that name a Logpush dataset in a dot-separated part (forced, as the `dataset`
//! option does), tags that do not (detection, or the configured options), and tag pointers
//! Fluent Bit passes when it could not copy the tag (no tag, never a trap).

use cloudflare_ecs::{Normalizer, Options};
use cloudflare_ecs_wasm_host::WasmNormalizer;
use cloudflare_ecs_host_tests::{configure, instance, module_path};
use serde_json::{Value, json};
use wasmtime::{Engine, Instance, Memory, Module, Store, TypedFunc};

/// An `http_requests` record that auto-detection cannot place: too few fields.
const HTTP_RECORD: &str = r#"{"ClientIP":"192.0.2.1","EdgeStartTimestamp":"2024-01-01T00:00:00Z","ClientRequestHost":"example.com"}"#;
/// A `dns_logs` record that auto-detection cannot place.
const DNS_RECORD: &str = r#"{"QueryName":"example.com.","Timestamp":"2024-01-01T00:00:00Z"}"#;

fn filter(normalizer: &mut WasmNormalizer, tag: &str, body: &str) -> Value {
    let output = normalizer
        .fluentbit(tag.as_bytes(), 1_700_000_000, 0, body.as_bytes())
        .unwrap_or_else(|e| panic!("tag {tag:?}: cfecs_fluentbit failed: {e}"));
    serde_json::from_slice(&output)
        .unwrap_or_else(|e| panic!("tag {tag:?}: output is not JSON ({e})"))
}

/// What the native core writes for `record` with `options` (JSON).
fn native(options: &str, record: &str) -> Value {
    let options = Options::from_json(options).expect("options");
    let document = Normalizer::new(options).normalize(record.as_bytes());
    serde_json::from_str(&document).expect("native output is JSON")
}

fn error_type(document: &Value) -> Option<&str> {
    document.pointer("/error/type").and_then(Value::as_str)
}

fn dataset(document: &Value) -> Option<&str> {
    document.pointer("/event/dataset").and_then(Value::as_str)
}

#[test]
fn a_tag_naming_a_dataset_forces_it() {
    let mut normalizer = instance();
    let document = filter(&mut normalizer, "cloudflare.http_requests", HTTP_RECORD);
    let expected = json!({
        "@timestamp": "2024-01-01T00:00:00Z",
        "client": {"address": "192.0.2.1", "ip": "192.0.2.1"},
        "destination": {
            "address": "example.com",
            "domain": "example.com",
            "registered_domain": "example.com",
            "top_level_domain": "com"
        },
        "event": {
            "category": ["network", "web"],
            "dataset": "http_requests",
            "kind": "event",
            "start": "2024-01-01T00:00:00Z",
            "type": ["access"]
        },
        "message": HTTP_RECORD,
        "observer": {"type": "proxy", "vendor": "Cloudflare"},
        "related": {"hosts": ["example.com"], "ip": ["192.0.2.1"]},
        "source": {"address": "192.0.2.1", "ip": "192.0.2.1"},
        "url": {
            "domain": "example.com",
            "registered_domain": "example.com",
            "top_level_domain": "com"
        }
    });
    assert_eq!(document, expected);
    // The same document as the `dataset` option gives.
    assert_eq!(
        document,
        native(r#"{"dataset":"http_requests"}"#, HTTP_RECORD)
    );

    // As `tail` delivers it: the line inside `log`.
    let envelope = json!({ "log": HTTP_RECORD }).to_string();
    let document = filter(&mut normalizer, "cloudflare.http_requests", &envelope);
    assert_eq!(document, expected, "in a {{\"log\": ...}} envelope");
}

#[test]
fn the_dataset_may_be_any_part_of_the_tag() {
    let mut normalizer = instance();
    for tag in [
        "logpush.dns_logs.zone-a",
        "dns_logs",
        "dns_logs.cloudflare",
        "a.b.c.dns_logs",
    ] {
        let document = filter(&mut normalizer, tag, DNS_RECORD);
        assert_eq!(dataset(&document), Some("dns_logs"), "{tag}: {document}");
        assert_eq!(
            document.pointer("/dns/question/name"),
            Some(&json!("example.com")),
            "{tag}: {document}"
        );
        assert_eq!(
            document,
            native(r#"{"dataset":"dns_logs"}"#, DNS_RECORD),
            "{tag}"
        );
    }
}

#[test]
fn a_tag_naming_no_dataset_leaves_detection_to_run() {
    let mut normalizer = instance();
    for tag in [
        "cloudflare.logs",
        "cloudflare.http_requests_old",
        "cloudflare.old_http_requests",
        "cloudflare.HTTP_REQUESTS",
        "cloudflare.http_requests-zone-a",
        "cloudflare-http_requests",
        "cloudflare.auto",
        "",
        ".",
    ] {
        let document = filter(&mut normalizer, tag, HTTP_RECORD);
        assert_eq!(
            error_type(&document),
            Some("unknown_dataset"),
            "{tag:?}: {document}"
        );
        assert_eq!(document, native("{}", HTTP_RECORD), "{tag:?}");
    }
    // Records detection can place: every fixture, under `cloudflare.logpush` (fluentbit.rs).
}

#[test]
fn the_tag_overrides_the_configured_dataset_and_keeps_the_other_options() {
    let mut normalizer = instance();
    // The forced normalizer of a tag is made from the options in force.
    let document = filter(&mut normalizer, "cloudflare.http_requests", HTTP_RECORD);
    assert!(document.get("message").is_some(), "{document}");
    configure(
        &mut normalizer,
        "keep_message false, dataset dns_logs",
        r#"{"keep_message":false,"dataset":"dns_logs"}"#,
    );
    let document = filter(&mut normalizer, "cloudflare.http_requests", HTTP_RECORD);
    assert_eq!(dataset(&document), Some("http_requests"), "{document}");
    assert_eq!(
        document.get("message"),
        None,
        "keep_message applies: {document}"
    );
    // Without a dataset in the tag, the configured one applies.
    let document = filter(&mut normalizer, "cloudflare.logs", DNS_RECORD);
    assert_eq!(dataset(&document), Some("dns_logs"), "{document}");
    assert_eq!(document.get("message"), None, "{document}");
}

#[test]
fn records_of_alternating_tags_each_get_their_own() {
    let mut normalizer = instance();
    let cases = [
        (
            "cloudflare.http_requests",
            HTTP_RECORD,
            Some("http_requests"),
        ),
        ("cloudflare.logs", HTTP_RECORD, None),
        ("logpush.dns_logs.zone-a", DNS_RECORD, Some("dns_logs")),
        (
            "cloudflare.http_requests",
            DNS_RECORD,
            Some("http_requests"),
        ),
        ("", DNS_RECORD, None),
    ];
    for round in 0..3 {
        for (tag, record, forced) in cases {
            let document = filter(&mut normalizer, tag, record);
            match forced {
                Some(name) => assert_eq!(dataset(&document), Some(name), "round {round}, {tag:?}"),
                None => assert_eq!(
                    error_type(&document),
                    Some("unknown_dataset"),
                    "round {round}, {tag:?}"
                ),
            }
        }
    }
}

#[test]
fn changing_tags_do_not_grow_memory() {
    let mut normalizer = instance();
    let tags = [
        "cloudflare.http_requests",
        "cloudflare.logs",
        "logpush.dns_logs.zone-a",
        "logpush.firewall_events.a-much-longer-zone-name-than-the-others",
    ];
    let mut warmed_size = 0;
    for call in 0..10_000 {
        if call == 100 {
            warmed_size = normalizer.memory_size_bytes();
        }
        let tag = tags[call % tags.len()];
        let document = filter(&mut normalizer, tag, HTTP_RECORD);
        assert!(document.is_object(), "call {call}");
    }
    assert_eq!(normalizer.memory_size_bytes(), warmed_size);
}

/// The module with `cfecs_fluentbit` called directly, so that the tag argument can be any
/// pointer and length (the reference host only passes tags it copied in).
struct RawFilter {
    store: Store<()>,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
    fluentbit: TypedFunc<(u32, u32, u32, u32, u32, u32), u32>,
}

impl RawFilter {
    fn new() -> Self {
        let engine = Engine::default();
        let module = Module::from_file(&engine, module_path()).expect("load the module");
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).expect("instantiate");
        RawFilter {
            memory: instance.get_memory(&mut store, "memory").expect("memory"),
            alloc: instance
                .get_typed_func(&mut store, "cfecs_alloc")
                .expect("cfecs_alloc"),
            free: instance
                .get_typed_func(&mut store, "cfecs_free")
                .expect("cfecs_free"),
            fluentbit: instance
                .get_typed_func(&mut store, "cfecs_fluentbit")
                .expect("cfecs_fluentbit"),
            store,
        }
    }

    /// `bytes` and a NUL copied into a fresh guest buffer, as Fluent Bit copies its arguments.
    fn copy_in(&mut self, bytes: &[u8]) -> (u32, u32) {
        let allocated = bytes.len() as u32 + 1;
        let ptr = self
            .alloc
            .call(&mut self.store, allocated)
            .expect("cfecs_alloc");
        assert_ne!(ptr, 0, "cfecs_alloc({allocated})");
        let data = self.memory.data_mut(&mut self.store);
        data[ptr as usize..][..bytes.len()].copy_from_slice(bytes);
        data[ptr as usize + bytes.len()] = 0;
        (ptr, allocated)
    }

    /// Calls the filter with this tag argument and `record` copied in; the returned document.
    fn call(&mut self, tag_ptr: u32, tag_len: u32, record: &str) -> Value {
        let (record_ptr, allocated) = self.copy_in(record.as_bytes());
        let result = self.fluentbit.call(
            &mut self.store,
            (tag_ptr, tag_len, 0, 0, record_ptr, record.len() as u32),
        );
        let ptr = result.unwrap_or_else(|e| panic!("tag ({tag_ptr:#x}, {tag_len}) trapped: {e}"));
        let data = self.memory.data(&self.store);
        let output = &data[ptr as usize..];
        let end = output.iter().position(|&b| b == 0).expect("NUL-terminated");
        let document = serde_json::from_slice(&output[..end]).expect("output is JSON");
        self.free
            .call(&mut self.store, (record_ptr, allocated))
            .expect("cfecs_free");
        document
    }

    fn call_with_tag(&mut self, tag: &str, record: &str) -> Value {
        let (tag_ptr, allocated) = self.copy_in(tag.as_bytes());
        let document = self.call(tag_ptr, tag.len() as u32, record);
        self.free
            .call(&mut self.store, (tag_ptr, allocated))
            .expect("cfecs_free");
        document
    }
}

#[test]
fn a_tag_outside_memory_is_no_tag() {
    let mut filter = RawFilter::new();
    let memory = filter.memory.data_size(&filter.store) as u32;
    let tag = "cloudflare.http_requests";
    let tag_len = tag.len() as u32;
    let no_tag = native("{}", HTTP_RECORD);
    assert_eq!(error_type(&no_tag), Some("unknown_dataset"));
    let forced = native(r#"{"dataset":"http_requests"}"#, HTTP_RECORD);
    for (tag_ptr, len) in [
        // What Fluent Bit passes when it could not copy the tag into the heap.
        (0, tag_len),
        (0, 0),
        (memory - 4, tag_len),
        (memory, 1),
        (u32::MAX - 10, 100),
        (1, u32::MAX),
        (u32::MAX, u32::MAX),
    ] {
        // After a forced record, so that the tag's normalizer is not the one left in place.
        assert_eq!(filter.call_with_tag(tag, HTTP_RECORD), forced);
        assert_eq!(
            filter.call(tag_ptr, len, HTTP_RECORD),
            no_tag,
            "tag ({tag_ptr:#x}, {len})"
        );
    }
    // The instance still reads good tags.
    assert_eq!(filter.call_with_tag(tag, HTTP_RECORD), forced);
    assert_eq!(filter.call_with_tag("cloudflare.logs", HTTP_RECORD), no_tag);
}
