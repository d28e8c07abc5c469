//! # INVALID_VPC_FORMAT, INVALID_VPCE_FORMAT, INVALID_SERVICE_PRINCIPAL_FORMAT, INVALID_REGION
//!
//! Finding type: ERROR
//!
//! Condition values whose format is fixed by AWS and that cannot match as written (values with
//! wildcards or policy variables are not checked):
//! - `aws:SourceVpc`: `vpc-` followed by 8 or 17 letters or digits (`INVALID_VPC_FORMAT`);
//! - `aws:SourceVpce`: `vpce-` followed by 8 or 17 letters or digits (`INVALID_VPCE_FORMAT`);
//! - service principal keys (`aws:PrincipalServiceName`, `aws:PrincipalServiceNamesList`,
//!   `aws:CalledVia`, `aws:CalledViaFirst`, `aws:CalledViaLast`, `iam:PassedToService`,
//!   `iam:AWSServiceName`): a lowercase `service.amazonaws.com`-style name; `kms:ViaService`:
//!   `service.region.amazonaws.com` (`INVALID_SERVICE_PRINCIPAL_FORMAT`);
//! - `aws:RequestedRegion`: a Region name such as `eu-west-1` (`INVALID_REGION`).
//!
//! ## Why it matters
//! A value that can never equal what AWS puts in the request makes an Allow allow nothing and a
//! Deny deny nothing.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-123", "aws:RequestedRegion": "eu-west"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d", "aws:RequestedRegion": "eu-west-1"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "AWS global condition context keys": `aws:SourceVpc`, `aws:SourceVpce`,
//!   `aws:RequestedRegion`, `aws:PrincipalServiceName`, `aws:CalledVia`
//! - Access Analyzer policy checks: "Error – Invalid vpc format", "Error – Invalid vpce format",
//!   "Error – Invalid service principal format", "Error – Invalid Region"

use iamscope_policy::OperatorFamily;
use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, family, has_variable, has_wildcard, is_region, key_is};
use crate::{Context, Rule, RuleMeta};

pub struct ValueFormat;

const SERVICE_PRINCIPAL_KEYS: &[&str] = &[
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "iam:PassedToService",
    "iam:AWSServiceName",
];

fn id_ok(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|rest| {
        (rest.len() == 8 || rest.len() == 17) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// A service principal: lowercase labels of letters, digits and hyphens, ending in an AWS
/// service domain.
pub fn service_principal_ok(s: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        ".amazonaws.com",
        ".amazonaws.com.cn",
        ".amazon.com",
        ".aws.internal",
    ];
    SUFFIXES.iter().any(|suf| {
        s.strip_suffix(suf).is_some_and(|head| {
            !head.is_empty()
                && head.split('.').all(|l| {
                    !l.is_empty()
                        && l.bytes().all(|b| {
                            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                        })
                })
        })
    })
}

fn via_service_ok(s: &str) -> bool {
    let Some(head) = s
        .strip_suffix(".amazonaws.com")
        .or_else(|| s.strip_suffix(".amazonaws.com.cn"))
    else {
        return false;
    };
    match head.rsplit_once('.') {
        Some((svc, region)) => {
            !svc.is_empty()
                && svc
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
                && is_region(region)
        }
        None => false,
    }
}

impl Rule for ValueFormat {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("INVALID_VPC_FORMAT", FindingType::Error),
                ("INVALID_VPCE_FORMAT", FindingType::Error),
                ("INVALID_SERVICE_PRINCIPAL_FORMAT", FindingType::Error),
                ("INVALID_REGION", FindingType::Error),
            ],
            summary: "VPC, VPC endpoint, service principal and Region values must have AWS's format",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                if family(b) != Some(OperatorFamily::String) {
                    continue;
                }
                let k = e.key.value.as_str();
                let kind = if key_is(k, "aws:SourceVpc") {
                    0
                } else if key_is(k, "aws:SourceVpce") {
                    1
                } else if SERVICE_PRINCIPAL_KEYS.iter().any(|s| key_is(k, s)) {
                    2
                } else if key_is(k, "kms:ViaService") {
                    3
                } else if key_is(k, "aws:RequestedRegion") {
                    4
                } else {
                    continue;
                };
                for (i, v) in e.values.iter().enumerate() {
                    let t = v.value.as_text();
                    if has_variable(t) || has_wildcard(t) {
                        continue;
                    }
                    let (code, msg) = match kind {
                        0 if !id_ok(t, "vpc-") => (
                            "INVALID_VPC_FORMAT",
                            format!(
                                "the VPC identifier \"{t}\" is not valid: use 'vpc-' followed by 8 or 17 letters or digits"
                            ),
                        ),
                        1 if !id_ok(t, "vpce-") => (
                            "INVALID_VPCE_FORMAT",
                            format!(
                                "the VPC endpoint identifier \"{t}\" is not valid: use 'vpce-' followed by 8 or 17 letters or digits"
                            ),
                        ),
                        2 if !service_principal_ok(t) => (
                            "INVALID_SERVICE_PRINCIPAL_FORMAT",
                            format!(
                                "\"{t}\" is not a service principal: use the format service-name.amazonaws.com, in lowercase"
                            ),
                        ),
                        3 if !via_service_ok(t) => (
                            "INVALID_SERVICE_PRINCIPAL_FORMAT",
                            format!(
                                "\"{t}\" is not a kms:ViaService value: use the format service-name.region.amazonaws.com, in lowercase"
                            ),
                        ),
                        4 if !is_region(t) => {
                            ("INVALID_REGION", format!("\"{t}\" is not an AWS Region"))
                        }
                        _ => continue,
                    };
                    out.push(diag(
                        code,
                        FindingType::Error,
                        msg,
                        v.range,
                        ConditionElement::value_pointer(&st.pointer, b, e, i),
                    ));
                }
            }
        }
    }
}
