//! `iamscope check` end to end: exit codes, the three formats, kind inference and configuration.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iamscope"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = bin()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run iamscope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

const GOOD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;

#[test]
fn exit_codes_follow_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.json", GOOD);
    write(
        dir.path(),
        "warn.json",
        r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    );
    let (code, out, _) = run(&["check", "good.json"], dir.path());
    assert_eq!(code, 0, "{out}");
    // MISSING_VERSION is a WARNING: below the default threshold (error), at --fail-on warning.
    let (code, out, _) = run(&["check", "warn.json"], dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("MISSING_VERSION"), "{out}");
    let (code, _, _) = run(&["check", "warn.json", "--fail-on", "warning"], dir.path());
    assert_eq!(code, 1);
    let (code, _, err) = run(&["check", "missing.json"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("missing.json"), "{err}");
    let (code, _, err) = run(&["check", "good.json", "--kind", "bogus"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("unknown policy kind"), "{err}");
}

#[test]
fn text_output_underlines_the_range() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n}\n",
    );
    let (code, out, _) = run(&["check", "p.json"], dir.path());
    assert_eq!(code, 1);
    assert!(out.contains("p.json:3:27: ERROR INVALID_EFFECT"), "{out}");
    assert!(
        out.contains(&format!("\n    | {}^^^^^^^\n", " ".repeat(26))),
        "{out}"
    );
}

#[test]
fn json_output_has_one_based_positions_and_pointers() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.json",
        "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Bogus\": 1}]}",
    );
    let (code, out, _) = run(&["check", "--format", "json", "p.json"], dir.path());
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = v[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "INVALID_POLICY_ELEMENT")
        .unwrap();
    assert_eq!(d["findingType"], "ERROR");
    assert_eq!(d["pointer"], "/Statement/0/Bogus");
    assert_eq!(d["range"]["start"]["line"], 2);
    assert_eq!(d["range"]["start"]["column"], 79);
    assert_eq!(v[0]["path"], "p.json");
    assert_eq!(v[0]["kind"], "identity");
}

#[test]
fn sarif_output_is_2_1_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.json", "{\"Statement\": []}");
    let (_, out, _) = run(&["check", "--format", "sarif", "p.json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "MISSING_STATEMENT" && r["level"] == "error")
    );
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "MISSING_VERSION"));
}

#[test]
fn kind_is_inferred_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "trust.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
    );
    let (_, out, _) = run(&["check", "trust.json"], dir.path());
    assert!(out.contains("kind inferred: trust"), "{out}");
    let (_, out, _) = run(
        &["check", "--format", "json", "trust.json", "--kind", "trust"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["kindInferred"], false);
}

#[test]
fn folders_config_select_and_ignore() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policies/a.json",
        r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    );
    write(dir.path(), "policies/nested/b.json", GOOD);
    write(dir.path(), "policies/package.json", r#"{"name": "x"}"#);
    write(dir.path(), "policies/other.json", r#"{"unrelated": true}"#);
    let (_, out, _) = run(&["check", "--format", "json", "policies"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["policies/a.json", "policies/nested/b.json"]);
    let (_, out, _) = run(
        &["check", "policies", "--ignore", "MISSING_VERSION"],
        dir.path(),
    );
    assert!(!out.contains("MISSING_VERSION"), "{out}");
    write(
        dir.path(),
        "policies/iamscope.json",
        r#"{"ignore": ["MISSING_VERSION"]}"#,
    );
    let (_, out, _) = run(&["check", "policies"], dir.path());
    assert!(!out.contains("MISSING_VERSION"), "{out}");
    let (_, out, _) = run(&["check", "policies", "--no-config"], dir.path());
    assert!(out.contains("MISSING_VERSION"), "{out}");
    write(
        dir.path(),
        "policies/iamscope.json",
        r#"{"severity": {"MISSING_VERSION": "ERROR"}}"#,
    );
    let (code, _, _) = run(&["check", "policies"], dir.path());
    assert_eq!(code, 1);
    write(dir.path(), "policies/iamscope.json", r#"{"nonsense": 1}"#);
    let (code, _, err) = run(&["check", "policies"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("nonsense"), "{err}");
}

#[test]
fn invalid_utf8_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), b"{\"Version\": \"\xff\"}").unwrap();
    let (code, out, _) = run(&["check", "bad.json"], dir.path());
    assert_eq!(code, 1);
    assert!(out.contains("not valid UTF-8"), "{out}");
}

#[test]
fn bundled_examples_behave() {
    let (code, out, _) = run(&["check", "examples/good"], &repo());
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run(&["check", "examples/broken"], &repo());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("JSON_SYNTAX_ERROR"), "{out}");
    assert!(out.contains("INVALID_EFFECT"), "{out}");
}

#[test]
fn rules_lists_every_code() {
    let (code, out, _) = run(&["rules", "--format", "json"], &repo());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "MISSING_VERSION" && r["findingType"] == "WARNING")
    );
}

/// `--principal` checks the files as one principal's policies: a privilege-escalation path split
/// across two files is reported on the file that grants its first action, naming the other one;
/// without the flag each file is clean of it.
#[test]
fn principal_reports_escalation_across_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pass.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}"#,
    );
    write(
        dir.path(),
        "run.json",
        "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\",\n  \"Action\": \"ec2:RunInstances\", \"Resource\": \"*\"}]}",
    );
    let args = [
        "check",
        "pass.json",
        "run.json",
        "--kind",
        "identity",
        "--format",
        "json",
        "--select",
        "PRIVILEGE_ESCALATION",
    ];
    let (code, out, err) = run(&args, dir.path());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|f| f["diagnostics"].as_array().unwrap().is_empty()),
        "{out}"
    );
    let mut with = args.to_vec();
    with.push("--principal");
    let (code, out, err) = run(&with, dir.path());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files = v.as_array().unwrap();
    assert_eq!(files[0]["path"], "pass.json");
    let d = files[0]["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{out}");
    assert_eq!(d[0]["code"], "PRIVILEGE_ESCALATION");
    // The related location is in run.json, at its own line and column.
    let r = &d[0]["related"][0];
    assert_eq!(r["path"], "run.json", "{out}");
    assert_eq!(r["range"]["start"]["line"], 3, "{out}");
    assert_eq!(r["range"]["start"]["column"], 13, "{out}");
    assert!(
        files[1]["diagnostics"].as_array().unwrap().is_empty(),
        "{out}"
    );
    // SARIF names the other file in relatedLocations; text shows it as a note.
    let mut sarif = with.clone();
    sarif[6] = "sarif";
    let (_, out, _) = run(&sarif, dir.path());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rel = &v["runs"][0]["results"][0]["relatedLocations"][0]["physicalLocation"];
    assert_eq!(rel["artifactLocation"]["uri"], "run.json", "{out}");
    assert_eq!(rel["region"]["startLine"], 3, "{out}");
    let mut text = with.clone();
    text[6] = "text";
    let (_, out, _) = run(&text, dir.path());
    assert!(
        out.contains("note: run.json:3:13: ec2:RunInstances is granted by"),
        "{out}"
    );
}
