//! Hostile input: every document below gets an answer with at least one diagnostic, and nothing
//! panics. No timing assertions (the quality bar is "cheap", measured by the benchmarks).

use iamscope_lint::{LintOptions, PolicyKind, lint};

fn lint_as(text: &str, kind: PolicyKind) -> Vec<String> {
    let result = lint(
        text,
        &LintOptions {
            kind: Some(kind),
            ..LintOptions::default()
        },
    );
    for d in &result.diagnostics {
        assert!(
            d.range.start <= d.range.end && d.range.end as usize <= text.len(),
            "{} has a range outside the text: {:?}",
            d.code,
            d.range
        );
        assert!(
            text.is_char_boundary(d.range.start as usize)
                && text.is_char_boundary(d.range.end as usize)
        );
    }
    result.diagnostics.into_iter().map(|d| d.code).collect()
}

fn codes(text: &str) -> Vec<String> {
    lint_as(text, PolicyKind::Identity)
}

fn statement() -> &'static str {
    r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#
}

#[test]
fn deeply_nested_arrays() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(codes(&text), ["JSON_SYNTAX_ERROR"]);
    // Nested inside a policy element, and unterminated.
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {}"#,
        "[".repeat(100_000)
    );
    assert_eq!(codes(&text), ["JSON_SYNTAX_ERROR"]);
    let text = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert_eq!(codes(&text), ["JSON_SYNTAX_ERROR"]);
}

#[test]
fn ten_megabyte_document() {
    let mut text = String::from(r#"{"Version": "2012-10-17", "Statement": ["#);
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(statement());
        text.push(',');
    }
    text.push_str(statement());
    text.push_str("]}");
    let found = codes(&text);
    assert_eq!(found, ["JSON_SYNTAX_ERROR"], "the size limit answers first");
}

#[test]
fn one_megabyte_string() {
    let big = "a".repeat(1024 * 1024);
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{big}"}}]}}"#
    );
    assert_eq!(codes(&text), ["JSON_SYNTAX_ERROR"]);
    // Just under the string limit: parsed, linted, and over every size quota.
    let big = "a".repeat(200 * 1024);
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{big}"}}]}}"#
    );
    for kind in PolicyKind::ALL {
        let found = lint_as(&text, kind);
        assert!(!found.is_empty(), "{kind}: no diagnostic");
    }
    // A long string full of things rules look into: variables, wildcards, colons.
    let nasty = "${aws:username}*?${".repeat(10_000);
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:{nasty}", "Resource": "arn:{nasty}:{nasty}", "Condition": {{"StringLike": {{"s3:prefix": "{nasty}"}}, "NumericLessThan": {{"s3:max-keys": "{nasty}"}}}}}}]}}"#
    );
    for kind in PolicyKind::ALL {
        assert!(!lint_as(&text, kind).is_empty(), "{kind}");
    }
}

#[test]
fn lone_surrogates() {
    for escape in [
        r"\ud800",
        r"\udfff",
        r"\ud83d\u0041",
        r"\ude00\ud83d",
        r"\ud83d",
    ] {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "{escape}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]}}"#
        );
        assert_eq!(codes(&text), ["JSON_SYNTAX_ERROR"], "{escape}");
    }
    // A valid pair is accepted and lands in the model (and outside the IAM character set).
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "\ud83d\ude00", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    assert_eq!(codes(text), ["UNSUPPORTED_SID"]);
}

#[test]
fn numbers_with_400_digits() {
    let n = "9".repeat(400);
    let m = format!("-0.{}e-{}", "1".repeat(400), "9".repeat(400));
    let text = format!(
        r#"{{"Version": {n}, "Statement": [{{"Sid": {m}, "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {{"NumericLessThan": {{"s3:max-keys": {n}}}, "DateGreaterThan": {{"aws:CurrentTime": {n}}}, "Bool": {{"aws:SecureTransport": {m}}}, "IpAddress": {{"aws:SourceIp": {n}}}}}}}]}}"#
    );
    for kind in PolicyKind::ALL {
        let found = lint_as(&text, kind);
        assert!(
            found.iter().any(|c| c == "DATA_TYPE_MISMATCH"),
            "{kind}: {found:?}"
        );
    }
}

#[test]
fn ten_thousand_statements() {
    let mut text = String::from(r#"{"Version": "2012-10-17", "Statement": ["#);
    for i in 0..10_000 {
        if i > 0 {
            text.push(',');
        }
        // Every statement repeats the same Sid: duplicates must be found in linear time.
        text.push_str(&format!(
            r#"{{"Sid": "Same", "Effect": "Allow", "Action": ["s3:GetObject", "s3:Put*"], "Resource": "arn:aws:s3:::bucket-{i}/*", "Condition": {{"StringEquals": {{"aws:PrincipalTag/team": "t{i}"}}}}}}"#
        ));
    }
    text.push_str("]}");
    let found = codes(&text);
    assert!(
        found
            .iter()
            .any(|c| c == "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA")
    );
    assert_eq!(
        found
            .iter()
            .filter(|c| *c == "UNIQUE_SIDS_REQUIRED")
            .count(),
        9_999
    );
    let found = lint_as(&text, PolicyKind::Resource);
    assert!(found.iter().any(|c| c == "MISSING_PRINCIPAL"));
}

#[test]
fn objects_with_many_keys() {
    // 100,000 distinct unknown keys and 100,000 repeats of one key in one statement.
    let mut text = String::from(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*""#,
    );
    for i in 0..100_000 {
        text.push_str(&format!(r#", "K{i}": 1"#));
    }
    for _ in 0..100_000 {
        text.push_str(r#", "Sid": "x""#);
    }
    text.push_str("}]}");
    let found = codes(&text);
    assert_eq!(
        found
            .iter()
            .filter(|c| *c == "INVALID_POLICY_ELEMENT")
            .count(),
        100_000
    );
    assert_eq!(
        found.iter().filter(|c| *c == "DUPLICATE_KEY").count(),
        99_999
    );
}

#[test]
fn odd_documents() {
    for text in [
        "",
        " ",
        "\u{feff}",
        "null",
        "[]",
        "{}",
        "\"policy\"",
        "{\"Statement\": null}",
        "{\"Statement\": [null, 1, \"x\", [], {}]}",
        "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": 7, \"Action\": {}, \"Resource\": [[]], \"Condition\": []}}",
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"ForAllValues:NullIfExists\": {\"aws:TagKeys\": [true, 1, null]}}}]}",
        "\u{0}",
        "{\"a\u{0}\": 1}",
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"\u{2603}\"}, \"Action\": \"\u{1F600}\", \"Resource\": \"arn:\u{e9}:\u{1F600}:::\"}]}",
    ] {
        for kind in PolicyKind::ALL {
            assert!(!lint_as(text, kind).is_empty(), "{kind}: {text:?}");
        }
    }
}
