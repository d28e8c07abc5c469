//! # RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY, RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY, RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK
//!
//! Finding type: WARNING
//!
//! A Deny statement of a resource control policy that limits callers with a negated condition
//! misses the companion keys that keep AWS services working:
//! - on a principal key (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`,
//!   `aws:PrincipalArn`) without `"BoolIfExists": {"aws:PrincipalIsAWSService": "false"}`:
//!   requests that AWS services make with their service principals are denied too
//!   (`RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY`);
//! - on a source key (`aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:SourceAccount`,
//!   `aws:SourceArn`) without `"Bool": {"aws:PrincipalIsAWSService": "true"}`
//!   (`RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY`) and without a `Null` check that the
//!   source key is present (`RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK`): requests by your own
//!   principals, and service requests that carry no source, are denied.
//!
//! ## Why it matters
//! An RCP applies to every resource of the organization; a perimeter that also blocks AWS
//! services breaks logging, replication and backups across all accounts.
//!
//! ## Bad
//! ```json kind=rcp
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
//!   "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=rcp
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
//!   "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
//!                 "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}
//! ```
//!
//! ## References
//! - AWS data perimeter examples (aws-samples/data-perimeter-policy-examples): identity perimeter
//!   and confused deputy RCP statements
//! - IAM User Guide, "AWS global condition context keys": `aws:PrincipalIsAWSService`

use iamscope_policy::model::Statement;
use iamscope_policy::{BaseOperator, PolicyKind};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, entries, key_is};
use crate::{Context, Rule, RuleMeta};

pub struct RcpConditions;

const PRINCIPAL_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
];
const SOURCE_KEYS: &[&str] = &[
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceAccount",
    "aws:SourceArn",
];

fn has_bool(st: &Statement, key: &str, want: bool) -> bool {
    entries(st).any(|(b, e)| {
        b.op.is_some_and(|o| o.base == BaseOperator::Bool)
            && key_is(&e.key.value, key)
            && e.values.iter().any(|v| {
                v.value
                    .as_text()
                    .eq_ignore_ascii_case(if want { "true" } else { "false" })
            })
    })
}

fn has_null_false(st: &Statement) -> bool {
    entries(st).any(|(b, e)| {
        b.op.is_some_and(|o| o.base == BaseOperator::Null)
            && SOURCE_KEYS.iter().any(|k| key_is(&e.key.value, k))
            && e.values
                .iter()
                .any(|v| v.value.as_text().eq_ignore_ascii_case("false"))
    })
}

impl Rule for RcpConditions {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY",
                    FindingType::Warning,
                ),
                (
                    "RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY",
                    FindingType::Warning,
                ),
                (
                    "RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK",
                    FindingType::Warning,
                ),
            ],
            summary: "RCP perimeter statements need aws:PrincipalIsAWSService and Null companion keys",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Rcp {
            return;
        }
        for st in &cx.policy.statements {
            if !st.is_deny() {
                continue;
            }
            let negated = |keys: &[&str]| {
                entries(st).find(|(b, e)| {
                    b.op.is_some_and(|o| o.base.is_negated())
                        && keys.iter().any(|k| key_is(&e.key.value, k))
                })
            };
            if let Some((_, e)) = negated(PRINCIPAL_KEYS)
                && !has_bool(st, "aws:PrincipalIsAWSService", false)
            {
                {
                    out.push(diag(
                        "RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY",
                        FindingType::Warning,
                        format!("this Deny on {} also denies AWS services acting with their service principals; add \"BoolIfExists\": {{\"aws:PrincipalIsAWSService\": \"false\"}}", e.key.value),
                        e.key.range,
                        st.pointer.clone() + "/Condition",
                    ));
                }
            }
            if let Some((_, e)) = negated(SOURCE_KEYS) {
                if !has_bool(st, "aws:PrincipalIsAWSService", true) {
                    out.push(diag(
                        "RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY",
                        FindingType::Warning,
                        format!("this Deny on {} also applies to your own principals, whose requests carry no source; add \"Bool\": {{\"aws:PrincipalIsAWSService\": \"true\"}}", e.key.value),
                        e.key.range,
                        st.pointer.clone() + "/Condition",
                    ));
                }
                if !has_null_false(st) {
                    out.push(diag(
                        "RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK",
                        FindingType::Warning,
                        format!("this Deny on {} also denies service requests that carry no source; add \"Null\": {{\"{}\": \"false\"}}", e.key.value, e.key.value),
                        e.key.range,
                        st.pointer.clone() + "/Condition",
                    ));
                }
            }
        }
    }
}
