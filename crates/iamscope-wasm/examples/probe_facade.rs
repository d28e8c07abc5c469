//! Profiling aid: the facade's prepared `simulate` and `decide` on ReadOnlyAccess, natively:
//! `cargo run --release -p iamscope-wasm --example probe_facade` (from the repository root).
fn main() {
    let dir = "tests/corpus/aws-managed-policies/";
    let ro = std::fs::read_to_string(format!("{dir}ReadOnlyAccess.json")).expect("corpus");
    let mut pol = String::from("{\"identity\":[");
    iamscope_syntax::json::write_json_string(&ro, &mut pol);
    pol.push_str("]}");
    let req = r#"{"principal":"arn:aws:iam::111122223333:user/alice","action":"ec2:DescribeInstances","resource":"*"}"#;
    let p = iamscope_wasm::sim::Prepared::new(&pol);
    let out = p.simulate(req);
    println!("answer: {} bytes", out.len());
    let n = 20_000;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(p.simulate(req));
    }
    println!("simulate: {:?} per request", t.elapsed() / n);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(p.decide(req));
    }
    println!("decide: {:?} per request", t.elapsed() / n);
    // the engine alone, for the facade's share
    let (set, _) = iamscope_eval::PolicySet::parse(&pol).expect("policies");
    let prepared = iamscope_eval::PreparedPolicySet::new(&set).expect("compiles");
    let (r, _) = iamscope_eval::Request::parse(req).expect("request");
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(prepared.evaluate(&r).ok());
    }
    println!("engine evaluate: {:?} per request", t.elapsed() / n);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(prepared.decide(&r).ok());
    }
    println!("engine decide: {:?} per request", t.elapsed() / n);
    let result = prepared.evaluate(&r).expect("evaluates");
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(serde_json::to_string(&result).ok());
    }
    println!("serde_json::to_string of the result: {:?}", t.elapsed() / n);
}
