//! Condition operators (reference_policies_elements_condition_operators.md) and set qualifiers
//! (reference_policies_multi-value-conditions.md).
//!
//! - A key the request lacks: every operator is false, except negated ones (`StringNotEquals`,
//!   `NotIpAddress`, `ArnNotLike`, ...) which are true; `...IfExists` is true; `Null` tests for
//!   exactly that; `ForAllValues:` is true and `ForAnyValue:` false.
//! - Several policy values for one key are ORed; for negated operators the value must match none
//!   of them.
//! - `ForAllValues:` is true when every request value matches; `ForAnyValue:` when at least one
//!   does; an empty set (no values, or only empty strings) makes `ForAllValues:` true and
//!   `ForAnyValue:` false.

use std::cmp::Ordering;

use iamscope_policy::values::{decode_base64, parse_bool, parse_date, parse_ip_addr, parse_number};
use iamscope_policy::{BaseOperator, OperatorFamily, SetQualifier};

use crate::compile::{CCondition, CValue, Typed, tokens_text};
use crate::context::Context;
use crate::result::ConditionTrace;

/// A policy value ready for comparison.
enum Resolved<'a> {
    Borrowed(&'a Typed),
    Owned(Typed),
    /// A policy variable with no value and no default: equal to nothing.
    Null,
}

impl Resolved<'_> {
    fn typed(&self) -> Option<&Typed> {
        match self {
            Resolved::Borrowed(t) => Some(t),
            Resolved::Owned(t) => Some(t),
            Resolved::Null => None,
        }
    }
}

fn resolve<'a>(
    base: BaseOperator,
    v: &'a CValue,
    ctx: &Context,
    missing: &mut Vec<String>,
) -> (Resolved<'a>, Option<String>) {
    if let Some(t) = &v.typed {
        return (Resolved::Borrowed(t), Some(v.template.raw.clone()));
    }
    let wild = matches!(base.family(), OperatorFamily::Arn)
        || matches!(base, BaseOperator::StringLike | BaseOperator::StringNotLike);
    if wild {
        match v.template.resolve_tokens(ctx, missing) {
            Some(toks) => {
                let text = tokens_text(&toks);
                (
                    Resolved::Owned(Typed::compile(base, &text, Some(&toks))),
                    Some(text),
                )
            }
            None => (Resolved::Null, None),
        }
    } else {
        match v.template.resolve_text(ctx, missing) {
            Some(text) => (
                Resolved::Owned(Typed::compile(base, &text, None)),
                Some(text),
            ),
            None => (Resolved::Null, None),
        }
    }
}

/// The positive form of the comparison: does request value `r` match policy value `p`? (For
/// `StringNotEquals` this is "equals"; the caller negates.)
fn positive_match(base: BaseOperator, r: &str, p: &Typed) -> bool {
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
    match p {
        Typed::Str(s) => match base {
            B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => {
                if r.is_ascii() && s.is_ascii() {
                    r.eq_ignore_ascii_case(s)
                } else {
                    r.to_lowercase() == *s
                }
            }
            _ => r == s,
        },
        Typed::LikePlain(pat) => crate::compile::glob_plain(pat, r),
        Typed::Like(pat) => pat.matches(r),
        Typed::Arn(m) => m.matches(r),
        Typed::Num(Some(d)) => parse_number(r).is_some_and(|x| ord_ok(x.cmp(d))),
        Typed::Date(Some(t)) => parse_date(r).is_some_and(|x| ord_ok(x.cmp(t))),
        Typed::Bool(Some(b)) => parse_bool(r) == Some(*b),
        Typed::Bin(Some(bytes)) => match decode_base64(r) {
            Some(x) => x == *bytes,
            None => r.as_bytes() == bytes.as_slice(),
        },
        Typed::Ip(Some(range)) => parse_ip_addr(r).is_some_and(|ip| range.contains(&ip)),
        _ => false,
    }
}

/// Why a request value could not be compared (for the trace).
fn request_type_error(base: BaseOperator, r: &str) -> Option<&'static str> {
    match base.family() {
        OperatorFamily::Numeric => parse_number(r).is_none().then_some("not a number"),
        OperatorFamily::Date => parse_date(r).is_none().then_some("not a date"),
        OperatorFamily::Bool => parse_bool(r).is_none().then_some("not true or false"),
        OperatorFamily::Ip => parse_ip_addr(r).is_none().then_some("not an IP address"),
        _ => None,
    }
}

/// Evaluates one condition entry. Missing keys (of the condition and of policy variables) are
/// appended to `missing`. The trace is built only when `trace` is true.
pub(crate) fn eval_condition(
    c: &CCondition,
    ctx: &Context,
    missing: &mut Vec<String>,
    trace: bool,
) -> (bool, Option<ConditionTrace>) {
    let base = c.op.base;
    let req = ctx.get_lower(&c.key_lower);
    let mut notes = Vec::new();
    let mut resolved = Vec::with_capacity(c.values.len());
    let mut shown = Vec::new();
    for v in &c.values {
        let (r, text) = resolve(base, v, ctx, missing);
        if trace {
            if let Some(e) = r.typed().and_then(Typed::type_error) {
                notes.push(format!(
                    "policy value {:?} is {e}: it matches nothing",
                    text.as_deref().unwrap_or("")
                ));
            }
            if matches!(r, Resolved::Null) {
                notes.push(format!(
                    "policy value {:?} uses a policy variable the request does not carry: it equals nothing",
                    v.template.raw
                ));
            }
            shown.push(text);
        }
        resolved.push(r);
    }
    let is_missing = req.is_none();
    let result = if base == BaseOperator::Null {
        // Null: "true" means the key is absent (or has no value), "false" that it is present.
        let is_null = req.is_none_or(|v| v.is_empty() || v.iter().all(String::is_empty));
        resolved.iter().any(|r| match r.typed() {
            Some(Typed::Null(Some(true))) => is_null,
            Some(Typed::Null(Some(false))) => !is_null,
            _ => false,
        })
    } else {
        if is_missing {
            missing.push(c.key.to_string());
        }
        let negated = base.is_negated();
        let single = |r: &str| -> bool {
            let any = resolved
                .iter()
                .any(|p| p.typed().is_some_and(|t| positive_match(base, r, t)));
            any != negated
        };
        match req {
            None => {
                if c.op.if_exists {
                    true
                } else {
                    match c.op.qualifier {
                        Some(SetQualifier::ForAllValues) => true,
                        Some(SetQualifier::ForAnyValue) => false,
                        None => negated,
                    }
                }
            }
            Some(values) => match c.op.qualifier {
                None => {
                    if values.len() > 1 && trace {
                        notes.push(
                            "the request has several values for this key; without ForAllValues/ForAnyValue the condition holds when any of them matches (negated operators: when none does)".into(),
                        );
                    }
                    let any_pos = values.iter().any(|r| {
                        resolved
                            .iter()
                            .any(|p| p.typed().is_some_and(|t| positive_match(base, r, t)))
                    });
                    any_pos != negated
                }
                Some(q) => {
                    let set: Vec<&String> = values.iter().filter(|v| !v.is_empty()).collect();
                    match q {
                        SetQualifier::ForAllValues => set.iter().all(|r| single(r)),
                        SetQualifier::ForAnyValue => set.iter().any(|r| single(r)),
                    }
                }
            },
        }
    };
    if !trace {
        return (result, None);
    }
    if let Some(values) = req {
        for r in values {
            if let Some(e) = request_type_error(base, r) {
                notes.push(format!("request value {r:?} is {e}: it matches nothing"));
            }
        }
    }
    if is_missing && base != BaseOperator::Null {
        notes.push(if c.op.if_exists {
            "the request does not carry this key: ...IfExists makes the condition true".into()
        } else {
            match c.op.qualifier {
                Some(SetQualifier::ForAllValues) => {
                    "the request does not carry this key: ForAllValues is true for an empty set"
                        .into()
                }
                Some(SetQualifier::ForAnyValue) => {
                    "the request does not carry this key: ForAnyValue is false for an empty set"
                        .into()
                }
                None if base.is_negated() => {
                    "the request does not carry this key: a negated operator is true".into()
                }
                None => "the request does not carry this key: the condition is false".into(),
            }
        });
    }
    (
        result,
        Some(ConditionTrace {
            operator: c.op_text.clone(),
            key: c.key.clone(),
            policy_values: shown,
            request_values: req.map(<[String]>::to_vec),
            result,
            missing: is_missing,
            range: c.range,
            notes,
        }),
    )
}
