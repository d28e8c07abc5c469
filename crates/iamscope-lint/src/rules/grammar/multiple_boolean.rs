//! # INVALID_CONDITION_MULTIPLE_BOOLEAN
//!
//! Finding type: ERROR
//!
//! A `Bool` or `BoolIfExists` condition (without a set qualifier) gives a key more than one
//! value, such as `{"Bool": {"aws:SecureTransport": ["true", "false"]}}`. Keys compared with `Bool`
//! carry one Boolean value per request.
//!
//! Boolean keys compared with other operators (a `StringEquals` on `aws:SecureTransport`) need the
//! key types of the service catalog and are not checked here.
//!
//! ## Why it matters
//! With several values the condition matches any of them: `["true", "false"]` matches every
//! request that has the key, which is rarely what the author meant.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": ["false", "true"]}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Invalid condition multiple Boolean"
//! - IAM User Guide, "IAM JSON policy elements: Condition operators", section "Boolean condition
//!   operators" (reference_policies_elements_condition_operators.md)

use iamscope_policy::{BaseOperator, ConditionElement};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct MultipleBoolean;

impl Rule for MultipleBoolean {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("INVALID_CONDITION_MULTIPLE_BOOLEAN", FindingType::Error)],
            summary: "A Bool condition gives a key more than one value",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(c) = &st.condition else { continue };
            for (block, entry) in c.entries() {
                let Some(op) = block.op else { continue };
                if op.base != BaseOperator::Bool || op.qualifier.is_some() || entry.values.len() < 2
                {
                    continue;
                }
                out.push(Diagnostic::error(
                    "INVALID_CONDITION_MULTIPLE_BOOLEAN",
                    format!(
                        "the condition key \"{}\" takes a single Boolean value, but {} are given",
                        entry.key.value,
                        entry.values.len()
                    ),
                    entry.value_range,
                    ConditionElement::entry_pointer(&st.pointer, block, entry),
                ));
            }
        }
    }
}
