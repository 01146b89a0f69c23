//! Protocol names in ECS form: `http.version` `1.1`/`2`/`3` from `HTTP/1.1`, `HTTP/2`;
//! `network.protocol` lowercase; `tls.version_protocol` `tls` with `tls.version` `1.3` from
//! `TLSv1.3`.

/// An HTTP protocol string (`HTTP/1.1`, `HTTP/2`, `HTTP/2.0`, `HTTP/3`).
#[derive(Debug, PartialEq, Eq)]
pub struct Http<'a> {
    /// `http.version`: `1.0`, `1.1`, `2`, `3`.
    pub version: &'a str,
    /// `network.transport`: `udp` for HTTP/3 (QUIC), `tcp` otherwise.
    pub transport: &'static str,
}

/// `network.protocol` for an HTTP request.
pub const HTTP: &str = "http";

/// Parses `HTTP/<version>` (case-insensitive); `None` for anything else.
pub fn http(protocol: &str) -> Option<Http<'_>> {
    let prefix = protocol.get(..5)?;
    if !prefix.eq_ignore_ascii_case("http/") {
        return None;
    }
    let version = protocol.get(5..)?;
    if !is_version(version) {
        return None;
    }
    // Versions 2 and 3 have no minor number: `HTTP/2.0` is `2`.
    let version = version.strip_suffix(".0").filter(|major| *major != "1").unwrap_or(version);
    let transport = if version == "3" { "udp" } else { "tcp" };
    Some(Http { version, transport })
}

/// A TLS or SSL protocol string (`TLSv1.3`, `TLSv1`, `SSLv3`).
#[derive(Debug, PartialEq, Eq)]
pub struct Tls<'a> {
    /// `tls.version_protocol`: `tls` or `ssl`.
    pub protocol: &'static str,
    /// `tls.version`: `1.3`, `1.0`, `3.0`.
    pub version: &'a str,
}

/// Parses `TLSv1.2`-style strings (also `TLS 1.2`, `tlsv1.3`); `None` for `none`, `unknown`
/// and anything else.
pub fn tls(value: &str) -> Option<Tls<'_>> {
    let lower_prefix = |prefix: &str| {
        value
            .get(..prefix.len())
            .filter(|head| head.eq_ignore_ascii_case(prefix))
            .and_then(|_| value.get(prefix.len()..))
    };
    let (protocol, rest) = match (lower_prefix("tls"), lower_prefix("ssl")) {
        (Some(rest), _) => ("tls", rest),
        (_, Some(rest)) => ("ssl", rest),
        _ => return None,
    };
    let rest = rest.strip_prefix(['v', 'V', ' ']).unwrap_or(rest);
    if !is_version(rest) {
        return None;
    }
    // A bare major version gets its minor: `TLSv1` is TLS 1.0, `SSLv3` is SSL 3.0.
    let version = match rest {
        "1" => "1.0",
        "2" => "2.0",
        "3" => "3.0",
        other => other,
    };
    Some(Tls { protocol, version })
}

/// Digits and dots, starting and ending with a digit.
fn is_version(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit())
        && text.ends_with(|c: char| c.is_ascii_digit())
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_versions() {
        assert_eq!(http("HTTP/1.1"), Some(Http { version: "1.1", transport: "tcp" }));
        assert_eq!(http("HTTP/1.0"), Some(Http { version: "1.0", transport: "tcp" }));
        assert_eq!(http("HTTP/2"), Some(Http { version: "2", transport: "tcp" }));
        assert_eq!(http("HTTP/2.0"), Some(Http { version: "2", transport: "tcp" }));
        assert_eq!(http("http/3"), Some(Http { version: "3", transport: "udp" }));
        for bad in ["", "HTTP/", "HTTP", "HTTP/x", "SPDY/3.1", "HTTP/1.1 ", "HTTP/é"] {
            assert_eq!(http(bad), None, "{bad}");
        }
    }

    #[test]
    fn tls_versions() {
        assert_eq!(tls("TLSv1.3"), Some(Tls { protocol: "tls", version: "1.3" }));
        assert_eq!(tls("TLSv1.2"), Some(Tls { protocol: "tls", version: "1.2" }));
        assert_eq!(tls("TLSv1"), Some(Tls { protocol: "tls", version: "1.0" }));
        assert_eq!(tls("tls 1.1"), Some(Tls { protocol: "tls", version: "1.1" }));
        assert_eq!(tls("SSLv3"), Some(Tls { protocol: "ssl", version: "3.0" }));
        for bad in ["none", "unknown", "", "TLS", "TLSvX", "QUIC", "é"] {
            assert_eq!(tls(bad), None, "{bad}");
        }
    }
}
