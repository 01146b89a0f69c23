//! Structure-aware Cloudflare-like records, built from `arbitrary` bytes.
//!
//! Records are mostly valid JSON objects with real Logpush keys, so the fuzzer spends its time
//! in detection and the dataset mappings rather than in the JSON parser; the values are where
//! the hostility is: wrong types, huge numbers, NaN-like strings, deep nesting, long strings,
//! lone surrogates, duplicate keys, `::ffff:` oddities, out-of-range timestamps, envelopes.

use arbitrary::Arbitrary;

use cloudflare_ecs::{Declared, Fate, Kind, SCHEMAS, Schema};

/// Records beyond this size stop growing (keeps one iteration fast). `ValueSpec::Huge` alone
/// goes past the default `max_record_bytes` (1 MiB).
const MAX_RECORD: usize = 1 << 17;

#[derive(Arbitrary, Debug)]
pub struct Scenario {
    pub options: OptionsSpec,
    pub records: Vec<RecordSpec>,
    pub separators: Vec<Separator>,
}

#[derive(Arbitrary, Debug)]
pub struct OptionsSpec {
    pub dataset: DatasetOption,
    pub keep_message: Option<bool>,
    pub max_record_bytes: Option<u16>,
}

#[derive(Arbitrary, Debug)]
pub enum DatasetOption {
    Auto,
    Omitted,
    /// The dataset of one of the imitated schemas (index into `SCHEMAS`).
    Imitated(u8),
    /// The dataset of any schema, mapped or not (index into `SCHEMAS`, from the end).
    Any(u8),
}


impl OptionsSpec {
    /// The options object, and `keep_message`.
    pub fn to_json(&self) -> (String, bool) {
        let mut entries = Vec::new();
        match self.dataset {
            DatasetOption::Auto => entries.push(r#""dataset":"auto""#.to_owned()),
            DatasetOption::Omitted => {}
            DatasetOption::Imitated(i) => {
                let name = pick(&SCHEMAS, i.into()).dataset;
                entries.push(format!(r#""dataset":"{name}""#));
            }
            DatasetOption::Any(i) => entries.push(format!(r#""dataset":"{}""#, pick(&SCHEMAS, SCHEMAS.len() - 1 - usize::from(i) % SCHEMAS.len()).dataset)),
        }
        if let Some(keep) = self.keep_message {
            entries.push(format!(r#""keep_message":{keep}"#));
        }
        if let Some(max) = self.max_record_bytes {
            entries.push(format!(r#""max_record_bytes":{}"#, u32::from(max).max(1)));
        }
        (format!("{{{}}}", entries.join(",")), self.keep_message.unwrap_or(true))
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Separator {
    Lf,
    CrLf,
    BlankLine,
    WhitespaceLine,
    /// A form feed and a tab: ASCII whitespace, still a blank line.
    OddBlank,
}

impl Separator {
    fn bytes(self) -> &'static [u8] {
        match self {
            Separator::Lf => b"\n",
            Separator::CrLf => b"\r\n",
            Separator::BlankLine => b"\n\n",
            Separator::WhitespaceLine => b"\n \t \n",
            Separator::OddBlank => b"\r\n\x0c\t\r\n",
        }
    }
}

impl Scenario {
    /// The records, rendered, as many as fit in about 1 MiB.
    pub fn records(&self) -> Vec<Vec<u8>> {
        let mut total = 0;
        let mut records = Vec::new();
        for spec in &self.records {
            if total > 1 << 20 {
                break;
            }
            let record = spec.render();
            total += record.len();
            records.push(record);
        }
        records
    }

    /// The records joined into one NDJSON batch.
    pub fn batch(records: &[Vec<u8>], separators: &[Separator]) -> Vec<u8> {
        let mut batch = Vec::new();
        for (i, record) in records.iter().enumerate() {
            if i > 0 {
                let separator = separators.get(i % separators.len().max(1)).copied().unwrap_or(Separator::Lf);
                batch.extend_from_slice(separator.bytes());
            }
            batch.extend_from_slice(record);
        }
        batch
    }
}

#[derive(Arbitrary, Debug)]
pub struct RecordSpec {
    /// Which dataset's keys `Known` keys come from.
    pub dataset: u8,
    pub fields: Vec<FieldSpec>,
    pub wrap: Wrap,
    pub layout: Layout,
    pub damage: Damage,
}

#[derive(Arbitrary, Debug)]
pub struct FieldSpec {
    pub key: KeySpec,
    pub value: ValueSpec,
    pub repeat: Repeat,
}

#[derive(Arbitrary, Debug)]
pub enum KeySpec {
    Known(u16),
    OtherDataset(u8, u16),
    Envelope(bool),
    /// A known key written with `\u` escapes.
    Escaped(u16),
    Custom(String),
    Empty,
    Content,
}

/// How often a field is repeated (duplicate keys): mostly once, rarely thousands of times.
#[derive(Debug, Clone, Copy)]
pub struct Repeat(usize);

impl<'a> Arbitrary<'a> for Repeat {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Repeat(match u8::arbitrary(u)? {
            0..=199 => 1,
            200..=229 => 2,
            n @ 230..=252 => usize::from(n - 227),
            253 => 64,
            254 => usize::from(u8::arbitrary(u)?) * 4,
            255 => usize::from(u16::arbitrary(u)? % 4096),
        }))
    }
}

impl Repeat {
    fn count(self) -> usize {
        self.0
    }
}

#[derive(Arbitrary, Debug)]
pub enum Wrap {
    None,
    Message,
    Log,
    /// `{"message": <record>, "log": <record>}`
    Both,
    /// An envelope whose envelope holds the record.
    Double,
    /// An envelope with other keys around it.
    WithExtras,
    /// `{"message": <not a string>}`
    NonString(ValueSpec),
}

#[derive(Arbitrary, Debug)]
pub enum Layout {
    Compact,
    Spaced,
    /// Newlines inside the object: several lines in a batch.
    Pretty,
    Bom,
    Surrounded,
    /// Non-ASCII whitespace around the object (U+00A0, U+2028).
    UnicodeSpace,
}

#[derive(Arbitrary, Debug)]
pub enum Damage {
    None,
    Truncate(u16),
    Insert(u16, Vec<u8>),
    Replace(u16, u8),
    Append(Vec<u8>),
    Nul(u16),
    InvalidUtf8(u16),
}

#[derive(Arbitrary, Debug)]
pub enum ValueSpec {
    /// A plausible value for the key's documented kind.
    Natural,
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Number(NumberSpec),
    Str(StrSpec),
    Time(TimeSpec),
    Ip(IpSpec),
    Domain(DomainSpec),
    Url(UrlSpec),
    Array(Vec<ValueSpec>),
    Object(Vec<(KeySpec, ValueSpec)>),
    Deep {
        levels: u16,
        objects: bool,
    },
    Long {
        len: u16,
        fill: char,
    },
    /// A string just over 1 MiB: `too_large` under the default options.
    Huge,
    /// Arbitrary bytes in place of the value: breaks JSON or UTF-8.
    Raw(Vec<u8>),
    /// A whole record as a JSON string (an envelope's content).
    Record(Box<RecordSpec>),
}

#[derive(Arbitrary, Debug)]
pub enum NumberSpec {
    Interesting(u8),
    Parts { negative: bool, int: u64, frac: Option<u32>, exp: Option<i16> },
    Digits { count: u16, negative: bool },
}

const NUMBERS: &[&str] = &[
    "1e999",
    "-1e999",
    "1e-999",
    "1E400",
    "-0",
    "0.0",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "4.9e-324",
    "1.7976931348623157e308",
    "1.7976931348623159e308",
    "1e30",
    "1.5",
    "0e0",
    "1E+2",
    "1657233726004000000",
    "1657233726",
    "1657233726004",
    "253402300799",
    "253402300800",
    "-62167219200",
    "-62167219201",
    "100000000000",
    "99999999999",
    "1e18",
    "1e19",
];

#[derive(Arbitrary, Debug)]
pub enum StrSpec {
    Plain(String),
    Interesting(u8),
    /// Every character as a `\u` escape (surrogate pairs for astral ones).
    Escaped(String),
    LoneSurrogate(u16),
    Control(u8),
    Concat(Vec<StrSpec>),
}

const STRINGS: &[&str] = &[
    "",
    " ",
    "NaN",
    "Infinity",
    "-Infinity",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e999",
    "0x1F",
    "+1",
    " 1 ",
    "1_000",
    "١٢٣",
    "\\u0000",
    "\\ud800",
    "\\udc00\\ud800",
    "\\ud83d\\ude00",
    "💩",
    "\u{2028}\u{2029}",
    "\u{feff}",
    "\\\"",
    "\\\\",
    "/",
    "\\/",
    "%00",
    "%",
    "%zz",
    "?",
    "#",
    "a/b/../c",
    "login",
    "logout",
    "HTTP/1.1",
    "HTTP/2",
    "HTTP/3",
    "TLSv1.3",
    "none",
    "block",
    "allow",
    "challenge",
    "managed_challenge",
    "firewallrules",
    "waf",
    "https",
    "http",
    "GET",
    "POST",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "curl/8.0",
    "example.com.",
    "EXAMPLE.COM",
    ".",
    "..",
    "a..b",
    "xn--",
    "xn--p1ai",
    "localhost",
    "::ffff:1.2.3.4",
    "1.2.3.4%eth0",
    "::ffff:999.1.1.1",
    "[::1]",
    "1.2.3.4:80",
    "01.02.03.04",
    "2023-02-24T16:32:38Z",
    "{}",
    "[]",
    "{\\\"a\\\":1}",
    "user@example.com",
    "@",
    "a@",
    "@b",
];

#[derive(Arbitrary, Debug)]
pub enum TimeSpec {
    Rfc3339 {
        year: i32,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        fraction: Option<(u8, u64)>,
        offset: Option<(bool, u8, u8)>,
        lowercase: bool,
    },
    Integer(i64),
    Interesting(u8),
    AsString(Box<TimeSpec>),
}

const TIMES: &[&str] = &[
    "\"0000-01-01T00:00:00Z\"",
    "\"9999-12-31T23:59:59.999999999Z\"",
    "\"10000-01-01T00:00:00Z\"",
    "\"-0001-01-01T00:00:00Z\"",
    "\"2023-02-29T00:00:00Z\"",
    "\"2016-12-31T23:59:60Z\"",
    "\"2023-01-01T00:00:00+24:00\"",
    "\"2023-01-01T00:00:00-23:59\"",
    "\"2023-01-01 00:00:00Z\"",
    "\"2023-01-01T00:00:00\"",
    "\"2023-01-01T00:00:00.Z\"",
    "\"2023-01-01t00:00:00z\"",
    "\"1657233726.004\"",
    "1657233726.004",
    "\"\"",
    "\"   \"",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "-9223372036854775809",
    "1e30",
    "\"1e30\"",
    "0",
    "-1",
    "253402300799",
    "253402300800",
    "-62167219200",
    "-62167219201",
    "\"9223372036854775808\"",
    "\"0000-01-01T00:00:00+00:01\"",
    "\"9999-12-31T23:59:59-00:01\"",
    "\"2022-07-07T22:42:06.000000001Z\"",
    "\"2022-07-07T22:42:06.0000000001Z\"",
    "1657233726004000000",
    "\"1657233726004000000\"",
];

#[derive(Arbitrary, Debug)]
pub enum IpSpec {
    V4([u8; 4]),
    V6([u16; 8], u8),
    Mapped([u8; 4], bool),
    MappedOutOfRange(u16),
    Zone([u8; 4], String),
    Interesting(u8),
}

const IPS: &[&str] = &[
    "::ffff:999.1.1.1",
    "1.2.3.4%eth0",
    "fe80::1%eth0",
    "[::1]",
    "1.2.3.4:443",
    "[::1]:443",
    "::",
    "::ffff:0.0.0.0",
    "::FFFF:10.0.0.1",
    "::ffff:1.2.3",
    "0:0:0:0:0:ffff:102:304",
    "::1.2.3.4",
    "64:ff9b::1.2.3.4",
    "1.2.3.04",
    "1.2.3.4.5",
    "256.1.1.1",
    " 1.2.3.4",
    "1.2.3.4 ",
    "",
    "2a06:98c0:3600::103",
    "2001:db8::/32",
    "10.0.0.0/8",
    "localhost",
];

#[derive(Arbitrary, Debug)]
pub struct DomainSpec {
    pub labels: Vec<LabelSpec>,
    pub repeat_first: u16,
    pub trailing_dots: u8,
    pub leading_dot: bool,
    pub uppercase: bool,
}

#[derive(Arbitrary, Debug)]
pub enum LabelSpec {
    Pool(u8),
    Custom(String),
}

const LABELS: &[&str] = &[
    "com",
    "co",
    "uk",
    "example",
    "www",
    "xn--p1ai",
    "github",
    "io",
    "blogspot",
    "cloudflareaccess",
    "internal",
    "local",
    "*",
    "-",
    "a-b",
    "_dmarc",
    "ck",
    "jp",
    "kawasaki",
    "!",
    "é",
    "例え",
    "테스트",
    "",
    "0",
    "123",
    "githubusercontent",
    "s3",
    "amazonaws",
    "compute",
    "eu-west-1",
    "arpa",
    "in-addr",
];

#[derive(Arbitrary, Debug)]
pub struct UrlSpec {
    pub scheme: u8,
    pub host: DomainSpec,
    pub port: Option<u32>,
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

fn pick<T: Copy>(items: &[T], i: usize) -> T {
    items[i % items.len()]
}

impl RecordSpec {
    pub fn render(&self) -> Vec<u8> {
        let keys = pick(&SCHEMAS, self.dataset.into()).fields;
        let mut fields: Vec<(String, Vec<u8>)> = Vec::new();
        let mut size = 0;
        'fields: for field in &self.fields {
            let (key, kind) = field.key.render(keys);
            let value = field.value.render(kind, &key, 0);
            for _ in 0..field.repeat.count() {
                fields.push((key.clone(), value.clone()));
                size += key.len() + value.len() + 2;
                if size > MAX_RECORD {
                    break 'fields;
                }
            }
        }
        let record = self.layout.object(&fields);
        let record = match &self.wrap {
            Wrap::None => record,
            Wrap::Message => envelope(&[("message", &record)]),
            Wrap::Log => envelope(&[("log", &record)]),
            Wrap::Both => envelope(&[("message", &record), ("log", &record)]),
            Wrap::Double => envelope(&[("message", &envelope(&[("log", &record)]))]),
            Wrap::WithExtras => {
                let mut out = b"{\"stream\":\"stdout\",\"message\":".to_vec();
                out.extend_from_slice(&json_string_lossy(&record));
                out.extend_from_slice(b",\"time\":\"2023-01-01T00:00:00Z\"}");
                out
            }
            Wrap::NonString(value) => {
                let mut out = b"{\"message\":".to_vec();
                out.extend_from_slice(&value.render(Kind::Object, "message", 0));
                out.push(b'}');
                out
            }
        };
        self.damage.apply(record)
    }
}

fn envelope(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = b"{".to_vec();
    for (i, (key, record)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(format!("\"{key}\":").as_bytes());
        out.extend_from_slice(&json_string_lossy(record));
    }
    out.push(b'}');
    out
}

fn json_string_lossy(bytes: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&String::from_utf8_lossy(bytes)).unwrap_or_default()
}

impl Layout {
    fn object(&self, fields: &[(String, Vec<u8>)]) -> Vec<u8> {
        let (open, sep, colon, close): (&[u8], &[u8], &[u8], &[u8]) = match self {
            Layout::Compact | Layout::Bom | Layout::Surrounded | Layout::UnicodeSpace => (b"{", b",", b":", b"}"),
            Layout::Spaced => (b"{ ", b", ", b" : ", b" }"),
            Layout::Pretty => (b"{\n  ", b",\n  ", b": ", b"\n}"),
        };
        let mut out = Vec::new();
        match self {
            Layout::Bom => out.extend_from_slice("\u{feff}".as_bytes()),
            Layout::Surrounded => out.extend_from_slice(b" \t "),
            Layout::UnicodeSpace => out.extend_from_slice("\u{a0}\u{2028}".as_bytes()),
            _ => {}
        }
        out.extend_from_slice(open);
        for (i, (key, value)) in fields.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(sep);
            }
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(colon);
            out.extend_from_slice(value);
        }
        out.extend_from_slice(close);
        match self {
            Layout::Surrounded => out.extend_from_slice(b" \r\t"),
            Layout::UnicodeSpace => out.extend_from_slice("\u{3000}".as_bytes()),
            _ => {}
        }
        out
    }
}

impl Damage {
    fn apply(&self, mut record: Vec<u8>) -> Vec<u8> {
        let at = |i: u16, len: usize| usize::from(i) % (len + 1);
        match self {
            Damage::None => {}
            Damage::Truncate(i) => record.truncate(at(*i, record.len())),
            Damage::Insert(i, bytes) => {
                let i = at(*i, record.len());
                record.splice(i..i, bytes.iter().copied());
            }
            Damage::Replace(i, byte) => {
                let len = record.len();
                if let Some(b) = record.get_mut(at(*i, len.saturating_sub(1))) {
                    *b = *byte;
                }
            }
            Damage::Append(bytes) => record.extend_from_slice(bytes),
            Damage::Nul(i) => {
                let i = at(*i, record.len());
                record.insert(i, 0);
            }
            Damage::InvalidUtf8(i) => {
                let i = at(*i, record.len());
                record.splice(i..i, [0xff, 0xc3, b'(', 0xed, 0xa0, 0x80]);
            }
        }
        record
    }
}

impl KeySpec {
    /// The key as JSON text, and the kind of value its schema documents.
    fn render(&self, keys: &[Declared]) -> (String, Kind) {
        match self {
            KeySpec::Known(i) => {
                let Declared { name, kind, .. } = pick(keys, (*i).into());
                (format!("\"{name}\""), kind)
            }
            KeySpec::OtherDataset(d, i) => {
                let schema: &Schema = pick(&SCHEMAS, (*d).into());
                let Declared { name, kind, .. } = pick(schema.fields, (*i).into());
                (format!("\"{name}\""), kind)
            }
            KeySpec::Envelope(log) => (if *log { "\"log\"" } else { "\"message\"" }.to_owned(), Kind::Str),
            KeySpec::Escaped(i) => {
                let Declared { name: key, kind, .. } = pick(keys, (*i).into());
                let escaped: String = key.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
                (format!("\"{escaped}\""), kind)
            }
            KeySpec::Custom(key) => (serde_json::to_string(key).unwrap_or_default(), Kind::Str),
            KeySpec::Empty => ("\"\"".to_owned(), Kind::Str),
            KeySpec::Content => ("\"content\"".to_owned(), Kind::Str),
        }
    }
}

impl ValueSpec {
    fn render(&self, kind: Kind, key: &str, depth: usize) -> Vec<u8> {
        let text = match self {
            ValueSpec::Natural => natural(kind, key),
            ValueSpec::Null => "null".to_owned(),
            ValueSpec::Bool(b) => b.to_string(),
            ValueSpec::Int(n) => n.to_string(),
            ValueSpec::UInt(n) => n.to_string(),
            // NaN and infinities come out as `NaN`/`inf`: invalid JSON, also worth feeding.
            ValueSpec::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 1e300 {
                    format!("{f:e}")
                } else {
                    format!("{f}")
                }
            }
            ValueSpec::Number(n) => n.render(),
            ValueSpec::Str(s) => format!("\"{}\"", s.render()),
            ValueSpec::Time(t) => t.render(),
            ValueSpec::Ip(ip) => format!("\"{}\"", ip.render()),
            ValueSpec::Domain(d) => serde_json::to_string(&d.render()).unwrap_or_default(),
            ValueSpec::Url(u) => serde_json::to_string(&u.render()).unwrap_or_default(),
            ValueSpec::Array(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|item| String::from_utf8_lossy(&item.render(kind, key, depth + 1)).into_owned())
                    .collect();
                format!("[{}]", items.join(","))
            }
            ValueSpec::Object(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| {
                        let (k, kind) = k.render(&NESTED_KEYS);
                        format!("{k}:{}", String::from_utf8_lossy(&v.render(kind, &k, depth + 1)))
                    })
                    .collect();
                format!("{{{}}}", entries.join(","))
            }
            ValueSpec::Deep { levels, objects } => {
                let levels = usize::from(*levels % 2048);
                let (open, close) = if *objects { ("{\"a\":", "}") } else { ("[", "]") };
                format!("{}1{}", open.repeat(levels), close.repeat(levels))
            }
            ValueSpec::Huge => format!("\"{}\"", "h".repeat((1 << 20) + 1)),
            ValueSpec::Long { len, fill } => {
                let len = usize::from(*len);
                let fill = if fill.is_control() || *fill == '"' || *fill == '\\' { 'x' } else { *fill };
                let mut s = String::with_capacity(len + 2);
                s.push('"');
                while s.len() < len {
                    s.push(fill);
                }
                s.push('"');
                s
            }
            ValueSpec::Raw(bytes) => return bytes.clone(),
            ValueSpec::Record(record) if depth < 4 => {
                // Escaping doubles the backslashes of every level: keep nested records small.
                let inner = json_string_lossy(&record.render());
                if inner.len() <= MAX_RECORD / 8 {
                    return inner;
                }
                "\"{}\"".to_owned()
            }
            ValueSpec::Record(_) => "\"{}\"".to_owned(),
        };
        text.into_bytes()
    }
}

/// Keys of nested objects (audit `Metadata`).
const NESTED_KEYS: [Declared; 3] = [
    Declared { name: "Request", kind: Kind::Object, fate: Fate::Kept },
    Declared { name: "zone_name", kind: Kind::Str, fate: Fate::Kept },
    Declared { name: "a", kind: Kind::Int, fate: Fate::Kept },
];

/// A value of the documented kind, shaped by the key's name.
fn natural(kind: Kind, key: &str) -> String {
    match kind {
        Kind::Str if key.contains("IP") || key.contains("Address") => "\"::ffff:203.0.113.7\"".to_owned(),
        Kind::Str if key.contains("Host") || key.contains("Domain") || key.contains("QueryName") => {
            "\"www.Example.co.uk.\"".to_owned()
        }
        Kind::Str if key.contains("Email") => "\"user@example.com\"".to_owned(),
        Kind::Str if key.contains("URI") || key.contains("URL") || key.contains("Path") => {
            "\"/a/b.php?x=1&y=%20#frag\"".to_owned()
        }
        Kind::Str if key.contains("UserAgent") => {
            "\"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)\"".to_owned()
        }
        Kind::Str if key.contains("Protocol") => "\"HTTP/2\"".to_owned(),
        Kind::Str => "\"value\"".to_owned(),
        Kind::Int => "443".to_owned(),
        Kind::Bool => "true".to_owned(),
        Kind::Float => "1.5".to_owned(),
        Kind::Object => r#"{"zone_name":"example.com","Request":{"method":"GET","k":[1,{"x":null}]}}"#.to_owned(),
        Kind::Time => "\"2023-02-24T16:32:38.123456789Z\"".to_owned(),
        Kind::EpochMs => "1677256358123".to_owned(),
        Kind::EpochNs => "1677256358123456789".to_owned(),
        Kind::Ints => "[1,2,3]".to_owned(),
        Kind::Strs => "[\"a\",\"b\"]".to_owned(),
        Kind::Objects => r#"[{"type":"A","data":"1.2.3.4"}]"#.to_owned(),
    }
}

impl NumberSpec {
    fn render(&self) -> String {
        match self {
            NumberSpec::Interesting(i) => pick(NUMBERS, (*i).into()).to_owned(),
            NumberSpec::Parts { negative, int, frac, exp } => {
                let mut s = String::new();
                if *negative {
                    s.push('-');
                }
                s.push_str(&int.to_string());
                if let Some(frac) = frac {
                    s.push('.');
                    s.push_str(&frac.to_string());
                }
                if let Some(exp) = exp {
                    s.push_str(&format!("e{exp}"));
                }
                s
            }
            NumberSpec::Digits { count, negative } => {
                let digits = "9".repeat(usize::from(*count % 1024).max(1));
                if *negative { format!("-{digits}") } else { digits }
            }
        }
    }
}

impl StrSpec {
    /// The inside of a JSON string literal (escapes included, quotes not).
    fn render(&self) -> String {
        match self {
            StrSpec::Plain(s) => {
                let quoted = serde_json::to_string(s).unwrap_or_default();
                quoted.get(1..quoted.len() - 1).unwrap_or_default().to_owned()
            }
            StrSpec::Interesting(i) => pick(STRINGS, (*i).into()).to_owned(),
            StrSpec::Escaped(s) => s.encode_utf16().map(|unit| format!("\\u{unit:04X}")).collect(),
            StrSpec::LoneSurrogate(unit) => format!("x\\u{:04x}y", 0xd800 + (unit % 0x800)),
            StrSpec::Control(c) => format!("\\u{:04x}", c % 0x20),
            StrSpec::Concat(parts) => parts.iter().take(16).map(StrSpec::render).collect(),
        }
    }
}

impl TimeSpec {
    fn render(&self) -> String {
        match self {
            TimeSpec::Rfc3339 { year, month, day, hour, minute, second, fraction, offset, lowercase } => {
                let year = if year.unsigned_abs() > 10_000 && year % 7 != 0 { year % 10_001 } else { *year };
                let mut s = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
                if let Some((digits, value)) = fraction {
                    let digits = usize::from(*digits % 13);
                    let value = format!("{value:020}");
                    s.push('.');
                    s.push_str(value.get(..digits).unwrap_or_default());
                }
                match offset {
                    None => s.push('Z'),
                    Some((minus, h, m)) => s.push_str(&format!("{}{h:02}:{m:02}", if *minus { '-' } else { '+' })),
                }
                if *lowercase {
                    s = s.to_lowercase();
                }
                format!("\"{s}\"")
            }
            TimeSpec::Integer(n) => n.to_string(),
            TimeSpec::Interesting(i) => pick(TIMES, (*i).into()).to_owned(),
            TimeSpec::AsString(inner) => {
                let inner = inner.render();
                if inner.starts_with('"') { inner } else { format!("\"{inner}\"") }
            }
        }
    }
}

impl IpSpec {
    fn render(&self) -> String {
        match self {
            IpSpec::V4([a, b, c, d]) => format!("{a}.{b}.{c}.{d}"),
            IpSpec::V6(groups, style) => {
                let addr = std::net::Ipv6Addr::from(*groups);
                match style % 3 {
                    0 => addr.to_string(),
                    1 => groups.iter().map(|g| format!("{g:x}")).collect::<Vec<_>>().join(":"),
                    _ => addr.to_string().to_uppercase(),
                }
            }
            IpSpec::Mapped([a, b, c, d], upper) => {
                format!("{}:{a}.{b}.{c}.{d}", if *upper { "::FFFF" } else { "::ffff" })
            }
            IpSpec::MappedOutOfRange(n) => format!("::ffff:{n}.1.1.1"),
            IpSpec::Zone([a, b, c, d], zone) => {
                let zone: String = zone.chars().filter(|c| !c.is_control() && *c != '"' && *c != '\\').collect();
                format!("{a}.{b}.{c}.{d}%{zone}")
            }
            IpSpec::Interesting(i) => pick(IPS, (*i).into()).to_owned(),
        }
    }
}

impl DomainSpec {
    fn render(&self) -> String {
        let mut labels: Vec<String> = self
            .labels
            .iter()
            .take(64)
            .map(|label| match label {
                LabelSpec::Pool(i) => pick(LABELS, (*i).into()).to_owned(),
                LabelSpec::Custom(s) => s.chars().take(80).collect(),
            })
            .collect();
        if let Some(first) = labels.first().cloned() {
            for _ in 0..usize::from(self.repeat_first % 400) {
                labels.insert(0, first.clone());
            }
        }
        let mut name = labels.join(".");
        if self.leading_dot {
            name.insert(0, '.');
        }
        for _ in 0..self.trailing_dots % 4 {
            name.push('.');
        }
        if self.uppercase {
            name = name.to_uppercase();
        }
        name
    }
}

impl UrlSpec {
    fn render(&self) -> String {
        let scheme = pick(&["https", "http", "HTTPS", "ftp", "", "javascript", "wss"], self.scheme.into());
        let mut url = if scheme.is_empty() { "//".to_owned() } else { format!("{scheme}://") };
        url.push_str(&self.host.render());
        if let Some(port) = self.port {
            url.push_str(&format!(":{}", port % 100_000));
        }
        if !self.path.starts_with('/') {
            url.push('/');
        }
        url.push_str(&self.path);
        if let Some(query) = &self.query {
            url.push('?');
            url.push_str(query);
        }
        if let Some(fragment) = &self.fragment {
            url.push('#');
            url.push_str(fragment);
        }
        url
    }
}
