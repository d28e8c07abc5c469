//! The facade's exports, run as WebAssembly under Node by wasm-bindgen-test-runner:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p iamscope-wasm --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use iamscope_wasm as w;
use serde_json::Value;
use wasm_bindgen_test::*;

/// An answer (JSON text) as a value, for assertions.
fn json(text: String) -> Value {
    serde_json::from_str(&text).expect("JSON answer")
}

/// Options as the typed wrapper passes them: JSON text.
fn obj(json: &str) -> Option<String> {
    Some(json.to_string())
}

fn utf16_index(text: &str, needle: &str) -> u64 {
    text[..text.find(needle).expect("needle")]
        .encode_utf16()
        .count() as u64
}

/// A policy with an accented letter, a CJK character and an emoji (2 UTF-16 units, 4 bytes)
/// before its mistakes, on several lines.
const POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"caf\u{e9} \u{4e2d} \u{1F600}\",\n  \"Statement\": [{\"Sid\": \"\u{1F600}\", \"Effect\": \"Alow\",\n    \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}]\n}";

#[wasm_bindgen_test]
fn lint_ranges_are_utf16() {
    let report = json(w::lint_report(POLICY.as_bytes(), None).unwrap());
    let diags = report["diagnostics"].as_array().unwrap();
    let effect = diags
        .iter()
        .find(|d| d["code"] == "INVALID_EFFECT")
        .expect("INVALID_EFFECT");
    let start = &effect["range"]["start"];
    assert_eq!(start["offset"], utf16_index(POLICY, "\"Alow\""));
    assert_eq!(start["line"], 3);
    let line_start = utf16_index(POLICY, "  \"Statement\"");
    assert_eq!(
        start["column"].as_u64().unwrap(),
        utf16_index(POLICY, "\"Alow\"") - line_start
    );
    assert_eq!(
        effect["range"]["end"]["offset"].as_u64().unwrap(),
        start["offset"].as_u64().unwrap() + 6
    );
    // the bytes before it: 2 (é) + 3 (中) + 4 + 4 (emoji twice) = 13, UTF-16 units 1 + 1 + 2 + 2 = 6
    let bytes = POLICY.find("\"Alow\"").unwrap() as u64;
    assert!(w::lint_report(&[0xff, 0xfe], None).is_err());
    assert_eq!(bytes - start["offset"].as_u64().unwrap(), 7);
    assert!(diags.iter().any(|d| d["code"] != "INVALID_EFFECT"));
    assert_eq!(report["kind"], "identity");
}

#[wasm_bindgen_test]
fn lint_options_and_misuse() {
    let opts = obj(r#"{"select": ["INVALID_EFFECT"]}"#);
    let report = json(w::lint_report(POLICY.as_bytes(), opts).unwrap());
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["INVALID_EFFECT"]);
    // a typo in an option name is a misuse, not a silent no-op
    let bad = obj(r#"{"selct": ["X"]}"#);
    assert!(w::lint_report(POLICY.as_bytes(), bad).is_err());
    let bad_kind = obj(r#"{"kind": "nope"}"#);
    assert!(w::lint_report(POLICY.as_bytes(), bad_kind).is_err());
    assert!(w::lint_report(POLICY.as_bytes(), obj("3")).is_err());
    assert!(w::lint_report(POLICY.as_bytes(), obj(&"[".repeat(10_000))).is_err());
    let bad_kind = obj(r#"{"kind": "nope"}"#);
    assert!(w::lint_report(POLICY.as_bytes(), bad_kind).is_err());
    // not JSON at all: a diagnostic, not an error
    let report = json(w::lint_report("\u{1F600}{".as_bytes(), None).unwrap());
    assert_eq!(report["diagnostics"][0]["code"], "JSON_SYNTAX_ERROR");
    assert_eq!(report["diagnostics"][0]["range"]["start"]["offset"], 0);
}

#[wasm_bindgen_test]
fn lint_answer_misuse_is_an_error() {
    // (the answers' contents: npm/test/lint-answer.test.mjs against lintReport's JSON)
    assert_ne!(w::text_buffer(16), 0);
    assert!(w::lint_answer(0, None, 0).unwrap() != 0);
    assert!(w::lint_answer(0, None, 12345).unwrap() != 0);
    assert!(w::lint_answer(1 << 30, None, 0).is_err());
    assert!(w::lint_answer(0, obj(r#"{"selct": ["X"]}"#), 0).is_err());
    assert!(w::lint_answer(0, obj("3"), 0).is_err());
}

#[wasm_bindgen_test]
fn simulate_decides_and_traces_in_utf16() {
    let policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\u{1F600}\u{e9}\",\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::secret/*\"}]}";
    let scenario = |resource: &str| {
        serde_json::json!({
            "policies": {"identity": [policy]},
            "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": resource}
        })
        .to_string()
    };
    let allow: Value =
        serde_json::from_str(&w::simulate(scenario("arn:aws:s3:::open/k").as_bytes()).unwrap())
            .unwrap();
    assert_eq!(allow["decision"], "Allow");
    let deny: Value =
        serde_json::from_str(&w::simulate(scenario("arn:aws:s3:::secret/k").as_bytes()).unwrap())
            .unwrap();
    assert_eq!(deny["decision"], "ExplicitDeny");
    let statements = deny["layers"][0]["statements"].as_array().unwrap();
    let d = statements.iter().find(|s| s["effect"] == "Deny").unwrap();
    assert_eq!(
        d["range"]["start"]["offset"],
        utf16_index(policy, "{\"Effect\":\"Deny\"")
    );
    // a broken request is an answer with errors
    let broken: Value = serde_json::from_str(&w::simulate(b"{\"request\":{}}").unwrap()).unwrap();
    assert!(broken["decision"].is_null());
    assert!(!broken["errors"].as_array().unwrap().is_empty());
}

#[wasm_bindgen_test]
fn prepared_set_answers_like_simulate() {
    let policies = serde_json::json!({"identity": ["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ec2:Describe*\",\"Resource\":\"*\"}}"]});
    let p = w::prepare(policies.to_string().as_bytes()).unwrap();
    assert_eq!(json(p.errors().unwrap()), serde_json::json!([]));
    for (action, decision) in [
        ("ec2:DescribeInstances", "Allow"),
        ("ec2:RunInstances", "ImplicitDeny"),
    ] {
        let req = serde_json::json!({"principal": "arn:aws:iam::111122223333:role/r", "action": action, "resource": "*"});
        let a: Value = serde_json::from_str(&p.simulate(&req.to_string())).unwrap();
        assert_eq!(a["decision"], decision);
        let scenario = serde_json::json!({"policies": policies, "request": req});
        let b: Value =
            serde_json::from_str(&w::simulate(scenario.to_string().as_bytes()).unwrap()).unwrap();
        assert_eq!(a, b);
    }
}

#[wasm_bindgen_test]
fn editor_support_in_utf16() {
    let text = "{\"Id\":\"\u{1F600}\",\"Statement\":{\"Action\":\"s3:GetObj\"}}";
    let cursor = utf16_index(text, "Obj\"") as u32 + 3;
    let c = json(w::completions(text.as_bytes(), cursor).unwrap());
    assert_eq!(
        c["range"]["start"]["offset"],
        utf16_index(text, "s3:GetObj")
    );
    assert!(
        c["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["label"] == "s3:GetObject")
    );
    let h = json(w::hover(text.as_bytes(), cursor - 2).unwrap().unwrap());
    assert_eq!(h["kind"], "unknownAction");
    assert_eq!(
        h["range"]["start"]["offset"],
        utf16_index(text, "\"s3:GetObj")
    );
    assert!(w::hover(text.as_bytes(), 0).unwrap().is_none());
}

#[wasm_bindgen_test]
fn catalog_queries() {
    let info = json(w::catalog_info().unwrap());
    assert!(info["actions"].as_u64().unwrap() > 10_000);
    let a = json(w::describe_action("S3:getobject").unwrap().unwrap());
    assert_eq!(a["name"], "s3:GetObject");
    assert_eq!(a["accessLevel"], "Read");
    assert!(w::describe_action("s3:Nope").unwrap().is_none());
    let list = json(w::expand_action("s3:GetObject*").unwrap());
    assert!(list.as_array().unwrap().len() > 3);
    assert!(w::load_catalog(b"not a catalog").is_err());
    let rules = json(w::list_rules().unwrap());
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "MISSING_VERSION")
    );
}

#[wasm_bindgen_test]
fn access_diff_with_witness() {
    let old = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"\u{1F600}\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::logs/a*\"}}";
    let new = old.replace("logs/a*", "logs/*");
    let v: Value =
        serde_json::from_str(&w::diff_policies(old.as_bytes(), new.as_bytes(), None).unwrap())
            .unwrap();
    let change = &v["added"][0];
    assert_eq!(change["action"], "s3:GetObject");
    assert_eq!(
        change["newStatements"][0]["range"]["start"]["offset"],
        utf16_index(&new, "{\"Sid")
    );
    // the witness, re-checked by the evaluator through the same facade
    let scenario =
        serde_json::json!({"policies": {"identity": [new]}, "request": change["witness"]});
    let r: Value =
        serde_json::from_str(&w::simulate(scenario.to_string().as_bytes()).unwrap()).unwrap();
    assert_eq!(r["decision"], "Allow");
    assert!(w::diff_policies(old.as_bytes(), new.as_bytes(), obj(r#"{"account": "1"}"#)).is_err());
    let failed: Value =
        serde_json::from_str(&w::diff_policies(b"[", new.as_bytes(), None).unwrap()).unwrap();
    assert_eq!(failed["side"], "old");
}
