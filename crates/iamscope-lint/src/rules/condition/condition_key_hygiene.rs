//! # MISSING_PAIRED_CONDITION_KEYS, UNTRUSTWORTHY_CONDITION_KEY, DYNAMODB_ATTRIBUTES_WITHOUT_SELECT, S3_PREFIX_IN_NEGATIVE_CONTEXT
//!
//! Finding type: SECURITY_WARNING
//!
//! Condition keys that do not protect what they seem to:
//! - `MISSING_PAIRED_CONDITION_KEYS`: `aws:VpcSourceIp` without `aws:SourceVpc` (or
//!   `aws:SourceVpce`) in the same statement: private addresses repeat across VPCs, so the address
//!   alone matches requests from any VPC that uses the same range.
//! - `UNTRUSTWORTHY_CONDITION_KEY`: `aws:Referer` and `aws:UserAgent` are set by the caller and
//!   can be forged; they must not decide access.
//! - `DYNAMODB_ATTRIBUTES_WITHOUT_SELECT`: an Allow that limits `dynamodb:Attributes` without
//!   `dynamodb:Select` = `SPECIFIC_ATTRIBUTES`: a query that asks for all attributes (the default)
//!   sends no attribute list, so the limit is not applied and whole items are returned.
//! - `S3_PREFIX_IN_NEGATIVE_CONTEXT`: `s3:prefix` in a Deny or with a negated operator: a list
//!   request with a shorter or no prefix is not matched, so the objects stay listable.
//!
//! ## Why it matters
//! Each of these reads like a restriction and is not one.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"StringLike": {"aws:Referer": "https://www.example.com/*"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.1.0.0/16"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "AWS global condition context keys": `aws:Referer`, `aws:UserAgent`,
//!   `aws:VpcSourceIp`
//! - Access Analyzer policy checks: "Security Warning – Missing paired condition keys"
//! - Amazon DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained access control"

use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, has_key, key_is};
use crate::{Context, Rule, RuleMeta};

pub struct ConditionKeyHygiene;

impl Rule for ConditionKeyHygiene {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "MISSING_PAIRED_CONDITION_KEYS",
                    FindingType::SecurityWarning,
                ),
                ("UNTRUSTWORTHY_CONDITION_KEY", FindingType::SecurityWarning),
                (
                    "DYNAMODB_ATTRIBUTES_WITHOUT_SELECT",
                    FindingType::SecurityWarning,
                ),
                (
                    "S3_PREFIX_IN_NEGATIVE_CONTEXT",
                    FindingType::SecurityWarning,
                ),
            ],
            summary: "Condition keys that are forgeable, need a partner key, or are bypassable",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let k = &e.key.value;
                let ptr = || ConditionElement::entry_pointer(&st.pointer, b, e);
                if key_is(k, "aws:VpcSourceIp")
                    && !has_key(st, "aws:SourceVpc")
                    && !has_key(st, "aws:SourceVpce")
                {
                    out.push(diag(
                        "MISSING_PAIRED_CONDITION_KEYS",
                        FindingType::SecurityWarning,
                        format!("{k} can be overly permissive without aws:SourceVpc: the same private range exists in other VPCs; add aws:SourceVpc to this condition"),
                        e.key.range,
                        ptr(),
                    ));
                }
                if key_is(k, "aws:Referer") || key_is(k, "aws:UserAgent") {
                    out.push(diag(
                        "UNTRUSTWORTHY_CONDITION_KEY",
                        FindingType::SecurityWarning,
                        format!("{k} is set by the caller and can be forged; do not use it to control access"),
                        e.key.range,
                        ptr(),
                    ));
                }
                if key_is(k, "dynamodb:Attributes")
                    && st.is_allow()
                    && !has_key(st, "dynamodb:Select")
                {
                    out.push(diag(
                        "DYNAMODB_ATTRIBUTES_WITHOUT_SELECT",
                        FindingType::SecurityWarning,
                        "dynamodb:Attributes without dynamodb:Select = SPECIFIC_ATTRIBUTES lets a request for all attributes return whole items; add the dynamodb:Select condition",
                        e.key.range,
                        ptr(),
                    ));
                }
                if key_is(k, "s3:prefix")
                    && (st.is_deny() || b.op.is_some_and(|o| o.base.is_negated()))
                {
                    out.push(diag(
                        "S3_PREFIX_IN_NEGATIVE_CONTEXT",
                        FindingType::SecurityWarning,
                        "s3:prefix in a Deny or with a negated operator is bypassed by a list request with a shorter or no prefix; allow the permitted prefixes instead",
                        e.key.range,
                        ptr(),
                    ));
                }
            }
        }
    }
}
