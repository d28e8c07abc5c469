//! # INVALID_VERSION
//!
//! Finding type: ERROR
//!
//! `Version` is a string other than `"2012-10-17"` or `"2008-10-17"`, the only two versions of the
//! policy language. A common mistake is today's date or `"2012-10-18"`. The fix sets
//! `"2012-10-17"`; it is marked unsafe because under the newer version policy variables such as
//! `${aws:username}` stop being literal text.
//!
//! ## Why it matters
//! AWS rejects the policy.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2024-01-01", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Invalid version"
//! - IAM User Guide, "IAM JSON policy elements: Version" (reference_policies_elements_version.md)

use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::{Context, Rule, RuleMeta};

pub struct InvalidVersion;

/// The versions of the policy language (IAM User Guide, "IAM JSON policy elements: Version").
pub const VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];

impl Rule for InvalidVersion {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("INVALID_VERSION", FindingType::Error)],
            summary: "Version is neither \"2012-10-17\" nor \"2008-10-17\"",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(v) = &cx.policy.version else { return };
        if VERSIONS.contains(&v.value.as_str()) {
            return;
        }
        out.push(
            Diagnostic::error(
                "INVALID_VERSION",
                format!(
                    "the version \"{}\" is not valid: use \"2012-10-17\" (or the legacy \"2008-10-17\")",
                    v.value
                ),
                v.range,
                "/Version",
            )
            .with_fix(Fix {
                title: "Use \"2012-10-17\"".into(),
                edits: vec![TextEdit {
                    range: v.range,
                    new_text: "\"2012-10-17\"".into(),
                }],
                safe: false,
            }),
        );
    }
}
