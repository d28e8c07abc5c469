//! # MISSING_EFFECT, INVALID_EFFECT
//!
//! Finding type: ERROR
//!
//! `MISSING_EFFECT`: a statement has no `Effect` element. `INVALID_EFFECT`: its value is neither
//! `"Allow"` nor `"Deny"` (the values are case-sensitive; for `"allow"` or `"DENY"` a safe fix
//! corrects the case).
//!
//! ## Why it matters
//! Every statement must say whether it allows or denies; AWS rejects the policy otherwise.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## Notes
//! Emitted by lowering (`iamscope_policy::lower`); this rule documents them.
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Missing effect" and "Error – Invalid effect"
//! - IAM User Guide, "Grammar of the IAM JSON policy language": `<effect_block> = "Effect" : ("Allow" | "Deny")`

use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct Effect;

impl Rule for Effect {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("INVALID_EFFECT", FindingType::Error),
                ("MISSING_EFFECT", FindingType::Error),
            ],
            summary: "A statement has no Effect, or an Effect other than \"Allow\" or \"Deny\"",
            file: file!(),
        }
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Emitted by lowering.
    }
}
