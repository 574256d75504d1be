//! `rulec`: the command-line front end of kaohe. Argument parsing and rendering
//! only; everything it reports is computed by the `kaohe` library.

/// `eprintln!` that never panics: std's panics when standard error is closed
/// (`rulec check bad.rules 2>&1 | head -1`). Defined before the modules, so it
/// shadows std's in every one of them; see `output`.
macro_rules! eprintln {
    () => {
        $crate::output::eprint("\n")
    };
    ($($arg:tt)*) => {
        $crate::output::eprint(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` that never panics (see `eprintln!`).
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::output::eprint(&format!($($arg)*))
    };
}

/// `println!` that never panics when standard output is closed.
#[allow(unused_macros, reason = "shadows std's, should anyone use it")]
macro_rules! println {
    ($($arg:tt)*) => {
        $crate::output::println(&format!($($arg)*))
    };
}

/// `print!` that never panics when standard output is closed.
#[allow(unused_macros, reason = "shadows std's, should anyone use it")]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::output::print(&format!($($arg)*))
    };
}

mod commands;
mod exit;
mod help;
mod input;
mod lang;
mod output;
mod render;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use exit::Exit;

/// Check and run kaohe assessment rulesets (考核规则).
#[derive(Debug, Parser)]
#[command(name = "rulec", version, about, long_about = None)]
struct Cli {
    /// Language of messages: `zh` or `en` (default: `KAOHE_LANG`, else the
    /// locale, `LANG=zh_CN.UTF-8` → zh, else en).
    #[arg(long, global = true, value_name = "zh|en")]
    lang: Option<kaohe::i18n::Lang>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate ruleset files: syntax, names, types, caps, citations.
    Check(commands::check::Args),
    /// Score, rank and explain: evaluate a fact file under a ruleset.
    Eval(commands::eval::Args),
    /// Print the JSON Schema of the fact files a ruleset accepts.
    Schema(commands::schema::Args),
    /// Write a synthetic, valid fact file for a ruleset (load tests, benchmarks).
    Generate(commands::generate::Args),
    /// Write the blank Excel ledger (台账) of a ruleset.
    Template(commands::template::Args),
    /// Read a filled-in Excel ledger into a fact file.
    Import(commands::import::Args),
    /// Rewrite ruleset files in the canonical layout (`--check`: only report).
    Fmt(commands::fmt::Args),
    /// Run golden cases: expected scores, ranks and notices (`--coverage`, `--bless`).
    Test(commands::test::Args),
    /// Show what a rule change does to every unit: OLD and NEW rulesets on the same facts.
    Diff(commands::diff::Args),
    /// The language server for editors, over standard input and output.
    Lsp(commands::lsp::Args),
    /// Seal a period in a store of sealed periods (SQLite): it never changes after.
    Seal(commands::seal::Args),
    /// Re-check a store of sealed periods: the hash chain and every sealed result.
    Verify(commands::verify::Args),
    /// Serve the rulesets of a directory over HTTP (docs/service.md).
    Serve(commands::serve::Args),
}

fn main() -> std::process::ExitCode {
    // The language is needed before parsing: the help and clap's errors are
    // written in it (`--lang`, else `KAOHE_LANG`, else the locale).
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help::lang_before_parsing(&args);
    lang::set(lang);
    let mut command = help::localise(Cli::command(), lang);
    let parsed = command
        .try_get_matches_from_mut(args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
        .map_err(|error| error.format(&mut command));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            if lang == kaohe::i18n::Lang::En {
                let _ = error.print();
            } else if error.use_stderr() {
                output::eprint(&help::render_error(&error, lang));
            } else {
                output::print(&help::render_error(&error, lang));
            }
            return if error.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    // Already read before parsing (`help::lang_before_parsing`), by the
    // same parser: the same language.
    let _ = cli.lang;
    let exit = match cli.command {
        Command::Check(args) => commands::check::run(&args),
        Command::Eval(args) => commands::eval::run(&args),
        Command::Schema(args) => commands::schema::run(&args),
        Command::Generate(args) => commands::generate::run(&args),
        Command::Template(args) => commands::template::run(&args),
        Command::Import(args) => commands::import::run(&args),
        Command::Fmt(args) => commands::fmt::run(&args),
        Command::Test(args) => commands::test::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Lsp(args) => commands::lsp::run(&args),
        Command::Seal(args) => commands::seal::run(&args),
        Command::Verify(args) => commands::verify::run(&args),
        Command::Serve(args) => commands::serve::run(&args),
    };
    exit.into()
}
