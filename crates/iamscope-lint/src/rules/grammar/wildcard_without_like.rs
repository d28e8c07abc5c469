//! # WILDCARD_WITHOUT_LIKE_OPERATOR
//!
//! Finding type: WARNING
//!
//! A condition value that contains `*` under an operator that compares literally:
//! `StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase` and `StringNotEqualsIgnoreCase`
//! (with any set qualifier or `IfExists`). These operators treat `*` and `?` as ordinary
//! characters, so `"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"` matches only a principal whose
//! ARN really contains an asterisk. A `?` alone is not reported: it is usually meant literally
//! (a query string in `aws:Referer`, for instance). The `Like` operators (`StringLike`, `StringNotLike`) and the
//! `Arn` operators (where `ArnEquals` matches wildcards like `ArnLike`) are not reported; nor are
//! values with a policy variable (`${*}` is how a literal `*` is written in a `Like` operator). The
//! fix replaces the operator with its `Like` counterpart when there is one (`StringEquals` →
//! `StringLike`, `StringNotEquals` → `StringNotLike`); it is not marked safe, because the meaning
//! changes for values that really contain those characters.
//!
//! ## Why it matters
//! The author almost always meant a pattern. An `Allow` with such a condition never matches; a
//! `Deny` with `StringNotEquals` and a pattern denies everything, including what it meant to
//! exempt.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
//!   "Condition": {"StringEquals": {"iam:PassedToService": "*.amazonaws.com"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
//!   "Condition": {"StringLike": {"iam:PassedToService": "*.amazonaws.com"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "General Warning – Wildcard without like operator"
//! - IAM User Guide, "IAM JSON policy elements: Condition operators", section "String condition
//!   operators" (reference_policies_elements_condition_operators.md): only `StringLike` and
//!   `StringNotLike` honour the multi-character match wildcard (`*`) and the single-character
//!   match wildcard (`?`)

use iamscope_policy::BaseOperator;
use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::{Context, Rule, RuleMeta};

pub struct WildcardWithoutLike;

impl Rule for WildcardWithoutLike {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("WILDCARD_WITHOUT_LIKE_OPERATOR", FindingType::Warning)],
            summary: "A wildcard in a value of an operator that compares literally",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(c) = &st.condition else { continue };
            for b in &c.blocks {
                let Some(op) = b.op else { continue };
                let like = match op.base {
                    BaseOperator::StringEquals => Some("StringLike"),
                    BaseOperator::StringNotEquals => Some("StringNotLike"),
                    BaseOperator::StringEqualsIgnoreCase
                    | BaseOperator::StringNotEqualsIgnoreCase => None,
                    _ => continue,
                };
                for e in &b.entries {
                    let Some(v) = e.values.iter().find(|v| {
                        let t = v.value.as_text();
                        t.contains('*') && !crate::facts::has_variable(t)
                    }) else {
                        continue;
                    };
                    let mut d = Diagnostic::new(
                        "WILDCARD_WITHOUT_LIKE_OPERATOR",
                        FindingType::Warning,
                        format!(
                            "{} compares \"{}\" literally, so its '*' is not a wildcard{}",
                            b.operator.value,
                            v.value.as_text(),
                            match like {
                                Some(l) => format!("; use {l} to match a pattern"),
                                None => "; use StringLike (whose matching is case-sensitive) to match a pattern".into(),
                            }
                        ),
                        v.range,
                        ConditionElement::entry_pointer(&st.pointer, b, e),
                    )
                    .with_related(b.operator.range, "the operator");
                    if let Some(l) = like {
                        let name = b.operator.value.replacen(
                            match op.base {
                                BaseOperator::StringEquals => "StringEquals",
                                _ => "StringNotEquals",
                            },
                            l,
                            1,
                        );
                        if name != b.operator.value {
                            d = d.with_fix(Fix {
                                title: format!("Use {name}"),
                                edits: vec![TextEdit {
                                    range: b.operator.range,
                                    new_text: format!("\"{name}\""),
                                }],
                                safe: false,
                            });
                        }
                    }
                    out.push(d);
                }
            }
        }
    }
}
