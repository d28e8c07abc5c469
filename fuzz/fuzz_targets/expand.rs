//! Catalog expansion of arbitrary patterns. Input: two bytes that pick a service, one byte that
//! picks the extra checks, then the pattern (UTF-8). Checks, each bounded by what `expand` itself
//! costs or by one service, so that an input costs about as much as one expansion:
//! - `expand` never panics and returns actions in catalog order without duplicates;
//! - soundness: every returned action matches the pattern under an independent matcher
//!   (`NaiveWildcard`), all of them when at most 64 came back, else 64 spread over the result;
//! - completeness within ONE service (a service of a returned action, a service whose prefix
//!   matches the pattern's service part, or any service): `expand` finds exactly the actions a
//!   naive scan of that service finds;
//! - 16 actions picked over the whole catalog: in the result exactly when they match;
//! - on 1 input in 64 (extra byte): `expand` and `expand_not` partition the whole catalog (the
//!   only O(catalog) check);
//! - on 1 in 64: `suggest_action` gives at most five suggestions, each a catalog action.
//!
//! `resource_types_for_arn_pattern` is left to the `lint` target (rule `arn_validity` calls it
//! on resources that fit no ARN format): here the fuzzer gravitated to it and, as it scans every
//! resource type for a text that is not an ARN, it took three quarters of the run.
#![no_main]
use iamscope_catalog::Catalog;
use iamscope_fuzz::NaiveWildcard;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [a, b, extra, rest @ ..] = data else {
        return;
    };
    let Ok(pattern) = std::str::from_utf8(rest) else {
        return;
    };
    let sel = u16::from_le_bytes([*a, *b]) as usize;
    let cat = Catalog::embedded();
    let found = cat.expand(pattern);
    let naive_pattern = NaiveWildcard::new(pattern, true);

    assert!(
        found.windows(2).all(|w| w[0].index() < w[1].index()),
        "{pattern:?}: not in catalog order or duplicated"
    );
    let step = found.len().div_ceil(64).max(1);
    for a in found.iter().step_by(step) {
        assert!(
            naive_pattern.matches(&a.full_name()),
            "{pattern:?} expanded to {}",
            a.full_name()
        );
    }

    // Completeness in one service.
    let n = cat.services().len();
    let pick = sel / 4;
    let service = match sel % 4 {
        1 if !found.is_empty() => Some(found[pick % found.len()].service()),
        2 | 3 => pattern.split_once(':').and_then(|(part, _)| {
            let part = NaiveWildcard::new(part, true);
            let matching: Vec<_> = cat
                .services()
                .filter(|s| part.matches(s.prefix()))
                .collect();
            (!matching.is_empty()).then(|| matching[pick % matching.len()])
        }),
        _ => None,
    }
    .or_else(|| cat.services().nth(pick % n))
    .expect("the catalog has services");
    let naive: Vec<usize> = service
        .actions()
        .filter(|a| naive_pattern.matches(&a.full_name()))
        .map(|a| a.index())
        .collect();
    // The service's actions are one index range; `found` is sorted by index.
    let lo = service.actions().next().map_or(0, |a| a.index());
    let hi = lo + service.actions().len();
    let from = found.partition_point(|a| a.index() < lo);
    let to = found.partition_point(|a| a.index() < hi);
    let fast: Vec<usize> = found[from..to].iter().map(|a| a.index()).collect();
    assert_eq!(naive, fast, "{pattern:?} in {}", service.prefix());

    // Completeness and soundness on 16 actions spread over the whole catalog.
    let total = cat.actions().len();
    let mut x = (sel as u64) << 8 | u64::from(*extra);
    for _ in 0..16 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let a = cat
            .action_by_index((x >> 33) as usize % total)
            .expect("an index below the count");
        assert_eq!(
            naive_pattern.matches(&a.full_name()),
            found
                .binary_search_by_key(&a.index(), |f| f.index())
                .is_ok(),
            "{pattern:?} and {}",
            a.full_name()
        );
    }

    match extra % 64 {
        0 => {
            let not = cat.expand_not(&[pattern]);
            let mut all: Vec<usize> = found.iter().chain(&not).map(|a| a.index()).collect();
            all.sort_unstable();
            assert!(
                all.iter().copied().eq(0..cat.actions().len()),
                "{pattern:?}: expand and expand_not do not partition the catalog"
            );
        }
        2 => {
            let s = cat.suggest_action(pattern);
            assert!(s.len() <= 5, "{pattern:?}: {s:?}");
            for name in &s {
                assert!(cat.action(name).is_some(), "{pattern:?}: suggested {name}");
            }
        }
        _ => {}
    }
    let _ = cat.condition_key(pattern);
});
