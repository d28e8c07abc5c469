//! `iamscope simulate`: decisions, formats, --expect exit codes, errors, batch mode.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iamscope"))
}

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/eval/cases")
}

fn case(name: &str) -> PathBuf {
    std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .ends_with(&format!("-{name}.json"))
        })
        .unwrap_or_else(|| panic!("no case {name}"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamscope-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn text_output_shows_decision_and_trace() {
    let p = case("carlos-logs-bucket-denied");
    let o = run(&["simulate", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with("Decision: ExplicitDeny (decided by identity)"),
        "{out}"
    );
    assert!(out.contains("Sid \"DenyS3Logs\""), "{out}");
    // Positions point into the scenario file.
    assert!(out.contains(&format!("{}:", p.display())), "{out}");
}

#[test]
fn json_output_is_the_result_object() {
    let p = case("missing-keys-several");
    let o = run(&["simulate", p.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["decision"], "ImplicitDeny");
    assert_eq!(
        v["missingContextKeys"],
        serde_json::json!(["aws:SourceIp", "aws:SourceVpc"])
    );
    assert_eq!(v["layers"][0]["layer"], "identity");
}

#[test]
fn expect_sets_the_exit_code() {
    let p = case("resource-grants-user-directly");
    let p = p.to_str().unwrap();
    assert_eq!(
        run(&["simulate", p, "--expect", "Allow"]).status.code(),
        Some(0)
    );
    let o = run(&["simulate", p, "--expect", "ImplicitDeny"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("expected ImplicitDeny, got Allow"));
    assert_eq!(
        run(&[
            "simulate",
            p,
            "--expect",
            "ExplicitDeny",
            "--format",
            "json"
        ])
        .status
        .code(),
        Some(1)
    );
    // An unknown decision name is a usage error.
    assert_eq!(
        run(&["simulate", p, "--expect", "Deny"]).status.code(),
        Some(2)
    );
}

#[test]
fn every_case_file_passes_through_the_cli() {
    let mut n = 0;
    for entry in std::fs::read_dir(cases_dir()).unwrap() {
        let p = entry.unwrap().path();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let expect = v["expect"].as_str().unwrap();
        let o = run(&[
            "simulate",
            p.to_str().unwrap(),
            "--expect",
            expect,
            "--format",
            "json",
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        n += 1;
    }
    assert!(n >= 150);
}

#[test]
fn invalid_json_is_exit_2_with_position() {
    let p = write_temp("bad.json", "{\"policies\": {}, \"request\": ");
    let o = run(&["simulate", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.json:1:"), "{err}");
    let o = run(&["simulate", p.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["decision"].is_null());
    assert_eq!(v["errors"][0]["code"], "JSON_SYNTAX_ERROR");
}

#[test]
fn policy_errors_name_the_policy_and_position() {
    let text = r#"{
  "policies": {"identity": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]},
                            {"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:*", "Resource": "*"}]}]},
  "request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}
}"#;
    let p = write_temp("policy-error.json", text);
    let o = run(&["simulate", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("policy-error.json:3:"), "{err}");
    assert!(err.contains("identity policy 1"), "{err}");
    assert!(err.contains("INVALID_EFFECT"), "{err}");
}

#[test]
fn request_errors_are_reported() {
    let text =
        r#"{"policies": {}, "request": {"principal": "bob", "action": "s3*", "resource": "*"}}"#;
    let p = write_temp("request-error.json", text);
    let o = run(&["simulate", p.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["/request/principal", "/request/action"]);
}

#[test]
fn missing_file_is_exit_2() {
    assert_eq!(
        run(&["simulate", "/nonexistent/scenario.json"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn stdin_and_batch() {
    let one = std::fs::read_to_string(case("resource-grants-user-directly")).unwrap();
    let mut child = bin()
        .args(["simulate", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(one.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["decision"], "Allow");

    let compact = |p: PathBuf| -> String {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        v.to_string()
    };
    let lines = format!(
        "{}\n\n{}\nnot json\n",
        compact(case("resource-grants-user-directly")),
        compact(case("scp-deny-overrides-identity"))
    );
    let p = write_temp("batch.jsonl", &lines);
    let o = run(&["simulate", "--batch", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let out: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["decision"], "Allow");
    assert_eq!(out[1]["decision"], "ExplicitDeny");
    assert!(out[2]["decision"].is_null());
}
