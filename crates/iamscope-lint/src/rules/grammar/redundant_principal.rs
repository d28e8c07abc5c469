//! # REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY
//!
//! Finding type: SUGGESTION
//!
//! A role trust policy names both a role (`arn:aws:iam::123456789012:role/deployer`, with or
//! without a path) and a session of the same role
//! (`arn:aws:sts::123456789012:assumed-role/deployer/ci`) in the same `Principal`. The session is
//! already covered by its role. The diagnostic points at the session; the related range is the
//! role.
//!
//! ## Why it matters
//! The extra entry grants nothing more and makes the trust policy harder to review.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:role/deployer", "arn:aws:sts::123456789012:assumed-role/deployer/ci"]}, "Action": "sts:AssumeRole"}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:role/deployer", "arn:aws:sts::123456789012:assumed-role/builder/ci"]}, "Action": "sts:AssumeRole"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Suggestion – Redundant principal in role trust policy"
//! - IAM User Guide, "AWS JSON policy elements: Principal", sections "IAM role principals" and
//!   "Assumed-role session principals" (reference_policies_elements_principal.md)

use std::collections::HashMap;

use iamscope_policy::arn::Arn;
use iamscope_policy::{PolicyKind, PrincipalType, PrincipalValue};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct RedundantPrincipal;

impl Rule for RedundantPrincipal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[(
                "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
                FindingType::Suggestion,
            )],
            summary: "A role trust policy names both a role and a session of that role",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Trust {
            return;
        }
        for st in &cx.policy.statements {
            let Some(p) = &st.principal else { continue };
            let PrincipalValue::Map(entries) = &p.value else {
                continue;
            };
            let aws = entries
                .iter()
                .filter(|e| e.kind == Some(PrincipalType::Aws));
            // (partition, account, role name) -> the role value
            let mut roles = HashMap::new();
            for entry in aws.clone() {
                for v in &entry.values {
                    if let Ok(a) = Arn::parse(&v.value)
                        && a.service == "iam"
                        && let Some(path_and_name) = a.resource.strip_prefix("role/")
                    {
                        let name = path_and_name.rsplit('/').next().unwrap_or(path_and_name);
                        roles.entry((a.partition, a.account, name)).or_insert(v);
                    }
                }
            }
            if roles.is_empty() {
                continue;
            }
            for entry in aws {
                for (i, v) in entry.values.iter().enumerate() {
                    let Ok(a) = Arn::parse(&v.value) else {
                        continue;
                    };
                    if a.service != "sts" {
                        continue;
                    }
                    let Some(rest) = a.resource.strip_prefix("assumed-role/") else {
                        continue;
                    };
                    let Some((name, _session)) = rest.split_once('/') else {
                        continue;
                    };
                    if let Some(role) = roles.get(&(a.partition, a.account, name)) {
                        out.push(
                            Diagnostic::new(
                                "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
                                FindingType::Suggestion,
                                format!(
                                    "the session principal \"{}\" is redundant with its role \"{}\": remove the session",
                                    v.value, role.value
                                ),
                                v.range,
                                p.value_pointer(&st.pointer, entry, i),
                            )
                            .with_related(role.range, "the role"),
                        );
                    }
                }
            }
        }
    }
}
