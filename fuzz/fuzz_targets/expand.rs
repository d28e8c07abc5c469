//! Catalog expansion of arbitrary patterns: no panic; every action `expand` returns matches the
//! pattern (case-insensitive wildcard match on the full name); within one service (picked by the
//! first byte) `expand` finds exactly the actions a naive scan finds; `expand` and `expand_not`
//! partition the catalog.
#![no_main]
use iamscope_catalog::Catalog;
use iamscope_policy::wildcard::wildcard_match;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(pattern) = std::str::from_utf8(rest) else {
        return;
    };
    let cat = Catalog::embedded();
    let found = cat.expand(pattern);
    for a in &found {
        assert!(
            wildcard_match(pattern, &a.full_name(), true),
            "{pattern:?} expanded to {}",
            a.full_name()
        );
    }
    let services = cat.services().len();
    if let Some(service) = cat.services().nth(pick as usize % services) {
        let naive: Vec<String> = service
            .actions()
            .filter(|a| wildcard_match(pattern, &a.full_name(), true))
            .map(|a| a.full_name())
            .collect();
        let fast: Vec<String> = found
            .iter()
            .filter(|a| a.service().prefix() == service.prefix())
            .map(|a| a.full_name())
            .collect();
        assert_eq!(naive, fast, "{pattern:?} in {}", service.prefix());
    }
    let not = cat.expand_not(&[pattern]);
    assert_eq!(found.len() + not.len(), cat.actions().len(), "{pattern:?}");
    let _ = cat.suggest_action(pattern);
    let _ = cat.resource_types_for_arn_pattern(pattern);
    let _ = cat.condition_key(pattern);
});
