//! `rulec eval RULESET FACTS`: score, rank and explain.

use std::path::PathBuf;

use kaohe::eval::result::Selection;
use kaohe::{Facts, Period, Ruleset, SourceFile};

use crate::exit::Exit;
use crate::render::{self, evaluation::OutputFormat};

/// Arguments of `rulec eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset file.
    ruleset: PathBuf,
    /// The fact file (JSON, see docs/facts.md), or a filled-in Excel ledger
    /// (`.xlsx`, see docs/office.md), which is imported first.
    facts: PathBuf,
    /// Only this month or quarter (YYYY-MM or YYYY-Qn).
    #[arg(long, value_name = "PERIOD", conflicts_with = "year")]
    period: Option<String>,
    /// Only the annual assessment of this year.
    #[arg(long, value_name = "YYYY")]
    year: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Explain one unit's scores line by line (by id or name).
    #[arg(long, value_name = "UNIT")]
    explain: Option<String>,
    /// Write the output to this file instead of standard output (required
    /// for `--format xlsx` and `--format html`).
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
}

/// Reads a ruleset file and checks it, printing diagnostics on failure.
pub fn load_ruleset(path: &PathBuf) -> Result<Ruleset, Exit> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        eprintln!("error: cannot read `{}`: {error}", path.display());
        Exit::Usage
    })?;
    Ruleset::from_source(SourceFile::new(path.display().to_string(), text)).map_err(|errors| {
        eprint!("{}", render::human(&errors.source, &errors.diagnostics));
        let count = errors.diagnostics.iter().filter(|d| d.is_error()).count();
        eprintln!(
            "error: ruleset `{}` has {count} error(s); nothing was evaluated",
            path.display()
        );
        Exit::Failure
    })
}

/// Reads and validates a fact file, printing every error with its JSON path.
pub fn load_facts(ruleset: &Ruleset, path: &PathBuf) -> Result<Facts, Exit> {
    // Streamed from the file: a province-scale fact file is never held as text.
    let file = std::fs::File::open(path).map_err(|error| {
        eprintln!("error: cannot read `{}`: {error}", path.display());
        Exit::Usage
    })?;
    Facts::from_reader(ruleset, file).map_err(|errors| {
        for e in &errors.errors {
            eprintln!("error: {}: {}: {}", path.display(), e.path, e.message);
        }
        eprintln!(
            "error: the fact file has {} error(s); nothing was evaluated",
            errors.errors.len()
        );
        Exit::Failure
    })
}

/// Runs `rulec eval`.
pub fn run(args: &Args) -> Exit {
    if args.format.is_file() {
        if args.output.is_none() {
            eprintln!(
                "error: --format {} writes a file: give it with -o PATH",
                format_name(args.format)
            );
            return Exit::Usage;
        }
        if args.explain.is_some() {
            eprintln!(
                "error: --explain prints one unit; the {} bulletin explains every unit",
                format_name(args.format)
            );
            return Exit::Usage;
        }
    }
    let period = match args.period.as_ref().or(args.year.as_ref()) {
        None => None,
        Some(text) => match text.parse::<Period>() {
            Ok(p) if args.year.is_none() || matches!(p, Period::Year(_)) => Some(p),
            _ => {
                eprintln!("error: `{text}` is not a period (YYYY-MM, YYYY-Qn) or year (YYYY)");
                return Exit::Usage;
            }
        },
    };
    let ruleset = match load_ruleset(&args.ruleset) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let facts = if crate::commands::import::is_ledger(&args.facts) {
        crate::commands::import::load_ledger(&ruleset, &args.facts).map(|i| i.facts)
    } else {
        load_facts(&ruleset, &args.facts)
    };
    let facts = match facts {
        Ok(f) => f,
        Err(exit) => return exit,
    };
    // Parts of valid facts the ruleset ignores (a `discretion` order no
    // ranking uses): warned about, never silently dropped.
    for warning in kaohe::check::fact_warnings(&ruleset, &facts) {
        use std::io::Write as _;
        let mut stderr = std::io::stderr();
        let _ = writeln!(stderr, "warning: {}: {}", warning.path, warning.message);
        if let Some(help) = &warning.help {
            let _ = writeln!(stderr, "  help: {help}");
        }
    }
    // Ranking tables show totals, subtotals, ranks and notices, no line items.
    let detail = match (args.format, &args.explain) {
        (OutputFormat::Table | OutputFormat::Csv | OutputFormat::Markdown, None) => {
            kaohe::Detail::Totals
        }
        _ => kaohe::Detail::Full,
    };
    let evaluation = match ruleset.evaluate_with(&facts, &kaohe::EvalOptions { detail }) {
        Ok(e) => e,
        Err(error) => {
            eprintln!("error: {error}");
            if let Some(span) = error.span {
                let at = ruleset.source().line_column(span.start);
                eprintln!(
                    "  at {}:{}:{}: `{}`",
                    ruleset.source().name(),
                    at.line,
                    at.column,
                    ruleset.source().slice(span)
                );
            }
            return Exit::Failure;
        }
    };
    if let Some(p) = period {
        if !evaluation.periods.contains(&p) {
            eprintln!(
                "error: period {p} is not in the facts (evaluated: {})",
                list(&evaluation.periods)
            );
            return Exit::Usage;
        }
    }
    if args.format.is_file() {
        return write_bulletin(args, &ruleset, &evaluation, period);
    }
    let selected = evaluation.select(&Selection {
        period,
        unit: args.explain.clone(),
    });
    if let Some(unit) = &args.explain {
        if selected.results.is_empty() {
            eprintln!("error: no unit `{unit}` in the results");
            return Exit::Usage;
        }
    }
    let out = match (args.format, &args.explain) {
        (OutputFormat::Json, _) => selected.to_json(),
        (format, Some(_)) => render::evaluation::explain(&selected, format),
        (format, None) => render::evaluation::ranking(&selected, &ruleset, format),
    };
    match &args.output {
        None => crate::output::println(&out),
        Some(path) => {
            if let Err(error) = std::fs::write(path, format!("{out}\n")) {
                eprintln!("error: cannot write `{}`: {error}", path.display());
                return Exit::Usage;
            }
        }
    }
    Exit::Ok
}

fn format_name(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Xlsx => "xlsx",
        OutputFormat::Html => "html",
        OutputFormat::Table => "table",
        OutputFormat::Json => "json",
        OutputFormat::Csv => "csv",
        OutputFormat::Markdown => "markdown",
    }
}

/// Writes the xlsx or html bulletin of the whole evaluation (the previous
/// period is needed for the change), restricted to `period` if given.
fn write_bulletin(
    args: &Args,
    ruleset: &Ruleset,
    evaluation: &kaohe::Evaluation,
    period: Option<Period>,
) -> Exit {
    let Some(path) = &args.output else {
        return Exit::Usage;
    };
    let scope = kaohe_office::Scope { period };
    let bytes = match args.format {
        OutputFormat::Html => kaohe_office::bulletin_html(ruleset, evaluation, &scope).into_bytes(),
        _ => match kaohe_office::bulletin_xlsx(ruleset, evaluation, &scope) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("error: {error}");
                return Exit::Failure;
            }
        },
    };
    if let Err(error) = std::fs::write(path, bytes) {
        eprintln!("error: cannot write `{}`: {error}", path.display());
        return Exit::Usage;
    }
    eprintln!("wrote {}", path.display());
    Exit::Ok
}

fn list(periods: &[Period]) -> String {
    periods
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
