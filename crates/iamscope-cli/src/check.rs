//! `iamscope check` and `iamscope rules`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use iamscope_lint::config::Config;
use iamscope_lint::{FindingType, LintOptions, PolicyInput, PolicyKind, lint, lint_set};
use serde_json::json;

use crate::output;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Security,
    Warning,
    Suggestion,
}

impl FailOn {
    fn threshold(self) -> FindingType {
        match self {
            FailOn::Error => FindingType::Error,
            FailOn::Security => FindingType::SecurityWarning,
            FailOn::Warning => FindingType::Warning,
            FailOn::Suggestion => FindingType::Suggestion,
        }
    }
}

#[derive(Args)]
pub struct CheckArgs {
    /// Policy files, or folders to search for *.json.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The policy kind: identity, resource, trust, boundary, session, scp, rcp, vpc-endpoint.
    /// Inferred per file when absent (and reported).
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<PolicyKind>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Exit 1 when a finding at or above this level exists.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Report only these codes or finding types (repeatable, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never report these codes or finding types (repeatable, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// A configuration file (default: iamscope.json found from the current folder upwards).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Do not look for a configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Check the files together as the policies of one principal (its identity policies, and
    /// its boundary): besides each file's own findings, report the privilege-escalation paths
    /// that only their combination grants (iam:PassRole in one policy, lambda:CreateFunction in
    /// another), on the file that grants the path's first action.
    #[arg(long)]
    pub principal: bool,
}

pub fn parse_kind(s: &str) -> Result<PolicyKind, String> {
    PolicyKind::parse(s).ok_or_else(|| {
        format!("unknown policy kind '{s}': expected identity, resource, trust, boundary, session, scp, rcp or vpc-endpoint")
    })
}

/// Collects *.json files under the paths, sorted; errors name the path.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out).map_err(|e| format!("{}: {e}", p.display()))?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') || name == "node_modules" {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else if p
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("json"))
            && looks_like_policy(&p)
        {
            out.push(p);
        }
    }
    Ok(())
}

/// Files found by walking a folder are checked when they may be policies: configuration files are
/// skipped, and so is JSON whose top level is an object with neither `Statement` nor `Version`.
/// Files named on the command line are always checked.
fn looks_like_policy(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(
        name.as_str(),
        "iamscope.json" | "package.json" | "package-lock.json" | "tsconfig.json" | "jsconfig.json"
    ) || name.ends_with(".scenario.json")
    {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(p) else {
        return true;
    };
    match iamscope_syntax::parse(&text, &iamscope_syntax::Limits::default()) {
        Ok(json) => match json.as_object() {
            Some(members) => members
                .iter()
                .any(|m| m.key == "Statement" || m.key == "Version"),
            None => true,
        },
        Err(_) => true,
    }
}

pub fn run(a: &CheckArgs) -> u8 {
    let files = match collect_files(&a.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("iamscope: {e}");
            return 2;
        }
    };
    // An explicit --config applies to every file; otherwise each file uses the iamscope.json found
    // from its own folder upwards (cached per folder).
    let explicit = match &a.config {
        Some(c) if !a.no_config => {
            match std::fs::read_to_string(c)
                .map_err(|e| e.to_string())
                .and_then(|t| Config::from_json(&t))
            {
                Ok(cfg) => Some((c.clone(), cfg)),
                Err(e) => {
                    eprintln!("iamscope: {}: {e}", c.display());
                    return 2;
                }
            }
        }
        _ => None,
    };
    let mut discovered: std::collections::HashMap<PathBuf, Option<(PathBuf, Config)>> =
        Default::default();
    let threshold = a.fail_on.threshold();
    let mut failed = false;
    let mut io_error = false;
    let mut reports = Vec::new();
    // (index in `reports`, options) of each file to lint.
    let mut pending: Vec<(usize, LintOptions)> = Vec::new();
    for f in &files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("iamscope: {}: {e}", f.display());
                io_error = true;
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let off = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let d = iamscope_syntax::Diagnostic::error(
                    "JSON_SYNTAX_ERROR",
                    format!("the file is not valid UTF-8 (invalid byte at offset {off})"),
                    iamscope_syntax::TextRange::new(
                        off as u32,
                        off as u32 + '\u{fffd}'.len_utf8() as u32,
                    ),
                    "",
                );
                failed = true;
                reports.push((f.clone(), text, None, vec![d]));
                continue;
            }
        };
        let mut opts = LintOptions {
            kind: a.kind,
            select: a.select.clone(),
            ignore: a.ignore.clone(),
            ..LintOptions::default()
        };
        let dir = std::fs::canonicalize(f)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        if explicit.is_none() && !a.no_config && !discovered.contains_key(&dir) {
            match Config::discover(&dir) {
                Ok(c) => {
                    discovered.insert(dir.clone(), c);
                }
                Err(e) => {
                    eprintln!("iamscope: {e}");
                    return 2;
                }
            }
        }
        let config = explicit
            .as_ref()
            .or_else(|| discovered.get(&dir).and_then(|c| c.as_ref()));
        if let Some((cfg_path, cfg)) = config {
            let base = cfg_path.parent().unwrap_or(Path::new("."));
            let abs = std::fs::canonicalize(f).unwrap_or(f.clone());
            let base = std::fs::canonicalize(base).unwrap_or(base.to_path_buf());
            let rel = abs
                .strip_prefix(&base)
                .unwrap_or(&abs)
                .to_string_lossy()
                .into_owned();
            if opts.kind.is_none() {
                opts.kind = cfg.kind_for(&rel);
            }
            opts.select.extend(cfg.select.iter().cloned());
            opts.ignore.extend(cfg.ignore.iter().cloned());
            opts.severity = cfg.severity.clone();
        }
        reports.push((f.clone(), text, None, Vec::new()));
        pending.push((reports.len() - 1, opts));
    }
    // Lint what was read: one by one, or as the policies of one principal.
    let results = if a.principal && !pending.is_empty() {
        let common = LintOptions {
            kind: None,
            ..pending[0].1.clone()
        };
        if let Some((i, _)) = pending.iter().find(|(_, o)| {
            o.select != common.select || o.ignore != common.ignore || o.severity != common.severity
        }) {
            eprintln!(
                "iamscope: --principal: {} has other rule settings (another iamscope.json) than {}; use --config to give one configuration to every file",
                reports[*i].0.display(),
                reports[pending[0].0].0.display()
            );
            return 2;
        }
        let names: Vec<String> = pending
            .iter()
            .map(|(i, _)| reports[*i].0.display().to_string())
            .collect();
        let inputs: Vec<PolicyInput<'_>> = pending
            .iter()
            .zip(&names)
            .map(|((i, o), name)| PolicyInput {
                name,
                text: &reports[*i].1,
                kind: o.kind,
            })
            .collect();
        lint_set(&inputs, &common)
    } else {
        pending
            .iter()
            .map(|(i, o)| lint(&reports[*i].1, o))
            .collect()
    };
    for ((i, _), result) in pending.iter().zip(results) {
        if result
            .diagnostics
            .iter()
            .any(|d| d.finding_type.rank() <= threshold.rank())
        {
            failed = true;
        }
        let kind_note = if result.kind_inferred {
            Some(format!("{} ({})", result.kind, result.kind_reason))
        } else {
            None
        };
        reports[*i].2 = Some((result.kind, kind_note));
        reports[*i].3 = result.diagnostics;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let paths: Vec<String> = reports.iter().map(|r| r.0.display().to_string()).collect();
    let docs: Vec<output::Doc<'_>> = reports
        .iter()
        .zip(&paths)
        .map(|(r, p)| output::Doc::new(p, &r.1))
        .collect();
    // The documents of the set linted together, by position in the set.
    let set: Vec<output::Doc<'_>> = if a.principal {
        pending
            .iter()
            .map(|(i, _)| output::Doc::new(&paths[*i], &reports[*i].1))
            .collect()
    } else {
        Vec::new()
    };
    match a.format {
        Format::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut counts = [0usize; 4];
            for ((path, _, kind, diags), doc) in reports.iter().zip(&docs) {
                if let Some((_, Some(note))) = kind {
                    let _ = writeln!(out, "{}: kind inferred: {note}", path.display());
                }
                for d in diags {
                    counts[d.finding_type.rank() as usize] += 1;
                    let _ = write!(out, "{}", output::render_text(doc, &set, d, color));
                }
            }
            let _ = writeln!(
                out,
                "{} file(s) checked: {} error(s), {} security warning(s), {} warning(s), {} suggestion(s)",
                reports.len(),
                counts[0],
                counts[1],
                counts[2],
                counts[3]
            );
        }
        Format::Json => {
            let arr: Vec<_> = reports
                .iter()
                .zip(&docs)
                .map(|((path, _, kind, diags), doc)| {
                    let mut v = json!({
                        "path": path.display().to_string(),
                        "diagnostics": diags.iter().map(|d| output::diagnostic_json(doc, &set, d)).collect::<Vec<_>>(),
                    });
                    if let Some((k, note)) = kind {
                        v["kind"] = json!(k.as_str());
                        v["kindInferred"] = json!(note.is_some());
                    }
                    v
                })
                .collect();
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&arr).unwrap_or_default()
            );
        }
        Format::Sarif => {
            let files: Vec<_> = docs
                .iter()
                .zip(&reports)
                .map(|(doc, r)| (doc, r.3.as_slice()))
                .collect();
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&output::sarif(&files, &set)).unwrap_or_default()
            );
        }
    }
    if io_error {
        2
    } else if failed {
        1
    } else {
        0
    }
}

#[derive(Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write docs/rules.md and docs/rules/<CODE>.md into this folder instead of listing.
    #[arg(long)]
    pub write_docs: Option<PathBuf>,
}

pub fn rules(a: &RulesArgs) -> u8 {
    if let Some(dir) = &a.write_docs {
        let _ = std::fs::remove_dir_all(dir.join("rules"));
        for (rel, content) in iamscope_lint::docs::generated_files() {
            let p = dir.join(rel);
            if let Some(parent) = p.parent()
                && let Err(e) = std::fs::create_dir_all(parent)
            {
                eprintln!("iamscope: {}: {e}", parent.display());
                return 2;
            }
            if let Err(e) = std::fs::write(&p, content) {
                eprintln!("iamscope: {}: {e}", p.display());
                return 2;
            }
        }
        return 0;
    }
    let rules = iamscope_lint::docs::list_rules();
    match a.format {
        Format::Json | Format::Sarif => {
            let v: Vec<_> = rules
                .iter()
                .map(|r| json!({"code": r.code, "findingType": r.finding_type.as_str(), "summary": r.summary, "url": r.url}))
                .collect();
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Format::Text => {
            for r in &rules {
                println!(
                    "{:<55} {:<17} {}",
                    r.code,
                    r.finding_type.as_str(),
                    r.summary
                );
            }
            println!("{} codes", rules.len());
        }
    }
    0
}
