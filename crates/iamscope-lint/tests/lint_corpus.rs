//! The catalog/security section of docs/corpus-report.md is fresh, and every code that fires on
//! the corpus (managed policies and examples) has a judgement in
//! tests/fixtures/lint/corpus-judgements.tsv.

#[path = "support/lint_corpus.rs"]
mod lint_corpus;

#[test]
fn every_code_that_fires_is_judged_and_the_section_is_fresh() {
    let managed = lint_corpus::managed();
    let examples = lint_corpus::examples();
    let missing = lint_corpus::unjudged(&[&managed, &examples]);
    assert!(
        missing.is_empty(),
        "codes without a judgement in tests/fixtures/lint/corpus-judgements.tsv: {missing:?}"
    );
    let path = lint_corpus::root().join("docs/corpus-report.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        lint_corpus::updated_report(&current),
        current,
        "docs/corpus-report.md is stale: run `cargo run -p iamscope-lint --release --example lint_corpus_report -- --write`"
    );
}
