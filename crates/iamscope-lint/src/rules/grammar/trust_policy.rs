//! # ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL, ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL, ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE
//!
//! Finding type: ERROR
//!
//! The shape of a role trust policy:
//! - `ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL`: `NotPrincipal` is not supported; name the
//!   principals that may assume the role in `Principal`.
//! - `ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL`: `"Principal": "*"` (or
//!   `{"AWS": "*"}`) is not accepted: it would let anyone in any account assume the role.
//! - `ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE`: `Resource` or `NotResource` is not allowed; the
//!   resource is the role the policy is attached to.
//!
//! ## Why it matters
//! IAM rejects the trust policy (or, for a wildcard principal, the role becomes assumable by
//! everyone).
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Role trust policy syntax error notprincipal",
//!   "Role trust policy unsupported wildcard in principal", "Role trust policy syntax error resource"
//! - IAM User Guide, "AWS JSON policy elements: NotPrincipal": "You cannot use the NotPrincipal
//!   element in ... an IAM role trust policy" (reference_policies_elements_notprincipal.md)

use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct TrustPolicy;

impl Rule for TrustPolicy {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
                    FindingType::Error,
                ),
                (
                    "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                    FindingType::Error,
                ),
                (
                    "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                    FindingType::Error,
                ),
            ],
            summary: "A role trust policy uses NotPrincipal, a \"*\" principal, or a Resource element",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Trust {
            return;
        }
        for st in &cx.policy.statements {
            if let Some(p) = &st.principal {
                if p.not {
                    out.push(Diagnostic::error(
                        "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
                        "role trust policies do not support NotPrincipal: name the principals that may assume the role in Principal",
                        p.span.key,
                        p.pointer(&st.pointer),
                    ));
                } else {
                    match &p.value {
                        iamscope_policy::PrincipalValue::Wildcard(range) => {
                            out.push(Diagnostic::error(
                                "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                                "\"Principal\": \"*\" is not supported in a role trust policy: name the accounts, roles or services that may assume the role",
                                *range,
                                p.pointer(&st.pointer),
                            ));
                        }
                        iamscope_policy::PrincipalValue::Map(entries) => {
                            for entry in entries {
                                if entry.kind != Some(iamscope_policy::PrincipalType::Aws) {
                                    continue;
                                }
                                for (i, v) in entry.values.iter().enumerate() {
                                    if v.value == "*" {
                                        out.push(Diagnostic::error(
                                            "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                                            "{\"AWS\": \"*\"} is not supported in a role trust policy: name the accounts or roles that may assume the role",
                                            v.range,
                                            p.value_pointer(&st.pointer, entry, i),
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if let Some(r) = &st.resource {
                out.push(Diagnostic::error(
                    "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                    format!(
                        "role trust policies apply to the role they are attached to: remove the {} element",
                        r.name
                    ),
                    r.span.key,
                    r.pointer(&st.pointer),
                ));
            }
        }
    }
}
