//! # INVALID_ARN_PREFIX, MISSING_ARN_FIELD, INVALID_PARTITION, INVALID_ARN_ACCOUNT
//!
//! Finding type: ERROR
//!
//! The format of each `Resource` and `NotResource` entry other than `"*"`, checked without the
//! service catalog (`arn:partition:service:region:account-id:resource`):
//! - `INVALID_ARN_PREFIX`: the value does not start with `arn:` (ARNs are case-sensitive, so
//!   `ARN:aws:...` is wrong too). Values whose text before the first wildcard could still begin
//!   an ARN (`*`, `ar*`) are not reported.
//! - `MISSING_ARN_FIELD`: fewer than six colon-separated fields. A wildcard matches within one
//!   field only, so `arn:aws:s3:*` does not stand for the missing fields.
//! - `INVALID_PARTITION`: the partition is not one AWS has published (`aws`, `aws-cn`,
//!   `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`). Partitions with
//!   wildcards or policy variables are not checked.
//! - `INVALID_ARN_ACCOUNT`: the account field is neither empty, a 12-digit account ID, nor `aws`
//!   (AWS-owned resources such as managed policies). Template placeholders such as
//!   `<ACCOUNT_ID>` or `account_ID` are reported here. Fields with wildcards or variables are
//!   not checked.
//!
//! Whether a service needs a region or an account (`MISSING_ARN_REGION`, `MISSING_ARN_ACCOUNT`)
//! and whether the resource part matches a resource type depends on the service and is checked by
//! the catalog rules.
//!
//! ## Why it matters
//! A malformed ARN matches no resource: the statement silently does nothing, or a `Deny` protects
//! nothing. AWS rejects some of these outright.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:my-bucket/*"}]}
//! ```
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:<ACCOUNT_ID>:queue"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::my-bucket/*", "arn:aws:sqs:us-east-1:123456789012:queue", "arn:aws:iam::aws:policy/ReadOnlyAccess"]}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Invalid ARN prefix", "Missing ARN field", "Invalid
//!   partition", "Invalid ARN account"
//! - IAM User Guide, "IAM JSON policy elements: Resource", section "Using wildcards in resource
//!   ARNs" (reference_policies_elements_resource.md)

use iamscope_policy::arn::{Arn, ArnError, PARTITIONS, is_account_id};
use iamscope_syntax::{Diagnostic, FindingType, TextRange};

use super::util::{Site, for_each_string, has_wildcard, sub};
use crate::{Context, Rule, RuleMeta};

pub struct ArnFormat;

/// True when the field cannot be judged literally (wildcards or policy variables).
fn dynamic(field: &str) -> bool {
    has_wildcard(field) || crate::facts::has_variable(field)
}

impl Rule for ArnFormat {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("INVALID_ARN_ACCOUNT", FindingType::Error),
                ("INVALID_ARN_PREFIX", FindingType::Error),
                ("INVALID_PARTITION", FindingType::Error),
                ("MISSING_ARN_FIELD", FindingType::Error),
            ],
            summary: "A Resource ARN lacks the arn: prefix or a field, or has an unknown partition or a malformed account ID",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for_each_string(cx.policy, Site::Resource, |v| {
            if v.text == "*" {
                return;
            }
            let s = v.text;
            match Arn::parse(s) {
                Err(ArnError::MissingPrefix) => {
                    let literal_end = s.find(['*', '?', '$']).unwrap_or(s.len());
                    let literal = &s[..literal_end];
                    if literal_end < s.len() && "arn:".starts_with(literal) {
                        return;
                    }
                    let hint = if s.to_ascii_lowercase().starts_with("arn:") {
                        " (the prefix is case-sensitive: write \"arn:\")"
                    } else {
                        ""
                    };
                    out.push(Diagnostic::error(
                        "INVALID_ARN_PREFIX",
                        format!(
                            "the resource \"{s}\" is not an ARN: ARNs start with \"arn:\"{hint}"
                        ),
                        v.range,
                        (v.pointer)(),
                    ));
                }
                Err(ArnError::MissingField(field)) => {
                    let fields = s.split(':').count();
                    out.push(Diagnostic::error(
                        "MISSING_ARN_FIELD",
                        format!(
                            "the resource ARN \"{s}\" has {fields} fields and no {field}: ARNs have six, arn:partition:service:region:account:resource (leave region or account empty where the service has none)"
                        ),
                        v.range,
                        (v.pointer)(),
                    ));
                }
                Ok(arn) => {
                    // Byte offsets of the fields within the value.
                    let part_start = 4;
                    let account_start = part_start
                        + arn.partition.len()
                        + 1
                        + arn.service.len()
                        + 1
                        + arn.region.len()
                        + 1;
                    let field_range = |start: usize, len: usize| -> TextRange {
                        if len == 0 {
                            v.range
                        } else {
                            sub(cx, v.range, s, start, start + len)
                        }
                    };
                    if !dynamic(arn.partition) && !PARTITIONS.contains(&arn.partition) {
                        out.push(Diagnostic::error(
                            "INVALID_PARTITION",
                            format!(
                                "\"{}\" is not an AWS partition: use one of {}",
                                arn.partition,
                                PARTITIONS.join(", ")
                            ),
                            field_range(part_start, arn.partition.len()),
                            (v.pointer)(),
                        ));
                    }
                    let account = arn.account;
                    if !account.is_empty()
                        && account != "aws"
                        && !is_account_id(account)
                        && !dynamic(account)
                    {
                        out.push(Diagnostic::error(
                            "INVALID_ARN_ACCOUNT",
                            format!(
                                "the account \"{account}\" in the resource ARN is not valid: use a 12-digit account ID (or * to match any account)"
                            ),
                            field_range(account_start, account.len()),
                            (v.pointer)(),
                        ));
                    }
                }
            }
        });
    }
}
