//! Condition entries as the search sees them: a quick check of whether a candidate context value
//! satisfies an entry (to pick candidates; the evaluator has the last word), and the candidate
//! values worth trying for a key, derived from every entry on that key.
//!
//! Semantics follow reference_policies_elements_condition_operators.md and
//! reference_policies_multi-value-conditions.md, as the evaluator implements them.

use std::cmp::Ordering;
use std::net::IpAddr;

use iamscope_policy::values::{
    Timestamp, decode_base64, parse_bool, parse_date, parse_ip_addr, parse_ip_range, parse_number,
};
use iamscope_policy::wildcard::Pattern;
use iamscope_policy::{BaseOperator, Operator, OperatorFamily, SetQualifier};

use crate::glob::{Glob, Solved, solve};

/// One condition entry: operator, key, values.
#[derive(Clone, Debug)]
pub(crate) struct CondEntry {
    pub op: Operator,
    pub key: String,
    pub key_lower: String,
    pub values: Vec<String>,
    /// A value holds a policy variable: the check below treats it as literal text.
    pub has_variables: bool,
}

impl CondEntry {
    /// The content key atoms are interned by.
    pub fn canonical(&self) -> String {
        let mut vals = self.values.clone();
        iamscope_syntax::sort::sort(&mut vals);
        vals.dedup();
        format!(
            "{}\u{1}{}\u{1}{}",
            self.op.name(),
            self.key_lower,
            vals.join("\u{2}")
        )
    }

    /// Does the entry hold for the request's values of its key (`None`: the key is absent)?
    pub fn holds(&self, req: Option<&[String]>) -> bool {
        let base = self.op.base;
        if base == BaseOperator::Null {
            let is_null = req.is_none_or(|v| v.is_empty() || v.iter().all(String::is_empty));
            return self
                .values
                .iter()
                .any(|p| parse_bool(p).is_some_and(|b| b == is_null));
        }
        let negated = base.is_negated();
        let single = |r: &str| self.values.iter().any(|p| positive(base, r, p)) != negated;
        match req {
            None => {
                if self.op.if_exists {
                    true
                } else {
                    match self.op.qualifier {
                        Some(SetQualifier::ForAllValues) => true,
                        Some(SetQualifier::ForAnyValue) => false,
                        None => negated,
                    }
                }
            }
            Some(values) => match self.op.qualifier {
                None => {
                    values
                        .iter()
                        .any(|r| self.values.iter().any(|p| positive(base, r, p)))
                        != negated
                }
                Some(q) => {
                    let set = values.iter().filter(|v| !v.is_empty());
                    match q {
                        SetQualifier::ForAllValues => set.clone().all(|r| single(r)),
                        SetQualifier::ForAnyValue => set.clone().any(|r| single(r)),
                    }
                }
            },
        }
    }
}

fn positive(base: BaseOperator, r: &str, p: &str) -> bool {
    use BaseOperator as B;
    let ord_ok = |o: Ordering| match base {
        B::NumericEquals | B::NumericNotEquals | B::DateEquals | B::DateNotEquals => {
            o == Ordering::Equal
        }
        B::NumericLessThan | B::DateLessThan => o == Ordering::Less,
        B::NumericLessThanEquals | B::DateLessThanEquals => o != Ordering::Greater,
        B::NumericGreaterThan | B::DateGreaterThan => o == Ordering::Greater,
        B::NumericGreaterThanEquals | B::DateGreaterThanEquals => o != Ordering::Less,
        _ => false,
    };
    match base.family() {
        OperatorFamily::String => match base {
            B::StringLike | B::StringNotLike => Pattern::new(p, false).matches(r),
            B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => {
                r.to_lowercase() == p.to_lowercase()
            }
            _ => r == p,
        },
        OperatorFamily::Arn => Glob::arn(p, false).matches(r),
        OperatorFamily::Numeric => match (parse_number(r), parse_number(p)) {
            (Some(x), Some(y)) => ord_ok(x.cmp(&y)),
            _ => false,
        },
        OperatorFamily::Date => match (parse_date(r), parse_date(p)) {
            (Some(x), Some(y)) => ord_ok(x.cmp(&y)),
            _ => false,
        },
        OperatorFamily::Bool => parse_bool(r).is_some() && parse_bool(r) == parse_bool(p),
        OperatorFamily::Binary => match (decode_base64(r), decode_base64(p)) {
            (Some(x), Some(y)) => x == y,
            (None, Some(y)) => r.as_bytes() == y.as_slice(),
            _ => false,
        },
        OperatorFamily::Ip => match (parse_ip_addr(r), parse_ip_range(p)) {
            (Some(ip), Some(range)) => range.contains(&ip),
            _ => false,
        },
        OperatorFamily::Null => false,
    }
}

/// A candidate value for a key: absent, or a list of values.
pub(crate) type Value = Option<Vec<String>>;

/// Candidate values for one key, from every entry on it (`entries` all share the key). Absent
/// comes first, then values that satisfy one entry while escaping the others, then plain values.
pub(crate) fn candidates(entries: &[&CondEntry]) -> Vec<Value> {
    let mut singles: Vec<String> = Vec::new();
    let push = |v: String, out: &mut Vec<String>| {
        if !out.contains(&v) {
            out.push(v);
        }
    };
    let families: Vec<OperatorFamily> = entries.iter().map(|e| e.op.base.family()).collect();
    let is = |f: OperatorFamily| families.contains(&f);
    // Strings and ARNs: solve "matches this value and none of the other entries' values".
    let globs: Vec<(Glob, usize)> = entries
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            let fam = e.op.base.family();
            e.values.iter().filter_map(move |v| match fam {
                OperatorFamily::String => Some((
                    match e.op.base {
                        BaseOperator::StringLike | BaseOperator::StringNotLike => Glob::like(v),
                        _ => Glob::literal(v),
                    },
                    i,
                )),
                OperatorFamily::Arn => Some((Glob::arn(v, false), i)),
                _ => None,
            })
        })
        .collect();
    if is(OperatorFamily::String) || is(OperatorFamily::Arn) {
        for (g, i) in &globs {
            let others: Vec<&Glob> = globs
                .iter()
                .filter(|(_, j)| j != i)
                .map(|(g, _)| g)
                .collect();
            if let Solved::Found(s) = solve(&[g], &others, 4_000) {
                push(s, &mut singles);
            }
            if let Solved::Found(s) = solve(&[g], &[], 4_000) {
                push(s, &mut singles);
            }
        }
        let all: Vec<&Glob> = globs.iter().map(|(g, _)| g).collect();
        if let Solved::Found(s) = solve(&[], &all, 4_000) {
            push(s, &mut singles);
        }
        for e in entries {
            if matches!(
                e.op.base,
                BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase
            ) {
                for v in &e.values {
                    push(v.to_uppercase(), &mut singles);
                    push(v.to_lowercase(), &mut singles);
                }
            }
        }
    }
    if is(OperatorFamily::Numeric) {
        for e in entries
            .iter()
            .filter(|e| e.op.base.family() == OperatorFamily::Numeric)
        {
            for v in &e.values {
                push(v.clone(), &mut singles);
                if let Ok(n) = v.trim().parse::<i128>() {
                    push((n + 1).to_string(), &mut singles);
                    push((n - 1).to_string(), &mut singles);
                } else if parse_number(v).is_some() {
                    // a decimal: step by one in the last written digit
                    for up in [true, false] {
                        if let Some(s) = step_decimal(v, up) {
                            push(s, &mut singles);
                        }
                    }
                }
            }
        }
    }
    if is(OperatorFamily::Date) {
        for e in entries
            .iter()
            .filter(|e| e.op.base.family() == OperatorFamily::Date)
        {
            for v in &e.values {
                push(v.clone(), &mut singles);
                if let Some(t) = parse_date(v) {
                    let secs = t.epoch_seconds();
                    for d in [1i128, -1] {
                        if let Ok(s) = i64::try_from(secs + d)
                            && let Some(iso) = Timestamp::from_epoch_seconds(s).to_iso8601()
                        {
                            push(iso, &mut singles);
                        }
                    }
                }
            }
        }
    }
    if is(OperatorFamily::Bool) || is(OperatorFamily::Null) {
        push("true".into(), &mut singles);
        push("false".into(), &mut singles);
    }
    if is(OperatorFamily::Binary) {
        for e in entries
            .iter()
            .filter(|e| e.op.base.family() == OperatorFamily::Binary)
        {
            for v in &e.values {
                push(v.clone(), &mut singles);
            }
        }
        push("aWFtc2NvcGU=".into(), &mut singles);
    }
    if is(OperatorFamily::Ip) {
        let ranges: Vec<_> = entries
            .iter()
            .filter(|e| e.op.base.family() == OperatorFamily::Ip)
            .flat_map(|e| e.values.iter().filter_map(|v| parse_ip_range(v)))
            .collect();
        // Inside each range, its bounds and the addresses just outside every other range: if a
        // range has an address outside the others, one of these is such an address.
        let mut ips: Vec<IpAddr> = Vec::new();
        for r in &ranges {
            let (lo, hi) = bounds(r.addr, r.prefix);
            ips.extend([lo, hi]);
            for o in &ranges {
                let (olo, ohi) = bounds(o.addr, o.prefix);
                ips.extend(neighbour(olo, -1));
                ips.extend(neighbour(ohi, 1));
            }
        }
        if !ranges.iter().any(|r| r.addr.is_ipv4()) {
            ips.push(IpAddr::from([203, 0, 113, 7]));
        }
        for ip in ips {
            push(ip.to_string(), &mut singles);
        }
    }
    let mut out: Vec<Value> = vec![None];
    out.extend(singles.iter().map(|s| Some(vec![s.clone()])));
    let set_ops = entries.iter().any(|e| e.op.qualifier.is_some());
    if set_ops && singles.len() >= 2 {
        out.push(Some(vec![singles[0].clone(), singles[1].clone()]));
        out.push(Some(vec![
            singles[0].clone(),
            singles[singles.len() - 1].clone(),
        ]));
        out.push(Some(Vec::new()));
    }
    if entries.iter().any(|e| e.op.base == BaseOperator::Null) && singles.is_empty() {
        out.push(Some(vec!["iamscope".into()]));
    }
    out
}

/// A complete set of representatives for numeric comparisons against the entries' values: each
/// value, a number just above each value (one unit past the most precise value's last digit),
/// one just below the smallest, and a non-number. `None` when a value does not parse or the
/// scaled numbers overflow.
fn numeric_reps(entries: &[&CondEntry]) -> Option<Vec<String>> {
    let texts: Vec<&str> = entries
        .iter()
        .flat_map(|e| e.values.iter())
        .map(|v| v.trim())
        .collect();
    let digits = texts
        .iter()
        .map(|t| t.split_once('.').map_or(0, |(_, f)| f.len()))
        .max()
        .unwrap_or(0)
        + 1;
    if digits > 20 {
        return None;
    }
    let scale = 10i128.checked_pow(u32::try_from(digits).ok()?)?;
    let mut nums: Vec<i128> = Vec::new();
    for t in texts {
        parse_number(t)?;
        let (neg, body) = match t.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let int: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut f = frac.to_string();
        while f.len() < digits {
            f.push('0');
        }
        let frac: i128 = if f.is_empty() { 0 } else { f.parse().ok()? };
        let v = int.checked_mul(scale)?.checked_add(frac)?;
        nums.push(if neg { -v } else { v });
    }
    iamscope_syntax::sort::sort(&mut nums);
    nums.dedup();
    let mut reps: Vec<i128> = Vec::new();
    if let Some(first) = nums.first() {
        reps.push(first.checked_sub(1)?);
    }
    for n in &nums {
        reps.push(*n);
        reps.push(n.checked_add(1)?);
    }
    let fmt = |v: i128| {
        let sign = if v < 0 { "-" } else { "" };
        let a = v.unsigned_abs();
        let s = scale as u128;
        let frac = format!("{:0width$}", a % s, width = digits);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            format!("{sign}{}", a / s)
        } else {
            format!("{sign}{}.{frac}", a / s)
        }
    };
    let mut out: Vec<String> = reps.into_iter().map(fmt).collect();
    out.push("0".into());
    out.push("x".into());
    Some(out)
}

/// First and last address of a range.
fn bounds(addr: IpAddr, prefix: u8) -> (IpAddr, IpAddr) {
    match addr {
        IpAddr::V4(a) => {
            let v = u32::from(a);
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix.min(32)))
            };
            (
                IpAddr::from((v & mask).to_be_bytes()),
                IpAddr::from((v | !mask).to_be_bytes()),
            )
        }
        IpAddr::V6(a) => {
            let v = u128::from(a);
            let mask = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix.min(128)))
            };
            (
                IpAddr::from((v & mask).to_be_bytes()),
                IpAddr::from((v | !mask).to_be_bytes()),
            )
        }
    }
}

fn neighbour(ip: IpAddr, d: i8) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(a) => {
            let v = u32::from(a);
            let n = if d < 0 {
                v.checked_sub(1)
            } else {
                v.checked_add(1)
            }?;
            Some(IpAddr::from(n.to_be_bytes()))
        }
        IpAddr::V6(a) => {
            let v = u128::from(a);
            let n = if d < 0 {
                v.checked_sub(1)
            } else {
                v.checked_add(1)
            }?;
            Some(IpAddr::from(n.to_be_bytes()))
        }
    }
}

/// A decimal number (`[+-]digits[.digits]`, as [`parse_number`] accepts it) plus or minus one unit
/// in its last written digit, written with as many fraction digits as the input (`1.50` -> `1.51`
/// and `1.49`; `-0.1` + 0.1 -> `0.0`). Exact decimal arithmetic on the digits, so it works for
/// any length and keeps the binary float code out of the WebAssembly module.
fn step_decimal(v: &str, up: bool) -> Option<String> {
    let v = v.trim();
    let (negative, body) = match v.as_bytes().first()? {
        b'-' => (true, &v[1..]),
        b'+' => (false, &v[1..]),
        _ => (false, v),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    // |value| in units of the last digit, most significant digit first, with a spare leading 0.
    let mut digits: Vec<u8> = std::iter::once(0)
        .chain(int.bytes().chain(frac.bytes()).map(|b| b - b'0'))
        .collect();
    // Adding one unit to a negative value (or subtracting from a positive one) shrinks |value|,
    // unless it is zero: then the sign flips and |value| becomes one unit.
    let magnitude_up = up != negative;
    let is_zero = digits.iter().all(|&d| d == 0);
    let negative = if is_zero { !up } else { negative };
    if magnitude_up || is_zero {
        for d in digits.iter_mut().rev() {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                break;
            }
        }
    } else {
        for d in digits.iter_mut().rev() {
            if *d == 0 {
                *d = 9;
            } else {
                *d -= 1;
                break;
            }
        }
    }
    let split = digits.len() - frac.len();
    let int_digits = &digits[..split];
    let first = int_digits
        .iter()
        .position(|&d| d != 0)
        .unwrap_or(int_digits.len().saturating_sub(1));
    let mut out = String::with_capacity(digits.len() + 2);
    if negative && digits.iter().any(|&d| d != 0) {
        out.push('-');
    }
    out.extend(int_digits[first..].iter().map(|&d| char::from(b'0' + d)));
    if !frac.is_empty() {
        out.push('.');
        out.extend(digits[split..].iter().map(|&d| char::from(b'0' + d)));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_decimal_moves_the_last_written_digit() {
        let both = |v: &str| (step_decimal(v, true), step_decimal(v, false));
        let s = |x: &str| Some(x.to_string());
        assert_eq!(both("1.50"), (s("1.51"), s("1.49")));
        assert_eq!(both("-0.1"), (s("0.0"), s("-0.2")));
        assert_eq!(both("0.0"), (s("0.1"), s("-0.1")));
        assert_eq!(both("-0.0"), (s("0.1"), s("-0.1")));
        assert_eq!(both(" +.5 "), (s("0.6"), s("0.4")));
        assert_eq!(both("9.99"), (s("10.00"), s("9.98")));
        assert_eq!(both("-10.00"), (s("-9.99"), s("-10.01")));
        assert_eq!(both("0010."), (s("11"), s("9")));
        assert_eq!(
            both("123456789012345678901234567890.1"),
            (
                s("123456789012345678901234567890.2"),
                s("123456789012345678901234567890.0")
            )
        );
        assert_eq!(both("1.x"), (None, None));
        assert_eq!(both(""), (None, None));
    }

    /// Where binary floats are exact enough (at most 15 significant digits), the decimal step
    /// gives what `x +/- 10^-digits` formatted with `digits` decimals gives.
    #[test]
    fn step_decimal_agrees_with_floats_on_short_numbers() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let int_len = (next() % 6) as usize;
            let frac_len = (next() % 6) as usize;
            let digit = |r: u64| char::from(b'0' + (r % 10) as u8);
            let int: String = (0..int_len).map(|_| digit(next())).collect();
            let frac: String = (0..frac_len).map(|_| digit(next())).collect();
            let sign = ["", "-", "+"][(next() % 3) as usize];
            let v = format!("{sign}{int}.{frac}");
            if int.is_empty() && frac.is_empty() {
                continue;
            }
            let x: f64 = v.parse().unwrap();
            let step = 10f64.powi(-(frac_len as i32));
            for (up, y) in [(true, x + step), (false, x - step)] {
                let want = format!("{:.*}", frac_len, y);
                // a float sum of zero may carry a sign the decimal result does not
                let want = if want
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b == b'0' || b == b'.')
                {
                    want.trim_start_matches('-').to_string()
                } else {
                    want
                };
                assert_eq!(
                    step_decimal(&v, up).as_deref(),
                    Some(want.as_str()),
                    "{v} {up}"
                );
            }
        }
    }

    fn entry(op: &str, key: &str, values: &[&str]) -> CondEntry {
        CondEntry {
            op: Operator::parse(op).unwrap(),
            key: key.into(),
            key_lower: key.to_ascii_lowercase(),
            values: values.iter().map(|s| s.to_string()).collect(),
            has_variables: false,
        }
    }

    #[test]
    fn cidr_widening_finds_an_address_in_the_new_range_only() {
        let old = entry("IpAddress", "aws:SourceIp", &["10.0.0.0/24"]);
        let new = entry("IpAddress", "aws:SourceIp", &["10.0.0.0/16"]);
        let c = candidates(&[&old, &new]);
        assert!(
            c.iter()
                .any(|v| new.holds(v.as_deref()) && !old.holds(v.as_deref()))
        );
    }

    #[test]
    fn like_versus_equals() {
        let old = entry("StringEquals", "aws:PrincipalTag/team", &["dev"]);
        let new = entry("StringLike", "aws:PrincipalTag/team", &["dev*"]);
        let c = candidates(&[&old, &new]);
        assert!(
            c.iter()
                .any(|v| new.holds(v.as_deref()) && !old.holds(v.as_deref()))
        );
    }

    #[test]
    fn missing_keys() {
        let e = entry("StringNotEquals", "k", &["a"]);
        assert!(e.holds(None));
        let e = entry("StringEqualsIfExists", "k", &["a"]);
        assert!(e.holds(None));
        let e = entry("ForAnyValue:StringEquals", "k", &["a"]);
        assert!(!e.holds(None));
        let e = entry("Null", "k", &["true"]);
        assert!(e.holds(None) && !e.holds(Some(&["v".to_string()])));
        let e = entry("NumericLessThan", "k", &["10"]);
        assert!(e.holds(Some(&["9".to_string()])) && !e.holds(Some(&["10".to_string()])));
    }
}

/// The outcome of solving one key's facts exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeySolve {
    /// A value (or absence) that makes every `pos` entry hold and every `neg` entry fail.
    Value(Value),
    /// No request value can (exact).
    Empty,
    /// The entries are outside what the exact solver handles (numbers, dates, set operators,
    /// policy variables, case-insensitive strings).
    Unknown,
}

/// Solves one key exactly where the value domain can be reasoned about: strings and ARNs
/// (through the wildcard solver), booleans, IP addresses and `Null`. Without a set operator a
/// condition with several request values holds when any value matches (negated operators: when
/// none does), so the requirements split into "some value matches entry E" and "no value matches
/// entry A"; each "some value" gets its own value when one value cannot serve them all.
pub(crate) fn solve_key(pos: &[&CondEntry], neg: &[&CondEntry], max_states: usize) -> KeySolve {
    let all: Vec<&CondEntry> = pos.iter().chain(neg).copied().collect();
    if all
        .iter()
        .any(|e| e.has_variables || e.op.qualifier.is_some())
    {
        return KeySolve::Unknown;
    }
    let fits =
        |v: Option<&[String]>| pos.iter().all(|e| e.holds(v)) && neg.iter().all(|e| !e.holds(v));
    if fits(None) {
        return KeySolve::Value(None);
    }
    // Null entries: whether the key must be present.
    let mut need_present = false;
    for (e, want) in pos
        .iter()
        .map(|e| (e, true))
        .chain(neg.iter().map(|e| (e, false)))
    {
        if e.op.base == BaseOperator::Null {
            let says_null: Vec<bool> = e.values.iter().filter_map(|v| parse_bool(v)).collect();
            // holds when present iff some value is "false"
            let holds_present = says_null.contains(&false);
            if holds_present != want {
                return KeySolve::Empty; // absent was tried above; present cannot fit
            }
            need_present = true;
        }
    }
    let others: Vec<&CondEntry> = all
        .iter()
        .copied()
        .filter(|e| e.op.base != BaseOperator::Null)
        .collect();
    // Requirements: (entry, true) = some value matches it; (entry, false) = no value matches it.
    let mut some: Vec<&CondEntry> = Vec::new();
    let mut none: Vec<&CondEntry> = Vec::new();
    for (e, want) in pos
        .iter()
        .map(|e| (*e, true))
        .chain(neg.iter().map(|e| (*e, false)))
    {
        if e.op.base == BaseOperator::Null {
            continue;
        }
        if want != e.op.base.is_negated() {
            some.push(e);
        } else {
            none.push(e);
        }
    }
    let fam = |f: &[OperatorFamily]| others.iter().all(|e| f.contains(&e.op.base.family()));
    let matches = |e: &CondEntry, v: &str| e.values.iter().any(|p| positive(e.op.base, v, p));
    let case_sensitive = others.iter().all(|e| {
        !matches!(
            e.op.base,
            BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase
        )
    });
    let mut values: Vec<String> = Vec::new();
    if fam(&[OperatorFamily::String, OperatorFamily::Arn]) && case_sensitive {
        let glob = |e: &CondEntry, p: &str| match e.op.base {
            BaseOperator::StringLike | BaseOperator::StringNotLike => Glob::like(p),
            BaseOperator::StringEquals | BaseOperator::StringNotEquals => Glob::literal(p),
            _ => Glob::arn(p, false),
        };
        let forbidden: Vec<Glob> = none
            .iter()
            .flat_map(|e| e.values.iter().map(|p| glob(e, p)))
            .collect();
        let forbidden_refs: Vec<&Glob> = forbidden.iter().collect();
        if some.is_empty() {
            match solve(&[], &forbidden_refs, max_states) {
                Solved::Found(s) => values.push(s),
                Solved::Unsat => return KeySolve::Empty,
                Solved::Unknown => return KeySolve::Unknown,
            }
        }
        for e in &some {
            let mut unknown = false;
            let mut got = None;
            for p in &e.values {
                let g = glob(e, p);
                match solve(&[&g], &forbidden_refs, max_states) {
                    Solved::Found(s) => {
                        got = Some(s);
                        break;
                    }
                    Solved::Unsat => {}
                    Solved::Unknown => unknown = true,
                }
            }
            match got {
                Some(s) => values.push(s),
                None if unknown => return KeySolve::Unknown,
                None => return KeySolve::Empty,
            }
        }
    } else if fam(&[OperatorFamily::Bool, OperatorFamily::Ip]) {
        // A complete set of representatives: every boolean, and for IP ranges the lowest
        // address, each range's first address and the address after its last one.
        let mut reps: Vec<String> = vec!["true".into(), "false".into(), "x".into()];
        reps.push("0.0.0.0".into());
        reps.push("::".into());
        for e in &others {
            if e.op.base.family() == OperatorFamily::Ip {
                for v in &e.values {
                    if let Some(r) = parse_ip_range(v) {
                        let (lo, hi) = bounds(r.addr, r.prefix);
                        reps.push(lo.to_string());
                        reps.extend(neighbour(hi, 1).map(|x| x.to_string()));
                    }
                }
            }
        }
        let ok_none = |v: &str| none.iter().all(|e| !matches(e, v));
        if some.is_empty() {
            match reps.iter().find(|v| ok_none(v)) {
                Some(v) => values.push(v.clone()),
                None => return KeySolve::Empty,
            }
        }
        for e in &some {
            match reps.iter().find(|v| matches(e, v) && ok_none(v)) {
                Some(v) => values.push(v.clone()),
                None => return KeySolve::Empty,
            }
        }
    } else if fam(&[OperatorFamily::Numeric]) {
        let Some(reps) = numeric_reps(&others) else {
            return KeySolve::Unknown;
        };
        let ok_none = |v: &str| none.iter().all(|e| !matches(e, v));
        if some.is_empty() {
            match reps.iter().find(|v| ok_none(v)) {
                Some(v) => values.push(v.clone()),
                None => return KeySolve::Empty,
            }
        }
        for e in &some {
            match reps.iter().find(|v| matches(e, v) && ok_none(v)) {
                Some(v) => values.push(v.clone()),
                None => return KeySolve::Empty,
            }
        }
    } else {
        return KeySolve::Unknown;
    }
    let _ = need_present;
    values.dedup();
    // Prefer one value that serves every requirement.
    for v in &values {
        let one = vec![v.clone()];
        if fits(Some(&one)) {
            return KeySolve::Value(Some(one));
        }
    }
    if fits(Some(&values)) {
        KeySolve::Value(Some(values))
    } else {
        KeySolve::Unknown
    }
}

#[cfg(test)]
mod solve_tests {
    use super::*;

    fn entry(op: &str, values: &[&str]) -> CondEntry {
        CondEntry {
            op: Operator::parse(op).unwrap(),
            key: "k".into(),
            key_lower: "k".into(),
            values: values.iter().map(|s| s.to_string()).collect(),
            has_variables: false,
        }
    }

    #[test]
    fn exact_answers() {
        let eq = entry("StringEquals", &["eu-west-1"]);
        let ifx = entry("StringEqualsIfExists", &["eu-west-1"]);
        // IfExists holds and StringEquals fails: absent
        assert_eq!(solve_key(&[&ifx], &[&eq], 1000), KeySolve::Value(None));
        // StringEquals holds and IfExists fails: impossible
        assert_eq!(solve_key(&[&eq], &[&ifx], 1000), KeySolve::Empty);
        let like = entry("StringLike", &["dev*"]);
        match solve_key(&[&like], &[&entry("StringEquals", &["dev"])], 1000) {
            KeySolve::Value(Some(v)) => assert!(v[0].starts_with("dev") && v[0] != "dev"),
            other => panic!("{other:?}"),
        }
        let small = entry("IpAddress", &["10.1.2.0/24"]);
        let big = entry("IpAddress", &["10.1.0.0/16"]);
        assert!(matches!(
            solve_key(&[&big], &[&small], 1000),
            KeySolve::Value(Some(_))
        ));
        assert_eq!(solve_key(&[&small], &[&big], 1000), KeySolve::Empty);
        let le10 = entry("NumericLessThanEquals", &["10"]);
        let le100 = entry("NumericLessThanEquals", &["100"]);
        assert_eq!(
            solve_key(&[&le100], &[&le10], 1000),
            KeySolve::Value(Some(vec!["10.1".into()]))
        );
        assert_eq!(solve_key(&[&le10], &[&le100], 1000), KeySolve::Empty);
        let gt = entry("NumericGreaterThan", &["-2.5"]);
        let lt = entry("NumericLessThan", &["-2.4"]);
        match solve_key(&[&gt, &lt], &[], 1000) {
            KeySolve::Value(Some(v)) => assert!(gt.holds(Some(&v)) && lt.holds(Some(&v))),
            other => panic!("{other:?}"),
        }
        let date = entry("DateLessThan", &["2020-01-01T00:00:00Z"]);
        assert_eq!(solve_key(&[&date], &[], 1000), KeySolve::Unknown);
    }
}
