//! # UNSUPPORTED_WILDCARD_IN_PRINCIPAL
//!
//! Finding type: ERROR
//!
//! A principal value uses `*` or `?` as part of a name or ARN (`arn:aws:iam::123456789012:role/*`,
//! `arn:aws:iam::*:root`, `"Service": "*.amazonaws.com"`), or a wildcard under a principal type
//! other than `AWS`. The only wildcard principals are `"Principal": "*"` and `{"AWS": "*"}`
//! (everyone, including anonymous users).
//!
//! ## Why it matters
//! AWS does not match principals with wildcards; it rejects the policy. To allow all roles of an
//! account, name the account (`"AWS": "123456789012"`) or use `"Principal": "*"` with an
//! `ArnLike` condition on `aws:PrincipalArn`.
//!
//! ## Bad
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
//! ```
//!
//! ## Good
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/*"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Unsupported wildcard in principal"
//! - IAM User Guide, "AWS JSON policy elements: Principal": "You cannot use a wildcard to match part
//!   of a principal name or ARN" (reference_policies_elements_principal.md)

use iamscope_policy::{PolicyKind, PrincipalType, PrincipalValue};
use iamscope_syntax::{Diagnostic, FindingType};

use super::util::has_wildcard;
use crate::{Context, Rule, RuleMeta};

pub struct PrincipalWildcard;

impl Rule for PrincipalWildcard {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("UNSUPPORTED_WILDCARD_IN_PRINCIPAL", FindingType::Error)],
            summary: "A principal value uses a wildcard as part of a name or ARN",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Identity-like kinds and SCPs reject the whole element; RCPs accept only "*".
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
                    let whole_star_ok = v.value == "*" && entry.kind == Some(PrincipalType::Aws);
                    if whole_star_ok || !has_wildcard(&v.value) {
                        continue;
                    }
                    out.push(Diagnostic::error(
                        "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                        format!(
                            "wildcards are not supported in the {} principal \"{}\": name the principal exactly, or use \"*\" with a condition on aws:PrincipalArn",
                            entry.key.value, v.value
                        ),
                        v.range,
                        p.value_pointer(&st.pointer, entry, i),
                    ));
                }
            }
        }
    }
}
