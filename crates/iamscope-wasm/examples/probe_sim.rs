use std::time::Instant;
fn main() {
    let dir = "tests/corpus/aws-managed-policies/";
    let ro = std::fs::read_to_string(format!("{dir}ReadOnlyAccess.json")).unwrap();
    let s3 = std::fs::read_to_string(format!("{dir}AmazonS3FullAccess.json")).unwrap();
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#;
    let mut pol = String::from("{\"identity\":[");
    for (i, p) in [ro.as_str(), s3.as_str(), deny].iter().enumerate() {
        if i > 0 {
            pol.push(',');
        }
        iamscope_syntax::json::write_json_string(p, &mut pol);
    }
    pol.push_str("]}");
    let req = r#"{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:DeleteBucket","resource":"arn:aws:s3:::b"}"#;
    let t = Instant::now();
    let (set, _) = iamscope_eval::PolicySet::parse(&pol).unwrap();
    println!("PolicySet::parse {:?}", t.elapsed());
    let t = Instant::now();
    let prepared = iamscope_eval::PreparedPolicySet::new(&set).unwrap();
    println!("PreparedPolicySet::new {:?}", t.elapsed());
    let (r, _) = iamscope_eval::Request::parse(req).unwrap();
    let n = 2000;
    let t = Instant::now();
    for _ in 0..n {
        let _ = prepared.evaluate(&r);
    }
    println!("evaluate {:?}/req", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n {
        let _ = iamscope_eval::Request::parse(req);
    }
    println!("Request::parse {:?}/req", t.elapsed() / n);
    let p = iamscope_wasm::sim::Prepared::new(&pol);
    let t = Instant::now();
    for _ in 0..n {
        let _ = p.simulate(req);
    }
    println!("facade prepared simulate {:?}/req", t.elapsed() / n);
    let t = Instant::now();
    let sources = iamscope_wasm::sim::Sources::new(&set);
    println!("Sources::new {:?}", t.elapsed());
    let _ = sources;
    let sc = format!("{{\"policies\":{pol},\"request\":{req}}}");
    for _ in 0..3 {
        let t = Instant::now();
        let v = iamscope_wasm::sim::simulate(&sc);
        println!("facade simulate text {:?} {}", t.elapsed(), v["decision"]);
    }
    let t = Instant::now();
    let sc2 = iamscope_eval::Scenario::parse(&sc).unwrap();
    println!("Scenario::parse {:?}", t.elapsed());
    let t = Instant::now();
    let _ = iamscope_eval::simulate(&sc2);
    println!("eval simulate {:?}", t.elapsed());
    for _ in 0..3 {
        let t = Instant::now();
        for _ in 0..20 {
            let _ = iamscope_eval::Scenario::parse(&sc).unwrap();
        }
        let a = t.elapsed() / 20;
        let t = Instant::now();
        for _ in 0..20 {
            let _ = iamscope_eval::simulate(&sc2);
        }
        let b = t.elapsed() / 20;
        let t = Instant::now();
        for _ in 0..20 {
            let _ = iamscope_wasm::sim::Sources::new(&sc2.policies);
        }
        let c = t.elapsed() / 20;
        let t = Instant::now();
        for _ in 0..20 {
            let _ = iamscope_wasm::sim::simulate(&sc);
        }
        let d = t.elapsed() / 20;
        println!("parse {a:?} simulate {b:?} sources {c:?} facade total {d:?}");
    }
}
#[allow(dead_code)]
fn unused() {}
