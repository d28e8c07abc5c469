//! # RCP_SYNTAX_ERROR_PRINCIPAL, RCP_SYNTAX_ERROR_ALLOW, RCP_SYNTAX_ERROR_NOTACTION
//!
//! Finding type: ERROR
//!
//! Resource control policies (AWS Organizations, since 2024-11) accept a restricted grammar:
//! - `RCP_SYNTAX_ERROR_PRINCIPAL`: `Principal` must be exactly `"*"`, and `NotPrincipal` is not
//!   supported. Restrict principals with conditions such as `aws:PrincipalOrgID`.
//! - `RCP_SYNTAX_ERROR_ALLOW`: an `Allow` statement is only accepted in the shape of the
//!   AWS-managed `RCPFullAWSAccess` policy: `"Principal": "*"`, `"Action": "*"`, `"Resource": "*"`
//!   and no `Condition`. RCPs restrict; they never grant.
//! - `RCP_SYNTAX_ERROR_NOTACTION`: `NotAction` is not supported.
//!
//! `RCP_SYNTAX_ERROR_ACTION` (only services that support RCPs) needs the service catalog and is a
//! catalog rule.
//!
//! ## Why it matters
//! AWS Organizations rejects the policy.
//!
//! ## Bad
//! ```json kind=rcp
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "123456789012"}, "Action": "s3:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}
//! ```
//!
//! ## Bad
//! ```json kind=rcp
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=rcp
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks (current text): RCP_SYNTAX_ERROR_PRINCIPAL, RCP_SYNTAX_ERROR_ALLOW,
//!   RCP_SYNTAX_ERROR_NOTACTION
//! - AWS Organizations, "Resource control policies" (2024-11): Principal must be "*", no
//!   NotPrincipal, no NotAction, Allow only as in RCPFullAWSAccess

use iamscope_policy::{PolicyKind, PrincipalValue};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct RcpSyntax;

impl Rule for RcpSyntax {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("RCP_SYNTAX_ERROR_ALLOW", FindingType::Error),
                ("RCP_SYNTAX_ERROR_NOTACTION", FindingType::Error),
                ("RCP_SYNTAX_ERROR_PRINCIPAL", FindingType::Error),
            ],
            summary: "An RCP uses a Principal other than \"*\", NotPrincipal, NotAction, or an Allow other than RCPFullAWSAccess",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Rcp {
            return;
        }
        for st in &cx.policy.statements {
            if let Some(p) = &st.principal {
                let ok = !p.not && matches!(p.value, PrincipalValue::Wildcard(_));
                if !ok {
                    let (message, range) = if p.not {
                        (
                            "RCPs do not support NotPrincipal: use \"Principal\": \"*\" with conditions".to_string(),
                            p.span.key,
                        )
                    } else {
                        (
                            "the Principal of an RCP must be \"*\": restrict principals with conditions such as aws:PrincipalOrgID".to_string(),
                            p.span.value,
                        )
                    };
                    out.push(Diagnostic::error(
                        "RCP_SYNTAX_ERROR_PRINCIPAL",
                        message,
                        range,
                        p.pointer(&st.pointer),
                    ));
                }
            }
            if let Some(a) = &st.action
                && a.not
            {
                out.push(Diagnostic::error(
                    "RCP_SYNTAX_ERROR_NOTACTION",
                    "RCPs do not support NotAction: list the actions in Action",
                    a.span.key,
                    a.pointer(&st.pointer),
                ));
            }
            if st.is_allow() {
                let star = |l: &Option<iamscope_policy::ValueList>| {
                    l.as_ref()
                        .is_some_and(|l| !l.not && l.items.len() == 1 && l.items[0].value == "*")
                };
                let principal_star = st
                    .principal
                    .as_ref()
                    .is_some_and(|p| !p.not && matches!(p.value, PrincipalValue::Wildcard(_)));
                let full_access = principal_star
                    && star(&st.action)
                    && star(&st.resource)
                    && st.condition.is_none();
                if !full_access && let Some(e) = &st.effect {
                    out.push(Diagnostic::error(
                        "RCP_SYNTAX_ERROR_ALLOW",
                        "an RCP can only Allow in the form of RCPFullAWSAccess (\"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\", no Condition): use Deny statements to restrict access",
                        e.range,
                        format!("{}/Effect", st.pointer),
                    ));
                }
            }
        }
    }
}
