//! Timestamps: every Logpush format in, the seed samples' format out.
//!
//! In: RFC 3339 strings with 0–9 fractional digits and `Z` or an offset (`rfc3339`,
//! `rfc3339ms`, `rfc3339ns`), and integers — JSON numbers or numeric strings — in seconds,
//! milliseconds, microseconds or nanoseconds. Integers are parsed as integers: nanoseconds
//! since the epoch do not fit an f64.
//! Out: UTC `YYYY-MM-DDTHH:MM:SSZ`, or `YYYY-MM-DDTHH:MM:SS.ffffffZ` when the sub-second part
//! is non-zero (always 6 digits; finer digits are truncated).

use chrono::DateTime;

/// A point in time, UTC, within the years 0000–9999 (what the output format can express).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

/// The unit of an integer timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Decided by magnitude: Logpush's `unix` (seconds) and `unixnano` (nanoseconds) job
    /// settings share one field, and the record does not say which was used.
    Auto,
    Millis,
    Nanos,
}

/// Seconds from 0000-01-01 to 1970-01-01, and from 1970-01-01 to 10000-01-01.
const MIN_SECS: i64 = -62_167_219_200;
const MAX_SECS: i64 = 253_402_300_800;

impl Timestamp {
    pub fn new(secs: i64, nanos: u32) -> Option<Self> {
        ((MIN_SECS..MAX_SECS).contains(&secs) && nanos < 1_000_000_000)
            .then_some(Timestamp { secs, nanos })
    }

    /// An integer count of `unit` since the epoch.
    pub fn from_integer(value: i64, unit: Unit) -> Option<Self> {
        let divisor: i64 = match unit {
            Unit::Millis => 1_000,
            Unit::Nanos => 1_000_000_000,
            Unit::Auto => match value.unsigned_abs() {
                0..100_000_000_000 => 1,                          // seconds: up to year 5138
                100_000_000_000..100_000_000_000_000 => 1_000,     // milliseconds
                100_000_000_000_000..100_000_000_000_000_000 => 1_000_000, // microseconds
                _ => 1_000_000_000,                               // nanoseconds
            },
        };
        let secs = value.div_euclid(divisor);
        let sub = value.rem_euclid(divisor);
        let nanos = u32::try_from(sub * (1_000_000_000 / divisor)).ok()?;
        Timestamp::new(secs, nanos)
    }

    /// An RFC 3339 string, or an integer written as a string.
    pub fn parse_str(text: &str, unit: Unit) -> Option<Self> {
        let text = crate::json::trim(text);
        if let Some(value) = crate::json::parse_i64(text) {
            return Timestamp::from_integer(value, unit);
        }
        Timestamp::parse_utc(text).or_else(|| {
            let parsed = DateTime::parse_from_rfc3339(text).ok()?;
            Timestamp::new(parsed.timestamp(), parsed.timestamp_subsec_nanos())
        })
    }

    /// The shape Logpush writes, `YYYY-MM-DDTHH:MM:SS[.f]Z` with 1–9 fractional digits,
    /// without chrono's general parser. `None` for anything else (offsets, lowercase `t`/`z`,
    /// leap seconds, more fractional digits, invalid dates), which chrono then decides.
    fn parse_utc(text: &str) -> Option<Self> {
        let (head, rest) = text.as_bytes().split_first_chunk::<19>()?;
        let [y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':', s0, s1] = *head else {
            return None;
        };
        let nanos = match rest {
            [b'Z'] => 0,
            // Scaled to nanoseconds: one zero for each of the 9 digits not written.
            [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) => {
                (fraction.len()..9).fold(decimal(fraction)?, |nanos, _| nanos * 10)
            }
            _ => return None,
        };
        let (year, month, day) = (decimal(&[y0, y1, y2, y3])?, decimal(&[mo0, mo1])?, decimal(&[d0, d1])?);
        let (hour, minute, second) = (decimal(&[h0, h1])?, decimal(&[mi0, mi1])?, decimal(&[s0, s1])?);
        // Declines second 60, a leap second, for chrono's parser.
        if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) || hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let seconds_of_day = i64::from(hour * 3600 + minute * 60 + second);
        Timestamp::new(days_from_civil(year, month, day) * 86_400 + seconds_of_day, nanos)
    }

    /// Nanoseconds from `earlier` to `self` (negative when `self` is before it), for
    /// `event.duration`.
    pub fn nanos_since(&self, earlier: &Timestamp) -> Option<i64> {
        let secs = self.secs.checked_sub(earlier.secs)?;
        let nanos = i64::from(self.nanos) - i64::from(earlier.nanos);
        secs.checked_mul(1_000_000_000)?.checked_add(nanos)
    }

    /// Appends the ECS form (`2022-07-07T22:42:06.004000Z`).
    pub fn write_ecs(&self, out: &mut Vec<u8>) {
        // Plain arithmetic rather than chrono's calendar types or `fmt`: this runs for every
        // timestamp written, and took several times longer through `DateTime`.
        // Counted from 0000-01-01, which `Timestamp::new` keeps non-negative: unsigned
        // divisions are cheaper.
        let since_year_0 = u64::try_from(self.secs - MIN_SECS).unwrap_or_default();
        // Divided as 128 * 675 so that the second division is of 32 bits: a 64-bit division
        // by a constant is a 128-bit multiplication, a library call in WebAssembly.
        let days = (since_year_0 >> 7) as u32 / 675;
        let second_of_day = (since_year_0 - u64::from(days) * 86_400) as u32;
        let (year, month, day) = civil_from_days(u64::from(days));
        let [y0, y1] = two_digits(year / 100);
        let [y2, y3] = two_digits(year % 100);
        let [mo0, mo1] = two_digits(month);
        let [d0, d1] = two_digits(day);
        let [h0, h1] = two_digits(second_of_day / 3600);
        let [mi0, mi1] = two_digits(second_of_day / 60 % 60);
        let [s0, s1] = two_digits(second_of_day % 60);
        out.extend_from_slice(&[
            y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':', s0, s1,
        ]);
        let micros = self.nanos / 1_000;
        if micros != 0 {
            let [u0, u1] = two_digits(micros / 10_000);
            let [u2, u3] = two_digits(micros / 100 % 100);
            let [u4, u5] = two_digits(micros % 100);
            out.extend_from_slice(&[b'.', u0, u1, u2, u3, u4, u5]);
        }
        out.push(b'Z');
    }
}

/// Days from 1970-01-01 to a date of the years 0000-9999 (Howard Hinnant's
/// `days_from_civil`), in 32-bit arithmetic but for the last step: 64-bit divisions by a
/// constant are 128-bit multiplications, library calls in WebAssembly.
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    // Years from -0400, one 400-year era before Hinnant's 0000, counted from March.
    let year = year + 400 - u32::from(month <= 2);
    let (era, year_of_era) = (year / 400, year % 400);
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1; // from March 1st
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    i64::from(era * 146_097 + day_of_era) - 719_468 - 146_097
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `(year, month, day)` of a day counted from 0000-01-01 (Howard Hinnant's `civil_from_days`),
/// for the years `Timestamp` allows (0000-9999).
fn civil_from_days(days: u64) -> (u32, u32, u32) {
    // Days from -0400-03-01, one 400-year era before Hinnant's 0000-03-01, so that January and
    // February of year 0 are not negative; below 2^32 for years up to 9999.
    let z = u32::try_from(days + 146_097 - 60).unwrap_or_default();
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // from March 1st
    let month_index = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = (year_of_era + era * 400 + u32::from(month <= 2)).saturating_sub(400);
    (year, month, day)
}

/// The value of a run of ASCII digits (at most 9, so it fits), or `None` if any is not one.
fn decimal(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0, |value, &d| d.is_ascii_digit().then(|| value * 10 + u32::from(d - b'0')))
}

/// `value` (below 100) as two decimal digits.
fn two_digits(value: u32) -> [u8; 2] {
    // Both below 10 for such values, so the casts are lossless.
    [b'0' + (value / 10) as u8, b'0' + (value % 10) as u8]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike};

    fn ecs(ts: Option<Timestamp>) -> String {
        let mut out = Vec::new();
        ts.expect("a timestamp").write_ecs(&mut out);
        String::from_utf8(out).expect("ascii")
    }

    #[test]
    fn integers_by_magnitude() {
        assert_eq!(ecs(Timestamp::from_integer(1_657_233_726_004_000_000, Unit::Auto)), "2022-07-07T22:42:06.004000Z");
        assert_eq!(ecs(Timestamp::from_integer(1_506_702_504_433_000_200, Unit::Auto)), "2017-09-29T16:28:24.433000Z");
        assert_eq!(ecs(Timestamp::from_integer(1_506_702_504, Unit::Auto)), "2017-09-29T16:28:24Z");
        assert_eq!(ecs(Timestamp::from_integer(1_506_702_504_433, Unit::Auto)), "2017-09-29T16:28:24.433000Z");
        assert_eq!(ecs(Timestamp::from_integer(1_506_702_504_433_001, Unit::Auto)), "2017-09-29T16:28:24.433001Z");
        assert_eq!(ecs(Timestamp::from_integer(0, Unit::Auto)), "1970-01-01T00:00:00Z");
        assert_eq!(ecs(Timestamp::from_integer(-1, Unit::Auto)), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn fixed_units() {
        assert_eq!(ecs(Timestamp::from_integer(1_700_000_000_123, Unit::Millis)), "2023-11-14T22:13:20.123000Z");
        assert_eq!(ecs(Timestamp::from_integer(5_000, Unit::Nanos)), "1970-01-01T00:00:00.000005Z");
    }

    #[test]
    fn rfc3339_variants() {
        assert_eq!(ecs(Timestamp::parse_str("2023-02-24T16:32:38Z", Unit::Auto)), "2023-02-24T16:32:38Z");
        assert_eq!(ecs(Timestamp::parse_str("2017-09-29T16:28:24.433Z", Unit::Auto)), "2017-09-29T16:28:24.433000Z");
        assert_eq!(ecs(Timestamp::parse_str("2017-09-29T16:28:24.433000200Z", Unit::Auto)), "2017-09-29T16:28:24.433000Z");
        assert_eq!(ecs(Timestamp::parse_str("2017-09-30T00:28:24+08:00", Unit::Auto)), "2017-09-29T16:28:24Z");
        assert_eq!(ecs(Timestamp::parse_str("2017-09-29T16:28:24.000000900Z", Unit::Auto)), "2017-09-29T16:28:24Z");
        assert_eq!(ecs(Timestamp::parse_str("1657233726004000000", Unit::Auto)), "2022-07-07T22:42:06.004000Z");
    }

    #[test]
    fn nanos_between_timestamps() {
        let start = Timestamp::parse_str("2023-02-24T16:32:38.5Z", Unit::Auto).expect("start");
        let end = Timestamp::parse_str("2023-02-24T16:32:40.25Z", Unit::Auto).expect("end");
        assert_eq!(end.nanos_since(&start), Some(1_750_000_000));
        assert_eq!(start.nanos_since(&end), Some(-1_750_000_000));
    }

    #[test]
    fn writes_what_chrono_computes() {
        let chrono_ecs = |ts: &Timestamp| {
            let time = DateTime::from_timestamp(ts.secs, ts.nanos).unwrap();
            let micros = ts.nanos / 1_000;
            let fraction = if micros == 0 { String::new() } else { format!(".{micros:06}") };
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z",
                time.year(),
                time.month(),
                time.day(),
                time.hour(),
                time.minute(),
                time.second()
            )
        };
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut samples = vec![MIN_SECS, MAX_SECS - 1, -1, 0, 951_782_400, 4_107_542_400, -62_135_596_800];
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            samples.push(MIN_SECS + (seed % (MAX_SECS - MIN_SECS) as u64) as i64);
        }
        for (i, secs) in samples.into_iter().enumerate() {
            let ts = Timestamp::new(secs, [0, 999_999_999, 4_000_000, 1_000][i % 4]).unwrap();
            assert_eq!(ecs(Some(ts)), chrono_ecs(&ts), "{secs}");
        }
    }

    /// `parse_str` for RFC 3339 through chrono only: what the fast path must agree with.
    fn with_chrono(text: &str) -> Option<Timestamp> {
        let parsed = DateTime::parse_from_rfc3339(text).ok()?;
        Timestamp::new(parsed.timestamp(), parsed.timestamp_subsec_nanos())
    }

    #[test]
    fn utc_fast_path_takes_logpush_shapes() {
        for text in [
            "2024-03-11T16:16:09Z",
            "2024-03-01T21:11:26.504014567Z",
            "2024-03-23T00:57:26.615Z",
            "2024-03-23T00:57:26.6Z",
            "2024-02-29T23:59:59.000000000Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
        ] {
            let fast = Timestamp::parse_utc(text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, with_chrono(text), "{text}");
        }
    }

    #[test]
    fn utc_fast_path_declines_the_rest_to_chrono() {
        for text in [
            "2017-09-30T00:28:24+08:00",
            "2017-09-29T16:28:24.5-00:30",
            "2017-09-29T16:28:24+00:00",
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:60.5Z",
            "2017-09-29t16:28:24z",
            "2017-09-29t16:28:24Z",
            "2017-09-29 16:28:24Z",
            "2017-09-29T16:28:24.4330002001Z",
            "2017-09-29T16:28:24.Z",
            "2017-09-29T16:28:24.12a4Z",
            "2017-09-29T16:28:24",
            "2017-09-29T16:28:24ZZ",
            "2023-02-29T00:00:00Z",
            "2023-04-31T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-00-01T00:00:00Z",
            "2023-01-00T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T00:60:00Z",
            "+2023-01-01T00:00:00Z",
            "2023-1-01T00:00:00Z",
            "2023-01-01T00:00:0+Z",
            "１２３４-01-01T00:00:00Z",
        ] {
            assert_eq!(Timestamp::parse_utc(text), None, "{text}");
            assert_eq!(Timestamp::parse_str(text, Unit::Auto), with_chrono(text), "{text}");
        }
        // What chrono makes of some of them.
        assert_eq!(ecs(Timestamp::parse_str("2017-09-29t16:28:24z", Unit::Auto)), "2017-09-29T16:28:24Z");
        assert_eq!(
            ecs(Timestamp::parse_str("2017-09-29T16:28:24.4330012001Z", Unit::Auto)),
            "2017-09-29T16:28:24.433001Z"
        );
        assert_eq!(Timestamp::parse_str("2023-02-29T00:00:00Z", Unit::Auto), None);
    }

    #[test]
    fn utc_fast_path_agrees_with_chrono_on_every_day_of_the_month() {
        for year in [0, 1, 3, 4, 100, 400, 1900, 1970, 2000, 2023, 2024, 9996, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    for time in ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60"] {
                        let text = format!("{year:04}-{month:02}-{day:02}T{time}Z");
                        assert_eq!(Timestamp::parse_utc(&text), with_chrono(&text).filter(|_| !time.ends_with(":60")), "{text}");
                    }
                }
            }
        }
    }

    #[test]
    fn utc_fast_path_agrees_with_chrono_across_the_range() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let secs = MIN_SECS + (seed % (MAX_SECS - MIN_SECS) as u64) as i64;
            let nanos = (seed >> 33) as u32 % 1_000_000_000;
            let time = DateTime::from_timestamp(secs, nanos).unwrap();
            let digits = i % 10;
            let text = match digits {
                0 => time.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                _ => format!("{}.{}Z", time.format("%Y-%m-%dT%H:%M:%S"), &format!("{nanos:09}")[..digits]),
            };
            let fast = Timestamp::parse_utc(&text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, with_chrono(&text), "{text}");
        }
    }

    #[test]
    fn unix_strings() {
        assert_eq!(ecs(Timestamp::parse_str(" 1710524263 ", Unit::Auto)), "2024-03-15T17:37:43Z");
        assert_eq!(ecs(Timestamp::parse_str("+1710524263", Unit::Auto)), "2024-03-15T17:37:43Z");
        assert_eq!(ecs(Timestamp::parse_str("-1", Unit::Auto)), "1969-12-31T23:59:59Z");
        assert_eq!(ecs(Timestamp::parse_str("1710524263123", Unit::Auto)), "2024-03-15T17:37:43.123000Z");
        assert_eq!(ecs(Timestamp::parse_str("9223372036854775807", Unit::Auto)), "2262-04-11T23:47:16.854775Z");
        assert_eq!(Timestamp::parse_str("9223372036854775808", Unit::Auto), None);
        assert_eq!(Timestamp::parse_str("-99999999999", Unit::Auto), None);
    }

    #[test]
    fn rejects_garbage_and_out_of_range() {
        assert_eq!(Timestamp::parse_str("yesterday", Unit::Auto), None);
        assert_eq!(Timestamp::parse_str("", Unit::Auto), None);
        assert_eq!(Timestamp::parse_str("2023-13-01T00:00:00Z", Unit::Auto), None);
        assert_eq!(Timestamp::from_integer(i64::MAX, Unit::Auto).map(|t| t.secs), Some(9_223_372_036));
        assert_eq!(Timestamp::from_integer(i64::MIN, Unit::Auto).map(|t| t.secs), Some(-9_223_372_037));
        assert!(Timestamp::from_integer(99_999_999_999, Unit::Auto).is_some()); // year 5138
        assert_eq!(Timestamp::new(MAX_SECS, 0), None);
        assert_eq!(ecs(Timestamp::new(MIN_SECS, 0)), "0000-01-01T00:00:00Z");
    }
}
