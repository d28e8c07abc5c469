//! # MISSING_BRACE_IN_VARIABLE, MISSING_QUOTE_IN_VARIABLE, UNSUPPORTED_SPACE_IN_VARIABLE, EMPTY_VARIABLE
//!
//! Finding type: ERROR
//!
//! A policy variable (`${...}`) in an `Action`, `Resource`, principal or condition value is
//! malformed:
//! - `MISSING_BRACE_IN_VARIABLE`: `${aws:username` has no closing `}`.
//! - `MISSING_QUOTE_IN_VARIABLE`: a default value is not in single quotes:
//!   `${aws:PrincipalTag/team, default}` instead of `${aws:PrincipalTag/team, 'default'}`.
//! - `UNSUPPORTED_SPACE_IN_VARIABLE`: the key name contains a space, `${aws: username}` (a space
//!   is allowed only before a default value).
//! - `EMPTY_VARIABLE`: `${}` or `${ , 'x'}`.
//!
//! The range is the malformed `${...}` inside the string.
//!
//! ## Why it matters
//! A malformed variable is not substituted: the text is compared literally and matches nothing
//! (or AWS rejects the policy).
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username/*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Missing brace in variable", "Missing quote in
//!   variable", "Unsupported space in variable", "Empty variable"
//! - IAM User Guide, "IAM policy elements: Variables and tags", section "Specifying default values"
//!   (reference_policies_variables.md)

use iamscope_policy::variables;
use iamscope_syntax::{Diagnostic, FindingType};

use super::util::{Site, for_each_string, has_dollar_brace, may_have_variables, sub};
use crate::{Context, Rule, RuleMeta};

pub struct VariableSyntax;

impl Rule for VariableSyntax {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("EMPTY_VARIABLE", FindingType::Error),
                ("MISSING_BRACE_IN_VARIABLE", FindingType::Error),
                ("MISSING_QUOTE_IN_VARIABLE", FindingType::Error),
                ("UNSUPPORTED_SPACE_IN_VARIABLE", FindingType::Error),
            ],
            summary: "A policy variable ${...} is malformed (no closing brace, unquoted default, space in the name, empty)",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !may_have_variables(cx) {
            return;
        }
        for_each_string(cx.policy, Site::Any, |v| {
            if !has_dollar_brace(v.text) {
                return;
            }
            for e in variables::parse(v.text).errors {
                out.push(Diagnostic::error(
                    e.code,
                    e.message,
                    sub(cx, v.range, v.text, e.start, e.end),
                    (v.pointer)(),
                ));
            }
        });
    }
}
