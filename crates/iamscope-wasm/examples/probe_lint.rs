//! Profiling aid: `cargo run --release -p iamscope-wasm --example probe_lint -- <policy.json> [runs]`
//! lints one policy (or every policy of a folder) natively `runs` times and prints the time per
//! run and, for one policy, the slowest rules. A third argument `facade` runs the facade's
//! `lintReport` instead of the bare `lint` (the answer's UTF-16 positions and JSON included), so
//! `valgrind --tool=callgrind` of the two gives the facade's share natively; `small` with a folder
//! lints only its policies under 200 bytes without a finding
//! (as `bench/node/lint-instructions.mjs`'s small rounds).
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "tests/corpus/aws-managed-policies/ReadOnlyAccess.json".into());
    let runs: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let modes: Vec<String> = args.collect();
    let facade = modes.iter().any(|m| m == "facade");
    let small = modes.iter().any(|m| m == "small");
    let o = iamscope_lint::LintOptions::default();
    let lint = |text: &str| {
        if facade {
            let answer = iamscope_wasm::lint_report(text.as_bytes(), None);
            std::hint::black_box(answer.is_ok());
        } else {
            std::hint::black_box(iamscope_lint::lint(text, &o));
        }
    };
    if std::path::Path::new(&path).is_dir() {
        let mut texts = Vec::new();
        for e in std::fs::read_dir(&path).expect("folder").flatten() {
            if e.path().extension().is_some_and(|x| x == "json") {
                texts.push(std::fs::read_to_string(e.path()).expect("policy file"));
            }
        }
        if small {
            texts.retain(|t| t.len() < 200 && iamscope_lint::lint(t, &o).diagnostics.is_empty());
        }
        let t = std::time::Instant::now();
        for _ in 0..runs {
            for text in &texts {
                lint(text);
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
    let t = std::time::Instant::now();
    for _ in 0..runs {
        lint(&text);
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
