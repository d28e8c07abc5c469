//! # INVALID_ROLE_REFERENCE, INVALID_USER_REFERENCE
//!
//! Finding type: WARNING
//!
//! An `AWS` principal is a unique principal ID instead of an ARN: `AROA...` (a role) gives
//! `INVALID_ROLE_REFERENCE`, `AIDA...` (a user) gives `INVALID_USER_REFERENCE`.
//!
//! ## Why it matters
//! IAM stores principal ARNs as these IDs and shows the ID when the role or user was deleted: the
//! policy then refers to an entity that no longer exists, and a new role or user with the same
//! name does not match it. Write the ARN; IAM converts it when it saves the policy.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "AROAJQABLZS4A3QDU576Q"}, "Action": "sts:AssumeRole"}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/deployer"}, "Action": "sts:AssumeRole"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "General Warning – Invalid role reference", "Invalid user reference"
//! - IAM User Guide, "AWS JSON policy elements: Principal", sections "IAM role principals" and
//!   "IAM user principals" (reference_policies_elements_principal.md)

use iamscope_policy::{PolicyKind, PrincipalType, PrincipalValue};
use iamscope_syntax::{Diagnostic, FindingType};

use super::principal_format::is_unique_id;
use crate::{Context, Rule, RuleMeta};

pub struct PrincipalReference;

impl Rule for PrincipalReference {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("INVALID_ROLE_REFERENCE", FindingType::Warning),
                ("INVALID_USER_REFERENCE", FindingType::Warning),
            ],
            summary: "An AWS principal is a role or user unique ID (AROA..., AIDA...) instead of an ARN",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !matches!(
            cx.kind,
            PolicyKind::Resource | PolicyKind::Trust | PolicyKind::VpcEndpoint
        ) {
            return;
        }
        for st in &cx.policy.statements {
            let Some(p) = &st.principal else { continue };
            let PrincipalValue::Map(entries) = &p.value else {
                continue;
            };
            for entry in entries
                .iter()
                .filter(|e| e.kind == Some(PrincipalType::Aws))
            {
                for (i, v) in entry.values.iter().enumerate() {
                    if !is_unique_id(&v.value) {
                        continue;
                    }
                    let (code, what) = if v.value.starts_with("AROA") {
                        ("INVALID_ROLE_REFERENCE", "role")
                    } else if v.value.starts_with("AIDA") {
                        ("INVALID_USER_REFERENCE", "user")
                    } else {
                        continue;
                    };
                    out.push(Diagnostic::new(
                        code,
                        FindingType::Warning,
                        format!(
                            "the principal \"{}\" is an IAM {what} ID: use the {what} ARN (arn:aws:iam::<account>:{what}/<name>) instead",
                            v.value
                        ),
                        v.range,
                        p.value_pointer(&st.pointer, entry, i),
                    ));
                }
            }
        }
    }
}
