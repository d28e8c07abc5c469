//! Prints a [`Policy`] model back to JSON text: `Version`, `Id`, then `Statement` (an array or a
//! single object, as written), each statement's elements in the canonical order `Sid`, `Effect`,
//! `Principal`/`NotPrincipal`, `Action`/`NotAction`, `Resource`/`NotResource`, `Condition`.
//! Strings and arrays keep the shape they had (`is_array`); condition values keep their JSON type
//! (string, boolean, number as written). Elements the model does not hold (unknown keys, items
//! that were not strings) are not printed; a list left without items prints as `[]`.
//!
//! `parse_policy(&print_policy(&m))` gives back a model equal to `m` except for ranges (the
//! property test in tests/print_roundtrip.rs checks it on the corpus and on generated policies).

use crate::model::{
    ConditionElement, ConditionValue, Policy, PrincipalElement, PrincipalValue, Spanned, Statement,
    ValueList,
};
use iamscope_syntax::json::write_json_string;

/// The policy as pretty-printed JSON (two-space indent, `\n` line ends, no trailing newline).
pub fn print_policy(policy: &Policy) -> String {
    let mut out = String::new();
    let mut members: Vec<Member<'_>> = Vec::new();
    if let Some(v) = &policy.version {
        members.push(("Version".into(), Box::new(move |o, _| str_(o, &v.value))));
    }
    if let Some(id) = &policy.id {
        members.push(("Id".into(), Box::new(move |o, _| str_(o, &id.value))));
    }
    if policy.statement_element.is_some() {
        members.push((
            "Statement".into(),
            Box::new(|o, ind| {
                if policy.statement_is_array {
                    array(o, ind, &policy.statements, statement);
                } else if let Some(s) = policy.statements.first() {
                    statement(o, ind, s);
                } else {
                    o.push_str("[]");
                }
            }),
        ));
    }
    object(&mut out, 0, &members);
    out
}

/// Writes a value at an indentation level.
type Writer<'a> = Box<dyn Fn(&mut String, usize) + 'a>;
type Member<'a> = (String, Writer<'a>);

fn indent(o: &mut String, n: usize) {
    o.push('\n');
    for _ in 0..n {
        o.push_str("  ");
    }
}

fn str_(o: &mut String, s: &str) {
    write_json_string(s, o);
}

fn object(o: &mut String, ind: usize, members: &[Member<'_>]) {
    if members.is_empty() {
        o.push_str("{}");
        return;
    }
    o.push('{');
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        indent(o, ind + 1);
        str_(o, k);
        o.push_str(": ");
        v(o, ind + 1);
    }
    indent(o, ind);
    o.push('}');
}

fn array<T>(o: &mut String, ind: usize, items: &[T], f: impl Fn(&mut String, usize, &T)) {
    if items.is_empty() {
        o.push_str("[]");
        return;
    }
    o.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        indent(o, ind + 1);
        f(o, ind + 1, item);
    }
    indent(o, ind);
    o.push(']');
}

fn strings<S: AsRef<str>>(o: &mut String, ind: usize, is_array: bool, items: &[Spanned<S>]) {
    match (is_array, items) {
        (false, [one]) => str_(o, one.value.as_ref()),
        _ => array(o, ind, items, |o, _, s| str_(o, s.value.as_ref())),
    }
}

fn value_list<'a>(members: &mut Vec<Member<'a>>, list: &'a ValueList) {
    members.push((
        list.name.to_string(),
        Box::new(move |o, ind| strings(o, ind, list.is_array, &list.items)),
    ));
}

fn principal<'a>(members: &mut Vec<Member<'a>>, p: &'a PrincipalElement) {
    members.push((
        p.name.to_string(),
        Box::new(move |o, ind| match &p.value {
            PrincipalValue::Wildcard(_) => o.push_str("\"*\""),
            PrincipalValue::Map(entries) => {
                let ms: Vec<Member<'_>> = entries
                    .iter()
                    .map(|e| {
                        let f: Writer<'_> =
                            Box::new(move |o, ind| strings(o, ind, e.is_array, &e.values));
                        (e.key.value.clone(), f)
                    })
                    .collect();
                object(o, ind, &ms);
            }
        }),
    ));
}

fn condition_value(o: &mut String, v: &ConditionValue) {
    match v {
        ConditionValue::String(s) => str_(o, s),
        ConditionValue::Bool(b) => o.push_str(if *b { "true" } else { "false" }),
        ConditionValue::Number(n) => o.push_str(n),
    }
}

fn condition<'a>(members: &mut Vec<Member<'a>>, c: &'a ConditionElement) {
    members.push((
        "Condition".into(),
        Box::new(move |o, ind| {
            let blocks: Vec<Member<'_>> = c
                .blocks
                .iter()
                .map(|b| {
                    let f: Writer<'_> = Box::new(move |o, ind| {
                        let entries: Vec<Member<'_>> = b
                            .entries
                            .iter()
                            .map(|e| {
                                let f: Writer<'_> =
                                    Box::new(move |o, ind| match (e.is_array, &e.values[..]) {
                                        (false, [one]) => condition_value(o, &one.value),
                                        _ => array(o, ind, &e.values, |o, _, v| {
                                            condition_value(o, &v.value)
                                        }),
                                    });
                                (e.key.value.clone(), f)
                            })
                            .collect();
                        object(o, ind, &entries);
                    });
                    (b.operator.value.clone(), f)
                })
                .collect();
            object(o, ind, &blocks);
        }),
    ));
}

fn statement(o: &mut String, ind: usize, s: &Statement) {
    let mut members: Vec<Member<'_>> = Vec::new();
    if let Some(sid) = &s.sid {
        members.push(("Sid".into(), Box::new(move |o, _| str_(o, &sid.value))));
    }
    if let Some(e) = &s.effect {
        members.push((
            "Effect".into(),
            Box::new(move |o, _| str_(o, e.value.as_str())),
        ));
    }
    if let Some(p) = &s.principal {
        principal(&mut members, p);
    }
    if let Some(a) = &s.action {
        value_list(&mut members, a);
    }
    if let Some(r) = &s.resource {
        value_list(&mut members, r);
    }
    if let Some(c) = &s.condition {
        condition(&mut members, c);
    }
    object(o, ind, &members);
}
