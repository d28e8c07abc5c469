//! # UNSUPPORTED_ELEMENT_COMBINATION
//!
//! Finding type: ERROR
//!
//! A statement has both elements of a mutually exclusive pair: `Action` and `NotAction`,
//! `Resource` and `NotResource`, or `Principal` and `NotPrincipal`. The diagnostic points at the
//! second one (which iamscope ignores); the related range is the first.
//!
//! ## Why it matters
//! AWS rejects the statement: "every action except these" and "these actions" cannot both apply.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:DeleteBucket", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"}]}
//! ```
//!
//! ## Notes
//! Emitted by lowering (`iamscope_policy::lower`); this rule documents it.
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Unsupported element combination"

use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct ElementCombination;

impl Rule for ElementCombination {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("UNSUPPORTED_ELEMENT_COMBINATION", FindingType::Error)],
            summary: "A statement has both Action and NotAction, Resource and NotResource, or Principal and NotPrincipal",
            file: file!(),
        }
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Emitted by lowering.
    }
}
