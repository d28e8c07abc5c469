//! The corpus (tests/corpus): AWS accepted every managed policy, so the full `lint` gives none of
//! them an ERROR; the two invalid-JSON examples fail at the documented positions; every grammar
//! finding on the examples has a judgement, and docs/corpus-report.md's grammar section is fresh.

#[path = "support/grammar_corpus.rs"]
mod grammar_corpus;

use iamscope_lint::{FindingType, LintOptions, PolicyKind, lint};
use iamscope_syntax::LineIndex;

#[test]
fn managed_policies_have_no_errors() {
    let dir = grammar_corpus::root().join("tests/corpus/aws-managed-policies");
    let mut n = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("managed policies")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("read");
        n += 1;
        let result = lint(
            &text,
            &LintOptions {
                kind: Some(PolicyKind::Identity),
                ..LintOptions::default()
            },
        );
        assert!(result.policy.is_some(), "{} is not JSON", path.display());
        for d in result
            .diagnostics
            .iter()
            .filter(|d| d.finding_type == FindingType::Error)
        {
            failures.push(format!(
                "{}: {} at {}: {}",
                path.file_name().unwrap().to_string_lossy(),
                d.code,
                d.pointer,
                d.message
            ));
        }
    }
    assert_eq!(n, 1568);
    assert!(
        failures.is_empty(),
        "{} errors on AWS managed policies:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn invalid_json_examples_fail_at_the_offending_character() {
    let dir = grammar_corpus::root().join("tests/corpus/examples/invalid-json");
    // (file, 1-based line, 1-based column, what is there)
    let cases = [
        (
            "cloud-foundations-templates__kms-key-policy-for-org-config.json",
            39,
            5,
            "}",
        ),
        (
            "service-control-policy-examples__deny-service-specific-credential-by-type.json",
            15,
            13,
            "/",
        ),
    ];
    for (file, line, col, at) in cases {
        let text = std::fs::read_to_string(dir.join(file)).expect("read");
        let result = lint(&text, &LintOptions::default());
        assert_eq!(
            result.diagnostics.len(),
            1,
            "{file}: {:?}",
            result.diagnostics
        );
        let d = &result.diagnostics[0];
        assert_eq!(d.code, "JSON_SYNTAX_ERROR", "{file}");
        let index = LineIndex::new(&text);
        let lc = index.line_col(&text, d.range.start);
        assert_eq!(
            (lc.line + 1, lc.col_utf16 + 1),
            (line, col),
            "{file}: {}",
            d.message
        );
        assert_eq!(d.range.slice(&text), at, "{file}");
    }
}

#[test]
fn every_grammar_finding_on_the_examples_is_judged() {
    let judgements = grammar_corpus::judgements();
    let mut missing = Vec::new();
    for f in grammar_corpus::findings() {
        if grammar_corpus::judgement_for(&judgements, &f.file, &f.code).is_none() {
            missing.push(format!(
                "{}\t{}\t({}: {})",
                f.file, f.code, f.position, f.message
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "grammar findings without a judgement in tests/fixtures/grammar/corpus-judgements.tsv:\n{}",
        missing.join("\n")
    );
    assert_eq!(grammar_corpus::example_files().len(), 147);
}

#[test]
fn corpus_report_grammar_section_is_fresh() {
    let path = grammar_corpus::root().join("docs/corpus-report.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current.contains(&grammar_corpus::render()),
        "docs/corpus-report.md is stale: run `cargo run -p iamscope-lint --example corpus_report -- --write`"
    );
}
