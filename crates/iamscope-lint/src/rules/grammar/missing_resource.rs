//! # MISSING_RESOURCE
//!
//! Finding type: ERROR
//!
//! A statement has neither `Resource` nor `NotResource` in a policy kind that requires one:
//! identity policies, permissions boundaries, session policies, SCPs, RCPs and VPC endpoint
//! policies.
//!
//! Not reported for resource-based policies, because some services (Amazon ECR repository
//! policies, for example) take the resource from the attachment and accept statements without
//! `Resource`, and iamscope does not know which service a resource policy belongs to. Role trust
//! policies must not have `Resource` at all (`ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE`).
//!
//! ## Why it matters
//! AWS rejects the policy: a permissions statement must say which resources it covers (`"*"` for
//! all).
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Missing resource"
//! - IAM User Guide, "IAM JSON policy elements: Resource": "Statements must include either a
//!   Resource or a NotResource element" (reference_policies_elements_resource.md)

use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType};

use super::util::{a_kind, brace};
use crate::{Context, Rule, RuleMeta};

pub struct MissingResource;

impl Rule for MissingResource {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("MISSING_RESOURCE", FindingType::Error)],
            summary: "A statement has neither Resource nor NotResource in a kind that requires one",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let required = cx.kind.is_identity_like()
            || matches!(
                cx.kind,
                PolicyKind::Scp | PolicyKind::Rcp | PolicyKind::VpcEndpoint
            );
        if !required {
            return;
        }
        for st in &cx.policy.statements {
            if st.resource.is_none() {
                out.push(Diagnostic::error(
                    "MISSING_RESOURCE",
                    format!(
                        "{} has no Resource or NotResource element, which {} requires",
                        st.label(),
                        a_kind(cx.kind)
                    ),
                    brace(st.range),
                    &st.pointer,
                ));
            }
        }
    }
}
