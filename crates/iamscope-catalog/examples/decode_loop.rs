//! Decodes the embedded catalog in a loop, for profilers: `cargo run --release --example decode_loop`.
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    for _ in 0..n {
        std::hint::black_box(iamscope_catalog::Catalog::decode_embedded());
    }
}
