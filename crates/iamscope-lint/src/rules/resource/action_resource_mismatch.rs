//! # ACTION_RESOURCE_MISMATCH
//!
//! Finding type: WARNING
//!
//! A statement names an action (without wildcards) and lists only resources that cannot be of any
//! resource type the action applies to: an action that supports only `"Resource": "*"` (such as
//! `s3:ListAllMyBuckets` or `ec2:DescribeInstances`) with specific ARNs, or an action whose
//! resource types (from the service catalog) none of the ARNs can match (`s3:GetObject` on a
//! bucket ARN).
//!
//! ## Why it matters
//! The statement then grants (or denies) that action on nothing. A Deny that was meant to protect
//! a resource silently does not.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListAllMyBuckets"],
//!   "Resource": "arn:aws:s3:::reports"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [
//!   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
//!   {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Service Authorization Reference: the "Resource types" column of each action
//! - IAM User Guide, "IAM JSON policy elements: Resource" (reference_policies_elements_resource.md)

use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{ArnValue, arn_fields, diag, has_wildcard};
use crate::{Context, Rule, RuleMeta};

pub struct ActionResourceMismatch;

impl Rule for ActionResourceMismatch {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("ACTION_RESOURCE_MISMATCH", FindingType::Warning)],
            summary: "An action listed with resources it can never apply to",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cat = cx.catalog;
        // Per statement: whether some resource item may be of a resource type, by the type's
        // ARN format (all the judgement reads); many actions share their resource types, so
        // each is judged once.
        let mut judged: crate::bytes::FastMap<&str, bool> = Default::default();
        for (pos, st) in cx.policy.statements.iter().enumerate() {
            let (Some(a), Some(r)) = (&st.action, &st.resource) else {
                continue;
            };
            if a.not || r.not || r.items.is_empty() {
                continue;
            }
            // Only ARNs with a literal service can be judged.
            if r.items.iter().any(|i| {
                !i.value.starts_with("arn:")
                    || i.value.split(':').nth(2).is_none_or(|s| {
                        s.is_empty() || has_wildcard(s) || crate::facts::has_variable(s)
                    })
            }) {
                continue;
            }
            judged.clear();
            // The items split into fields once (variables read as `*`), for every format, when
            // a format is first judged.
            let sanitized = std::cell::OnceCell::new();
            let values = std::cell::OnceCell::new();
            let values = || -> &Vec<Option<ArnValue<'_>>> {
                let sanitized: &Vec<_> = sanitized.get_or_init(|| {
                    r.items
                        .iter()
                        .map(|i| crate::facts::variables_as_stars(&i.value))
                        .collect()
                });
                values.get_or_init(|| {
                    sanitized
                        .iter()
                        .map(|sv| arn_fields(sv).map(ArnValue::new))
                        .collect()
                })
            };
            for (idx, item) in a.items.iter().enumerate() {
                if has_wildcard(&item.value) {
                    continue;
                }
                // A literal item's shared expansion is its catalog action, if any.
                let Some(action) = cx
                    .item_actions(pos, idx)
                    .first()
                    .and_then(|&id| cat.action_by_index(id as usize))
                else {
                    continue;
                };
                let msg = if action.supports_only_star() {
                    format!(
                        "{} supports only \"Resource\": \"*\", so this statement applies it to nothing",
                        action
                    )
                } else {
                    let fits = action.resource_types().any(|ar| {
                        ar.resource_type().is_some_and(|rt| {
                            *judged.entry(rt.arn_format()).or_insert_with(|| {
                                // Some item fits the format (the fast check on every item
                                // first, the catalog's conservative matcher only if none does).
                                arn_fields(rt.arn_format()).is_some_and(|f| {
                                    values().iter().any(|v| v.is_some_and(|v| v.fits(&f)))
                                        || r.items
                                            .iter()
                                            .any(|i| rt.may_match_arn_pattern(&i.value))
                                })
                            })
                        })
                    });
                    if fits {
                        continue;
                    }
                    let types: Vec<&str> = action.resource_types().map(|ar| ar.name()).collect();
                    format!(
                        "none of the resources of {} is a {} for {}, so this statement applies it to nothing",
                        st.label(),
                        types.join(" or "),
                        action
                    )
                };
                out.push(diag(
                    "ACTION_RESOURCE_MISMATCH",
                    FindingType::Warning,
                    msg,
                    item.range,
                    a.item_pointer(&st.pointer, idx),
                ));
            }
        }
    }
}
