//! Every rule's documentation is complete, its examples behave as documented, and the generated
//! docs/rules pages are fresh.

use iamscope_lint::{LintOptions, PolicyKind, docs, lint, rules};

#[test]
fn every_rule_has_docs_with_a_bad_and_a_good_example_that_behave() {
    let mut problems = Vec::new();
    for rule in rules::all() {
        let meta = rule.meta();
        let Some(doc) = docs::doc_of(meta.file) else {
            problems.push(format!("{}: no doc comment", meta.file));
            continue;
        };
        let codes: Vec<&str> = meta.codes.iter().map(|c| c.0).collect();
        for code in &codes {
            if !doc.contains(code) {
                problems.push(format!("{}: docs do not name {code}", meta.file));
            }
        }
        let examples = docs::examples(doc);
        if !examples.iter().any(|e| e.bad) || !examples.iter().any(|e| !e.bad) {
            problems.push(format!(
                "{}: needs a Bad and a Good json example",
                meta.file
            ));
        }
        for ex in examples {
            let kind = ex.kind.as_deref().map(|k| {
                PolicyKind::parse(k).unwrap_or_else(|| panic!("bad kind {k} in {}", meta.file))
            });
            let result = lint(
                &ex.text,
                &LintOptions {
                    kind,
                    ..LintOptions::default()
                },
            );
            let found: Vec<&str> = result.diagnostics.iter().map(|d| d.code.as_str()).collect();
            let hits = found.iter().filter(|c| codes.contains(c)).count();
            if ex.bad && hits == 0 {
                problems.push(format!(
                    "{}: Bad example gives {found:?}, none of {codes:?}\n{}",
                    meta.file, ex.text
                ));
            }
            if !ex.bad && hits > 0 {
                problems.push(format!(
                    "{}: Good example gives {found:?}\n{}",
                    meta.file, ex.text
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn codes_are_unique() {
    let mut seen = std::collections::BTreeSet::new();
    for r in docs::list_rules() {
        assert!(
            seen.insert(r.code),
            "code {} is declared by two rules",
            r.code
        );
    }
}

#[test]
fn generated_docs_are_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
    let mut stale = Vec::new();
    for (path, content) in docs::generated_files() {
        let on_disk = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        if on_disk != content {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated docs (run `cargo run -p iamscope-cli -- rules --write-docs docs`): {stale:?}"
    );
}
