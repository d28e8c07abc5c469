//! # TYPE_MISMATCH_IP_RANGE, IMPROVE_IP_RANGE
//!
//! Finding type: ERROR (TYPE_MISMATCH_IP_RANGE), SUGGESTION (IMPROVE_IP_RANGE)
//!
//! An `IpAddress` or `NotIpAddress` condition value that is not an IP address or CIDR range
//! (`TYPE_MISMATCH_IP_RANGE`), or a CIDR range with bits set after the prefix, such as
//! `203.0.113.7/24` (`IMPROVE_IP_RANGE`).
//!
//! ## Why it matters
//! A value that is not an address never matches, so an `IpAddress` condition that was meant to
//! allow an office network allows nothing, and a `NotIpAddress` in a Deny denies everything. The
//! bits after the prefix are ignored by AWS: `203.0.113.7/24` means `203.0.113.0/24`, which is
//! wider than a reader would guess. The fix rewrites the value to the network address.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.7/24", "office-network"]}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Condition operators", section "IP address
//!   condition operators" (reference_policies_elements_condition_operators.md)
//! - Access Analyzer policy checks: "Suggestion – Improve IP range", "General Warning – Type
//!   mismatch IP range" (access-analyzer-reference-policy-checks.md)

use iamscope_policy::OperatorFamily;
use iamscope_policy::model::{ConditionElement, ConditionValue};
use iamscope_policy::values::parse_ip_range;
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::facts::{diag, family, has_variable, ip};
use crate::{Context, Rule, RuleMeta};

pub struct IpRangeFormat;

impl Rule for IpRangeFormat {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("TYPE_MISMATCH_IP_RANGE", FindingType::Error),
                ("IMPROVE_IP_RANGE", FindingType::Suggestion),
            ],
            summary: "IP condition values must be addresses or CIDR ranges without host bits",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                if family(b) != Some(OperatorFamily::Ip) {
                    continue;
                }
                for (i, v) in e.values.iter().enumerate() {
                    let t = v.value.as_text();
                    if has_variable(t) {
                        continue;
                    }
                    let ptr = ConditionElement::value_pointer(&st.pointer, b, e, i);
                    match parse_ip_range(t) {
                        None => out.push(
                            diag(
                                "TYPE_MISMATCH_IP_RANGE",
                                FindingType::Error,
                                format!(
                                    "the condition operator {} is used with \"{t}\", which is not an IP address or CIDR range",
                                    b.operator.value
                                ),
                                v.range,
                                ptr,
                            )
                            .with_help("write the range in CIDR form, such as 203.0.113.0/24 or 2001:db8::/32"),
                        ),
                        Some(c) if ip::has_host_bits(&c) => {
                            let net = ip::canonical(&ip::network(&c));
                            let mut d = diag(
                                "IMPROVE_IP_RANGE",
                                FindingType::Suggestion,
                                format!(
                                    "the bits of {t} after the /{} prefix are ignored; it means {net}",
                                    c.prefix
                                ),
                                v.range,
                                ptr,
                            );
                            if matches!(v.value, ConditionValue::String(_)) {
                                d = d.with_fix(Fix {
                                    title: format!("Replace with {net}"),
                                    edits: vec![TextEdit {
                                        range: v.range,
                                        new_text: format!("\"{net}\""),
                                    }],
                                    safe: true,
                                });
                            }
                            out.push(d);
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
}
