//! # PRIVATE_IP_ADDRESS, PRIVATE_NOT_IP_ADDRESS, PRIVATE_IP_ADDRESS_SUBSET, PRIVATE_NOT_IP_ADDRESS_SUBSET
//!
//! Finding type: ERROR (PRIVATE_IP_ADDRESS, PRIVATE_NOT_IP_ADDRESS), SUGGESTION (the `_SUBSET` codes)
//!
//! An `aws:SourceIp` condition whose values are private, loopback or link-local ranges. When every
//! value is private the condition never matches (`IpAddress`, `PRIVATE_IP_ADDRESS`) or always
//! matches (`NotIpAddress`, `PRIVATE_NOT_IP_ADDRESS`); when only some are, those values have no
//! effect (the `_SUBSET` codes, reported on each private value).
//!
//! ## Why it matters
//! `aws:SourceIp` carries the public address a request came from. A request that reaches AWS
//! through a VPC endpoint carries `aws:VpcSourceIp` instead and no public address, so a private
//! range in `aws:SourceIp` never matches anything. An Allow that lists only private ranges
//! allows nothing; a Deny with `NotIpAddress` and only private ranges denies every request.
//! Use `aws:VpcSourceIp` (with `aws:SourceVpc`) for private addresses.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "AWS global condition context keys", `aws:SourceIp`
//! - Access Analyzer policy checks: "Error – Private IP address", "Error – Private NotIpAddress",
//!   "Suggestion – Private IP address subset", "Suggestion – Private NotIpAddress subset"
//!   (access-analyzer-reference-policy-checks.md)

use iamscope_policy::BaseOperator;
use iamscope_policy::model::ConditionElement;
use iamscope_policy::values::parse_ip_range;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{base, diag, has_variable, ip, key_is};
use crate::{Context, Rule, RuleMeta};

pub struct PrivateIp;

impl Rule for PrivateIp {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("PRIVATE_IP_ADDRESS", FindingType::Error),
                ("PRIVATE_NOT_IP_ADDRESS", FindingType::Error),
                ("PRIVATE_IP_ADDRESS_SUBSET", FindingType::Suggestion),
                ("PRIVATE_NOT_IP_ADDRESS_SUBSET", FindingType::Suggestion),
            ],
            summary: "aws:SourceIp only carries public addresses; private ranges in it never match",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let not = match base(b) {
                    Some(BaseOperator::IpAddress) => false,
                    Some(BaseOperator::NotIpAddress) => true,
                    _ => continue,
                };
                if !key_is(&e.key.value, "aws:SourceIp") {
                    continue;
                }
                let mut private = Vec::new();
                let mut public = 0;
                for (i, v) in e.values.iter().enumerate() {
                    let t = v.value.as_text();
                    if has_variable(t) {
                        public += 1;
                        continue;
                    }
                    match parse_ip_range(t) {
                        Some(c) if ip::is_private(&c) => private.push(i),
                        Some(_) => public += 1,
                        None => {}
                    }
                }
                if private.is_empty() {
                    continue;
                }
                if public == 0 && private.len() == e.values.len() {
                    let (code, msg) = if not {
                        (
                            "PRIVATE_NOT_IP_ADDRESS",
                            "the values of aws:SourceIp are all private addresses, so NotIpAddress always matches and the condition has no effect",
                        )
                    } else {
                        (
                            "PRIVATE_IP_ADDRESS",
                            "the values of aws:SourceIp are all private addresses, which aws:SourceIp never carries, so the condition never matches",
                        )
                    };
                    out.push(
                        diag(
                            code,
                            FindingType::Error,
                            msg,
                            e.key.range.cover(e.value_range),
                            ConditionElement::entry_pointer(&st.pointer, b, e),
                        )
                        .with_help(
                            "use aws:VpcSourceIp (with aws:SourceVpc) for private addresses, or list public ranges",
                        ),
                    );
                } else {
                    let code = if not {
                        "PRIVATE_NOT_IP_ADDRESS_SUBSET"
                    } else {
                        "PRIVATE_IP_ADDRESS_SUBSET"
                    };
                    for i in private {
                        let v = &e.values[i];
                        out.push(
                            diag(
                                code,
                                FindingType::Suggestion,
                                format!(
                                    "{} is a private range, which aws:SourceIp never carries; this value has no effect",
                                    v.value.as_text()
                                ),
                                v.range,
                                ConditionElement::value_pointer(&st.pointer, b, e, i),
                            )
                            .with_help("move private ranges to an aws:VpcSourceIp condition"),
                        );
                    }
                }
            }
        }
    }
}
