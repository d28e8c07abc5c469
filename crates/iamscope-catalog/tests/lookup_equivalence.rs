//! The fast lookups (hashed exact names, `service:Prefix*` as a sorted range) give exactly what
//! the plain definitions give: an action matches a pattern when the whole `prefix:Name` matches it
//! as a case-insensitive wildcard. Checked on every Action/NotAction item of the corpus and on
//! generated names and patterns.

use std::path::Path;

use iamscope_catalog::Catalog;
use iamscope_policy::wildcard::Pattern;

/// The definition: scan every action and match its full name against the whole pattern. A pattern
/// with more than one colon matches nothing (a name has exactly one colon, and a pattern with one
/// colon lines up with it), which the whole-string match gives as well.
fn reference(cat: &Catalog, pattern: &str) -> Vec<u32> {
    if pattern.is_empty() {
        return Vec::new();
    }
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| cat.actions().map(|a| a.full_name()).collect());
    let p = Pattern::new(pattern, true);
    names
        .iter()
        .enumerate()
        .filter(|(_, n)| p.matches(n))
        .map(|(i, _)| i as u32)
        .collect()
}

fn corpus_items() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            collect(&v, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "Action" || k == "NotAction" {
                    match x {
                        serde_json::Value::String(s) => out.push(s.clone()),
                        serde_json::Value::Array(a) => {
                            out.extend(a.iter().filter_map(|i| i.as_str().map(str::to_owned)))
                        }
                        _ => {}
                    }
                } else {
                    collect(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

fn fast(cat: &Catalog, pattern: &str) -> Vec<u32> {
    let mut v = Vec::new();
    cat.expand_into(pattern, &mut v);
    v
}

#[test]
fn corpus_patterns_expand_as_defined() {
    let cat = Catalog::embedded();
    let items = corpus_items();
    assert!(items.len() > 5_000, "{}", items.len());
    // Exact names are cheap to check one by one; patterns cost a full scan each, so a sample of
    // every shape (all of them with a service wildcard or no colon, every tenth otherwise).
    let mut checked = 0;
    for (n, p) in items.iter().enumerate() {
        let wild = p.contains(['*', '?']);
        let split = p.split_once(':');
        let unusual = split.is_none_or(|(s, a)| s.contains(['*', '?']) || !a.ends_with('*'));
        if wild && !unusual && n % 10 != 0 {
            continue;
        }
        if !wild {
            let want = split
                .and_then(|(s, a)| cat.service(s)?.action(a))
                .map(|a| a.index() as u32);
            assert_eq!(fast(cat, p), want.into_iter().collect::<Vec<_>>(), "{p}");
            continue;
        }
        assert_eq!(fast(cat, p), reference(cat, p), "{p}");
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn every_action_is_found_in_any_case_and_near_misses_are_not() {
    let cat = Catalog::embedded();
    for a in cat.actions() {
        let full = a.full_name();
        for q in [
            full.clone(),
            full.to_ascii_lowercase(),
            full.to_ascii_uppercase(),
        ] {
            assert_eq!(cat.action(&q).map(|x| x.index()), Some(a.index()), "{q}");
        }
        for q in [
            format!("{full}x"),
            full[..full.len() - 1].to_string(),
            format!("{full}:"),
            format!(" {full}"),
            full.replacen(':', "::", 1),
        ] {
            let want = q
                .split_once(':')
                .and_then(|(s, n)| cat.service(s)?.action(n))
                .map(|x| x.index());
            assert_eq!(cat.action(&q).map(|x| x.index()), want, "{q}");
        }
    }
    assert!(cat.action("").is_none());
    assert!(cat.action(":").is_none());
    assert!(cat.action("s3").is_none());
}

#[test]
fn expander_gives_each_item_its_own_expansion() {
    let cat = Catalog::embedded();
    // In catalog order (the look-ahead hits), out of order, repeated, mixed with patterns.
    let mut names: Vec<String> = cat.actions().take(3000).map(|a| a.full_name()).collect();
    names.extend(["s3:Get*".into(), "nosuch:x".into(), "s3:GetObject".into()]);
    names.extend(
        names
            .clone()
            .into_iter()
            .rev()
            .take(500)
            .collect::<Vec<_>>(),
    );
    names.push(names[0].to_ascii_uppercase());
    let mut e = cat.expander();
    for n in &names {
        let mut got = Vec::new();
        e.expand_into(n, &mut got);
        assert_eq!(got, fast(cat, n), "{n}");
    }
}

#[test]
fn expander_finds_sorted_lists_with_gaps() {
    // Lists in catalog order that skip actions (every k-th one, or only a service's Describe,
    // Get and List actions, as long managed policies do), with case changes, unknown names of the
    // same service, repeats and names that sort before the previous one mixed in: each item gets
    // exactly its own lookup.
    let cat = Catalog::embedded();
    let all: Vec<String> = cat.actions().map(|a| a.full_name()).collect();
    for k in [1usize, 2, 3, 7, 40, 301] {
        let mut names: Vec<String> = Vec::new();
        for (i, n) in all.iter().enumerate().step_by(k) {
            names.push(match i % 5 {
                0 => n.to_ascii_uppercase(),
                1 => n.to_ascii_lowercase(),
                _ => n.clone(),
            });
            if i % 11 == 0 {
                names.push(format!("{n}x"));
                names.push(n[..n.len() - 1].to_string());
            }
            if i % 13 == 0 {
                names.push(n.clone());
            }
            if i % 17 == 0 && i >= 3 {
                names.push(all[i - 3].clone());
            }
        }
        let mut e = cat.expander();
        for n in &names {
            let mut got = Vec::new();
            e.expand_into(n, &mut got);
            assert_eq!(got, fast(cat, n), "step {k}: {n}");
        }
    }
    let read: Vec<&String> = all
        .iter()
        .filter(|n| {
            let a = n.split_once(':').map_or("", |(_, a)| a);
            a.starts_with("Describe") || a.starts_with("Get") || a.starts_with("List")
        })
        .collect();
    assert!(read.len() > 1000, "{}", read.len());
    let mut e = cat.expander();
    for n in read {
        let mut got = Vec::new();
        e.expand_into(n, &mut got);
        assert_eq!(got, fast(cat, n), "{n}");
    }
}

#[test]
fn expander_tells_names_from_patterns() {
    // `Expander::expand_into` answers true exactly for the items that name a catalog action
    // (case-insensitively), and those hold no wildcard: lists in catalog order, with gaps,
    // unknown names, wildcard patterns (some matching one action only) and case changes.
    let cat = Catalog::embedded();
    let all: Vec<String> = cat.actions().map(|a| a.full_name()).collect();
    let mut items: Vec<String> = Vec::new();
    for (i, n) in all.iter().enumerate().step_by(3) {
        items.push(if i % 2 == 0 {
            n.to_ascii_uppercase()
        } else {
            n.clone()
        });
        match i % 7 {
            0 => items.push(format!("{n}*")),
            1 => items.push(format!("{}?", &n[..n.len() - 1])),
            2 => items.push(format!("{n}x")),
            3 => items.push(n.replacen(':', "*:", 1)),
            _ => {}
        }
    }
    items.extend(["*", "s3:*", "*:*", "ec2:", ":", "", "iam:Get*"].map(String::from));
    let mut e = cat.expander();
    for n in &items {
        let mut got = Vec::new();
        let named = e.expand_into(n, &mut got);
        assert_eq!(got, fast(cat, n), "{n}");
        let wild = n.contains(['*', '?']);
        assert_eq!(named, !wild && cat.action(n).is_some(), "{n}");
    }
}

#[test]
fn generated_patterns_expand_as_defined() {
    let cat = Catalog::embedded();
    let mut patterns: Vec<String> = Vec::new();
    for s in [
        "s3",
        "S3",
        "iam",
        "ec2",
        "nosuch",
        "sts",
        "execute-api",
        "a4b",
    ] {
        for a in [
            "",
            "*",
            "Get*",
            "get*",
            "GET*",
            "Get",
            "G?t*",
            "*Object",
            "*object*",
            "Get*Tagging",
            "List*",
            "l*",
            "Z*",
            "Describe*",
            "describe",
            "?",
            "*:*",
            "Get**",
            "Get*:x",
        ] {
            patterns.push(format!("{s}:{a}"));
        }
    }
    for p in [
        "*",
        "**",
        "*:*",
        "s3*",
        "*Get*",
        "s?:Get*",
        "*3:GetObject",
        "s3:GetObject:",
        ":",
        ":*",
        "*:",
        "",
        "s3:",
        "s3:\u{e9}*",
        "\u{e9}*:*",
        "s3:GetObj\u{e9}ct",
    ] {
        patterns.push(p.to_string());
    }
    for p in &patterns {
        assert_eq!(fast(cat, p), reference(cat, p), "{p}");
        let mut hinted = Vec::new();
        cat.expander().expand_into(p, &mut hinted);
        assert_eq!(hinted, reference(cat, p), "{p}");
        let via_handles: Vec<u32> = cat.expand(p).iter().map(|a| a.index() as u32).collect();
        assert_eq!(via_handles, reference(cat, p), "{p}");
    }
}

#[test]
fn expander_after_a_match_of_the_same_service() {
    // Whatever follows an exact match of a service (the expander then searches that service's
    // sorted actions from the match on): the service's first and last actions, an empty or
    // colon-holding or non-ASCII name, wildcards, another case of the prefix, a prefix that only
    // starts like the service's, and the next service's first action.
    let cat = Catalog::embedded();
    let s3 = cat.service("s3").unwrap();
    let first = s3.actions().next().unwrap().full_name();
    let last = s3.actions().last().unwrap().full_name();
    let tails = [
        first.clone(),
        last.clone(),
        "s3:".into(),
        "s3::".into(),
        "s3:GetObject:x".into(),
        "s3:GetObj\u{e9}ct".into(),
        "s3:GetObject*".into(),
        "s3:Get?bject".into(),
        "S3:GETOBJECT".into(),
        "s3x:GetObject".into(),
        "s:GetObject".into(),
        "s3:zzzz".into(),
        "s3:AAAA".into(),
        "s3:GetObjectAcl\0".into(),
        "s3-object-lambda:GetObject".into(),
    ];
    for lead in [first.as_str(), "s3:GetObject", last.as_str()] {
        for tail in &tails {
            let mut e = cat.expander();
            let mut got = Vec::new();
            e.expand_into(lead, &mut got);
            assert_eq!(got, fast(cat, lead), "{lead}");
            got.clear();
            e.expand_into(tail, &mut got);
            assert_eq!(got, reference(cat, tail), "{lead}, then {tail}");
            got.clear();
            // and once more, after whatever the tail did
            e.expand_into(lead, &mut got);
            assert_eq!(got, fast(cat, lead), "{lead} after {tail}");
        }
    }
}
