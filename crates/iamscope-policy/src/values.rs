//! Typed condition values: the parsers that both the evaluator and the linter need.
//!
//! - dates: the W3C profile of ISO 8601 (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mmTZD`,
//!   `YYYY-MM-DDThh:mm:ssTZD`, `YYYY-MM-DDThh:mm:ss.sTZD`) and epoch (UNIX) seconds
//!   (condition operators page, "Date condition operators");
//! - numbers: integers and decimals, compared exactly (no floating-point rounding);
//! - booleans: `true` / `false`, case-insensitive;
//! - IP addresses and CIDR ranges, IPv4 and IPv6; an address without a prefix is a `/32` (IPv4) or
//!   `/128` (IPv6) range ("IP address condition operators");
//! - binary: standard base-64 ("Binary condition operators").
//!
//! Every parser returns `None` for text it does not accept; none of them panics.

use std::cmp::Ordering;
use std::net::IpAddr;

/// An instant, as nanoseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    pub nanos: i128,
}

const NANOS_PER_SEC: i128 = 1_000_000_000;

impl Timestamp {
    pub fn from_epoch_seconds(secs: i64) -> Timestamp {
        Timestamp {
            nanos: secs as i128 * NANOS_PER_SEC,
        }
    }

    /// Whole seconds since the epoch (rounded towards negative infinity).
    pub fn epoch_seconds(&self) -> i128 {
        self.nanos.div_euclid(NANOS_PER_SEC)
    }

    /// `YYYY-MM-DDThh:mm:ssZ` (with `.fffffffff` when there are sub-second digits). `None` for
    /// years outside 0..=9999.
    pub fn to_iso8601(&self) -> Option<String> {
        let secs = self.epoch_seconds();
        let sub = self.nanos.rem_euclid(NANOS_PER_SEC);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(i64::try_from(days).ok()?);
        if !(0..=9999).contains(&y) {
            return None;
        }
        let (hh, mm, ss) = (rem / 3600, (rem % 3600) / 60, rem % 60);
        let mut s = format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}");
        if sub != 0 {
            let frac = format!("{sub:09}");
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        s.push('Z');
        Some(s)
    }
}

/// Parses a date condition value: ISO 8601 (W3C profile; a missing time zone means UTC) or epoch
/// seconds (an optional sign, digits, and an optional fraction).
pub fn parse_date(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(t) = parse_epoch(s) {
        return Some(t);
    }
    parse_iso8601(s)
}

fn parse_epoch(s: &str) -> Option<Timestamp> {
    let (neg, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    // A bare four-digit number is ambiguous (a year or a second count); the W3C profile reads it
    // as a year, so epoch values need at least five digits or a fraction.
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (int.len() == 4 && frac.is_empty() && !neg && !s.starts_with('+'))
        || int.len() > 20
    {
        return None;
    }
    let secs: i128 = int.parse().ok()?;
    let mut nanos: i128 = 0;
    for (i, b) in frac.bytes().take(9).enumerate() {
        nanos += (b - b'0') as i128 * 10i128.pow(8 - i as u32);
    }
    let total = secs.checked_mul(NANOS_PER_SEC)?.checked_add(nanos)?;
    Some(Timestamp {
        nanos: if neg { -total } else { total },
    })
}

fn digits(s: &[u8], n: usize) -> Option<u32> {
    if s.len() < n || !s[..n].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s[..n].iter().fold(0u32, |a, b| a * 10 + (b - b'0') as u32))
}

fn parse_iso8601(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    let year = digits(b, 4)? as i64;
    let mut i = 4;
    let (mut month, mut day) = (1u32, 1u32);
    let (mut hour, mut minute, mut second, mut nanos) = (0u32, 0u32, 0u32, 0i128);
    let mut offset_secs: i64 = 0;
    if i < b.len() {
        if b[i] != b'-' {
            return None;
        }
        month = digits(&b[i + 1..], 2)?;
        i += 3;
        if i < b.len() {
            if b[i] != b'-' {
                return None;
            }
            day = digits(&b[i + 1..], 2)?;
            i += 3;
            if i < b.len() {
                if b[i] != b'T' && b[i] != b't' {
                    return None;
                }
                hour = digits(&b[i + 1..], 2)?;
                if b.get(i + 3) != Some(&b':') {
                    return None;
                }
                minute = digits(&b[i + 4..], 2)?;
                i += 6;
                if b.get(i) == Some(&b':') {
                    second = digits(&b[i + 1..], 2)?;
                    i += 3;
                    if b.get(i) == Some(&b'.') {
                        i += 1;
                        let start = i;
                        while i < b.len() && b[i].is_ascii_digit() {
                            if i - start < 9 {
                                nanos += (b[i] - b'0') as i128 * 10i128.pow(8 - (i - start) as u32);
                            }
                            i += 1;
                        }
                        if i == start {
                            return None;
                        }
                    }
                }
                // Time zone designator: Z, +hh:mm, -hh:mm (or +hhmm); absent means UTC.
                match b.get(i) {
                    None => {}
                    Some(b'Z') | Some(b'z') => i += 1,
                    Some(&sign @ (b'+' | b'-')) => {
                        let oh = digits(&b[i + 1..], 2)?;
                        let rest = &b[i + 3..];
                        let om = if rest.first() == Some(&b':') {
                            i += 6;
                            digits(&rest[1..], 2)?
                        } else if rest.is_empty() {
                            i += 3;
                            0
                        } else {
                            i += 5;
                            digits(rest, 2)?
                        };
                        if oh > 23 || om > 59 {
                            return None;
                        }
                        let off = (oh as i64) * 3600 + (om as i64) * 60;
                        offset_secs = if sign == b'+' { off } else { -off };
                    }
                    Some(_) => return None,
                }
                if i != b.len() {
                    return None;
                }
            }
        }
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 24
        || (hour == 24 && (minute != 0 || second != 0 || nanos != 0))
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs =
        days * 86_400 + hour as i64 * 3600 + minute as i64 * 60 + second as i64 - offset_secs;
    Some(Timestamp {
        nanos: secs as i128 * NANOS_PER_SEC + nanos,
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// An exact decimal number: compares without rounding, so `10` equals `10.0` and
/// `0.30000000000000001` is greater than `0.3`.
#[derive(Clone, Debug)]
pub struct Decimal {
    negative: bool,
    /// Integer digits without leading zeros.
    int: String,
    /// Fraction digits without trailing zeros.
    frac: String,
}

impl Decimal {
    fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.is_empty()
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |d: &Decimal| {
            if d.is_zero() {
                0
            } else if d.negative {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal if sign(self) < 0 => other.cmp_magnitude(self),
            Ordering::Equal => self.cmp_magnitude(other),
            o => o,
        }
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Parses an integer or decimal (`42`, `-3`, `+1.50`, `.5`, `10.`). Exponents are not accepted.
pub fn parse_number(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(Decimal {
        negative,
        int: int.trim_start_matches('0').to_string(),
        frac: frac.trim_end_matches('0').to_string(),
    })
}

/// `true` or `false`, case-insensitive.
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An IP range: an address and a prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IpRange {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    /// True when `ip` is inside the range (an IPv4 address never lies in an IPv6 range, and the
    /// other way round).
    pub fn contains(&self, ip: &IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - self.prefix as u32)
                };
                u32::from(net) & mask == u32::from(*ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.prefix as u32)
                };
                u128::from(net) & mask == u128::from(*ip) & mask
            }
            _ => false,
        }
    }
}

/// Parses `203.0.113.0/24`, `2001:DB8::/32` or a bare address (a `/32` or `/128` range).
pub fn parse_ip_range(s: &str) -> Option<IpRange> {
    let s = s.trim();
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) => {
            if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let p: u8 = p.parse().ok()?;
            if p > max {
                return None;
            }
            p
        }
    };
    Some(IpRange { addr, prefix })
}

/// Parses an IP address as found in a request (`aws:SourceIp`); a value with a prefix is read as
/// its address.
pub fn parse_ip_addr(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let a = s.split_once('/').map_or(s, |(a, _)| a);
    a.parse().ok()
}

/// Decodes standard base-64 (RFC 4648 alphabet; padding optional; ASCII whitespace ignored).
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut padding = 0usize;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        if padding > 0 {
            return None;
        }
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero padding of a final partial group (2 or 4 bits), never 6.
    if bits >= 6 || padding > 2 || acc != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> i128 {
        parse_date(s).unwrap().epoch_seconds()
    }

    #[test]
    fn dates() {
        assert_eq!(date("1970-01-01T00:00:00Z"), 0);
        assert_eq!(date("2020-01-01T00:00:01Z"), 1_577_836_801);
        assert_eq!(date("2020-01-01T00:00:01+01:00"), 1_577_836_801 - 3600);
        assert_eq!(date("2020-01-01T00:00:01-0130"), 1_577_836_801 + 5400);
        assert_eq!(date("2020"), 1_577_836_800);
        assert_eq!(date("2020-02"), 1_580_515_200);
        assert_eq!(date("2020-02-29"), 1_582_934_400);
        assert_eq!(date("2020-01-01T10:30Z"), 1_577_874_600);
        assert_eq!(date("1577836801"), 1_577_836_801);
        assert_eq!(
            parse_date("2020-01-01T00:00:01.5Z").unwrap().nanos,
            1_577_836_801_500_000_000
        );
        assert_eq!(date("1999-12-31"), 946_598_400);
        for bad in [
            "",
            "2019-02-29",
            "2020-13-01",
            "2020-01-01T25:00Z",
            "2020-01-01 00:00:00Z",
            "yesterday",
            "2020-01-01T00:00:00X",
            "2020-1-1",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
        let t = parse_date("2024-03-05T06:07:08.25Z").unwrap();
        assert_eq!(t.to_iso8601().unwrap(), "2024-03-05T06:07:08.25Z");
        assert_eq!(
            Timestamp::from_epoch_seconds(0).to_iso8601().unwrap(),
            "1970-01-01T00:00:00Z"
        );
    }

    #[test]
    fn numbers() {
        let n = |s| parse_number(s).unwrap();
        assert_eq!(n("10"), n("10.0"));
        assert_eq!(n("-0"), n("0"));
        assert!(n("9") < n("10"));
        assert!(n("-10") < n("-9"));
        assert!(n("0.30000000000000001") > n("0.3"));
        assert!(n(".5") < n("1"));
        assert!(n("123456789012345678901234567890") > n("123456789012345678901234567889"));
        for bad in ["", "-", "1e3", "0x10", "1.2.3", " "] {
            assert!(parse_number(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ips() {
        let r = parse_ip_range("203.0.113.0/24").unwrap();
        assert!(r.contains(&"203.0.113.200".parse().unwrap()));
        assert!(!r.contains(&"203.0.114.1".parse().unwrap()));
        let r = parse_ip_range("10.1.2.3").unwrap();
        assert_eq!(r.prefix, 32);
        assert!(r.contains(&"10.1.2.3".parse().unwrap()));
        let r = parse_ip_range("2001:DB8:1234:5678::/64").unwrap();
        assert!(r.contains(&"2001:db8:1234:5678:abcd::1".parse().unwrap()));
        assert!(!r.contains(&"10.0.0.1".parse().unwrap()));
        assert!(
            parse_ip_range("0.0.0.0/0")
                .unwrap()
                .contains(&"8.8.8.8".parse().unwrap())
        );
        assert!(parse_ip_range("10.0.0.0/33").is_none());
        assert!(parse_ip_range("10.0.0/8").is_none());
        assert_eq!(
            parse_ip_addr("10.0.0.1/8"),
            Some("10.0.0.1".parse().unwrap())
        );
    }

    #[test]
    fn base64() {
        assert_eq!(
            decode_base64("QmluYXJ5VmFsdWVJbkJhc2U2NA==").unwrap(),
            b"BinaryValueInBase64"
        );
        assert_eq!(decode_base64("YQ").unwrap(), b"a");
        assert_eq!(decode_base64("").unwrap(), b"");
        assert!(decode_base64("Y").is_none());
        assert!(decode_base64("YQ=A").is_none());
        assert!(decode_base64("*").is_none());
    }

    #[test]
    fn bools() {
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("yes"), None);
    }

    proptest::proptest! {
        #[test]
        fn civil_round_trip(days in -1_000_000i64..1_000_000) {
            let (y, m, d) = civil_from_days(days);
            proptest::prop_assert_eq!(days_from_civil(y, m, d), days);
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_date(&s);
            let _ = parse_number(&s);
            let _ = parse_ip_range(&s);
            let _ = decode_base64(&s);
        }
    }
}
