//! `parse_policy_keeping_actions` (the evaluator's one-request path) against `parse_policy`: the
//! same diagnostics, and the same model once the full model's `Action`/`NotAction` lists are
//! filtered with the same predicate. Over every JSON file under tests/ (the managed corpus, the
//! grammar and lint fixtures, which include malformed policies) and a few hand-made shapes.

use std::path::{Path, PathBuf};

use iamscope_policy::{ParsedPolicy, parse_policy, parse_policy_keeping_actions};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// The full parse with each action list filtered by `keep` (items and their source indexes).
fn filtered(mut full: ParsedPolicy, keep: &dyn Fn(&str) -> bool) -> ParsedPolicy {
    if let Some(p) = &mut full.policy {
        for st in &mut p.statements {
            if let Some(a) = &mut st.action {
                let (items, index): (Vec<_>, Vec<_>) = a
                    .items
                    .drain(..)
                    .zip(a.source_index.drain(..))
                    .filter(|(i, _)| keep(&i.value))
                    .unzip();
                a.items = items;
                a.source_index = index;
            }
        }
    }
    full
}

fn check(text: &str, keep: &dyn Fn(&str) -> bool, what: &str) -> usize {
    let kept = parse_policy_keeping_actions(text, keep);
    let want = filtered(parse_policy(text), keep);
    assert_eq!(kept.diagnostics, want.diagnostics, "{what}: diagnostics");
    assert_eq!(kept.policy, want.policy, "{what}: model");
    kept.policy
        .iter()
        .flat_map(|p| &p.statements)
        .filter_map(|s| s.action.as_ref())
        .map(|a| a.items.len())
        .sum()
}

#[test]
fn same_diagnostics_and_model_as_the_full_parse_filtered() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    assert!(paths.len() > 2000, "{} files", paths.len());
    let s3 = |a: &str| a.to_ascii_lowercase().starts_with("s3:");
    let none = |_: &str| false;
    let all = |_: &str| true;
    let mut kept = 0;
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        let what = p.display().to_string();
        kept += check(&text, &s3, &what);
        assert_eq!(check(&text, &none, &what), 0, "{what}");
        check(&text, &all, &what);
    }
    // The s3 predicate keeps some items and drops others.
    assert!(kept > 100, "{kept}");
}

#[test]
fn shapes_of_action_elements() {
    let keep = |a: &str| a.starts_with("s3:");
    for text in [
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run*","Resource":"*"}}"#,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}"#,
        r#"{"Statement":[{"Effect":"Allow","NotAction":["ec2:*",7,"s3:Put*",null],"Resource":"*"}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":[],"NotAction":["s3:x"],"Resource":"*"}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":{"s3":1},"Resource":"s3:Get*"}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:a","Action":["ec2:b","s3:c"]}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":["s3:a","s3:a","ec2:b"],"Resource":["s3:z"]}"#,
        r#"["s3:a"]"#,
    ] {
        check(text, &keep, text);
    }
}
