//! `expand` of patterns without a colon (their wildcards may span it, `s3*Object`) equals a
//! naive scan of the whole catalog: services are pruned by the pattern's literal start, and the
//! pruning must never drop a match. Also found by the `expand` fuzz target's oracle.

use iamscope_catalog::Catalog;

/// Plain recursive wildcard match, ASCII case-insensitive (independent of the crate's matcher).
fn naive(p: &[u8], t: &[u8]) -> bool {
    match p.split_first() {
        None => t.is_empty(),
        Some((b'*', rest)) => (0..=t.len()).any(|i| naive(rest, &t[i..])),
        Some((&c, rest)) => t.split_first().is_some_and(|(&d, tail)| {
            (c == b'?' || c.eq_ignore_ascii_case(&d)) && naive(rest, tail)
        }),
    }
}

fn check(cat: &Catalog, pattern: &str) {
    let fast: Vec<usize> = cat.expand(pattern).iter().map(|a| a.index()).collect();
    let slow: Vec<usize> = cat
        .actions()
        .filter(|a| naive(pattern.as_bytes(), a.full_name().as_bytes()))
        .map(|a| a.index())
        .collect();
    assert_eq!(fast, slow, "{pattern:?}");
    let not = cat.expand_not(&[pattern]);
    assert_eq!(fast.len() + not.len(), cat.actions().len(), "{pattern:?}");
}

#[test]
fn colonless_patterns_match_a_naive_scan() {
    let cat = Catalog::embedded();
    for p in [
        "s3*",
        "S3*GetObject",
        "s3?GetObject",
        "s3?getobject",
        "s3",
        "s3GetObject",
        "*GetObject",
        "a*",
        "A*",
        "ec2*Describe*",
        "ec2?*",
        "i?m*Pass*",
        "?3*",
        "kms*crypt",
        "s*:*",
        "ß*",
        "é*",
        "s3ß*",
        "?",
        "??",
        "**",
        "*?",
    ] {
        check(cat, p);
    }
}

#[test]
fn colonless_prefixes_of_every_service() {
    let cat = Catalog::embedded();
    let prefixes: Vec<String> = cat.services().map(|s| s.prefix().to_owned()).collect();
    for (i, prefix) in prefixes.iter().enumerate().step_by(7) {
        let cut = &prefix[..prefix.len().min(1 + i % 4)];
        check(cat, &format!("{cut}*"));
        check(cat, &format!("{}*List*", prefix.to_ascii_uppercase()));
        check(cat, &format!("{prefix}?Get*"));
    }
}
