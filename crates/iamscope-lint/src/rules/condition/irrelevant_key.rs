//! # IRRELEVANT_CONDITION_KEY_IN_POLICY
//!
//! Finding type: SUGGESTION
//!
//! A resource-based policy conditions on the account or organization of the resource itself
//! (`aws:ResourceAccount`, `aws:ResourceOrgID`, `aws:ResourceOrgPaths`, `s3:ResourceAccount`).
//!
//! ## Why it matters
//! A resource policy is attached to one resource, whose account and organization are fixed: the
//! condition is always true or always false. These keys govern access in identity policies,
//! SCPs and VPC endpoint policies.
//!
//! ## Bad
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
//!   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*",
//!   "Condition": {"StringEquals": {"s3:ResourceAccount": "111122223333"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"StringEquals": {"s3:ResourceAccount": "111122223333"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "AWS global condition context keys": `aws:ResourceAccount`
//! - Access Analyzer policy checks: "Suggestion – Irrelevant condition key in policy"

use iamscope_policy::PolicyKind;
use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, key_is};
use crate::{Context, Rule, RuleMeta};

pub struct IrrelevantKey;

const KEYS: &[&str] = &[
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
    "s3:ResourceAccount",
];

impl Rule for IrrelevantKey {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[(
                "IRRELEVANT_CONDITION_KEY_IN_POLICY",
                FindingType::Suggestion,
            )],
            summary: "Resource account/organization keys are fixed in a resource-based policy",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !matches!(cx.kind, PolicyKind::Resource | PolicyKind::Trust) {
            return;
        }
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                if KEYS.iter().any(|k| key_is(&e.key.value, k)) {
                    out.push(diag(
                        "IRRELEVANT_CONDITION_KEY_IN_POLICY",
                        FindingType::Suggestion,
                        format!("the condition key {} is not relevant in a {} policy: the resource's account and organization are fixed; use it in an identity policy", e.key.value, cx.kind),
                        e.key.range,
                        ConditionElement::entry_pointer(&st.pointer, b, e),
                    ));
                }
            }
        }
    }
}
