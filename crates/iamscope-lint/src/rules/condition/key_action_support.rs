//! # UNSUPPORTED_ACTION_FOR_CONDITION_KEY, MISSING_ACTION_FOR_CONDITION_KEY
//!
//! Finding type: WARNING
//!
//! A service condition key (not an `aws:` key) in a statement whose actions do not all support
//! it. When some action of the statement supports the key, the named actions (without
//! wildcards) that do not are reported (`UNSUPPORTED_ACTION_FOR_CONDITION_KEY`); when no action of
//! the statement supports it, the key is never evaluated and the actions that set it are named
//! (`MISSING_ACTION_FOR_CONDITION_KEY`, for example `iam:PassedToService` without
//! `iam:PassRole`). Conditions with `...IfExists` or `Null`, which are written for absent keys,
//! are not reported.
//!
//! Access Analyzer reports both as errors. iamscope reports warnings: the evidence is the service
//! reference's list of keys per action, which lags behind the services (AWS managed policies use
//! keys with actions the reference does not list them for). Raise them to errors with the
//! `severity` option if you trust the catalog.
//!
//! ## Why it matters
//! A key an action does not support is absent from its request: an Allow conditioned on it never
//! applies to that action, and a Deny never blocks it. Move such actions to their own statement.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:RunInstances", "s3:GetObject"], "Resource": "*",
//!   "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [
//!   {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}},
//!   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Service Authorization Reference: the condition keys column of each action
//! - Access Analyzer policy checks: "Error – Unsupported action for condition key", "Error –
//!   Missing action for condition key"

use iamscope_policy::model::ConditionElement;
use iamscope_policy::{BaseOperator, PolicyKind};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::diag;
use crate::{Context, Rule, RuleMeta};

pub struct KeyActionSupport;

impl Rule for KeyActionSupport {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("UNSUPPORTED_ACTION_FOR_CONDITION_KEY", FindingType::Warning),
                ("MISSING_ACTION_FOR_CONDITION_KEY", FindingType::Warning),
            ],
            summary: "Service condition keys must be supported by the statement's actions",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if matches!(cx.kind, PolicyKind::Scp | PolicyKind::Rcp) {
            // Organization policies apply to every service; keys there are filters by design.
            return;
        }
        let cat = cx.catalog;
        for (pos, st) in cx.policy.statements.iter().enumerate() {
            let (Some(cond), Some(a)) = (&st.condition, &st.action) else {
                continue;
            };
            if a.not {
                continue;
            }
            for (b, e) in cond.entries() {
                let Some(op) = b.op else { continue };
                if op.if_exists || op.base == BaseOperator::Null {
                    continue;
                }
                let k = e.key.value.as_str();
                let Some((svc, _)) = k.split_once(':') else {
                    continue;
                };
                if svc.eq_ignore_ascii_case("aws") || svc.contains(['.', '/']) {
                    continue;
                }
                let Some(info) = cx.condition_key(k) else {
                    continue;
                };
                if info.is_global() {
                    continue;
                }
                let acts = cx.statement_actions(pos);
                if acts.is_empty() {
                    continue;
                }
                let any = acts
                    .iter()
                    .filter_map(|&i| cat.action_by_index(i as usize))
                    .any(|a| a.supports_key(k));
                let ptr = || ConditionElement::entry_pointer(&st.pointer, b, e);
                if any {
                    let bad: Vec<&str> = a
                        .items
                        .iter()
                        .filter(|i| !crate::facts::has_wildcard(&i.value))
                        .filter(|i| cat.action(&i.value).is_some_and(|x| !x.supports_key(k)))
                        .map(|i| i.value.as_str())
                        .collect();
                    if !bad.is_empty() {
                        out.push(diag(
                            "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
                            FindingType::Warning,
                            format!("the actions {} do not support the condition key {k}, so the condition is not evaluated for them; move them to a statement without this key", bad.join(", ")),
                            e.key.range,
                            ptr(),
                        ));
                    }
                } else {
                    let setters: Vec<String> = cat
                        .service(svc)
                        .map(|s| {
                            s.actions()
                                .filter(|x| {
                                    x.condition_keys()
                                        .any(|c| c.name().eq_ignore_ascii_case(info.name()))
                                })
                                .take(4)
                                .map(|x| x.full_name())
                                .collect()
                        })
                        .unwrap_or_default();
                    let named = if setters.is_empty() {
                        String::new()
                    } else {
                        format!("; it is set by {}", setters.join(", "))
                    };
                    out.push(diag(
                        "MISSING_ACTION_FOR_CONDITION_KEY",
                        FindingType::Warning,
                        format!("no action of {} supports the condition key {k}, so it is never evaluated{named}", st.label()),
                        e.key.range,
                        ptr(),
                    ));
                }
            }
        }
    }
}
