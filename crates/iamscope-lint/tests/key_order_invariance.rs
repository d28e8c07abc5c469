//! Property: lint results do not depend on the order of keys in JSON objects. Every example and
//! every 4th AWS managed policy is re-rendered with the members of every object reversed, and
//! rotated by one; both twins must get the same diagnostics (code, finding type, JSON pointer,
//! message), as a multiset. Ranges move with the keys, so they are not compared; pointers name
//! the same element in both.

use iamscope_lint::{LintOptions, lint};
use iamscope_syntax::{Json, JsonKind, Limits, json::write_json_string, parse};
use std::path::Path;

#[derive(Clone, Copy)]
enum Order {
    Reversed,
    Rotated,
}

fn render(j: &Json, order: Order, out: &mut String) {
    match &j.kind {
        JsonKind::Null => out.push_str("null"),
        JsonKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JsonKind::Number(n) => out.push_str(n),
        JsonKind::String(s) => write_json_string(s, out),
        JsonKind::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                render(v, order, out);
            }
            out.push(']');
        }
        JsonKind::Object(members) => {
            let mut ms: Vec<_> = members.iter().collect();
            match order {
                Order::Reversed => ms.reverse(),
                Order::Rotated => {
                    if !ms.is_empty() {
                        ms.rotate_left(1)
                    }
                }
            }
            out.push('{');
            for (i, m) in ms.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(&m.key, out);
                out.push(':');
                render(&m.value, order, out);
            }
            out.push('}');
        }
    }
}

fn findings(text: &str) -> Vec<(String, String, String, String)> {
    let mut v: Vec<_> = lint(text, &LintOptions::default())
        .diagnostics
        .into_iter()
        .map(|d| {
            (
                d.code,
                format!("{:?}", d.finding_type),
                d.pointer,
                d.message,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn key_order_does_not_change_findings() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut files = Vec::new();
    let mut managed: Vec<_> = std::fs::read_dir(corpus.join("aws-managed-policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    managed.sort();
    files.extend(managed.into_iter().step_by(4));
    for kind in std::fs::read_dir(corpus.join("examples")).unwrap() {
        let kind = kind.unwrap().path();
        if kind.is_dir() {
            for f in std::fs::read_dir(kind).unwrap() {
                files.push(f.unwrap().path());
            }
        }
    }
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    assert!(files.len() > 400, "{}", files.len());
    let mut checked = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let Ok(json) = parse(&text, &Limits::default()) else {
            continue;
        };
        let base = findings(&text);
        for order in [Order::Reversed, Order::Rotated] {
            let mut twin = String::new();
            render(&json, order, &mut twin);
            assert_eq!(findings(&twin), base, "{} with reordered keys", f.display());
        }
        checked += 1;
    }
    assert!(checked > 400);
}
