//! Shared test helpers.

pub mod random;
