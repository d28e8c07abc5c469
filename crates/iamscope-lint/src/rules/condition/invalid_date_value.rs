//! # INVALID_DATE_VALUE
//!
//! Finding type: WARNING
//!
//! A `Date*` condition operator compares against a value written as epoch (UNIX) seconds, such
//! as `1735689600`.
//!
//! ## Why it matters
//! AWS accepts epoch seconds, but they are easy to get wrong (milliseconds instead of seconds,
//! a local time zone assumed) and a reader cannot check them. The ISO 8601 form states the
//! instant and its time zone. The message shows the ISO form of the value.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"DateLessThan": {"aws:CurrentTime": "1735689600"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Condition operators", section "Date condition
//!   operators" (reference_policies_elements_condition_operators.md)
//! - Access Analyzer policy checks: "General Warning – Invalid date value"

use iamscope_policy::OperatorFamily;
use iamscope_policy::model::{ConditionElement, ConditionValue};
use iamscope_policy::values::parse_date;
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::facts::{diag, family, has_variable, is_epoch_date};
use crate::{Context, Rule, RuleMeta};

pub struct InvalidDateValue;

impl Rule for InvalidDateValue {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("INVALID_DATE_VALUE", FindingType::Warning)],
            summary: "Date conditions written as epoch seconds may not resolve as expected; use ISO 8601",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                if family(b) != Some(OperatorFamily::Date) {
                    continue;
                }
                for (i, v) in e.values.iter().enumerate() {
                    let t = v.value.as_text();
                    if has_variable(t) {
                        continue;
                    }
                    if !is_epoch_date(t) {
                        continue;
                    }
                    let Some(iso) = parse_date(t).and_then(|d| d.to_iso8601()) else {
                        continue;
                    };
                    let mut dg = diag(
                        "INVALID_DATE_VALUE",
                        FindingType::Warning,
                        format!(
                            "the date {t} is epoch seconds and might not resolve as expected; it is {iso}"
                        ),
                        v.range,
                        ConditionElement::value_pointer(&st.pointer, b, e, i),
                    );
                    if matches!(
                        v.value,
                        ConditionValue::String(_) | ConditionValue::Number(_)
                    ) {
                        dg = dg.with_fix(Fix {
                            title: format!("Write the date as {iso}"),
                            edits: vec![TextEdit {
                                range: v.range,
                                new_text: format!("\"{iso}\""),
                            }],
                            safe: true,
                        });
                    }
                    out.push(dg);
                }
            }
        }
    }
}
