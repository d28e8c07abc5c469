//! # DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE, DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE, ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE, ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE
//!
//! Finding type: SECURITY_WARNING (the DENY codes), SUGGESTION (the ALLOW codes)
//!
//! A statement conditions on a global tag key (`aws:ResourceTag/<key>`, `aws:RequestTag/<key>`,
//! `aws:TagKeys`) with a positive operator, and some of its actions belong to services none of
//! whose listed actions support that key. For those services the key is absent, so the condition
//! is false: a Deny does not deny them (security warning) and an Allow does not allow them
//! (suggestion). With `NotAction`, the statement reaches every service, so the finding is raised
//! for the statement as a whole (the `_NOTACTION_` codes). Operators with `...IfExists`, negated
//! operators and `ForAllValues:` behave differently on absent keys and are not reported.
//!
//! ## Why it matters
//! Attribute-based access control works only where the service supports the tag keys; elsewhere
//! a tag-based Deny is silently a no-op.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["ec2:TerminateInstances", "sts:GetCallerIdentity"], "Resource": "*",
//!   "Condition": {"StringEquals": {"aws:ResourceTag/status": "Confidential"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*",
//!   "Condition": {"StringEquals": {"aws:ResourceTag/status": "Confidential"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "Controlling access to AWS resources using tags"
//! - Access Analyzer policy checks: "Security Warning – Deny with unsupported tag condition key
//!   for service" and its three siblings

use std::collections::BTreeMap;

use iamscope_policy::model::ConditionElement;
use iamscope_policy::{BaseOperator, PolicyKind};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::diag;
use crate::{Context, Rule, RuleMeta};

pub struct TagKeySupport;

fn is_global_tag_key(k: &str) -> bool {
    let l = k.to_ascii_lowercase();
    l.starts_with("aws:resourcetag/") || l.starts_with("aws:requesttag/") || l == "aws:tagkeys"
}

impl Rule for TagKeySupport {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                    FindingType::SecurityWarning,
                ),
                (
                    "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                    FindingType::SecurityWarning,
                ),
                (
                    "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                    FindingType::Suggestion,
                ),
                (
                    "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                    FindingType::Suggestion,
                ),
            ],
            summary: "Tag condition keys are ignored by services that do not support them",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if matches!(cx.kind, PolicyKind::Scp | PolicyKind::Rcp) {
            return;
        }
        let cat = cx.catalog;
        for (pos, st) in cx.policy.statements.iter().enumerate() {
            let (Some(cond), Some(a)) = (&st.condition, &st.action) else {
                continue;
            };
            let deny = st.is_deny();
            if !deny && !st.is_allow() {
                continue;
            }
            for (b, e) in cond.entries() {
                let Some(op) = b.op else { continue };
                if op.if_exists
                    || op.base == BaseOperator::Null
                    || op.base.is_negated()
                    || op.qualifier == Some(iamscope_policy::SetQualifier::ForAllValues)
                {
                    continue;
                }
                let k = e.key.value.as_str();
                if !is_global_tag_key(k) {
                    continue;
                }
                let ptr = || ConditionElement::entry_pointer(&st.pointer, b, e);
                if a.not {
                    let (code, ft, what) = if deny {
                        (
                            "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                            FindingType::SecurityWarning,
                            "are not denied",
                        )
                    } else {
                        (
                            "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                            FindingType::Suggestion,
                            "are not allowed",
                        )
                    };
                    out.push(diag(
                        code,
                        ft,
                        format!("with NotAction and the tag key {k}, actions that do not support the key {what} by this statement; list the actions instead of using NotAction"),
                        e.key.range,
                        ptr(),
                    ));
                    continue;
                }
                // Per service: does any of the statement's actions of that service support it?
                let mut per_service: BTreeMap<&str, bool> = BTreeMap::new();
                for &i in cx.statement_actions(pos) {
                    let Some(x) = cat.action_by_index(i as usize) else {
                        continue;
                    };
                    let s = x.service().prefix();
                    let sup = per_service.entry(s).or_insert(false);
                    if !*sup && x.supports_key(k) {
                        *sup = true;
                    }
                }
                let bad: Vec<&str> = per_service
                    .iter()
                    .filter(|(_, s)| !**s)
                    .map(|(p, _)| *p)
                    .collect();
                if bad.is_empty() {
                    continue;
                }
                let mut list = bad.iter().take(8).copied().collect::<Vec<_>>().join(", ");
                if bad.len() > 8 {
                    list.push_str(&format!(" and {} more", bad.len() - 8));
                }
                let (code, ft, what) = if deny {
                    (
                        "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                        FindingType::SecurityWarning,
                        "not denied",
                    )
                } else {
                    (
                        "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                        FindingType::Suggestion,
                        "not allowed",
                    )
                };
                out.push(diag(
                    code,
                    ft,
                    format!("the services {list} do not support the tag key {k}, so their actions are {what} by this statement; move them to a statement without this key"),
                    e.key.range,
                    ptr(),
                ));
            }
        }
    }
}
