//! Synthetic Logpush records, one generator per dataset the core maps.
//!
//! Records follow Cloudflare's field lists and value shapes (see the fixtures) and vary from
//! record to record: addresses (IPv4, IPv6, IPv4-mapped), hosts under several public
//! suffixes, user agents, methods, statuses, and timestamps in every Logpush format (RFC 3339
//! with 0, 3 or 9 fractional digits, Unix seconds, Unix nanoseconds, and integers written as
//! strings). Generation is deterministic: the same seed gives the same bytes.

use std::fmt::Write;

/// The datasets with an ECS mapping, in report order; `http_requests` is the main workload.
pub const DATASETS: [&str; 5] = ["dns_logs", "audit_logs", "access_requests", "http_requests", "firewall_events"];

/// `count` NDJSON lines of `dataset` (no trailing newlines), or `None` for an unknown name.
pub fn records(dataset: &str, count: usize, seed: u64) -> Option<Vec<String>> {
    let generate: fn(&mut Rng) -> String = match dataset {
        "dns_logs" => dns_logs,
        "audit_logs" => audit_logs,
        "access_requests" => access_requests,
        "http_requests" => http_requests,
        "firewall_events" => firewall_events,
        _ => return None,
    };
    let mut rng = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
    Some((0..count).map(|_| generate(&mut rng)).collect())
}

/// SplitMix64: small, fast, and good enough for test data.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn hex(&mut self, digits: usize) -> String {
        let mut out = String::with_capacity(digits);
        while out.len() < digits {
            let _ = write!(out, "{:016x}", self.next());
        }
        out.truncate(digits);
        out
    }

    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-4{}-{}-{}", &h[..8], &h[8..12], &h[13..16], &h[16..20], &h[20..])
    }

    fn ipv4(&mut self) -> String {
        let n = self.next();
        format!("{}.{}.{}.{}", 1 + (n & 0xff) % 222, (n >> 8) & 0xff, (n >> 16) & 0xff, 1 + (n >> 24) % 254)
    }

    fn ipv6(&mut self) -> String {
        let n = self.next();
        format!("2a06:98c0:{:x}:{:x}::{:x}:{:x}", n & 0xfff, (n >> 12) & 0xffff, (n >> 28) & 0xffff, (n >> 44) & 0xffff)
    }

    /// Mostly IPv4, some IPv6, a few IPv4-mapped IPv6 (which the core unwraps).
    fn ip(&mut self) -> String {
        match self.below(10) {
            0..=6 => self.ipv4(),
            7 | 8 => self.ipv6(),
            _ => format!("::ffff:{}", self.ipv4()),
        }
    }

    fn host(&mut self) -> String {
        let sub = self.pick(&["www", "api", "cdn", "shop", "static", "app", "m", "blog", "img.eu", "auth"]);
        let name = self.pick(&["example", "shop-example", "acme", "contoso", "globex", "initech", "umbrella", "hooli"]);
        let suffix = self.pick(&["com", "co.uk", "org", "io", "de", "fr", "com.au", "net", "dev", "app"]);
        format!("{sub}.{name}.{suffix}")
    }

    fn path(&mut self) -> String {
        let dir = self.pick(&["/", "/api/v2/", "/assets/", "/static/js/", "/products/", "/blog/2024/03/", "/cdn-cgi/"]);
        let file = self.pick(&["", "index.html", "app.min.js", "style.css", "orders", "logo.svg", "search", "item-48211", "story.html"]);
        format!("{dir}{file}")
    }

    fn user_agent(&mut self) -> &'static str {
        self.pick(USER_AGENTS)
    }

    fn ray_id(&mut self) -> String {
        self.hex(16)
    }

    /// A time in March 2024, in one of Logpush's timestamp formats, as a JSON value.
    fn timestamp(&mut self) -> String {
        self.timestamps(0).0
    }

    /// A start time and an end time up to `max_nanos` later, in the same format (a Logpush
    /// job picks one for every field), as JSON values.
    fn timestamps(&mut self, max_nanos: u64) -> (String, String) {
        let secs = 1_709_251_200 + self.below(31 * 86_400);
        let nanos = self.below(1_000_000_000);
        let end = secs * 1_000_000_000 + nanos + self.below(max_nanos + 1);
        let format = self.below(6);
        (format_time(format, secs, nanos as u32), format_time(format, end / 1_000_000_000, (end % 1_000_000_000) as u32))
    }
}

/// Logpush's `rfc3339`, `rfc3339ms`, `rfc3339ns`, `unix`, `unixnano`, and `unix` as a string.
fn format_time(format: u64, secs: u64, nanos: u32) -> String {
    match format {
        0 => format!("\"{}Z\"", rfc3339(secs)),
        1 => format!("\"{}.{:03}Z\"", rfc3339(secs), nanos / 1_000_000),
        2 => format!("\"{}.{nanos:09}Z\"", rfc3339(secs)),
        3 => secs.to_string(),
        4 => format!("{secs}{nanos:09}"),
            _ => format!("\"{secs}\""),
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of Unix seconds (days to civil date: Howard Hinnant's algorithm).
fn rfc3339(secs: u64) -> String {
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

const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.64 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.66",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.4.0",
    "python-requests/2.31.0",
    "okhttp/4.12.0",
];

const COLOS: &[&str] = &["CDG", "FRA", "LHR", "AMS", "IAD", "SJC", "NRT", "SIN", "DEN", "OTP"];
const COUNTRIES: &[&str] = &["fr", "de", "gb", "nl", "us", "jp", "sg", "br", "in", "ro"];

/// `dns_logs`: the authoritative DNS log, ~190 bytes.
fn dns_logs(rng: &mut Rng) -> String {
    let time = rng.timestamp();
    let name = rng.host();
    let mut out = format!("{{\"ColoCode\":\"{}\"", rng.pick(COLOS));
    if rng.chance(30) {
        let _ = write!(out, ",\"EDNSSubnet\":\"{}\",\"EDNSSubnetLength\":24", rng.ipv4());
    }
    let _ = write!(
        out,
        ",\"QueryName\":\"{name}.\",\"QueryType\":{},\"ResponseCached\":{},\"ResponseCode\":{},\"SourceIP\":\"{}\",\"Timestamp\":{time}}}",
        [1, 28, 5, 15, 16, 65, 2, 6][rng.below(8) as usize],
        rng.chance(60),
        [0, 0, 0, 0, 3, 2][rng.below(6) as usize],
        rng.ip(),
    );
    out
}

/// `audit_logs` (Logpush): account changes with metadata and before/after values, ~710 bytes.
fn audit_logs(rng: &mut Rng) -> String {
    let time = rng.timestamp();
    let resource = rng.pick(&["gateway.location", "dns_record", "gateway.rule", "zone.settings", "account.member"]);
    let action = rng.pick(&["update", "create", "delete", "login", "rotate"]);
    let user = rng.pick(&["alice", "bob", "carol", "dave", "erin"]);
    format!(
        concat!(
            "{{\"ActionResult\":{},\"ActionType\":\"{}\",\"ActorEmail\":\"{}@{}\",\"ActorID\":\"{}\",\"ActorIP\":\"{}\",",
            "\"ActorType\":\"user\",\"ID\":\"{}\",\"Interface\":\"{}\",",
            "\"Metadata\":{{\"zone_name\":\"{}\",\"zone_tag\":\"{}\",\"Request\":{{\"client_default\":false,\"name\":\"Office {}\",",
            "\"networks\":[{{\"network\":\"{}/24\"}}],\"linked_policies\":null}},\"action_detail\":\"{} {}\"}},",
            "\"NewValue\":{{\"name\":\"Office {}\",\"enabled\":true}},\"OldValue\":{{\"name\":\"Office {}\",\"enabled\":false}},",
            "\"OwnerID\":\"{}\",\"ResourceID\":\"{}\",\"ResourceType\":\"{}\",\"When\":{}}}"
        ),
        rng.chance(90),
        action,
        user,
        rng.pick(&["example.com", "acme.io", "globex.co.uk"]),
        rng.hex(32),
        rng.ip(),
        rng.uuid(),
        rng.pick(&["API", "UI"]),
        rng.host(),
        rng.hex(32),
        rng.below(100),
        rng.ipv4(),
        action,
        resource,
        rng.below(100),
        rng.below(100),
        rng.hex(32),
        rng.hex(32),
        resource,
        time,
    )
}

/// `access_requests`: Zero Trust Access logins, ~500 bytes.
fn access_requests(rng: &mut Rng) -> String {
    let time = rng.timestamp();
    let allowed = rng.chance(85);
    let action = rng.pick(&["login", "logout", "sso", ""]);
    let user = rng.pick(&["alice", "bob", "carol", "dave", "erin"]);
    format!(
        concat!(
            "{{\"Action\":\"{}\",\"Allowed\":{},\"AppDomain\":\"{}{}\",\"AppUUID\":\"{}\",\"Connection\":\"{}\",",
            "\"Country\":\"{}\",\"CreatedAt\":{},\"Email\":\"{}@example.com\",\"IPAddress\":\"{}\",",
            "\"PurposeJustificationPrompt\":\"{}\",\"PurposeJustificationResponse\":\"{}\",\"RayID\":\"{}\",",
            "\"TemporaryAccessApprovers\":[{}],\"TemporaryAccessDuration\":{},\"UserUID\":\"{}\"}}"
        ),
        action,
        allowed,
        rng.host(),
        rng.pick(&["", "/admin", "/cdn-cgi/access/sso/saml/c4d0a525391e32821996da07ec86781977836c14341048dd16c4bb8173741238"]),
        rng.uuid(),
        rng.pick(&["github", "onetimepin", "azureAD", "okta", "google"]),
        rng.pick(COUNTRIES),
        time,
        user,
        rng.ip(),
        rng.pick(&["", "Why do you need access?"]),
        rng.pick(&["", "incident 4711", "on-call rotation"]),
        rng.ray_id(),
        if rng.chance(20) { "\"lead@example.com\"" } else { "" },
        [0, 0, 3600, 86_400][rng.below(4) as usize],
        rng.uuid(),
    )
}

/// `http_requests`: 44 fields, ~1.4 KB, as a typical Logpush job selects them.
fn http_requests(rng: &mut Rng) -> String {
    let (start, end) = rng.timestamps(900_000_000);
    let host = rng.host();
    let path = rng.path();
    let query = match rng.below(4) {
        0 => String::new(),
        1 => format!("?v={}", rng.hex(6)),
        2 => format!("?q=shoes&page={}&utm_source=newsletter", rng.below(20)),
        _ => format!("?id={}&sort=price_desc", rng.below(100_000)),
    };
    let status = [200, 200, 200, 200, 304, 301, 404, 403, 500, 206][rng.below(10) as usize];
    let (action, rule_id) = match status {
        403 => (rng.pick(&["block", "managedChallenge", "jschallenge"]), rng.hex(32)),
        _ => ("", String::new()),
    };
    let response_bytes = rng.range(300, 250_000);
    let scheme = if rng.chance(95) { "https" } else { "http" };
    format!(
        concat!(
            "{{\"BotScore\":{},\"BotScoreSrc\":\"{}\",\"BotTags\":[{}],\"CacheCacheStatus\":\"{}\",\"CacheResponseBytes\":{},",
            "\"ClientASN\":{},\"ClientCountry\":\"{}\",\"ClientDeviceType\":\"{}\",\"ClientIP\":\"{}\",",
            "\"ClientRequestBytes\":{},\"ClientRequestHost\":\"{}\",\"ClientRequestMethod\":\"{}\",",
            "\"ClientRequestPath\":\"{}\",\"ClientRequestProtocol\":\"{}\",\"ClientRequestReferer\":\"{}\",",
            "\"ClientRequestScheme\":\"{}\",\"ClientRequestSource\":\"eyeball\",\"ClientRequestURI\":\"{}{}\",",
            "\"ClientRequestUserAgent\":\"{}\",\"ClientSSLCipher\":\"{}\",\"ClientSSLProtocol\":\"{}\",\"ClientSrcPort\":{},",
            "\"ClientXRequestedWith\":\"\",\"EdgeColoCode\":\"{}\",\"EdgeColoID\":{},\"EdgeEndTimestamp\":{},",
            "\"EdgePathingOp\":\"wl\",\"EdgePathingStatus\":\"nr\",\"EdgeRequestHost\":\"{}\",",
            "\"EdgeResponseBodyBytes\":{},\"EdgeResponseBytes\":{},\"EdgeResponseContentType\":\"{}\",\"EdgeResponseStatus\":{},",
            "\"EdgeServerIP\":\"{}\",\"EdgeStartTimestamp\":{},\"OriginIP\":\"{}\",\"OriginResponseStatus\":{},",
            "\"OriginResponseTime\":{},\"RayID\":\"{}\",\"SecurityAction\":\"{}\",\"SecurityRuleID\":\"{}\",",
            "\"SecuritySources\":[{}],\"WAFAttackScore\":{},\"ZoneName\":\"{}\"}}"
        ),
        rng.range(1, 99),
        rng.pick(&["Machine Learning", "Heuristics", "Verified Bot", "Not Computed"]),
        if rng.chance(30) { "\"api\"" } else { "" },
        rng.pick(&["hit", "miss", "dynamic", "expired", "revalidated"]),
        response_bytes,
        rng.pick(&["3215", "7922", "13335", "16509", "9009", "3320"]),
        rng.pick(COUNTRIES),
        rng.pick(&["desktop", "mobile", "tablet"]),
        rng.ip(),
        rng.range(200, 4000),
        host,
        rng.pick(&["GET", "GET", "GET", "POST", "HEAD", "PUT", "OPTIONS"]),
        path,
        rng.pick(&["HTTP/1.1", "HTTP/2", "HTTP/2", "HTTP/3"]),
        if rng.chance(70) { format!("https://{host}/checkout/cart?step={}", rng.below(4)) } else { String::new() },
        scheme,
        path,
        query,
        rng.user_agent(),
        rng.pick(&["AEAD-AES128-GCM-SHA256", "AEAD-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256", "AEAD-CHACHA20-POLY1305-SHA256"]),
        rng.pick(&["TLSv1.3", "TLSv1.3", "TLSv1.2"]),
        rng.range(1024, 65_535),
        rng.pick(COLOS),
        rng.range(1, 400),
        end,
        host,
        response_bytes.saturating_sub(400),
        response_bytes,
        rng.pick(&["text/html", "application/javascript", "application/json", "image/webp", "text/css"]),
        status,
        rng.pick(&["198.51.100.200", "2400:cb00:2049::1", "198.51.100.12"]),
        start,
        rng.ip(),
        if status == 403 { 0 } else { status },
        rng.range(0, 900_000_000),
        rng.ray_id(),
        action,
        rule_id,
        if action.is_empty() { "" } else { "\"firewallCustom\"" },
        rng.range(1, 99),
        &host[host.find('.').map_or(0, |i| i + 1)..],
    )
}

/// `firewall_events`: security events, ~1.1 KB.
fn firewall_events(rng: &mut Rng) -> String {
    let time = rng.timestamp();
    let host = rng.host();
    let referer_host = rng.host();
    let action = rng.pick(&["block", "managedChallenge", "jschallenge", "log", "skip", "managedchallengenoninteractivesolved"]);
    format!(
        concat!(
            "{{\"Action\":\"{}\",\"ClientASN\":{},\"ClientASNDescription\":\"{}\",\"ClientCountry\":\"{}\",\"ClientIP\":\"{}\",",
            "\"ClientIPClass\":\"noRecord\",\"ClientRefererHost\":\"{}\",\"ClientRefererPath\":\"/search\",\"ClientRefererQuery\":\"{}\",",
            "\"ClientRefererScheme\":\"https\",\"ClientRequestHost\":\"{}\",\"ClientRequestMethod\":\"{}\",\"ClientRequestPath\":\"{}\",",
            "\"ClientRequestProtocol\":\"{}\",\"ClientRequestQuery\":\"{}\",\"ClientRequestScheme\":\"https\",",
            "\"ClientRequestUserAgent\":\"{}\",\"Datetime\":{},\"Description\":\"{}\",\"EdgeColoCode\":\"{}\",",
            "\"EdgeResponseStatus\":{},\"Kind\":\"firewall\",\"MatchIndex\":{},\"Metadata\":{{\"ruleset_version\":\"4.{}\"}},",
            "\"OriginResponseStatus\":0,\"OriginatorRayID\":\"00\",\"RayID\":\"{}\",\"Ref\":\"{}\",\"RuleID\":\"{}\",",
            "\"Source\":\"{}\"}}"
        ),
        action,
        rng.pick(&["3215", "7922", "13335", "16509", "9009", "3320"]),
        rng.pick(&["M247", "DTAG", "COMCAST-7922", "AMAZON-02", "ORANGE"]),
        rng.pick(COUNTRIES),
        rng.ip(),
        referer_host,
        rng.pick(&["", "?q=shoes"]),
        host,
        rng.pick(&["GET", "POST", "PUT"]),
        rng.path(),
        rng.pick(&["HTTP/1.1", "HTTP/2", "HTTP/3"]),
        rng.pick(&["", "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "?id=1%27%20OR%201%3D1"]),
        rng.user_agent(),
        time,
        rng.pick(&["XSS - JS Context Escape", "SQLi - Comment", "Rate limit login", "Challenge low bot scores"]),
        rng.pick(COLOS),
        [403, 403, 200, 429][rng.below(4) as usize],
        rng.below(3),
        rng.below(10),
        rng.ray_id(),
        rng.pick(&["", "ai-gate", "login-rl"]),
        rng.hex(32),
        rng.pick(&["firewallManaged", "firewallCustom", "ratelimit", "bic"]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00");
        assert_eq!(rfc3339(1_710_234_927), "2024-03-12T09:15:27");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00");
    }

    #[test]
    fn generated_records_are_json_objects_of_their_dataset() {
        let normalizer = cloudflare_ecs::Normalizer::default();
        for dataset in DATASETS {
            for line in records(dataset, 200, 7).unwrap() {
                let record: serde_json::Value = serde_json::from_str(&line).unwrap();
                assert!(record.is_object());
                let doc: serde_json::Value = serde_json::from_str(&normalizer.normalize(line.as_bytes())).unwrap();
                assert_eq!(doc["event"]["dataset"], dataset, "{line}\n{doc}");
                assert_eq!(doc.get("error"), None, "{line}\n{doc}");
            }
        }
    }
}
