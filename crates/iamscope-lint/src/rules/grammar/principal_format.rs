//! # INVALID_PRINCIPAL_FORMAT, INVALID_PRINCIPAL_KEY
//!
//! Finding type: ERROR
//!
//! `INVALID_PRINCIPAL_KEY`: a `Principal` map uses a key other than `AWS`, `Service`, `Federated`
//! or `CanonicalUser` (case-sensitive; a fix corrects the case).
//!
//! `INVALID_PRINCIPAL_FORMAT`: the principal is not a key-value map or `"*"` (for example
//! `"Principal": "123456789012"`), or, in a resource-based, trust or VPC endpoint policy, a value
//! cannot name a principal of its type:
//! - `AWS`: must be `"*"`, a 12-digit account ID, an IAM or STS ARN
//!   (`arn:aws:iam::123456789012:role/name`, `arn:aws:sts::123456789012:assumed-role/name/session`)
//!   whose account is 12 digits (or `cloudfront`, for CloudFront origin access identities), or
//!   a unique principal ID (reported by `INVALID_ROLE_REFERENCE` / `INVALID_USER_REFERENCE`).
//!   Template placeholders such as `<ACCOUNT_ID>` are reported here.
//! - `Service`: must be a service principal, a DNS-style name such as `ec2.amazonaws.com`.
//! - `CanonicalUser`: must be an S3 canonical user ID (64 hexadecimal digits).
//!
//! Values with wildcards are left to `UNSUPPORTED_WILDCARD_IN_PRINCIPAL`, `Federated` values to
//! `FEDERATED_PRINCIPAL_NOT_SUPPORTED` and `INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY`.
//!
//! ## Why it matters
//! AWS rejects a principal it cannot resolve (`MalformedPolicyDocument: Invalid principal in
//! policy`), and a wrong key such as `"IAM"` never matches anybody.
//!
//! ## Bad
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "<ACCOUNT_ID>"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
//! ```
//!
//! ## Bad
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Account": "123456789012"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
//! ```
//!
//! ## Good
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012", "Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
//! ```
//!
//! ## Notes
//! The shape errors (a string other than `"*"`, an unknown key) are emitted by lowering; this rule
//! checks the values. The value checks of `AWS`, `Service` and `CanonicalUser` are iamscope's
//! reading of the Principal page; Access Analyzer's own message only names the shape.
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Invalid principal format", "Error – Invalid principal key"
//! - IAM User Guide, "AWS JSON policy elements: Principal" (reference_policies_elements_principal.md),
//!   sections "AWS account principals", "IAM role principals", "AWS service principals"

use iamscope_policy::arn::{Arn, is_account_id};
use iamscope_policy::{PolicyKind, PrincipalType, PrincipalValue};
use iamscope_syntax::{Diagnostic, FindingType};

use super::util::has_wildcard;
use crate::{Context, Rule, RuleMeta};

pub struct PrincipalFormat;

/// A unique principal ID such as `AROA...` or `AIDA...`: four upper-case letters then upper-case
/// letters and digits (IAM's unique IDs; see the IAM identifiers page).
pub(crate) fn is_unique_id(s: &str) -> bool {
    s.len() >= 16
        && s.len() <= 128
        && s.as_bytes()[..4].iter().all(u8::is_ascii_uppercase)
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn aws_value_problem(v: &str) -> Option<String> {
    if v == "*" || is_account_id(v) || is_unique_id(v) {
        return None;
    }
    if v.starts_with("arn:") {
        return match Arn::parse(v) {
            Err(e) => Some(format!("\"{v}\" is not a valid principal ARN: {e}")),
            Ok(a) if a.service != "iam" && a.service != "sts" => Some(format!(
                "\"{v}\" is not an IAM or STS principal ARN (service \"{}\")",
                a.service
            )),
            // CloudFront origin access identities are IAM users of the account "cloudfront":
            // arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHEXAMPLE.
            Ok(a) if a.service == "iam" && a.account == "cloudfront" => None,
            Ok(a) if !is_account_id(a.account) => Some(format!(
                "the account \"{}\" in the principal \"{v}\" is not a 12-digit account ID",
                a.account
            )),
            Ok(_) => None,
        };
    }
    Some(format!(
        "\"{v}\" is not a principal: use \"*\", a 12-digit account ID or the ARN of a user, role, role session or account"
    ))
}

fn is_service_principal(v: &str) -> bool {
    let labels: Vec<&str> = v.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

impl Rule for PrincipalFormat {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("INVALID_PRINCIPAL_FORMAT", FindingType::Error),
                ("INVALID_PRINCIPAL_KEY", FindingType::Error),
            ],
            summary: "A Principal is not \"*\" or a map with the keys AWS, Service, Federated or CanonicalUser, or a value cannot name a principal",
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
            for entry in entries {
                for (i, v) in entry.values.iter().enumerate() {
                    if has_wildcard(&v.value) {
                        continue;
                    }
                    let problem = match entry.kind {
                        Some(PrincipalType::Aws) => aws_value_problem(&v.value),
                        Some(PrincipalType::Service) if !is_service_principal(&v.value) => {
                            Some(format!(
                                "\"{}\" is not a service principal such as \"ec2.amazonaws.com\"",
                                v.value
                            ))
                        }
                        Some(PrincipalType::CanonicalUser)
                            if !(v.value.len() == 64
                                && v.value.bytes().all(|b| b.is_ascii_hexdigit())) =>
                        {
                            Some(format!(
                                "\"{}\" is not a canonical user ID (64 hexadecimal digits)",
                                v.value
                            ))
                        }
                        _ => None,
                    };
                    if let Some(message) = problem {
                        out.push(Diagnostic::error(
                            "INVALID_PRINCIPAL_FORMAT",
                            message,
                            v.range,
                            p.value_pointer(&st.pointer, entry, i),
                        ));
                    }
                }
            }
        }
    }
}
