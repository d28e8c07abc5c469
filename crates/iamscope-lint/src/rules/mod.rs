//! The rule registry. Each group folder lists its rules in its own `mod.rs`.

pub mod action;
pub mod condition;
pub mod grammar;
pub mod organizations;
pub mod principal;
pub mod redundancy;
pub mod resource;
pub mod security;

use crate::Rule;

/// Every rule, in a stable order.
pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: std::sync::OnceLock<Vec<&'static dyn Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static dyn Rule> = Vec::new();
        v.extend_from_slice(grammar::RULES);
        v.extend_from_slice(action::RULES);
        v.extend_from_slice(condition::RULES);
        v.extend_from_slice(organizations::RULES);
        v.extend_from_slice(principal::RULES);
        v.extend_from_slice(redundancy::RULES);
        v.extend_from_slice(resource::RULES);
        v.extend_from_slice(security::RULES);
        v
    })
}
