//! # EQUIVALENT_TO_NULL_TRUE, EQUIVALENT_TO_NULL_FALSE, REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION, REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION
//!
//! Finding type: SUGGESTION
//!
//! A condition whose values include the bare wildcard `*` with an operator that honours wildcards
//! (`StringLike`, `StringNotLike`, `ArnLike`, `ArnNotLike`, `ArnEquals`, `ArnNotEquals`). Such a
//! condition does not compare values at all; it only tests whether the key is present:
//!
//! | operator | meaning | code |
//! |---|---|---|
//! | `StringLike`, `ForAnyValue:StringLike` | the key is present | `EQUIVALENT_TO_NULL_FALSE` |
//! | `StringNotLike`, `StringNotLikeIfExists`, `ForAllValues:StringNotLike` | the key is absent | `EQUIVALENT_TO_NULL_TRUE` |
//! | `StringLikeIfExists`, `ForAllValues:StringLike` | always true | `REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION` |
//! | `ForAnyValue:StringNotLike` | never true | `REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION` |
//!
//! (The same holds for the `Arn` operators.)
//!
//! ## Why it matters
//! A reader expects a comparison. Writing `"Null": {"key": "false"}` states the intent; a key that
//! always matches can be removed; a condition that never matches makes its whole statement dead.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"StringLike": {"aws:PrincipalTag/team": "*"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"Null": {"aws:PrincipalTag/team": "false"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Condition operators", sections "String condition
//!   operators", "...IfExists condition operators", "Condition operator to check existence of
//!   condition keys" (reference_policies_elements_condition_operators.md)
//! - IAM User Guide, "Set operators for multivalued context keys"
//!   (reference_policies_multi-value-conditions.md)

use iamscope_policy::SetQualifier;
use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::diag;
use crate::{Context, Rule, RuleMeta};

pub struct WildcardOnlyValue;

impl Rule for WildcardOnlyValue {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("EQUIVALENT_TO_NULL_FALSE", FindingType::Suggestion),
                ("EQUIVALENT_TO_NULL_TRUE", FindingType::Suggestion),
                (
                    "REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION",
                    FindingType::Suggestion,
                ),
                (
                    "REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION",
                    FindingType::Suggestion,
                ),
            ],
            summary: "A Like condition with the value * only tests whether the key is present",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let Some(op) = b.op else { continue };
                if !op.base.supports_wildcards() {
                    continue;
                }
                let Some((i, star)) = e.values.iter().enumerate().find(|(_, v)| {
                    let t = v.value.as_text();
                    !t.is_empty() && t.bytes().all(|c| c == b'*')
                }) else {
                    continue;
                };
                let neg = op.base.is_negated();
                let (code, what) = match (op.qualifier, neg, op.if_exists) {
                    (None, false, false) | (Some(SetQualifier::ForAnyValue), false, _) => (
                        "EQUIVALENT_TO_NULL_FALSE",
                        "only tests that the key is present; write it as {\"Null\": {key: \"false\"}}",
                    ),
                    (None, true, _) | (Some(SetQualifier::ForAllValues), true, _) => (
                        "EQUIVALENT_TO_NULL_TRUE",
                        "only tests that the key is absent; write it as {\"Null\": {key: \"true\"}}",
                    ),
                    (None, false, true) | (Some(SetQualifier::ForAllValues), false, _) => (
                        "REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION",
                        "always matches, so the key adds nothing; remove it",
                    ),
                    (Some(SetQualifier::ForAnyValue), true, _) => (
                        "REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION",
                        "never matches, so the statement never applies",
                    ),
                };
                out.push(diag(
                    code,
                    FindingType::Suggestion,
                    format!(
                        "{} with {} = \"{}\" {what}",
                        b.operator.value,
                        e.key.value,
                        star.value.as_text()
                    ),
                    star.range,
                    ConditionElement::value_pointer(&st.pointer, b, e, i),
                ));
            }
        }
    }
}
