//! # MISSING_ACTION
//!
//! Finding type: ERROR
//!
//! A statement has neither an `Action` nor a `NotAction` element.
//!
//! ## Why it matters
//! A statement must name the actions it applies to; AWS rejects the policy otherwise.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
//! ```
//!
//! ## Notes
//! Emitted by lowering (`iamscope_policy::lower`); this rule documents it.
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Missing action"
//! - IAM User Guide, "IAM JSON policy elements: Action" (reference_policies_elements_action.md)

use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct MissingAction;

impl Rule for MissingAction {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("MISSING_ACTION", FindingType::Error)],
            summary: "A statement has neither Action nor NotAction",
            file: file!(),
        }
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Emitted by lowering.
    }
}
