//! Pathological wildcard patterns, the ones that make a backtracking matcher exponential:
//! `*a*a*...*a*b` against `aaa...a` (no `b`: the classic), and `*a*a*...*a*b*` (the trailing
//! star defeats the cheap suffix check, so every segment is searched) against the same text.
//! Time should grow linearly with n; docs/benchmarks.md "Wildcard matching" has the figures.
//!
//! `cargo bench -p iamscope-policy --bench wildcard`

use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use iamscope_policy::wildcard::{Pattern, wildcard_match};

fn patterns(n: usize) -> (String, String, String) {
    let text = "a".repeat(n);
    let classic = format!("{}*b", "*a".repeat(n / 2));
    let open = format!("{}*b*", "*a".repeat(n / 2));
    (text, classic, open)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("wildcard");
    g.sample_size(20);
    for n in [1_000usize, 2_000, 4_000, 8_000, 16_000] {
        let (text, classic, open) = patterns(n);
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(BenchmarkId::new("classic_one_shot", n), &n, |b, _| {
            b.iter(|| wildcard_match(black_box(&classic), black_box(&text), false))
        });
        g.bench_with_input(BenchmarkId::new("trailing_star_one_shot", n), &n, |b, _| {
            b.iter(|| wildcard_match(black_box(&open), black_box(&text), false))
        });
        let p = Pattern::new(&open, true);
        g.bench_with_input(
            BenchmarkId::new("trailing_star_compiled_ignore_case", n),
            &n,
            |b, _| b.iter(|| p.matches(black_box(&text))),
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
