//! The typed policy model. Every node keeps the byte range of its source text; pointers are built
//! on demand from the statement index, the element name and the item index (see [`pointer`]).

use std::sync::Arc;

use iamscope_syntax::TextRange;

use crate::operator::Operator;

/// A value with the byte range of its JSON source (for strings, including the quotes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

impl<T> Spanned<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Spanned { value, range }
    }
}

/// A whole policy document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    /// Range of the root object.
    pub range: TextRange,
    /// `Version`, when it is a string.
    pub version: Option<Spanned<String>>,
    /// The `Version` member (key and value ranges) whatever the type of its value: with `version`
    /// it tells "no Version" from "a Version that is not a string".
    pub version_element: Option<ElementSpan>,
    /// `Id`, when it is a string.
    pub id: Option<Spanned<String>>,
    /// The `Statement` element, when present.
    pub statement_element: Option<ElementSpan>,
    /// True when `Statement` is an array (pointers then carry the index).
    pub statement_is_array: bool,
    pub statements: Vec<Statement>,
}

impl Policy {
    /// Does the policy use policy variables anywhere? (Checked by validation per version.)
    pub fn version_str(&self) -> Option<&str> {
        self.version.as_ref().map(|v| v.value.as_str())
    }

    /// True when `Version` is `2012-10-17` (policy variables are supported).
    pub fn supports_variables(&self) -> bool {
        self.version_str() == Some("2012-10-17")
    }
}

/// The key and value ranges of an element such as `"Action": [...]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ElementSpan {
    /// Range of the quoted key.
    pub key: TextRange,
    /// Range of the value.
    pub value: TextRange,
}

impl ElementSpan {
    /// From the start of the key to the end of the value.
    pub fn full(&self) -> TextRange {
        self.key.cover(self.value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// Position in the `Statement` array (0 when `Statement` is a single object).
    pub index: usize,
    /// `/Statement/<index>`, or `/Statement` when the element is a single object.
    pub pointer: String,
    /// Range of the statement object.
    pub range: TextRange,
    pub sid: Option<Spanned<String>>,
    pub sid_element: Option<ElementSpan>,
    /// `Effect`, when it is `Allow` or `Deny` (exact case).
    pub effect: Option<Spanned<Effect>>,
    pub effect_element: Option<ElementSpan>,
    /// `Principal` or `NotPrincipal` when present. A value of the wrong shape (a string other than
    /// `"*"`, a number, ...) is reported by lowering and kept as an empty map, which matches nobody.
    pub principal: Option<PrincipalElement>,
    /// `Action` or `NotAction`.
    pub action: Option<ValueList>,
    /// `Resource` or `NotResource`.
    pub resource: Option<ValueList>,
    pub condition: Option<ConditionElement>,
    /// True when both `Action` and `NotAction` (etc.) were given; the first is kept.
    pub has_conflicting_elements: bool,
}

impl Statement {
    pub fn is_allow(&self) -> bool {
        matches!(
            self.effect,
            Some(Spanned {
                value: Effect::Allow,
                ..
            })
        )
    }

    pub fn is_deny(&self) -> bool {
        matches!(
            self.effect,
            Some(Spanned {
                value: Effect::Deny,
                ..
            })
        )
    }

    /// The Sid's text, if any.
    pub fn sid_str(&self) -> Option<&str> {
        self.sid.as_ref().map(|s| s.value.as_str())
    }

    /// A short label for messages: `statement 2 ("AllowRead")`.
    pub fn label(&self) -> String {
        match self.sid_str() {
            Some(sid) if !sid.is_empty() => format!("statement {} (\"{}\")", self.index, sid),
            _ => format!("statement {}", self.index),
        }
    }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: a string or an array of strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueList {
    /// True for `NotAction` / `NotResource`.
    pub not: bool,
    /// The element name as written (`Action`, `NotAction`, ...).
    pub name: &'static str,
    pub span: ElementSpan,
    pub is_array: bool,
    /// The string items; non-string items are reported and left out.
    pub items: Vec<Spanned<ItemStr>>,
    /// Indexes of the kept items in the source array (equal to position unless items were dropped).
    pub source_index: Vec<usize>,
}

impl ValueList {
    /// JSON pointer of item `i` (an index into `items`), given the statement pointer.
    pub fn item_pointer(&self, statement_pointer: &str, i: usize) -> String {
        if self.is_array {
            format!(
                "{statement_pointer}/{}/{}",
                self.name,
                self.source_index.get(i).copied().unwrap_or(i)
            )
        } else {
            format!("{statement_pointer}/{}", self.name)
        }
    }

    pub fn pointer(&self, statement_pointer: &str) -> String {
        format!("{statement_pointer}/{}", self.name)
    }

    pub fn strs(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|s| s.value.as_str())
    }
}

/// The text of an `Action`/`NotAction`/`Resource`/`NotResource` item: a piece of one copy of the
/// policy text that all the items of a model share (lowering copies the text once instead of
/// allocating a `String` per item: 4,500 items in the largest managed policy), or a text of its
/// own (an item with escapes, an item built by a caller, or an item of a model lowered with
/// [`crate::lower::lower_keeping_actions`], which keeps few items of a possibly large text).
/// Reads as a `str` (`Deref`); compares, orders and hashes as its text.
#[derive(Clone)]
pub struct ItemStr {
    text: Arc<str>,
    start: usize,
    end: usize,
}

impl ItemStr {
    /// An item with a text of its own.
    pub fn new(s: &str) -> ItemStr {
        ItemStr {
            text: Arc::from(s),
            start: 0,
            end: s.len(),
        }
    }

    /// `text[start..end]`, sharing `text`. A range that is not a piece of `text` (lowering never
    /// makes one) gives the empty string rather than a panic.
    pub fn shared(text: &Arc<str>, start: usize, end: usize) -> ItemStr {
        if text.get(start..end).is_none() {
            return ItemStr::new("");
        }
        ItemStr {
            text: Arc::clone(text),
            start,
            end,
        }
    }

    /// [`ItemStr::shared`] for lowering, which knows that `start <= end <= text.len()` (the
    /// reads check the character boundaries anyway).
    pub(crate) fn piece(text: &Arc<str>, start: usize, end: usize) -> ItemStr {
        ItemStr {
            text: Arc::clone(text),
            start,
            end,
        }
    }

    pub fn as_str(&self) -> &str {
        // Checked (the workspace forbids `unsafe`): ~16 instructions a read natively, which is
        // why the length and the equality with a `str` below answer without it when they can.
        self.text.get(self.start..self.end).unwrap_or_default()
    }

    /// The text's length in bytes (without reading the text).
    #[inline]
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

impl std::ops::Deref for ItemStr {
    type Target = str;

    /// Inlined to a call of `as_str`: out of line it was a second call, each returning two words
    /// through the WebAssembly module's shadow stack (3% of the largest managed policy's lint
    /// there). `as_str` itself stays out of line: inlined at every read it cost 2 KB of gzip.
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ItemStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for ItemStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for ItemStr {
    fn from(s: &str) -> ItemStr {
        ItemStr::new(s)
    }
}

impl From<String> for ItemStr {
    fn from(s: String) -> ItemStr {
        ItemStr::new(&s)
    }
}

impl PartialEq for ItemStr {
    fn eq(&self, other: &ItemStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ItemStr {}

impl PartialEq<str> for ItemStr {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        // Several rules test every item against "*": most differ in length.
        self.len() == other.len() && self.as_str() == other
    }
}

impl PartialEq<&str> for ItemStr {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for ItemStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for ItemStr {
    fn partial_cmp(&self, other: &ItemStr) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ItemStr {
    fn cmp(&self, other: &ItemStr) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for ItemStr {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::fmt::Debug for ItemStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for ItemStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The principal key of a `Principal` map entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalType {
    pub fn parse(key: &str) -> Option<PrincipalType> {
        match key {
            "AWS" => Some(PrincipalType::Aws),
            "Service" => Some(PrincipalType::Service),
            "Federated" => Some(PrincipalType::Federated),
            "CanonicalUser" => Some(PrincipalType::CanonicalUser),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::Aws => "AWS",
            PrincipalType::Service => "Service",
            PrincipalType::Federated => "Federated",
            PrincipalType::CanonicalUser => "CanonicalUser",
        }
    }
}

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalElement {
    pub not: bool,
    /// `Principal` or `NotPrincipal`.
    pub name: &'static str,
    pub span: ElementSpan,
    pub value: PrincipalValue,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalValue {
    /// `"Principal": "*"` (everyone, including anonymous).
    Wildcard(TextRange),
    /// `"Principal": {"AWS": [...], "Service": ...}`.
    Map(Vec<PrincipalEntry>),
}

/// One `"AWS": [...]` entry of a principal map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalEntry {
    /// The key as written.
    pub key: Spanned<String>,
    /// The key's type when it is one of the four AWS knows.
    pub kind: Option<PrincipalType>,
    pub value_range: TextRange,
    pub is_array: bool,
    pub values: Vec<Spanned<String>>,
    pub source_index: Vec<usize>,
}

impl PrincipalElement {
    pub fn pointer(&self, statement_pointer: &str) -> String {
        format!("{statement_pointer}/{}", self.name)
    }

    /// Pointer of value `i` of entry `entry`.
    pub fn value_pointer(
        &self,
        statement_pointer: &str,
        entry: &PrincipalEntry,
        i: usize,
    ) -> String {
        let base = format!(
            "{statement_pointer}/{}/{}",
            self.name,
            escape_pointer(&entry.key.value)
        );
        if entry.is_array {
            format!("{base}/{}", entry.source_index.get(i).copied().unwrap_or(i))
        } else {
            base
        }
    }

    /// Every (type, value) pair; a wildcard principal yields nothing.
    pub fn values(&self) -> impl Iterator<Item = (&PrincipalEntry, &Spanned<String>)> {
        let entries: &[PrincipalEntry] = match &self.value {
            PrincipalValue::Map(m) => m,
            PrincipalValue::Wildcard(_) => &[],
        };
        entries
            .iter()
            .flat_map(|e| e.values.iter().map(move |v| (e, v)))
    }

    /// True for `"*"` or `{"AWS": "*"}` (any AWS principal).
    pub fn is_wildcard(&self) -> bool {
        match &self.value {
            PrincipalValue::Wildcard(_) => true,
            PrincipalValue::Map(m) => m.iter().any(|e| {
                e.kind == Some(PrincipalType::Aws) && e.values.iter().any(|v| v.value == "*")
            }),
        }
    }
}

/// The `Condition` element: operator blocks in source order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionElement {
    pub span: ElementSpan,
    pub blocks: Vec<ConditionBlock>,
}

/// `"StringEquals": { key: values, ... }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionBlock {
    /// The operator as written, with the range of its quoted key.
    pub operator: Spanned<String>,
    /// The parsed operator; `None` when the name is not a known operator.
    pub op: Option<Operator>,
    pub value_range: TextRange,
    pub entries: Vec<ConditionEntry>,
}

/// `"aws:SourceIp": ["1.2.3.4/32", ...]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionEntry {
    pub key: Spanned<String>,
    pub value_range: TextRange,
    pub is_array: bool,
    pub values: Vec<Spanned<ConditionValue>>,
    pub source_index: Vec<usize>,
}

/// A condition value: JSON allows strings, booleans and numbers here; AWS compares their text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConditionValue {
    String(String),
    Bool(bool),
    /// The number as written.
    Number(String),
}

impl ConditionValue {
    /// The text AWS compares (`true`, `42`, or the string).
    pub fn as_text(&self) -> &str {
        match self {
            ConditionValue::String(s) => s,
            ConditionValue::Bool(true) => "true",
            ConditionValue::Bool(false) => "false",
            ConditionValue::Number(n) => n,
        }
    }
}

impl ConditionElement {
    pub fn pointer(statement_pointer: &str) -> String {
        format!("{statement_pointer}/Condition")
    }

    pub fn block_pointer(statement_pointer: &str, block: &ConditionBlock) -> String {
        format!(
            "{statement_pointer}/Condition/{}",
            escape_pointer(&block.operator.value)
        )
    }

    pub fn entry_pointer(
        statement_pointer: &str,
        block: &ConditionBlock,
        entry: &ConditionEntry,
    ) -> String {
        format!(
            "{}/{}",
            Self::block_pointer(statement_pointer, block),
            escape_pointer(&entry.key.value)
        )
    }

    pub fn value_pointer(
        statement_pointer: &str,
        block: &ConditionBlock,
        entry: &ConditionEntry,
        i: usize,
    ) -> String {
        let base = Self::entry_pointer(statement_pointer, block, entry);
        if entry.is_array {
            format!("{base}/{}", entry.source_index.get(i).copied().unwrap_or(i))
        } else {
            base
        }
    }

    /// Every (block, entry) pair.
    pub fn entries(&self) -> impl Iterator<Item = (&ConditionBlock, &ConditionEntry)> {
        self.blocks
            .iter()
            .flat_map(|b| b.entries.iter().map(move |e| (b, e)))
    }
}

/// Escapes a JSON pointer segment (`~` -> `~0`, `/` -> `~1`).
pub fn escape_pointer(segment: &str) -> String {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1")
    } else {
        segment.to_string()
    }
}

/// Byte range, within the source, of `start..end` of a string value whose quoted source is
/// `range`. When the source has escapes the offsets cannot be mapped and the whole value is used.
pub fn subrange(
    source: &str,
    range: TextRange,
    value: &str,
    start: usize,
    end: usize,
) -> TextRange {
    let raw = TextRange::new(range.start + 1, range.end.saturating_sub(1));
    if raw.slice(source) == value && start <= end && end <= value.len() {
        TextRange::new(raw.start + start as u32, raw.start + end as u32)
    } else {
        range
    }
}

/// Helpers for building pointers.
pub mod pointer {
    pub use super::escape_pointer;
}
