//! # REDUNDANT_ACTION
//!
//! Finding type: SUGGESTION
//!
//! An item of an `Action` list whose actions are all granted by the other items of the same list,
//! such as `iam:GetCredentialReport` next to `iam:Get*`, or the same action twice. Items are
//! expanded with the service catalog, so `s3:Get*` also covers `s3:GetObject` and `*:GetObject`
//! covers every `GetObject`. The fix removes the item.
//!
//! ## Why it matters
//! Redundant items make a policy longer and harder to review, and when someone later narrows the
//! wildcard, the forgotten specific item keeps granting what was meant to be removed.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:GetCredentialReport"], "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:GenerateCredentialReport"], "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks: "Suggestion – Redundant action"
//! - IAM User Guide, "IAM JSON policy elements: Action" (reference_policies_elements_action.md)

use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, remove_list_item_fix};
use crate::{Context, Rule, RuleMeta};

pub struct RedundantAction;

impl Rule for RedundantAction {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("REDUNDANT_ACTION", FindingType::Suggestion)],
            summary: "An Action item already covered by the other items of the list",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (pos, st) in cx.policy.statements.iter().enumerate() {
            let Some(a) = &st.action else { continue };
            // An item is redundant only when every action it matches is matched by another
            // item too: impossible when no action is matched twice.
            if a.items.len() < 2 || !cx.action_items_overlap(pos) {
                continue;
            }
            let sets: Vec<&[u32]> = (0..a.items.len())
                .map(|i| cx.item_actions(pos, i))
                .collect();
            let mut count: crate::bytes::FastMap<u32, u32> = Default::default();
            for s in &sets {
                for id in s.iter() {
                    *count.entry(*id).or_default() += 1;
                }
            }
            for (i, s) in sets.iter().enumerate() {
                if s.is_empty() || !s.iter().all(|id| count.get(id).copied().unwrap_or(0) >= 2) {
                    continue;
                }
                for id in s.iter() {
                    if let Some(c) = count.get_mut(id) {
                        *c -= 1;
                    }
                }
                // The first other item that covers part of it, for the message.
                let by = sets
                    .iter()
                    .enumerate()
                    .find(|(j, o)| *j != i && o.iter().any(|x| s.contains(x)))
                    .map(|(j, _)| a.items[j].value.as_str())
                    .unwrap_or("the other items");
                let item = &a.items[i];
                let mut d = diag(
                    "REDUNDANT_ACTION",
                    FindingType::Suggestion,
                    format!(
                        "{} is redundant: every action it matches is already granted by {by}",
                        item.value
                    ),
                    item.range,
                    a.item_pointer(&st.pointer, i),
                );
                if let Some(f) =
                    remove_list_item_fix(cx.text, a, i, format!("Remove {}", item.value))
                {
                    d = d.with_fix(f);
                }
                out.push(d);
            }
        }
    }
}
