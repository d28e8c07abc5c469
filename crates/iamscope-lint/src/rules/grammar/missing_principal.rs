//! # MISSING_PRINCIPAL
//!
//! Finding type: ERROR
//!
//! A statement of a resource-based policy, role trust policy, RCP or VPC endpoint policy has
//! neither `Principal` nor `NotPrincipal`.
//!
//! ## Why it matters
//! A policy attached to a resource must say who it applies to; AWS rejects it otherwise. Use
//! `"Principal": "*"` with conditions for "everyone in my organization" and similar rules.
//!
//! ## Bad
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
//! ```
//!
//! ## Good
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Missing principal"
//! - IAM User Guide, "AWS JSON policy elements: Principal": "You must use the Principal element in
//!   resource-based policies" (reference_policies_elements_principal.md)

use iamscope_syntax::{Diagnostic, FindingType};

use super::util::{a_kind, brace};
use crate::{Context, Rule, RuleMeta};

pub struct MissingPrincipal;

impl Rule for MissingPrincipal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("MISSING_PRINCIPAL", FindingType::Error)],
            summary: "A statement of a resource, trust, RCP or VPC endpoint policy has no Principal",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !cx.kind.requires_principal() {
            return;
        }
        for st in &cx.policy.statements {
            if st.principal.is_none() {
                out.push(Diagnostic::error(
                    "MISSING_PRINCIPAL",
                    format!(
                        "{} has no Principal element, which {} requires",
                        st.label(),
                        a_kind(cx.kind)
                    ),
                    brace(st.range),
                    &st.pointer,
                ));
            }
        }
    }
}
