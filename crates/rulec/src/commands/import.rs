//! `rulec import RULESET LEDGER [-o facts.json] [--format human|json]`: read a
//! filled-in Excel ledger into a fact file. Every bad cell is reported as
//! `sheet!CELL: expected …, found …`, all at once, and nothing is written when
//! there is any; with `--format json` the errors are printed on standard output
//! as `{"errors": [{"code", "severity", "message", "help", "sheet", "cell"}]}`.
//! The ledger is recognised by its content ([`kaohe_office::sniff`]): an `.xls`,
//! a CSV or a JSON file is refused naming its format, whatever its name.

use std::path::{Path, PathBuf};

use kaohe::Ruleset;
use kaohe_office::{ImportError, Imported};

use crate::commands::eval::load_ruleset;
use crate::exit::Exit;

/// Arguments of `rulec import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset file.
    ruleset: PathBuf,
    /// The filled-in ledger (`.xlsx`, from `rulec template`).
    ledger: PathBuf,
    /// Where to write the fact file (JSON); standard output when absent.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// How errors are printed: `human` (standard error) or `json` (standard
    /// output, `{"errors": [...]}`, for programs).
    #[arg(long, value_enum, default_value = "human")]
    format: ErrorFormat,
}

/// How `rulec import` prints the ledger's errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ErrorFormat {
    /// `error: LEDGER: sheet!CELL: message; help` lines on standard error.
    Human,
    /// `{"errors": [...]}` on standard output.
    Json,
}

/// Reads and validates a ledger, printing every error with its sheet and cell.
/// The reader is chosen by content: anything but an `.xlsx` workbook (an
/// `.xls`, a CSV, a JSON fact file …) is refused naming its format.
/// A ledger that is not a readable `.xlsx` workbook (another format, a
/// damaged file) exits 1 like any other bad input; exit 2 is for arguments and
/// files that cannot be read at all.
fn load_ledger(ruleset: &Ruleset, path: &Path, format: ErrorFormat) -> Result<Imported, Exit> {
    let bytes = std::fs::read(path).map_err(|error| {
        eprintln!(
            "{}",
            crate::lang::error_line(
                "kaohe::cli::io",
                &format!("cannot read `{}`: {error}", path.display())
            )
        );
        Exit::Usage
    })?;
    kaohe_office::import(ruleset, &bytes).map_err(|error| match error {
        error if format == ErrorFormat::Json => {
            let json = if crate::lang::current() == kaohe::i18n::Lang::En {
                serde_json::to_string_pretty(&error)
            } else {
                serde_json::to_value(&error)
                    .map(crate::lang::json_errors)
                    .and_then(|json| serde_json::to_string_pretty(&json))
            };
            match json {
                Ok(json) => crate::output::println(&json),
                Err(e) => eprintln!("{}: {e}", crate::lang::text("rulec-error", &[])),
            }
            Exit::Failure
        }
        ImportError::Workbook(errors) => {
            let word = crate::lang::text("rulec-error", &[]);
            for e in &errors {
                eprintln!(
                    "{word}: `{}`: {}",
                    path.display(),
                    crate::lang::ledger_error(e)
                );
            }
            Exit::Failure
        }
        ImportError::Ledger(errors) => {
            let word = crate::lang::text("rulec-error", &[]);
            for e in &errors {
                eprintln!(
                    "{word}: {}: {}",
                    path.display(),
                    crate::lang::ledger_error(e)
                );
            }
            eprintln!(
                "{word}: {}",
                crate::lang::text(
                    "rulec-ledger-import-errors",
                    &[("n", errors.len().to_string())]
                )
            );
            Exit::Failure
        }
    })
}

/// Runs `rulec import`.
pub fn run(args: &Args) -> Exit {
    let ruleset = match load_ruleset(&args.ruleset) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let imported = match load_ledger(&ruleset, &args.ledger, args.format) {
        Ok(i) => i,
        Err(exit) => return exit,
    };
    let text = match serde_json::to_string_pretty(&imported.json) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: {error}", crate::lang::text("rulec-error", &[]));
            return Exit::Failure;
        }
    };
    match &args.output {
        None => crate::output::println(&text),
        Some(path) => {
            if let Err(error) = std::fs::write(path, format!("{text}\n")) {
                eprintln!(
                    "{}",
                    crate::lang::error_line(
                        "kaohe::cli::io",
                        &format!("cannot write `{}`: {error}", path.display())
                    )
                );
                return Exit::Usage;
            }
            eprintln!(
                "{}",
                crate::lang::text(
                    "rulec-import-wrote",
                    &[
                        ("file", path.display().to_string()),
                        ("units", imported.facts.units.len().to_string()),
                        ("records", imported.facts.records.len().to_string()),
                    ]
                )
            );
        }
    }
    Exit::Ok
}
