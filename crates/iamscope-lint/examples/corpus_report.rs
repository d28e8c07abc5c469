//! Prints (or with `--write`, writes into docs/corpus-report.md) the grammar section of the corpus
//! report: every grammar finding on tests/corpus/examples with its judgement.
//!
//! `cargo run -p iamscope-lint --example corpus_report -- --write`

#[path = "../tests/support/grammar_corpus.rs"]
mod grammar_corpus;

fn main() {
    let write = std::env::args().any(|a| a == "--write");
    if write {
        let path = grammar_corpus::root().join("docs/corpus-report.md");
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        let updated = grammar_corpus::updated_report(&current);
        if let Err(e) = std::fs::write(&path, updated) {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2);
        }
        println!("wrote {}", path.display());
    } else {
        print!("{}", grammar_corpus::render());
    }
}
