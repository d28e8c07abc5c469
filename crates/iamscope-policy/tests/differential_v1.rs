//! The tape parser and the lowering that walks it give exactly what the tree parser and the tree
//! lowering gave before them (frozen in `tests/reference/`): the same JSON trees, the same policy
//! models and the same diagnostics (codes, messages, ranges, pointers, fixes), on every corpus
//! and fixture file and on many mutated copies of them (syntax errors of every kind, escapes,
//! limits hit at every position).

mod reference;

use std::path::{Path, PathBuf};

use iamscope_syntax::Limits;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.expect("entry").path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

fn texts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut files = Vec::new();
    json_files(&root.join("corpus"), &mut files);
    json_files(&root.join("fixtures"), &mut files);
    files.sort();
    files
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(p).expect("read"),
            )
        })
        .collect()
}

/// Compares both pipelines on `text` under `limits`; returns a description of the first
/// difference.
fn compare(text: &str, limits: &Limits) -> Result<(), String> {
    let ref_limits = reference::json::Limits {
        max_depth: limits.max_depth,
        max_bytes: limits.max_bytes,
        max_string_bytes: limits.max_string_bytes,
    };
    // The tree: both types print the same Debug shape (same type and field names).
    let tree = reference::json::parse(text, &ref_limits);
    let ours = format!("{:?}", iamscope_syntax::parse(text, limits));
    let theirs = format!("{tree:?}");
    if ours != theirs {
        return Err(format!(
            "tree differs:\n ours   {ours:.600}\n theirs {theirs:.600}"
        ));
    }
    let mut ours = iamscope_policy::parse_policy_with(text, limits);
    let (policy, diagnostics) = reference::parse_policy_with(text, limits);
    // `Policy::version_element` came after the frozen lowering (which leaves it at its default,
    // `None`): it must be the last root member named exactly "Version" (the one lowering keeps),
    // read from the frozen tree; every other field is compared with the frozen model as is.
    let version_element = ours.policy.as_mut().map(|p| p.version_element.take());
    let expected = tree.as_ref().ok().map(|t| {
        t.as_object().and_then(|members| {
            members
                .iter()
                .rfind(|m| m.key == "Version")
                .map(|m| iamscope_policy::ElementSpan {
                    key: m.key_range,
                    value: m.value.range,
                })
        })
    });
    if version_element != expected {
        return Err(format!(
            "version_element differs:\n ours   {version_element:?}\n expected {expected:?}"
        ));
    }
    if ours.policy != policy {
        return Err("policy model differs".to_string());
    }
    if ours.diagnostics != diagnostics {
        return Err(format!(
            "diagnostics differ:\n ours   {:?}\n theirs {:?}",
            ours.diagnostics, diagnostics
        ));
    }
    Ok(())
}

#[test]
fn every_corpus_and_fixture_file_lowers_identically() {
    let texts = texts();
    assert!(texts.len() > 2000, "{}", texts.len());
    let limits = Limits::default();
    for (name, text) in &texts {
        if let Err(e) = compare(text, &limits) {
            panic!("{name}: {e}");
        }
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INSERTS: &[&str] = &[
    "\"",
    "\\",
    ",",
    ":",
    "{",
    "}",
    "[",
    "]",
    " ",
    "\n",
    "\t",
    "0",
    "-",
    "1.",
    "e",
    "t",
    "n",
    "f",
    "\u{1}",
    "\u{e9}",
    "\u{1F600}",
    "\\u",
    "\\ud83d",
    "\\udc00",
    "\\u00e9",
    "\\n",
    "\\x",
    "//",
    "/*",
    "\u{feff}",
    "null",
    "true",
    "[]",
    "{}",
    "\"\"",
    "\"Action\": \"s3:*\",",
    "\"Sid\": 1,",
    "\"Effect\": \"allow\",",
    "\"Resource\": [],",
    "\"NotAction\": \"*\",",
    "\"Principal\": {\"aws\": [1]},",
    "\"Condition\": {\"StringEqualz\": {\"a/b~c\": []}},",
];

const MEMBERS: &[&str] = &[
    "\"Sid\": 1,",
    "\"Sid\": \"a\\u00e9\",",
    "\"Effect\": \"allow\",",
    "\"Effect\": [],",
    "\"Resource\": [],",
    "\"Resource\": [1, \"*\"],",
    "\"NotAction\": \"*\",",
    "\"Action\": {},",
    "\"Principal\": {\"aws\": [1]},",
    "\"Principal\": \"arn\",",
    "\"NotPrincipal\": {},",
    "\"Principal\": {\"AWS\": []},",
    "\"Condition\": {\"StringEqualz\": {\"a/b~c\": []}},",
    "\"Condition\": {\"ForAllValues:StringLike\": {\"k\": []}, \"Bool\": 1},",
    "\"Condition\": {\"ForSomeValues:StringLike\": {}, \"NumericLessThanIfExists\": {\"k\": []}},",
    "\"Condition\": {\"ForAnyValue:StringLike\": {\"k\": [], \"k\": [null, 1.5, true]}},",
    "\"Condition\": [],",
    "\"Condition\": {},",
    "\"Version\": 2012,",
    "\"Id\": \"x\",",
    "\"Statement\": [],",
    "\"Statement\": 5,",
    "\"statement\": 1,",
    "\"Extra\": null,",
];

const REPLACEMENTS: &[(&str, &str)] = &[
    ("\"Action\"", "\"NotAction\""),
    ("\"Resource\"", "\"NotResource\""),
    ("\"Principal\"", "\"NotPrincipal\""),
    ("\"Allow\"", "\"allow\""),
    ("\"Deny\"", "\"DENY\""),
    ("\"Effect\"", "\"effect\""),
    ("\"Statement\"", "\"Statement\": [], \"Statement\""),
    ("[", "[1, "),
    ("[", "[[], "),
    ("\"StringEquals\"", "\"StringEqual\""),
    ("\"StringLike\"", "\"ForAllValues:StringLike\""),
    ("\"AWS\"", "\"Aws\""),
    ("\"Service\"", "\"Service\": [], \"Service\""),
    ("\"*\"", "{}"),
    ("\"*\"", "\"\\u002a\""),
    (":", ": [], \"x\":"),
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut s = text.to_string();
    for _ in 0..1 + rng.below(3) {
        let mut at = rng.below(s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(8) {
            0 => {
                let mut end = (at + 1 + rng.below(4)).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, "");
            }
            1 => s.truncate(at),
            2 | 3 => s.insert_str(at, INSERTS[rng.below(INSERTS.len())]),
            4 | 5 => {
                // A member right after an opening brace: the JSON stays valid when the object
                // was not empty, so lowering sees it.
                if let Some(brace) = s[at..].find('{').map(|i| at + i + 1) {
                    s.insert_str(brace, MEMBERS[rng.below(MEMBERS.len())]);
                }
            }
            _ => {
                let (from, to) = REPLACEMENTS[rng.below(REPLACEMENTS.len())];
                if let Some(i) = s[at..].find(from).map(|i| at + i) {
                    s.replace_range(i..i + from.len(), to);
                }
            }
        }
    }
    s
}

#[test]
fn mutated_texts_lower_identically() {
    let texts = texts();
    let small: Vec<&(String, String)> = texts.iter().filter(|t| t.1.len() < 6_000).collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let limit_sets = [
        Limits::default(),
        Limits {
            max_string_bytes: 1 + rng.below(30),
            ..Limits::default()
        },
        Limits {
            max_depth: 3,
            ..Limits::default()
        },
        Limits {
            max_bytes: 200,
            ..Limits::default()
        },
    ];
    let (mut syntax_errors, mut structural) = (0, 0);
    for round in 0..8_000 {
        let (name, text) = small[rng.below(small.len())];
        let mutated = mutate(text, &mut rng);
        let limits = &limit_sets[round % limit_sets.len()];
        if let Err(e) = compare(&mutated, limits) {
            panic!("{name}, round {round}, limits {limits:?}:\n{mutated}\n{e}");
        }
        let parsed = iamscope_policy::parse_policy_with(&mutated, limits);
        if parsed.policy.is_none() {
            syntax_errors += 1;
        } else if !parsed.diagnostics.is_empty() {
            structural += 1;
        }
    }
    // The mutations reach both the parser's errors and lowering's diagnostics.
    assert!(syntax_errors > 2_000, "{syntax_errors}");
    assert!(structural > 400, "{structural}");
}

#[test]
fn string_limit_at_every_length() {
    // A string with escapes and multi-byte characters, cut by every limit from 1 to past its
    // length: the error range (or success) must match the byte-at-a-time loop's.
    let text = r#"{"Statement": {"Sid": "ab\u00e9cd\"\\ \u00e9\ud83d\ude00 xyz 0123456789 abcdefghijklmnop", "Effect": "Allow"}}"#;
    for max in 1..text.len() + 2 {
        let limits = Limits {
            max_string_bytes: max,
            ..Limits::default()
        };
        if let Err(e) = compare(text, &limits) {
            panic!("max {max}: {e}");
        }
    }
}
