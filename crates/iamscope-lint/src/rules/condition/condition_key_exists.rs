//! # INVALID_GLOBAL_CONDITION_KEY, INVALID_SERVICE, INVALID_SERVICE_CONDITION_KEY, UNKNOWN_CONDITION_KEY
//!
//! Finding type: ERROR (the INVALID codes), WARNING (UNKNOWN_CONDITION_KEY)
//!
//! A condition key that the service catalog does not define. When the key is a typo (one or two
//! edits, ignoring case, from a known name) it is an error: an `aws:` key that is not a global
//! condition key (`INVALID_GLOBAL_CONDITION_KEY`), a key whose service prefix is unknown
//! (`INVALID_SERVICE`), or a key the service does not define (`INVALID_SERVICE_CONDITION_KEY`);
//! the fix replaces it when there is one candidate. A key with no close known name is reported as
//! `UNKNOWN_CONDITION_KEY` (a warning): it may be newer than the catalog, retired, or
//! undocumented (AWS managed policies use a few such keys; Access Analyzer reports them with the
//! INVALID codes). Keys are compared without case; tag keys such as `aws:ResourceTag/<tag>` match
//! their template. Keys of identity providers (`accounts.google.com:aud`, `<provider>/id/...:sub`)
//! are not checked when their prefix contains a dot or a slash.
//!
//! ## Why it matters
//! A key that never appears in a request is absent: a condition on it never matches (or, with a
//! negated operator or `...IfExists`, always matches), so the statement does not do what it says.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"StringEquals": {"aws:PrincipalOrgId2": "o-a1b2c3d4e5", "s3:prefixes": "home/"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
//!   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "s3:prefix": "home/"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "AWS global condition context keys"
//! - Service Authorization Reference, the condition keys table of each service
//! - Access Analyzer policy checks: "Error – Invalid global condition key", "Error – Invalid
//!   service", "Error – Invalid service condition key"

use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::facts::{RETIRED_SERVICES, diag, typo_budget, within_edits};
use crate::{Context, Rule, RuleMeta};

pub struct ConditionKeyExists;

/// Keys handled by other rules (deprecated or unsupported global keys).
pub(crate) const SPECIAL_GLOBAL: &[&str] = &["aws:ARN"];

impl Rule for ConditionKeyExists {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("INVALID_GLOBAL_CONDITION_KEY", FindingType::Error),
                ("INVALID_SERVICE", FindingType::Error),
                ("INVALID_SERVICE_CONDITION_KEY", FindingType::Error),
                ("UNKNOWN_CONDITION_KEY", FindingType::Warning),
            ],
            summary: "Condition keys must be global keys or keys the service defines",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cat = cx.catalog;
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let k = e.key.value.as_str();
                if crate::rules::grammar::key_format_error(k).is_some() {
                    continue; // INVALID_CONDITION_KEY_FORMAT (a grammar rule)
                }
                let Some((svc, name)) = k.split_once(':') else {
                    continue;
                };
                if svc.is_empty()
                    || name.is_empty()
                    || svc.contains(['.', '/'])
                    || crate::facts::has_variable(k)
                {
                    continue;
                }
                if SPECIAL_GLOBAL.iter().any(|s| s.eq_ignore_ascii_case(k)) {
                    continue;
                }
                if cx.condition_key_known(k) || super::missing_tag_key::bare_tag_key(k).is_some() {
                    continue;
                }
                let ptr = ConditionElement::entry_pointer(&st.pointer, b, e);
                let budget = typo_budget(k);
                let near_keys: Vec<String> = cat
                    .suggest_condition_key(k)
                    .into_iter()
                    .filter(|c| within_edits(c, k, budget))
                    .collect();
                let svc_known = svc.eq_ignore_ascii_case("aws") || cat.service(svc).is_some();
                let near_svcs: Vec<String> =
                    if svc_known || RETIRED_SERVICES.iter().any(|r| r.eq_ignore_ascii_case(svc)) {
                        Vec::new()
                    } else {
                        cat.suggest_service(svc)
                            .into_iter()
                            .filter(|p| within_edits(p, svc, typo_budget(svc)))
                            .collect()
                    };
                let (code, ft, msg, sugg) = if !svc_known && !near_svcs.is_empty() {
                    (
                        "INVALID_SERVICE",
                        FindingType::Error,
                        format!(
                            "the service {svc} in the condition key {k} does not exist; did you mean {}?",
                            near_svcs.join(", ")
                        ),
                        Vec::new(),
                    )
                } else if svc_known && !near_keys.is_empty() {
                    let code = if svc.eq_ignore_ascii_case("aws") {
                        "INVALID_GLOBAL_CONDITION_KEY"
                    } else {
                        "INVALID_SERVICE_CONDITION_KEY"
                    };
                    (
                        code,
                        FindingType::Error,
                        format!(
                            "the condition key {k} does not exist; did you mean {}?",
                            near_keys.join(", ")
                        ),
                        near_keys,
                    )
                } else {
                    let why = if RETIRED_SERVICES.iter().any(|r| r.eq_ignore_ascii_case(svc)) {
                        "its service was retired by AWS"
                    } else {
                        "it may be newer than the catalog, retired or undocumented"
                    };
                    (
                        "UNKNOWN_CONDITION_KEY",
                        FindingType::Warning,
                        format!(
                            "the condition key {k} is not in the service catalog ({why}); a key that is never in the request makes the condition fail"
                        ),
                        Vec::new(),
                    )
                };
                let mut d = diag(code, ft, msg, e.key.range, ptr);
                if let Some(best) = sugg.first() {
                    d = d.with_fix(Fix {
                        title: format!("Replace with {best}"),
                        edits: vec![TextEdit {
                            range: e.key.range,
                            new_text: format!("\"{best}\""),
                        }],
                        safe: sugg.len() == 1,
                    });
                }
                out.push(d);
            }
        }
    }
}
