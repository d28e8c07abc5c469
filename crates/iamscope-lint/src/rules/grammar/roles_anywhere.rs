//! # MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY
//!
//! Finding type: ERROR
//!
//! A role trust policy lets the IAM Roles Anywhere service principal
//! (`rolesanywhere.amazonaws.com`) assume the role, but the statement does not allow all three of
//! `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession` (wildcards such as `sts:*`
//! count; with `NotAction`, an action is allowed when no entry matches it). The diagnostic points
//! at the `Action` element and names the missing actions.
//!
//! ## Why it matters
//! Roles Anywhere always sets a source identity and session tags when it assumes a role; without
//! these permissions it cannot deliver credentials for the role.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Missing action for roles anywhere trust policy"

use iamscope_policy::wildcard::wildcard_match;
use iamscope_policy::{PolicyKind, PrincipalType};
use iamscope_syntax::{Diagnostic, FindingType};

use super::util::brace;
use crate::{Context, Rule, RuleMeta};

pub struct RolesAnywhere;

const REQUIRED: [&str; 3] = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"];
const SERVICE: &str = "rolesanywhere.amazonaws.com";

impl Rule for RolesAnywhere {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[(
                "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
                FindingType::Error,
            )],
            summary: "A trust policy for IAM Roles Anywhere does not allow sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Trust {
            return;
        }
        for st in &cx.policy.statements {
            if !st.is_allow() {
                continue;
            }
            let Some(p) = &st.principal else { continue };
            if p.not {
                continue;
            }
            let names_service = p.values().any(|(e, v)| {
                e.kind == Some(PrincipalType::Service) && v.value.eq_ignore_ascii_case(SERVICE)
            });
            if !names_service {
                continue;
            }
            let missing: Vec<&str> = REQUIRED
                .iter()
                .copied()
                .filter(|required| match &st.action {
                    None => true,
                    Some(list) => {
                        let hit = list
                            .strs()
                            .any(|pattern| wildcard_match(pattern, required, true));
                        hit == list.not
                    }
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let (range, pointer) = match &st.action {
                Some(list) => (list.span.value, list.pointer(&st.pointer)),
                None => (brace(st.range), st.pointer.clone()),
            };
            out.push(Diagnostic::error(
                "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
                format!(
                    "the {SERVICE} service principal needs sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession; missing: {}",
                    missing.join(", ")
                ),
                range,
                pointer,
            ));
        }
    }
}
