//! Minimum-of-many-runs timing of `parse_policy` (parse + lower), robust to a loaded machine:
//! the whole managed corpus, the largest managed policy and ReadOnlyAccess.
//!
//! `cargo run --release -p iamscope-policy --example parse_timing [rounds]`

use std::path::Path;
use std::time::{Duration, Instant};

fn min_time(rounds: usize, mut f: impl FnMut() -> usize) -> Duration {
    let mut best = Duration::MAX;
    let mut sink = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        sink += f();
        best = best.min(t.elapsed());
    }
    std::hint::black_box(sink);
    best
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/aws-managed-policies");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("managed policies")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("read");
    let largest = read("AWSSupportServiceRolePolicy.json");
    let readonly = read("ReadOnlyAccess.json");
    let limits = iamscope_syntax::Limits::default();
    // `parse_timing N profile`: only parse_policy over the corpus, for a profiler.
    if std::env::args().nth(2).as_deref() == Some("profile") {
        for _ in 0..rounds {
            for t in &texts {
                std::hint::black_box(iamscope_policy::parse_policy(t));
            }
        }
        return;
    }

    let report = |what: &str, len: usize, d: Duration| {
        println!(
            "{what:<40} {:>10.3} ms {:>8.1} MB/s",
            d.as_secs_f64() * 1e3,
            len as f64 / d.as_secs_f64() / 1e6
        );
    };
    let corpus_parse = min_time(rounds, || {
        texts
            .iter()
            .map(|t| usize::from(iamscope_syntax::parse(t, &limits).is_ok()))
            .sum()
    });
    report("corpus: parse (JSON tree)", bytes, corpus_parse);
    let corpus = min_time(rounds, || {
        texts
            .iter()
            .map(|t| iamscope_policy::parse_policy(t).diagnostics.len())
            .sum()
    });
    report("corpus: parse_policy", bytes, corpus);
    let r = rounds * 20;
    let l = min_time(r, || {
        iamscope_policy::parse_policy(&largest).diagnostics.len()
    });
    report("largest: parse_policy", largest.len(), l);
    let ro = min_time(r, || {
        iamscope_policy::parse_policy(&readonly).diagnostics.len()
    });
    report("ReadOnlyAccess: parse_policy", readonly.len(), ro);
}
