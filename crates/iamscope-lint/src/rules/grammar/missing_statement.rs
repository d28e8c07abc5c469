//! # MISSING_STATEMENT
//!
//! Finding type: ERROR
//!
//! The policy has no `Statement` element, or its `Statement` array is empty.
//!
//! ## Why it matters
//! A policy without statements grants and denies nothing; AWS rejects it.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": []}
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
//! - Access Analyzer policy checks, "Error – Missing statement"

use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct MissingStatement;

impl Rule for MissingStatement {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("MISSING_STATEMENT", FindingType::Error)],
            summary: "The policy has no Statement element, or the Statement array is empty",
            file: file!(),
        }
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Emitted by lowering.
    }
}
