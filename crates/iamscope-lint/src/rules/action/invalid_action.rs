//! # INVALID_ACTION, INVALID_SERVICE_IN_ACTION, UNKNOWN_ACTION, UNKNOWN_SERVICE_IN_ACTION
//!
//! Finding type: ERROR (INVALID_ACTION, INVALID_SERVICE_IN_ACTION), WARNING (UNKNOWN_ACTION, UNKNOWN_SERVICE_IN_ACTION)
//!
//! An `Action` or `NotAction` item that names no action in the service catalog.
//! - A typo: the name is one or two edits (ignoring case) away from a known service prefix
//!   (`INVALID_SERVICE_IN_ACTION`) or from an action of its service (`INVALID_ACTION`). The
//!   message says "did you mean", and the fix replaces the item (safe when there is one
//!   candidate).
//! - Otherwise the catalog does not know the name: the service or action was retired, is newer
//!   than the catalog, or is undocumented (`UNKNOWN_SERVICE_IN_ACTION`, `UNKNOWN_ACTION`, also
//!   for a wildcard pattern that matches no action). AWS accepts such policies (several AWS
//!   managed policies name retired services), so this is a warning; Access Analyzer reports both
//!   cases as `INVALID_ACTION`/`INVALID_SERVICE_IN_ACTION` errors.
//!
//! ## Why it matters
//! AWS stores the policy anyway, and the misspelt action grants (or denies) nothing: a Deny meant
//! to block `s3:DeleteBucket` written as `s3:DeleteBuckets` blocks nothing.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObjekt", "s4:ListBucket", "deeplens:*"], "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Action" (reference_policies_elements_action.md)
//! - Service Authorization Reference, "Actions, resources, and condition keys for AWS services"
//! - Access Analyzer policy checks: "Error – Invalid action", "Error – Invalid service in action"

use iamscope_policy::wildcard::Pattern;
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::facts::{RETIRED_SERVICES, diag, has_variable, typo_budget, within_edits};
use crate::{Context, Rule, RuleMeta};

pub struct InvalidAction;

impl Rule for InvalidAction {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("INVALID_ACTION", FindingType::Error),
                ("INVALID_SERVICE_IN_ACTION", FindingType::Error),
                ("UNKNOWN_ACTION", FindingType::Warning),
                ("UNKNOWN_SERVICE_IN_ACTION", FindingType::Warning),
            ],
            summary: "Actions must exist in the AWS service catalog (with \"did you mean\")",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cat = cx.catalog;
        for (pos, st) in cx.policy.statements.iter().enumerate() {
            let Some(a) = &st.action else { continue };
            // Every item names a catalog action: nothing to report (the check below, item by
            // item, would skip each).
            if cx.action_items_named(pos) {
                continue;
            }
            for (i, item) in a.items.iter().enumerate() {
                // An item that matches some catalog action is either skipped below or names an
                // existing service and matches one of its actions: no finding either way, and
                // the expansion is shared with other rules, so most items cost one lookup.
                if !cx.item_actions(pos, i).is_empty() {
                    continue;
                }
                let v = item.value.as_str();
                if v == "*" || has_variable(v) {
                    continue;
                }
                // Malformed values (no colon) are the grammar rules' business.
                let Some((svc, act)) = v.split_once(':') else {
                    continue;
                };
                if crate::facts::has_wildcard(svc) || svc.is_empty() || act.is_empty() {
                    continue;
                }
                let ptr = a.item_pointer(&st.pointer, i);
                let wild = crate::facts::has_wildcard(act);
                let (code, msg, suggestions) = match cat.service(svc) {
                    None => {
                        let near: Vec<String> =
                            if RETIRED_SERVICES.iter().any(|r| r.eq_ignore_ascii_case(svc)) {
                                Vec::new()
                            } else {
                                cat.suggest_service(svc)
                                    .into_iter()
                                    .filter(|p| within_edits(p, svc, typo_budget(svc)))
                                    .collect()
                            };
                        if near.is_empty() {
                            let why =
                                if RETIRED_SERVICES.iter().any(|r| r.eq_ignore_ascii_case(svc)) {
                                    "it was retired by AWS"
                                } else {
                                    "it may be newer than the catalog, retired or undocumented"
                                };
                            (
                                "UNKNOWN_SERVICE_IN_ACTION",
                                format!(
                                    "the service {svc} in the action {v} is not in the service catalog ({why}); the action grants nothing if the service does not exist"
                                ),
                                Vec::new(),
                            )
                        } else {
                            let full: Vec<String> =
                                near.iter().map(|p| format!("{p}:{act}")).collect();
                            (
                                "INVALID_SERVICE_IN_ACTION",
                                format!(
                                    "the service {svc} in the action {v} does not exist; did you mean {}?",
                                    near.join(", ")
                                ),
                                if wild { Vec::new() } else { full },
                            )
                        }
                    }
                    Some(s) => {
                        let exists = if wild {
                            let pat = Pattern::new(act, true);
                            s.actions().any(|x| pat.matches(x.name()))
                        } else {
                            s.action(act).is_some()
                        };
                        if exists {
                            continue;
                        }
                        let all = if wild {
                            Vec::new()
                        } else {
                            cat.suggest_action(v)
                        };
                        let near: Vec<String> = all
                            .iter()
                            .filter(|c| {
                                c.split_once(':').is_some_and(|(cs, ca)| {
                                    cs.eq_ignore_ascii_case(svc)
                                        && within_edits(ca, act, typo_budget(act))
                                })
                            })
                            .cloned()
                            .collect();
                        if wild {
                            (
                                "UNKNOWN_ACTION",
                                format!(
                                    "the pattern {v} matches no action of {} in the service catalog",
                                    s.prefix()
                                ),
                                Vec::new(),
                            )
                        } else if near.is_empty() {
                            let hint = if all.is_empty() {
                                String::new()
                            } else {
                                format!("; similar: {}", all.join(", "))
                            };
                            (
                                "UNKNOWN_ACTION",
                                format!(
                                    "the action {v} is not in the service catalog (it may be newer than the catalog, retired or undocumented){hint}"
                                ),
                                Vec::new(),
                            )
                        } else {
                            (
                                "INVALID_ACTION",
                                format!(
                                    "the action {v} does not exist; did you mean {}?",
                                    near.join(", ")
                                ),
                                near,
                            )
                        }
                    }
                };
                let ft = if code.starts_with("INVALID") {
                    FindingType::Error
                } else {
                    FindingType::Warning
                };
                let mut d = diag(code, ft, msg, item.range, ptr);
                if let Some(best) = suggestions.first() {
                    d = d.with_fix(Fix {
                        title: format!("Replace with {best}"),
                        edits: vec![TextEdit {
                            range: item.range,
                            new_text: format!("\"{best}\""),
                        }],
                        safe: suggestions.len() == 1,
                    });
                }
                out.push(d);
            }
        }
    }
}
