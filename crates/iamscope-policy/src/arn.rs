//! Amazon Resource Names: `arn:partition:service:region:account-id:resource`. The resource part may
//! itself contain colons and slashes.

use crate::wildcard::wildcard_match;

/// The partitions AWS has published.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// A parsed ARN; every field borrows from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// Why a string is not an ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArnError {
    /// It does not start with `arn:`.
    MissingPrefix,
    /// It has fewer than six colon-separated fields; the payload names the first missing one.
    MissingField(&'static str),
}

impl std::fmt::Display for ArnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArnError::MissingPrefix => f.write_str("an ARN must start with 'arn:'"),
            ArnError::MissingField(field) => write!(f, "the ARN has no {field} field"),
        }
    }
}

const FIELDS: [&str; 5] = ["partition", "service", "region", "account", "resource"];

impl<'a> Arn<'a> {
    /// Splits `s` into its six fields. `arn` is matched case-sensitively, like AWS.
    pub fn parse(s: &'a str) -> Result<Arn<'a>, ArnError> {
        let mut rest = s.strip_prefix("arn:").ok_or(ArnError::MissingPrefix)?;
        // `s.splitn(5, ':')`, by bytes (`:` is ASCII, so each one found is a character boundary):
        // the char searcher made this the costliest step of a prepared decision. The first field
        // without its colon means the next one is missing.
        let mut fields = [""; 5];
        for (field, next) in fields.iter_mut().zip(&FIELDS[1..]) {
            let colon = rest
                .bytes()
                .position(|b| b == b':')
                .ok_or(ArnError::MissingField(next))?;
            *field = &rest[..colon];
            rest = &rest[colon + 1..];
        }
        fields[4] = rest;
        Ok(Arn {
            partition: fields[0],
            service: fields[1],
            region: fields[2],
            account: fields[3],
            resource: fields[4],
        })
    }

    pub fn fields(&self) -> [&'a str; 5] {
        [
            self.partition,
            self.service,
            self.region,
            self.account,
            self.resource,
        ]
    }
}

/// `ArnLike` semantics: each of the six colon-delimited components is matched separately, each with
/// `*` and `?` wildcards, case-sensitively; the last component (the resource) is matched as a whole.
/// Pattern `*` alone matches any value, ARN or not.
pub fn arn_like(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let (Some(p), Some(v)) = (split6(pattern), split6(value)) else {
        // Not ARN-shaped: fall back to a whole-string match so that such values still compare.
        return wildcard_match(pattern, value, false);
    };
    p.iter()
        .zip(v.iter())
        .all(|(p, v)| wildcard_match(p, v, false))
}

/// Splits into the 6 components (`arn`, partition, service, region, account, resource).
fn split6(s: &str) -> Option<[&str; 6]> {
    let mut it = s.splitn(6, ':');
    let mut out = [""; 6];
    for slot in &mut out {
        *slot = it.next()?;
    }
    Some(out)
}

/// True for a 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse() {
        let a = Arn::parse("arn:aws:s3:::bucket/key:with:colons").unwrap();
        assert_eq!(a.service, "s3");
        assert_eq!(a.resource, "bucket/key:with:colons");
        let a = Arn::parse("arn:aws:iam::123456789012:role/x").unwrap();
        assert_eq!(a.account, "123456789012");
        assert_eq!(Arn::parse("aws:s3:::b"), Err(ArnError::MissingPrefix));
        assert_eq!(
            Arn::parse("arn:aws:s3"),
            Err(ArnError::MissingField("region"))
        );
        // the fields and the missing field are those of `splitn(5, ':')`
        for s in [
            "arn:",
            "arn:a",
            "arn:a:",
            "arn:a:b",
            "arn:a:b:c",
            "arn:a:b:c:",
            "arn::::",
            "arn:::::",
            "arn:\u{e9}:s\u{1F600}:r:1:x:y",
            "arn:aws:s3:::b\u{e9}",
        ] {
            let mut parts = s["arn:".len()..].splitn(5, ':');
            let want = FIELDS
                .iter()
                .map(|name| parts.next().ok_or(ArnError::MissingField(name)))
                .collect::<Result<Vec<&str>, ArnError>>();
            assert_eq!(Arn::parse(s).map(|a| a.fields().to_vec()), want, "{s}");
        }
    }

    #[test]
    fn arn_like_is_component_wise() {
        assert!(arn_like(
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:role/a/b"
        ));
        assert!(!arn_like(
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:user/a"
        ));
        // A star in the region does not swallow the account.
        assert!(!arn_like(
            "arn:aws:s3:*::bucket",
            "arn:aws:s3:us-east-1:123:bucket"
        ));
        assert!(arn_like("arn:aws:s3:::*", "arn:aws:s3:::b/k:x"));
        assert!(arn_like("*", "not-an-arn"));
        assert!(!arn_like("arn:aws:s3:::B", "arn:aws:s3:::b"));
    }
}
