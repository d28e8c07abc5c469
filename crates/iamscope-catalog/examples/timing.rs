//! Quick min-of-N timings (robust on a busy machine): `cargo run --release --example timing`.
use iamscope_catalog::Catalog;
use std::time::{Duration, Instant};

fn min_of<T>(n: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// CPU time of this thread (Linux: /proc/thread-self/schedstat), which a busy machine inflates
/// far less than wall time.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn cpu_per_call<T>(n: u32, mut f: impl FnMut() -> T) -> Option<Duration> {
    let start = cpu_ns()?;
    for _ in 0..n {
        std::hint::black_box(f());
    }
    Some(Duration::from_nanos((cpu_ns()? - start) / u64::from(n)))
}

fn main() {
    let bytes = Catalog::embedded_bytes();
    println!(
        "decode, CPU time per call: {:?}",
        cpu_per_call(200, || Catalog::from_bytes(bytes).unwrap())
    );
    println!(
        "action lookup, CPU time:   {:?}",
        cpu_per_call(1_000_000, || Catalog::embedded()
            .action(std::hint::black_box("s3:GetObject"))
            .is_some())
    );
    println!(
        "expand *:Get*, CPU time:   {:?}",
        cpu_per_call(500, || Catalog::embedded().expand("*:Get*").len())
    );
    println!(
        "decode (first use):        {:?}",
        min_of(50, || Catalog::from_bytes(bytes).unwrap())
    );
    println!(
        "decode + ARN index:        {:?}",
        min_of(30, || Catalog::from_bytes(bytes)
            .unwrap()
            .resource_types_for_arn("arn:aws:s3:::b/k")
            .len())
    );
    let cat = Catalog::embedded();
    let per = |n: u32, d: Duration| d / n;
    println!(
        "action lookup:             {:?}",
        per(
            1000,
            min_of(50, || (0..1000)
                .filter(|_| cat.action(std::hint::black_box("s3:GetObject")).is_some())
                .count())
        )
    );
    println!(
        "action lookup (mixed case):{:?}",
        per(
            1000,
            min_of(50, || (0..1000)
                .filter(|_| cat
                    .action(std::hint::black_box("EC2:describeinstances"))
                    .is_some())
                .count())
        )
    );
    println!(
        "expand *:Get*:             {:?}",
        min_of(50, || cat.expand("*:Get*").len())
    );
    println!("expand *:Get* count:       {}", cat.expand("*:Get*").len());
    println!(
        "expand *Object*:           {:?}",
        min_of(20, || cat.expand("*Object*").len())
    );
    println!(
        "ARN -> types (ec2):        {:?}",
        min_of(200, || cat
            .resource_types_for_arn("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc")
            .len())
    );
    println!(
        "condition key templated:   {:?}",
        min_of(200, || cat.condition_key("aws:RequestTag/team"))
    );
}
