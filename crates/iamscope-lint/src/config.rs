//! The configuration file `iamscope.json` (or an `"iamscope"` section in package.json):
//!
//! ```json
//! {"select": [], "ignore": ["MISSING_VERSION"], "severity": {"REDUNDANT_ACTION": "WARNING"},
//!  "kinds": {"scp/**": "scp", "**/trust-*.json": "trust"}}
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iamscope_policy::PolicyKind;
use iamscope_syntax::FindingType;
use serde::{Deserialize, Serialize};

use crate::LintOptions;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, FindingType>,
    /// Glob (over the path relative to the config file's folder) -> policy kind.
    pub kinds: BTreeMap<String, PolicyKind>,
}

impl Config {
    /// Parses the JSON text of an `iamscope.json`.
    pub fn from_json(text: &str) -> Result<Config, String> {
        json_config::from_str(text)
    }

    /// Finds `iamscope.json` in `start` or its ancestors (or an `"iamscope"` key in a package.json).
    pub fn discover(start: &Path) -> Result<Option<(PathBuf, Config)>, String> {
        let mut dir = if start.is_dir() {
            Some(start.to_path_buf())
        } else {
            start.parent().map(Path::to_path_buf)
        };
        while let Some(d) = dir {
            let f = d.join("iamscope.json");
            if f.is_file() {
                let text =
                    std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
                let cfg = Config::from_json(&text).map_err(|e| format!("{}: {e}", f.display()))?;
                return Ok(Some((f, cfg)));
            }
            let pkg = d.join("package.json");
            if pkg.is_file()
                && let Ok(text) = std::fs::read_to_string(&pkg)
                && let Ok(Some(cfg)) = json_config::section(&text, "iamscope")
            {
                return Ok(Some((pkg, cfg)));
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        Ok(None)
    }

    /// The kind configured for `path` (relative to the config folder), if a glob matches.
    pub fn kind_for(&self, relative_path: &str) -> Option<PolicyKind> {
        let p = relative_path.replace('\\', "/");
        self.kinds
            .iter()
            .find(|(g, _)| glob_match(g, &p))
            .map(|(_, k)| *k)
    }

    /// Lint options from this config (the kind is per file).
    pub fn options(&self, kind: Option<PolicyKind>) -> LintOptions {
        LintOptions {
            kind,
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            severity: self.severity.clone(),
        }
    }
}

/// `**` matches across folders, `*` within one path segment, `?` one character.
pub fn glob_match(glob: &str, path: &str) -> bool {
    fn go(g: &[u8], p: &[u8]) -> bool {
        // Memoised over (gi, pi) to stay polynomial.
        let mut memo = vec![None; (g.len() + 1) * (p.len() + 1)];
        fn rec(g: &[u8], p: &[u8], gi: usize, pi: usize, memo: &mut [Option<bool>]) -> bool {
            let key = gi * (p.len() + 1) + pi;
            if let Some(v) = memo[key] {
                return v;
            }
            let v = if gi == g.len() {
                pi == p.len()
            } else if g[gi..].starts_with(b"**") {
                let next = if g[gi + 2..].starts_with(b"/") {
                    gi + 3
                } else {
                    gi + 2
                };
                rec(g, p, next, pi, memo) || (pi < p.len() && rec(g, p, gi, pi + 1, memo))
            } else if g[gi] == b'*' {
                rec(g, p, gi + 1, pi, memo)
                    || (pi < p.len() && p[pi] != b'/' && rec(g, p, gi, pi + 1, memo))
            } else if pi < p.len() && (g[gi] == b'?' && p[pi] != b'/' || g[gi] == p[pi]) {
                rec(g, p, gi + 1, pi + 1, memo)
            } else {
                false
            };
            memo[key] = Some(v);
            v
        }
        rec(g, p, 0, 0, &mut memo)
    }
    go(glob.as_bytes(), path.as_bytes())
}

/// Config parsing with iamscope's own JSON parser (keeps serde_json out of the engine's wasm).
mod json_config {
    use super::Config;
    use iamscope_syntax::{Json, Limits};

    pub fn from_str(text: &str) -> Result<Config, String> {
        let json = iamscope_syntax::parse(text, &Limits::default())
            .map_err(|d| format!("invalid JSON at byte {}: {}", d.range.start, d.message))?;
        convert(&json)
    }

    pub fn section(text: &str, key: &str) -> Result<Option<Config>, String> {
        let json =
            iamscope_syntax::parse(text, &Limits::default()).map_err(|d| d.message.clone())?;
        match json.get(key) {
            Some(v) => convert(v).map(Some),
            None => Ok(None),
        }
    }

    fn strings(v: &Json, what: &str) -> Result<Vec<String>, String> {
        v.as_array()
            .ok_or(format!("\"{what}\" must be an array of strings"))?
            .iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_string)
                    .ok_or(format!("\"{what}\" must be an array of strings"))
            })
            .collect()
    }

    fn convert(v: &Json) -> Result<Config, String> {
        let members = v
            .as_object()
            .ok_or("the configuration must be a JSON object")?;
        let mut cfg = Config::default();
        for m in members {
            match m.key.as_str() {
                "select" => cfg.select = strings(&m.value, "select")?,
                "ignore" => cfg.ignore = strings(&m.value, "ignore")?,
                "severity" => {
                    for e in m
                        .value
                        .as_object()
                        .ok_or("\"severity\" must be an object")?
                    {
                        let t = e.value.as_str().and_then(iamscope_syntax::FindingType::parse).ok_or(format!(
                            "severity of {}: expected ERROR, SECURITY_WARNING, WARNING or SUGGESTION",
                            e.key
                        ))?;
                        cfg.severity.insert(e.key.clone(), t);
                    }
                }
                "kinds" => {
                    for e in m.value.as_object().ok_or("\"kinds\" must be an object")? {
                        let k = e.value.as_str().and_then(iamscope_policy::PolicyKind::parse).ok_or(format!(
                            "kind for {}: expected identity, resource, trust, boundary, session, scp, rcp or vpc-endpoint",
                            e.key
                        ))?;
                        cfg.kinds.insert(e.key.clone(), k);
                    }
                }
                "$schema" => {}
                other => return Err(format!("unknown configuration key \"{other}\"")),
            }
        }
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("scp/**", "scp/a/b.json"));
        assert!(glob_match("**/trust-*.json", "x/y/trust-a.json"));
        assert!(glob_match("**/trust-*.json", "trust-a.json"));
        assert!(!glob_match("*.json", "a/b.json"));
    }

    #[test]
    fn parses_config() {
        let c = Config::from_json(
            r#"{"ignore":["MISSING_VERSION"],"severity":{"X":"warning"},"kinds":{"scp/**":"scp"}}"#,
        )
        .unwrap();
        assert_eq!(c.ignore, vec!["MISSING_VERSION"]);
        assert_eq!(c.severity["X"], FindingType::Warning);
        assert_eq!(c.kind_for("scp/a.json"), Some(PolicyKind::Scp));
        assert!(
            Config::from_json(r#"{"bogus":1}"#)
                .unwrap_err()
                .contains("bogus")
        );
    }
}
