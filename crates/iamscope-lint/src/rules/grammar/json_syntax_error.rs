//! # JSON_SYNTAX_ERROR
//!
//! Finding type: ERROR
//!
//! The text is not valid JSON (RFC 8259): a trailing comma, a comment, a missing quote or brace,
//! an invalid escape such as a lone UTF-16 surrogate, content after the document, or a document
//! that exceeds iamscope's nesting (64 levels) or size (4 MB, strings 256 KB) limits. The range
//! points at the offending character, or is empty at the end of a truncated text.
//!
//! ## Why it matters
//! AWS rejects the whole policy with `MalformedPolicyDocument`; nothing else in it can be checked.
//! Comments and trailing commas are accepted by many editors (JSONC) but not by AWS.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## Notes
//! Emitted by the JSON parser (`iamscope_syntax::parse`) before lowering; this rule documents it.
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Json syntax error"
//! - IAM User Guide, "Grammar of the IAM JSON policy language" (reference_policies_grammar.md)

use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct JsonSyntaxError;

impl Rule for JsonSyntaxError {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("JSON_SYNTAX_ERROR", FindingType::Error)],
            summary: "The text is not valid JSON, or exceeds the nesting or size limits",
            file: file!(),
        }
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Emitted by the parser (iamscope-syntax), before lowering.
    }
}
