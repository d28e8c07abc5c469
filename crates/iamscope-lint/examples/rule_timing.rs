//! Time spent by each rule on one policy (default: the largest managed policy), the shared
//! per-policy facts computed once beforehand, so a rule's figure is its own cost. The slowest
//! first. Used to find what to speed up; the figures are not asserted anywhere.
//!
//! `cargo run --release -p iamscope-lint --example rule_timing [-- path/to/policy.json [runs]]`

use std::time::Instant;

use iamscope_lint::{Catalog, Context, PolicyKind, rules};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/corpus/aws-managed-policies/AWSSupportServiceRolePolicy.json"
        )
        .to_string()
    });
    let runs: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(50);
    let text = std::fs::read_to_string(&path).expect("read the policy");
    let catalog = Catalog::embedded();
    let parsed = iamscope_policy::parse_policy(&text);
    let Some(policy) = parsed.policy else {
        eprintln!("{path}: not a policy");
        std::process::exit(2);
    };
    let cx = Context::new(&text, &policy, PolicyKind::Identity, false, catalog);
    // Shared facts first, timed on their own.
    let t = Instant::now();
    for i in 0..policy.statements.len() {
        let _ = cx.statement_actions(i);
    }
    let facts = t.elapsed();
    let mut rows = Vec::new();
    for rule in rules::all() {
        let t = Instant::now();
        let mut n = 0;
        for _ in 0..runs {
            let mut out = Vec::new();
            rule.check(&cx, &mut out);
            n = out.len();
        }
        rows.push((t.elapsed() / runs, rule.meta().file, n));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let total: std::time::Duration = rows.iter().map(|r| r.0).sum();
    println!(
        "{path}: {} bytes, {} statements",
        text.len(),
        policy.statements.len()
    );
    println!("shared action expansion (once): {facts:?}");
    println!("all rules: {total:?} per run");
    for (d, file, n) in rows.iter().take(25) {
        println!("{d:>12.2?}  {n:>4} findings  {file}");
    }
}
