//! `iamscope summary` end to end: the least-privilege summary in text and JSON, and exit codes.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .output()
        .expect("run iamscope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn summary_counts_levels_per_service_and_wildcards() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:List*", "iam:PassRole"], "Resource": "*"}]}"#,
    );
    let (code, out, _) = run(&["summary", "--format", "json", &f]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let services = v["services"].as_array().unwrap();
    let iam = services.iter().find(|s| s["prefix"] == "iam").unwrap();
    assert_eq!(iam["allowed"], 1);
    assert_eq!(iam["levels"][0]["level"], "Write");
    let s3 = services.iter().find(|s| s["prefix"] == "s3").unwrap();
    assert!(
        s3["levels"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["level"] == "List")
    );
    assert_eq!(v["wildcards"][0]["pattern"], "s3:List*");
    assert_eq!(v["wildcards"][0]["expandsTo"], s3["allowed"]);
    let (code, out, _) = run(&["summary", &f]);
    assert_eq!(code, 0);
    assert!(out.contains("s3:List* ->"), "{out}");
    assert!(
        out.lines().any(|l| l.trim_start().starts_with("iam ")),
        "{out}"
    );
}

#[test]
fn summary_of_a_missing_or_non_json_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "bad.json", "{not json");
    assert_eq!(run(&["summary", &f]).0, 2);
    assert_eq!(run(&["summary", "/nonexistent/policy.json"]).0, 2);
}
