//! `rulec fmt [--check] FILE...`: rewrite ruleset files in the canonical layout
//! (`kaohe::syntax::format::format`), or with `--check` only report which would change.

use std::path::{Path, PathBuf};

use kaohe::syntax::format::format;

use crate::exit::Exit;
use crate::render;

/// How many changed lines of each side `--check` shows.
const DIFF_LINES: usize = 8;
/// How far (in lines, both sides together) the diff looks for where the files agree again.
const RESYNC_WINDOW: usize = 40;

/// Arguments of `rulec fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Ruleset files to format (`-`: standard input, formatted to standard output).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Rewrite nothing; list the files that would change with their first
    /// changed lines, and exit 1 if there are any.
    #[arg(long)]
    check: bool,
}

/// Runs `rulec fmt`.
pub fn run(args: &Args) -> Exit {
    let mut failed = false;
    let mut unformatted = 0usize;
    for path in &args.files {
        let source = match crate::input::read_source(path) {
            Ok(source) => source,
            Err(failure) => {
                failure.report(crate::output::ErrorFormat::Human);
                failed = true;
                continue;
            }
        };
        let formatted = match format(&source) {
            Ok(formatted) => formatted,
            Err(diagnostics) => {
                eprint!("{}", render::human(&source, &diagnostics));
                failed = true;
                continue;
            }
        };
        if crate::input::is_stdin(path) && !args.check {
            // Standard input is formatted to standard output.
            crate::output::print(&formatted);
            continue;
        }
        if formatted == source.text() {
            continue;
        }
        unformatted += 1;
        if args.check {
            crate::output::println(&crate::lang::text(
                "rulec-fmt-would-reformat",
                &[("file", path.display().to_string())],
            ));
            crate::output::print(&short_diff(path, source.text(), &formatted));
        } else if let Err(error) = std::fs::write(path, &formatted) {
            eprintln!(
                "{}",
                crate::lang::error_line(
                    "kaohe::cli::io",
                    &format!("cannot write `{}`: {error}", path.display())
                )
            );
            failed = true;
        } else {
            eprintln!(
                "{}",
                crate::lang::text(
                    "rulec-fmt-reformatted",
                    &[("file", path.display().to_string())]
                )
            );
        }
    }
    if failed {
        Exit::Usage
    } else if args.check && unformatted > 0 {
        eprintln!(
            "{}",
            crate::lang::text(
                "rulec-fmt-summary",
                &[
                    ("unformatted", unformatted.to_string()),
                    ("files", args.files.len().to_string()),
                ],
            )
        );
        Exit::Failure
    } else {
        Exit::Ok
    }
}

/// A unified-style diff of the first place where `old` and `new` differ.
fn short_diff(path: &Path, old: &str, new: &str) -> String {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let common = old_lines
        .iter()
        .zip(&new_lines)
        .take_while(|(a, b)| a == b)
        .count();
    let old_rest = old_lines.get(common..).unwrap_or_default();
    let new_rest = new_lines.get(common..).unwrap_or_default();
    // The nearest point where the two sides agree again on a non-empty line.
    let (removed, added) = (0..=RESYNC_WINDOW)
        .flat_map(|total| (0..=total).map(move |a| (a, total - a)))
        .find(|&(a, b)| match (old_rest.get(a), new_rest.get(b)) {
            (Some(x), Some(y)) => x == y && !x.trim().is_empty(),
            (None, None) => true,
            _ => false,
        })
        .unwrap_or((old_rest.len(), new_rest.len()));
    let mut out = format!(
        "--- {0}\n+++ {0} ({4})\n@@ -{1},{2} +{1},{3} @@\n",
        path.display(),
        common + 1,
        removed,
        added,
        crate::lang::text("rulec-fmt-formatted", &[])
    );
    let mut side = |sign: char, lines: &[&str], count: usize| {
        for line in lines.iter().take(count.min(DIFF_LINES)) {
            out.push(sign);
            out.push_str(line);
            out.push('\n');
        }
        if count > DIFF_LINES {
            out.push_str(&format!("{sign}… ({} more lines)\n", count - DIFF_LINES));
        }
    };
    side('-', old_rest, removed);
    side('+', new_rest, added);
    out
}
