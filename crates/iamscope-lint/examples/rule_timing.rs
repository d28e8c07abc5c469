//! Time spent by each rule, the shared per-policy facts computed once beforehand, so a rule's
//! figure is its own cost. The slowest first. Used to find what to speed up; the figures are not
//! asserted anywhere.
//!
//! On one policy (default: the largest managed policy), each rule run `runs` times:
//! `cargo run --release -p iamscope-lint --example rule_timing [-- path/to/policy.json [runs]]`
//!
//! On a folder (e.g. the whole managed corpus), each rule's time summed over every policy of the
//! folder, the minimum of `runs` passes; plus the whole `lint` (parse included) and the bare parse:
//! `cargo run --release -p iamscope-lint --example rule_timing -- tests/corpus/aws-managed-policies [runs]`

use std::time::{Duration, Instant};

use iamscope_lint::{Catalog, Context, LintOptions, PolicyKind, lint, rules};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/corpus/aws-managed-policies/AWSSupportServiceRolePolicy.json"
        )
        .to_string()
    });
    let runs: Option<u32> = args.next().and_then(|s| s.parse().ok());
    if std::path::Path::new(&path).is_dir() {
        corpus(&path, runs.unwrap_or(5));
    } else {
        one(&path, runs.unwrap_or(50));
    }
}

fn one(path: &str, runs: u32) {
    let text = std::fs::read_to_string(path).expect("read the policy");
    let catalog = Catalog::embedded();
    let parsed = iamscope_policy::parse_policy(&text);
    let white_space = parsed.white_space;
    let Some(policy) = parsed.policy else {
        eprintln!("{path}: not a policy");
        std::process::exit(2);
    };
    // Shared facts first, timed on their own (the minimum over fresh contexts).
    let mut facts = Duration::MAX;
    for _ in 0..runs {
        let cx = Context::new(&text, &policy, PolicyKind::Identity, false, catalog);
        cx.derived.set_white_space(white_space);
        let t = Instant::now();
        cx.derived.prepare(&cx);
        facts = facts.min(t.elapsed());
    }
    let cx = Context::new(&text, &policy, PolicyKind::Identity, false, catalog);
    cx.derived.set_white_space(white_space);
    cx.derived.prepare(&cx);
    let mut rows = Vec::new();
    for rule in rules::all() {
        let mut best = Duration::MAX;
        let mut n = 0;
        for _ in 0..runs {
            let mut out = Vec::new();
            let t = Instant::now();
            rule.check(&cx, &mut out);
            best = best.min(t.elapsed());
            n = out.len();
        }
        rows.push((best, rule.meta().file, n));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let total: Duration = rows.iter().map(|r| r.0).sum();
    let options = LintOptions {
        kind: Some(PolicyKind::Identity),
        ..LintOptions::default()
    };
    let whole = min_of(runs, || {
        lint(&text, &options);
    });
    let parse = min_of(runs, || {
        iamscope_policy::parse_policy(&text);
    });
    println!(
        "{path}: {} bytes, {} statements (minimum of {runs} runs)",
        text.len(),
        policy.statements.len()
    );
    println!("whole lint: {whole:?} (parse + lowering {parse:?})");
    println!("shared facts (once): {facts:?}");
    println!("all rules: {total:?}");
    for (d, file, n) in rows.iter().take(25) {
        println!("{d:>12.2?}  {n:>4} findings  {file}");
    }
}

fn min_of(runs: u32, mut f: impl FnMut()) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
    }
    best
}

fn corpus(dir: &str, runs: u32) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read the folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let catalog = Catalog::embedded();
    let parsed: Vec<_> = texts
        .iter()
        .filter_map(|t| {
            let parsed = iamscope_policy::parse_policy(t);
            Some((t.as_str(), parsed.policy?, parsed.white_space))
        })
        .collect();
    let all = rules::all();
    let mut rule_best = vec![Duration::MAX; all.len()];
    let mut facts_best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..runs {
        let mut per_rule = vec![Duration::ZERO; all.len()];
        let mut facts = Duration::ZERO;
        findings = 0;
        for (text, policy, white_space) in &parsed {
            let cx = Context::new(text, policy, PolicyKind::Identity, false, catalog);
            cx.derived.set_white_space(*white_space);
            let t = Instant::now();
            cx.derived.prepare(&cx);
            facts += t.elapsed();
            let mut out = Vec::new();
            for (k, rule) in all.iter().enumerate() {
                let t = Instant::now();
                rule.check(&cx, &mut out);
                per_rule[k] += t.elapsed();
            }
            findings += out.len();
        }
        for (b, d) in rule_best.iter_mut().zip(per_rule) {
            *b = (*b).min(d);
        }
        facts_best = facts_best.min(facts);
    }
    let options = LintOptions {
        kind: Some(PolicyKind::Identity),
        ..LintOptions::default()
    };
    let whole = min_of(runs, || {
        for t in &texts {
            lint(t, &options);
        }
    });
    let parse = min_of(runs, || {
        for t in &texts {
            iamscope_policy::parse_policy(t);
        }
    });
    let mut rows: Vec<(Duration, &str)> = rule_best
        .iter()
        .zip(all)
        .map(|(d, r)| (*d, r.meta().file))
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let total: Duration = rows.iter().map(|r| r.0).sum();
    println!(
        "{dir}: {} policies, {} bytes, {findings} findings before finish (minimum of {runs} passes)",
        parsed.len(),
        texts.iter().map(String::len).sum::<usize>()
    );
    println!("whole lint: {whole:?} (parse + lowering {parse:?})");
    println!("shared facts: {facts_best:?}");
    println!("all rules: {total:?}");
    for (d, file) in rows.iter().take(25) {
        println!("{d:>12.2?}  {file}");
    }
}
