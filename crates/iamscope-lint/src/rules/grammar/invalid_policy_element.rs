//! # INVALID_POLICY_ELEMENT
//!
//! Finding type: ERROR
//!
//! The policy or a statement has an element that the grammar does not know. A policy has only
//! `Version`, `Id` and `Statement`; a statement only `Sid`, `Effect`, `Principal`, `NotPrincipal`,
//! `Action`, `NotAction`, `Resource`, `NotResource` and `Condition`. Element names are
//! case-sensitive: `"action"` is not `"Action"` (the fix renames it).
//!
//! ## Why it matters
//! AWS rejects the policy; a misspelt element that was meant to restrict access (a `Condition`
//! written `"Conditions"`) would otherwise silently not apply.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Conditions": {}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## Notes
//! Emitted by lowering (`iamscope_policy::lower`); this rule documents it.
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Invalid policy element"
//! - IAM User Guide, "Grammar of the IAM JSON policy language" (reference_policies_grammar.md)

use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct InvalidPolicyElement;

impl Rule for InvalidPolicyElement {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("INVALID_POLICY_ELEMENT", FindingType::Error)],
            summary: "The policy or a statement has an element the grammar does not know (names are case-sensitive)",
            file: file!(),
        }
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Emitted by lowering.
    }
}
