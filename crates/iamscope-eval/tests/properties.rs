//! Invariants of the evaluation logic over random scenarios:
//! - adding a Deny statement anywhere never turns a non-Allow into Allow;
//! - adding an Allow to an identity policy never changes an ExplicitDeny;
//! - adding an SCP level never turns an ImplicitDeny into Allow;
//! - a prepared policy set gives exactly the unprepared result.

mod support;

use iamscope_eval::{Decision, EvalResult, PreparedPolicySet, Scenario, simulate};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::random::{Gen, extra_resource_statement, extra_statement};

fn run(v: &Value) -> EvalResult<'static> {
    let text = v.to_string();
    let s = Scenario::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    simulate(&s)
        .unwrap_or_else(|e| panic!("{e:?}\n{text}"))
        .into_owned()
}

fn policy(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// Adds `st` to a layer chosen by `which` (creating the layer's policy when absent).
fn add_statement(s: &mut Value, which: u8, st: Value, resource_st: Value) {
    let p = &mut s["policies"];
    match which % 7 {
        0 => match p.get_mut("identity").and_then(Value::as_array_mut) {
            Some(ids) if !ids.is_empty() => ids[0]["Statement"].as_array_mut().unwrap().push(st),
            _ => p["identity"] = json!([policy(vec![st])]),
        },
        1 => match p.get_mut("resource") {
            Some(r) if r.is_object() => r["Statement"].as_array_mut().unwrap().push(resource_st),
            _ => p["resource"] = policy(vec![resource_st]),
        },
        2 => match p.get_mut("boundary") {
            Some(r) if r.is_object() => r["Statement"].as_array_mut().unwrap().push(st),
            _ => p["boundary"] = policy(vec![st]),
        },
        3 => match p.get_mut("session") {
            Some(r) if r.is_object() => r["Statement"].as_array_mut().unwrap().push(st),
            _ => p["session"] = policy(vec![st]),
        },
        4 => match p.get_mut("scp").and_then(Value::as_array_mut) {
            Some(levels) if !levels.is_empty() => {
                levels[0].as_array_mut().unwrap().push(policy(vec![st]))
            }
            _ => p["scp"] = json!([[policy(vec![st])]]),
        },
        5 => {
            let mut rst = resource_st;
            if let Some(o) = rst.as_object_mut() {
                o.remove("NotPrincipal");
            }
            rst["Principal"] = json!("*");
            match p.get_mut("rcp").and_then(Value::as_array_mut) {
                Some(levels) if !levels.is_empty() => {
                    levels[0].as_array_mut().unwrap().push(policy(vec![rst]))
                }
                _ => p["rcp"] = json!([[policy(vec![rst])]]),
            }
        }
        _ => {
            let mut rst = resource_st;
            if let Some(o) = rst.as_object_mut() {
                o.remove("NotPrincipal");
            }
            rst["Principal"] = json!("*");
            match p.get_mut("vpcEndpoint").and_then(Value::as_array_mut) {
                Some(v) if !v.is_empty() => v[0]["Statement"].as_array_mut().unwrap().push(rst),
                _ => p["vpcEndpoint"] = json!([policy(vec![rst])]),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn adding_a_deny_never_allows(seed in any::<u64>(), extra in any::<u64>(), which in any::<u8>()) {
        let mut s = Gen::new(seed).scenario();
        let before = run(&s).decision;
        add_statement(&mut s, which, extra_statement(extra, "Deny"), extra_resource_statement(extra, "Deny"));
        let after = run(&s).decision;
        if before != Decision::Allow {
            prop_assert_ne!(after, Decision::Allow, "{}", s);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny, "{}", s);
        }
    }

    #[test]
    fn adding_an_identity_allow_keeps_explicit_deny(seed in any::<u64>(), extra in any::<u64>()) {
        let mut s = Gen::new(seed).scenario();
        if run(&s).decision != Decision::ExplicitDeny {
            return Ok(());
        }
        add_statement(&mut s, 0, extra_statement(extra, "Allow"), json!(null));
        prop_assert_eq!(run(&s).decision, Decision::ExplicitDeny, "{}", s);
    }

    #[test]
    fn adding_an_scp_level_never_allows(seed in any::<u64>(), extra in any::<u64>()) {
        let mut s = Gen::new(seed).scenario();
        let before = run(&s).decision;
        let level = json!([policy(vec![extra_statement(extra, "Allow")]), policy(vec![extra_statement(extra ^ 1, "Deny")])]);
        let p = &mut s["policies"];
        match p.get_mut("scp").and_then(Value::as_array_mut) {
            Some(levels) => levels.push(level),
            None => p["scp"] = json!([level]),
        }
        let after = run(&s).decision;
        if before == Decision::ImplicitDeny {
            prop_assert_ne!(after, Decision::Allow, "{}", s);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny, "{}", s);
        }
    }

    #[test]
    fn prepared_equals_unprepared(seed in any::<u64>()) {
        let mut g = Gen::new(seed);
        let first = g.scenario();
        let text = first.to_string();
        let scenario = Scenario::parse(&text).unwrap();
        let prepared = PreparedPolicySet::new(&scenario.policies).unwrap();
        // The same policies with several requests (taken from other random scenarios).
        for _ in 0..8 {
            let mut other = g.scenario();
            other["policies"] = first["policies"].clone();
            let other_text = other.to_string();
            let s = Scenario::parse(&other_text).unwrap();
            let once = prepared.evaluate(&s.request).unwrap();
            let fresh = simulate(&s).unwrap();
            prop_assert_eq!(&once, &fresh);
            // The decision-only path agrees with the traced one.
            let v = prepared.decide(&s.request).unwrap();
            prop_assert_eq!(
                (v.decision, v.deciding_layer, v.deciding_level),
                (once.decision, once.deciding_layer, once.deciding_level)
            );
            // Evaluating twice gives the same result (no state leaks between requests).
            prop_assert_eq!(&prepared.evaluate(&s.request).unwrap(), &once);
            // The request's fields alone, with the derived keys apart or in the map: the same.
            let r = &s.request;
            let ra = r.resource_account.as_deref();
            let whole = prepared.evaluate_fields(&r.principal, &r.action, &r.resource, ra);
            let apart = prepared.evaluate_fields_derived_apart(&r.principal, &r.action, &r.resource, ra);
            match (whole, apart) {
                (Ok(whole), Ok((mut apart, derived))) => {
                    prop_assert!(apart.derived_context.is_empty());
                    prop_assert!(derived.windows(2).all(|w| w[0].0 < w[1].0), "{:?}", derived);
                    apart.derived_context = derived.into_iter().map(|(k, v)| (k.to_string(), vec![v.into_owned()])).collect();
                    prop_assert_eq!(apart, whole);
                }
                (whole, apart) => prop_assert_eq!(whole.err(), apart.err()),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// No input panics: arbitrary text as a scenario, and arbitrary principal, action, resource,
    /// context values and condition values in an otherwise valid scenario.
    #[test]
    fn no_input_panics(
        text in "\\PC{0,200}",
        principal in "(arn:aws:(iam|sts)::[0-9]{0,12}:[a-z/-]{0,20}|[a-z.]{0,20}|\\PC{0,20})",
        action in "(s3:[A-Za-z]{1,10}|\\PC{0,20})",
        resource in "(arn:[a-z0-9:/*?-]{0,30}|\\PC{0,20})",
        value in "\\PC{0,20}",
        op in "(String|Numeric|Date|Bool|Binary|IpAddress|NotIpAddress|Arn|Null)[A-Za-z]{0,12}",
        pattern in "[a-z0-9:*?${}'/, -]{0,30}",
    ) {
        let _ = iamscope_eval::simulate_text(&text);
        let s = json!({
            "policies": {
                "identity": [policy(vec![json!({
                    "Effect": "Allow", "Action": [pattern.clone(), "*"], "Resource": [pattern.clone(), "*"],
                    "Condition": {op.clone(): {"aws:x": [value.clone(), pattern.clone()]}}
                })])],
                "resource": policy(vec![json!({
                    "Effect": "Deny", "NotPrincipal": {"AWS": [pattern.clone(), principal.clone()]},
                    "Action": "*", "NotResource": pattern.clone(),
                    "Condition": {op.clone(): {"aws:x": value.clone()}}
                })])
            },
            "request": {"principal": principal, "action": action, "resource": resource,
                        "context": {"aws:x": [value.clone()], "aws:CurrentTime": value}}
        });
        let _ = iamscope_eval::simulate_text(&s.to_string());
    }
}
