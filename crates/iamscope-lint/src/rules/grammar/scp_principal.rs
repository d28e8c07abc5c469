//! # SCP_SYNTAX_ERROR_PRINCIPAL
//!
//! Finding type: ERROR
//!
//! A service control policy has a `Principal` or `NotPrincipal` element.
//!
//! ## Why it matters
//! An SCP applies to every principal in the accounts it is attached to; AWS Organizations rejects
//! the element. To exempt or target principals, use the `aws:PrincipalArn` condition key.
//!
//! Since 2025-09-19 SCPs accept the full IAM policy language (conditions and resource ARNs in
//! `Allow`, `NotAction` with `Allow`, `NotResource`, wildcards anywhere in an action), so iamscope
//! does not emit Access Analyzer's obsolete `SCP_SYNTAX_ERROR_ALLOW_CONDITION`,
//! `SCP_SYNTAX_ERROR_ALLOW_RESOURCE`, `SCP_SYNTAX_ERROR_ALLOW_NOTACTION`,
//! `SCP_SYNTAX_ERROR_NOTRESOURCE` or `SCP_SYNTAX_ERROR_ACTION_WILDCARD`. The ban on principals
//! remains.
//!
//! ## Bad
//! ```json kind=scp
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=scp
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*", "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgAdmin"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – SCP syntax error principal"
//! - AWS Security Blog, "Unlock new possibilities: AWS Organizations service control policy now
//!   supports full IAM language" (2025-09-19)

use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct ScpPrincipal;

impl Rule for ScpPrincipal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("SCP_SYNTAX_ERROR_PRINCIPAL", FindingType::Error)],
            summary: "A service control policy has a Principal or NotPrincipal element",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Scp {
            return;
        }
        for st in &cx.policy.statements {
            if let Some(p) = &st.principal {
                out.push(
                    Diagnostic::error(
                        "SCP_SYNTAX_ERROR_PRINCIPAL",
                        format!(
                            "SCPs do not support the {} element: remove it (use the aws:PrincipalArn condition key to target principals)",
                            p.name
                        ),
                        p.span.key,
                        p.pointer(&st.pointer),
                    ),
                );
            }
        }
    }
}
