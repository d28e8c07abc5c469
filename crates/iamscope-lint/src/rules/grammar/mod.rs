//! Grammar rules: everything that needs no service catalog.

mod missing_version;

use crate::Rule;

pub static RULES: &[&dyn Rule] = &[&missing_version::MissingVersion];
