//! Lint of the whole AWS managed-policy corpus (1,568 policies) with every rule, beside the bare
//! parse + lowering of the same texts; and the largest managed policy on its own.
//!
//! `cargo bench -p iamscope-lint --bench lint_corpus`

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iamscope_lint::{Catalog, LintOptions, PolicyKind, lint};

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/aws-managed-policies");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("managed policies")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(p).expect("read"),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(|t| t.1.len()).sum();
    let options = LintOptions {
        kind: Some(PolicyKind::Identity),
        ..LintOptions::default()
    };
    // Decode the catalog outside the timings.
    let _ = Catalog::embedded().actions().len();

    let mut g = c.benchmark_group("managed_corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("parse_and_lower", |b| {
        b.iter(|| {
            let mut n = 0;
            for (_, t) in &texts {
                n += iamscope_policy::parse_policy(t).diagnostics.len();
            }
            n
        })
    });
    g.bench_function("lint_all_rules", |b| {
        b.iter(|| {
            let mut n = 0;
            for (_, t) in &texts {
                n += lint(t, &options).diagnostics.len();
            }
            n
        })
    });
    g.finish();

    let (name, largest) = texts
        .iter()
        .max_by_key(|t| t.1.len())
        .expect("corpus not empty");
    let mut g = c.benchmark_group(format!("largest_{name}"));
    g.throughput(Throughput::Bytes(largest.len() as u64));
    g.bench_function("parse_and_lower", |b| {
        b.iter(|| iamscope_policy::parse_policy(largest).diagnostics.len())
    });
    g.bench_function("lint_all_rules", |b| {
        b.iter(|| lint(largest, &options).diagnostics.len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
