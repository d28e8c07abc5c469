//! # MISSING_QUALIFIER
//!
//! Finding type: ERROR
//!
//! A multivalued condition key is compared without a set qualifier (`ForAllValues:` or
//! `ForAnyValue:`), for example `{"StringEquals": {"aws:TagKeys": "env"}}`.
//!
//! Without the service catalog, iamscope knows the multivalued global keys: `aws:TagKeys`,
//! `aws:CalledVia`, `aws:PrincipalServiceNamesList`, `aws:PrincipalOrgPaths`,
//! `aws:ResourceOrgPaths`, `aws:SourceOrgPaths` and `aws:VpceOrgPaths` (type `ArrayOfString`).
//! Service keys of type `ArrayOf...` need the catalog. The `Null` operator tests presence and
//! needs no qualifier.
//!
//! ## Why it matters
//! Without a qualifier the comparison of a set of request values with the policy values is not
//! defined the way the author likely expects; `ForAnyValue` (at least one) and `ForAllValues`
//! (every one) say which is meant.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:TagKeys": ["env", "team"]}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Missing qualifier"
//! - IAM User Guide, "Single-valued vs. multivalued condition keys"
//!   (reference_policies_single-vs-multi-valued-condition-keys.md) and "Creating a condition with
//!   multiple context keys or values" (reference_policies_multi-value-conditions.md)

use iamscope_policy::{BaseOperator, ConditionElement};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct MissingQualifier;

/// Global condition keys of type `ArrayOfString` (AWS global condition context keys).
pub const MULTIVALUED_GLOBAL_KEYS: [&str; 7] = [
    "aws:TagKeys",
    "aws:CalledVia",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalOrgPaths",
    "aws:ResourceOrgPaths",
    "aws:SourceOrgPaths",
    "aws:VpceOrgPaths",
];

impl Rule for MissingQualifier {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("MISSING_QUALIFIER", FindingType::Error)],
            summary: "A multivalued condition key is compared without ForAllValues or ForAnyValue",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(c) = &st.condition else { continue };
            for (block, entry) in c.entries() {
                let Some(op) = block.op else { continue };
                if op.qualifier.is_some() || op.base == BaseOperator::Null {
                    continue;
                }
                let Some(key) = MULTIVALUED_GLOBAL_KEYS
                    .iter()
                    .find(|k| k.eq_ignore_ascii_case(&entry.key.value))
                else {
                    continue;
                };
                out.push(Diagnostic::error(
                    "MISSING_QUALIFIER",
                    format!(
                        "{key} can have several values in a request: use ForAnyValue:{0} (any value matches) or ForAllValues:{0} (every value matches)",
                        block.operator.value
                    ),
                    entry.key.range,
                    ConditionElement::entry_pointer(&st.pointer, block, entry),
                ));
            }
        }
    }
}
