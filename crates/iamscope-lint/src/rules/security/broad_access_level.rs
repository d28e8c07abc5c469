//! # PERMISSIONS_MANAGEMENT_ON_ALL_RESOURCES, WRITE_ON_ALL_RESOURCES, PERMISSIONS_MANAGEMENT_WITHOUT_MFA
//!
//! Finding type: SECURITY_WARNING (PERMISSIONS_MANAGEMENT_ON_ALL_RESOURCES), WARNING (the others)
//!
//! An identity policy's Allow statement, with the actions expanded through the service catalog:
//! - grants "Permissions management" actions that can be limited to resources on every resource
//!   (`Resource` `*` or `NotResource`): `PERMISSIONS_MANAGEMENT_ON_ALL_RESOURCES`;
//! - grants "Write" actions that can be limited to resources on every resource:
//!   `WRITE_ON_ALL_RESOURCES`;
//! - grants "Permissions management" actions without requiring MFA
//!   (`aws:MultiFactorAuthPresent` or `aws:MultiFactorAuthAge` in its condition):
//!   `PERMISSIONS_MANAGEMENT_WITHOUT_MFA`.
//!
//! Actions that AWS only allows on `"Resource": "*"` are not counted for the first two, and a
//! statement that allows every action (`FULL_ADMIN_ACCESS`) is left to that rule.
//!
//! ## Why it matters
//! Permissions management (IAM policies, key policies, bucket policies, RAM shares) lets the holder
//! change who can do what; on every resource it is a short step to administrator. Write on every
//! resource reaches data and infrastructure the identity was never meant to touch.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PutRolePolicy", "s3:PutObject"], "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::uploads/*"}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "Security best practices in IAM": apply least-privilege permissions, require
//!   MFA
//! - Service Authorization Reference: access levels (List, Read, Write, Permissions management,
//!   Tagging)

use iamscope_catalog::AccessLevel;
use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{action_anchor, diag, has_key, resource_is_star};
use crate::{Context, Rule, RuleMeta};

pub struct BroadAccessLevel;

impl Rule for BroadAccessLevel {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "PERMISSIONS_MANAGEMENT_ON_ALL_RESOURCES",
                    FindingType::SecurityWarning,
                ),
                ("WRITE_ON_ALL_RESOURCES", FindingType::Warning),
                ("PERMISSIONS_MANAGEMENT_WITHOUT_MFA", FindingType::Warning),
            ],
            summary: "Write or permissions-management actions on every resource, or without MFA",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Identity {
            return;
        }
        let cat = cx.catalog;
        for (pos, st) in cx.policy.statements.iter().enumerate() {
            if !st.is_allow() {
                continue;
            }
            let (Some(a), Some(r)) = (&st.action, &st.resource) else {
                continue;
            };
            let admin = !a.not
                && resource_is_star(r)
                && a.items.iter().any(|i| i.value == "*" || i.value == "*:*");
            if admin {
                continue;
            }
            let all_resources = r.not || resource_is_star(r);
            let mut pm = Vec::new();
            let mut pm_all = 0usize;
            let mut write = Vec::new();
            for &i in cx.statement_actions(pos) {
                let Some(x) = cat.action_by_index(i as usize) else {
                    continue;
                };
                match x.access_level() {
                    AccessLevel::PermissionsManagement => {
                        pm_all += 1;
                        if !x.supports_only_star() {
                            pm.push(x);
                        }
                    }
                    AccessLevel::Write if !x.supports_only_star() => write.push(x),
                    _ => {}
                }
            }
            let sample = |v: &Vec<iamscope_catalog::Action<'_>>| {
                let mut s: Vec<String> = v.iter().take(3).map(|x| x.to_string()).collect();
                if v.len() > 3 {
                    s.push(format!("and {} more", v.len() - 3));
                }
                s.join(", ")
            };
            let range = action_anchor(st);
            let ptr = || a.pointer(&st.pointer);
            if all_resources && !pm.is_empty() {
                out.push(diag(
                    "PERMISSIONS_MANAGEMENT_ON_ALL_RESOURCES",
                    FindingType::SecurityWarning,
                    format!("{} allows {} permissions-management action(s) on every resource ({}); limit them to the resources that need it", st.label(), pm.len(), sample(&pm)),
                    range,
                    ptr(),
                ));
            }
            if all_resources && !write.is_empty() {
                out.push(diag(
                    "WRITE_ON_ALL_RESOURCES",
                    FindingType::Warning,
                    format!("{} allows {} write action(s) that can be limited to resources on every resource ({})", st.label(), write.len(), sample(&write)),
                    range,
                    ptr(),
                ));
            }
            if pm_all > 0
                && !has_key(st, "aws:MultiFactorAuthPresent")
                && !has_key(st, "aws:MultiFactorAuthAge")
            {
                out.push(diag(
                    "PERMISSIONS_MANAGEMENT_WITHOUT_MFA",
                    FindingType::Warning,
                    format!("{} allows {pm_all} permissions-management action(s) without requiring MFA; for people, add {{\"Bool\": {{\"aws:MultiFactorAuthPresent\": \"true\"}}}}", st.label()),
                    range,
                    ptr(),
                ));
            }
        }
    }
}
