//! Diffs pairs of AWS managed policies from tests/corpus (each with the next one in name order)
//! and prints the time, the counts and whether the result was exhaustive: a smoke run for
//! robustness and speed on real policies. `cargo run --release -p iamscope-diff --example
//! corpus_pairs [N]`.

use std::time::Instant;

use iamscope_diff::{DiffOptions, diff_policies};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/aws-managed-policies"
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let step = (files.len() / n.max(1)).max(1);
    let opts = DiffOptions::default();
    let mut worst = (0.0f64, String::new());
    for w in files.iter().step_by(step).collect::<Vec<_>>().windows(2) {
        let (a, b) = (w[0], w[1]);
        let (ta, tb) = (
            std::fs::read_to_string(a).unwrap_or_default(),
            std::fs::read_to_string(b).unwrap_or_default(),
        );
        let t = Instant::now();
        let r = diff_policies(&ta, &tb, &opts);
        let secs = t.elapsed().as_secs_f64();
        let name = format!(
            "{} -> {}",
            a.file_name().unwrap().to_string_lossy(),
            b.file_name().unwrap().to_string_lossy()
        );
        match r {
            Ok(r) => println!(
                "{secs:8.3}s  +{:<5} -{:<5} searched {:<6} evaluated {:<7} {}  {name}",
                r.added.len(),
                r.removed.len(),
                r.explored.actions_searched,
                r.explored.candidates_evaluated,
                if r.exhaustive {
                    "exhaustive"
                } else {
                    "sampled   "
                }
            ),
            Err(e) => println!("{secs:8.3}s  error {e}  {name}"),
        }
        if secs > worst.0 {
            worst = (secs, name);
        }
    }
    println!("slowest: {:.3}s {}", worst.0, worst.1);
}
