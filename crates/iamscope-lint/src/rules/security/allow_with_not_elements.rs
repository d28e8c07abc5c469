//! # ALLOW_WITH_NOT_ACTION, ALLOW_WITH_NOT_RESOURCE
//!
//! Finding type: SECURITY_WARNING
//!
//! An Allow statement uses `NotAction` (`ALLOW_WITH_NOT_ACTION`) or `NotResource`
//! (`ALLOW_WITH_NOT_RESOURCE`). Permissions boundaries, SCPs and RCPs are not checked: there an
//! Allow with `NotAction` limits rather than grants.
//!
//! ## Why it matters
//! "Allow everything except ..." grants every action (or resource) that is not listed, including
//! those AWS adds later. It is almost always broader than meant; list what is allowed instead, or
//! pair a broad Allow with an explicit Deny.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:ChangePassword", "iam:GetUser"], "Resource": "*",
//!   "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: NotAction" (reference_policies_elements_notaction.md)
//! - IAM User Guide, "IAM JSON policy elements: NotResource" (reference_policies_elements_notresource.md)

use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::diag;
use crate::{Context, Rule, RuleMeta};

pub struct AllowWithNotElements;

impl Rule for AllowWithNotElements {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("ALLOW_WITH_NOT_ACTION", FindingType::SecurityWarning),
                ("ALLOW_WITH_NOT_RESOURCE", FindingType::SecurityWarning),
            ],
            summary: "Allow with NotAction or NotResource grants everything not listed",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if matches!(
            cx.kind,
            PolicyKind::Boundary | PolicyKind::Scp | PolicyKind::Rcp
        ) {
            return;
        }
        for st in &cx.policy.statements {
            if !st.is_allow() {
                continue;
            }
            if let Some(a) = st.action.as_ref().filter(|a| a.not) {
                out.push(diag(
                    "ALLOW_WITH_NOT_ACTION",
                    FindingType::SecurityWarning,
                    format!("{} allows every action except those listed in NotAction, including actions AWS adds later; list the allowed actions instead", st.label()),
                    a.span.key,
                    a.pointer(&st.pointer),
                ));
            }
            if let Some(r) = st.resource.as_ref().filter(|r| r.not) {
                out.push(diag(
                    "ALLOW_WITH_NOT_RESOURCE",
                    FindingType::SecurityWarning,
                    format!("{} allows every resource except those listed in NotResource; list the allowed resources instead", st.label()),
                    r.span.key,
                    r.pointer(&st.pointer),
                ));
            }
        }
    }
}
