//! The data-driven cases in tests/eval/cases: each file is a scenario with `expect` (the decision),
//! `doc` (the AWS page and section it encodes), and optionally `expectDecidingLayer`,
//! `expectDecidingLevel` and `expectMissingContextKeys`.

use std::path::PathBuf;

use iamscope_eval::{Scenario, simulate};
use serde_json::Value;

/// The reference pages a case may cite (../shared/reference), plus AWS URLs for facts from other
/// AWS pages.
const PAGES: &[&str] = &[
    "README.md",
    "access_policies_boundaries.md",
    "reference_policies_elements_action.md",
    "reference_policies_elements_condition.md",
    "reference_policies_elements_condition_operators.md",
    "reference_policies_elements_notaction.md",
    "reference_policies_elements_notprincipal.md",
    "reference_policies_elements_notresource.md",
    "reference_policies_elements_principal.md",
    "reference_policies_elements_resource.md",
    "reference_policies_elements_version.md",
    "reference_policies_evaluation-logic-cross-account.md",
    "reference_policies_evaluation-logic.md",
    "reference_policies_multi-value-conditions.md",
    "reference_policies_variables.md",
];

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/eval/cases")
}

fn check_doc(doc: &str) -> Result<(), String> {
    if doc.starts_with("https://docs.aws.amazon.com/") {
        return Ok(());
    }
    let (page, anchor) = doc
        .split_once('#')
        .ok_or_else(|| format!("doc {doc:?} must be <page>.md#<section>"))?;
    if !PAGES.contains(&page) || anchor.is_empty() {
        return Err(format!(
            "doc {doc:?} does not name a reference page and section"
        ));
    }
    Ok(())
}

#[test]
fn every_case_passes() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/eval/cases")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 150, "only {} cases", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let meta: Value = serde_json::from_str(&text).unwrap();
        if let Err(e) = check_doc(meta["doc"].as_str().unwrap_or("")) {
            failures.push(format!("{name}: {e}"));
            continue;
        }
        let scenario = match Scenario::parse(&text) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: scenario error {e:?}"));
                continue;
            }
        };
        if !scenario.warnings.is_empty() {
            failures.push(format!("{name}: warnings {:?}", scenario.warnings));
        }
        let Some(expect) = scenario.expect else {
            failures.push(format!("{name}: no expect"));
            continue;
        };
        let result = match simulate(&scenario) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: evaluation error {e:?}"));
                continue;
            }
        };
        if result.decision != expect {
            failures.push(format!(
                "{name}: expected {expect}, got {} ({:?}; {})",
                result.decision,
                result.deciding_layer,
                result.reasons.join(" / ")
            ));
            continue;
        }
        if let Some(layer) = meta.get("expectDecidingLayer").and_then(Value::as_str) {
            let got = result.deciding_layer.map(|l| l.as_str());
            if got != Some(layer) {
                failures.push(format!(
                    "{name}: expected deciding layer {layer}, got {got:?}"
                ));
            }
        }
        if let Some(level) = meta.get("expectDecidingLevel").and_then(Value::as_u64)
            && result.deciding_level != Some(level as usize)
        {
            {
                failures.push(format!(
                    "{name}: expected deciding level {level}, got {:?}",
                    result.deciding_level
                ));
            }
        }
        if let Some(keys) = meta
            .get("expectMissingContextKeys")
            .and_then(Value::as_array)
        {
            let mut want: Vec<String> = keys
                .iter()
                .filter_map(|k| k.as_str().map(str::to_ascii_lowercase))
                .collect();
            want.sort();
            let mut got: Vec<String> = result
                .missing_context_keys
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .collect();
            got.sort();
            if want != got {
                failures.push(format!(
                    "{name}: expected missing context keys {want:?}, got {got:?}"
                ));
            }
        }
        // Every result serialises.
        serde_json::to_string(&result).unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// `simulate` compiles only the statements the request's action can reach; the prepared set
/// compiles and indexes all of them. Over every case (and every case's policies with the actions
/// of the other cases), both give the same result, trace included, or the same errors.
#[test]
fn single_request_path_equals_the_prepared_path() {
    use iamscope_eval::PreparedPolicySet;
    let mut scenarios = Vec::new();
    for e in std::fs::read_dir(cases_dir()).expect("tests/eval/cases") {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            scenarios.push(Scenario::parse(&text).expect("a case parses"));
        }
    }
    scenarios.sort_by(|a, b| a.name.cmp(&b.name));
    let actions: Vec<String> = scenarios.iter().map(|s| s.request.action.clone()).collect();
    let mut compared = 0;
    for s in &scenarios {
        let prepared = PreparedPolicySet::new(&s.policies);
        for action in std::iter::once(&s.request.action).chain(actions.iter().step_by(7)) {
            let mut one = s.clone();
            one.request.action = action.clone();
            let fast = simulate(&one);
            let full = prepared.clone().and_then(|p| p.evaluate(&one.request));
            assert_eq!(fast, full, "{:?} with action {action}", s.name);
            compared += 1;
        }
    }
    assert!(compared > 1000, "{compared}");
}

/// A statement the request's action does not reach is not compiled by `simulate`, but its errors
/// are reported all the same (AWS rejects the whole policy).
#[test]
fn unreached_statements_still_report_errors() {
    use iamscope_eval::PreparedPolicySet;
    let policy = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
        {"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringEqualz":{"aws:SourceIp":"x"}}},
        {"Sid":"noeffect","Action":"ec2:StopInstances","Resource":"*"},
        {"Effect":"Deny","NotAction":"\u00e9c2:*","Resource":"*"},
        {"Effect":"Allow","Action":["S3:GET*","\u00e9:x","s?:List*"],"Resource":"*"}]}"#;
    let mut text = String::from(r#"{"policies":{"identity":["#);
    iamscope_syntax::json::write_json_string(policy, &mut text);
    text.push_str(r#"]},"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}"#);
    let s = Scenario::parse(&text).unwrap();
    let fast = simulate(&s);
    let full = PreparedPolicySet::new(&s.policies).and_then(|p| p.evaluate(&s.request));
    assert_eq!(fast, full);
    let errors = fast.expect_err("the policy has unevaluable statements");
    assert!(errors.len() >= 2, "{errors:?}");
    // a valid policy with the same shapes evaluates the same on both paths, for reached and
    // unreached statements alike
    let valid = text
        .replace(r#"\"StringEqualz\""#, r#"\"StringEquals\""#)
        .replace(
            r#"{\"Sid\":\"noeffect\","#,
            r#"{\"Sid\":\"noeffect\",\"Effect\":\"Deny\","#,
        );
    for action in [
        "s3:GetObject",
        "S3:getobject",
        "ec2:RunInstances",
        "s3:ListBucket",
        "sqs:SendMessage",
    ] {
        let mut s = Scenario::parse(&valid).unwrap();
        s.request.action = action.into();
        let fast = simulate(&s);
        let full = PreparedPolicySet::new(&s.policies).and_then(|p| p.evaluate(&s.request));
        assert!(fast.is_ok(), "{fast:?}");
        assert_eq!(fast, full, "{action}");
    }
}
