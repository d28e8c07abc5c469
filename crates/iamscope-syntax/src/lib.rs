//! Foundations shared by every iamscope crate: byte ranges, a line index that converts byte offsets
//! to line/column in UTF-8 and UTF-16 code units, the [`Diagnostic`] shape used by every face, and a
//! JSON parser that keeps the range of every key and value (duplicate keys included), reports syntax
//! errors at exact positions and enforces nesting and size limits with a diagnostic instead of a
//! stack overflow.

pub mod bytes;
mod diagnostic;
pub mod json;
mod line_index;
mod range;
pub mod sort;
mod tape;

pub use diagnostic::{Diagnostic, FindingType, Fix, Related, TextEdit, sort_diagnostics};
pub use json::{
    Document, Items, Json, JsonKind, Limits, Member, MemberRef, Members, Value, ValueKind, parse,
};
pub use line_index::{LineCol, LineIndex};
pub use range::TextRange;
