//! Property: parse(print(model)) round-trips. For every AWS managed policy, every example and
//! generated policies (valid and invalid pieces), printing the lowered model and parsing the
//! printed text gives a model that prints to the same text (the printed form holds every field
//! of the model except ranges), with the same statement count, sids, effects, element names and
//! values; and a policy without ERROR diagnostics prints to text without ERROR diagnostics.

use iamscope_policy::{Policy, parse_policy, print_policy};
use iamscope_syntax::FindingType;
use proptest::prelude::*;
use std::path::Path;

fn errors(text: &str) -> Vec<String> {
    parse_policy(text)
        .diagnostics
        .into_iter()
        .filter(|d| d.finding_type == FindingType::Error)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

/// The model without ranges, pointers and source indexes. A list without string items prints as
/// `[]` (the non-string scalar it came from is not in the model), so an empty list counts as an
/// array.
fn essence(p: &Policy) -> String {
    let mut s = format!(
        "{:?} {:?} {} {}\n",
        p.version.as_ref().map(|v| &v.value),
        p.id.as_ref().map(|v| &v.value),
        p.statement_element.is_some(),
        p.statement_is_array
    );
    for st in &p.statements {
        s.push_str(&format!(
            "{:?} {:?}",
            st.sid.as_ref().map(|v| &v.value),
            st.effect.as_ref().map(|v| v.value)
        ));
        for l in [&st.action, &st.resource].into_iter().flatten() {
            let items: Vec<_> = l.items.iter().map(|i| &i.value).collect();
            s.push_str(&format!(
                " {}{} {:?}",
                l.name,
                l.is_array || items.is_empty(),
                items
            ));
        }
        if let Some(pr) = &st.principal {
            s.push_str(&format!(" {} ", pr.name));
            match &pr.value {
                iamscope_policy::PrincipalValue::Wildcard(_) => s.push('*'),
                iamscope_policy::PrincipalValue::Map(es) => {
                    for e in es {
                        let vs: Vec<_> = e.values.iter().map(|v| &v.value).collect();
                        s.push_str(&format!(
                            "{}{}{:?};",
                            e.key.value,
                            e.is_array || vs.is_empty(),
                            vs
                        ));
                    }
                }
            }
        }
        if let Some(c) = &st.condition {
            for b in &c.blocks {
                s.push_str(&format!(" {}{{", b.operator.value));
                for e in &b.entries {
                    let vs: Vec<_> = e.values.iter().map(|v| &v.value).collect();
                    s.push_str(&format!(
                        "{}{}{:?};",
                        e.key.value,
                        e.is_array || vs.is_empty(),
                        vs
                    ));
                }
                s.push('}');
            }
        }
        s.push('\n');
    }
    s
}

fn check(text: &str) {
    let Some(m1) = parse_policy(text).policy else {
        return;
    };
    let printed = print_policy(&m1);
    let m2 = parse_policy(&printed)
        .policy
        .unwrap_or_else(|| panic!("printed text is not JSON:\n{printed}"));
    assert_eq!(essence(&m2), essence(&m1), "{printed}");
    assert_eq!(print_policy(&m2), printed);
    if errors(text).is_empty() {
        assert_eq!(errors(&printed), Vec::<String>::new(), "{printed}");
    }
}

#[test]
fn corpus_round_trips() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut n = 0;
    let mut dirs = vec![corpus.join("aws-managed-policies"), corpus.join("examples")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "json") {
                check(&std::fs::read_to_string(&p).unwrap());
                n += 1;
            }
        }
    }
    assert!(n > 1_500, "{n}");
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#""s3:GetObject""#.to_string()),
        Just(r#"["s3:Get*", "ec2:*"]"#.to_string()),
        Just(r#"[]"#.to_string()),
        Just(r#"42"#.to_string()),
        Just(r#"["a", 1, true]"#.to_string()),
        Just(r#""é😀\"\\\n\u0001""#.to_string()),
        "[a-z:*?]{0,8}".prop_map(|s| format!("{s:?}")),
    ]
}

fn cond_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("true".to_string()),
        Just("1.50e3".to_string()),
        Just(r#"["x", false, -0]"#.to_string()),
        Just(r#""v""#.to_string()),
        Just(r#"{"nested": 1}"#.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn generated_policies_round_trip(
        sid in proptest::option::of("[A-Za-z0-9 ]{0,6}"),
        effect in prop_oneof![Just("\"Allow\""), Just("\"Deny\""), Just("\"Alow\""), Just("1")],
        action in piece(),
        not_action in any::<bool>(),
        resource in proptest::option::of(piece()),
        principal in prop_oneof![
            Just(None),
            Just(Some(r#""*""#.to_string())),
            Just(Some(r#"{"AWS": ["arn:aws:iam::111122223333:root", "*"], "Service": "s3.amazonaws.com"}"#.to_string())),
            Just(Some(r#"{"Bogus": "x", "AWS": []}"#.to_string())),
        ],
        op in prop_oneof![Just("StringEquals"), Just("ForAnyValue:StringLike"), Just("NotAnOperator"), Just("BoolIfExists")],
        value in cond_value(),
        single in any::<bool>(),
    ) {
        let mut st = String::from("{");
        if let Some(sid) = &sid {
            st.push_str(&format!("\"Sid\": {sid:?}, "));
        }
        st.push_str(&format!("\"Effect\": {effect}, "));
        if let Some(p) = &principal {
            st.push_str(&format!("\"Principal\": {p}, "));
        }
        st.push_str(&format!("\"{}\": {action}, ", if not_action { "NotAction" } else { "Action" }));
        if let Some(r) = &resource {
            st.push_str(&format!("\"Resource\": {r}, "));
        }
        st.push_str(&format!("\"Condition\": {{\"{op}\": {{\"aws:UserAgent\": {value}}}}}}}"));
        let text = if single {
            format!(r#"{{"Version": "2012-10-17", "Statement": {st}}}"#)
        } else {
            format!(r#"{{"Version": "2012-10-17", "Id": "x", "Statement": [{st}, {st}]}}"#)
        };
        check(&text);
    }
}
