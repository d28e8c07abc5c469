//! # DUPLICATE_KEY
//!
//! Finding type: ERROR
//!
//! The same key appears twice in one JSON object: two `Effect` elements in a statement, two
//! `StringEquals` blocks in a `Condition`, the same condition key twice in a block, two `AWS`
//! entries in a `Principal`. The diagnostic points at the second key; its related range is the
//! first occurrence.
//!
//! ## Why it matters
//! The IAM grammar forbids repeated keys, and JSON parsers silently keep only one of the values
//! (usually the last), so part of what you wrote is ignored: a second `Condition` block replaces
//! the first, and the statement may allow far more than intended.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Action": "s3:PutObject", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}
//! ```
//!
//! ## Notes
//! Emitted by lowering (`iamscope_policy::lower`); this rule documents it. Keys that differ only in
//! case inside a condition block are reported as `DUPLICATE_KEYS_WITH_DIFFERENT_CASE`.
//!
//! ## References
//! - IAM User Guide, "Grammar of the IAM JSON policy language", policy grammar notes: "Individual
//!   elements must not contain multiple instances of the same key" (reference_policies_grammar.md)

use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct DuplicateKey;

impl Rule for DuplicateKey {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("DUPLICATE_KEY", FindingType::Error)],
            summary: "A JSON object repeats a key; parsers keep only one of the values",
            file: file!(),
        }
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Emitted by lowering.
    }
}
