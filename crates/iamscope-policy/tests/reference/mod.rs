//! Frozen copies of the tree parser and of lowering as they were before the tape parser, kept as
//! the oracle of `differential_v1.rs`.

#[allow(dead_code)]
pub mod json;
pub mod lower;

/// `parse_policy` as it was: tree parse, lowering of the tree, sorted diagnostics.
pub fn parse_policy_with(
    text: &str,
    limits: &iamscope_syntax::Limits,
) -> (
    Option<iamscope_policy::Policy>,
    Vec<iamscope_syntax::Diagnostic>,
) {
    let limits = json::Limits {
        max_depth: limits.max_depth,
        max_bytes: limits.max_bytes,
        max_string_bytes: limits.max_string_bytes,
    };
    match json::parse(text, &limits) {
        Ok(tree) => {
            let (policy, mut diagnostics) = lower::lower(text, &tree);
            iamscope_syntax::sort_diagnostics(&mut diagnostics);
            (Some(policy), diagnostics)
        }
        Err(d) => (None, vec![*d]),
    }
}
