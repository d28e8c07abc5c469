//! Prints (or with `--write`, writes) docs/access-analyzer-coverage.md.
//!
//! `cargo run -p iamscope-lint --example coverage_doc -- --write`

#[path = "../tests/support/coverage.rs"]
mod coverage;

fn main() {
    let text = coverage::render();
    if std::env::args().any(|a| a == "--write") {
        let path = coverage::root().join("docs/access-analyzer-coverage.md");
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2);
        }
        println!("wrote {}", path.display());
    } else {
        print!("{text}");
    }
}
