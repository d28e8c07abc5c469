//! # INVALID_CONDITION_KEY_FORMAT
//!
//! Finding type: ERROR
//!
//! A condition key that is not written as `prefix:name`: no colon, an empty prefix or name, a
//! character that no key allows (a space, `<`, `*`, `$` outside a policy variable...), or a
//! tag-style key with nothing after its slash (`aws:RequestTag/`). The prefix is a service prefix
//! (`aws`, `s3`, `ec2`) or an identity provider (`accounts.google.com`,
//! `token.actions.githubusercontent.com`, `oidc.eks.<region>.amazonaws.com/id/<id>`); the name is
//! letters, digits, `_`, `-`, `.` and `:`; the part after the first `/` (a tag key, an attribute
//! name) may hold any character AWS allows in tag keys, spaces included, so it is only required to
//! be non-empty. Keys with a policy variable are not checked. Whether a well-formed key exists is
//! the catalog's question (`INVALID_SERVICE_CONDITION_KEY`, `UNKNOWN_CONDITION_KEY`).
//!
//! ## Why it matters
//! AWS rejects the policy; and a key that cannot occur in a request would make its condition
//! always false (or, negated, always true) if it were accepted.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"IpAddress": {"SourceIp": "203.0.113.0/24"}, "StringEquals": {"aws:RequestTag/": "x"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!   "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}, "StringEquals": {"aws:RequestTag/Cost Center": "x"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Invalid condition key format"
//! - IAM User Guide, "IAM JSON policy elements: Condition", section "Condition key"
//!   (reference_policies_elements_condition.md): keys are `prefix:name`, case-insensitive
//! - IAM User Guide, "Grammar of the IAM JSON policy language" (reference_policies_grammar.md):
//!   `<condition_key> = string`, with the key formats of the condition key tables

use iamscope_policy::model::ConditionElement;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct ConditionKeyFormat;

/// Why `key` is not a well-formed condition key, or `None` when it is (or has a policy variable,
/// which is not checked).
pub fn key_format_error(key: &str) -> Option<String> {
    if crate::facts::has_variable(key) {
        return None;
    }
    let Some((prefix, rest)) = key.split_once(':') else {
        return Some(format!(
            "the condition key \"{key}\" has no prefix: keys are written prefix:name, such as aws:SourceIp or s3:prefix"
        ));
    };
    if prefix.is_empty() {
        return Some(format!(
            "the condition key \"{key}\" has an empty prefix before its colon: keys are written prefix:name, such as aws:SourceIp"
        ));
    }
    if let Some(c) = prefix
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '_')))
    {
        return Some(format!(
            "the prefix of the condition key \"{key}\" contains {}: a prefix is a service prefix (aws, s3) or an identity provider's host name",
            describe(c)
        ));
    }
    let (name, tail) = match rest.split_once('/') {
        Some((n, t)) => (n, Some(t)),
        None => (rest, None),
    };
    if name.is_empty() {
        return Some(format!(
            "the condition key \"{key}\" has no name after its prefix \"{prefix}:\""
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':')))
    {
        return Some(format!(
            "the name of the condition key \"{key}\" contains {}: names are letters, digits, '-', '_', '.' and ':'",
            describe(c)
        ));
    }
    if tail.is_some_and(str::is_empty) {
        return Some(format!(
            "the condition key \"{key}\" ends with a slash: name the tag key or attribute after it, as in {name}/team"
        ));
    }
    None
}

fn describe(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

impl Rule for ConditionKeyFormat {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("INVALID_CONDITION_KEY_FORMAT", FindingType::Error)],
            summary: "Condition keys must be written prefix:name",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(c) = &st.condition else { continue };
            for (b, e) in c.entries() {
                if let Some(why) = key_format_error(&e.key.value) {
                    out.push(Diagnostic::error(
                        "INVALID_CONDITION_KEY_FORMAT",
                        why,
                        e.key.range,
                        ConditionElement::entry_pointer(&st.pointer, b, e),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::key_format_error;

    #[test]
    fn well_formed_keys() {
        for k in [
            "aws:SourceIp",
            "AWS:sourceip",
            "s3:x-amz-acl",
            "aws:RequestTag/Cost Center",
            "ec2:ResourceTag/aws:cloudformation:stack-name",
            "token.actions.githubusercontent.com:sub",
            "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub",
            "cognito-identity.amazonaws.com:amr",
            "www.amazon.com:user_id",
            "aws:PrincipalTag/${aws:username}",
        ] {
            assert_eq!(key_format_error(k), None, "{k}");
        }
    }

    #[test]
    fn malformed_keys() {
        for k in [
            "SourceIp",
            ":SourceIp",
            "aws:",
            "aws:RequestTag/",
            "aws:Source Ip",
            "<OIDC_provider>:sub",
            "aws:SourceIp ",
            "s3*:prefix",
        ] {
            assert!(key_format_error(k).is_some(), "{k}");
        }
    }

    /// Every key the catalog defines (templates filled with a tag name) is well formed.
    #[test]
    fn every_catalog_key_is_well_formed() {
        let cat = iamscope_catalog::Catalog::embedded();
        let mut n = 0;
        for key in cat.condition_keys() {
            let name = key.name();
            // Every `${Placeholder}` filled with a sample value.
            let mut filled = String::new();
            let mut rest = name;
            while let Some(i) = rest.find("${") {
                filled.push_str(&rest[..i]);
                filled.push_str("team");
                rest = rest[i..].split_once('}').map_or("", |(_, r)| r);
            }
            filled.push_str(rest);
            // A few services list their tag keys as `ResourceTag/` (the tag key left out).
            if filled.ends_with('/') {
                filled.push_str("team");
            }
            assert_eq!(key_format_error(&filled), None, "{name}");
            n += 1;
        }
        assert!(n > 1000, "{n} keys");
    }
}
