//! Full lint of arbitrary text under each policy kind (the first byte picks it, or inference):
//! no panic, diagnostic ranges (and related ranges) inside the text on character boundaries, and
//! fix edits applicable.
#![no_main]
use iamscope_lint::{LintOptions, PolicyKind, lint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let kind = PolicyKind::ALL.get(k as usize % 9).copied();
    let options = LintOptions {
        kind,
        ..LintOptions::default()
    };
    let result = lint(text, &options);
    let inside = |s: u32, e: u32| {
        let (s, e) = (s as usize, e as usize);
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    for d in &result.diagnostics {
        assert!(inside(d.range.start, d.range.end), "{d:?}");
        for r in &d.related {
            assert!(inside(r.range.start, r.range.end), "{d:?}");
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert!(inside(e.range.start, e.range.end), "{d:?}");
            }
        }
    }
});
