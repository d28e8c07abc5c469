//! # CREDENTIAL_EXPOSURE
//!
//! Finding type: SECURITY_WARNING
//!
//! An identity policy allows `iam:CreateAccessKey` on every user (`Resource` `*`,
//! `arn:aws:iam::<account>:user/*`, or `NotResource`) instead of only the caller's own user
//! (`arn:aws:iam::<account>:user/${aws:username}`).
//!
//! ## Why it matters
//! Creating an access key for another user gives the caller that user's long-term credentials and
//! therefore all of that user's permissions, without a trace in the user's own activity.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateAccessKey",
//!   "Resource": "arn:aws:iam::111122223333:user/${aws:username}"}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM: Allows IAM users to rotate their own credentials programmatically and
//!   in the console" (example policy)

use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType};

use super::super::action::arn_resource;
use crate::facts::{diag, matching_action_item};
use crate::{Context, Rule, RuleMeta};

pub struct CredentialExposure;

fn all_users(s: &str) -> bool {
    s == "*" || arn_resource(s).is_some_and(|r| r == "*" || r == "user/*" || r == "user*")
}

impl Rule for CredentialExposure {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("CREDENTIAL_EXPOSURE", FindingType::SecurityWarning)],
            summary: "iam:CreateAccessKey allowed on every user, not only the caller",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Identity {
            return;
        }
        let id = cx
            .catalog
            .action("iam:CreateAccessKey")
            .map(|x| x.index() as u32);
        for (pos, st) in cx.policy.statements.iter().enumerate() {
            if !st.is_allow() {
                continue;
            }
            let (Some(a), Some(r)) = (&st.action, &st.resource) else {
                continue;
            };
            // Statements whose actions do not include it need no look at their items.
            if let Some(id) = id
                && !cx.statement_applies_to(pos, id)
            {
                continue;
            }
            let broad = if r.not {
                !r.items.iter().any(|i| all_users(&i.value))
            } else {
                r.items.iter().any(|i| all_users(&i.value))
            };
            if !broad {
                continue;
            }
            let (range, ptr) = if a.not {
                if !crate::facts::list_grants_action(a, "iam:CreateAccessKey") {
                    continue;
                }
                (a.span.key, a.pointer(&st.pointer))
            } else {
                let Some(item) = matching_action_item(a, "iam:CreateAccessKey") else {
                    continue;
                };
                let i = a
                    .items
                    .iter()
                    .position(|x| std::ptr::eq(x, item))
                    .unwrap_or(0);
                (item.range, a.item_pointer(&st.pointer, i))
            };
            out.push(
                diag(
                    "CREDENTIAL_EXPOSURE",
                    FindingType::SecurityWarning,
                    format!("{} allows iam:CreateAccessKey on every user: the holder can mint long-term credentials for other users", st.label()),
                    range,
                    ptr,
                )
                .with_help("limit the resource to arn:aws:iam::<account>:user/${aws:username}"),
            );
        }
    }
}
