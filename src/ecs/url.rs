//! `url.*` pieces: request targets and full URLs split without allocating, and `url.full`
//! rebuilt from Cloudflare's split fields (`ClientRequestScheme`/`Host`/`Path`/`Query`/`URI`).
//!
//! Every part is a slice of the input. Nothing is decoded: ECS keeps URLs as sent.

/// The parts of an HTTP request target (`/path?query#fragment`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Target<'a> {
    pub path: &'a str,
    /// Without the `?`.
    pub query: Option<&'a str>,
    /// Without the `#`.
    pub fragment: Option<&'a str>,
}

/// Splits an origin-form request target (`ClientRequestURI`) at its first `?` and `#`.
pub fn split_target(target: &str) -> Target<'_> {
    let (rest, fragment) = match target.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (target, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    Target { path, query, fragment }
}

/// The parts of an absolute URL (`scheme://user:pass@host:port/path?query#fragment`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Url<'a> {
    pub scheme: &'a str,
    pub username: Option<&'a str>,
    pub password: Option<&'a str>,
    /// The host as written: a name, an IPv4 address or a bracketed IPv6 address.
    pub domain: &'a str,
    pub port: Option<u16>,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

/// Splits an absolute URL; `None` when `url` has no `scheme://host` or a bad port.
pub fn parse(url: &str) -> Option<Url<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, target) = rest.split_at(end);
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    let (username, password) = match userinfo.map(|info| info.split_once(':').unwrap_or((info, ""))) {
        Some((user, pass)) => (Some(user).filter(|s| !s.is_empty()), Some(pass).filter(|s| !s.is_empty())),
        None => (None, None),
    };
    let (domain, port) = split_host_port(host_port)?;
    if domain.is_empty() {
        return None;
    }
    let Target { path, query, fragment } = split_target(target);
    Some(Url { scheme, username, password, domain, port, path, query, fragment })
}

/// Splits `host:port`; a bracketed IPv6 address keeps its brackets, an unbracketed one is a
/// host without a port. `None` when the port is not a number.
pub fn split_host_port(host_port: &str) -> Option<(&str, Option<u16>)> {
    if host_port.starts_with('[') {
        let close = host_port.find(']')?;
        let (host, rest) = host_port.split_at(close + 1);
        return match rest.strip_prefix(':') {
            Some(port) => Some((host, Some(port.parse().ok()?))),
            None if rest.is_empty() => Some((host, None)),
            None => None,
        };
    }
    match host_port.split_once(':') {
        Some((host, port)) if !port.contains(':') => match port {
            "" => Some((host, None)),
            port => Some((host, Some(port.parse().ok()?))),
        },
        _ => Some((host_port, None)),
    }
}

/// Whether a host is an IP address (`192.0.2.1`, `[2001:db8::1]`, `2001:db8::1`) rather
/// than a name: no public-suffix split, no `destination.domain`.
pub fn is_ip_literal(host: &str) -> bool {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    bare.parse::<std::net::IpAddr>().is_ok()
}

/// The file extension of a URL path (`gz` for `/a/b.tar.gz`), without the dot.
pub fn extension(path: &str) -> Option<&str> {
    let file = path.rsplit('/').next()?;
    let (stem, extension) = file.rsplit_once('.')?;
    (!stem.is_empty() && !extension.is_empty()).then_some(extension)
}

/// A query string without the leading `?` that some Cloudflare fields carry.
pub fn strip_query_mark(query: &str) -> &str {
    query.strip_prefix('?').unwrap_or(query)
}

/// `url.full` from split parts: `scheme://host` followed by the request target, or by the
/// path and query when there is no target.
pub fn rebuild(scheme: &str, host: &str, target: Option<&str>, path: &str, query: Option<&str>) -> String {
    let query = query.map(strip_query_mark).filter(|q| !q.is_empty());
    let mut full = String::with_capacity(
        scheme.len() + host.len() + 4 + target.map_or(path.len() + query.map_or(0, |q| q.len() + 1), str::len),
    );
    full.push_str(scheme);
    full.push_str("://");
    full.push_str(host);
    match target {
        Some(target) => {
            if !target.starts_with(['/', '?', '#']) {
                full.push('/');
            }
            full.push_str(target);
        }
        None => {
            if !path.is_empty() && !path.starts_with('/') {
                full.push('/');
            }
            full.push_str(path);
            if let Some(query) = query {
                full.push('?');
                full.push_str(query);
            }
        }
    }
    full
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_request_targets() {
        assert_eq!(
            split_target("/wp-cron.php?doing_wp_cron=1.5&x=?y#top"),
            Target { path: "/wp-cron.php", query: Some("doing_wp_cron=1.5&x=?y"), fragment: Some("top") }
        );
        assert_eq!(split_target("/"), Target { path: "/", query: None, fragment: None });
        assert_eq!(split_target("//double"), Target { path: "//double", query: None, fragment: None });
        assert_eq!(split_target("/a?"), Target { path: "/a", query: Some(""), fragment: None });
        assert_eq!(split_target(""), Target::default());
    }

    #[test]
    fn parses_absolute_urls() {
        let url = parse("https://user:pw@www.Example.co.uk:8443/a/b.tar.gz?q=1#f").expect("a URL");
        assert_eq!(
            url,
            Url {
                scheme: "https",
                username: Some("user"),
                password: Some("pw"),
                domain: "www.Example.co.uk",
                port: Some(8443),
                path: "/a/b.tar.gz",
                query: Some("q=1"),
                fragment: Some("f"),
            }
        );
        let url = parse("http://[2001:db8::1]:80").expect("a URL");
        assert_eq!((url.domain, url.port, url.path), ("[2001:db8::1]", Some(80), ""));
        assert_eq!(parse("https://example.com?x").map(|u| (u.domain, u.query)), Some(("example.com", Some("x"))));
    }

    #[test]
    fn rejects_non_urls() {
        for text in ["/redirect?to=http://x", "example.com", "https://", "https://host:port/", "1http://x", "https://[::1/"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn host_and_port() {
        assert_eq!(split_host_port("example.com:8443"), Some(("example.com", Some(8443))));
        assert_eq!(split_host_port("example.com"), Some(("example.com", None)));
        assert_eq!(split_host_port("example.com:"), Some(("example.com", None)));
        assert_eq!(split_host_port("[::1]:443"), Some(("[::1]", Some(443))));
        assert_eq!(split_host_port("2001:db8::1"), Some(("2001:db8::1", None)));
        assert_eq!(split_host_port("example.com:99999"), None);
        assert_eq!(split_host_port("[::1]x"), None);
    }

    #[test]
    fn ip_literals() {
        assert!(is_ip_literal("192.0.2.1"));
        assert!(is_ip_literal("[2001:db8::1]"));
        assert!(is_ip_literal("2001:db8::1"));
        assert!(!is_ip_literal("example.com"));
        assert!(!is_ip_literal("1.2.3"));
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("/wp-cron.php"), Some("php"));
        assert_eq!(extension("/a/b.tar.gz"), Some("gz"));
        assert_eq!(extension("/a.b/c"), None);
        assert_eq!(extension("/dir/"), None);
        assert_eq!(extension("/.htaccess"), None);
        assert_eq!(extension("/file."), None);
        assert_eq!(extension(""), None);
    }

    #[test]
    fn rebuilds_full_urls() {
        assert_eq!(rebuild("https", "example.com", Some("/a?b=1"), "", None), "https://example.com/a?b=1");
        assert_eq!(rebuild("https", "example.com", None, "/a", Some("?b=1")), "https://example.com/a?b=1");
        assert_eq!(rebuild("http", "example.com:8080", None, "/a", Some("")), "http://example.com:8080/a");
        assert_eq!(rebuild("http", "example.com", None, "", None), "http://example.com");
        assert_eq!(rebuild("http", "example.com", Some("a"), "", None), "http://example.com/a");
        assert_eq!(strip_query_mark("?a=1"), "a=1");
    }
}
