//! # FEDERATED_PRINCIPAL_NOT_SUPPORTED, INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY
//!
//! Finding type: ERROR
//!
//! `FEDERATED_PRINCIPAL_NOT_SUPPORTED`: a resource-based or VPC endpoint policy names a
//! `Federated` principal. Federated principals (SAML and OIDC identity providers) exist only in
//! role trust policies, for `sts:AssumeRoleWithSAML` and `sts:AssumeRoleWithWebIdentity`.
//!
//! `INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY`: in a role trust policy, a
//! `Federated` value is neither the ARN of an IAM SAML or OIDC provider
//! (`arn:aws:iam::123456789012:saml-provider/name`, `arn:aws:iam::123456789012:oidc-provider/host`)
//! nor a provider domain name such as `cognito-identity.amazonaws.com` or `accounts.google.com`.
//!
//! ## Why it matters
//! AWS rejects the policy.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:role/okta"}, "Action": "sts:AssumeRoleWithSAML"}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:saml-provider/okta"}, "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Federated principal not supported", "Error – Invalid
//!   federated principal syntax in role trust policy"
//! - IAM User Guide, "AWS JSON policy elements: Principal", sections "Web identity session
//!   principals" and "SAML session principals" (reference_policies_elements_principal.md)

use iamscope_policy::arn::Arn;
use iamscope_policy::{PolicyKind, PrincipalType, PrincipalValue, escape_pointer};
use iamscope_syntax::{Diagnostic, FindingType};

use super::util::{a_kind, has_wildcard};
use crate::{Context, Rule, RuleMeta};

pub struct FederatedPrincipal;

/// A provider ARN (`saml-provider/...`, `oidc-provider/...`) or a domain name.
fn is_federated_principal(v: &str) -> bool {
    if v.starts_with("arn:") {
        return Arn::parse(v).is_ok_and(|a| {
            a.service == "iam"
                && (a.resource.starts_with("saml-provider/")
                    || a.resource.starts_with("oidc-provider/"))
                && a.resource.len() > "saml-provider/".len()
        });
    }
    let labels: Vec<&str> = v.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl Rule for FederatedPrincipal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("FEDERATED_PRINCIPAL_NOT_SUPPORTED", FindingType::Error),
                (
                    "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
                    FindingType::Error,
                ),
            ],
            summary: "A Federated principal outside a role trust policy, or one that is neither a provider ARN nor a domain name",
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
                .filter(|e| e.kind == Some(PrincipalType::Federated))
            {
                if cx.kind != PolicyKind::Trust {
                    out.push(Diagnostic::error(
                        "FEDERATED_PRINCIPAL_NOT_SUPPORTED",
                        format!(
                            "{} does not support Federated principals: they are only valid in role trust policies",
                            a_kind(cx.kind)
                        ),
                        entry.key.range,
                        format!(
                            "{}/{}",
                            p.pointer(&st.pointer),
                            escape_pointer(&entry.key.value)
                        ),
                    ));
                    continue;
                }
                for (i, v) in entry.values.iter().enumerate() {
                    if has_wildcard(&v.value) || is_federated_principal(&v.value) {
                        continue;
                    }
                    out.push(Diagnostic::error(
                        "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
                        format!(
                            "the federated principal \"{}\" is neither a SAML or OIDC provider ARN (arn:aws:iam::<account>:saml-provider/<name>) nor a provider domain name",
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
