//! One request against ReadOnlyAccess (118 KB) + AmazonS3FullAccess + AWSCompromisedKeyQuarantineV2
//! (a Deny policy) from the corpus: unprepared (parse and compile the policies for every request)
//! and prepared (compiled once). `cargo bench -p iamscope-eval --bench simulate`; figures in
//! docs/benchmarks.md ("Simulate").

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iamscope_eval::{
    Decision, PolicySet, PolicySource, PreparedPolicySet, Request, Scenario, simulate,
};

fn corpus(name: &str) -> PolicySource {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/aws-managed-policies")
        .join(format!("{name}.json"));
    PolicySource::named(name, std::fs::read_to_string(path).expect("corpus policy"))
}

fn bench(c: &mut Criterion) {
    let set = PolicySet {
        identity: vec![
            corpus("ReadOnlyAccess"),
            corpus("AmazonS3FullAccess"),
            corpus("AWSCompromisedKeyQuarantineV2"),
        ],
        ..PolicySet::default()
    };
    let allow = Request::new(
        "arn:aws:iam::111122223333:user/alice",
        "s3:PutObject",
        "arn:aws:s3:::bucket/key",
    )
    .with_context("aws:SourceIp", ["203.0.113.9"]);
    let deny = Request::new(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::bucket/key",
    );
    let prepared = PreparedPolicySet::new(&set).expect("valid policies");
    assert_eq!(prepared.evaluate(&allow).unwrap().decision, Decision::Allow);
    assert_eq!(
        prepared.evaluate(&deny).unwrap().decision,
        Decision::ExplicitDeny
    );

    let mut g = c.benchmark_group("simulate");
    g.throughput(Throughput::Elements(1));
    let scenario = Scenario {
        policies: set.clone(),
        request: allow.clone(),
        expect: None,
        doc: None,
        name: None,
        warnings: Vec::new(),
    };
    g.bench_function(
        "unprepared, s3:PutObject (parse + compile + evaluate)",
        |b| b.iter(|| simulate(black_box(&scenario)).unwrap()),
    );
    g.bench_function("prepare (parse + compile + index)", |b| {
        b.iter(|| PreparedPolicySet::new(black_box(&set)).unwrap())
    });
    g.bench_function("prepared, s3:PutObject (Allow)", |b| {
        b.iter(|| prepared.evaluate(black_box(&allow)).unwrap())
    });
    g.bench_function("prepared, s3:GetObject (ExplicitDeny)", |b| {
        b.iter(|| prepared.evaluate(black_box(&deny)).unwrap())
    });
    g.bench_function("prepared decide (no trace), s3:PutObject (Allow)", |b| {
        b.iter(|| prepared.decide(black_box(&allow)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
