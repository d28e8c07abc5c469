//! # CROSS_ACCOUNT_TRUST_WITHOUT_EXTERNAL_ID
//!
//! Finding type: SECURITY_WARNING
//!
//! A role trust policy lets a whole AWS account (`"AWS": "111122223333"` or
//! `arn:aws:iam::111122223333:root`) assume the role with `sts:AssumeRole` and has no
//! `sts:ExternalId` condition. Statements that require MFA (`aws:MultiFactorAuthPresent`) or
//! limit the caller to your organization (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`) are not
//! reported: those are people or workloads of your own.
//!
//! ## Why it matters
//! Trusting another account is how third-party services get access. Without an external ID, any
//! other customer of that third party can ask it to act on your role (the confused deputy
//! problem): the third party cannot tell which customer's role it should use.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
//!   "Condition": {"StringEquals": {"sts:ExternalId": "6f1c8a1e-2c4b-4b8e-9d3a-7e5f0a9b1c2d"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "The confused deputy problem"; "Access to AWS accounts owned by third
//!   parties" (external ID)

use iamscope_policy::PolicyKind;
use iamscope_policy::arn::is_account_id;
use iamscope_policy::model::PrincipalType;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, has_key, list_grants_action};
use crate::{Context, Rule, RuleMeta};

pub struct CrossAccountExternalId;

/// The account of an account-root principal (`111122223333` or `arn:aws:iam::111122223333:root`).
fn account_root(v: &str) -> Option<&str> {
    if is_account_id(v) {
        return Some(v);
    }
    let rest = v.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (_part, svc, _region, acct, res) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (svc == "iam" && res == "root" && is_account_id(acct)).then_some(acct)
}

impl Rule for CrossAccountExternalId {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[(
                "CROSS_ACCOUNT_TRUST_WITHOUT_EXTERNAL_ID",
                FindingType::SecurityWarning,
            )],
            summary: "A trust policy lets another account assume the role without sts:ExternalId",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Trust {
            return;
        }
        for st in &cx.policy.statements {
            if !st.is_allow()
                || has_key(st, "sts:ExternalId")
                || has_key(st, "aws:MultiFactorAuthPresent")
                || has_key(st, "aws:PrincipalOrgID")
                || has_key(st, "aws:PrincipalOrgPaths")
            {
                continue;
            }
            if !st
                .action
                .as_ref()
                .is_some_and(|a| list_grants_action(a, "sts:AssumeRole"))
            {
                continue;
            }
            let Some(p) = &st.principal else { continue };
            if p.not {
                continue;
            }
            for (e, v) in p.values() {
                if e.kind != Some(PrincipalType::Aws) {
                    continue;
                }
                let Some(acct) = account_root(&v.value) else {
                    continue;
                };
                out.push(
                    diag(
                        "CROSS_ACCOUNT_TRUST_WITHOUT_EXTERNAL_ID",
                        FindingType::SecurityWarning,
                        format!("account {acct} can assume this role without an sts:ExternalId condition; if it is a third party, other customers of it can make it use your role (confused deputy)"),
                        v.range,
                        p.pointer(&st.pointer),
                    )
                    .with_help("add {\"StringEquals\": {\"sts:ExternalId\": \"<id the third party gave you>\"}}"),
                );
            }
        }
    }
}
