//! The IAM policy model: typed nodes with ranges and JSON pointers, lowered from the spanned JSON
//! of `iamscope-syntax`; grammar validation for every policy kind; ARN parsing; wildcard matching;
//! policy variables.

pub mod arn;
mod kind;
pub mod lower;
pub mod model;
pub mod operator;
pub mod print;
pub mod values;
pub mod variables;
pub mod wildcard;

pub use kind::PolicyKind;
pub use model::*;
pub use operator::{BaseOperator, Operator, OperatorFamily, SetQualifier};
pub use print::print_policy;

use iamscope_syntax::{Diagnostic, Limits};

/// The result of parsing and lowering one policy text.
#[derive(Clone, Debug, Default)]
pub struct ParsedPolicy {
    /// `None` when the text is not JSON (then `diagnostics` holds the `JSON_SYNTAX_ERROR`).
    pub policy: Option<Policy>,
    /// Syntax and structural diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses `text` as JSON and lowers it into a [`Policy`], with the default limits.
pub fn parse_policy(text: &str) -> ParsedPolicy {
    parse_policy_with(text, &Limits::default())
}

/// Like [`parse_policy`] with explicit limits.
pub fn parse_policy_with(text: &str, limits: &Limits) -> ParsedPolicy {
    match iamscope_syntax::Document::parse(text, limits) {
        Ok(doc) => {
            let (policy, mut diagnostics) = lower::lower(text, &doc);
            iamscope_syntax::sort_diagnostics(&mut diagnostics);
            ParsedPolicy {
                policy: Some(policy),
                diagnostics,
            }
        }
        Err(d) => ParsedPolicy {
            policy: None,
            diagnostics: vec![*d],
        },
    }
}
