//! `iamscope simulate <scenario.json>`: evaluate one request against the policies of every layer.
//! Exit codes: 0 evaluated (and, with `--expect`, the decision matched), 1 the decision differs
//! from `--expect`, 2 the scenario could not be read or evaluated.

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use iamscope_eval::{Decision, ErrorResult, EvalError, Scenario, render_text, simulate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SimFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExpectArg {
    #[value(name = "Allow", alias = "allow")]
    Allow,
    #[value(name = "ExplicitDeny", alias = "explicitdeny", alias = "explicit-deny")]
    ExplicitDeny,
    #[value(name = "ImplicitDeny", alias = "implicitdeny", alias = "implicit-deny")]
    ImplicitDeny,
}

impl ExpectArg {
    fn decision(self) -> Decision {
        match self {
            ExpectArg::Allow => Decision::Allow,
            ExpectArg::ExplicitDeny => Decision::ExplicitDeny,
            ExpectArg::ImplicitDeny => Decision::ImplicitDeny,
        }
    }
}

#[derive(Args)]
pub struct SimulateArgs {
    /// The scenario file (policies of every layer and a request); `-` reads standard input.
    pub scenario: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: SimFormat,
    /// Exit 1 when the decision differs.
    #[arg(long, value_enum)]
    pub expect: Option<ExpectArg>,
    /// Read one scenario per line (JSON lines) and print one compact JSON result per line.
    #[arg(long, hide = true)]
    pub batch: bool,
}

fn read_input(path: &PathBuf) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read(path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .and_then(|b| {
                String::from_utf8(b).map_err(|_| format!("{}: not UTF-8 text", path.display()))
            })
    }
}

pub fn run(args: &SimulateArgs) -> u8 {
    if args.batch {
        return batch(args);
    }
    let text = match read_input(&args.scenario) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let file = args.scenario.display().to_string();
    let scenario = match Scenario::parse(&text) {
        Ok(s) => s,
        Err(errors) => return report_errors(args.format, &file, &text, None, &errors),
    };
    let mut result = match simulate(&scenario) {
        Ok(r) => r,
        Err(errors) => return report_errors(args.format, &file, &text, Some(&scenario), &errors),
    };
    result
        .warnings
        .splice(0..0, scenario.warnings.iter().cloned());
    let mut out = std::io::stdout().lock();
    match args.format {
        SimFormat::Json => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&result).unwrap_or_default()
            );
        }
        SimFormat::Text => {
            let _ = write!(
                out,
                "{}",
                render_text(&result, Some(&scenario), Some(&text), &file)
            );
        }
    }
    match args.expect {
        Some(e) if e.decision() != result.decision => {
            eprintln!(
                "expected {}, got {}",
                e.decision().as_str(),
                result.decision.as_str()
            );
            1
        }
        _ => 0,
    }
}

fn report_errors(
    format: SimFormat,
    file: &str,
    text: &str,
    scenario: Option<&Scenario>,
    errors: &[EvalError],
) -> u8 {
    match format {
        SimFormat::Json => {
            let r = ErrorResult {
                decision: None,
                errors: errors.to_vec(),
            };
            println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
        }
        SimFormat::Text => {
            for e in errors {
                eprintln!("error: {}", locate(file, text, scenario, e));
            }
        }
    }
    2
}

/// `file:line:col: message`, mapping a policy's range into the scenario file when the policy was
/// embedded there.
fn locate(file: &str, text: &str, scenario: Option<&Scenario>, e: &EvalError) -> String {
    let Some(range) = e.range else {
        return format!("{file}: {e}");
    };
    if e.layer.is_none() {
        let (l, c) = iamscope_eval::line_col(text, range);
        return format!("{file}:{l}:{c}: {e}");
    }
    let src = scenario.and_then(|s| {
        s.policies
            .iter()
            .find(|(p, _)| {
                Some(p.layer) == e.layer && p.level == e.level && Some(p.index) == e.policy_index
            })
            .map(|(_, src)| src.clone())
    });
    match src {
        Some(src) => match src.offset {
            Some(off) => {
                let (l, c) = iamscope_eval::line_col(text, range.shifted(off));
                format!("{file}:{l}:{c}: {e}")
            }
            None => {
                let (l, c) = iamscope_eval::line_col(&src.text, range);
                format!("{file}: {e} (at line {l}, column {c} of the policy text)")
            }
        },
        None => format!("{file}: {e}"),
    }
}

fn batch(args: &SimulateArgs) -> u8 {
    let reader: Box<dyn BufRead> = if args.scenario.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(&args.scenario) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("error: {}: {e}", args.scenario.display());
                return 2;
            }
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in reader.lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let json = match iamscope_eval::simulate_text(&line) {
            Ok(r) => serde_json::to_string(&r),
            Err(errors) => serde_json::to_string(&ErrorResult {
                decision: None,
                errors,
            }),
        };
        let _ = writeln!(out, "{}", json.unwrap_or_default());
    }
    0
}
