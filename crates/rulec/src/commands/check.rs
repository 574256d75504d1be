//! `rulec check FILE...`: parse and check ruleset files, print every diagnostic.

use std::path::PathBuf;

use kaohe::{check, SourceFile};

use crate::exit::Exit;
use crate::render::{self, Format};

/// Arguments of `rulec check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Ruleset files to check.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    deny_warnings: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Runs `rulec check`.
pub fn run(args: &Args) -> Exit {
    let mut reports = Vec::new();
    for path in &args.files {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: cannot read `{}`: {error}", path.display());
                return Exit::Usage;
            }
        };
        let source = SourceFile::new(path.display().to_string(), text);
        let checked = check(&source);
        reports.push((source, checked.diagnostics));
    }
    let errors: usize = reports
        .iter()
        .map(|(_, d)| d.iter().filter(|d| d.is_error()).count())
        .sum();
    let warnings: usize = reports
        .iter()
        .map(|(_, d)| d.iter().filter(|d| !d.is_error()).count())
        .sum();
    match args.format {
        Format::Json => crate::output::println(&render::json(&reports)),
        Format::Human => {
            for (source, diagnostics) in &reports {
                eprint!("{}", render::human(source, diagnostics));
            }
            eprintln!("{}", render::summary(reports.len(), errors, warnings));
        }
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        Exit::Failure
    } else {
        Exit::Ok
    }
}
