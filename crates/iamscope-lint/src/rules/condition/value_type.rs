//! # TYPE_MISMATCH_NUMBER, TYPE_MISMATCH_DATE, TYPE_MISMATCH_BOOLEAN, TYPE_MISMATCH_STRING
//!
//! Finding type: WARNING
//!
//! A condition value that the operator cannot read: a `Numeric*` operator with a value that is not
//! a number (`TYPE_MISMATCH_NUMBER`), a `Date*` operator with a value that is neither an ISO 8601
//! date/time nor epoch seconds (`TYPE_MISMATCH_DATE`), `Bool` or `Null` with a value other than
//! `true`/`false` (`TYPE_MISMATCH_BOOLEAN`), or `BinaryEquals` with a value that is not base64
//! (`TYPE_MISMATCH_STRING`). Values with policy variables are not checked.
//!
//! ## Why it matters
//! AWS cannot convert such a value, so the comparison never succeeds: an Allow with it allows
//! nothing and a Deny with it denies nothing, silently.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}, "Bool": {"aws:SecureTransport": "yes"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}, "Bool": {"aws:SecureTransport": "true"},
//!                 "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Condition operators"
//!   (reference_policies_elements_condition_operators.md): numeric, date, Boolean and binary
//!   condition operators
//! - Access Analyzer policy checks: "General Warning – Type mismatch number/date/Boolean/string"
//!   (access-analyzer-reference-policy-checks.md)

use iamscope_policy::OperatorFamily;
use iamscope_policy::model::ConditionElement;
use iamscope_policy::values::{decode_base64, parse_bool, parse_date, parse_number};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, family, has_variable};
use crate::{Context, Rule, RuleMeta};

pub struct ValueType;

impl Rule for ValueType {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("TYPE_MISMATCH_NUMBER", FindingType::Warning),
                ("TYPE_MISMATCH_DATE", FindingType::Warning),
                ("TYPE_MISMATCH_BOOLEAN", FindingType::Warning),
                ("TYPE_MISMATCH_STRING", FindingType::Warning),
            ],
            summary: "Numeric, date, Bool/Null and binary operators need values of their type",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let Some(fam) = family(b) else { continue };
                for (i, v) in e.values.iter().enumerate() {
                    let t = v.value.as_text();
                    if has_variable(t) {
                        continue;
                    }
                    let (code, what) = match fam {
                        OperatorFamily::Numeric if parse_number(t).is_none() => {
                            ("TYPE_MISMATCH_NUMBER", "a number")
                        }
                        OperatorFamily::Date if parse_date(t).is_none() => (
                            "TYPE_MISMATCH_DATE",
                            "a date (YYYY-MM-DD or another ISO 8601 date/time)",
                        ),
                        OperatorFamily::Bool | OperatorFamily::Null if parse_bool(t).is_none() => {
                            ("TYPE_MISMATCH_BOOLEAN", "true or false")
                        }
                        OperatorFamily::Binary if decode_base64(t).is_none() => {
                            ("TYPE_MISMATCH_STRING", "a base64-encoded value")
                        }
                        _ => continue,
                    };
                    out.push(diag(
                        code,
                        FindingType::Warning,
                        format!(
                            "the condition operator {} needs {what}, not \"{t}\"; the comparison never succeeds",
                            b.operator.value
                        ),
                        v.range,
                        ConditionElement::value_pointer(&st.pointer, b, e, i),
                    ));
                }
            }
        }
    }
}
