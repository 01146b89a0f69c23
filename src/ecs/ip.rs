//! IP addresses in ECS IP fields.

use std::borrow::Cow;
use std::net::IpAddr;

/// The value to write in an ECS IP field, or `None` when `text` is not an IP address.
/// IPv4-mapped IPv6 (`::ffff:a.b.c.d`) becomes the IPv4 address; other addresses keep
/// their text.
pub fn normalize(text: &str) -> Option<Cow<'_, str>> {
    match text.parse::<IpAddr>().ok()? {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => Some(Cow::Owned(v4.to_string())),
            None => Some(Cow::Borrowed(text)),
        },
        IpAddr::V4(_) => Some(Cow::Borrowed(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwraps_ipv4_mapped() {
        assert_eq!(normalize("::ffff:78.197.123.35").as_deref(), Some("78.197.123.35"));
        assert_eq!(normalize("::FFFF:10.0.0.1").as_deref(), Some("10.0.0.1"));
    }

    #[test]
    fn keeps_plain_addresses() {
        assert_eq!(normalize("78.101.123.45").as_deref(), Some("78.101.123.45"));
        assert_eq!(normalize("2a06:98c0:3600::103").as_deref(), Some("2a06:98c0:3600::103"));
        assert_eq!(normalize("::1").as_deref(), Some("::1"));
    }

    #[test]
    fn rejects_non_addresses() {
        for text in ["", "not-an-ip", "1.2.3", "1.2.3.4.5", "::ffff:1.2.3", "fe80::1%eth0", " 1.2.3.4"] {
            assert_eq!(normalize(text), None, "{text}");
        }
    }
}
