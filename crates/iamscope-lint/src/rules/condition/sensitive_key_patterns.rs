//! # WILDCARD_USAGE_TOO_PERMISSIVE, VARIABLE_USAGE_TOO_PERMISSIVE
//!
//! Finding type: ERROR
//!
//! A wildcard (`WILDCARD_USAGE_TOO_PERMISSIVE`) or a policy variable
//! (`VARIABLE_USAGE_TOO_PERMISSIVE`) in the value of a condition key that identifies an
//! organization, an account or a principal (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
//! `aws:SourceAccount`, `aws:SourceOrgID`, `aws:ResourceAccount`, `aws:ResourceOrgID`,
//! `aws:PrincipalArn`, `aws:SourceArn`, `aws:userid`) with fewer than six literal characters in
//! front of it (`"o-*"`, `"1*"`, `"*"`, `"o-${aws:PrincipalTag/org}"`), or, for `aws:userid`, a
//! value that starts with one (the unique ID comes before the colon: `AROA...:*` is specific,
//! `*:name` matches any role). A value that is exactly one variable, such as
//! `"aws:ResourceAccount": "${aws:PrincipalAccount}"`, compares two request keys and is not
//! reported.
//!
//! ## Why it matters
//! These keys are how data perimeters and trust policies tell your organization from everyone
//! else. A short prefix before a wildcard (or a variable the caller influences) matches other
//! organizations and accounts too.
//!
//! ## Bad
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
//!   "Resource": "arn:aws:s3:::bucket/*", "Condition": {"StringLike": {"aws:PrincipalOrgID": "o-*"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=resource
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
//!   "Resource": "arn:aws:s3:::bucket/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "AWS global condition context keys": `aws:PrincipalOrgID`, `aws:userid`
//! - Access Analyzer policy checks: WILDCARD_USAGE_TOO_PERMISSIVE, VARIABLE_USAGE_TOO_PERMISSIVE

use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, key_is};
use crate::{Context, Rule, RuleMeta};

pub struct SensitiveKeyPatterns;

const SENSITIVE: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalAccount",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:PrincipalArn",
    "aws:SourceArn",
    "aws:userid",
];

impl Rule for SensitiveKeyPatterns {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("WILDCARD_USAGE_TOO_PERMISSIVE", FindingType::Error),
                ("VARIABLE_USAGE_TOO_PERMISSIVE", FindingType::Error),
            ],
            summary: "Wildcards or variables early in organization, account or principal keys",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(cond) = &st.condition else { continue };
            for (b, e) in cond.entries() {
                let Some(op) = b.op else { continue };
                if op.base.is_negated() || op.base == iamscope_policy::BaseOperator::Null {
                    continue;
                }
                let k = e.key.value.as_str();
                if !SENSITIVE.iter().any(|s| key_is(k, s)) {
                    continue;
                }
                let userid = key_is(k, "aws:userid");
                for (i, v) in e.values.iter().enumerate() {
                    let t = v.value.as_text();
                    let wild = op
                        .base
                        .supports_wildcards()
                        .then(|| t.find(['*', '?']))
                        .flatten();
                    let var = t.find("${");
                    let (code, at) = match (wild, var) {
                        (Some(w), Some(x)) if x < w => ("VARIABLE_USAGE_TOO_PERMISSIVE", x),
                        (Some(w), _) => ("WILDCARD_USAGE_TOO_PERMISSIVE", w),
                        (None, Some(x)) => ("VARIABLE_USAGE_TOO_PERMISSIVE", x),
                        (None, None) => continue,
                    };
                    // ARN keys: count the literal characters of the part that names the
                    // principal (after "arn:partition:service:region:account:").
                    let literal = at;
                    let is_var = code.starts_with("VARIABLE");
                    // A whole value that is one variable (`${aws:PrincipalAccount}`) compares
                    // two request keys: the usual "same account" idiom, not a pattern.
                    if is_var
                        && at == 0
                        && t.starts_with("${")
                        && t.ends_with('}')
                        && t.matches("${").count() == 1
                    {
                        continue;
                    }
                    if literal >= 6 && !(userid && at == 0) {
                        continue;
                    }
                    let what = if code.starts_with("WILDCARD") {
                        "wildcard"
                    } else {
                        "policy variable"
                    };
                    out.push(diag(
                        code,
                        FindingType::Error,
                        format!(
                            "the {what} in \"{t}\" comes after only {literal} literal character(s), so {k} matches far more than one organization, account or principal"
                        ),
                        v.range,
                        ConditionElement::value_pointer(&st.pointer, b, e, i),
                    ));
                }
            }
        }
    }
}
