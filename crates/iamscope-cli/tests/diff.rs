//! `iamscope diff` and `iamscope check-not-granted`: exit codes, text and JSON output, policy
//! sets, bad input.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .current_dir(cases())
        .output()
        .unwrap()
}

fn cases() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/diff/cases")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn new_access_exits_1_with_a_witness_line() {
    let o = run(&["diff", "add-action/old.json", "add-action/new.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("new access: s3:DeleteObject on arn:aws:s3:::logs/"),
        "{t}"
    );
    assert!(t.contains("(statement 0 \"Logs\")"), "{t}");
    assert!(t.contains("exhaustive"), "{t}");
}

#[test]
fn no_new_access_exits_0() {
    for case in ["same-reordered", "narrow-resource"] {
        let o = run(&[
            "diff",
            &format!("{case}/old.json"),
            &format!("{case}/new.json"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{case}: {}", text(&o));
    }
    let t = text(&run(&[
        "diff",
        "narrow-resource/old.json",
        "narrow-resource/new.json",
    ]));
    assert!(t.contains("removed access: s3:GetObject"), "{t}");
}

#[test]
fn json_output_is_the_result() {
    let o = run(&[
        "diff",
        "resource-add-principal/old.json",
        "resource-add-principal/new.json",
        "--kind",
        "resource",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = &v["added"][0]["witness"];
    assert_eq!(w["action"], "s3:GetObject");
    assert!(w["principal"].as_str().unwrap().contains("555566667777"));
    assert!(v["explored"]["candidatesEvaluated"].as_u64().unwrap() > 0);
    assert!(v.get("exhaustive").is_some() && v.get("sampled").is_some());
}

#[test]
fn scenario_files_are_diffed_as_policy_sets() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    let allow = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}"#;
    std::fs::write(
        &old,
        format!(r#"{{"policies":{{"identity":[{allow}]}},"request":{{"principal":"arn:aws:iam::111122223333:user/a","action":"sqs:SendMessage","resource":"*"}}}}"#),
    )
    .unwrap();
    std::fs::write(
        &new,
        format!(r#"{{"policies":{{"identity":[{allow}],"scp":[[{allow}]]}}}}"#),
    )
    .unwrap();
    // the SCP allows only SendMessage, which was all the identity policy allowed: no change
    let o = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn check_not_granted() {
    let o = run(&[
        "check-not-granted",
        "remove-deny/new.json",
        "--action",
        "s3:DeleteObject",
        "--resource",
        "arn:aws:s3:::b/*",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("granted: s3:DeleteObject on arn:aws:s3:::b/"));
    let o = run(&[
        "check-not-granted",
        "remove-deny/old.json",
        "--action",
        "s3:DeleteObject",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["granted"].as_array().unwrap().len(), 0);
    assert_eq!(v["exhaustive"], true);
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"Statement\": [").unwrap();
    let o = run(&["diff", bad.to_str().unwrap(), "add-action/new.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!o.stderr.is_empty());
    let o = run(&["diff", "missing.json", "add-action/new.json"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["diff", "a", "b", "--kind", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check-not-granted", "add-action/new.json"]);
    assert_eq!(o.status.code(), Some(2));
}
