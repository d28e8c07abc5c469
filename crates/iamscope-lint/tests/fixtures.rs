//! Runs every fixture folder under tests/fixtures/grammar/<CODE>/ (format: tests/fixtures/README.md).
//!
//! Each file is linted with the kind from expect.json; the diagnostics of grammar rules must be
//! exactly the expected ones (code and 1-based line/column range, and the covered text when given).
//! Every `invalid*.json` must produce the folder's code, `valid.json` must not, and every code a
//! grammar rule declares must have a folder.
//!
//! `IAMSCOPE_BLESS=1 cargo test -p iamscope-lint --test fixtures` rewrites the expectations from
//! the actual output (review the diff before committing).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use iamscope_lint::{LintOptions, PolicyKind, lint, rules};
use iamscope_syntax::{Diagnostic, LineIndex};
use serde_json::{Value, json};

fn fixtures_root(group: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(group)
}

fn grammar_codes() -> BTreeSet<&'static str> {
    rules::grammar::RULES
        .iter()
        .flat_map(|r| r.meta().codes.iter().map(|c| c.0))
        .collect()
}

fn position(index: &LineIndex, text: &str, offset: u32) -> Value {
    let lc = index.line_col(text, offset);
    json!({"line": lc.line + 1, "column": lc.col_utf16 + 1})
}

fn describe(index: &LineIndex, text: &str, d: &Diagnostic) -> Value {
    json!({
        "code": d.code,
        "range": {
            "start": position(index, text, d.range.start),
            "end": position(index, text, d.range.end),
        },
        "text": d.range.slice(text),
    })
}

/// Sort key of an expectation: code, then range.
fn key(v: &Value) -> String {
    format!(
        "{:?}|{}|{}|{}|{}",
        v["code"].as_str(),
        v["range"]["start"]["line"],
        v["range"]["start"]["column"],
        v["range"]["end"]["line"],
        v["range"]["end"]["column"]
    )
}

/// The expectation without the optional `text` (compared separately when present).
fn strip_text(v: &Value) -> Value {
    json!({"code": v["code"], "range": v["range"]})
}

/// The codes of every other rule group (catalog, security, redundancy, ...): tests/fixtures/lint/.
fn lint_codes() -> BTreeSet<&'static str> {
    let grammar = grammar_codes();
    rules::all()
        .iter()
        .flat_map(|r| r.meta().codes.iter().map(|c| c.0))
        .filter(|c| !grammar.contains(c))
        .collect()
}

#[test]
fn grammar_fixtures() {
    run("grammar", grammar_codes());
}

#[test]
fn lint_fixtures() {
    run("lint", lint_codes());
}

fn run(group: &str, codes: BTreeSet<&'static str>) {
    let bless = std::env::var_os("IAMSCOPE_BLESS").is_some();
    let mut problems = Vec::new();
    let mut folders = BTreeSet::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_root(group))
        .expect("tests/fixtures/<group>")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let code = dir.file_name().unwrap().to_string_lossy().to_string();
        folders.insert(code.clone());
        if !codes.contains(code.as_str()) {
            problems.push(format!(
                "{code}: folder for a code no {group} rule declares"
            ));
        }
        let expect_path = dir.join("expect.json");
        let Ok(expect_text) = std::fs::read_to_string(&expect_path) else {
            problems.push(format!("{code}: no expect.json"));
            continue;
        };
        let mut expect: Value = match serde_json::from_str(&expect_text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{code}: expect.json: {e}"));
                continue;
            }
        };
        let default_kind = expect["kind"].as_str().unwrap_or("identity").to_string();
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("fixture folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".json") && n != "expect.json")
            .collect();
        on_disk.sort();
        if !on_disk.iter().any(|n| n.starts_with("invalid"))
            || !on_disk.contains(&"valid.json".to_string())
        {
            problems.push(format!("{code}: needs invalid.json and valid.json"));
        }
        for name in &on_disk {
            let text = std::fs::read_to_string(dir.join(name)).expect("fixture");
            let kind_name = expect["kinds"][name.as_str()]
                .as_str()
                .unwrap_or(&default_kind)
                .to_string();
            let Some(kind) = PolicyKind::parse(&kind_name) else {
                problems.push(format!("{code}/{name}: unknown kind {kind_name}"));
                continue;
            };
            let result = lint(
                &text,
                &LintOptions {
                    kind: Some(kind),
                    ..LintOptions::default()
                },
            );
            let index = LineIndex::new(&text);
            let mut actual: Vec<Value> = result
                .diagnostics
                .iter()
                .filter(|d| codes.contains(d.code.as_str()))
                .map(|d| describe(&index, &text, d))
                .collect();
            actual.sort_by_key(key);
            if bless {
                expect["files"][name.as_str()] = Value::Array(actual.clone());
            }
            let Some(expected) = expect["files"][name.as_str()].as_array() else {
                problems.push(format!("{code}/{name}: not listed in expect.json"));
                continue;
            };
            let mut expected = expected.clone();
            expected.sort_by_key(key);
            let a: Vec<Value> = actual.iter().map(strip_text).collect();
            let e: Vec<Value> = expected.iter().map(strip_text).collect();
            if a != e {
                problems.push(format!(
                    "{code}/{name} ({kind_name}): expected\n  {}\nfound\n  {}",
                    serde_json::to_string(&e).unwrap(),
                    serde_json::to_string(&actual).unwrap()
                ));
                continue;
            }
            for (ex, ac) in expected.iter().zip(&actual) {
                if let Some(t) = ex.get("text")
                    && t != &ac["text"]
                {
                    problems.push(format!(
                        "{code}/{name}: the range of {} covers {} , expected {}",
                        ex["code"], ac["text"], t
                    ));
                }
            }
            let has_code = actual.iter().any(|d| d["code"] == code.as_str());
            if name.starts_with("invalid") && !has_code {
                problems.push(format!("{code}/{name}: does not produce {code}"));
            }
            if name == "valid.json" && has_code {
                problems.push(format!("{code}/{name}: produces {code}"));
            }
        }
        if let Some(files) = expect["files"].as_object() {
            for listed in files.keys() {
                if !on_disk.contains(listed) {
                    problems.push(format!("{code}: expect.json lists missing file {listed}"));
                }
            }
        }
        if bless {
            std::fs::write(
                &expect_path,
                serde_json::to_string_pretty(&expect).expect("json") + "\n",
            )
            .expect("write expect.json");
        }
    }
    for code in &codes {
        if !folders.contains(*code) {
            problems.push(format!(
                "{code}: no fixture folder tests/fixtures/{group}/{code}/"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
