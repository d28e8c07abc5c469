//! # UNSUPPORTED_CHARACTER
//!
//! Finding type: ERROR
//!
//! An identity policy, permissions boundary, session policy or role trust policy contains a
//! character that IAM and STS do not accept in policy documents: anything other than tab, line
//! feed, carriage return and the characters U+0020 to U+00FF (Basic Latin and Latin-1). Typical
//! culprits are typographic quotes (`“ ”`), dashes (`–`), non-breaking spaces pasted from
//! documents (U+00A0 is allowed, U+202F is not), emoji and other control characters. One diagnostic
//! covers each run of such characters (at most 100 are reported). Write other characters as JSON
//! escapes (`\u2013`) if you need them in a value.
//!
//! Resource-based policies, SCPs and RCPs are stored by other services with other rules and are not
//! checked.
//!
//! ## Why it matters
//! IAM rejects the document (`MalformedPolicyDocument`), often with a message that does not say
//! which character is at fault.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Sid": "ReadOnly", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/reports–2024/*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Sid": "ReadOnly", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/reports-2024/*"}]}
//! ```
//!
//! ## Notes
//! A new code (Access Analyzer reports these documents as syntax errors without a position).
//!
//! ## References
//! - IAM User Guide, "IAM and AWS STS quotas, name requirements, and character limits": "Policy
//!   documents can contain only the following Unicode characters: horizontal tab (U+0009),
//!   linefeed (U+000A), carriage return (U+000D), and characters in the range U+0020 to U+00FF"
//!   (reference_iam-quotas.md)

use iamscope_syntax::{Diagnostic, FindingType, TextRange};

use super::util::{a_kind, is_iam_kind};
use crate::{Context, Rule, RuleMeta};

pub struct CharacterSet;

/// Most diagnostics reported for one document.
const MAX_REPORTED: usize = 100;

/// True for the characters IAM accepts in a policy document.
pub fn is_allowed_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}

impl Rule for CharacterSet {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("UNSUPPORTED_CHARACTER", FindingType::Error)],
            summary: "An IAM policy contains a character outside tab, LF, CR and U+0020..U+00FF",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !is_iam_kind(cx.kind) {
            return;
        }
        let text = cx.text;
        let skip = if text.starts_with('\u{feff}') { 3 } else { 0 };
        if cx.text_is_ascii() {
            return;
        }
        let mut run: Option<(usize, usize, char)> = None;
        let mut reported = 0usize;
        let mut flush = |run: (usize, usize, char), out: &mut Vec<Diagnostic>| {
            reported += 1;
            if reported > MAX_REPORTED {
                return;
            }
            let (start, end, first) = run;
            let snippet = &text[start..end];
            let count = snippet.chars().count();
            out.push(Diagnostic::error(
                "UNSUPPORTED_CHARACTER",
                format!(
                    "{} U+{:04X} ({first}){} cannot appear in {}: use tab, line breaks and U+0020..U+00FF only, or a \\u escape inside a string",
                    if count == 1 { "the character" } else { "the characters from" },
                    first as u32,
                    if count == 1 { String::new() } else { format!(", {count} in all,") },
                    a_kind(cx.kind)
                ),
                TextRange::new(start as u32, end as u32),
                "",
            ));
        };
        for (i, c) in text[skip..].char_indices() {
            let i = i + skip;
            if is_allowed_char(c) {
                if let Some(r) = run.take() {
                    flush(r, out);
                }
            } else {
                run = match run {
                    Some((s, _, f)) => Some((s, i + c.len_utf8(), f)),
                    None => Some((i, i + c.len_utf8(), c)),
                };
            }
        }
        if let Some(r) = run {
            flush(r, out);
        }
    }
}
