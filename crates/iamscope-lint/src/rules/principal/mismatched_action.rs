//! # MISMATCHED_ACTION_FOR_PRINCIPAL
//!
//! Finding type: ERROR
//!
//! A role trust policy statement names an AssumeRole action that its principals cannot use:
//! `sts:AssumeRoleWithSAML` without a SAML provider principal
//! (`"Federated": "arn:aws:iam::<account>:saml-provider/<name>"`), `sts:AssumeRoleWithWebIdentity`
//! without an OIDC provider principal (an `oidc-provider/...` ARN or a web identity domain such
//! as `accounts.google.com`), or `sts:AssumeRole` when every principal of the statement is a
//! federated provider. Only actions written without wildcards are checked.
//!
//! ## Why it matters
//! STS matches the action to the kind of credentials presented: a SAML assertion is exchanged
//! only with `AssumeRoleWithSAML`, an OIDC token only with `AssumeRoleWithWebIdentity`. The
//! statement as written never lets anyone in.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!   "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"},
//!   "Action": "sts:AssumeRoleWithWebIdentity",
//!   "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!   "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"},
//!   "Action": "sts:AssumeRoleWithSAML",
//!   "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "AWS JSON policy elements: Principal", section "Federated user principals"
//!   (reference_policies_elements_principal.md)
//! - Access Analyzer policy checks: "Error – Mismatched action for principal"

use iamscope_policy::PolicyKind;
use iamscope_policy::model::PrincipalType;
use iamscope_syntax::{Diagnostic, FindingType};

use super::oidc_conditions::oidc_provider;
use crate::facts::diag;
use crate::{Context, Rule, RuleMeta};

pub struct MismatchedAction;

impl Rule for MismatchedAction {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("MISMATCHED_ACTION_FOR_PRINCIPAL", FindingType::Error)],
            summary: "AssumeRoleWithSAML needs a SAML provider, AssumeRoleWithWebIdentity an OIDC provider",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Trust {
            return;
        }
        for st in &cx.policy.statements {
            let (Some(p), Some(a)) = (&st.principal, &st.action) else {
                continue;
            };
            if p.not || a.not || p.is_wildcard() {
                continue;
            }
            let mut saml = false;
            let mut oidc = false;
            let mut others = false;
            let mut names = Vec::new();
            for (e, v) in p.values() {
                names.push(v.value.as_str());
                if e.kind == Some(PrincipalType::Federated) {
                    if v.value.contains(":saml-provider/") {
                        saml = true;
                    } else if oidc_provider(&v.value).is_some() {
                        oidc = true;
                    }
                } else {
                    others = true;
                }
            }
            if names.is_empty() {
                continue;
            }
            for (i, item) in a.items.iter().enumerate() {
                let v = item.value.to_ascii_lowercase();
                let bad = match v.as_str() {
                    "sts:assumerolewithsaml" => !saml,
                    "sts:assumerolewithwebidentity" => !oidc,
                    "sts:assumerole" => !others && (saml || oidc),
                    _ => false,
                };
                if bad {
                    out.push(diag(
                        "MISMATCHED_ACTION_FOR_PRINCIPAL",
                        FindingType::Error,
                        format!(
                            "the action {} is invalid with the principal(s) {}: use a SAML provider with sts:AssumeRoleWithSAML or an OIDC provider with sts:AssumeRoleWithWebIdentity",
                            item.value,
                            names.join(", ")
                        ),
                        item.range,
                        a.item_pointer(&st.pointer, i),
                    ));
                }
            }
        }
    }
}
