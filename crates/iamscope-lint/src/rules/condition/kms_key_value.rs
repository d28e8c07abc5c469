//! # INVALID_KMS_KEY_VALUE
//!
//! Finding type: ERROR
//!
//! A condition key that takes the ARN of a KMS key (such as
//! `s3:x-amz-server-side-encryption-aws-kms-key-id`, or any key whose name ends in `KmsKeyId`,
//! `KmsKeyArn` or `kms-key-id`) compares against a value that is not a KMS key or alias ARN
//! (`arn:aws:kms:<region>:<account>:key/<id>` or `...:alias/<name>`). Values with wildcards or
//! policy variables are not checked.
//!
//! ## Why it matters
//! Requests carry the key's full ARN, so a bare key ID or alias name never matches: an Allow that
//! requires a specific key allows nothing, and a Deny that forbids other keys denies every
//! request.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bucket/*",
//!   "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "1234abcd-12ab-34cd-56ef-1234567890ab"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bucket/*",
//!   "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}]}
//! ```
//!
//! ## References
//! - Amazon S3 User Guide, "Specifying server-side encryption with AWS KMS (SSE-KMS)": the
//!   `s3:x-amz-server-side-encryption-aws-kms-key-id` condition key takes the key ARN
//! - Access Analyzer policy checks: INVALID_KMS_KEY_VALUE

use iamscope_policy::OperatorFamily;
use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{arn_fields, diag, family, has_variable, has_wildcard};
use crate::{Context, Rule, RuleMeta};

pub struct KmsKeyValue;

fn takes_kms_arn(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    !k.starts_with("kms:")
        && (k.ends_with("kms-key-id") || k.ends_with("kmskeyid") || k.ends_with("kmskeyarn"))
}

fn is_kms_arn(v: &str) -> bool {
    arn_fields(v).is_some_and(|f| {
        f[1] == "kms"
            && !f[2].is_empty()
            && !f[3].is_empty()
            && (f[4].starts_with("key/") || f[4].starts_with("alias/"))
    })
}

impl Rule for KmsKeyValue {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("INVALID_KMS_KEY_VALUE", FindingType::Error)],
            summary: "Condition keys that take a KMS key ARN need a key or alias ARN",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                if !matches!(
                    family(b),
                    Some(OperatorFamily::String | OperatorFamily::Arn)
                ) || !takes_kms_arn(&e.key.value)
                {
                    continue;
                }
                for (i, v) in e.values.iter().enumerate() {
                    let t = v.value.as_text();
                    if has_wildcard(t) || has_variable(t) || is_kms_arn(t) {
                        continue;
                    }
                    out.push(diag(
                        "INVALID_KMS_KEY_VALUE",
                        FindingType::Error,
                        format!("{} takes the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), not \"{t}\"", e.key.value),
                        v.range,
                        ConditionElement::value_pointer(&st.pointer, b, e, i),
                    ));
                }
            }
        }
    }
}
