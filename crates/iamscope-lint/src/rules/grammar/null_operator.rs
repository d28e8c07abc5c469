//! # NULL_WITH_IF_EXISTS, NULL_WITH_QUALIFIER
//!
//! Finding type: ERROR (`NULL_WITH_IF_EXISTS`), SUGGESTION (`NULL_WITH_QUALIFIER`)
//!
//! `NULL_WITH_IF_EXISTS`: `NullIfExists`. `Null` already tests whether a key is present;
//! `...IfExists` cannot be added to it.
//!
//! `NULL_WITH_QUALIFIER`: `ForAllValues:Null` or `ForAnyValue:Null`. The set qualifiers compare
//! each value of a multivalued key, which `Null` does not do: `ForAllValues:Null` is always true
//! and `ForAnyValue:Null` always false. Use plain `Null`.
//!
//! ## Why it matters
//! AWS rejects `NullIfExists`; the qualified forms make the condition constant.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"NullIfExists": {"aws:RequestTag/owner": "true"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"Null": {"aws:RequestTag/owner": "true"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Null with if exists", "Suggestion – Null with qualifier"
//! - IAM User Guide, "IAM JSON policy elements: Condition operators", sections "...IfExists
//!   condition operators" and "Condition operator to check existence of condition keys"
//!   (reference_policies_elements_condition_operators.md)

use iamscope_policy::{BaseOperator, ConditionElement};
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::{Context, Rule, RuleMeta};

pub struct NullOperator;

impl Rule for NullOperator {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("NULL_WITH_IF_EXISTS", FindingType::Error),
                ("NULL_WITH_QUALIFIER", FindingType::Suggestion),
            ],
            summary: "The Null operator is used with ...IfExists or with ForAllValues/ForAnyValue",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(c) = &st.condition else { continue };
            for block in &c.blocks {
                let Some(op) = block.op else { continue };
                if op.base != BaseOperator::Null {
                    continue;
                }
                let range = block.operator.range;
                let pointer = ConditionElement::block_pointer(&st.pointer, block);
                if op.if_exists {
                    out.push(Diagnostic::error(
                        "NULL_WITH_IF_EXISTS",
                        format!(
                            "\"{}\": the Null operator cannot take the IfExists suffix; Null already tests whether the key is present",
                            block.operator.value
                        ),
                        range,
                        pointer.clone(),
                    ));
                }
                if let Some(q) = op.qualifier {
                    let always = match q {
                        iamscope_policy::SetQualifier::ForAllValues => "always true",
                        iamscope_policy::SetQualifier::ForAnyValue => "always false",
                    };
                    let mut d = Diagnostic::new(
                        "NULL_WITH_QUALIFIER",
                        FindingType::Suggestion,
                        format!(
                            "\"{}\": {}:Null is {always}; use Null without a set qualifier",
                            block.operator.value,
                            q.as_str()
                        ),
                        range,
                        pointer,
                    );
                    if !op.if_exists {
                        d = d.with_fix(Fix {
                            title: "Use \"Null\"".into(),
                            edits: vec![TextEdit {
                                range,
                                new_text: "\"Null\"".into(),
                            }],
                            safe: false,
                        });
                    }
                    out.push(d);
                }
            }
        }
    }
}
