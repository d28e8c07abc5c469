//! Binary size probe, with the catalog: see docs/benchmarks.md (## Catalog).
fn main() {
    let cat = iamscope_catalog::Catalog::embedded();
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "s3:GetObject".into());
    println!("{:?}", cat.action(&name).map(|a| a.access_level()));
}
