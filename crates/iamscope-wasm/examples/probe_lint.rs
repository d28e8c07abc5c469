//! Profiling aid: `cargo run --release -p iamscope-wasm --example probe_lint -- <policy.json> [runs]`
//! lints one policy (or every policy of a folder) natively `runs` times and prints the time per
//! run and, for one policy, the slowest rules.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "tests/corpus/aws-managed-policies/ReadOnlyAccess.json".into());
    let runs: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    if std::path::Path::new(&path).is_dir() {
        let mut texts = Vec::new();
        for e in std::fs::read_dir(&path).expect("folder").flatten() {
            if e.path().extension().is_some_and(|x| x == "json") {
                texts.push(std::fs::read_to_string(e.path()).expect("policy file"));
            }
        }
        let o = iamscope_lint::LintOptions::default();
        let t = std::time::Instant::now();
        for _ in 0..runs {
            for text in &texts {
                std::hint::black_box(iamscope_lint::lint(text, &o));
            }
        }
        println!(
            "lint {} policies in {path}: {:?} per run",
            texts.len(),
            t.elapsed() / runs
        );
        return;
    }
    let text = std::fs::read_to_string(&path).expect("policy file");
    let o = iamscope_lint::LintOptions::default();
    let t = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(iamscope_lint::lint(&text, &o));
    }
    println!("lint {path}: {:?} per run", t.elapsed() / runs);
    let cat = iamscope_catalog::Catalog::embedded();
    let parsed = iamscope_policy::parse_policy(&text);
    let Some(policy) = parsed.policy else { return };
    let cx = iamscope_lint::Context::new(
        &text,
        &policy,
        iamscope_lint::PolicyKind::Identity,
        true,
        cat,
    );
    let mut times = vec![];
    for rule in iamscope_lint::rules::all() {
        let mut out = vec![];
        let t = std::time::Instant::now();
        rule.check(&cx, &mut out);
        times.push((t.elapsed(), rule.meta().file));
    }
    times.sort();
    for (t, f) in times.iter().rev().take(10) {
        println!("{t:>12?} {f}");
    }
}
