//! # RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL, RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL, UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL
//!
//! Finding type: SECURITY_WARNING (RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL), SUGGESTION (RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL), ERROR (UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL)
//!
//! A resource-based policy that allows a service principal (`"Service": "sns.amazonaws.com"`):
//! - without any of `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceOrgPaths`
//!   and without any condition: `RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL`;
//! - without those keys but with other condition keys: `RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL`;
//! - with condition keys that a service principal's request never carries (`aws:PrincipalOrgID`,
//!   `aws:PrincipalOrgPaths`, `aws:PrincipalTag/...`, `aws:userid`, `aws:username`) when every
//!   principal of the statement is a service: `UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL`.
//!
//! Role trust policies are not checked (services assume their roles without a source).
//!
//! ## Why it matters
//! A service acts for every customer. Without a source condition, any AWS account can make the
//! service use your resource on its behalf: the confused deputy problem.
//!
//! ## Bad
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
//!   "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:queue"}]}
//! ```
//!
//! ## Good
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
//!   "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:queue",
//!   "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "The confused deputy problem"
//! - Access Analyzer policy checks: "Security Warning – Restrict access to service principal",
//!   "Suggestion – Recommended condition key for service principal", "Error – Unsupported
//!   condition key for service principal"

use iamscope_policy::PolicyKind;
use iamscope_policy::model::{ConditionElement, PrincipalType};
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, entries, has_key, key_is};
use crate::{Context, Rule, RuleMeta};

pub struct ServicePrincipalScope;

const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

fn unsupported_for_service(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "aws:principalorgid"
        || k == "aws:principalorgpaths"
        || k.starts_with("aws:principaltag/")
        || k == "aws:userid"
        || k == "aws:username"
}

impl Rule for ServicePrincipalScope {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
                    FindingType::SecurityWarning,
                ),
                (
                    "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                    FindingType::Suggestion,
                ),
                (
                    "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                    FindingType::Error,
                ),
            ],
            summary: "Service principals in resource policies should be scoped with aws:SourceArn/aws:SourceAccount",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !matches!(cx.kind, PolicyKind::Resource | PolicyKind::VpcEndpoint) {
            return;
        }
        for st in &cx.policy.statements {
            let Some(p) = &st.principal else { continue };
            if p.not {
                continue;
            }
            let services: Vec<_> = p
                .values()
                .filter(|(e, _)| e.kind == Some(PrincipalType::Service))
                .map(|(_, v)| v)
                .collect();
            if services.is_empty() {
                continue;
            }
            let only_services = p
                .values()
                .all(|(e, _)| e.kind == Some(PrincipalType::Service));
            if only_services {
                for (b, e) in entries(st) {
                    if unsupported_for_service(&e.key.value) && !b.op.is_some_and(|o| o.if_exists) {
                        out.push(diag(
                            "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                            FindingType::Error,
                            format!("the condition key {} is not in requests made by a service principal, so this condition never matches as intended", e.key.value),
                            e.key.range,
                            ConditionElement::entry_pointer(&st.pointer, b, e),
                        ));
                    }
                }
            }
            if !st.is_allow() || SOURCE_KEYS.iter().any(|k| has_key(st, k)) {
                continue;
            }
            let names: Vec<&str> = services.iter().map(|v| v.value.as_str()).collect();
            let other: Vec<&str> = entries(st)
                .map(|(_, e)| e.key.value.as_str())
                .filter(|k| !SOURCE_KEYS.iter().any(|s| key_is(k, s)))
                .collect();
            let range = services[0].range;
            if other.is_empty() {
                out.push(
                    diag(
                        "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
                        FindingType::SecurityWarning,
                        format!("granting access to {} without a source condition is overly permissive: any account can make the service act on this resource", names.join(", ")),
                        range,
                        p.pointer(&st.pointer),
                    )
                    .with_help("add aws:SourceArn or aws:SourceAccount to scope access to your own source"),
                );
            } else {
                out.push(diag(
                    "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                    FindingType::Suggestion,
                    format!("to restrict {} acting on your behalf, use aws:SourceArn or aws:SourceAccount instead of {}", names.join(", "), other.join(", ")),
                    range,
                    p.pointer(&st.pointer),
                ));
            }
        }
    }
}
