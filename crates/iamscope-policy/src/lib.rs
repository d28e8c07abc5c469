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
    /// Bytes of JSON white space between the tokens of the text (0 when it is not JSON).
    pub white_space: usize,
    /// The text has a `$` or a `\u` (so it may spell a policy variable), from the parse
    /// ([`iamscope_syntax::Document::has_dollar_or_unicode_escape`]; false when it is not JSON).
    pub dollar_or_unicode_escape: bool,
    /// The text is ASCII, from the parse ([`iamscope_syntax::Document::is_ascii`]; false when it
    /// is not JSON).
    pub text_is_ascii: bool,
}

/// Parses `text` as JSON and lowers it into a [`Policy`], with the default limits.
pub fn parse_policy(text: &str) -> ParsedPolicy {
    parse_policy_with(text, &Limits::default())
}

/// Like [`parse_policy`] with explicit limits.
pub fn parse_policy_with(text: &str, limits: &Limits) -> ParsedPolicy {
    parse(text, limits, None)
}

/// [`parse_policy`] for a caller that needs only the `Action`/`NotAction` items for which
/// `keep` is true (see [`lower::lower_keeping_actions`]): the same diagnostics, the other items
/// checked but not copied into the model.
pub fn parse_policy_keeping_actions(text: &str, keep: &dyn Fn(&str) -> bool) -> ParsedPolicy {
    parse(text, &Limits::default(), Some(keep))
}

fn parse(text: &str, limits: &Limits, keep: Option<&dyn Fn(&str) -> bool>) -> ParsedPolicy {
    match iamscope_syntax::Document::parse(text, limits) {
        Ok(doc) => {
            let (policy, mut diagnostics) = match keep {
                None => lower::lower(text, &doc),
                Some(k) => lower::lower_keeping_actions(text, &doc, k),
            };
            iamscope_syntax::sort_diagnostics(&mut diagnostics);
            ParsedPolicy {
                policy: Some(policy),
                diagnostics,
                white_space: doc.white_space(),
                dollar_or_unicode_escape: doc.has_dollar_or_unicode_escape(),
                text_is_ascii: doc.is_ascii(),
            }
        }
        Err(d) => ParsedPolicy {
            policy: None,
            diagnostics: vec![*d],
            white_space: 0,
            dollar_or_unicode_escape: false,
            text_is_ascii: false,
        },
    }
}
