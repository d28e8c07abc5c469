//! The exports of run.mjs and lint.mjs: `buffer(len)` reserves room for a policy text and returns
//! its address in linear memory; `parse_policy(n)` parses and lowers that text `n` times; `tape(n)`
//! only parses it (the syntax crate's `Document`); `parse_for_s3(n)` parses and lowers it keeping
//! only the action items of the `s3` service (about what a one-request simulate for `s3:GetObject`
//! keeps); `lint(n)` lints it `n` times with the default options (every rule, no wrapper, no JSON
//! answer).

use std::cell::RefCell;

thread_local! {
    static TEXT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reserves `len` bytes for the text (JavaScript copies it there); returns their address.
// `no_mangle` is what lets JavaScript find the export by name; it is the only unsafe attribute
// here and the function itself is safe code.
#[unsafe(no_mangle)]
pub extern "C" fn buffer(len: usize) -> *mut u8 {
    TEXT.with(|t| {
        let mut t = t.borrow_mut();
        t.clear();
        t.resize(len, 0);
        t.as_mut_ptr()
    })
}

/// Runs `parse_policy` on the text `n` times; returns the number of diagnostics seen (or
/// `u32::MAX` when the bytes are not UTF-8).
#[unsafe(no_mangle)]
pub extern "C" fn parse_policy(n: u32) -> u32 {
    TEXT.with(|t| {
        let t = t.borrow();
        let Ok(text) = std::str::from_utf8(&t) else {
            return u32::MAX;
        };
        let mut diagnostics = 0;
        for _ in 0..n {
            diagnostics += iamscope_policy::parse_policy(text).diagnostics.len() as u32;
        }
        diagnostics
    })
}

/// Runs the tape parser alone on the text `n` times; returns its node count (or `u32::MAX`).
#[unsafe(no_mangle)]
pub extern "C" fn tape(n: u32) -> u32 {
    TEXT.with(|t| {
        let t = t.borrow();
        let Ok(text) = std::str::from_utf8(&t) else {
            return u32::MAX;
        };
        let mut ok = 0;
        for _ in 0..n {
            let limits = iamscope_syntax::Limits::default();
            ok += u32::from(iamscope_syntax::Document::parse(text, &limits).is_ok());
        }
        ok
    })
}

/// Runs `parse_policy_keeping_actions` (keeping the items of the `s3` service and those that
/// start with a wildcard, about what a request for `s3:GetObject` keeps) on the text `n` times.
#[unsafe(no_mangle)]
pub extern "C" fn parse_for_s3(n: u32) -> u32 {
    TEXT.with(|t| {
        let t = t.borrow();
        let Ok(text) = std::str::from_utf8(&t) else {
            return u32::MAX;
        };
        let keep = |a: &str| {
            let b = a.as_bytes();
            matches!(b.first(), Some(b'*' | b'?'))
                || b.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(b"s3:"))
        };
        let mut diagnostics = 0;
        for _ in 0..n {
            diagnostics +=
                iamscope_policy::parse_policy_keeping_actions(text, &keep).diagnostics.len() as u32;
        }
        diagnostics
    })
}

/// Lints the text `n` times; returns the number of diagnostics seen (or `u32::MAX` when the
/// bytes are not UTF-8).
#[unsafe(no_mangle)]
pub extern "C" fn lint(n: u32) -> u32 {
    TEXT.with(|t| {
        let t = t.borrow();
        let Ok(text) = std::str::from_utf8(&t) else {
            return u32::MAX;
        };
        let options = iamscope_lint::LintOptions::default();
        let mut diagnostics = 0;
        for _ in 0..n {
            diagnostics += iamscope_lint::lint(text, &options).diagnostics.len() as u32;
        }
        diagnostics
    })
}
