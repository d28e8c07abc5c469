//! `ItemStr`, the text of an Action/Resource item: lowering shares one copy of the policy text
//! among the items instead of a `String` each. Its text must be exactly the JSON string's value
//! (the `differential_v1` test also compares every corpus and fixture model, and mutated copies
//! with escapes, against the frozen reference lowering, which builds each item's own copy), and
//! it must compare, order and hash as that text.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use iamscope_policy::{ItemStr, parse_policy};

fn hash(x: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

#[test]
fn items_read_as_their_json_values_with_and_without_escapes() {
    // One plain item, one with a \u escape, one with an escaped slash, a non-ASCII one, and a
    // single-string Resource.
    let text = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:Put\\u004fbject\",\"ec2:*\"],\"Resource\":\"arn:aws:s3:::b\\/caf\u{e9}/*\"}}";
    let p = parse_policy(text).policy.expect("a policy");
    let st = &p.statements[0];
    let actions: Vec<&str> = st.action.as_ref().expect("Action").strs().collect();
    assert_eq!(actions, ["s3:GetObject", "s3:PutObject", "ec2:*"]);
    let resource = &st.resource.as_ref().expect("Resource").items[0];
    assert_eq!(resource.value.as_str(), "arn:aws:s3:::b/caf\u{e9}/*");
    assert_eq!(resource.value.len(), "arn:aws:s3:::b/caf\u{e9}/*".len());
    // The ranges are still those of the JSON strings (quotes included).
    let first = &st.action.as_ref().expect("Action").items[0];
    assert_eq!(
        &text[first.range.start as usize..first.range.end as usize],
        "\"s3:GetObject\""
    );
}

#[test]
fn a_shared_piece_equals_its_own_copy() {
    let text: Arc<str> = Arc::from("xx s3:GetObject yy caf\u{e9}");
    let piece = ItemStr::shared(&text, 3, 15);
    let own = ItemStr::new("s3:GetObject");
    assert_eq!(piece.as_str(), "s3:GetObject");
    assert_eq!(piece, own);
    assert_eq!(piece, "s3:GetObject");
    assert_eq!(piece, *"s3:GetObject");
    assert_eq!(piece, String::from("s3:GetObject"));
    assert_ne!(piece, "s3:GetObjects");
    assert_ne!(piece, "s3:GetObjecT");
    assert_eq!(hash(&piece), hash(&own));
    assert_eq!(hash(&piece), hash(&"s3:GetObject"));
    assert_eq!(format!("{piece}"), "s3:GetObject");
    assert_eq!(format!("{piece:?}"), "\"s3:GetObject\"");
    assert!(piece.starts_with("s3:"));
    assert!(ItemStr::new("a") < ItemStr::shared(&text, 3, 5));
    let mut set = std::collections::HashSet::new();
    set.insert(piece.clone());
    assert!(set.contains("s3:GetObject"));
    let non_ascii = ItemStr::shared(&text, 19, text.len());
    assert_eq!(non_ascii.as_str(), "caf\u{e9}");
    assert!(ItemStr::new("").is_empty());
}

#[test]
fn a_range_that_is_not_a_piece_reads_as_empty_instead_of_panicking() {
    let text: Arc<str> = Arc::from("caf\u{e9}");
    // Inside the two-byte é, past the end, and reversed.
    for (start, end) in [(0, 4), (4, 5), (2, 9), (3, 1), (usize::MAX, 0)] {
        let s = ItemStr::shared(&text, start, end);
        assert_eq!(s.as_str(), "", "{start}..{end}");
        assert_eq!(s.len(), 0);
        assert!(s.is_empty());
    }
}
