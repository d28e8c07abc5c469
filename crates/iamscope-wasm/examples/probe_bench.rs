//! Profiling aid: the Node benchmark's requests (bench/node/bench.mjs: ReadOnlyAccess +
//! AmazonS3FullAccess + a Deny, six requests) through the facade, natively. For instruction counts:
//! `valgrind --tool=callgrind target/release/examples/probe_bench <what> <n>` where `what` is
//! `simulate`, `decide`, `trace` (the buffer path of the npm wrapper: `simulateTrace`), `trace-same`
//! (`trace` with each request n / 6 times in a row, as bench.mjs asks), `decide-buffer`, `text` (the unprepared path with the whole document) or `parts` (the
//! unprepared path the npm wrapper takes for policies given as text: `simulateParts`).

#[path = "../../../bench/node/scenario.rs"]
mod scenario;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map(String::as_str).unwrap_or("simulate");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let scenario = scenario::load();
    let texts = &scenario.policies;
    let mut pol = String::from("{\"identity\":[");
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            pol.push(',');
        }
        iamscope_syntax::json::write_json_string(text, &mut pol);
    }
    pol.push_str("]}");
    let principal = &scenario.principal;
    let reqs: Vec<String> = scenario
        .requests
        .iter()
        .map(|(a, r)| format!(r#"{{"principal":"{principal}","action":"{a}","resource":"{r}"}}"#))
        .collect();
    let t = std::time::Instant::now();
    let mut bytes = 0;
    match what {
        "text" => {
            for i in 0..n {
                let r = &reqs[i % reqs.len()];
                let scenario = format!("{{\"policies\":{pol},\"request\":{r}}}");
                bytes += std::hint::black_box(iamscope_wasm::sim::simulate(&scenario)).len();
            }
        }
        "parts" => {
            let pointers = [
                "/policies/identity/0",
                "/policies/identity/1",
                "/policies/identity/2",
            ];
            let parts: Vec<(&str, &str)> = pointers
                .iter()
                .zip(texts)
                .map(|(p, t)| (*p, t.as_str()))
                .collect();
            for i in 0..n {
                let r = &reqs[i % reqs.len()];
                let skeleton = format!("{{\"policies\":{{\"identity\":[0,1,2]}},\"request\":{r}}}");
                let answer = iamscope_wasm::sim::simulate_parts(&skeleton, &parts);
                bytes += std::hint::black_box(answer.expect("an answer")).len();
            }
        }
        "trace-same" => {
            // `trace` with each request `n / 6` times in a row, as bench.mjs's prepared row asks
            let p = iamscope_wasm::sim::Prepared::new(&pol);
            let k = scenario.requests.len();
            for (a, r) in &scenario.requests {
                for _ in 0..n / k {
                    std::hint::black_box(p.trace_fields(principal, a, r, None, p.strings_held()));
                }
            }
        }
        "trace" | "decide-buffer" => {
            // the npm wrapper's path for fields-only requests: `simulateTrace` (the answer as
            // numbers) or `decideBuffer`, on the fields the buffer holds
            let p = iamscope_wasm::sim::Prepared::new(&pol);
            for i in 0..n {
                let (a, r) = &scenario.requests[i % scenario.requests.len()];
                if what == "trace" {
                    std::hint::black_box(p.trace_fields(principal, a, r, None, p.strings_held()));
                } else {
                    std::hint::black_box(p.decide_fields(principal, a, r, None));
                }
            }
        }
        "prepare" => {
            for _ in 0..n {
                std::hint::black_box(iamscope_wasm::sim::Prepared::new(&pol));
            }
        }
        _ => {
            let p = iamscope_wasm::sim::Prepared::new(&pol);
            for i in 0..n {
                let r = &reqs[i % reqs.len()];
                bytes += if what == "decide" {
                    std::hint::black_box(p.decide(r)).len()
                } else {
                    std::hint::black_box(p.simulate(r)).len()
                };
            }
        }
    }
    println!(
        "{what}: {:?} per call, {} bytes per answer",
        t.elapsed() / n as u32,
        bytes / n
    );
}
