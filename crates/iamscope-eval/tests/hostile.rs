//! Hostile input through the evaluator: each document gets an answer or errors with a clear
//! message, never a panic. No timing assertions: the wildcard cases would take longer than the
//! age of the universe with a backtracking matcher; the linear-time figures are in
//! docs/benchmarks.md ("Wildcard matching").

use iamscope_eval::{Decision, PolicySet, PolicySource, PreparedPolicySet, Request, simulate_text};

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

fn allow_with(statement_tail: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"{statement_tail}}}]}}"#
    )
}

fn eval(policy: &str, req: Request) -> Result<Decision, String> {
    let mut set = PolicySet::default();
    set.identity.push(PolicySource::new(policy));
    let p = PreparedPolicySet::new(&set).map_err(|e| {
        assert!(!e.is_empty());
        e.iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let r = p.evaluate(&req).map_err(|e| format!("{e:?}"))?;
    Ok(r.decision)
}

fn req() -> Request {
    Request::new(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/key")
}

#[test]
fn backtracking_wildcards_in_every_matched_field() {
    let n = 20_000;
    let text = "a".repeat(n);
    // `*a*a*...*a*b`: the classic; with a trailing star the suffix check cannot reject early.
    for pattern in [
        format!("{}*b", "*a".repeat(n / 2)),
        format!("{}*b*", "*a".repeat(n / 2)),
    ] {
        // in a condition value (StringLike)
        let policy = allow_with(&format!(
            r#","Condition":{{"StringLike":{{"aws:PrincipalTag/t":"{pattern}"}}}}"#
        ));
        let r = req().with_context("aws:PrincipalTag/t", [text.clone()]);
        assert_eq!(eval(&policy, r), Ok(Decision::ImplicitDeny));
        // in the Resource element, against a long resource ARN
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{pattern}"}}]}}"#
        );
        let r = Request::new(ALICE, "s3:GetObject", format!("arn:aws:s3:::{text}"));
        assert_eq!(eval(&policy, r), Ok(Decision::ImplicitDeny));
        // in the Action element, against a long action name
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:{pattern}","Resource":"*"}}]}}"#
        );
        let r = Request::new(ALICE, format!("s3:{text}"), "*");
        assert!(matches!(
            eval(&policy, r),
            Ok(Decision::ImplicitDeny) | Err(_)
        ));
    }
    // and the matching variant still matches
    let pattern = format!("{}*", "*a".repeat(n / 2));
    let policy = allow_with(&format!(
        r#","Condition":{{"StringLike":{{"aws:PrincipalTag/t":"{pattern}"}}}}"#
    ));
    let r = req().with_context("aws:PrincipalTag/t", [text.clone()]);
    assert_eq!(eval(&policy, r), Ok(Decision::Allow));
}

#[test]
fn five_thousand_conditions() {
    let keys: Vec<String> = (0..5_000)
        .map(|i| format!(r#""aws:PrincipalTag/k{i}":"v{i}""#))
        .collect();
    let policy = allow_with(&format!(
        r#","Condition":{{"StringEquals":{{{}}}}}"#,
        keys.join(",")
    ));
    let mut r = req();
    for i in 0..5_000 {
        r = r.with_context(format!("aws:PrincipalTag/k{i}"), [format!("v{i}")]);
    }
    // every key present and equal: allowed; one value off: not
    assert_eq!(eval(&policy, r.clone()), Ok(Decision::Allow));
    let r = r.with_context("aws:PrincipalTag/k4999", ["other"]);
    assert_eq!(eval(&policy, r), Ok(Decision::ImplicitDeny));
    // 5,000 operator blocks (each operator at most once in JSON, so spread over statements)
    let stmts: Vec<String> = (0..5_000)
        .map(|i| {
            format!(
                r#"{{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{{"NumericGreaterThan":{{"s3:max-keys":"{i}"}}}}}}"#
            )
        })
        .collect();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}},{}]}}"#,
        stmts.join(",")
    );
    let r = req().with_context("s3:max-keys", ["3"]);
    assert_eq!(eval(&policy, r), Ok(Decision::ExplicitDeny));
}

#[test]
fn one_megabyte_keys_and_values() {
    let big = "k".repeat(1 << 20);
    // A 1 MB condition key: beyond the string limit of the JSON reader, so the policy is
    // rejected with a message naming the limit, not evaluated.
    let policy = allow_with(&format!(
        r#","Condition":{{"StringEquals":{{"aws:PrincipalTag/{big}":"v"}}}}"#
    ));
    let err = eval(&policy, req()).unwrap_err();
    assert!(err.contains("limit") || err.contains("long"), "{err}");
    // A 1 MB context key and value in the request: evaluated (the policy does not use it).
    let r = req().with_context(format!("aws:PrincipalTag/{big}"), [big.clone()]);
    assert_eq!(eval(&allow_with(""), r), Ok(Decision::Allow));
    // A 1 MB action and resource in the request.
    let r = Request::new(ALICE, format!("s3:{big}"), format!("arn:aws:s3:::{big}"));
    let _ = eval(&allow_with(""), r);
}

#[test]
fn numbers_with_400_digits() {
    let digits = "9".repeat(400);
    for op in [
        "NumericLessThan",
        "NumericEquals",
        "NumericGreaterThanEquals",
    ] {
        let policy = allow_with(&format!(
            r#","Condition":{{"{op}":{{"s3:max-keys":"{digits}"}}}}"#
        ));
        let r = req().with_context("s3:max-keys", [digits.clone()]);
        match eval(&policy, r) {
            Ok(_) => {}
            Err(e) => assert!(!e.is_empty()),
        }
        // as a JSON number, not a string
        let policy = allow_with(&format!(
            r#","Condition":{{"{op}":{{"s3:max-keys":{digits}}}}}"#
        ));
        let r = req().with_context("s3:max-keys", ["1"]);
        let _ = eval(&policy, r);
    }
    let r = req().with_context("aws:CurrentTime", [digits.clone()]);
    let policy = allow_with(
        r#","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#,
    );
    let _ = eval(&policy, r);
}

#[test]
fn hostile_scenario_documents() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = simulate_text(&deep).unwrap_err();
    assert!(!e[0].message.is_empty());
    let deep = format!(
        r#"{{"policies":{{"identity":[{}]}},"request":{{}}}}"#,
        "{\"a\":".repeat(100_000)
    );
    let e = simulate_text(&deep).unwrap_err();
    assert!(
        e[0].message.contains("JSON") || e[0].message.contains("nest"),
        "{e:?}"
    );
    // 10,000 statements embedded in a scenario
    let stmt = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        vec![stmt; 10_000].join(",")
    );
    let scenario = format!(
        r#"{{"policies":{{"identity":[{policy}]}},"request":{{"principal":"{ALICE}","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}}}"#
    );
    assert_eq!(simulate_text(&scenario).unwrap().decision, Decision::Allow);
    // a scenario over the size limit
    let huge = format!(r#"{{"name":"{}"}}"#, "x".repeat(33 * 1024 * 1024));
    let e = simulate_text(&huge).unwrap_err();
    assert!(!e[0].message.is_empty());
}
