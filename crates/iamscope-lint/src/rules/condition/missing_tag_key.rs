//! # MISSING_TAG_KEY_IN_CONDITION
//!
//! Finding type: ERROR
//!
//! A tag condition key without its tag key: `aws:ResourceTag`, `aws:RequestTag`,
//! `aws:PrincipalTag`, a service's `<service>:ResourceTag` / `<service>:RequestTag`, or
//! `s3:ExistingObjectTag` / `s3:RequestObjectTag`, written without `/tag-key` (or with an empty
//! one).
//!
//! ## Why it matters
//! These keys exist only per tag: `aws:ResourceTag/owner`. The bare name is never in a request,
//! so the condition never matches.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
//!   "Condition": {"StringEquals": {"aws:ResourceTag": "JaneDoe"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
//!   "Condition": {"StringEquals": {"aws:ResourceTag/owner": "JaneDoe"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "Controlling access to AWS resources using tags"
//! - Access Analyzer policy checks: "Error – Missing tag key in condition"

use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::diag;
use crate::{Context, Rule, RuleMeta};

pub struct MissingTagKey;

const TAG_KEYS: &[&str] = &[
    "resourcetag",
    "requesttag",
    "principaltag",
    "existingobjecttag",
    "requestobjecttag",
];

/// For `aws:ResourceTag` (or `aws:ResourceTag/`), the bare tag key name.
pub fn bare_tag_key(key: &str) -> Option<&str> {
    let (_, name) = key.split_once(':')?;
    let bare = name.strip_suffix('/').unwrap_or(name);
    (!bare.contains('/') && TAG_KEYS.iter().any(|t| bare.eq_ignore_ascii_case(t))).then_some(bare)
}

impl Rule for MissingTagKey {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("MISSING_TAG_KEY_IN_CONDITION", FindingType::Error)],
            summary: "Tag condition keys need a tag key: aws:ResourceTag/<key>",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let k = &e.key.value;
                if bare_tag_key(k).is_none() {
                    continue;
                }
                let base = k.strip_suffix('/').unwrap_or(k);
                out.push(diag(
                    "MISSING_TAG_KEY_IN_CONDITION",
                    FindingType::Error,
                    format!("the condition key {k} must name a tag: use {base}/tag-key"),
                    e.key.range,
                    ConditionElement::entry_pointer(&st.pointer, b, e),
                ));
            }
        }
    }
}
