//! Parse + lower + lint of the whole AWS managed-policy corpus (1,568 policies, 4.5 MB), beside
//! serde_json's bare parse of the same bytes, in MB/s.
//!
//! `cargo bench -p iamscope-lint --bench parse_validate`

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iamscope_lint::{LintOptions, PolicyKind, lint};

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/aws-managed-policies");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("managed policies")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let options = LintOptions {
        kind: Some(PolicyKind::Identity),
        ..LintOptions::default()
    };
    let mut g = c.benchmark_group("managed_corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("serde_json_parse", |b| {
        b.iter(|| {
            for t in &texts {
                let v: serde_json::Value = serde_json::from_str(t).expect("json");
                std::hint::black_box(v);
            }
        })
    });
    g.bench_function("parse", |b| {
        let limits = iamscope_syntax::Limits::default();
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(iamscope_syntax::parse(t, &limits).is_ok());
            }
        })
    });
    g.bench_function("parse_lower", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(iamscope_policy::parse_policy(t).diagnostics.len());
            }
        })
    });
    g.bench_function("parse_lower_grammar_rules", |b| {
        let catalog = iamscope_catalog::Catalog::embedded();
        b.iter(|| {
            for t in &texts {
                let parsed = iamscope_policy::parse_policy(t);
                let Some(policy) = &parsed.policy else {
                    continue;
                };
                let cx =
                    iamscope_lint::Context::new(t, policy, PolicyKind::Identity, false, catalog);
                let mut out = parsed.diagnostics.clone();
                for rule in iamscope_lint::rules::grammar::RULES {
                    rule.check(&cx, &mut out);
                }
                std::hint::black_box(out.len());
            }
        })
    });
    g.bench_function("lint_all_rules", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(lint(t, &options).diagnostics.len());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
