//! # MISSING_VERSION
//!
//! Finding type: WARNING
//!
//! The policy has no `Version` element. (A `Version` that is not a string, such as `"Version": 2012`,
//! is `DATA_TYPE_MISMATCH` instead; the fix here would otherwise add a second `Version`.)
//!
//! ## Why it matters
//! Without `Version`, AWS applies the 2008-10-17 language, in which policy variables such as
//! `${aws:username}` are plain text: a resource `arn:aws:s3:::home/${aws:username}/*` then matches
//! only a folder literally named `${aws:username}`.
//!
//! ## Bad
//! ```json kind=identity
//! {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Version" (reference_policies_elements_version.md)

use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit, TextRange};

use crate::{Context, Rule, RuleMeta};

pub struct MissingVersion;

impl Rule for MissingVersion {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("MISSING_VERSION", FindingType::Warning)],
            summary: "The policy has no Version element (policy variables would be literal text)",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // A Version of another type ("Version": 2012) is present: DATA_TYPE_MISMATCH reports it,
        // and adding a second Version would make a duplicate key.
        if cx.policy.version_element.is_some()
            || cx
                .text
                .get(cx.policy.range.start as usize..)
                .is_none_or(|t| !t.starts_with('{'))
        {
            return;
        }
        let brace = TextRange::new(cx.policy.range.start, cx.policy.range.start + 1);
        let insert = TextRange::empty(cx.policy.range.start + 1);
        out.push(
            Diagnostic::new(
                "MISSING_VERSION",
                FindingType::Warning,
                "the policy has no Version element; add \"Version\": \"2012-10-17\"",
                brace,
                "",
            )
            .with_fix(Fix {
                title: "Add \"Version\": \"2012-10-17\"".into(),
                edits: vec![TextEdit {
                    range: insert,
                    new_text: "\"Version\": \"2012-10-17\", ".into(),
                }],
                safe: true,
            }),
        );
    }
}
