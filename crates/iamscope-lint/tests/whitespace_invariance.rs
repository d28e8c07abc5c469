//! Property: a policy and its whitespace-reformatted twin get the same diagnostics at
//! correspondingly shifted ranges. Policies are generated from valid and invalid pieces (wrong
//! versions, effects, principals, ARNs, variables, operators, duplicate keys, empty arrays,
//! non-Latin-1 text), rendered pretty-printed, minified and with odd white space, and every
//! diagnostic range is mapped between the renderings by (token index, offset within the token).

use iamscope_lint::{LintOptions, PolicyKind, lint};
use proptest::prelude::*;

/// A JSON value that may repeat object keys (to exercise DUPLICATE_KEY).
#[derive(Clone, Debug)]
enum J {
    Str(String),
    Num(String),
    Bool(bool),
    Null,
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

#[derive(Clone, Copy, Debug)]
enum Style {
    Pretty,
    Minified,
    Odd,
}

fn quote(s: &str) -> String {
    let mut out = String::new();
    iamscope_syntax::json::write_json_string(s, &mut out);
    out
}

fn render(j: &J, style: Style) -> String {
    let mut out = String::new();
    write(j, style, 0, &mut out);
    if matches!(style, Style::Odd) {
        out.push_str(" \r\n\t");
    }
    out
}

fn newline(style: Style, depth: usize, out: &mut String) {
    match style {
        Style::Pretty => {
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
        }
        Style::Minified => {}
        Style::Odd => {
            out.push_str("\r\n\t");
            out.push_str(&" ".repeat(depth % 3));
        }
    }
}

fn write(j: &J, style: Style, depth: usize, out: &mut String) {
    match j {
        J::Str(s) => out.push_str(&quote(s)),
        J::Num(n) => out.push_str(n),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Null => out.push_str("null"),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(style, depth + 1, out);
                write(item, style, depth + 1, out);
            }
            if !items.is_empty() {
                newline(style, depth, out);
            }
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(style, depth + 1, out);
                out.push_str(&quote(k));
                out.push(':');
                if !matches!(style, Style::Minified) {
                    out.push(' ');
                }
                write(v, style, depth + 1, out);
            }
            if !members.is_empty() {
                newline(style, depth, out);
            }
            out.push('}');
        }
    }
}

/// Start offsets and lengths of the JSON tokens of `text` (valid JSON as rendered above).
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'"' => {
                let start = i;
                i += 1;
                while b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push((start, i - start));
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                out.push((i, 1));
                i += 1;
            }
            _ => {
                let start = i;
                while i < b.len() && !b" \t\r\n,:]}".contains(&b[i]) {
                    i += 1;
                }
                out.push((start, i - start));
            }
        }
    }
    out
}

/// (token index, offset in token) of a range start, and of a range end (the end of the token
/// holding its last byte).
fn locate(
    toks: &[(usize, usize)],
    offset: usize,
    is_end: bool,
    empty: bool,
) -> Option<(usize, usize)> {
    let probe = if is_end && !empty {
        offset.checked_sub(1)?
    } else {
        offset
    };
    let idx = toks.partition_point(|(s, _)| *s <= probe).checked_sub(1)?;
    let (s, len) = toks[idx];
    if probe >= s + len {
        return None; // in white space
    }
    Some((idx, offset - s))
}

type Mapped = (
    String,
    Option<(usize, usize)>,
    Option<(usize, usize)>,
    String,
);

fn diagnostics(text: &str, kind: PolicyKind) -> Vec<Mapped> {
    let toks = tokens(text);
    let result = lint(
        text,
        &LintOptions {
            kind: Some(kind),
            ..LintOptions::default()
        },
    );
    let mut out: Vec<Mapped> = result
        .diagnostics
        .into_iter()
        .map(|d| {
            let empty = d.range.start == d.range.end;
            (
                d.code,
                locate(&toks, d.range.start as usize, false, empty),
                locate(&toks, d.range.end as usize, true, empty),
                d.message,
            )
        })
        .collect();
    out.sort();
    out
}

fn s(v: &str) -> J {
    J::Str(v.to_string())
}

fn pick(values: &'static [&'static str]) -> impl Strategy<Value = J> {
    prop::sample::select(values).prop_map(s)
}

fn string_or_list(values: &'static [&'static str]) -> impl Strategy<Value = J> {
    prop_oneof![
        pick(values),
        prop::collection::vec(pick(values), 0..3).prop_map(J::Arr),
        Just(J::Num("42".into())),
    ]
}

fn principal() -> impl Strategy<Value = J> {
    let values: &'static [&'static str] = &[
        "123456789012",
        "arn:aws:iam::123456789012:role/ci/deployer",
        "arn:aws:sts::123456789012:assumed-role/deployer/s",
        "arn:aws:iam::*:root",
        "AROAJQABLZS4A3QDU576Q",
        "<ACCOUNT_ID>",
        "*",
        "arn:aws:iam::123456789012:saml-provider/okta",
        "accounts.google.com",
        "rolesanywhere.amazonaws.com",
        "bad value",
        "arn:aws:iam::${aws:PrincipalAccount}:root",
    ];
    let keys: &'static [&'static str] = &[
        "AWS",
        "Service",
        "Federated",
        "CanonicalUser",
        "aws",
        "Account",
    ];
    prop_oneof![
        Just(s("*")),
        Just(s("123456789012")),
        Just(J::Obj(vec![])),
        Just(J::Num("7".into())),
        prop::collection::vec((prop::sample::select(keys), string_or_list(values)), 1..3)
            .prop_map(|m| J::Obj(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
    ]
}

fn condition() -> impl Strategy<Value = J> {
    let ops: &'static [&'static str] = &[
        "StringEquals",
        "StringLike",
        "StringEqual",
        "NullIfExists",
        "Null",
        "ForAnyValue:Null",
        "Bool",
        "BoolIfExists",
        "NumericLessThan",
        "ForAllValues:StringLike",
        "ForAnyValue:StringEqualsIfExists",
        "ArnLike",
        "ForEach:StringEquals",
    ];
    let keys: &'static [&'static str] = &[
        "aws:TagKeys",
        "aws:SourceIp",
        "aws:sourceip",
        "s3:prefix",
        "aws:SecureTransport",
        "aws:PrincipalArn",
    ];
    let values = prop_oneof![
        pick(&[
            "x",
            "true",
            "false",
            "${aws:username}",
            "${}",
            "${aws: x}",
            "home/${aws:username",
            "203.0.113.0/24",
            "caf\u{e9}",
            "\u{201c}q\u{201d}"
        ]),
        prop::collection::vec(pick(&["true", "false", "a*", "${aws:userid}"]), 0..3)
            .prop_map(J::Arr),
        Just(J::Num("5".into())),
        Just(J::Bool(true)),
        Just(J::Null),
    ];
    let block = prop::collection::vec((prop::sample::select(keys), values), 0..3)
        .prop_map(|m| J::Obj(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
    prop::collection::vec((prop::sample::select(ops), block), 0..3)
        .prop_map(|m| J::Obj(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
}

fn statement() -> impl Strategy<Value = J> {
    let actions: &'static [&'static str] = &[
        "s3:GetObject",
        "sts:AssumeRole",
        "sts:TagSession",
        "sts:*",
        "iam:${aws:PrincipalTag/a}",
        "*",
    ];
    let resources: &'static [&'static str] = &[
        "*",
        "arn:aws:s3:::b/${aws:username}/*",
        "s3:::x",
        "arn:yolo:s3:::b",
        "arn:aws:sqs:us-east-1:<ID>:q",
        "arn:aws:s3:*",
        "ARN:aws:s3:::x",
        "arn:aws:s3:::b/${*}",
        "arn:aws:s3:::reports\u{2013}2024",
    ];
    let element = prop_oneof![
        pick(&["A1", "dup", "", "bad sid", "Dup"]).prop_map(|v| ("Sid".to_string(), v)),
        pick(&["Allow", "Deny", "allow"]).prop_map(|v| ("Effect".to_string(), v)),
        pick(&["Allow", "Deny"]).prop_map(|v| ("Effect".to_string(), v)),
        principal().prop_map(|v| ("Principal".to_string(), v)),
        principal().prop_map(|v| ("NotPrincipal".to_string(), v)),
        string_or_list(actions).prop_map(|v| ("Action".to_string(), v)),
        string_or_list(actions).prop_map(|v| ("NotAction".to_string(), v)),
        string_or_list(resources).prop_map(|v| ("Resource".to_string(), v)),
        string_or_list(resources).prop_map(|v| ("NotResource".to_string(), v)),
        condition().prop_map(|v| ("Condition".to_string(), v)),
        Just(("Foo".to_string(), J::Null)),
    ];
    prop::collection::vec(element, 0..7).prop_map(J::Obj)
}

fn policy() -> impl Strategy<Value = J> {
    let version = prop_oneof![
        Just(Some(s("2012-10-17"))),
        Just(Some(s("2012-10-17"))),
        Just(Some(s("2008-10-17"))),
        Just(Some(s("2024-01-01"))),
        Just(Some(J::Num("2012".into()))),
        Just(None),
    ];
    let statements = prop_oneof![
        prop::collection::vec(statement(), 0..4).prop_map(J::Arr),
        statement(),
    ];
    (version, statements, any::<bool>()).prop_map(|(v, st, id)| {
        let mut members = Vec::new();
        if let Some(v) = v {
            members.push(("Version".to_string(), v));
        }
        if id {
            members.push(("Id".to_string(), s("policy-1")));
        }
        members.push(("Statement".to_string(), st));
        J::Obj(members)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn diagnostics_survive_reformatting(p in policy(), kind in prop::sample::select(PolicyKind::ALL.to_vec())) {
        let pretty = render(&p, Style::Pretty);
        let minified = render(&p, Style::Minified);
        let odd = render(&p, Style::Odd);
        let a = diagnostics(&pretty, kind);
        for d in &a {
            prop_assert!(d.1.is_some() && d.2.is_some(), "{} has a range in white space:\n{}", d.0, pretty);
        }
        prop_assert_eq!(&a, &diagnostics(&minified, kind), "pretty vs minified:\n{}\n{}", pretty, minified);
        prop_assert_eq!(&a, &diagnostics(&odd, kind), "pretty vs odd:\n{}", pretty);
    }
}

#[test]
fn token_mapping_is_exact() {
    let text = "{\n  \"a\": [1, \"x\"]\n}";
    let toks = tokens(text);
    assert_eq!(toks.len(), 9);
    // The string "x" (with quotes) starts at 13.
    assert_eq!(locate(&toks, 13, false, false), Some((6, 0)));
    assert_eq!(locate(&toks, 16, true, false), Some((6, 3)));
    assert_eq!(locate(&toks, 1, false, false), None);
}
