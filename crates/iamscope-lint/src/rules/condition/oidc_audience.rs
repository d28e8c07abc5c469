//! # FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE, CONFIRM_AUDIENCE_CLAIM_TYPE
//!
//! Finding type: SECURITY_WARNING (FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE), SUGGESTION (CONFIRM_AUDIENCE_CLAIM_TYPE)
//!
//! A set operator on an OpenID Connect audience claim key (`<provider>:aud`, such as
//! `token.actions.githubusercontent.com:aud` or `cognito-identity.amazonaws.com:aud`).
//! `ForAnyValue:` on it is reported as a security warning; `ForAllValues:` as a suggestion to
//! confirm that the provider sends the claim as a list.
//!
//! ## Why it matters
//! Most providers send `aud` as a single value. `ForAnyValue:StringEquals` then works while the
//! claim is present, but invites the mistaken belief that several audiences are being checked
//! together, and `ForAllValues:` matches when the claim is absent, which lets a token with no
//! audience through. A plain `StringEquals` checks a single-valued claim exactly.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!   "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
//!   "Action": "sts:AssumeRoleWithWebIdentity",
//!   "Condition": {"ForAnyValue:StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
//!                 "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"}}}]}
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
//! - IAM User Guide, "Set operators for multivalued context keys"
//!   (reference_policies_multi-value-conditions.md)
//! - Access Analyzer policy checks: "Suggestion – Confirm audience claim type"

use iamscope_policy::SetQualifier;
use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, qualifier};
use crate::{Context, Rule, RuleMeta};

pub struct OidcAudience;

/// `<provider>:aud` keys of web identity providers (not `aws:` keys).
pub fn is_audience_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.ends_with(":aud") && !k.starts_with("aws:")
}

impl Rule for OidcAudience {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE",
                    FindingType::SecurityWarning,
                ),
                ("CONFIRM_AUDIENCE_CLAIM_TYPE", FindingType::Suggestion),
            ],
            summary: "Set operators on the single-valued OIDC audience (aud) claim",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                if !is_audience_key(&e.key.value) {
                    continue;
                }
                let ptr = ConditionElement::entry_pointer(&st.pointer, b, e);
                match qualifier(b) {
                    Some(SetQualifier::ForAnyValue) => out.push(
                        diag(
                            "FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE",
                            FindingType::SecurityWarning,
                            format!(
                                "ForAnyValue on the audience claim {} can be overly permissive: the claim is usually single-valued; use {} without the qualifier",
                                e.key.value,
                                b.op.map(|o| o.base.as_str()).unwrap_or("StringEquals")
                            ),
                            b.operator.range,
                            ptr,
                        ),
                    ),
                    Some(SetQualifier::ForAllValues) => out.push(diag(
                        "CONFIRM_AUDIENCE_CLAIM_TYPE",
                        FindingType::Suggestion,
                        format!(
                            "confirm that {} is multivalued: ForAllValues also matches a token without the claim; for a single-valued claim use no qualifier",
                            e.key.value
                        ),
                        b.operator.range,
                        ptr,
                    )),
                    None => {}
                }
            }
        }
    }
}
