//! # FULL_ADMIN_ACCESS
//!
//! Finding type: SECURITY_WARNING
//!
//! An identity policy allows every action (`"Action": "*"` or `"*:*"`) on every resource
//! (`"Resource": "*"`).
//!
//! ## Why it matters
//! This is administrator access: the holder can do anything, including granting itself and
//! others any permission, deleting audit trails and leaving the account. Grant it only to a small
//! number of break-glass identities, and prefer job-function policies for everyone else.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
//!   "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "Security best practices in IAM": apply least-privilege permissions
//! - AWS managed policy `AdministratorAccess`

use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, resource_is_star};
use crate::{Context, Rule, RuleMeta};

pub struct FullAdmin;

impl Rule for FullAdmin {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("FULL_ADMIN_ACCESS", FindingType::SecurityWarning)],
            summary: "Allow * on * grants full administrator access",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Identity {
            return;
        }
        for st in &cx.policy.statements {
            if !st.is_allow() {
                continue;
            }
            let (Some(a), Some(r)) = (&st.action, &st.resource) else {
                continue;
            };
            if a.not || !resource_is_star(r) {
                continue;
            }
            let Some((i, item)) = a
                .items
                .iter()
                .enumerate()
                .find(|(_, i)| i.value == "*" || i.value == "*:*")
            else {
                continue;
            };
            let cond = if st.condition.is_some() {
                " (subject to its condition)"
            } else {
                ""
            };
            out.push(
                diag(
                    "FULL_ADMIN_ACCESS",
                    FindingType::SecurityWarning,
                    format!(
                        "{} allows every action on every resource{cond}: full administrator access",
                        st.label()
                    ),
                    item.range,
                    a.item_pointer(&st.pointer, i),
                )
                .with_help("grant only the actions and resources the identity needs"),
            );
        }
    }
}
