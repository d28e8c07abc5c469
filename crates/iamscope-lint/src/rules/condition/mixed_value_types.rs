//! # INVALID_CONDITION_DATA_TYPE
//!
//! Finding type: ERROR
//!
//! The values listed for one condition key mix JSON types, such as a string and a number
//! (`["10", 20]`) or a string and a Boolean (`["true", false]`).
//!
//! ## Why it matters
//! AWS rejects condition values whose JSON data types differ within one key. Write every value
//! of a key in the same JSON type; strings are always accepted.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
//!   "Condition": {"NumericLessThanEquals": {"ec2:VolumeSize": ["100", 200]}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
//!   "Condition": {"NumericLessThanEquals": {"ec2:VolumeSize": ["100", "200"]}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Condition" (reference_policies_elements_condition.md)
//! - Access Analyzer policy checks: "Error – Invalid condition data type"

use iamscope_policy::model::{ConditionElement, ConditionValue};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::diag;
use crate::{Context, Rule, RuleMeta};

pub struct MixedValueTypes;

fn type_name(v: &ConditionValue) -> &'static str {
    match v {
        ConditionValue::String(_) => "string",
        ConditionValue::Bool(_) => "Boolean",
        ConditionValue::Number(_) => "number",
    }
}

impl Rule for MixedValueTypes {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("INVALID_CONDITION_DATA_TYPE", FindingType::Error)],
            summary: "The values of one condition key must all have the same JSON data type",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let Some(first) = e.values.first() else {
                    continue;
                };
                let t0 = type_name(&first.value);
                if let Some((i, v)) = e
                    .values
                    .iter()
                    .enumerate()
                    .find(|(_, v)| type_name(&v.value) != t0)
                {
                    out.push(
                        diag(
                            "INVALID_CONDITION_DATA_TYPE",
                            FindingType::Error,
                            format!(
                                "the values of {} mix JSON data types ({t0} and {}); use values of one type",
                                e.key.value,
                                type_name(&v.value)
                            ),
                            v.range,
                            ConditionElement::value_pointer(&st.pointer, b, e, i),
                        )
                        .with_related(first.range, format!("the first value is a {t0}")),
                    );
                }
            }
        }
    }
}
