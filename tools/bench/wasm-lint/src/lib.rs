//! Two exports for run.mjs: `buffer(len)` reserves room for a policy text and returns its address
//! in linear memory; `lint(n)` lints that text `n` times with the default options.

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
