//! `rulec template RULESET -o ledger.xlsx`: write the blank Excel ledger (台账)
//! of a ruleset. The layout is `kaohe_office::layout` (docs/office.md).

use std::path::PathBuf;

use crate::commands::eval::load_ruleset;
use crate::exit::Exit;

/// Arguments of `rulec template`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset file.
    ruleset: PathBuf,
    /// Where to write the workbook (`.xlsx`).
    #[arg(short, long, value_name = "PATH")]
    output: PathBuf,
}

/// Runs `rulec template`.
pub fn run(args: &Args) -> Exit {
    let ruleset = match load_ruleset(&args.ruleset) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let bytes = match kaohe_office::template(&ruleset) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!(
                "{}: {}",
                crate::lang::text("rulec-error", &[]),
                crate::lang::tr("kaohe::ledger::template_failed", &error.to_string())
            );
            return Exit::Failure;
        }
    };
    if let Err(error) = std::fs::write(&args.output, bytes) {
        return crate::input::io_failure("write", &args.output, &error)
            .report(crate::output::ErrorFormat::Human);
    }
    let layout = kaohe_office::Layout::of(&ruleset);
    let sheets: Vec<&str> = layout.sheets().map(|s| s.name.as_str()).collect();
    eprintln!(
        "{}",
        crate::lang::text(
            "rulec-template-wrote",
            &[
                ("file", args.output.display().to_string()),
                ("info", kaohe_office::layout::INFO_SHEET.to_owned()),
                (
                    "sheets",
                    sheets.join(&crate::lang::text("rulec-list-separator", &[]))
                ),
            ],
        )
    );
    Exit::Ok
}
