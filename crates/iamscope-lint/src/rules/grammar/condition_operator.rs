//! # INVALID_CONDITION_OPERATOR
//!
//! Finding type: ERROR
//!
//! A `Condition` block is keyed by something that is not a condition operator: an unknown name,
//! a wrong case (`stringequals`), a typo (`StringEqual`, fixed to the closest operator), or a set
//! qualifier other than `ForAllValues:` / `ForAnyValue:`. Operator names are case-sensitive.
//!
//! ## Why it matters
//! AWS rejects the policy. Before that, a misspelt operator in a `Deny` is an easy way to lose a
//! guard rail.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqual": {"aws:PrincipalTag/team": "blue"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}}]}
//! ```
//!
//! ## Notes
//! Emitted by lowering (`iamscope_policy::lower`, using `iamscope_policy::Operator::parse`); this
//! rule documents it. `NullIfExists` and `ForAnyValue:Null` parse, and are reported by
//! `NULL_WITH_IF_EXISTS` and `NULL_WITH_QUALIFIER`.
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Invalid condition operator"
//! - IAM User Guide, "IAM JSON policy elements: Condition operators" (reference_policies_elements_condition_operators.md)

use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct ConditionOperator;

impl Rule for ConditionOperator {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("INVALID_CONDITION_OPERATOR", FindingType::Error)],
            summary: "A Condition block uses an unknown condition operator or set qualifier",
            file: file!(),
        }
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Emitted by lowering.
    }
}
