//! `rulec check FILE...`: parse and check ruleset files, print every diagnostic.

use std::path::PathBuf;

use kaohe::check;

use crate::exit::Exit;
use crate::output::ErrorFormat;
use crate::render::{self, Format};

/// Arguments of `rulec check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Ruleset files to check (`-`: standard input).
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
        let source = match crate::input::read_source(path) {
            Ok(source) => source,
            Err(failure) => return failure.report(ErrorFormat::Human),
        };
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
