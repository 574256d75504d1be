//! `rulec import RULESET LEDGER [-o facts.json]`: read a filled-in Excel ledger
//! into a fact file. Every bad cell is reported as `sheet!CELL: expected …,
//! found …`, all at once, and nothing is written when there is any.

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
}

/// Reads and validates a ledger, printing every error with its sheet and cell.
pub fn load_ledger(ruleset: &Ruleset, path: &Path) -> Result<Imported, Exit> {
    let bytes = std::fs::read(path).map_err(|error| {
        eprintln!("error: cannot read `{}`: {error}", path.display());
        Exit::Usage
    })?;
    kaohe_office::import(ruleset, &bytes).map_err(|error| match error {
        ImportError::Workbook(message) => {
            eprintln!("error: `{}`: {message}", path.display());
            Exit::Usage
        }
        ImportError::Ledger(errors) => {
            for e in &errors {
                eprintln!("error: {}: {e}", path.display());
            }
            eprintln!(
                "error: the ledger has {} error(s); nothing was written or evaluated",
                errors.len()
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
    let imported = match load_ledger(&ruleset, &args.ledger) {
        Ok(i) => i,
        Err(exit) => return exit,
    };
    let text = match serde_json::to_string_pretty(&imported.json) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {error}");
            return Exit::Failure;
        }
    };
    match &args.output {
        None => crate::output::println(&text),
        Some(path) => {
            if let Err(error) = std::fs::write(path, format!("{text}\n")) {
                eprintln!("error: cannot write `{}`: {error}", path.display());
                return Exit::Usage;
            }
            eprintln!(
                "wrote {}: {} unit(s), {} record(s)",
                path.display(),
                imported.facts.units.len(),
                imported.facts.records.len()
            );
        }
    }
    Exit::Ok
}
