//! # UNSUPPORTED_PRINCIPAL
//!
//! Finding type: ERROR
//!
//! An identity policy, permissions boundary or session policy has a `Principal` or `NotPrincipal`
//! element.
//!
//! ## Why it matters
//! In these policies the principal is implicit: it is the user, group or role the policy is
//! attached to (or the session). AWS rejects the element. If you meant a resource-based policy,
//! lint it with `kind: resource`.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Unsupported principal"
//! - IAM User Guide, "AWS JSON policy elements: Principal": "You cannot use the Principal element
//!   in an identity-based policy" (reference_policies_elements_principal.md); "AWS JSON policy
//!   elements: NotPrincipal" (reference_policies_elements_notprincipal.md)

use iamscope_syntax::{Diagnostic, FindingType};

use super::util::a_kind;
use crate::{Context, Rule, RuleMeta};

pub struct UnsupportedPrincipal;

impl Rule for UnsupportedPrincipal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("UNSUPPORTED_PRINCIPAL", FindingType::Error)],
            summary: "An identity policy, permissions boundary or session policy has a Principal or NotPrincipal",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !cx.kind.is_identity_like() {
            return;
        }
        for st in &cx.policy.statements {
            if let Some(p) = &st.principal {
                out.push(Diagnostic::error(
                    "UNSUPPORTED_PRINCIPAL",
                    format!(
                        "{} does not support the {} element: the principal is the identity the policy is attached to",
                        a_kind(cx.kind),
                        p.name
                    ),
                    p.span.key,
                    p.pointer(&st.pointer),
                ));
            }
        }
    }
}
