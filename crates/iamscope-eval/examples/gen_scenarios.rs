//! Writes random scenarios as JSON lines, for the differential test against
//! @cloud-copilot/iam-simulate (tests/differential/run.mjs).
//!
//! `cargo run --release -p iamscope-eval --example gen_scenarios -- --seed 20261128 --count 5000`

#[path = "../tests/support/random.rs"]
mod random;

fn main() {
    let mut seed: u64 = 20261128;
    let mut count: usize = 5000;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--seed", Some(v)) => seed = v.parse().expect("--seed takes a number"),
            ("--count", Some(v)) => count = v.parse().expect("--count takes a number"),
            (other, _) => {
                eprintln!("unknown argument {other}; usage: gen_scenarios [--seed N] [--count N]");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let mut g = random::Gen::new(seed);
    for _ in 0..count {
        println!("{}", g.scenario());
    }
}
