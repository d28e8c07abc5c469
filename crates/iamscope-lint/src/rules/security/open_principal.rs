//! # TRUST_POLICY_ALLOWS_ANY_PRINCIPAL, RESOURCE_POLICY_ALLOWS_ANY_PRINCIPAL
//!
//! Finding type: SECURITY_WARNING
//!
//! An Allow statement of a role trust policy (`TRUST_POLICY_ALLOWS_ANY_PRINCIPAL`) or of a
//! resource-based policy (`RESOURCE_POLICY_ALLOWS_ANY_PRINCIPAL`) names the principal `*`
//! (or `{"AWS": "*"}`) without a condition that limits who the caller is: `aws:PrincipalOrgID`,
//! `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`,
//! `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:SourceVpc`, `aws:SourceVpce`,
//! `aws:SourceIp`, `aws:PrincipalServiceName` or `aws:userid`.
//!
//! ## Why it matters
//! `*` is every AWS account in the world, and for resource policies also anonymous callers. A role
//! whose trust policy is open can be assumed by anyone who learns its ARN; a bucket, queue or key
//! policy open to `*` makes the resource public.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
//!   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "AWS JSON policy elements: Principal", sections "AWS account principals" and
//!   "All principals" (reference_policies_elements_principal.md)
//! - IAM User Guide, "Cross account resource access in IAM"

use iamscope_policy::PolicyKind;
use iamscope_policy::model::PrincipalValue;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, has_key};
use crate::{Context, Rule, RuleMeta};

pub struct OpenPrincipal;

pub(crate) const LIMITING_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:PrincipalServiceName",
    "aws:userid",
];

impl Rule for OpenPrincipal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "TRUST_POLICY_ALLOWS_ANY_PRINCIPAL",
                    FindingType::SecurityWarning,
                ),
                (
                    "RESOURCE_POLICY_ALLOWS_ANY_PRINCIPAL",
                    FindingType::SecurityWarning,
                ),
            ],
            summary: "A trust or resource policy allows Principal * without a limiting condition",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let code = match cx.kind {
            PolicyKind::Trust => "TRUST_POLICY_ALLOWS_ANY_PRINCIPAL",
            PolicyKind::Resource => "RESOURCE_POLICY_ALLOWS_ANY_PRINCIPAL",
            _ => return,
        };
        for st in &cx.policy.statements {
            if !st.is_allow() {
                continue;
            }
            let Some(p) = &st.principal else { continue };
            if p.not || !p.is_wildcard() || LIMITING_KEYS.iter().any(|k| has_key(st, k)) {
                continue;
            }
            let range = match &p.value {
                PrincipalValue::Wildcard(r) => *r,
                PrincipalValue::Map(_) => p
                    .values()
                    .find(|(_, v)| v.value == "*")
                    .map(|(_, v)| v.range)
                    .unwrap_or(p.span.value),
            };
            let what = if cx.kind == PolicyKind::Trust {
                "any AWS principal in any account can assume this role"
            } else {
                "anyone, in any account or anonymous, is granted these actions"
            };
            out.push(
                diag(
                    code,
                    FindingType::SecurityWarning,
                    format!("{} allows Principal * without a condition on the caller: {what}", st.label()),
                    range,
                    p.pointer(&st.pointer),
                )
                .with_help("name the principals, or add an aws:PrincipalOrgID / aws:PrincipalAccount condition"),
            );
        }
    }
}
