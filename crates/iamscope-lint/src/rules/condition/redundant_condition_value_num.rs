//! # REDUNDANT_CONDITION_VALUE_NUM
//!
//! Finding type: SUGGESTION
//!
//! A `NumericLessThan[Equals]` or `NumericGreaterThan[Equals]` condition lists several values for
//! one key. The values are alternatives, so only the greatest (for less-than) or least (for
//! greater-than) matters; the others are redundant. The fix keeps that single value.
//!
//! ## Why it matters
//! `{"NumericLessThan": {"aws:MultiFactorAuthAge": ["3600", "2700"]}}` reads like "less than 2700"
//! but means "less than 3600". Keeping one value says what the policy does.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*",
//!   "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ["3600", "2700"]}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*",
//!   "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "Creating a condition with multiple keys or values"
//!   (reference_policies_elements_condition.md): multiple values of one key are ORed
//! - Access Analyzer policy checks: "Suggestion – Redundant condition value num"

use iamscope_policy::BaseOperator;
use iamscope_policy::model::ConditionElement;
use iamscope_policy::values::parse_number;
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::facts::{diag, qualifier};
use crate::{Context, Rule, RuleMeta};

pub struct RedundantConditionValueNum;

impl Rule for RedundantConditionValueNum {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("REDUNDANT_CONDITION_VALUE_NUM", FindingType::Suggestion)],
            summary: "Several values in a numeric less/greater-than condition: only one matters",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let Some(op) = b.op else { continue };
                let greatest = match op.base {
                    BaseOperator::NumericLessThan | BaseOperator::NumericLessThanEquals => true,
                    BaseOperator::NumericGreaterThan | BaseOperator::NumericGreaterThanEquals => {
                        false
                    }
                    _ => continue,
                };
                if qualifier(b).is_some() || e.values.len() < 2 {
                    continue;
                }
                let mut nums = Vec::with_capacity(e.values.len());
                for v in &e.values {
                    match parse_number(v.value.as_text()) {
                        Some(n) => nums.push(n),
                        None => break,
                    }
                }
                if nums.len() != e.values.len() {
                    continue;
                }
                let mut best = 0;
                for (i, n) in nums.iter().enumerate() {
                    if (greatest && *n > nums[best]) || (!greatest && *n < nums[best]) {
                        best = i;
                    }
                }
                let keep = &e.values[best];
                let keep_src = keep.range.slice(cx.text).to_string();
                out.push(
                    diag(
                        "REDUNDANT_CONDITION_VALUE_NUM",
                        FindingType::Suggestion,
                        format!(
                            "the values of {} in {} are alternatives, so only the {} one, {}, matters",
                            e.key.value,
                            b.operator.value,
                            if greatest { "greatest" } else { "least" },
                            keep.value.as_text()
                        ),
                        e.value_range,
                        ConditionElement::entry_pointer(&st.pointer, b, e),
                    )
                    .with_fix(Fix {
                        title: format!("Keep only {}", keep.value.as_text()),
                        edits: vec![TextEdit {
                            range: e.value_range,
                            new_text: keep_src,
                        }],
                        safe: true,
                    }),
                );
            }
        }
    }
}
