//! Lints every policy of a folder once to warm the process (the catalog's lazily built indexes),
//! then `passes` more times in `measured_pass`, for an instruction count of the steady-state
//! whole-corpus lint that the shared machine's load does not disturb:
//!
//! `valgrind --tool=callgrind --toggle-collect=corpus_pass::measured_pass target/release/examples/corpus_pass tests/corpus/aws-managed-policies`
//!
//! Prints the number of findings, so a pass cannot be optimised away.

use iamscope_lint::{LintOptions, lint};

#[inline(never)]
fn measured_pass(texts: &[String], options: &LintOptions) -> usize {
    texts
        .iter()
        .map(|t| lint(std::hint::black_box(t), options).diagnostics.len())
        .sum()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "tests/corpus/aws-managed-policies".into());
    let passes: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read the folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect();
    let options = LintOptions::default();
    let warm: usize = texts
        .iter()
        .map(|t| lint(t, &options).diagnostics.len())
        .sum();
    let mut n = 0;
    for _ in 0..passes {
        n = measured_pass(&texts, &options);
    }
    println!(
        "{} policies, {warm} findings warm, {n} measured",
        texts.len()
    );
}
