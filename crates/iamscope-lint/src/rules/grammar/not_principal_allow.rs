//! # ALLOW_WITH_NOT_PRINCIPAL
//!
//! Finding type: SECURITY_WARNING
//!
//! A statement of a resource-based or VPC endpoint policy combines `"Effect": "Allow"` with
//! `NotPrincipal`. `NotPrincipal` is only meaningful with `Deny`; in identity policies, role trust
//! policies, SCPs and RCPs it is an error of its own (`UNSUPPORTED_PRINCIPAL`,
//! `ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL`, `SCP_SYNTAX_ERROR_PRINCIPAL`,
//! `RCP_SYNTAX_ERROR_PRINCIPAL`).
//!
//! ## Why it matters
//! The statement allows every principal except the ones listed, anonymous users included. Most
//! services reject it; where it is accepted it is almost never what was meant. Name the principals
//! in `Principal`, or deny with `"Principal": "*"` and an `ArnNotEquals` condition on
//! `aws:PrincipalArn`.
//!
//! ## Bad
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:user/mallory"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
//! ```
//!
//! ## Good
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/*", "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/admin"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Security Warning – Allow with NotPrincipal"
//! - IAM User Guide, "AWS JSON policy elements: NotPrincipal", section "NotPrincipal With Allow"
//!   (reference_policies_elements_notprincipal.md)

use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct NotPrincipalAllow;

impl Rule for NotPrincipalAllow {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("ALLOW_WITH_NOT_PRINCIPAL", FindingType::SecurityWarning)],
            summary: "A resource-based policy allows with NotPrincipal (everyone but the listed principals)",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !matches!(cx.kind, PolicyKind::Resource | PolicyKind::VpcEndpoint) {
            return;
        }
        for st in &cx.policy.statements {
            if let Some(p) = &st.principal
                && p.not
                && st.is_allow()
            {
                out.push(Diagnostic::new(
                    "ALLOW_WITH_NOT_PRINCIPAL",
                    FindingType::SecurityWarning,
                    "\"Effect\": \"Allow\" with NotPrincipal allows every principal except the listed ones, anonymous users included: use Principal instead",
                    p.span.key,
                    p.pointer(&st.pointer),
                ));
            }
        }
    }
}
