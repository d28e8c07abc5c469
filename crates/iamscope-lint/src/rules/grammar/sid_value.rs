//! # UNSUPPORTED_SID, EMPTY_SID_VALUE
//!
//! Finding type: ERROR (`UNSUPPORTED_SID`), SUGGESTION (`EMPTY_SID_VALUE`)
//!
//! `UNSUPPORTED_SID`: in an identity policy, permissions boundary, session policy or role trust
//! policy, the `Sid` uses a character other than ASCII letters and digits (a space, `-`, `_`,
//! `.`, ...). Resource-based policies of some services accept more (KMS key policies commonly use
//! `"Enable IAM User Permissions"`), so other kinds are not checked.
//!
//! `EMPTY_SID_VALUE`: `"Sid": ""` in any kind; remove the element or give it a value.
//!
//! ## Why it matters
//! IAM rejects a policy whose Sid has other characters.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Sid": "Allow-Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Sid": "AllowRead", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Unsupported Sid", "Suggestion – Empty Sid value"
//! - IAM User Guide, "IAM JSON policy elements: Sid": "The Sid element supports ASCII uppercase
//!   letters (A-Z), lowercase letters (a-z), and numbers (0-9)" (reference_policies_elements_sid.md)

use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use super::util::{a_kind, is_iam_kind};
use crate::{Context, Rule, RuleMeta};

pub struct SidValue;

impl Rule for SidValue {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("EMPTY_SID_VALUE", FindingType::Suggestion),
                ("UNSUPPORTED_SID", FindingType::Error),
            ],
            summary: "A Sid is empty, or (in IAM policies) uses characters other than A-Z, a-z and 0-9",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(sid) = &st.sid else { continue };
            let pointer = || format!("{}/Sid", st.pointer);
            if sid.value.is_empty() {
                out.push(Diagnostic::new(
                    "EMPTY_SID_VALUE",
                    FindingType::Suggestion,
                    "the Sid is empty: give it a value or remove it",
                    sid.range,
                    pointer(),
                ));
                continue;
            }
            if !is_iam_kind(cx.kind) || sid.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
                continue;
            }
            let cleaned: String = sid
                .value
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            let mut d = Diagnostic::error(
                "UNSUPPORTED_SID",
                format!(
                    "the Sid \"{}\" has characters other than A-Z, a-z and 0-9, which {} does not accept",
                    sid.value,
                    a_kind(cx.kind)
                ),
                sid.range,
                pointer(),
            );
            if !cleaned.is_empty() {
                d = d.with_fix(Fix {
                    title: format!("Change to \"{cleaned}\""),
                    edits: vec![TextEdit {
                        range: sid.range,
                        new_text: format!("\"{cleaned}\""),
                    }],
                    safe: true,
                });
            }
            out.push(d);
        }
    }
}
