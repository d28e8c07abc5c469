//! # UNSUPPORTED_GLOBAL_CONDITION_KEY, DEPRECATED_GLOBAL_CONDITION_KEY
//!
//! Finding type: ERROR (UNSUPPORTED_GLOBAL_CONDITION_KEY), WARNING (DEPRECATED_GLOBAL_CONDITION_KEY)
//!
//! A global condition key that AWS no longer supports (`aws:ARN`: use `aws:PrincipalArn` for the
//! caller or `aws:SourceArn` for the resource making a service request) or that is deprecated in
//! favour of a newer key (`aws:SourceOwner`: use `aws:SourceAccount`).
//!
//! ## Why it matters
//! An unsupported key is never in the request, so the condition never matches as intended. A
//! deprecated key is set by fewer services than its replacement.
//!
//! ## Bad
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
//!   "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:q",
//!   "Condition": {"ArnEquals": {"aws:ARN": "arn:aws:iam::111122223333:role/app"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
//!   "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:q",
//!   "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "AWS global condition context keys"
//! - Access Analyzer policy checks: "Error – Unsupported global condition key", "General Warning –
//!   Deprecated global condition key"

use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::facts::{diag, key_is};
use crate::{Context, Rule, RuleMeta};

pub struct GlobalKeyStatus;

const DEPRECATED: &[(&str, &str)] = &[("aws:SourceOwner", "aws:SourceAccount")];

impl Rule for GlobalKeyStatus {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("UNSUPPORTED_GLOBAL_CONDITION_KEY", FindingType::Error),
                ("DEPRECATED_GLOBAL_CONDITION_KEY", FindingType::Warning),
            ],
            summary: "Global condition keys that are unsupported (aws:ARN) or deprecated (aws:SourceOwner)",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let k = e.key.value.as_str();
                let ptr = || ConditionElement::entry_pointer(&st.pointer, b, e);
                if key_is(k, "aws:ARN") {
                    out.push(diag(
                        "UNSUPPORTED_GLOBAL_CONDITION_KEY",
                        FindingType::Error,
                        "the condition key aws:ARN is not supported; use aws:PrincipalArn (the caller) or aws:SourceArn (the resource making a service request)",
                        e.key.range,
                        ptr(),
                    ));
                }
                if let Some((old, new)) = DEPRECATED.iter().find(|(o, _)| key_is(k, o)) {
                    out.push(
                        diag(
                            "DEPRECATED_GLOBAL_CONDITION_KEY",
                            FindingType::Warning,
                            format!("the condition key {old} is deprecated; use {new}"),
                            e.key.range,
                            ptr(),
                        )
                        .with_fix(Fix {
                            title: format!("Replace with {new}"),
                            edits: vec![TextEdit {
                                range: e.key.range,
                                new_text: format!("\"{new}\""),
                            }],
                            safe: false,
                        }),
                    );
                }
            }
        }
    }
}
