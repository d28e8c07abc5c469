//! Binary size probe, without the catalog (the baseline for size_with): see docs/benchmarks.md.
fn main() {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "s3:GetObject".into());
    println!("{:?}", Some(name.len()));
}
