//! The options arguments of the exports (`lint`, `summarize`, `diff`), read from the JSON text the
//! typed wrapper hands over with the engine's own JSON parser (iamscope-syntax's tape), not with
//! serde_json's deserializer: these few objects were its only use in the module, and it brought
//! along serde_json's parser, its error formatting and the standard library's float printing
//! (`<f64 as Display>`, reachable only through serde's "invalid type: floating point" message),
//! about 12 KB of the gzip budget (docs/benchmarks.md, "Session 9, the options without serde's
//! deserializer"). The rules are serde's derive with `default` and `deny_unknown_fields`:
//! a missing field keeps its default, `null` is `None` for an optional field, an unknown or
//! repeated field is a misuse, and so is a value of the wrong type.

use iamscope_syntax::json::{Document, Limits, Value, ValueKind};

/// An options struct read field by field.
pub trait Options: Default {
    /// The accepted field names, for the message about an unknown one.
    const FIELDS: &'static [&'static str];

    /// Sets field `name` (one of [`Options::FIELDS`]) from `value`; the message when the value
    /// does not fit.
    fn set(&mut self, name: &str, value: Value<'_>) -> Result<(), String>;
}

/// Reads an options object; the message says what is wrong and in which field.
pub fn parse<T: Options>(text: &str) -> Result<T, String> {
    let doc = Document::parse(text, &Limits::default()).map_err(|d| d.message)?;
    let root = doc.root();
    let Some(members) = root.as_object() else {
        return Err(invalid_type(root, "an object"));
    };
    let mut out = T::default();
    let mut seen: Vec<&str> = Vec::new();
    for m in members {
        let Some(&name) = T::FIELDS.iter().find(|f| **f == m.key) else {
            return Err(format!(
                "unknown field `{}`, expected {}",
                m.key,
                one_of(T::FIELDS)
            ));
        };
        if seen.contains(&name) {
            return Err(format!("duplicate field `{name}`"));
        }
        seen.push(name);
        out.set(name, m.value)
            .map_err(|e| format!("field `{name}`: {e}"))?;
    }
    Ok(out)
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`": serde's wording.
pub fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} or {}", quoted[0], quoted[1]),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

/// serde's message for a value of the wrong JSON type.
pub fn invalid_type(value: Value<'_>, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", value.type_name())
}

/// A string.
pub fn string(value: Value<'_>) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| invalid_type(value, "a string"))
}

/// A string, or `null` for `None`.
pub fn opt_string(value: Value<'_>) -> Result<Option<String>, String> {
    match value.kind() {
        ValueKind::Null => Ok(None),
        _ => string(value).map(Some),
    }
}

/// An array of strings.
pub fn strings(value: Value<'_>) -> Result<Vec<String>, String> {
    let Some(items) = value.as_array() else {
        return Err(invalid_type(value, "an array of strings"));
    };
    items.map(string).collect()
}

/// A boolean.
pub fn boolean(value: Value<'_>) -> Result<bool, String> {
    match value.kind() {
        ValueKind::Bool(b) => Ok(b),
        _ => Err(invalid_type(value, "a boolean")),
    }
}

/// A non-negative integer that fits `usize` (written without fraction or exponent, as serde
/// requires), or `null` for `None`.
pub fn opt_usize(value: Value<'_>) -> Result<Option<usize>, String> {
    match value.kind() {
        ValueKind::Null => Ok(None),
        ValueKind::Number(n) => match n.parse::<usize>() {
            Ok(v) if !n.starts_with('+') => Ok(Some(v)),
            _ => Err(format!(
                "invalid value: {n}, expected a non-negative integer"
            )),
        },
        _ => Err(invalid_type(value, "a non-negative integer")),
    }
}

/// One of `names` (exactly), as its index.
pub fn variant(value: Value<'_>, names: &[&str]) -> Result<usize, String> {
    let s = value
        .as_str()
        .ok_or_else(|| invalid_type(value, "a string"))?;
    names
        .iter()
        .position(|n| *n == s)
        .ok_or_else(|| format!("unknown variant `{s}`, expected {}", one_of(names)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct T {
        a: Option<String>,
        b: Vec<String>,
        c: bool,
        d: Option<usize>,
    }

    impl Options for T {
        const FIELDS: &'static [&'static str] = &["a", "b", "c", "d"];
        fn set(&mut self, name: &str, v: Value<'_>) -> Result<(), String> {
            match name {
                "a" => self.a = opt_string(v)?,
                "b" => self.b = strings(v)?,
                "c" => self.c = boolean(v)?,
                _ => self.d = opt_usize(v)?,
            }
            Ok(())
        }
    }

    #[test]
    fn fields_defaults_and_null() {
        assert_eq!(parse::<T>("{}"), Ok(T::default()));
        let t = parse::<T>(r#"{"a":"x\u00e9","b":["1","2"],"c":true,"d":7}"#).unwrap();
        assert_eq!(
            t,
            T {
                a: Some("x\u{e9}".into()),
                b: vec!["1".into(), "2".into()],
                c: true,
                d: Some(7),
            }
        );
        assert_eq!(parse::<T>(r#"{"a":null,"d":null}"#), Ok(T::default()));
    }

    #[test]
    fn misuse_says_what_and_where() {
        let e = |text: &str| parse::<T>(text).unwrap_err();
        assert_eq!(
            e(r#"{"x":1}"#),
            "unknown field `x`, expected one of `a`, `b`, `c`, `d`"
        );
        assert_eq!(e(r#"{"c":true,"c":false}"#), "duplicate field `c`");
        assert_eq!(
            e(r#"{"b":"s"}"#),
            "field `b`: invalid type: string, expected an array of strings"
        );
        assert_eq!(
            e(r#"{"b":["s",1]}"#),
            "field `b`: invalid type: number, expected a string"
        );
        assert_eq!(
            e(r#"{"c":null}"#),
            "field `c`: invalid type: null, expected a boolean"
        );
        for bad in ["-1", "1.0", "1e3", "99999999999999999999999"] {
            assert_eq!(
                e(&format!(r#"{{"d":{bad}}}"#)),
                format!("field `d`: invalid value: {bad}, expected a non-negative integer")
            );
        }
        assert_eq!(e("3"), "invalid type: number, expected an object");
        assert_eq!(e("[]"), "invalid type: array, expected an object");
        // not JSON, or too deep: the parser's message
        assert!(!e("{").is_empty());
        assert!(!e(&"[".repeat(10_000)).is_empty());
    }

    #[test]
    fn variants_and_wording() {
        let v = |text: &str| {
            let doc = Document::parse(text, &Limits::default()).unwrap();
            variant(doc.root(), &["x", "y-z"])
        };
        assert_eq!(v(r#""y-z""#), Ok(1));
        assert_eq!(
            v(r#""Y-Z""#),
            Err("unknown variant `Y-Z`, expected `x` or `y-z`".into())
        );
        assert_eq!(
            v("1"),
            Err("invalid type: number, expected a string".into())
        );
        assert_eq!(one_of(&["a"]), "`a`");
    }
}
