//! # VARIABLE_UNSUPPORTED_IN_ELEMENT, VARIABLE_UNSUPPORTED_IN_VERSION, INVALID_VARIABLE_FOR_OPERATOR
//!
//! Finding type: ERROR
//!
//! Where policy variables may appear:
//! - `VARIABLE_UNSUPPORTED_IN_ELEMENT`: a variable in `Action`, `NotAction`, `Principal` or
//!   `NotPrincipal`. Variables work only in `Resource`/`NotResource` and in condition values.
//! - `VARIABLE_UNSUPPORTED_IN_VERSION`: a variable (or an escape such as `${*}`) where it would
//!   work, but the policy has no `Version` or `"Version": "2008-10-17"`: it is then literal text.
//! - `INVALID_VARIABLE_FOR_OPERATOR`: a variable in the values of a condition operator other than
//!   the string and ARN operators (numeric, date, `Bool`, `BinaryEquals`, IP address, `Null`).
//!
//! The range is the variable inside the string.
//!
//! ## Why it matters
//! In all three cases `${aws:username}` is not substituted and is compared as the literal text
//! `${aws:username}`, so the statement matches nothing or something unintended.
//!
//! ## Bad
//! ```json kind=identity
//! {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
//! ```
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:${aws:PrincipalTag/action}", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*", "Condition": {"StringEquals": {"s3:prefix": "${aws:username}/"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Variable unsupported in element", "Variable
//!   unsupported in version", "Invalid variable for operator"
//! - IAM User Guide, "IAM policy elements: Variables and tags", section "Where you can use policy
//!   variables" (reference_policies_variables.md)

use iamscope_policy::variables::{self, Piece};
use iamscope_syntax::{Diagnostic, FindingType};

use super::util::{Site, for_each_string, has_dollar_brace, may_have_variables, sub};
use crate::{Context, Rule, RuleMeta};

pub struct VariablePlacement;

impl Rule for VariablePlacement {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("INVALID_VARIABLE_FOR_OPERATOR", FindingType::Error),
                ("VARIABLE_UNSUPPORTED_IN_ELEMENT", FindingType::Error),
                ("VARIABLE_UNSUPPORTED_IN_VERSION", FindingType::Error),
            ],
            summary: "A policy variable is used where it is not substituted (Action, Principal, non-string operators, or without Version 2012-10-17)",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !may_have_variables(cx) {
            return;
        }
        let version_ok = cx.policy.supports_variables();
        for_each_string(cx.policy, Site::Any, |v| {
            if !has_dollar_brace(v.text) {
                return;
            }
            let parsed = variables::parse(v.text);
            // (start, end, text, is_escape) of each variable or escape.
            let mut pieces = Vec::new();
            let mut offset = 0usize;
            for piece in &parsed.pieces {
                match piece {
                    Piece::Text(t) => offset += t.len(),
                    Piece::Escape(_) => {
                        pieces.push((offset, offset + 4, true));
                        offset += 4;
                    }
                    Piece::Variable(var) => {
                        pieces.push((var.start, var.end, false));
                        offset = var.end;
                    }
                }
            }
            for (start, end, is_escape) in pieces {
                let text = &v.text[start.min(v.text.len())..end.min(v.text.len())];
                let range = sub(cx, v.range, v.text, start, end);
                let (code, message) = match v.site {
                    Site::Action | Site::Principal if !is_escape => (
                        "VARIABLE_UNSUPPORTED_IN_ELEMENT",
                        format!(
                            "policy variables are only substituted in Resource and Condition values: {text} in {} is literal text",
                            match v.site {
                                Site::Action => "an action",
                                _ => "a principal",
                            }
                        ),
                    ),
                    Site::Action | Site::Principal => continue,
                    Site::Condition(block)
                        if !is_escape
                            && block.op.is_some_and(|op| !op.base.supports_variables()) =>
                    {
                        (
                            "INVALID_VARIABLE_FOR_OPERATOR",
                            format!(
                                "policy variables can only be used with string and ARN operators: {text} is literal text with {}",
                                block.operator.value
                            ),
                        )
                    }
                    _ if !version_ok => (
                        "VARIABLE_UNSUPPORTED_IN_VERSION",
                        format!(
                            "{text} is literal text unless the policy has \"Version\": \"2012-10-17\"{}",
                            match cx.policy.version_str() {
                                Some(v) => format!(" (it has \"{v}\")"),
                                None => " (it has no Version)".to_string(),
                            }
                        ),
                    ),
                    _ => continue,
                };
                out.push(Diagnostic::error(code, message, range, (v.pointer)()));
            }
        });
    }
}
