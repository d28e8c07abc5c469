//! # TYPE_MISMATCH, STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS, FORALLVALUES_WITH_SINGLE_VALUED_KEY
//!
//! Finding type: WARNING (TYPE_MISMATCH), SECURITY_WARNING (the other two)
//!
//! The operator does not fit the condition key's type in the service catalog:
//! - `TYPE_MISMATCH`: an operator of another family than the key's type, such as
//!   `StringEquals` on the Boolean `aws:MultiFactorAuthPresent` or `NumericLessThan` on the date
//!   `aws:CurrentTime` (`Null` fits every key; string operators are accepted on ARN keys and ARN
//!   operators on string keys, which often hold ARNs);
//! - `STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS`: `StringLike`/`StringNotLike` on an ARN key:
//!   a `*` then spans ARN fields (`arn:aws:iam::*:role/app` also matches a role named `app` in a
//!   path, and `*` may cross the account field), which `ArnLike` does not allow;
//! - `FORALLVALUES_WITH_SINGLE_VALUED_KEY`: `ForAllValues:` on a single-valued key: it also
//!   matches when the key is absent, so an Allow with it allows requests that lack the key.
//!
//! ## Why it matters
//! A comparison of the wrong type either never matches or matches more than it reads.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "Bool": {"aws:MultiFactorAuthPresent": "true"},
//!                 "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Condition operators"
//!   (reference_policies_elements_condition_operators.md)
//! - IAM User Guide, "Single-valued vs. multivalued context keys"
//!   (reference_policies_single-vs-multi-valued-condition-keys.md)
//! - Access Analyzer policy checks: "General Warning – Type mismatch", "Security Warning –
//!   ForAllValues with single valued key"

use iamscope_catalog::KeyType;
use iamscope_policy::model::ConditionElement;
use iamscope_policy::{BaseOperator, OperatorFamily, SetQualifier};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::diag;
use crate::{Context, Rule, RuleMeta};

pub struct OperatorKeyType;

/// The operator families that fit a key type.
pub fn fits(t: KeyType, f: OperatorFamily) -> bool {
    use OperatorFamily as F;
    if f == F::Null {
        return true;
    }
    match t.base() {
        // ARN operators compare string values that hold ARNs (AWS documents several such keys
        // as String).
        KeyType::String => matches!(f, F::String | F::Arn),
        KeyType::Arn => matches!(f, F::Arn | F::String),
        KeyType::Numeric | KeyType::Long | KeyType::Integer => f == F::Numeric,
        KeyType::Date => f == F::Date,
        KeyType::Bool => f == F::Bool,
        KeyType::IpAddress => f == F::Ip,
        KeyType::Binary => f == F::Binary,
        _ => true,
    }
}

fn operator_for(t: KeyType) -> &'static str {
    match t.base() {
        KeyType::Arn => "Arn",
        KeyType::Numeric | KeyType::Long | KeyType::Integer => "Numeric",
        KeyType::Date => "Date",
        KeyType::Bool => "Bool",
        KeyType::IpAddress => "IpAddress",
        KeyType::Binary => "BinaryEquals",
        _ => "String",
    }
}

impl Rule for OperatorKeyType {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("TYPE_MISMATCH", FindingType::Warning),
                (
                    "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                    FindingType::SecurityWarning,
                ),
                (
                    "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                    FindingType::SecurityWarning,
                ),
            ],
            summary: "Condition operators must fit the key's type (and ForAllValues only multivalued keys)",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let Some(op) = b.op else { continue };
                let Some(info) = cx.condition_key(&e.key.value) else {
                    continue;
                };
                let t = info.key_type();
                let f = op.base.family();
                let ptr = || ConditionElement::entry_pointer(&st.pointer, b, e);
                if !fits(t, f) {
                    out.push(diag(
                        "TYPE_MISMATCH",
                        FindingType::Warning,
                        format!(
                            "use a {} operator instead of {} for the condition key {} (type {})",
                            operator_for(t),
                            b.operator.value,
                            e.key.value,
                            t.as_str()
                        ),
                        b.operator.range,
                        ptr(),
                    ));
                } else if t.base() == KeyType::Arn
                    && matches!(
                        op.base,
                        BaseOperator::StringLike | BaseOperator::StringNotLike
                    )
                {
                    out.push(diag(
                        "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                        FindingType::SecurityWarning,
                        format!(
                            "{} compares the ARN key {} as plain text, so a wildcard can span ARN fields; use {}",
                            b.operator.value,
                            e.key.value,
                            if op.base == BaseOperator::StringLike { "ArnLike" } else { "ArnNotLike" }
                        ),
                        b.operator.range,
                        ptr(),
                    ));
                }
                if op.qualifier == Some(SetQualifier::ForAllValues)
                    && !t.is_multivalued()
                    && !super::oidc_audience::is_audience_key(&e.key.value)
                {
                    out.push(diag(
                        "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                        FindingType::SecurityWarning,
                        format!(
                            "ForAllValues with the single-valued key {} can be overly permissive: it also matches when the key is absent; remove ForAllValues:",
                            e.key.value
                        ),
                        b.operator.range,
                        ptr(),
                    ));
                }
            }
        }
    }
}
