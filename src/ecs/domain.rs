//! Public-suffix split of domain names (`registered_domain`, `top_level_domain`, `subdomain`).
//!
//! ICANN section only: private entries such as `githubusercontent.com` are not suffixes here,
//! as in the seed samples. Lookup is case-insensitive; the parts are slices of the input, so
//! its case is kept.

use psl::{Psl, Type};

/// The parts of a domain name; each is a slice of the name it was split from.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DomainParts<'a> {
    pub registered_domain: Option<&'a str>,
    pub top_level_domain: Option<&'a str>,
    pub subdomain: Option<&'a str>,
}

/// Longest name we look up; DNS names are at most 253 bytes.
const MAX_NAME: usize = 253;

/// Splits `name` (no trailing dot) with the public suffix list.
///
/// A name whose last label is not a known suffix yields only `subdomain` (all but the last
/// label); a name that is itself a suffix yields only `top_level_domain`.
pub fn split(name: &str) -> DomainParts<'_> {
    // The list is lower case. Most names are too: only others are copied, lowered.
    let mut buf: [u8; MAX_NAME];
    let lower = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        buf = [0; MAX_NAME];
        let Some(lower) = buf.get_mut(..name.len()) else {
            return DomainParts::default();
        };
        lower.copy_from_slice(name.as_bytes());
        lower.make_ascii_lowercase();
        &*lower
    } else if name.len() <= MAX_NAME {
        name.as_bytes()
    } else {
        return DomainParts::default();
    };
    // No empty label (nor an empty name): no leading, trailing or doubled dot. Checked
    // without stopping early, so that the compiler can do it many bytes at a time.
    let doubled_dot = lower.iter().zip(lower.iter().skip(1)).fold(false, |found, (&a, &b)| found | (a == b'.' && b == b'.'));
    if doubled_dot || lower.first().is_none_or(|&b| b == b'.') || lower.last() == Some(&b'.') {
        return DomainParts::default();
    }

    let mut take = usize::MAX; // all labels, until a private rule says fewer
    let suffix_len = loop {
        let info = psl::List.find(lower.rsplit(|&b| b == b'.').take(take));
        match info.typ {
            Some(Type::Icann) => break Some(info.len),
            // A private rule matched: look for the ICANN suffix beneath it.
            Some(Type::Private) => match info.len_labels(lower) {
                labels if labels > 1 => take = labels - 1,
                _ => break None,
            },
            None => break None,
        }
    };

    // Dots are ASCII, so the slices below start and end on character boundaries.
    let last_dot = |end: usize| name.as_bytes().get(..end)?.iter().rposition(|&b| b == b'.');
    let Some(suffix_len) = suffix_len.filter(|&len| len <= name.len()) else {
        let subdomain = last_dot(name.len()).and_then(|dot| name.get(..dot));
        return DomainParts { subdomain, ..DomainParts::default() };
    };
    let suffix_start = name.len() - suffix_len;
    let top_level_domain = name.get(suffix_start..);
    if suffix_start == 0 {
        return DomainParts { top_level_domain, ..DomainParts::default() };
    }
    // `name[..suffix_start]` ends with the dot before the suffix.
    let (subdomain, registered_start) = match last_dot(suffix_start - 1) {
        Some(dot) => (name.get(..dot), dot + 1),
        None => (None, 0),
    };
    DomainParts {
        registered_domain: name.get(registered_start..),
        top_level_domain,
        subdomain,
    }
}

/// Number of labels of a suffix found by `psl::List::find`.
trait SuffixLabels {
    fn len_labels(&self, name: &[u8]) -> usize;
}

impl SuffixLabels for psl::Info {
    fn len_labels(&self, name: &[u8]) -> usize {
        let start = name.len().saturating_sub(self.len);
        name.get(start..).map_or(0, |s| s.split(|&b| b == b'.').count())
    }
}

/// Removes the dots DNS names carry at their ends (`example.com.` → `example.com`).
pub fn trim_dns_dots(name: &str) -> &str {
    // Byte positions rather than a `char` pattern: cheaper, and dots are ASCII, so both ends
    // fall on character boundaries.
    let bytes = name.as_bytes();
    let start = bytes.iter().position(|&b| b != b'.').unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|&b| b != b'.').map_or(start, |last| last + 1);
    name.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(r: Option<&'a str>, t: Option<&'a str>, s: Option<&'a str>) -> DomainParts<'a> {
        DomainParts { registered_domain: r, top_level_domain: t, subdomain: s }
    }

    #[test]
    fn splits_icann_suffixes_keeping_case() {
        assert_eq!(split("foO-BAR-baz.xYz"), parts(Some("foO-BAR-baz.xYz"), Some("xYz"), None));
        assert_eq!(
            split("www.Example.CO.uk"),
            parts(Some("Example.CO.uk"), Some("CO.uk"), Some("www"))
        );
        assert_eq!(
            split("a.b.sekoiaio.cloudflareaccess.com"),
            parts(Some("cloudflareaccess.com"), Some("com"), Some("a.b.sekoiaio"))
        );
    }

    #[test]
    fn ignores_private_suffixes() {
        assert_eq!(
            split("objects.githubusercontent.com"),
            parts(Some("githubusercontent.com"), Some("com"), Some("objects"))
        );
        assert_eq!(
            split("foo.blogspot.co.uk"),
            parts(Some("blogspot.co.uk"), Some("co.uk"), Some("foo"))
        );
    }

    #[test]
    fn unknown_suffix_gives_only_subdomain() {
        assert_eq!(split("host.corp.internal"), parts(None, None, Some("host.corp")));
        assert_eq!(split("ip-10-0-0-1.eu-west-1.compute.internal").subdomain, Some("ip-10-0-0-1.eu-west-1.compute"));
        assert_eq!(split("localhost"), parts(None, None, None));
    }

    #[test]
    fn bare_suffix_and_garbage() {
        assert_eq!(split("co.uk"), parts(None, Some("co.uk"), None));
        assert_eq!(split("com"), parts(None, Some("com"), None));
        assert_eq!(split(""), DomainParts::default());
        assert_eq!(split("a..com"), DomainParts::default());
        assert_eq!(split(&"a".repeat(300)), DomainParts::default());
        assert_eq!(split(".example.com"), DomainParts::default());
        assert_eq!(split("example.com."), DomainParts::default());
        assert_eq!(split("."), DomainParts::default());
    }

    #[test]
    fn keeps_non_ascii_labels() {
        assert_eq!(split("www.Bücher.de"), parts(Some("Bücher.de"), Some("de"), Some("www")));
        assert_eq!(split("ü.intern"), parts(None, None, Some("ü")));
    }

    #[test]
    fn trims_dns_dots() {
        assert_eq!(trim_dns_dots("example.com."), "example.com");
        assert_eq!(trim_dns_dots(".example.com"), "example.com");
        assert_eq!(trim_dns_dots("..ü.example..."), "ü.example");
        assert_eq!(trim_dns_dots("example"), "example");
        assert_eq!(trim_dns_dots("..."), "");
        assert_eq!(trim_dns_dots(""), "");
    }
}
