//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the escapes
//! `${*}`, `${?}`, `${$}` that stand for the literal characters.
//!
//! [`parse`] splits a string into pieces and reports malformed variables with Access Analyzer's
//! codes (offsets are byte offsets into the string value).

/// A piece of a string that may contain policy variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Plain text (wildcards in it keep their meaning where the element has wildcards).
    Text(&'a str),
    /// `${*}`, `${?}` or `${$}`: the literal character.
    Escape(char),
    /// `${name}` or `${name, 'default'}`.
    Variable(Variable<'a>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable<'a> {
    /// The key name, e.g. `aws:username` or `aws:PrincipalTag/team`.
    pub name: &'a str,
    /// The default value, without its quotes.
    pub default: Option<&'a str>,
    /// Byte range of the whole `${...}` within the string.
    pub start: usize,
    pub end: usize,
}

/// A malformed variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableError {
    /// Access Analyzer's code: `MISSING_BRACE_IN_VARIABLE`, `EMPTY_VARIABLE`,
    /// `UNSUPPORTED_SPACE_IN_VARIABLE`, `MISSING_QUOTE_IN_VARIABLE`.
    pub code: &'static str,
    pub message: String,
    pub start: usize,
    pub end: usize,
}

/// The parsed pieces and the errors (a malformed variable is kept as text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed<'a> {
    pub pieces: Vec<Piece<'a>>,
    pub errors: Vec<VariableError>,
}

impl Parsed<'_> {
    pub fn has_variables(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Variable(_)))
    }

    pub fn has_escapes(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Escape(_)))
    }

    pub fn variables(&self) -> impl Iterator<Item = &Variable<'_>> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Variable(v) => Some(v),
            _ => None,
        })
    }
}

/// Quick check before [`parse`]: does the string contain `${` at all? (A byte scan: the substring
/// search of the standard library costs more for short strings, most in WebAssembly.)
pub fn may_contain_variables(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, &c)| c == b'$' && b.get(i + 1) == Some(&b'{'))
}

/// Splits `s` into text, escapes and variables.
pub fn parse(s: &str) -> Parsed<'_> {
    let mut out = Parsed::default();
    let bytes = s.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if !(bytes[i] == b'$' && bytes[i + 1] == b'{') {
            i += 1;
            continue;
        }
        let start = i;
        let Some(close_rel) = s[i + 2..].find('}') else {
            out.errors.push(VariableError {
                code: "MISSING_BRACE_IN_VARIABLE",
                message: format!(
                    "the policy variable starting at '{}' has no closing '}}'",
                    &s[start..]
                ),
                start,
                end: s.len(),
            });
            break;
        };
        let end = i + 2 + close_rel + 1;
        let inner = &s[i + 2..end - 1];
        if text_start < start {
            out.pieces.push(Piece::Text(&s[text_start..start]));
        }
        let piece = match inner {
            "*" => Some(Piece::Escape('*')),
            "?" => Some(Piece::Escape('?')),
            "$" => Some(Piece::Escape('$')),
            _ => match variable(inner, start, end) {
                Ok(v) => Some(Piece::Variable(v)),
                Err(e) => {
                    out.errors.push(e);
                    None
                }
            },
        };
        match piece {
            Some(p) => out.pieces.push(p),
            None => out.pieces.push(Piece::Text(&s[start..end])),
        }
        i = end;
        text_start = end;
    }
    if text_start < s.len() {
        out.pieces.push(Piece::Text(&s[text_start..]));
    }
    out
}

fn variable(inner: &str, start: usize, end: usize) -> Result<Variable<'_>, VariableError> {
    let err = |code, message: String| VariableError {
        code,
        message,
        start,
        end,
    };
    if inner.trim().is_empty() {
        return Err(err(
            "EMPTY_VARIABLE",
            "the policy variable '${}' is empty".into(),
        ));
    }
    let (name_part, default) = match inner.split_once(',') {
        Some((n, d)) => (n, Some(d)),
        None => (inner, None),
    };
    if name_part.trim().is_empty() {
        return Err(err(
            "EMPTY_VARIABLE",
            format!("the policy variable '${{{inner}}}' has no key name"),
        ));
    }
    if name_part.contains(char::is_whitespace) {
        return Err(err(
            "UNSUPPORTED_SPACE_IN_VARIABLE",
            format!("the policy variable name '{name_part}' contains a space"),
        ));
    }
    let default = match default {
        None => None,
        Some(d) => {
            let d = d.trim();
            if d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'') {
                Some(&d[1..d.len() - 1])
            } else {
                return Err(err(
                    "MISSING_QUOTE_IN_VARIABLE",
                    format!(
                        "the default value {d:?} of the policy variable '{name_part}' must be in single quotes"
                    ),
                ));
            }
        }
    };
    Ok(Variable {
        name: name_part,
        default,
        start,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces() {
        let p = parse("arn:aws:s3:::b/${aws:username}/*");
        assert_eq!(p.pieces.len(), 3);
        assert!(p.errors.is_empty());
        let v = p.variables().next().unwrap();
        assert_eq!(v.name, "aws:username");
        assert_eq!((v.start, v.end), (15, 30));
        let p = parse("x${aws:PrincipalTag/team, 'none'}${*}${?}${$}");
        let v = p.variables().next().unwrap();
        assert_eq!(v.default, Some("none"));
        assert_eq!(
            &p.pieces[2..],
            &[Piece::Escape('*'), Piece::Escape('?'), Piece::Escape('$')]
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            parse("${aws:username").errors[0].code,
            "MISSING_BRACE_IN_VARIABLE"
        );
        assert_eq!(parse("${}").errors[0].code, "EMPTY_VARIABLE");
        assert_eq!(
            parse("${aws: username}").errors[0].code,
            "UNSUPPORTED_SPACE_IN_VARIABLE"
        );
        assert_eq!(
            parse("${aws:username, none}").errors[0].code,
            "MISSING_QUOTE_IN_VARIABLE"
        );
        assert!(parse("$ {x} $x {y}").errors.is_empty());
    }
}
