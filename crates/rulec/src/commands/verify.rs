//! `rulec verify --db FILE [--rulesets DIR]`: re-check a store of sealed
//! periods (issue 17 §2, `docs/seals.md`): the SHA-256 chain, each stored
//! ruleset against its hash, and each sealed period re-evaluated from its
//! stored records and compared byte for byte with its stored results. Any row
//! edited by hand is reported, located by seal; exit 1 then.

use std::path::{Path, PathBuf};

use kaohe::Ruleset;

use crate::commands::eval::ruleset;
use crate::commands::seal::{existing, open, StoreFormat};
use crate::exit::Exit;
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
                println!(
                    "{} #{} {} {} sealed {} ({} records) {}",
                    if s.ok { "ok " } else { "BAD" },
                    s.seal.seq,
                    s.seal.ruleset,
                    s.seal.period,
                    s.seal.sealed_at,
                    s.seal.records,
                    s.seal.hash
                );
            }
            for e in &audit.errors {
                let at = e.seal.map(|s| format!("seal #{s}: ")).unwrap_or_default();
                eprintln!("error: {}: {at}{}", e.file, e.message);
                if let Some(help) = &e.help {
                    eprintln!("  help: {help}");
                }
            }
            println!("head: {}", audit.head);
            if audit.errors.is_empty() {
                println!(
                    "{} seal(s) verified: the chain is intact",
                    audit.seals.len()
                );
            } else {
                eprintln!(
                    "error: {} problem(s) in {} seal(s): the database was changed outside kaohe",
                    audit.errors.len(),
                    audit.seals.iter().filter(|s| !s.ok).count()
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
