//! Condition operators: the base operator, the `...IfExists` suffix and the set qualifiers
//! `ForAllValues:` / `ForAnyValue:`.

/// The family of an operator decides which value type it compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// Every base condition operator of the IAM policy grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

use BaseOperator as B;

impl BaseOperator {
    pub const ALL: [BaseOperator; 27] = [
        B::StringEquals,
        B::StringNotEquals,
        B::StringEqualsIgnoreCase,
        B::StringNotEqualsIgnoreCase,
        B::StringLike,
        B::StringNotLike,
        B::NumericEquals,
        B::NumericNotEquals,
        B::NumericLessThan,
        B::NumericLessThanEquals,
        B::NumericGreaterThan,
        B::NumericGreaterThanEquals,
        B::DateEquals,
        B::DateNotEquals,
        B::DateLessThan,
        B::DateLessThanEquals,
        B::DateGreaterThan,
        B::DateGreaterThanEquals,
        B::Bool,
        B::BinaryEquals,
        B::IpAddress,
        B::NotIpAddress,
        B::ArnEquals,
        B::ArnLike,
        B::ArnNotEquals,
        B::ArnNotLike,
        B::Null,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            B::StringEquals => "StringEquals",
            B::StringNotEquals => "StringNotEquals",
            B::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            B::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            B::StringLike => "StringLike",
            B::StringNotLike => "StringNotLike",
            B::NumericEquals => "NumericEquals",
            B::NumericNotEquals => "NumericNotEquals",
            B::NumericLessThan => "NumericLessThan",
            B::NumericLessThanEquals => "NumericLessThanEquals",
            B::NumericGreaterThan => "NumericGreaterThan",
            B::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            B::DateEquals => "DateEquals",
            B::DateNotEquals => "DateNotEquals",
            B::DateLessThan => "DateLessThan",
            B::DateLessThanEquals => "DateLessThanEquals",
            B::DateGreaterThan => "DateGreaterThan",
            B::DateGreaterThanEquals => "DateGreaterThanEquals",
            B::Bool => "Bool",
            B::BinaryEquals => "BinaryEquals",
            B::IpAddress => "IpAddress",
            B::NotIpAddress => "NotIpAddress",
            B::ArnEquals => "ArnEquals",
            B::ArnLike => "ArnLike",
            B::ArnNotEquals => "ArnNotEquals",
            B::ArnNotLike => "ArnNotLike",
            B::Null => "Null",
        }
    }

    pub fn family(self) -> OperatorFamily {
        match self {
            B::StringEquals
            | B::StringNotEquals
            | B::StringEqualsIgnoreCase
            | B::StringNotEqualsIgnoreCase
            | B::StringLike
            | B::StringNotLike => OperatorFamily::String,
            B::NumericEquals
            | B::NumericNotEquals
            | B::NumericLessThan
            | B::NumericLessThanEquals
            | B::NumericGreaterThan
            | B::NumericGreaterThanEquals => OperatorFamily::Numeric,
            B::DateEquals
            | B::DateNotEquals
            | B::DateLessThan
            | B::DateLessThanEquals
            | B::DateGreaterThan
            | B::DateGreaterThanEquals => OperatorFamily::Date,
            B::Bool => OperatorFamily::Bool,
            B::BinaryEquals => OperatorFamily::Binary,
            B::IpAddress | B::NotIpAddress => OperatorFamily::Ip,
            B::ArnEquals | B::ArnLike | B::ArnNotEquals | B::ArnNotLike => OperatorFamily::Arn,
            B::Null => OperatorFamily::Null,
        }
    }

    /// True for the negated operators (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...): they
    /// match when the key is absent, and with multiple values they mean "none of".
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            B::StringNotEquals
                | B::StringNotEqualsIgnoreCase
                | B::StringNotLike
                | B::NumericNotEquals
                | B::DateNotEquals
                | B::NotIpAddress
                | B::ArnNotEquals
                | B::ArnNotLike
        )
    }

    /// True for operators whose values may contain `*` and `?` wildcards.
    pub fn supports_wildcards(self) -> bool {
        matches!(
            self,
            B::StringLike
                | B::StringNotLike
                | B::ArnLike
                | B::ArnNotLike
                | B::ArnEquals
                | B::ArnNotEquals
        )
    }

    /// True for operators whose values may contain policy variables (string and ARN comparisons).
    pub fn supports_variables(self) -> bool {
        matches!(self.family(), OperatorFamily::String | OperatorFamily::Arn)
    }

    pub fn parse(s: &str) -> Option<BaseOperator> {
        BaseOperator::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

impl SetQualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues",
            SetQualifier::ForAnyValue => "ForAnyValue",
        }
    }
}

/// A parsed operator such as `ForAnyValue:StringLikeIfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operator {
    pub qualifier: Option<SetQualifier>,
    pub base: BaseOperator,
    pub if_exists: bool,
}

/// Why an operator name is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorError {
    /// The base name is unknown (`INVALID_CONDITION_OPERATOR`); `suggestion` is a known operator
    /// that differs only in case or by a small typo.
    Unknown { suggestion: Option<String> },
    /// A qualifier other than `ForAllValues`/`ForAnyValue` (`MISSING_QUALIFIER`'s neighbour:
    /// reported as `INVALID_CONDITION_OPERATOR`).
    UnknownQualifier(String),
}

impl Operator {
    /// Parses an operator name exactly as AWS does (case-sensitive).
    pub fn parse(s: &str) -> Result<Operator, OperatorError> {
        let (qualifier, rest) = match s.split_once(':') {
            Some(("ForAllValues", rest)) => (Some(SetQualifier::ForAllValues), rest),
            Some(("ForAnyValue", rest)) => (Some(SetQualifier::ForAnyValue), rest),
            Some((q, _)) => return Err(OperatorError::UnknownQualifier(q.to_string())),
            None => (None, s),
        };
        let (name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) if !base.is_empty() => (base, true),
            _ => (rest, false),
        };
        match BaseOperator::parse(name) {
            Some(base) => Ok(Operator {
                qualifier,
                base,
                if_exists,
            }),
            None => Err(OperatorError::Unknown {
                suggestion: suggest(rest),
            }),
        }
    }

    /// The canonical spelling.
    pub fn name(&self) -> String {
        let mut s = String::new();
        if let Some(q) = self.qualifier {
            s.push_str(q.as_str());
            s.push(':');
        }
        s.push_str(self.base.as_str());
        if self.if_exists {
            s.push_str("IfExists");
        }
        s
    }
}

fn suggest(name: &str) -> Option<String> {
    let (base, suffix) = match name.to_ascii_lowercase().strip_suffix("ifexists") {
        Some(b) => (b.to_string(), "IfExists"),
        None => (name.to_ascii_lowercase(), ""),
    };
    BaseOperator::ALL
        .into_iter()
        .find(|o| o.as_str().eq_ignore_ascii_case(&base))
        .or_else(|| {
            BaseOperator::ALL
                .into_iter()
                .find(|o| edit_distance_le1(&o.as_str().to_ascii_lowercase(), &base))
        })
        .map(|o| format!("{}{}", o.as_str(), suffix))
}

/// True when `a` and `b` differ by at most one insertion, deletion or substitution.
fn edit_distance_le1(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    let suffix = ra
        .iter()
        .rev()
        .zip(rb.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    ra.len().saturating_sub(suffix) <= 1 && rb.len().saturating_sub(suffix) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_qualifiers_and_if_exists() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, BaseOperator::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.name(), "ForAnyValue:StringLikeIfExists");
        assert_eq!(
            Operator::parse("NullIfExists").unwrap().base,
            BaseOperator::Null
        );
        assert!(Operator::parse("IfExists").is_err());
        assert_eq!(
            Operator::parse("stringequals"),
            Err(OperatorError::Unknown {
                suggestion: Some("StringEquals".into())
            })
        );
        assert_eq!(
            Operator::parse("StringEqual"),
            Err(OperatorError::Unknown {
                suggestion: Some("StringEquals".into())
            })
        );
        assert_eq!(
            Operator::parse("ForEach:StringEquals"),
            Err(OperatorError::UnknownQualifier("ForEach".into()))
        );
    }
}
