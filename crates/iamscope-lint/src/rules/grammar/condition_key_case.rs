//! # DUPLICATE_KEYS_WITH_DIFFERENT_CASE
//!
//! Finding type: ERROR
//!
//! One condition block (one operator) names the same condition key twice with different
//! capitalization, such as `aws:SourceIp` and `aws:sourceip`. The diagnostic points at the second
//! key; the related range is the first. Exact repeats are `DUPLICATE_KEY`.
//!
//! ## Why it matters
//! Condition key names are case-insensitive, so both entries test the same key and AWS rejects
//! the block; merge their values into one entry.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24", "aws:sourceip": "198.51.100.0/24"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Duplicate keys with different case"
//! - IAM User Guide, "IAM JSON policy elements: Condition": condition key names are not
//!   case-sensitive (reference_policies_elements_condition.md)

use std::collections::HashMap;

use iamscope_policy::{ConditionElement, Spanned};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct ConditionKeyCase;

impl Rule for ConditionKeyCase {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("DUPLICATE_KEYS_WITH_DIFFERENT_CASE", FindingType::Error)],
            summary: "A condition block names the same key twice with different capitalization",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(c) = &st.condition else { continue };
            for block in &c.blocks {
                let mut folded: HashMap<String, &Spanned<String>> = HashMap::new();
                let large = block.entries.len() > 16;
                for (i, entry) in block.entries.iter().enumerate() {
                    let key = &entry.key.value;
                    // The first earlier entry with the same key in another case. Lowering keeps
                    // one entry per exact key, so an equal spelling is never earlier.
                    let first = if large {
                        let k = key.to_lowercase();
                        match folded.get(&k) {
                            Some(first) => Some(*first),
                            None => {
                                folded.insert(k, &entry.key);
                                None
                            }
                        }
                    } else {
                        block.entries[..i].iter().map(|e| &e.key).find(|k| {
                            k.value.eq_ignore_ascii_case(key)
                                || (!key.is_ascii() && k.value.to_lowercase() == key.to_lowercase())
                        })
                    };
                    let Some(first) = first else { continue };
                    out.push(
                        Diagnostic::error(
                            "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
                            format!(
                                "the condition key \"{}\" repeats \"{}\" in the same {} block (key names are case-insensitive): merge the values into one entry",
                                key, first.value, block.operator.value
                            ),
                            entry.key.range,
                            ConditionElement::entry_pointer(&st.pointer, block, entry),
                        )
                        .with_related(first.range, "first spelling of this key"),
                    );
                }
            }
        }
    }
}
