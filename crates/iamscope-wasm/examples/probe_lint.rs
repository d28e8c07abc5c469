fn main() {
    let ro =
        std::fs::read_to_string("tests/corpus/aws-managed-policies/ReadOnlyAccess.json").unwrap();
    let cat = iamscope_catalog::Catalog::embedded();
    let t = std::time::Instant::now();
    let parsed = iamscope_policy::parse_policy(&ro);
    println!("parse+lower {:?}", t.elapsed());
    let policy = parsed.policy.unwrap();
    let cx =
        iamscope_lint::Context::new(&ro, &policy, iamscope_lint::PolicyKind::Identity, true, cat);
    let mut times = vec![];
    for rule in iamscope_lint::rules::all() {
        let mut out = vec![];
        let t = std::time::Instant::now();
        rule.check(&cx, &mut out);
        times.push((t.elapsed(), rule.meta().file));
    }
    times.sort();
    for (t, f) in times.iter().rev().take(12) {
        println!("{t:?} {f}");
    }
}
