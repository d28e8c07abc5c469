fn main() {
    let dir = "tests/corpus/aws-managed-policies/";
    let ro = std::fs::read_to_string(format!("{dir}ReadOnlyAccess.json")).unwrap();
    let s3 = std::fs::read_to_string(format!("{dir}AmazonS3FullAccess.json")).unwrap();
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#;
    let mut set = iamscope_eval::PolicySet::default();
    for p in [ro.as_str(), s3.as_str(), deny] {
        set.identity.push(iamscope_eval::PolicySource::new(p));
    }
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode == "compile" {
        for _ in 0..300 {
            let _ = iamscope_eval::PreparedPolicySet::new(&set).unwrap();
        }
    } else {
        let prepared = iamscope_eval::PreparedPolicySet::new(&set).unwrap();
        let r = iamscope_eval::Request::new(
            "arn:aws:iam::111122223333:user/alice",
            "s3:DeleteBucket",
            "arn:aws:s3:::b",
        );
        for _ in 0..50000 {
            let _ = prepared.evaluate(&r);
        }
    }
}
