//! `rulec eval RULESET FACTS`: score, rank and explain.
//!
//! FACTS is told by its content ([`kaohe_office::sniff`]): a zip archive is an Excel
//! ledger, an OLE2 file an old `.xls` workbook (refused), anything else JSON.
//! With `--format json`, every error is printed as `{"errors": [ … ]}` on
//! standard output (docs/errors.md); otherwise as text on standard error.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use kaohe::error::{ErrorRecord, Location, ToErrorRecords};
use kaohe::eval::result::Selection;
use kaohe::syntax::ast::PeriodUnit;
use kaohe::{Facts, Period, Ruleset};
use kaohe_office::InputKind;

use crate::exit::Exit;
use crate::input;
use crate::output::{ErrorFormat, Failure};
use crate::render::{self, evaluation::OutputFormat};

/// Arguments of `rulec eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset file (`-`: standard input).
    ruleset: PathBuf,
    /// The fact file (JSON, see docs/facts.md), or a filled-in Excel ledger
    /// (`.xlsx`, see docs/office.md), which is imported first; told apart by
    /// content, not name. `-`: standard input.
    facts: PathBuf,
    /// Only this period (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-Wnn, or YYYY under
    /// `period year`; a year elsewhere means the annual result).
    #[arg(long, value_name = "PERIOD", conflicts_with = "year")]
    period: Option<String>,
    /// Only the annual assessment of this year.
    #[arg(long, value_name = "YYYY")]
    year: Option<String>,
    /// Output format; with `json`, errors are printed as JSON on standard output.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Explain one unit's scores line by line (by id or name).
    #[arg(long, value_name = "UNIT")]
    explain: Option<String>,
    /// Write the output to this file instead of standard output (required
    /// for `--format xlsx` and `--format html`; a CSV file starts with a
    /// UTF-8 byte-order mark, for Excel).
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// A sub-assessment's result for an `input` of the ruleset (issue 13
    /// §11): `NAME=SUB.rules:SUB-FACTS.json` evaluates the sub-ruleset on its
    /// facts first and feeds its result, with its provenance, to the input
    /// `NAME`. Once per input.
    #[arg(long = "input", value_name = "NAME=RULES:FACTS")]
    inputs: Vec<String>,
    /// How many threads to use (issue 15 §4): by default as many as the
    /// machine has; `--threads 1` keeps one. The output is the same, byte
    /// for byte, whatever the number.
    #[arg(long, value_name = "N", value_parser = threads, allow_negative_numbers = true)]
    threads: Option<kaohe::Threads>,
}

/// `--threads N`: a whole number of at least one.
fn threads(text: &str) -> Result<kaohe::Threads, String> {
    text.parse::<usize>()
        .ok()
        .and_then(kaohe::Threads::new)
        .ok_or_else(|| {
            format!(
                "`{text}` is not a number of threads (1 to {})",
                kaohe::Threads::MAX
            )
        })
}

/// Reads a ruleset file and checks it, printing diagnostics on failure.
pub fn load_ruleset(path: &Path) -> Result<Ruleset, Exit> {
    ruleset(path).map_err(|failure| failure.report(ErrorFormat::Human))
}

/// Reads a ruleset file (`-`: standard input) and checks it.
pub fn ruleset(path: &Path) -> Result<Ruleset, Failure> {
    let source = input::read_source(path)?;
    Ruleset::from_source(source).map_err(|errors| {
        let count = errors.diagnostics.iter().filter(|d| d.is_error()).count();
        let human = format!(
            "{}{}: {}\n",
            render::human(&errors.source, &errors.diagnostics),
            crate::lang::text("rulec-error", &[]),
            crate::lang::text(
                "rulec-ruleset-errors",
                &[
                    ("ruleset", errors.source.name().to_owned()),
                    ("n", count.to_string())
                ]
            )
        );
        Failure {
            exit: Exit::Failure,
            records: errors.error_records(),
            human,
        }
    })
}

/// Validates a JSON fact file read from `reader` (streamed: a province-scale
/// fact file is never held as text): standard input, or a file that cannot
/// be read twice.
fn json_facts(ruleset: &Ruleset, path: &Path, reader: impl Read) -> Result<Facts, Failure> {
    Facts::from_reader(ruleset, reader).map_err(|errors| fact_failure(path, &errors))
}

/// Validates a JSON fact FILE, read in chunks on up to `threads` threads
/// (issue 15 §2): the facts and errors of [`json_facts`], faster.
fn json_fact_file(
    ruleset: &Ruleset,
    path: &Path,
    file: std::fs::File,
    threads: kaohe::Threads,
) -> Result<Facts, Failure> {
    Facts::from_seekable_within(ruleset, file, &kaohe::Limits::default(), threads)
        .map_err(|errors| fact_failure(path, &errors))
}

/// The errors of a fact file, as text and as error records.
fn fact_failure(path: &Path, errors: &kaohe::FactErrors) -> Failure {
    let name = input::display(path);
    let mut human = String::new();
    let error = crate::lang::text("rulec-error", &[]);
    for e in &errors.errors {
        let message = crate::lang::tr(e.code, &e.message);
        human.push_str(&format!("{error}: {name}: {}: {message}\n", e.path));
    }
    human.push_str(&format!(
        "{error}: {}\n",
        crate::lang::text(
            "rulec-fact-file-errors",
            &[("n", errors.errors.len().to_string())]
        )
    ));
    Failure {
        exit: Exit::Failure,
        records: errors
            .error_records()
            .into_iter()
            .map(|r| r.in_file(&name))
            .collect(),
        human,
    }
}

/// Reads FACTS, whichever kind it is by content: JSON, or an `.xlsx` ledger;
/// a JSON file on as many threads as the machine has.
pub fn facts(ruleset: &Ruleset, path: &Path) -> Result<Facts, Failure> {
    located_facts(ruleset, path, kaohe::Threads::available()).map(|(facts, _)| facts)
}

/// Where the records of a ledger were: index in `records` → (sheet, cell).
type RecordCells = std::collections::BTreeMap<usize, (String, String)>;

/// [`facts`] on up to `threads` threads, with the sheet and cell of each
/// record when FACTS is a ledger (evaluation errors name a ledger's record
/// there, not at `$.records[i]`).
fn located_facts(
    ruleset: &Ruleset,
    path: &Path,
    threads: kaohe::Threads,
) -> Result<(Facts, RecordCells), Failure> {
    // A file is read again from its start after its head is sniffed (and
    // by the chunked reader); standard input is streamed once.
    let mut reader = match input::is_stdin(path) {
        true => Opened::Stdin(input::open(path)?),
        false => Opened::File(input::open_file(path)?),
    };
    let mut head = Vec::with_capacity(512);
    (&mut reader)
        .take(512)
        .read_to_end(&mut head)
        .map_err(|e| input::io_failure("read", path, &e))?;
    // Enough of the file to tell a workbook from JSON by content (zip and
    // OLE2 magic numbers); JSON is streamed, a workbook read whole.
    match kaohe_office::sniff(&head) {
        InputKind::Xlsx | InputKind::Zip | InputKind::Xlsb | InputKind::Ods => {
            let mut bytes = head;
            reader
                .read_to_end(&mut bytes)
                .map_err(|e| input::io_failure("read", path, &e))?;
            ledger(ruleset, path, &bytes)
        }
        // Text that is not JSON (a CSV export, a CSV renamed `.xlsx`) is named
        // as such; blank text goes on to the fact reader ("the file is empty").
        kind @ (InputKind::Xls | InputKind::Html | InputKind::Xml | InputKind::Text)
            if kind != InputKind::Text || !blank(&head) =>
        {
            Err(Failure::one(
                Exit::Failure,
                ErrorRecord::new(
                    kind.code(),
                    format!(
                        "the file is {}, neither a fact file (JSON) nor a ledger (.xlsx)",
                        kind.describe()
                    ),
                )
                .with_help(kind.advice())
                .at(Location::File {
                    file: input::display(path),
                }),
            ))
        }
        _ => match reader {
            // A file that can be sought back (not a pipe): in chunks.
            Opened::File(file) if (&file).seek(std::io::SeekFrom::Start(0)).is_ok() => {
                json_fact_file(ruleset, path, file, threads)
            }
            Opened::File(file) => json_facts(ruleset, path, std::io::Cursor::new(head).chain(file)),
            Opened::Stdin(stdin) => {
                json_facts(ruleset, path, std::io::Cursor::new(head).chain(stdin))
            }
        }
        .map(|facts| (facts, RecordCells::new())),
    }
}

/// FACTS, opened: a file (read again from its start once sniffed) or
/// standard input (read once).
enum Opened {
    File(std::fs::File),
    Stdin(Box<dyn Read>),
}

impl Read for Opened {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Opened::File(file) => file.read(buffer),
            Opened::Stdin(stdin) => stdin.read(buffer),
        }
    }
}

/// Whether `head` holds nothing but white space (after a UTF-8 byte-order mark).
fn blank(head: &[u8]) -> bool {
    head.strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .iter()
        .all(u8::is_ascii_whitespace)
}

/// Imports an `.xlsx` ledger; its errors keep the ledger's own codes
/// (`kaohe::ledger::…`), sheets and cells.
fn ledger(ruleset: &Ruleset, path: &Path, bytes: &[u8]) -> Result<(Facts, RecordCells), Failure> {
    let name = input::display(path);
    match kaohe_office::import(ruleset, bytes) {
        Ok(imported) => {
            let records = imported
                .json
                .get("records")
                .and_then(|r| r.as_array())
                .map_or(0, Vec::len);
            let cells = (0..records)
                .filter_map(|i| {
                    imported
                        .record_cell(i)
                        .map(|(sheet, cell)| (i, (sheet.to_owned(), cell.to_owned())))
                })
                .collect();
            Ok((imported.facts, cells))
        }
        Err(error) => {
            let errors = error.errors();
            let mut human = String::new();
            let word = crate::lang::text("rulec-error", &[]);
            for e in errors {
                human.push_str(&format!(
                    "{word}: {name}: {}\n",
                    crate::lang::ledger_error(e)
                ));
            }
            human.push_str(&format!(
                "{word}: {}\n",
                crate::lang::text("rulec-ledger-errors", &[("n", errors.len().to_string())])
            ));
            let records = errors
                .iter()
                .map(|e| {
                    let mut record = ErrorRecord::new(e.code, e.message.clone());
                    if let Some(help) = &e.help {
                        record = record.with_help(help.clone());
                    }
                    match &e.sheet {
                        Some(sheet) => record.at(Location::Cell {
                            file: Some(name.clone()),
                            sheet: sheet.clone(),
                            cell: e.cell.clone(),
                        }),
                        None => record.in_file(&name),
                    }
                })
                .collect();
            Err(Failure {
                exit: Exit::Failure,
                records,
                human,
            })
        }
    }
}

/// Evaluates each `--input NAME=RULES:FACTS` (the sub-ruleset on its facts)
/// and checks the results against the ruleset's `input` declarations.
fn sub_assessments(
    ruleset: &Ruleset,
    specs: &[String],
    threads: kaohe::Threads,
) -> Result<kaohe::input::Inputs, Failure> {
    let supplied = supplied_inputs_on(specs, threads)?;
    kaohe::input::Inputs::from_json(ruleset, &supplied).map_err(|errors| input_failure(&errors))
}

/// How `RULES:FACTS` of an `--input` splits (see [`split_input_files`]).
#[derive(Debug, PartialEq, Eq)]
enum Split<'a> {
    /// The ruleset path and the facts path.
    Files(&'a str, &'a str),
    /// No colon with text on both sides.
    NoColon,
    /// More than one colon separates two existing files: every such split.
    Ambiguous(Vec<(&'a str, &'a str)>),
}

/// `RULES:FACTS` of an `--input`, split at a colon. A path may hold a colon
/// itself (`C:\\考核\\sub.rules` on Windows, a directory `a:b`), so when
/// several colons could split it, the split is the one where both sides are
/// existing files; more than one such split is ambiguous (refused, never
/// chosen). When no split names two existing files (a path misspelt), the
/// split whose ruleset exists, else the one whose facts exist, else the
/// first colon, so that the error that follows names the file actually
/// missing. Both sides must be non-empty.
fn split_input_files(files: &str) -> Split<'_> {
    let splits: Vec<(&str, &str)> = files
        .match_indices(':')
        .filter_map(|(at, _)| Some((files.get(..at)?, files.get(at + 1..)?)))
        .filter(|(r, f)| !r.is_empty() && !f.is_empty())
        .collect();
    let exists = |path: &str| Path::new(path).is_file();
    let both: Vec<(&str, &str)> = splits
        .iter()
        .copied()
        .filter(|(r, f)| exists(r) && exists(f))
        .collect();
    match both.as_slice() {
        [one] => return Split::Files(one.0, one.1),
        [_, _, ..] => return Split::Ambiguous(both),
        [] => {}
    }
    splits
        .iter()
        .find(|(r, _)| exists(r))
        .or_else(|| splits.iter().find(|(_, f)| exists(f)))
        .or_else(|| splits.first())
        .map_or(Split::NoColon, |(r, f)| Split::Files(r, f))
}

/// The sub-assessments' evaluation JSON of each `--input NAME=RULES:FACTS`
/// (the sub-ruleset evaluated on its facts), by input name, unchecked
/// against the main ruleset: what `rulec eval` and `rulec seal` share.
/// Refused: a spec not `NAME=RULES:FACTS`, a name given twice (usage
/// errors), a sub-ruleset or sub-facts that do not read, a sub-evaluation
/// that fails.
pub fn supplied_inputs(
    specs: &[String],
) -> Result<std::collections::BTreeMap<String, serde_json::Value>, Failure> {
    supplied_inputs_on(specs, kaohe::Threads::ONE)
}

/// [`supplied_inputs`], each sub-assessment evaluated on `threads` (`rulec
/// eval --threads`; the result is the same whatever the number).
fn supplied_inputs_on(
    specs: &[String],
    threads: kaohe::Threads,
) -> Result<std::collections::BTreeMap<String, serde_json::Value>, Failure> {
    let mut supplied = std::collections::BTreeMap::new();
    for spec in specs {
        let not_a_spec = || {
            Failure::usage(format!(
                "`--input {spec}` is not `NAME=RULES:FACTS` (e.g. `--input petition=petition.rules:petition-2026-05.json`)"
            ))
        };
        let (name, files) = spec
            .split_once('=')
            .filter(|(name, _)| !name.is_empty())
            .ok_or_else(not_a_spec)?;
        let (rules, facts_path) = match split_input_files(files) {
            Split::Files(rules, facts) => (rules, facts),
            Split::NoColon => return Err(not_a_spec()),
            Split::Ambiguous(splits) => {
                let splits = splits
                    .iter()
                    .map(|(r, f)| format!("`{r}` + `{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(Failure::one(
                    Exit::Usage,
                    ErrorRecord::new(
                        "kaohe::cli::usage",
                        format!(
                            "`--input {spec}` is ambiguous: more than one of its colons separates two existing files ({splits})"
                        ),
                    )
                    .with_help(
                        "rename or move a file so that one colon only separates an existing ruleset from existing facts",
                    ),
                ));
            }
        };
        // The same input twice: which result would be read would be a
        // silent choice (the last one given).
        if supplied.contains_key(name) {
            return Err(Failure::usage(format!(
                "`--input {name}=…` is given twice: give each input once"
            )));
        }
        let sub = ruleset_of(Path::new(rules))?;
        let sub_facts = facts(&sub, Path::new(facts_path))?;
        let evaluation = sub
            .evaluate_with(
                &sub_facts,
                &kaohe::EvalOptions {
                    detail: kaohe::Detail::Totals,
                    facts_hash: kaohe::FactsHash::Include,
                    threads,
                },
            )
            .map_err(|error| Failure {
                exit: Exit::Failure,
                human: format!(
                    "{}: {rules}: {}\n",
                    crate::lang::text("rulec-error", &[]),
                    crate::lang::tr(kaohe::error::EVAL_FAILED, &error.to_string())
                ),
                records: error.error_records(),
            })?;
        let json: serde_json::Value = serde_json::from_str(&evaluation.to_json())
            .map_err(|e| Failure::usage(format!("the result of `{rules}` cannot be read: {e}")))?;
        supplied.insert(name.to_owned(), json);
    }
    Ok(supplied)
}

/// The inputs' errors (`kaohe::input::…`), located at the `--input` option
/// with their JSON path.
pub fn input_failure(errors: &[kaohe::input::InputError]) -> Failure {
    {
        let records: Vec<ErrorRecord> = errors
            .iter()
            .map(|e| {
                let record = ErrorRecord::new(e.code, e.message.clone()).at(Location::Path {
                    file: Some("--input".to_owned()),
                    path: e.path.clone(),
                    line: None,
                    column: None,
                });
                match &e.help {
                    Some(help) => record.with_help(help.clone()),
                    None => record,
                }
            })
            .collect();
        let mut human = String::new();
        for record in &records {
            human.push_str(&Failure::one(Exit::Failure, record.clone()).human);
        }
        Failure {
            exit: Exit::Failure,
            records,
            human,
        }
    }
}

/// [`ruleset`], under a name that does not clash with the argument.
fn ruleset_of(path: &Path) -> Result<Ruleset, Failure> {
    ruleset(path)
}

/// Runs `rulec eval`.
pub fn run(args: &Args) -> Exit {
    let errors = if args.format == OutputFormat::Json {
        ErrorFormat::Json
    } else {
        ErrorFormat::Human
    };
    match evaluate(args) {
        Ok(exit) => exit,
        Err(failure) => failure.report(errors),
    }
}

/// Writes the evaluation as JSON (pretty) or CSV to `out`. Generic, not
/// `&mut dyn Write`: serde_json writes a province's 860 MB of JSON in
/// millions of small pieces, and each went through a virtual call to
/// `BufWriter::write_all` (11% of `rulec eval --format json`).
fn write_streamed<W: Write>(
    out: &mut W,
    format: OutputFormat,
    evaluation: &kaohe::Evaluation,
) -> std::io::Result<()> {
    if format == OutputFormat::Json {
        serde_json::to_writer_pretty(&mut *out, evaluation).map_err(std::io::Error::from)?;
        out.write_all(b"\n")
    } else {
        render::evaluation::csv(evaluation, out)
    }
}

fn evaluate(args: &Args) -> Result<Exit, Failure> {
    check_arguments(args)?;
    let period = match args.period.as_ref().or(args.year.as_ref()) {
        None => None,
        Some(text) => match text.parse::<Period>() {
            Ok(p) if args.year.is_none() || matches!(p, Period::Year(_)) => Some(p),
            _ => {
                return Err(Failure::usage(
                    match kaohe::period::week_out_of_year(text) {
                        Some(why) => format!("`{text}` is not a period: {why}"),
                        None => format!(
                            "`{text}` is not a period (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-Wnn) or year (YYYY)"
                        ),
                    },
                ))
            }
        },
    };
    let ruleset = ruleset(&args.ruleset)?;
    check_period_kind(&ruleset, period)?;
    let threads = args.threads.unwrap_or_else(kaohe::Threads::available);
    let (facts, cells) = located_facts(&ruleset, &args.facts, threads)?;
    if facts.records.is_empty() && facts.periods.is_empty() {
        return Err(Failure::one(
            Exit::Failure,
            ErrorRecord::new(
                "kaohe::cli::nothing_to_evaluate",
                "the fact file has no records and no `periods`: there is nothing to evaluate",
            )
            .with_help("add the period's records, or list the period in `periods` to evaluate it with none")
            .at(Location::Path {
                file: Some(input::display(&args.facts)),
                path: "$.records".to_owned(),
                line: None,
                column: None,
            }),
        ));
    }
    // Parts of valid facts the ruleset ignores (a `discretion` order no
    // ranking uses): warned about, never silently dropped.
    for warning in kaohe::check::fact_warnings(&ruleset, &facts) {
        eprintln!(
            "{}: {}: {}",
            crate::lang::text("rulec-warning", &[]),
            warning.path,
            crate::lang::tr(warning.code, &warning.message)
        );
        if let Some(help) = &warning.help {
            eprintln!(
                "  {}: {}",
                crate::lang::text("rulec-help", &[]),
                crate::lang::tr(warning.code, help)
            );
        }
    }
    // Ranking tables show totals, subtotals, ranks and notices, no line items.
    let detail = match (args.format, &args.explain) {
        (OutputFormat::Table | OutputFormat::Csv | OutputFormat::Markdown, None) => {
            kaohe::Detail::Totals
        }
        _ => kaohe::Detail::Full,
    };
    // Only the JSON output and the bulletins print the facts' hash.
    let facts_hash = match args.format {
        OutputFormat::Table | OutputFormat::Csv | OutputFormat::Markdown => kaohe::FactsHash::Omit,
        OutputFormat::Json | OutputFormat::Xlsx | OutputFormat::Html => kaohe::FactsHash::Include,
    };
    let threads = args.threads.unwrap_or_else(kaohe::Threads::available);
    let inputs = sub_assessments(&ruleset, &args.inputs, threads)?;
    let options = kaohe::EvalOptions {
        detail,
        facts_hash,
        threads,
    };
    let evaluation = ruleset
        .evaluate_with_inputs(&facts, &options, &inputs)
        .map_err(|mut error| {
            // A ledger's record is named at its row, not at `$.records[i]`.
            error.each_record_mut(|record| {
                let index = record.path.as_deref().and_then(|p| {
                    p.strip_prefix("$.records[")?
                        .strip_suffix(']')?
                        .parse()
                        .ok()
                });
                if let Some((sheet, cell)) = index.and_then(|i: usize| cells.get(&i)) {
                    record.in_ledger(sheet, cell);
                }
            });
            eval_failure(&error, &ruleset)
        })?;
    if let Some(p) = period {
        if !evaluation.periods.contains(&p) {
            return Err(Failure::usage(format!(
                "period {p} is not in the facts (evaluated: {})",
                list(&evaluation.periods)
            )));
        }
    }
    if let Some(unit) = &args.explain {
        if !facts
            .units
            .iter()
            .any(|u| u.id.as_str() == unit || u.name.as_str() == unit)
        {
            return Err(unknown_unit(unit, &facts));
        }
    }
    if args.format.is_file() {
        return Ok(write_bulletin(args, &ruleset, &evaluation, period));
    }
    let mut selected = evaluation.select(&Selection {
        period,
        unit: args.explain.clone(),
    });
    // The facts' warnings in the JSON (`facts.warnings`, docs/api.md) speak
    // the asked language, as errors do: only `message` and `help` change.
    for warning in &mut selected.facts.warnings {
        warning.message = crate::lang::tr(warning.code, &warning.message);
        if let Some(help) = &mut warning.help {
            *help = crate::lang::tr(warning.code, help);
        }
    }
    if let Some(unit) = &args.explain {
        if selected.results.is_empty() {
            return Err(Failure::usage(format!(
                "unit `{unit}` has no results{}",
                period.map(|p| format!(" in {p}")).unwrap_or_default()
            )));
        }
    }
    // JSON and CSV are written as they are produced (issue 15 §3): a
    // province-year's output is never held whole in memory.
    let streamed = args.explain.is_none() && args.format == OutputFormat::Csv
        || args.format == OutputFormat::Json;
    if streamed {
        let format = args.format;
        match &args.output {
            // A closed pipe or other write error ends the output quietly, as
            // for every other output (`crate::output`).
            None => {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
                let _ = write_streamed(&mut out, format, &selected).and_then(|()| out.flush());
            }
            Some(path) => {
                let failed = |e: std::io::Error| input::io_failure("write", path, &e);
                let file = std::fs::File::create(path).map_err(failed)?;
                let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
                // Excel on Chinese Windows reads a CSV without a byte-order
                // mark as GBK; a CSV *file* gets one (see below).
                if args.format == OutputFormat::Csv {
                    out.write_all("\u{FEFF}".as_bytes()).map_err(failed)?;
                }
                write_streamed(&mut out, format, &selected)
                    .and_then(|()| out.flush())
                    .map_err(failed)?;
            }
        }
        // The process ends after this: the evaluation and the facts (a
        // province's are millions of small allocations) are left to the
        // operating system instead of being freed one by one.
        std::mem::forget(selected);
        std::mem::forget(facts);
        return Ok(Exit::Ok);
    }
    let out = match (args.format, &args.explain) {
        (format, Some(_)) => render::evaluation::explain(&selected, format),
        (format, None) => render::evaluation::ranking(&selected, &ruleset, format),
    };
    match &args.output {
        None => crate::output::println(&out),
        Some(path) => {
            // Excel on Chinese Windows reads a CSV without a byte-order mark
            // as GBK; a CSV *file* gets one. Standard output gets none: it is
            // read by programs, which a mark would confuse (docs).
            let bom = if args.format == OutputFormat::Csv {
                "\u{FEFF}"
            } else {
                ""
            };
            std::fs::write(path, format!("{bom}{out}\n"))
                .map_err(|e| input::io_failure("write", path, &e))?;
        }
    }
    Ok(Exit::Ok)
}

/// Refuses combinations of arguments that would be ignored.
fn check_arguments(args: &Args) -> Result<(), Failure> {
    if input::is_stdin(&args.ruleset) && input::is_stdin(&args.facts) {
        return Err(Failure::usage(
            "the ruleset and the facts cannot both be read from standard input (`-`)",
        ));
    }
    if args.format.is_file() {
        if args.output.is_none() {
            return Err(Failure::usage(format!(
                "--format {} writes a file: give it with -o PATH",
                format_name(args.format)
            )));
        }
        if args.explain.is_some() {
            return Err(Failure::usage(format!(
                "--explain prints one unit; the {} bulletin explains every unit",
                format_name(args.format)
            )));
        }
    }
    if args.explain.is_some() && args.format == OutputFormat::Csv {
        return Err(Failure::one(
            Exit::Usage,
            ErrorRecord::new(
                "kaohe::cli::usage",
                "--explain cannot be written as csv: an explanation is not a table",
            )
            .with_help("use --format table, markdown or json with --explain"),
        ));
    }
    Ok(())
}

/// A quarter on a monthly ruleset (or a month on a quarterly one) is refused,
/// naming what the ruleset is.
fn check_period_kind(ruleset: &Ruleset, period: Option<Period>) -> Result<(), Failure> {
    let unit = ruleset.period_unit();
    let (wanted, example) = match period {
        // A year is the annual assessment (or the period of `period year`).
        Some(p) if p.unit() != unit && p.unit() != PeriodUnit::Year => (
            unit.adjective(),
            Period::containing(unit, p.start()).to_string(),
        ),
        _ => return Ok(()),
    };
    let given = period.map(|p| p.to_string()).unwrap_or_default();
    Err(Failure::one(
        Exit::Usage,
        ErrorRecord::new(
            "kaohe::cli::period_kind",
            format!(
                "ruleset `{}` is {wanted}: it has no period {given}",
                ruleset.source().name()
            ),
        )
        .with_help(if unit == PeriodUnit::Year {
            // Under `period year` the year is the period: no separate annual assessment.
            format!("give a year such as --period {example}")
        } else {
            format!(
                "give a {} such as --period {example}, or --year for the annual assessment",
                unit.name()
            )
        }),
    ))
}

/// "no unit `x`", with the closest ids and names.
fn unknown_unit(unit: &str, facts: &Facts) -> Failure {
    let mut candidates: Vec<(usize, String)> = facts
        .units
        .iter()
        .flat_map(|u| {
            let shown = format!("`{}` ({})", u.id, u.name);
            [
                (
                    strsim::damerau_levenshtein(unit, u.id.as_str()),
                    shown.clone(),
                ),
                (strsim::damerau_levenshtein(unit, u.name.as_str()), shown),
            ]
        })
        .collect();
    candidates.sort();
    let mut closest: Vec<String> = Vec::new();
    for (distance, shown) in candidates {
        if distance <= unit.chars().count().div_ceil(2).max(1) && !closest.contains(&shown) {
            closest.push(shown);
        }
    }
    closest.truncate(3);
    let record = ErrorRecord::new(
        "kaohe::cli::unknown_unit",
        format!("no unit `{unit}` in the facts"),
    );
    Failure::one(
        Exit::Usage,
        if closest.is_empty() {
            record.with_help("--explain takes a unit's id or name as in the fact file's `units`")
        } else {
            record.with_help(format!("did you mean {}?", closest.join(" or ")))
        },
    )
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
                eprintln!(
                    "{}",
                    crate::lang::error_line("kaohe::cli::io", &error.to_string())
                );
                return Exit::Failure;
            }
        },
    };
    if let Err(error) = std::fs::write(path, bytes) {
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
        crate::lang::text("rulec-wrote", &[("file", path.display().to_string())])
    );
    Exit::Ok
}

fn list(periods: &[Period]) -> String {
    periods
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// An evaluation's refusal (exit 1): every error of the pass (the first and
/// those found with it), each with the ruleset text it points at; shared by
/// `rulec eval` and the store commands (`rulec seal`).
pub(crate) fn eval_failure(error: &kaohe::EvalError, ruleset: &kaohe::Ruleset) -> Failure {
    let mut human = String::new();
    for one in error.all() {
        human.push_str(&format!(
            "{}: {}\n",
            crate::lang::text("rulec-error", &[]),
            crate::lang::tr(kaohe::error::EVAL_FAILED, &one.to_string())
        ));
        if let Some(at) = &one.location {
            let span = one.span.unwrap_or_default();
            human.push_str(&format!(
                "  {} {}:{}:{}: `{}`\n",
                crate::lang::text("rulec-at", &[]),
                at.file,
                at.start.line,
                at.start.column,
                ruleset.source().slice(span)
            ));
        }
    }
    Failure {
        exit: Exit::Failure,
        records: error.error_records(),
        human,
    }
}
