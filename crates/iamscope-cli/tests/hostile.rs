//! Hostile files through `iamscope check` and `iamscope simulate`: invalid UTF-8, 10 MB, deep
//! nesting, 10,000 statements, 5,000 conditions, 1 MB keys, 400-digit numbers and backtracking
//! wildcards. Each gets a diagnostic or an error naming the problem, with exit code 1 or 2 (never
//! a crash: a panic would exit 101, a signal would give no code).

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run iamscope");
    (
        out.status.code().expect("iamscope was killed by a signal"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

const STMT: &str = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;

fn scenario(policy: &str, context: &str) -> String {
    format!(
        r#"{{"policies":{{"identity":[{policy}]}},"request":{{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{{{context}}}}}}}"#
    )
}

fn no_crash(code: i32, out: &str, err: &str) {
    assert!(
        code == 0 || code == 1 || code == 2,
        "exit {code}: {out}\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn invalid_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = br#"{"Version": "2012-10-17", "Statement": [{"Sid": ""#.to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]);
    bytes.extend_from_slice(br#"", "Effect": "Allow", "Action": "*", "Resource": "*"}]}"#);
    write(dir.path(), "bad.json", &bytes);
    let (code, out, err) = run(&["check", "bad.json"], dir.path());
    no_crash(code, &out, &err);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("not valid UTF-8 (invalid byte at offset 49)"),
        "{out}"
    );
    let (code, out, err) = run(&["check", "bad.json", "--format", "json"], dir.path());
    no_crash(code, &out, &err);
    assert!(out.contains("JSON_SYNTAX_ERROR"), "{out}");
    let (code, out, err) = run(&["check", "bad.json", "--format", "sarif"], dir.path());
    no_crash(code, &out, &err);
    // a scenario that is not UTF-8
    write(dir.path(), "bad-scenario.json", &bytes);
    let (code, out, err) = run(&["simulate", "bad-scenario.json"], dir.path());
    no_crash(code, &out, &err);
    assert_eq!(code, 2);
    assert!(err.contains("bad-scenario.json: not UTF-8 text"), "{err}");
}

#[test]
fn ten_megabyte_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(r#"{"Version":"2012-10-17","Statement":["#);
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(STMT);
        text.push(',');
    }
    text.push_str(STMT);
    text.push_str("]}");
    write(dir.path(), "big.json", text.as_bytes());
    let (code, out, err) = run(&["check", "big.json"], dir.path());
    no_crash(code, &out, &err);
    assert!(
        out.contains("limit") || out.contains("POLICY_SIZE"),
        "{}",
        &out[..out.len().min(2000)]
    );
    let (code, out, err) = run(&["simulate", "--format", "json", "big.json"], dir.path());
    no_crash(code, &out, &err);
    assert_eq!(code, 2);
    // a 10 MB scenario: within the scenario size limit, the policy inside it is too large for AWS
    // but the evaluator still answers or names the problem.
    write(
        dir.path(),
        "big-scenario.json",
        scenario(&text, "").as_bytes(),
    );
    let (code, out, err) = run(&["simulate", "big-scenario.json"], dir.path());
    no_crash(code, &out, &err);
}

#[test]
fn deep_nesting() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    write(dir.path(), "deep.json", deep.as_bytes());
    let (code, out, err) = run(&["check", "deep.json"], dir.path());
    no_crash(code, &out, &err);
    assert_eq!(code, 1);
    assert!(
        out.contains("JSON_SYNTAX_ERROR") && out.contains("nest"),
        "{out}"
    );
    let (code, out, err) = run(&["simulate", "deep.json"], dir.path());
    no_crash(code, &out, &err);
    assert_eq!(code, 2);
    assert!(err.contains("nest") || out.contains("nest"), "{out}{err}");
    let deep = scenario(&"{\"a\":".repeat(100_000), "");
    write(dir.path(), "deep-scenario.json", deep.as_bytes());
    let (code, out, err) = run(&["simulate", "deep-scenario.json"], dir.path());
    no_crash(code, &out, &err);
    assert_eq!(code, 2);
}

#[test]
fn many_statements_and_conditions() {
    let dir = tempfile::tempdir().unwrap();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        vec![STMT; 10_000].join(",")
    );
    write(dir.path(), "many.json", policy.as_bytes());
    let (code, out, err) = run(&["check", "many.json", "--format", "json"], dir.path());
    no_crash(code, &out, &err);
    write(
        dir.path(),
        "many-scenario.json",
        scenario(&policy, "").as_bytes(),
    );
    let (code, out, err) = run(&["simulate", "many-scenario.json"], dir.path());
    no_crash(code, &out, &err);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Allow"), "{out}");

    let keys: Vec<String> = (0..5_000)
        .map(|i| format!(r#""aws:PrincipalTag/k{i}":"v{i}""#))
        .collect();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{{}}}}}}}]}}"#,
        keys.join(",")
    );
    write(dir.path(), "conds.json", policy.as_bytes());
    let (code, out, err) = run(&["check", "conds.json"], dir.path());
    no_crash(code, &out, &err);
    write(
        dir.path(),
        "conds-scenario.json",
        scenario(&policy, &keys.join(",")).as_bytes(),
    );
    let (code, out, err) = run(
        &["simulate", "conds-scenario.json", "--expect", "allow"],
        dir.path(),
    );
    no_crash(code, &out, &err);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn long_keys_numbers_and_wildcards() {
    let dir = tempfile::tempdir().unwrap();
    let big = "k".repeat(1 << 20);
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{"aws:PrincipalTag/{big}":"v"}}}}}}]}}"#
    );
    write(dir.path(), "key.json", policy.as_bytes());
    let (code, out, err) = run(&["check", "key.json"], dir.path());
    no_crash(code, &out, &err);
    assert_eq!(code, 1, "{}", &out[..out.len().min(2000)]);
    write(
        dir.path(),
        "key-scenario.json",
        scenario(&policy, "").as_bytes(),
    );
    let (code, out, err) = run(&["simulate", "key-scenario.json"], dir.path());
    no_crash(code, &out, &err);
    assert_eq!(code, 2);

    let digits = "9".repeat(400);
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"NumericLessThan":{{"s3:max-keys":{digits}}}}}}}]}}"#
    );
    write(dir.path(), "digits.json", policy.as_bytes());
    let (code, out, err) = run(&["check", "digits.json"], dir.path());
    no_crash(code, &out, &err);
    let ctx = format!(r#""s3:max-keys":"{digits}""#);
    write(
        dir.path(),
        "digits-scenario.json",
        scenario(&policy, &ctx).as_bytes(),
    );
    let (code, out, err) = run(&["simulate", "digits-scenario.json"], dir.path());
    no_crash(code, &out, &err);

    let n = 20_000;
    let pattern = format!("{}*b*", "*a".repeat(n / 2));
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringLike":{{"aws:PrincipalTag/t":"{pattern}"}}}}}}]}}"#
    );
    let ctx = format!(r#""aws:PrincipalTag/t":"{}""#, "a".repeat(n));
    write(
        dir.path(),
        "wild-scenario.json",
        scenario(&policy, &ctx).as_bytes(),
    );
    let (code, out, err) = run(
        &[
            "simulate",
            "wild-scenario.json",
            "--expect",
            "implicit-deny",
        ],
        dir.path(),
    );
    no_crash(code, &out, &err);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&["expand", &format!("s3:{pattern}")], dir.path());
    no_crash(code, &out, &err);
}
