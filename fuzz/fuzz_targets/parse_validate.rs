//! Parse and validate arbitrary text: no panic, and every diagnostic range lies inside the text
//! on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = iamscope_policy::parse_policy(text);
    for d in &parsed.diagnostics {
        let (s, e) = (d.range.start as usize, d.range.end as usize);
        assert!(s <= e && e <= text.len(), "{d:?} outside the text");
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{d:?} splits a character"
        );
    }
    if parsed.policy.is_none() {
        assert!(
            !parsed.diagnostics.is_empty(),
            "non-JSON text without a diagnostic"
        );
    }
});
