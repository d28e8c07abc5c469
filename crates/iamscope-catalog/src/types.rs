//! Access levels and condition key types.

use serde::{Serialize, Serializer};

/// An action's access level, as in the AWS Service Authorization Reference.
///
/// The reference sometimes gives a combined value such as `"Permissions management, Write"`;
/// [`AccessLevel::parse`] normalises it to the most specific level (`PermissionsManagement`) and
/// [`crate::Action::access_level_raw`] keeps the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    /// All levels, in AWS's table order.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// AWS's spelling: `List`, `Read`, `Write`, `Permissions management`, `Tagging`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// One level by its AWS spelling (case-insensitive; `PermissionsManagement` is accepted too).
    pub fn from_name(s: &str) -> Option<AccessLevel> {
        let s = s.trim();
        AccessLevel::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
            .or_else(|| {
                s.eq_ignore_ascii_case("PermissionsManagement")
                    .then_some(AccessLevel::PermissionsManagement)
            })
    }

    /// Specificity used to normalise combined values: a more specific level wins. Write is the
    /// most general (Tagging and Permissions management are kinds of write), List a kind of Read.
    fn specificity(self) -> u8 {
        match self {
            AccessLevel::Write => 0,
            AccessLevel::Read => 1,
            AccessLevel::List => 2,
            AccessLevel::Tagging => 3,
            AccessLevel::PermissionsManagement => 4,
        }
    }

    /// Parses a possibly combined value (`"Tagging, Write"`) to its most specific level. `None`
    /// when no part is a known level.
    pub fn parse(raw: &str) -> Option<AccessLevel> {
        raw.split(',')
            .filter_map(AccessLevel::from_name)
            .max_by_key(|l| l.specificity())
    }

    /// Every known level named in a possibly combined value, in the order given.
    pub fn parse_all(raw: &str) -> impl Iterator<Item = AccessLevel> + '_ {
        raw.split(',').filter_map(AccessLevel::from_name)
    }
}

impl std::fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AccessLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The type of a condition key, as the Service Authorization Reference and the global condition
/// keys page give it. `ArrayOf*` types are multivalued (use them with `ForAnyValue:` /
/// `ForAllValues:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    String,
    Arn,
    Numeric,
    Date,
    Bool,
    IpAddress,
    Binary,
    Long,
    Integer,
    ArrayOfString,
    ArrayOfArn,
    ArrayOfNumeric,
    ArrayOfDate,
    ArrayOfBool,
    ArrayOfIpAddress,
    ArrayOfBinary,
    ArrayOfLong,
    ArrayOfInteger,
}

const SCALARS: [KeyType; 9] = [
    KeyType::String,
    KeyType::Arn,
    KeyType::Numeric,
    KeyType::Date,
    KeyType::Bool,
    KeyType::IpAddress,
    KeyType::Binary,
    KeyType::Long,
    KeyType::Integer,
];
const ARRAYS: [KeyType; 9] = [
    KeyType::ArrayOfString,
    KeyType::ArrayOfArn,
    KeyType::ArrayOfNumeric,
    KeyType::ArrayOfDate,
    KeyType::ArrayOfBool,
    KeyType::ArrayOfIpAddress,
    KeyType::ArrayOfBinary,
    KeyType::ArrayOfLong,
    KeyType::ArrayOfInteger,
];

impl KeyType {
    /// The scalar type of the elements (`ArrayOfArn` -> `Arn`; a scalar returns itself).
    pub fn base(self) -> KeyType {
        match ARRAYS.iter().position(|t| *t == self) {
            Some(i) => SCALARS[i],
            None => self,
        }
    }

    /// True for the `ArrayOf*` types.
    pub fn is_multivalued(self) -> bool {
        ARRAYS.contains(&self)
    }

    /// The `ArrayOf` type with this base (`Arn` -> `ArrayOfArn`).
    pub fn array_of(self) -> KeyType {
        let b = self.base();
        ARRAYS[SCALARS.iter().position(|t| *t == b).unwrap_or(0)]
    }

    /// AWS's spelling: `String`, `ARN`, `Numeric`, `Date`, `Bool`, `IPAddress`, `Binary`, `Long`,
    /// `Integer`, and `ArrayOf` + those.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::String => "String",
            KeyType::Arn => "ARN",
            KeyType::Numeric => "Numeric",
            KeyType::Date => "Date",
            KeyType::Bool => "Bool",
            KeyType::IpAddress => "IPAddress",
            KeyType::Binary => "Binary",
            KeyType::Long => "Long",
            KeyType::Integer => "Integer",
            KeyType::ArrayOfString => "ArrayOfString",
            KeyType::ArrayOfArn => "ArrayOfARN",
            KeyType::ArrayOfNumeric => "ArrayOfNumeric",
            KeyType::ArrayOfDate => "ArrayOfDate",
            KeyType::ArrayOfBool => "ArrayOfBool",
            KeyType::ArrayOfIpAddress => "ArrayOfIPAddress",
            KeyType::ArrayOfBinary => "ArrayOfBinary",
            KeyType::ArrayOfLong => "ArrayOfLong",
            KeyType::ArrayOfInteger => "ArrayOfInteger",
        }
    }

    /// Parses AWS's spelling (case-insensitive).
    pub fn from_name(s: &str) -> Option<KeyType> {
        SCALARS
            .iter()
            .chain(ARRAYS.iter())
            .copied()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }

    /// The one-byte code of the binary format: scalar number 1..=9 in the low four bits, `0x10`
    /// for `ArrayOf`.
    pub(crate) fn from_code(code: u8) -> Option<KeyType> {
        let i = usize::from(code & 0x0f).checked_sub(1)?;
        match code & 0xf0 {
            0x00 => SCALARS.get(i).copied(),
            0x10 => ARRAYS.get(i).copied(),
            _ => None,
        }
    }
}

impl std::fmt::Display for KeyType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for KeyType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(
            AccessLevel::parse("Permissions management, Write"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(
            AccessLevel::parse("Tagging, Write"),
            Some(AccessLevel::Tagging)
        );
        assert_eq!(
            AccessLevel::parse("Write, Tagging"),
            Some(AccessLevel::Tagging)
        );
        assert_eq!(AccessLevel::parse("Read"), Some(AccessLevel::Read));
        assert_eq!(AccessLevel::parse("bogus"), None);
        assert_eq!(
            AccessLevel::parse_all("Tagging, Write").collect::<Vec<_>>(),
            [AccessLevel::Tagging, AccessLevel::Write]
        );
        assert_eq!(
            AccessLevel::PermissionsManagement.as_str(),
            "Permissions management"
        );
    }

    #[test]
    fn key_types() {
        for code in 0..=255u8 {
            if let Some(t) = KeyType::from_code(code) {
                assert_eq!(KeyType::from_name(t.as_str()), Some(t));
                assert_eq!(t.is_multivalued(), code & 0x10 != 0);
            }
        }
        assert_eq!(KeyType::from_code(0x12), Some(KeyType::ArrayOfArn));
        assert_eq!(KeyType::ArrayOfArn.base(), KeyType::Arn);
        assert_eq!(KeyType::Arn.array_of(), KeyType::ArrayOfArn);
        assert_eq!(KeyType::from_name("ipaddress"), Some(KeyType::IpAddress));
        assert_eq!(KeyType::from_code(0), None);
        assert_eq!(KeyType::from_code(0x20 | 1), None);
    }
}
