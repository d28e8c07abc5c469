//! Prints (or with `--write`, writes into docs/corpus-report.md) the catalog/security section of
//! the corpus report: counts per code on the AWS managed policies and on the examples, each code
//! with its judgement.
//!
//! `cargo run -p iamscope-lint --release --example lint_corpus_report -- --write`

#[path = "../tests/support/lint_corpus.rs"]
mod lint_corpus;

fn main() {
    if std::env::args().any(|a| a == "--write") {
        let path = lint_corpus::root().join("docs/corpus-report.md");
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        let updated = lint_corpus::updated_report(&current);
        if let Err(e) = std::fs::write(&path, updated) {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2);
        }
        println!("wrote {}", path.display());
    } else {
        print!("{}", lint_corpus::render());
    }
}
