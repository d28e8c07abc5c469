use serde::{Deserialize, Serialize};

use crate::TextRange;

/// Access Analyzer's four finding types. Editors derive a severity from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FindingType {
    Error,
    SecurityWarning,
    Warning,
    Suggestion,
}

impl FindingType {
    pub const ALL: [FindingType; 4] = [
        FindingType::Error,
        FindingType::SecurityWarning,
        FindingType::Warning,
        FindingType::Suggestion,
    ];

    /// The API spelling: `ERROR`, `SECURITY_WARNING`, `WARNING`, `SUGGESTION`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingType::Error => "ERROR",
            FindingType::SecurityWarning => "SECURITY_WARNING",
            FindingType::Warning => "WARNING",
            FindingType::Suggestion => "SUGGESTION",
        }
    }

    /// Rank for thresholds: lower is more severe (`Error` = 0).
    pub fn rank(self) -> u8 {
        self as u8
    }

    /// Parses the API spelling or a short form (`error`, `security`, `warning`, `suggestion`),
    /// case-insensitively.
    pub fn parse(s: &str) -> Option<FindingType> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "error" => Some(FindingType::Error),
            "security_warning" | "security" => Some(FindingType::SecurityWarning),
            "warning" | "general_warning" => Some(FindingType::Warning),
            "suggestion" => Some(FindingType::Suggestion),
            _ => None,
        }
    }
}

impl std::fmt::Display for FindingType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location that explains a diagnostic (the first duplicate, the other statement).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
    /// When the range lies in another policy than the diagnostic's own (findings across the
    /// policies of one principal): that policy's position in the list that was linted together.
    /// `None`: the diagnostic's own text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<u32>,
}

/// Replace `range` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// A fix: edits to apply together, and whether applying them is safe without review (it does not
/// change what the policy allows beyond what the message says).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    pub safe: bool,
}

/// One finding, the same shape in Rust, JS, LSP and SARIF. Ranges are byte ranges into the UTF-8
/// text; faces convert them (the wasm facade to UTF-16).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Access Analyzer's issue code where one exists, else a new code in the same style.
    pub code: String,
    pub finding_type: FindingType,
    /// One line: what is wrong, naming the offending value.
    pub message: String,
    pub range: TextRange,
    /// JSON pointer of the offending node, e.g. `/Statement/1/Action/0`.
    pub pointer: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Diagnostic {
    pub fn new(
        code: impl Into<String>,
        finding_type: FindingType,
        message: impl Into<String>,
        range: TextRange,
        pointer: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code: code.into(),
            finding_type,
            message: message.into(),
            range,
            pointer: pointer.into(),
            related: Vec::new(),
            help: None,
            fix: None,
            url: None,
        }
    }

    pub fn error(
        code: impl Into<String>,
        message: impl Into<String>,
        range: TextRange,
        pointer: impl Into<String>,
    ) -> Self {
        Self::new(code, FindingType::Error, message, range, pointer)
    }

    pub fn with_related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
            policy: None,
        });
        self
    }

    /// A related location in another policy of a set linted together (`policy` is its position
    /// in that set).
    pub fn with_related_in(
        mut self,
        policy: u32,
        range: TextRange,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
            policy: Some(policy),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }
}

/// Sort diagnostics by position, then code, so every face shows them in the same order.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    crate::sort::sort_by(diags, |a, b| {
        (a.range.start, a.range.end, &a.code).cmp(&(b.range.start, b.range.end, &b.code))
    });
}
