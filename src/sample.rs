//! Realistic records of any declared schema, made from its declaration: every field with a
//! value of its documented type, shaped by its name (IPs for `…IP`, host names for `…Host`,
//! one of Logpush's timestamp formats for time fields, ...). The bench and the fuzzers use
//! them, so a new dataset is benchmarked and fuzzed from its declaration alone; the core's
//! tests use them to check that every declared field is decided.
//!
//! Built only for tests and with the `sample` feature: none of it is in the module.

#![allow(clippy::indexing_slicing, reason = "test data made here, from constants: no input reaches it")]

use std::fmt::Write;

use crate::datasets::schema::{Declared, Kind, Schema};

/// SplitMix64: small, fast, and good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64().checked_rem(n).unwrap_or(0)
    }

    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len() as u64) as usize).copied().unwrap_or_default()
    }

    pub fn hex(&mut self, digits: usize) -> String {
        let mut out = String::with_capacity(digits + 16);
        while out.len() < digits {
            let _ = write!(out, "{:016x}", self.next_u64());
        }
        out.truncate(digits);
        out
    }

    pub fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-4{}-a{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..])
    }

    pub fn ipv4(&mut self) -> String {
        let n = self.next_u64();
        format!("{}.{}.{}.{}", 1 + (n & 0xff) % 222, (n >> 8) & 0xff, (n >> 16) & 0xff, 1 + (n >> 24) % 254)
    }

    /// Mostly IPv4, some IPv6, a few IPv4-mapped IPv6 (which the core unwraps).
    pub fn ip(&mut self) -> String {
        let n = self.next_u64();
        match n % 10 {
            0..=6 => self.ipv4(),
            7 | 8 => format!("2a06:98c0:{:x}:{:x}::{:x}", (n >> 8) & 0xfff, (n >> 20) & 0xffff, (n >> 36) & 0xffff),
            _ => format!("::ffff:{}", self.ipv4()),
        }
    }

    pub fn host(&mut self) -> String {
        let sub = self.pick(&["www", "api", "cdn", "shop", "static", "app", "m", "blog", "img.eu", "auth"]);
        let name = self.pick(&["example", "shop-example", "acme", "contoso", "globex", "initech", "umbrella", "hooli"]);
        let suffix = self.pick(&["com", "co.uk", "org", "io", "de", "fr", "com.au", "net", "dev", "app"]);
        format!("{sub}.{name}.{suffix}")
    }

    pub fn path(&mut self) -> String {
        let dir = self.pick(&["/", "/api/v2/", "/assets/", "/static/js/", "/products/", "/blog/2024/03/", "/cdn-cgi/"]);
        let file =
            self.pick(&["", "index.html", "app.min.js", "style.css", "orders", "logo.svg", "search", "item-48211"]);
        format!("{dir}{file}")
    }

    /// A time in March 2024 in `format`, as a JSON value, and the same time `later_nanos`
    /// later (a job writes every time field of a record in one format).
    pub fn times(&mut self, format: TimeFormat, later_nanos: u64) -> (String, String) {
        let secs = 1_709_251_200 + self.below(31 * 86_400);
        let nanos = self.below(1_000_000_000);
        let end = secs * 1_000_000_000 + nanos + later_nanos;
        (format.write(secs, nanos as u32), format.write(end / 1_000_000_000, (end % 1_000_000_000) as u32))
    }
}

/// Logpush's timestamp formats (`output_options.timestamp_format`), and `unix` as a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFormat {
    Rfc3339,
    Rfc3339Ms,
    Rfc3339Ns,
    Unix,
    UnixNano,
    UnixString,
}

impl TimeFormat {
    pub const ALL: [TimeFormat; 6] = [
        TimeFormat::Rfc3339,
        TimeFormat::Rfc3339Ms,
        TimeFormat::Rfc3339Ns,
        TimeFormat::Unix,
        TimeFormat::UnixNano,
        TimeFormat::UnixString,
    ];

    fn write(self, secs: u64, nanos: u32) -> String {
        match self {
            TimeFormat::Rfc3339 => format!("\"{}Z\"", civil(secs)),
            TimeFormat::Rfc3339Ms => format!("\"{}.{:03}Z\"", civil(secs), nanos / 1_000_000),
            TimeFormat::Rfc3339Ns => format!("\"{}.{nanos:09}Z\"", civil(secs)),
            TimeFormat::Unix => secs.to_string(),
            TimeFormat::UnixNano => format!("{secs}{nanos:09}"),
            TimeFormat::UnixString => format!("\"{secs}\""),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of Unix seconds (days to civil date: Howard Hinnant's algorithm).
fn civil(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}", rem / 3600, rem / 60 % 60, rem % 60)
}

/// `count` records of `schema`, deterministic for a `seed`.
pub fn records(schema: &Schema, count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..count).map(|_| record(schema, &mut rng, 10)).collect()
}

/// One record with every declared field in declaration order, `empty_percent` of them (time
/// fields aside) holding the empty value a job writes for a field with nothing to say.
pub fn record(schema: &Schema, rng: &mut Rng, empty_percent: u64) -> String {
    let format = TimeFormat::ALL[rng.below(TimeFormat::ALL.len() as u64) as usize];
    let mut out = String::from("{");
    for (i, field) in schema.fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let is_time = matches!(field.kind, Kind::Time | Kind::EpochMs | Kind::EpochNs);
        let value = if !is_time && rng.chance(empty_percent) {
            empty(field.kind).to_owned()
        } else {
            value(field, rng, format)
        };
        let _ = write!(out, "\"{}\":{value}", field.name);
    }
    out.push('}');
    out
}

/// The empty value of a kind, as Logpush writes it.
fn empty(kind: Kind) -> &'static str {
    match kind {
        Kind::Str => "\"\"",
        Kind::Int | Kind::Float | Kind::Time | Kind::EpochMs | Kind::EpochNs => "0",
        Kind::Bool => "false",
        Kind::Strs | Kind::Ints | Kind::Objects => "[]",
        Kind::Object => "{}",
    }
}

/// A realistic JSON value for `field`.
pub fn value(field: &Declared, rng: &mut Rng, format: TimeFormat) -> String {
    let name = field.name;
    match field.kind {
        Kind::Time => rng.times(format, 0).0,
        Kind::EpochMs => (1_709_251_200_000 + rng.below(31 * 86_400_000)).to_string(),
        Kind::EpochNs => (1_709_251_200_000_000_000 + rng.below(31 * 86_400_000_000_000)).to_string(),
        Kind::Bool => rng.chance(50).to_string(),
        Kind::Float => format!("{}.{}", rng.below(100), rng.below(100)),
        Kind::Int => int(name, rng).to_string(),
        Kind::Str => json_string(&text(name, rng)),
        Kind::Strs => {
            let items: Vec<String> = (0..rng.range(1, 3)).map(|_| json_string(&text(singular(name), rng))).collect();
            format!("[{}]", items.join(","))
        }
        Kind::Ints => format!("[{},{}]", int(singular(name), rng), int(singular(name), rng)),
        // Audit logs' `Metadata` names the zone the change was made in.
        Kind::Object if name == "Metadata" => {
            format!("{{\"zone_name\":\"{}\",\"zone_tag\":\"{}\"}}", rng.host(), rng.hex(32))
        }
        Kind::Object => {
            format!("{{\"id\":\"{}\",\"name\":\"{}\",\"count\":{}}}", rng.hex(8), rng.pick(WORDS), rng.below(50))
        }
        Kind::Objects => format!("[{{\"id\":\"{}\",\"name\":\"{}\"}}]", rng.hex(8), rng.pick(WORDS)),
    }
}

/// `SecurityActions` → `SecurityAction`, `ResolvedIPs` → `ResolvedIP`: the item of a list.
fn singular(name: &str) -> &str {
    name.strip_suffix("es").filter(|n| n.ends_with("Address")).or_else(|| name.strip_suffix('s')).unwrap_or(name)
}

fn int(name: &str, rng: &mut Rng) -> u64 {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("port") {
        rng.range(1024, 65_535)
    } else if lower.contains("status") || lower.ends_with("statuscode") {
        [200, 200, 304, 301, 404, 403, 500][rng.below(7) as usize]
    } else if lower == "querytype" || lower.ends_with("querytype") {
        [1, 28, 5, 15, 16, 65][rng.below(6) as usize]
    } else if lower.ends_with("responsecode") || lower == "rcode" {
        [0, 0, 0, 3, 2][rng.below(5) as usize]
    } else if lower.contains("asn") {
        [13335, 3215, 7922, 16509, 15169][rng.below(5) as usize]
    } else if lower.contains("score") {
        rng.range(1, 99)
    } else if lower.contains("bytes") || lower.contains("size") || lower.contains("length") {
        rng.range(40, 250_000)
    } else {
        rng.below(1000)
    }
}

fn text(name: &str, rng: &mut Rng) -> String {
    let lower = name.to_ascii_lowercase();
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
    if ends(&["ip", "ipaddress", "ipv4", "ipv6", "address", "addr"]) && !lower.contains("email") {
        rng.ip()
    } else if lower.contains("email") {
        format!("{}@{}", rng.pick(&["alice", "bob", "carol", "it-admin"]), rng.pick(&["example.com", "acme.io"]))
    } else if ends(&["latitude"]) {
        format!("{}.{:05}", rng.below(80), rng.below(100_000))
    } else if ends(&["longitude"]) {
        format!("-{}.{:04}", rng.below(170), rng.below(10_000))
    } else if ends(&["useragent"]) {
        rng.pick(USER_AGENTS).to_owned()
    } else if ends(&["url", "referer", "referrer"]) {
        format!("https://{}{}", rng.host(), rng.path())
    } else if ends(&["uri", "path"]) {
        rng.path()
    } else if ends(&["host", "domain", "hostname", "queryname", "sni", "fqdn", "zonename", "servername"]) {
        rng.host()
    } else if ends(&["method"]) {
        rng.pick(&["GET", "GET", "POST", "HEAD", "PUT"]).to_owned()
    } else if ends(&["scheme"]) {
        rng.pick(&["https", "https", "http"]).to_owned()
    } else if lower.contains("sslprotocol") || lower.contains("tlsversion") {
        rng.pick(&["TLSv1.3", "TLSv1.2"]).to_owned()
    } else if ends(&["protocol"]) {
        rng.pick(&["HTTP/1.1", "HTTP/2", "HTTP/3"]).to_owned()
    } else if ends(&["cipher"]) {
        rng.pick(&["AEAD-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"]).to_owned()
    } else if ends(&["country"]) {
        rng.pick(&["us", "fr", "de", "gb", "jp"]).to_owned()
    } else if ends(&["colocode", "colo"]) {
        rng.pick(&["CDG", "FRA", "LHR", "IAD", "SJC"]).to_owned()
    } else if ends(&["action"]) {
        rng.pick(&["block", "allow", "log", "managedChallenge", "skip"]).to_owned()
    } else if ends(&["sha256", "fingerprint"]) {
        rng.hex(64)
    } else if ends(&["hash", "ja3"]) {
        rng.hex(32)
    } else if ends(&["rayid"]) {
        rng.hex(16)
    } else if ends(&["id", "uid", "uuid"]) {
        rng.uuid()
    } else {
        format!("{}-{}", rng.pick(WORDS), rng.below(100))
    }
}

fn json_string(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    crate::json::write_str(&mut out, text);
    String::from_utf8(out).unwrap_or_default()
}

const WORDS: &[&str] = &["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];

const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.64 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "curl/8.4.0",
    "python-requests/2.31.0",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::SCHEMAS;

    #[test]
    fn every_schema_gives_json_objects_of_its_fields() {
        for schema in SCHEMAS {
            for record in records(schema, 20, 1) {
                let parsed: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(&record).unwrap_or_else(|e| panic!("{}: {e}: {record}", schema.name()));
                assert_eq!(parsed.len(), schema.fields.len(), "{}", schema.name());
            }
        }
    }

    #[test]
    fn every_schema_s_records_are_recognized_as_its_own() {
        for schema in SCHEMAS {
            for record in records(schema, 20, 2) {
                let fields = crate::record::parse_fields(&record).expect("an object");
                let detected = crate::detect::detect(&fields).map(|s| s.name());
                assert_eq!(detected, Some(schema.name()), "{record}");
            }
        }
    }

    #[test]
    fn time_formats() {
        let secs = 1_709_251_200 + 3_661;
        let written: Vec<String> = TimeFormat::ALL.iter().map(|f| f.write(secs, 5_000_000)).collect();
        assert_eq!(
            written,
            [
                "\"2024-03-01T01:01:01Z\"",
                "\"2024-03-01T01:01:01.005Z\"",
                "\"2024-03-01T01:01:01.005000000Z\"",
                "1709254861",
                "1709254861005000000",
                "\"1709254861\""
            ]
        );
    }
}
