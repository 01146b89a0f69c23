//! IP addresses in ECS IP fields.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv6Addr};

/// The value to write in an ECS IP field, or `None` when `text` is not an IP address.
/// IPv4-mapped IPv6 (`::ffff:a.b.c.d`) becomes the IPv4 address; other addresses keep
/// their text.
pub fn normalize(text: &str) -> Option<Cow<'_, str>> {
    // Fast paths for the forms Logpush writes, cheaper than std's parser; anything they do
    // not take is left to it.
    if is_ipv4(text) {
        return Some(Cow::Borrowed(text));
    }
    if let Some((prefix, v4)) = text.split_at_checked(MAPPED_PREFIX.len())
        && prefix.eq_ignore_ascii_case(MAPPED_PREFIX)
        && is_ipv4(v4)
    {
        return Some(Cow::Borrowed(v4));
    }
    let v6 = match parse_hex_ipv6(text) {
        Some(v6) => v6,
        None => match text.parse::<IpAddr>().ok()? {
            IpAddr::V6(v6) => v6,
            IpAddr::V4(_) => return Some(Cow::Borrowed(text)),
        },
    };
    match v6.to_ipv4_mapped() {
        Some(v4) => Some(Cow::Owned(v4.to_string())),
        None => Some(Cow::Borrowed(text)),
    }
}

const MAPPED_PREFIX: &str = "::ffff:";

/// Whether `text` is an IPv4 address as std parses it: four decimal octets of at most 255,
/// without leading zeros. That is also how `Ipv4Addr` prints, so such text is canonical.
///
/// Checked a word at a time, with no branch on where the dots fall: octets of 1 to 3 digits
/// in no regular order made a byte loop mispredict on every address.
fn is_ipv4(text: &str) -> bool {
    let bytes = text.as_bytes();
    let len = bytes.len();
    // Zeros past the text: neither digits nor dots. Three more than 16, for `octet`.
    let mut padded = [0u8; 19];
    match padded.get_mut(..len) {
        Some(head) if (7..=15).contains(&len) => head.copy_from_slice(bytes),
        _ => return false,
    }
    let (Some(low), Some(high)) = (padded.first_chunk::<8>(), padded.get(8..16).and_then(|h| h.first_chunk::<8>())) else {
        return false;
    };
    let (low, high) = (u64::from_le_bytes(*low), u64::from_le_bytes(*high));
    let dots = bits(equal_bytes(low, b'.')) | bits(equal_bytes(high, b'.')) << 8;
    let digits = bits(digit_bytes(low)) | bits(digit_bytes(high)) << 8;
    // Every byte a digit or a dot, three dots.
    if dots | digits != (1 << len) - 1 || dots.count_ones() != 3 {
        return false;
    }
    let after_first = dots & (dots - 1);
    let (first, second) = (dots.trailing_zeros() as usize, after_first.trailing_zeros() as usize);
    let third = (after_first & (after_first - 1)).trailing_zeros() as usize;
    // `&`, not `&&`: all four are checked, without a branch after each.
    octet(&padded, 0, first) & octet(&padded, first + 1, second) & octet(&padded, second + 1, third) & octet(&padded, third + 1, len)
}

/// Whether the digits `padded[start..end]` are an octet: 1 to 3 digits, at most 255, no
/// leading zero.
#[inline(always)]
fn octet(padded: &[u8; 19], start: usize, end: usize) -> bool {
    let digit = |i: usize| u32::from(padded.get(start + i).copied().unwrap_or_default().wrapping_sub(b'0'));
    let (d0, d1, d2) = (digit(0), digit(1), digit(2));
    let len = end.wrapping_sub(start);
    // The value for each length, chosen without a branch; bytes past the octet are not used.
    let value = [0, d0, d0 * 10 + d1, d0 * 100 + d1 * 10 + d2].get(len).copied().unwrap_or(u32::MAX);
    (1..=3).contains(&len) & (value <= 255) & (len == 1 || d0 != 0)
}

/// The high bit of each byte of `word` equal to `byte`, exactly (no carry between bytes).
fn equal_bytes(word: u64, byte: u8) -> u64 {
    const LOW7: u64 = ONES * 0x7f;
    let x = word ^ (ONES * u64::from(byte));
    !(((x & LOW7) + LOW7) | x) & (ONES << 7)
}

/// The high bit of each byte of `word` that is an ASCII digit, exactly.
fn digit_bytes(word: u64) -> u64 {
    const LOW7: u64 = ONES * 0x7f;
    let low = word & LOW7;
    let at_least_0 = low + ONES * (0x80 - u64::from(b'0'));
    let above_9 = low + ONES * (0x7f - u64::from(b'9'));
    at_least_0 & !above_9 & !word & (ONES << 7)
}

/// The high bits of `flags` (one per byte) as 8 low bits, byte `k`'s as bit `k`: one
/// multiplication moves each to the top byte, where none overlap.
fn bits(flags: u64) -> u32 {
    ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// IPv6 text made only of 1–4 digit hex groups, with at most one `::`: what std's parser
/// accepts without an embedded IPv4 address. `None` for anything else (also valid forms
/// such as `::1.2.3.4`), which std then decides.
fn parse_hex_ipv6(text: &str) -> Option<Ipv6Addr> {
    let mut rest = text.as_bytes();
    let mut bits = 0u128;
    let mut groups = 0;
    // Where the `::` stands: the bits and number of the groups before it.
    let mut before_gap = None;
    if let Some(after) = rest.strip_prefix(b"::") {
        before_gap = Some((0, 0));
        rest = after;
    }
    while !rest.is_empty() {
        let digits = rest.iter().take(5).map_while(|&b| char::from(b).to_digit(16));
        let (len, group) = digits.fold((0, 0), |(len, group), digit| (len + 1, group << 4 | digit));
        if !(1..=4).contains(&len) {
            return None;
        }
        let after = rest.get(len..)?;
        groups += 1;
        if groups > 8 {
            return None;
        }
        bits = bits << 16 | u128::from(group);
        rest = match after {
            [] => after,
            [b':', b':', after @ ..] if before_gap.is_none() => {
                before_gap = Some((bits, groups));
                bits = 0;
                after
            }
            [b':', after @ ..] if !after.is_empty() => after,
            _ => return None,
        };
    }
    match before_gap {
        None => (groups == 8).then_some(Ipv6Addr::from(bits)),
        // `::` stands for at least one zero group.
        Some((head, head_groups)) if groups < 8 => {
            // A shift by 128 (no groups before `::`) leaves no bits.
            let head = head.checked_shl(16 * (8 - head_groups)).unwrap_or(0);
            Some(Ipv6Addr::from(head | bits))
        }
        Some(_) => None,
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

    /// `normalize` through std's parser only: what the fast paths must agree with.
    fn normalize_with_std(text: &str) -> Option<String> {
        match text.parse::<IpAddr>().ok()? {
            IpAddr::V6(v6) => Some(v6.to_ipv4_mapped().map_or_else(|| text.to_owned(), |v4| v4.to_string())),
            IpAddr::V4(_) => Some(text.to_owned()),
        }
    }

    #[test]
    fn fast_paths_agree_with_std() {
        let cases = [
            "0.0.0.0", "255.255.255.255", "1.2.3.4", "10.0.0.1", "199.250.249.100",
            "256.1.1.1", "1.2.3.256", "300.1.1.1", "1.2.3.999", "01.2.3.4", "1.2.3.00", "1.2.3.0",
            "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.4 ", "1.2.3.+4", "1.2.3.-4", "1.2.3.٤", "1234.1.1.1",
            "::ffff:1.2.3.4", "::FfFf:1.2.3.4", "::ffff:01.2.3.4", "::ffff:1.2.3.256", "::ffff:", "::fff:1.2.3.4",
            "::ffff:0102:0304", "0:0:0:0:0:ffff:1.2.3.4", "::ffff:0:1.2.3.4", "::1.2.3.4", "::ffff:1.2.3.4%eth0",
            "2001:DB8::1", "2001:db8:0:0:0:0:0:1", "fe80::1%eth0", "[::1]", "::", "1::", "::ffff:ffff",
        ];
        for text in cases {
            assert_eq!(normalize(text).map(Cow::into_owned), normalize_with_std(text), "{text}");
        }
    }

    #[test]
    fn hex_ipv6_fast_path() {
        for text in [
            "::", "::1", "1::", "2a06:98c0:3600::103", "2001:DB8::1", "2001:0db8:0000:0000:0000:0000:0000:0001",
            "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "::ffff:102:304",
        ] {
            assert_eq!(parse_hex_ipv6(text), text.parse().ok(), "{text}");
            assert!(parse_hex_ipv6(text).is_some(), "{text}");
        }
        // Declined: std decides (valid or not).
        for text in [
            "", ":", ":::", "1:::2", "1::2::3", ":1::", "::1:", "1:2:3:4:5:6:7:8:", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8", "::1:2:3:4:5:6:7:8", "12345::", "g::", "::1.2.3.4",
            "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4",
            "fe80::1%eth0", "[::1]", " ::1", "::1 ",
        ] {
            assert_eq!(parse_hex_ipv6(text), None, "{text}");
        }
        assert_eq!(normalize("::ffff:102:304").as_deref(), Some("1.2.3.4"));
        assert_eq!(normalize("2001:DB8::1").as_deref(), Some("2001:DB8::1"));
    }

    #[test]
    fn ipv6_agrees_with_std_on_generated_text() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..50_000 {
            let groups: Vec<String> = (0..8)
                .map(|_| {
                    let value = if next() % 3 == 0 { 0 } else { next() % 0x1_0000 };
                    match next() % 3 {
                        0 => format!("{value:x}"),
                        1 => format!("{value:04X}"),
                        _ => format!("{value:02x}"),
                    }
                })
                .collect();
            let mut text = match next() % 3 {
                0 => groups.join(":"),
                _ => {
                    let start = (next() % 9) as usize;
                    let end = (start + (next() % 9) as usize).min(8);
                    format!("{}::{}", groups[..start].join(":"), groups[end..].join(":"))
                }
            };
            // Sometimes break it: a character removed, replaced or added.
            let pos = (next() as usize) % (text.len() + 1);
            let noise = [':', '.', 'g', '0', 'F', '%', '1'][(next() % 7) as usize];
            match next() % 4 {
                0 if pos < text.len() => drop(text.remove(pos)),
                1 if pos < text.len() => text.replace_range(pos..=pos, &noise.to_string()),
                2 => text.insert(pos, noise),
                _ => {}
            }
            assert_eq!(normalize(&text).map(Cow::into_owned), normalize_with_std(&text), "{text}");
        }
    }

    #[test]
    fn byte_masks_are_exact() {
        for byte in 0..=255u8 {
            for at in 0..8 {
                for filler in [b'a', b'0', b'.', 0, 0xff] {
                    let mut bytes = [filler; 8];
                    bytes[at] = byte;
                    let word = u64::from_le_bytes(bytes);
                    let expected = |test: &dyn Fn(u8) -> bool| bytes.iter().enumerate().fold(0, |bits, (i, &b)| bits | (u32::from(test(b)) << i));
                    assert_eq!(bits(equal_bytes(word, b'.')), expected(&|b| b == b'.'), "{bytes:?}");
                    assert_eq!(bits(digit_bytes(word)), expected(&|b| b.is_ascii_digit()), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn is_ipv4_agrees_with_std_on_every_octet_text() {
        let mut octets: Vec<String> =
            (0..1000).flat_map(|n| [format!("{n}"), format!("{n:02}"), format!("{n:03}")]).collect();
        octets.extend(["", "+1", "-1", "1a", "a", "0x1", "1 "].map(String::from));
        for octet in &octets {
            for text in [format!("{octet}.0.0.1"), format!("10.0.0.{octet}")] {
                assert_eq!(is_ipv4(&text), text.parse::<std::net::Ipv4Addr>().is_ok(), "{text}");
            }
        }
    }
}
