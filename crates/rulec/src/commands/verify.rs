//! `rulec verify --db FILE [--rulesets DIR]`: re-check a store of sealed
//! periods (issue 17 §2, `docs/seals.md`): the SHA-256 chain, each stored
//! ruleset against its hash, and each sealed period re-evaluated from its
//! stored records and compared byte for byte with its stored results. Any row
//! edited by hand is reported, located by seal; exit 1 then.

use std::path::{Path, PathBuf};

use kaohe::Ruleset;

use crate::commands::eval::ruleset;
use crate::commands::seal::{existing, open, StoreFormat};
use unicode_width::UnicodeWidthStr;

use crate::exit::Exit;
use crate::lang::text;
use crate::output::Failure;

/// Arguments of `rulec verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The store (an SQLite database file written by `rulec seal` or `rulec serve`).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Re-evaluate with the ruleset files under this folder (found by hash)
    /// instead of the copies the store keeps.
    #[arg(long, value_name = "DIR")]
    rulesets: Option<PathBuf>,
    /// Output format; with `json`, the audit (or the errors) as JSON on standard output.
    #[arg(long, value_enum, default_value_t = StoreFormat::Human)]
    format: StoreFormat,
}

/// Runs `rulec verify`.
pub fn run(args: &Args) -> Exit {
    match verify(args) {
        Ok(exit) => exit,
        Err(failure) => failure.report(args.format.errors()),
    }
}

fn verify(args: &Args) -> Result<Exit, Failure> {
    existing(&args.db)?;
    let rulesets = match &args.rulesets {
        Some(dir) => rulesets_under(dir)?,
        None => Vec::new(),
    };
    let store = open(&args.db)?;
    let audit = if args.rulesets.is_some() {
        store.audit_with(&rulesets)
    } else {
        store.audit()
    };
    match args.format {
        StoreFormat::Json => crate::output::println(&audit.to_json()),
        StoreFormat::Human => {
            for s in &audit.seals {
                let ok = if s.ok {
                    text("rulec-verify-ok", &[])
                } else {
                    text("rulec-verify-bad", &[])
                };
                // `ok ` and `BAD` line up in English.
                let width = ["rulec-verify-ok", "rulec-verify-bad"]
                    .iter()
                    .map(|id| UnicodeWidthStr::width(text(id, &[]).as_str()))
                    .max()
                    .unwrap_or(0);
                let pad = " ".repeat(width.saturating_sub(UnicodeWidthStr::width(ok.as_str())));
                println!(
                    "{}",
                    text(
                        "rulec-verify-seal",
                        &[
                            ("ok", format!("{ok}{pad}")),
                            ("seq", s.seal.seq.to_string()),
                            ("ruleset", s.seal.ruleset.to_string()),
                            ("period", s.seal.period.to_string()),
                            ("sealed_at", s.seal.sealed_at.to_string()),
                            ("records", s.seal.records.to_string()),
                            ("hash", s.seal.hash.to_string()),
                        ]
                    )
                );
            }
            let error = text("rulec-error", &[]);
            for e in &audit.errors {
                // Every message names its seal (`seal #3 (…)`).
                eprintln!(
                    "{error}: {}: {}",
                    e.file,
                    crate::lang::tr(e.code, &e.message)
                );
                if let Some(help) = &e.help {
                    eprintln!(
                        "  {}: {}",
                        text("rulec-help", &[]),
                        crate::lang::tr(e.code, help)
                    );
                }
            }
            println!(
                "{}",
                text("rulec-verify-head", &[("hash", audit.head.to_string())])
            );
            if audit.errors.is_empty() {
                println!(
                    "{}",
                    text(
                        "rulec-verify-intact",
                        &[("n", audit.seals.len().to_string())]
                    )
                );
            } else {
                eprintln!(
                    "{error}: {}",
                    text(
                        "rulec-verify-problems",
                        &[
                            ("n", audit.errors.len().to_string()),
                            (
                                "bad",
                                audit.seals.iter().filter(|s| !s.ok).count().to_string()
                            ),
                        ]
                    )
                );
            }
        }
    }
    Ok(if audit.errors.is_empty() {
        Exit::Ok
    } else {
        Exit::Failure
    })
}

/// Every ruleset file (`*.rules`) under `dir`, checked; a file that does not
/// check is an error (it could be the one a seal needs).
fn rulesets_under(dir: &Path) -> Result<Vec<Ruleset>, Failure> {
    let mut files = Vec::new();
    collect(dir, &mut files).map_err(|e| crate::input::io_failure("read", dir, &e))?;
    files.sort();
    files.iter().map(|f| ruleset(f)).collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "rules") {
            files.push(path);
        }
    }
    Ok(())
}
