//! `user_agent.*` from a `User-Agent` header: name, version, OS and device.
//!
//! A small hand-written parser for the clients that make up nearly all web traffic: the
//! major browsers and their mobile and in-app variants, Windows/macOS/iOS/Android/Chrome
//! OS/Linux, crawlers and HTTP tools. Names follow the ua-parser (uap-core) spellings that
//! Elastic and Sekoia show (`Chrome Mobile`, `Mobile Safari`, `Mac OS X`, device `Spider`
//! for crawlers). A generated uap-core regex set would cost far more module size and time
//! than the whole normalizer; clients this parser does not know get only `user_agent.original`.
//!
//! No regex, no allocation except where a version is rewritten (`10_15_7` → `10.15.7`).
//! The headers of a Logpush job repeat (a few browsers make most requests): `parse_cached`
//! keeps the parts of recent headers, as Elasticsearch's user_agent processor does.

use std::borrow::Cow;
use std::cell::RefCell;

/// What a User-Agent says; every part optional.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct UserAgent<'a> {
    pub name: Option<Cow<'a, str>>,
    pub version: Option<Cow<'a, str>>,
    pub os_name: Option<Cow<'a, str>>,
    pub os_version: Option<Cow<'a, str>>,
    pub device_name: Option<Cow<'a, str>>,
}

impl UserAgent<'_> {
    /// The same, owning its text.
    pub fn into_owned(self) -> UserAgent<'static> {
        fn own(part: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
            part.map(|p| Cow::Owned(p.into_owned()))
        }
        UserAgent {
            name: own(self.name),
            version: own(self.version),
            os_name: own(self.os_name),
            os_version: own(self.os_version),
            device_name: own(self.device_name),
        }
    }

    /// `user_agent.os.full`: name and version (`Mac OS X 10.15.7`), when both are known.
    pub fn os_full(&self) -> Option<String> {
        match (&self.os_name, &self.os_version) {
            (Some(name), Some(version)) => Some(format!("{name} {version}")),
            _ => None,
        }
    }
}

/// Longer headers are not parsed (they are still kept in `user_agent.original`).
const MAX_LEN: usize = 2048;

/// Browser product names, most specific first: of the products a header names, the one
/// highest in this list is the browser (Edge also sends `Chrome/` and `Safari/`).
const BROWSERS: &[(&str, &str)] = &[
    ("EdgA", "Edge Mobile"),
    ("EdgiOS", "Edge Mobile"),
    ("Edg", "Edge"),
    ("Edge", "Edge"),
    ("OPR", "Opera"),
    ("Mini", "Opera Mini"),
    ("SamsungBrowser", "Samsung Internet"),
    ("YaBrowser", "Yandex Browser"),
    ("UCBrowser", "UC Browser"),
    ("Vivaldi", "Vivaldi"),
    ("FBAV", "Facebook"),
    ("Instagram", "Instagram"),
    ("HeadlessChrome", "HeadlessChrome"),
    ("FxiOS", "Firefox iOS"),
    ("CriOS", "Chrome Mobile iOS"),
    ("Firefox", "Firefox"),
    ("Chromium", "Chromium"),
    ("Chrome", "Chrome"),
    ("MSIE", "IE"),
    ("Trident", "IE"),
    ("Opera", "Opera"),
    ("Safari", "Safari"),
];

/// What one pass over the header's tokens found.
#[derive(Default)]
struct Scan<'a> {
    robot: Option<(&'a str, Option<&'a str>)>,
    /// Index into `BROWSERS` and the version after the product name.
    browser: Option<(usize, Option<&'a str>)>,
    /// `Version/17.2` (Safari, Presto Opera).
    version: Option<&'a str>,
    /// `rv:11.0` (IE 11).
    rv: Option<&'a str>,
    mobile: bool,
    webview: bool,
    android: bool,
    os: Option<(&'static str, Option<Cow<'a, str>>)>,
    device: Option<&'static str>,
}

pub fn parse(ua: &str) -> UserAgent<'_> {
    let mut out = UserAgent::default();
    let ua = ua.trim();
    if ua.is_empty() || ua.len() > MAX_LEN {
        return out;
    }
    let mut scan = scan(ua);
    if let Some((name, version)) = scan.os.take() {
        out.os_name = Some(Cow::Borrowed(name));
        out.os_version = version;
    }
    if let Some((name, version)) = scan.robot {
        out.name = Some(Cow::Borrowed(name));
        out.version = version.map(Cow::Borrowed);
        out.device_name = Some(Cow::Borrowed("Spider"));
        return out;
    }
    if let Some((name, version)) = browser(&scan) {
        out.name = Some(Cow::Borrowed(name));
        out.version = version.map(Cow::Borrowed);
    } else if !ua.starts_with("Mozilla/") {
        // A tool or an app: `curl/8.4.0`, `okhttp/4.12.0`, `WordPress/6.4.2; https://...`.
        let (name, version) = first_product(ua);
        if is_name(name) {
            out.name = Some(Cow::Borrowed(name));
            out.version = version.map(Cow::Borrowed);
        }
    }
    let android = out.os_name.as_deref() == Some("Android");
    out.device_name = scan.device.or_else(|| android.then(|| android_model(ua)).flatten()).map(Cow::Borrowed);
    out
}

/// Headers up to this long are cached (longer ones are rare, and parsed each time), in this
/// many slots: at most 64 KB kept per thread.
const CACHED_LEN: usize = 512;
const CACHE_SLOTS: usize = 128;

/// A part of a cached header's parse: a span of the header, or other text (the parser's own
/// names, rewritten versions).
#[derive(Clone)]
enum CachedPart {
    Span(usize, usize),
    Text(Box<str>),
}

struct CachedHeader {
    header: Box<str>,
    parts: [Option<CachedPart>; 5],
}

thread_local! {
    static CACHE: RefCell<Vec<Option<CachedHeader>>> = const { RefCell::new(Vec::new()) };
}

/// `parse`, remembering the parts of recent headers.
pub fn parse_cached(ua: &str) -> UserAgent<'_> {
    if ua.len() > CACHED_LEN {
        return parse(ua);
    }
    let slot = (hash(ua.as_bytes()) % CACHE_SLOTS as u64) as usize;
    let cached = CACHE.with(|cache| {
        let cache = cache.try_borrow().ok()?;
        let entry = cache.get(slot)?.as_ref().filter(|entry| &*entry.header == ua)?;
        Some(entry.parts.clone().map(|part| part.and_then(|part| restore(ua, part))))
    });
    if let Some([name, version, os_name, os_version, device_name]) = cached {
        return UserAgent { name, version, os_name, os_version, device_name };
    }
    let parsed = parse(ua);
    let parts = [&parsed.name, &parsed.version, &parsed.os_name, &parsed.os_version, &parsed.device_name]
        .map(|part| part.as_deref().map(|part| remember(ua, part)));
    CACHE.with(|cache| {
        if let Ok(mut cache) = cache.try_borrow_mut() {
            if cache.is_empty() {
                cache.resize_with(CACHE_SLOTS, || None);
            }
            if let Some(entry) = cache.get_mut(slot) {
                *entry = Some(CachedHeader { header: ua.into(), parts });
            }
        }
    });
    parsed
}

/// How a part of `ua`'s parse is kept: a span when it is a slice of `ua`.
fn remember(ua: &str, part: &str) -> CachedPart {
    match super::offset_in(ua, part) {
        Some(start) => CachedPart::Span(start, part.len()),
        None => CachedPart::Text(part.into()),
    }
}

fn restore(ua: &str, part: CachedPart) -> Option<Cow<'_, str>> {
    match part {
        CachedPart::Span(start, len) => ua.get(start..start + len).map(Cow::Borrowed),
        CachedPart::Text(text) => Some(Cow::Owned(text.into())),
    }
}

/// A fast non-cryptographic hash of a header (FxHash-like, eight bytes at a time).
fn hash(bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = bytes.len() as u64;
    for chunk in &mut chunks {
        let word = chunk.try_into().map_or(0, u64::from_le_bytes);
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    for &byte in chunks.remainder() {
        hash = (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    hash ^ hash >> 29
}

/// One pass over the tokens of the header (split at spaces, parentheses, `;` and `,`).
fn scan(ua: &str) -> Scan<'_> {
    let mut scan = Scan::default();
    let (mut before, mut previous) = ("", "");
    for (index, token) in ua.split([' ', '(', ')', ';', ',']).filter(|t| !t.is_empty()).enumerate() {
        match token.split_once('/') {
            Some((name, version)) => {
                let version = version_prefix(version);
                let browser_part = matches!(name, "Mozilla" | "AppleWebKit" | "Chrome" | "Safari" | "Gecko" | "Version" | "Mobile");
                if scan.robot.is_none() && !browser_part && is_name(name) && is_spider_name(name) {
                    scan.robot = Some((name, version));
                }
                match name {
                    "Version" => scan.version = version,
                    "Mobile" => scan.mobile = true,
                    "Mini" if previous != "Opera" => {}
                    _ => browser_token(&mut scan, name, version),
                }
            }
            None => {
                // Robots without a version: `AdsBot-Google (+http://...)`,
                // `(compatible; Yahoo! Slurp)`.
                if scan.robot.is_none() && is_name(token) && is_spider_name(token) {
                    if index == 0 || previous == "compatible" {
                        scan.robot = Some((token, None));
                    } else if before == "compatible" {
                        // Two words: `Yahoo! Slurp`.
                        scan.robot = Some((span(ua, previous, token).unwrap_or(token), None));
                    }
                }
                match (before, previous, token) {
                    (_, _, "Mobile") => scan.mobile = true,
                    (_, _, "wv") => scan.webview = true,
                    (_, "MSIE", version) | (_, "Instagram", version) => browser_token(&mut scan, previous, version_prefix(version)),
                    (_, _, rv) if rv.starts_with("rv:") => scan.rv = rv.get(3..).and_then(version_prefix),
                    _ => operating_system(&mut scan, before, previous, token),
                }
            }
        }
        (before, previous) = (previous, token);
    }
    scan
}

fn browser_token<'a>(scan: &mut Scan<'a>, name: &str, version: Option<&'a str>) {
    if let Some(rank) = BROWSERS.iter().position(|(product, _)| *product == name)
        && scan.browser.is_none_or(|(best, _)| rank < best)
    {
        scan.browser = Some((rank, version));
    }
}

/// The browser's name and version, with its mobile and web-view variants.
fn browser<'a>(scan: &Scan<'a>) -> Option<(&'static str, Option<&'a str>)> {
    let (rank, version) = scan.browser?;
    let &(product, name) = BROWSERS.get(rank)?;
    if product == "Trident" {
        // IE 11 says its version as `rv:11.0`.
        return Some(("IE", Some(scan.rv?)));
    }
    Some(match name {
        "Chrome" if scan.webview => ("Chrome Mobile WebView", version),
        "Chrome" if scan.mobile => ("Chrome Mobile", version),
        "Firefox" if scan.mobile || scan.android => ("Firefox Mobile", version),
        "Opera" if scan.version.is_some() => ("Opera", scan.version),
        "Opera" if scan.mobile => ("Opera Mobile", version),
        // Without `Version/` it is an embedded web view, not Safari.
        "Safari" if scan.android => ("Android", Some(scan.version?)),
        "Safari" if scan.mobile || scan.device.is_some_and(|d| d != "Mac") => ("Mobile Safari", Some(scan.version?)),
        "Safari" => ("Safari", Some(scan.version?)),
        other => (other, version),
    })
}

/// Operating system and device from words of the header's comment.
fn operating_system<'a>(scan: &mut Scan<'a>, before: &str, previous: &str, token: &'a str) {
    let os: (&'static str, Option<Cow<'a, str>>) = match (before, previous, token) {
        ("Windows", "Phone", version) => ("Windows Phone", version_prefix(version).map(Cow::Borrowed)),
        ("Windows", "NT", version) => ("Windows", version_prefix(version).map(windows_version)),
        (_, _, "Windows") if scan.os.is_none() => ("Windows", None),
        ("iPhone" | "CPU", "OS", version) => ("iOS", dotted_version(version)),
        (_, _, "iPhone" | "iPad" | "iPod") => {
            scan.device = Some(match token {
                "iPhone" => "iPhone",
                "iPad" => "iPad",
                _ => "iPod",
            });
            ("iOS", None)
        }
        ("Mac", "OS", "X") => ("Mac OS X", None),
        ("OS", "X", version) => ("Mac OS X", dotted_version(version)),
        (_, _, "Macintosh") => {
            scan.device = Some("Mac");
            ("Mac OS X", None)
        }
        (_, _, "Android") => {
            scan.android = true;
            ("Android", None)
        }
        (_, "Android", version) => ("Android", version_prefix(version).map(Cow::Borrowed)),
        (_, _, "CrOS") => ("Chrome OS", None),
        ("CrOS", _, version) => ("Chrome OS", version_prefix(version).map(Cow::Borrowed)),
        (_, _, "Ubuntu") => ("Ubuntu", None),
        (_, _, "Fedora") => ("Fedora", None),
        (_, _, "FreeBSD") => ("FreeBSD", None),
        (_, _, "OpenBSD") => ("OpenBSD", None),
        (_, _, "NetBSD") => ("NetBSD", None),
        (_, _, "Linux") => ("Linux", None),
        _ => return,
    };
    // A more specific name wins over a generic one (`Android` over `Linux`, `iOS` over the
    // `Mac OS X` in `like Mac OS X`); a version completes the name it belongs to.
    let rank = |name: &str| match name {
        "Linux" => 0,
        "Mac OS X" => 1,
        "Ubuntu" | "Fedora" | "Windows" => 2,
        _ => 3,
    };
    match &mut scan.os {
        Some((name, version)) if *name == os.0 => {
            if version.is_none() {
                *version = os.1;
            }
        }
        Some((name, _)) if rank(name) >= rank(os.0) => {}
        _ => scan.os = Some(os),
    }
}

/// A product or robot name: starts with a letter, no spaces or URL punctuation.
fn is_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'!'))
}

/// Crawler names: `bot`, `spider`, `crawl`, `slurp` anywhere, and a few without them.
fn is_spider_name(name: &str) -> bool {
    const KEYWORDS: [&str; 4] = ["bot", "spider", "crawl", "slurp"];
    const NAMES: [&str; 8] = [
        "facebookexternalhit",
        "wordpress",
        "ia_archiver",
        "mediapartners-google",
        "feedfetcher-google",
        "google-inspectiontool",
        "google-read-aloud",
        "pingdom.com_bot_version_1.4_",
    ];
    let mut buf = [0u8; 64];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return false;
    };
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    let lower: &[u8] = lower;
    KEYWORDS.iter().any(|k| lower.windows(k.len()).any(|w| w == k.as_bytes()))
        || NAMES.iter().any(|n| lower == n.as_bytes())
}

/// Marketing versions of Windows NT kernel versions.
fn windows_version(nt: &str) -> Cow<'_, str> {
    Cow::Borrowed(match nt {
        "10.0" => "10",
        "6.3" => "8.1",
        "6.2" => "8",
        "6.1" => "7",
        "6.0" => "Vista",
        "5.2" | "5.1" => "XP",
        "5.0" => "2000",
        other => other,
    })
}

/// `17_1_2` or `10.15` at the start of `text`, with dots.
fn dotted_version(text: &str) -> Option<Cow<'_, str>> {
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == '_' || c == '.')).unwrap_or(text.len());
    let version = text.get(..end)?.trim_end_matches(['_', '.']);
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(if version.contains('_') { Cow::Owned(version.replace('_', ".")) } else { Cow::Borrowed(version) })
}

/// The model in `(Linux; Android 14; SM-S918B)` or `(Linux; U; Android 4.0.3; en-us; KFTT
/// Build/IML74K)`; none for the reduced `K` placeholder.
fn android_model(ua: &str) -> Option<&str> {
    let (_, comment) = ua.split_once('(')?;
    let comment = comment.split(')').next()?;
    let mut entries = comment.split(';').map(str::trim);
    entries.find(|e| e.starts_with("Android"))?;
    entries
        .map(|e| e.split(" Build/").next().unwrap_or(e).trim())
        .find(|e| !matches!(*e, "" | "U" | "K" | "Mobile" | "Tablet" | "wv") && !e.starts_with("rv:") && !is_locale(e))
}

/// `en-us`, `fr_FR`, `de`.
fn is_locale(entry: &str) -> bool {
    let bytes = entry.as_bytes();
    match bytes {
        [a, b] => a.is_ascii_alphabetic() && b.is_ascii_alphabetic(),
        [a, b, sep, rest @ ..] => {
            a.is_ascii_alphabetic()
                && b.is_ascii_alphabetic()
                && matches!(sep, b'-' | b'_')
                && (2..=3).contains(&rest.len())
                && rest.iter().all(u8::is_ascii_alphanumeric)
        }
        _ => false,
    }
}

/// The first `name/version` of a header (`WordPress/6.4.2; https://...` → `WordPress`,
/// `6.4.2`).
fn first_product(ua: &str) -> (&str, Option<&str>) {
    let token = ua.split([' ', '(', ';', ',']).next().unwrap_or_default();
    match token.split_once('/') {
        Some((name, version)) => (name, version_prefix(version)),
        None => (token, None),
    }
}

/// The text of `ua` from the start of `first` to the end of `last` (both slices of `ua`).
fn span<'a>(ua: &'a str, first: &str, last: &str) -> Option<&'a str> {
    let (start, end) = (super::offset_in(ua, first)?, super::offset_in(ua, last)? + last.len());
    ua.get(start..end)
}

/// The version at the start of `text`: digits and dots, starting with a digit.
fn version_prefix(text: &str) -> Option<&str> {
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let version = text.get(..end)?.trim_end_matches('.');
    version.starts_with(|c: char| c.is_ascii_digit()).then_some(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, version, os name, os version, device)
    fn parts(ua: &str) -> [Option<String>; 5] {
        let p = parse(ua);
        [p.name, p.version, p.os_name, p.os_version, p.device_name].map(|part| part.map(Cow::into_owned))
    }

    fn expect(ua: &str, want: [Option<&str>; 5]) {
        assert_eq!(parts(ua), want.map(|w| w.map(str::to_owned)), "{ua}");
    }

    #[test]
    fn desktop_browsers() {
        expect(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            [Some("Chrome"), Some("120.0.0.0"), Some("Windows"), Some("10"), None],
        );
        expect(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36",
            [Some("Chrome"), Some("51.0.2704.103"), Some("Mac OS X"), Some("10.10.5"), Some("Mac")],
        );
        expect(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
            [Some("Firefox"), Some("121.0"), Some("Mac OS X"), Some("10.15"), Some("Mac")],
        );
        expect(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
            [Some("Edge"), Some("120.0.2210.91"), Some("Windows"), Some("10"), None],
        );
        expect(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
            [Some("Safari"), Some("17.2"), Some("Mac OS X"), Some("10.15.7"), Some("Mac")],
        );
        expect(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0",
            [Some("Opera"), Some("105.0.0.0"), Some("Linux"), None, None],
        );
        expect(
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0",
            [Some("Firefox"), Some("115.0"), Some("Ubuntu"), None, None],
        );
        expect(
            "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
            [Some("IE"), Some("11.0"), Some("Windows"), Some("7"), None],
        );
        expect(
            "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",
            [Some("IE"), Some("9.0"), Some("Windows"), Some("7"), None],
        );
        expect(
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36",
            [Some("Chrome"), Some("118.0.0.0"), Some("Chrome OS"), Some("14541.0.0"), None],
        );
        expect(
            "Opera/9.80 (Windows NT 6.0) Presto/2.12.388 Version/12.14",
            [Some("Opera"), Some("12.14"), Some("Windows"), Some("Vista"), None],
        );
        expect(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36",
            [Some("HeadlessChrome"), Some("120.0.6099.28"), Some("Linux"), None, None],
        );
    }

    #[test]
    fn mobile_browsers() {
        expect(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
            [Some("Mobile Safari"), Some("17.1.2"), Some("iOS"), Some("17.1.2"), Some("iPhone")],
        );
        expect(
            "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
            [Some("Chrome Mobile iOS"), Some("120.0.6099.119"), Some("iOS"), Some("16.6"), Some("iPad")],
        );
        expect(
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
            [Some("Chrome Mobile"), Some("120.0.6099.144"), Some("Android"), Some("14"), Some("SM-S918B")],
        );
        expect(
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
            [Some("Samsung Internet"), Some("23.0"), Some("Android"), Some("10"), None],
        );
        expect(
            "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36",
            [Some("Chrome Mobile WebView"), Some("119.0.6045.163"), Some("Android"), Some("13"), Some("Pixel 7")],
        );
        expect(
            "Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
            [Some("Firefox Mobile"), Some("121.0"), Some("Android"), Some("14"), None],
        );
        expect(
            "Mozilla/5.0 (Linux; U; Android 4.0.3; en-us; KFTT Build/IML74K) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30",
            [Some("Android"), Some("4.0"), Some("Android"), Some("4.0.3"), Some("KFTT")],
        );
    }

    #[test]
    fn crawlers_and_tools() {
        expect(
            "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0.4951.64 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            [Some("Googlebot"), Some("2.1"), Some("Android"), Some("6.0.1"), Some("Spider")],
        );
        expect(
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            [Some("bingbot"), Some("2.0"), None, None, Some("Spider")],
        );
        expect(
            "WordPress/6.4.2; https://blog.example.net",
            [Some("WordPress"), Some("6.4.2"), None, None, Some("Spider")],
        );
        expect("AdsBot-Google (+http://www.google.com/adsbot.html)", [Some("AdsBot-Google"), None, None, None, Some("Spider")]);
        expect("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", [Some("facebookexternalhit"), Some("1.1"), None, None, Some("Spider")]);
        expect("curl/8.4.0", [Some("curl"), Some("8.4.0"), None, None, None]);
        expect("python-requests/2.31.0", [Some("python-requests"), Some("2.31.0"), None, None, None]);
        expect("Go-http-client/2.0", [Some("Go-http-client"), Some("2.0"), None, None, None]);
    }

    #[test]
    fn less_common_clients() {
        expect(
            "Opera/9.80 (J2ME/MIDP; Opera Mini/8.0.35626/37.8922; U; en) Presto/2.12.423 Version/12.16",
            [Some("Opera Mini"), Some("8.0.35626"), None, None, None],
        );
        expect(
            "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063",
            [Some("Edge"), Some("15.15063"), Some("Windows Phone"), Some("10.0"), None],
        );
        expect(
            "Mozilla/5.0 (Linux; Android 13; Pixel 6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 Instagram 312.0.0.32.112 Android",
            [Some("Instagram"), Some("312.0.0.32.112"), Some("Android"), Some("13"), Some("Pixel 6")],
        );
        expect(
            "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
            [Some("Yahoo! Slurp"), None, None, None, Some("Spider")],
        );
        expect(
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
            [Some("GPTBot"), Some("1.2"), None, None, Some("Spider")],
        );
    }

    #[test]
    fn unknown_and_hostile_input() {
        assert_eq!(parse(""), UserAgent::default());
        assert_eq!(parse("-"), UserAgent::default());
        assert_eq!(parse(&"a".repeat(5000)), UserAgent::default());
        assert_eq!(parse("Mozilla/5.0").name, None);
        // Multi-byte text, odd punctuation and truncated tokens never panic.
        for ua in ["Chrome/", "Mozilla/5.0 (Linux; Android", "é/ü (ß; Android é) Chrome/é", "(((;;;)))", "Mozilla/5.0 (iPhone; CPU iPhone OS _", "x Version/ Safari/"] {
            let _ = parse(ua);
        }
        expect("Mozilla/5.0 (Windows NT 10.0) Chrome/ Safari/", [Some("Chrome"), None, Some("Windows"), Some("10"), None]);
    }

    #[test]
    fn cached_parses_match_fresh_ones() {
        let headers: Vec<String> = (0..400)
            .map(|i| match i % 4 {
                0 => format!("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_{i}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{i} Safari/605.1.15"),
                1 => format!("Mozilla/5.0 (Linux; Android 14; SM-S91{i}B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.{i}.0 Mobile Safari/537.36"),
                2 => format!("curl/8.{i}.0"),
                _ => format!("Mozilla/5.0 (compatible; Googlebot/2.{i}; +http://www.google.com/bot.html)"),
            })
            .collect();
        // Twice: first misses, then hits (and slots reused by other headers).
        for _ in 0..2 {
            for header in &headers {
                let cached = parse_cached(header);
                assert_eq!(cached, parse(header), "{header}");
                // Spans of the header are borrowed from it, as a fresh parse's are.
                if let Some(Cow::Borrowed(version)) = &cached.version {
                    assert!(header.as_bytes().as_ptr_range().contains(&version.as_ptr()), "{header}");
                }
            }
        }
        let long = format!("Mozilla/5.0 (Windows NT 10.0) Chrome/1.0 {}", "x".repeat(CACHED_LEN));
        assert_eq!(parse_cached(&long), parse(&long));
    }

    #[test]
    fn owned_copy_and_full_os() {
        let p = parse("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Firefox/1.0").into_owned();
        assert_eq!(p.os_full().as_deref(), Some("Mac OS X 10.15.7"));
        assert_eq!(parse("curl/1.0").os_full(), None);
    }
}
