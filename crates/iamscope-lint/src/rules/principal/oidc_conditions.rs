//! # MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL, MISSING_GITHUB_REPO_CONDITION_KEY, SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED
//!
//! Finding type: SECURITY_WARNING (the MISSING codes), WARNING (SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED)
//!
//! An Allow statement that trusts an OpenID Connect provider (a `Federated` principal that is an
//! `oidc-provider/...` ARN or a web identity domain such as `accounts.google.com`) must test a
//! claim of that provider: a condition key starting with `<provider>:`. For GitHub Actions
//! (`token.actions.githubusercontent.com`) the key must be `...:sub`, naming the repository
//! (and branch); a `*` in the `sub` value is reported as well.
//!
//! ## Why it matters
//! Every user of the provider can obtain a token from it. Without a claim check, anyone with a
//! Google account, or any GitHub workflow of any repository, can assume the role.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!   "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
//!   "Action": "sts:AssumeRoleWithWebIdentity",
//!   "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!   "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
//!   "Action": "sts:AssumeRoleWithWebIdentity",
//!   "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
//!                                  "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "Creating a role for web identity or OpenID Connect federation"; "Configuring
//!   a role for GitHub OIDC identity provider"
//! - Access Analyzer policy checks: "Security Warning – Missing condition key for oidc principal",
//!   "Security Warning – Missing github repo condition key", "General Warning – Specific github
//!   repo and branch recommended"

use iamscope_policy::model::{ConditionElement, PrincipalType};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, entries, has_key, has_key_prefix, key_is};
use crate::{Context, Rule, RuleMeta};

pub struct OidcConditions;

const GITHUB: &str = "token.actions.githubusercontent.com";

/// The provider prefix of an OIDC federated principal (`accounts.google.com`,
/// `token.actions.githubusercontent.com`, `oidc.eks.eu-west-1.amazonaws.com/id/ABC`), or `None`
/// for SAML providers and values that are not OIDC.
pub fn oidc_provider(value: &str) -> Option<&str> {
    if let Some((_, p)) = value.split_once(":oidc-provider/") {
        return (!p.is_empty()).then_some(p);
    }
    if value.starts_with("arn:") || value.contains("saml-provider/") {
        return None;
    }
    // Web identity domains (Amazon Cognito, Login with Amazon, Facebook, Google).
    (value.contains('.') && !value.contains('/')).then_some(value)
}

impl Rule for OidcConditions {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
                    FindingType::SecurityWarning,
                ),
                (
                    "MISSING_GITHUB_REPO_CONDITION_KEY",
                    FindingType::SecurityWarning,
                ),
                (
                    "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
                    FindingType::Warning,
                ),
            ],
            summary: "A trusted OIDC provider needs a condition on its claims (GitHub: the sub claim)",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            if !st.is_allow() {
                continue;
            }
            let Some(p) = &st.principal else { continue };
            if p.not {
                continue;
            }
            for (e, v) in p.values() {
                if e.kind != Some(PrincipalType::Federated) {
                    continue;
                }
                let Some(provider) = oidc_provider(&v.value) else {
                    continue;
                };
                let ptr = || p.pointer(&st.pointer);
                if provider.eq_ignore_ascii_case(GITHUB) {
                    let sub = format!("{GITHUB}:sub");
                    if !has_key(st, &sub) {
                        out.push(diag(
                            "MISSING_GITHUB_REPO_CONDITION_KEY",
                            FindingType::SecurityWarning,
                            format!("trusting GitHub's OIDC provider without a {sub} condition lets workflows of any repository assume the role; add {sub} naming your repository and branch"),
                            v.range,
                            ptr(),
                        ));
                    }
                } else if !has_key_prefix(st, &format!("{provider}:")) {
                    out.push(diag(
                        "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
                        FindingType::SecurityWarning,
                        format!("trusting the OIDC provider {provider} without a condition on its claims lets any of its users assume the role; add a condition such as {provider}:aud or {provider}:sub"),
                        v.range,
                        ptr(),
                    ));
                }
            }
            for (b, e) in entries(st) {
                if !key_is(&e.key.value, "token.actions.githubusercontent.com:sub")
                    || b.op.is_some_and(|o| o.base.is_negated())
                {
                    continue;
                }
                for (i, v) in e.values.iter().enumerate() {
                    let t = v.value.as_text();
                    if t.contains('*') {
                        out.push(diag(
                            "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
                            FindingType::Warning,
                            format!("the wildcard in \"{t}\" can allow more repositories or branches than intended; name the repository and branch"),
                            v.range,
                            ConditionElement::value_pointer(&st.pointer, b, e, i),
                        ));
                    }
                }
            }
        }
    }
}
