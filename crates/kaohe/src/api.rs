//! The JSON contract shared by every language binding (issue 14 §3).
//!
//! Each operation takes text (a ruleset's source, a fact file, options as
//! JSON) and gives back either JSON text or, on failure, [`ApiErrors`], whose
//! JSON is `{"api_version": 1, "errors": [ … ]}`. The C ABI
//! (`crates/kaohe-ffi`), the Python package (`bindings/python`) and the Java
//! binding (`bindings/java`) are thin layers over these functions, so every
//! language sees the same results and the same errors. `docs/api.md`
//! describes each operation and gives the JSON Schemas of its results.
//!
//! The Rust API ([`Ruleset`], [`Facts`], [`Evaluation`](crate::Evaluation))
//! stays first-class; use it from Rust. This module is for hosts that speak JSON.
//!
//! ```
//! let text = std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../../rulesets/miluo-2026/miluo-2026.rules"
//! ))?;
//! let compiled = kaohe::api::compile("miluo-2026.rules", &text)?;
//! let facts = r#"{"as_of": "2026-06-10",
//!   "units": [{"id": "jtj", "name": "教体局", "group": "lead"}], "records": []}"#;
//! let json = kaohe::api::evaluate(&compiled, facts, r#"{"detail": "totals"}"#)?;
//! assert!(json.starts_with(r#"{"format_version":1,"#));
//!
//! // A failure is data: every error with a stable code and its location.
//! let failed = kaohe::api::evaluate(&compiled, r#"{"units": 3}"#, "{}").unwrap_err();
//! assert!(failed.errors[0].code.starts_with("kaohe::facts::"));
//! assert!(failed.to_json().starts_with(r#"{"api_version":1,"errors":[{"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Every function here is a pure function of its arguments: no global state,
//! nothing printed, and a [`Compiled`] ruleset is `Send + Sync`, so one
//! compiled ruleset can be evaluated from many threads at once.

use serde::Serialize;
use serde_json::Value as Json;

use crate::diagnostics::{DiagnosticRecord, Severity};
use crate::error::{ErrorRecord, Location, ToErrorRecords};
use crate::eval::result::Selection;
use crate::eval::{Detail, EvalError, EvalOptions};
use crate::facts::{FactError, Facts};
use crate::i18n::{Catalog, Lang};
use crate::impact::{Impact, ImpactError};
use crate::period::Period;
use crate::ruleset::{Ruleset, RulesetErrors};
use crate::source::{LineColumn, SourceFile};
use crate::{check as check_source, schema};

/// The version of this contract. It increments when an operation, a field of
/// a result or an error is removed or changes meaning; additions keep it.
pub const API_VERSION: u32 = 1;

/// One error (or warning) as data: the shape shared by every area of kaohe
/// (`docs/errors.md`). Exactly one kind of location is set: `file`/`line`/
/// `column`/`end` for a ruleset or an evaluation, `path` (a JSON path) for a
/// fact file or options, `sheet`/`cell` for a ledger; none for an error with no
/// place (e.g. an unreadable workbook).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// The stable code, e.g. `kaohe::unknown_name`, `kaohe::facts::wrong_type`.
    pub code: String,
    /// `error` or `warning`.
    pub severity: Severity,
    /// What is wrong, in English.
    pub message: String,
    /// Advice, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The ruleset file's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line where the span starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters) where the span starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Where the span ends (1-based line and column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<LineColumn>,
    /// The JSON path of the value at fault: `$.records[3].attributes.tier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The ledger sheet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The ledger cell, e.g. `C14`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// For an evaluation error about one record: its kind, id and JSON path
    /// in the facts (the path is also in `path`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<crate::eval::RecordAt>,
}

impl ApiError {
    /// An error with a code and a message and no location.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.into(),
            severity: Severity::Error,
            message: message.into(),
            help: None,
            file: None,
            line: None,
            column: None,
            end: None,
            path: None,
            sheet: None,
            cell: None,
            record: None,
        }
    }

    /// The same error with advice.
    pub fn with_help(mut self, help: impl Into<String>) -> ApiError {
        self.help = Some(help.into());
        self
    }

    /// The same error located at a JSON path.
    pub fn at_path(mut self, path: impl Into<String>) -> ApiError {
        self.path = Some(path.into());
        self
    }
}

// Errors reach the contract through the shared errors-as-data conversion
// (`kaohe::error::ToErrorRecords`), flattened into the envelope's element.

impl From<ErrorRecord> for ApiError {
    fn from(r: ErrorRecord) -> ApiError {
        let mut out = ApiError {
            severity: r.severity,
            help: r.help,
            ..ApiError::new(r.code, r.message)
        };
        if let Some(record) = r.record {
            out.path.clone_from(&record.path);
            out.record = Some(record);
        }
        match r.location {
            Location::Source(range) => {
                out.file = Some(range.file);
                out.line = Some(range.start.line);
                out.column = Some(range.start.column);
                out.end = Some(range.end);
            }
            Location::Path {
                file,
                path,
                line,
                column,
            } => {
                out.file = file;
                out.path = Some(path);
                out.line = line.and_then(|l| usize::try_from(l).ok());
                out.column = column.and_then(|c| usize::try_from(c).ok());
            }
            Location::Cell { file, sheet, cell } => {
                out.file = file;
                out.sheet = Some(sheet);
                out.cell = cell;
            }
            Location::File { file } => out.file = Some(file),
            Location::Nowhere {} => {}
        }
        out
    }
}

impl From<DiagnosticRecord> for ApiError {
    fn from(d: DiagnosticRecord) -> ApiError {
        ApiError {
            code: d.code,
            severity: d.severity,
            message: d.message,
            help: d.help,
            file: Some(d.file),
            line: Some(d.start.line),
            column: Some(d.start.column),
            end: Some(d.end),
            ..ApiError::new("", "")
        }
    }
}

impl From<&FactError> for ApiError {
    /// The fact error's own code (`kaohe::facts::…`) and JSON path.
    fn from(e: &FactError) -> ApiError {
        e.error_records()
            .into_iter()
            .next()
            .map(ApiError::from)
            .unwrap_or_else(|| ApiError::new(e.code, e.message.clone()).at_path(e.path.clone()))
    }
}

/// Every error of a failed evaluation ([`EvalError::all`]), each located
/// in `source` when it has a span.
fn eval_errors(e: &EvalError, source: &SourceFile) -> Vec<ApiError> {
    e.all().map(|one| eval_error(one, source)).collect()
}

/// An evaluation error, located in `source` when it has a span.
fn eval_error(e: &EvalError, source: &SourceFile) -> ApiError {
    let mut out = ApiError::new(crate::error::EVAL_FAILED, e.to_string());
    if let Some(record) = e.record.as_deref() {
        out.path.clone_from(&record.path);
        out.record = Some(record.clone());
    }
    if let Some(span) = e.span {
        let start = source.line_column(span.start);
        out.file = Some(source.name().to_owned());
        out.line = Some(start.line);
        out.column = Some(start.column);
        out.end = Some(source.line_column(span.end));
    }
    out
}

/// A failed operation: every error found (never empty). Its JSON, from
/// [`ApiErrors::to_json`], is `{"api_version": 1, "errors": [ … ]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.summary())]
pub struct ApiErrors {
    /// Always [`API_VERSION`].
    pub api_version: u32,
    /// The errors (and, for a ruleset, its warnings), in the order of the input.
    pub errors: Vec<ApiError>,
}

impl ApiErrors {
    /// A failure with these errors.
    pub fn new(errors: Vec<ApiError>) -> ApiErrors {
        ApiErrors {
            api_version: API_VERSION,
            errors,
        }
    }

    /// A failure with one error.
    pub fn one(error: ApiError) -> ApiErrors {
        ApiErrors::new(vec![error])
    }

    /// The compact JSON form, `{"api_version":1,"errors":[…]}`.
    pub fn to_json(&self) -> String {
        to_json(self)
    }

    /// The same errors with every message and help in `lang` (issue 16 §3;
    /// codes and locations unchanged).
    #[must_use]
    pub fn in_lang(mut self, lang: Lang, catalog: &Catalog) -> ApiErrors {
        if lang != Lang::En {
            for error in &mut self.errors {
                error.message = catalog.text(lang, &error.code, &error.message);
                error.help = error
                    .help
                    .take()
                    .map(|h| catalog.text(lang, &error.code, &h));
            }
        }
        self
    }

    fn summary(&self) -> String {
        let n = self
            .errors
            .iter()
            .filter(|e| e.severity == Severity::Error)
            .count();
        let first = self.errors.iter().find(|e| e.severity == Severity::Error);
        match first {
            Some(e) => format!("{n} error(s), the first: {}", e.message),
            None => "no error".to_owned(),
        }
    }
}

impl From<RulesetErrors> for ApiErrors {
    fn from(e: RulesetErrors) -> ApiErrors {
        ApiErrors::new(
            e.diagnostics
                .iter()
                .map(|d| ApiError::from(d.record(&e.source)))
                .collect(),
        )
    }
}

/// Compact JSON of a value whose serialisation cannot fail (plain structs and
/// maps with string keys); an impossible failure still yields valid JSON.
fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| {
        let error = ApiError::new("kaohe::api::internal", format!("cannot serialise: {e}"));
        format!(
            "{{\"api_version\":{API_VERSION},\"errors\":[{}]}}",
            serde_json::to_string(&error).unwrap_or_default()
        )
    })
}

/// A checked ruleset, ready to evaluate many times, from many threads at once.
#[derive(Debug, Clone)]
pub struct Compiled {
    ruleset: Ruleset,
}

impl Compiled {
    /// Wraps a ruleset checked through the Rust API.
    pub fn new(ruleset: Ruleset) -> Compiled {
        Compiled { ruleset }
    }

    /// The ruleset.
    pub fn ruleset(&self) -> &Ruleset {
        &self.ruleset
    }

    /// The checker's warnings as the result of [`check`]: `{"api_version": 1,
    /// "ok": true, "diagnostics": [ … ]}`.
    pub fn warnings_json(&self) -> String {
        let source = self.ruleset.source();
        check_result(
            true,
            self.ruleset
                .warnings()
                .iter()
                .map(|d| ApiError::from(d.record(source)))
                .collect(),
        )
    }
}

#[derive(Serialize)]
struct CheckResult {
    api_version: u32,
    ok: bool,
    diagnostics: Vec<ApiError>,
}

fn check_result(ok: bool, diagnostics: Vec<ApiError>) -> String {
    to_json(&CheckResult {
        api_version: API_VERSION,
        ok,
        diagnostics,
    })
}

/// Checks a ruleset's source; `name` is the file name errors are reported
/// against. Never fails: the result is `{"api_version": 1, "ok": bool,
/// "diagnostics": [ … ]}`, `ok` false when any diagnostic is an error.
pub fn check(name: &str, text: &str) -> String {
    check_in(name, text, Lang::En)
}

/// [`check`] with the diagnostics' messages and help in `lang` (issue 16 §3);
/// `check` itself stays English, so the C, Python and Java signatures are
/// unchanged.
pub fn check_in(name: &str, text: &str, lang: Lang) -> String {
    check_with(name, text, lang, &Catalog::new())
}

/// [`check_in`] with a catalog the caller keeps (a service builds one at
/// start instead of one per request).
pub fn check_with(name: &str, text: &str, lang: Lang, catalog: &Catalog) -> String {
    let source = SourceFile::new(name, text);
    let checked = check_source(&source);
    check_result(
        checked.is_ok(),
        checked
            .diagnostics
            .iter()
            .map(|d| ApiError::from(d.record_in(&source, lang, catalog)))
            .collect(),
    )
}

/// Parses and checks a ruleset; fails with every diagnostic (errors and
/// warnings) if any is an error.
pub fn compile(name: &str, text: &str) -> Result<Compiled, ApiErrors> {
    Ruleset::from_source(SourceFile::new(name, text))
        .map(Compiled::new)
        .map_err(ApiErrors::from)
}

/// What [`evaluate`] is asked for, read from the options JSON
/// (`docs/api.md#evaluate`): `{"detail": "full" | "items" | "totals",
/// "period": "2026-04" | "2026-Q2" | "2026", "unit": "jtj", "lang": "zh" | "en"}`,
/// every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// How much explanation to keep (default `full`).
    pub eval: EvalOptions,
    /// Which period or year and which unit to keep (default everything).
    pub selection: Selection,
    /// The language of error messages (default English; issue 16 §3).
    pub lang: Lang,
    /// The results of sub-assessments for the ruleset's `input`s (issue 13
    /// §11): input name → that sub-ruleset's evaluation JSON, unchanged
    /// (`{"inputs": {"petition": {"format_version": 1, "ruleset": …}}}`),
    /// checked by [`crate::input::Inputs::from_json`].
    pub inputs: std::collections::BTreeMap<String, Json>,
}

impl Options {
    /// Reads options JSON; an empty string means the defaults. Fails with
    /// every bad field (code `kaohe::api::invalid_options`, with its path).
    pub fn from_json(text: &str) -> Result<Options, ApiErrors> {
        let mut options = Options::default();
        if text.trim().is_empty() {
            return Ok(options);
        }
        let bad = |path: &str, message: String| {
            ApiError::new("kaohe::api::invalid_options", message)
                .at_path(path)
                .with_help(
                    "options are an object with optional `detail` (\"full\", \"items\" or \"totals\"), \
                     `period` (\"YYYY-MM\", \"YYYY-Qn\" or \"YYYY\"), `unit` (a unit's id or name), \
                     `lang` (\"zh\" or \"en\") and `inputs` (sub-assessments' evaluations by input name)",
                )
        };
        let value: Json = serde_json::from_str(text)
            .map_err(|e| ApiErrors::one(bad("$", format!("not JSON: {e}"))))?;
        let Json::Object(fields) = value else {
            return Err(ApiErrors::one(bad("$", "expected an object".to_owned())));
        };
        let mut errors = Vec::new();
        for (key, value) in &fields {
            let path = format!("$.{key}");
            match (key.as_str(), value) {
                (_, Json::Null)
                    if key != "detail"
                        && key != "period"
                        && key != "unit"
                        && key != "lang"
                        && key != "inputs" =>
                {
                    errors.push(bad(&path, format!("unknown option `{key}`")));
                }
                (_, Json::Null) => {}
                ("detail", Json::String(s)) => match s.as_str() {
                    "full" => options.eval.detail = Detail::Full,
                    "items" => options.eval.detail = Detail::Items,
                    "totals" => options.eval.detail = Detail::Totals,
                    other => errors.push(bad(
                        &path,
                        format!("expected `full`, `items` or `totals`, found `{other}`"),
                    )),
                },
                ("period", Json::String(s)) => match s.parse::<Period>() {
                    Ok(p) => options.selection.period = Some(p),
                    Err(_) => errors.push(bad(
                        &path,
                        format!(
                            "expected a period YYYY-MM, YYYY-Qn or a year YYYY, found `{s}`{}",
                            crate::period::week_out_of_year(s)
                                .map(|why| format!(": {why}"))
                                .unwrap_or_default()
                        ),
                    )),
                },
                ("unit", Json::String(s)) => options.selection.unit = Some(s.clone()),
                ("lang", Json::String(s)) => match s.as_str() {
                    "zh" => options.lang = Lang::Zh,
                    "en" => options.lang = Lang::En,
                    other => errors.push(bad(
                        &path,
                        format!("expected `zh` or `en`, found `{other}`"),
                    )),
                },
                ("inputs", Json::Object(map)) => {
                    options.inputs = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                }
                ("inputs", other) => errors.push(bad(
                    &path,
                    format!("expected an object of evaluations by input name, found {other}"),
                )),
                ("detail" | "period" | "unit" | "lang", other) => {
                    errors.push(bad(&path, format!("expected a string, found {other}")));
                }
                _ => errors.push(bad(&path, format!("unknown option `{key}`"))),
            }
        }
        if errors.is_empty() {
            Ok(options)
        } else {
            Err(ApiErrors::new(errors))
        }
    }
}

/// Validates a fact file (`docs/facts.md`) against the ruleset and evaluates
/// it with `options` (JSON, see [`Options`]; `""` or `"{}"` for the defaults).
///
/// The result is the evaluation JSON (`format_version` 1, documented in
/// `docs/embedding.md`), compact. Fails with every bad option, or every fact
/// error (its own `kaohe::facts::…` code, with its JSON path), or the evaluation
/// error (`kaohe::eval::failed`, located in the ruleset); never with a
/// partial result.
pub fn evaluate(compiled: &Compiled, facts: &str, options: &str) -> Result<String, ApiErrors> {
    evaluation(compiled, facts, options).map(|e| to_json(&e))
}

/// As [`evaluate`], but the evaluation itself rather than its JSON: for a
/// binding that builds its host language's objects straight from it (the
/// Python binding's dicts), with the same errors. Serialising the result
/// with serde_json gives exactly [`evaluate`]'s text.
pub fn evaluation(
    compiled: &Compiled,
    facts: &str,
    options: &str,
) -> Result<crate::eval::result::Evaluation, ApiErrors> {
    evaluation_of_bytes(compiled, facts.as_bytes(), options)
}

/// As [`evaluation`], the facts given as bytes (the fact file as read, a
/// request body) and read in place by [`Facts::from_slice`], which checks
/// they are UTF-8 (a byte-order mark skipped) once: for a binding that
/// receives bytes, so that they are not checked twice. Bytes that are not
/// UTF-8 fail with the fact reader's located `kaohe::facts::not_utf8` (or
/// `utf16`); valid text gives exactly [`evaluation`]'s result.
pub fn evaluation_of_bytes(
    compiled: &Compiled,
    facts: &[u8],
    options: &str,
) -> Result<crate::eval::result::Evaluation, ApiErrors> {
    let options = Options::from_json(options)?;
    let in_lang = |errors: ApiErrors| match options.lang {
        Lang::En => errors,
        lang => errors.in_lang(lang, &Catalog::new()),
    };
    let facts = Facts::from_slice(&compiled.ruleset, facts).map_err(|e| {
        in_lang(ApiErrors::new(
            e.errors.iter().map(ApiError::from).collect(),
        ))
    })?;
    evaluation_of_facts(compiled, &facts, &options).map_err(in_lang)
}

/// Evaluates facts already validated (e.g. imported from a ledger).
pub fn evaluate_facts(
    compiled: &Compiled,
    facts: &Facts,
    options: &Options,
) -> Result<String, ApiErrors> {
    evaluation_of_facts(compiled, facts, options).map(|e| to_json(&e))
}

/// As [`evaluate_facts`], but the evaluation itself rather than its JSON.
pub fn evaluation_of_facts(
    compiled: &Compiled,
    facts: &Facts,
    options: &Options,
) -> Result<crate::eval::result::Evaluation, ApiErrors> {
    let ruleset = &compiled.ruleset;
    let inputs = crate::input::Inputs::from_json(ruleset, &options.inputs).map_err(|errors| {
        ApiErrors::new(
            errors
                .into_iter()
                .map(|e| {
                    let error = ApiError::new(e.code, e.message).at_path(&e.path);
                    match e.help {
                        Some(help) => error.with_help(help),
                        None => error,
                    }
                })
                .collect(),
        )
    })?;
    let evaluation = ruleset
        .evaluate_with_inputs(facts, &options.eval, &inputs)
        .map_err(|e| ApiErrors::new(eval_errors(&e, ruleset.source())))?;
    let refused = selection_errors(facts, &evaluation, &options.selection);
    if !refused.is_empty() {
        return Err(ApiErrors::new(refused));
    }
    let evaluation = if options.selection == Selection::default() {
        evaluation
    } else {
        evaluation.select(&options.selection)
    };
    Ok(evaluation)
}

/// Why `selection` cannot be applied to `evaluation` of `facts`: a `period`
/// the evaluation does not contain (a quarter of a monthly ruleset, a month
/// without facts, a year outside them), or a `unit` that is neither the id
/// nor the name of a unit of the facts. Each is `kaohe::api::invalid_options`
/// at `$.period` / `$.unit`; empty when the selection applies. Keeping
/// nothing would answer an empty, successful result for a typing mistake
/// (`2026-Q2` for a monthly ruleset, `jtj ` for `jtj`), which reads as "no
/// unit was scored"; `rulec eval --period` refuses the same way.
pub fn selection_errors(
    facts: &Facts,
    evaluation: &crate::eval::result::Evaluation,
    selection: &Selection,
) -> Vec<ApiError> {
    let mut errors = Vec::new();
    if let Some(period) = selection.period {
        if !evaluation.periods.contains(&period) {
            let evaluated = evaluation
                .periods
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(
                ApiError::new(
                    "kaohe::api::invalid_options",
                    format!("period `{period}` is not in the facts (evaluated: {evaluated})"),
                )
                .at_path("$.period")
                .with_help(
                    "give one of the evaluated periods: a month or quarter as the ruleset counts \
                     them, or a year for the annual results",
                ),
            );
        }
    }
    if let Some(unit) = selection.unit.as_deref() {
        let by_id = facts.units.iter().any(|u| u.id.as_str() == unit);
        let by_name: Vec<&str> = facts
            .units
            .iter()
            .filter(|u| u.name.as_str() == unit)
            .map(|u| u.id.as_str())
            .collect();
        if !by_id && by_name.len() > 1 {
            errors.push(
                ApiError::new(
                    "kaohe::api::invalid_options",
                    format!(
                        "`{unit}` is the name of {} units ({}): it does not say which",
                        by_name.len(),
                        by_name
                            .iter()
                            .map(|id| format!("`{id}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .at_path("$.unit")
                .with_help("give the unit's id instead of its name"),
            );
        } else if !by_id && by_name.is_empty() {
            errors.push(
                ApiError::new(
                    "kaohe::api::invalid_options",
                    format!("no unit of the facts has the id or name `{unit}`"),
                )
                .at_path("$.unit")
                .with_help("give a unit's id or name exactly as the fact file writes it"),
            );
        }
    }
    errors
}

/// The JSON Schema of the ruleset's fact files (what `rulec schema` prints),
/// compact.
pub fn schema(compiled: &Compiled) -> String {
    to_json(&schema::facts_schema(&compiled.ruleset))
}

/// Evaluates one fact file under two versions of a ruleset and compares them
/// (what `rulec diff --format json` prints, `docs/cases.md`, compact). Fails with the
/// errors of both rulesets, or the facts' errors under the first ruleset they
/// do not fit (each message says which), or an evaluation error.
pub fn diff(old: (&str, &str), new: (&str, &str), facts: &str) -> Result<String, ApiErrors> {
    let old = compile(old.0, old.1);
    let new = compile(new.0, new.1);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let errors = [old.err(), new.err()]
                .into_iter()
                .flatten()
                .flat_map(|e| e.errors)
                .collect();
            return Err(ApiErrors::new(errors));
        }
    };
    let impact = Impact::between(&old.ruleset, &new.ruleset, facts).map_err(|e| match e {
        ImpactError::Facts { side, errors } => ApiErrors::new(
            errors
                .errors
                .iter()
                .map(|f| {
                    let mut error = ApiError::from(f);
                    error.message = format!("{} (under the {side} ruleset)", error.message);
                    error
                })
                .collect(),
        ),
        ImpactError::Eval { side, error } => {
            let ruleset = if side == "old" { &old } else { &new };
            let mut errors = eval_errors(&error, ruleset.ruleset.source());
            for error in &mut errors {
                error.message = format!("{} (under the {side} ruleset)", error.message);
            }
            ApiErrors::new(errors)
        }
    })?;
    Ok(to_json(&impact))
}

/// The contract's version and the engine's, as JSON:
/// `{"api_version": 1, "format_version": 1, "engine": "kaohe 0.1.0"}`.
pub fn version() -> String {
    format!(
        "{{\"api_version\":{API_VERSION},\"format_version\":1,\"engine\":\"kaohe {}\"}}",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MILUO: &str = include_str!("../../../rulesets/miluo-2026/miluo-2026.rules");
    const APRIL: &str = include_str!("../../../rulesets/miluo-2026/examples/2026-04.json");

    fn compiled() -> Compiled {
        compile("miluo-2026.rules", MILUO).unwrap()
    }

    #[test]
    fn compiled_is_send_and_sync() {
        fn both<T: Send + Sync>() {}
        both::<Compiled>();
    }

    #[test]
    fn evaluate_gives_the_rust_api_s_evaluation() {
        let c = compiled();
        let json = evaluate(&c, APRIL, "").unwrap();
        let facts = Facts::from_json(c.ruleset(), APRIL).unwrap();
        let direct = c.ruleset().evaluate(&facts).unwrap();
        let a: Json = serde_json::from_str(&json).unwrap();
        let b: Json = serde_json::from_str(&direct.to_json()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn lang_option_gives_chinese_messages_with_the_same_codes_and_paths() {
        let c = compiled();
        let bad = APRIL.replacen("\"as_of\"", "\"as_off\"", 1);
        let en = evaluate(&c, &bad, "").unwrap_err();
        let zh = evaluate(&c, &bad, r#"{"lang":"zh"}"#).unwrap_err();
        assert_eq!(en.errors.len(), zh.errors.len());
        for (en, zh) in en.errors.iter().zip(&zh.errors) {
            assert_eq!((&en.code, &en.path), (&zh.code, &zh.path));
            assert_ne!(en.message, zh.message);
        }
        assert!(zh.errors.iter().any(|e| e.message.contains("缺少字段")));
        let wrong = evaluate(&c, APRIL, r#"{"lang":"fr"}"#).unwrap_err();
        assert_eq!(wrong.errors[0].path.as_deref(), Some("$.lang"));
        let checked: Json =
            serde_json::from_str(&check_in("x.rules", "score { base 100 } garbage", Lang::Zh))
                .unwrap();
        assert_eq!(checked["diagnostics"][0]["code"], "kaohe::syntax");
        assert!(checked["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("此处不应出现"));
    }

    #[test]
    fn options_select_and_reduce() {
        let c = compiled();
        let json = evaluate(&c, APRIL, r#"{"detail":"totals","unit":"jtj"}"#).unwrap();
        let v: Json = serde_json::from_str(&json).unwrap();
        let results = v["results"].as_array().unwrap();
        assert!(!results.is_empty());
        assert!(results.iter().all(|r| r["unit"] == "jtj"));
        assert!(results
            .iter()
            .all(|r| r["items"].as_array().unwrap().is_empty()));
    }

    #[test]
    fn a_selection_that_keeps_nothing_is_refused_not_answered_empty() {
        // Found by the breaker: `{"unit": "nope"}` and a quarter of a monthly
        // ruleset answered `"results": []` with success.
        let c = compiled();
        for (options, path, says) in [
            (r#"{"unit":"nope"}"#, "$.unit", "`nope`"),
            (r#"{"unit":"jtj "}"#, "$.unit", "`jtj `"),
            (r#"{"period":"2026-Q2"}"#, "$.period", "`2026-Q2`"),
            (r#"{"period":"2026-07"}"#, "$.period", "evaluated: 2026-04"),
            (r#"{"period":"1999"}"#, "$.period", "`1999`"),
        ] {
            let e = evaluate(&c, APRIL, options).unwrap_err();
            assert_eq!(e.errors.len(), 1, "{options}");
            let error = &e.errors[0];
            assert_eq!(error.code, "kaohe::api::invalid_options", "{options}");
            assert_eq!(error.path.as_deref(), Some(path), "{options}");
            assert!(error.message.contains(says), "{options}: {}", error.message);
        }
        // A name two units share says nothing: refused, the ids listed.
        let mut facts: Json = serde_json::from_str(APRIL).unwrap();
        let mut twin = facts["units"][1].clone();
        twin["name"] = facts["units"][0]["name"].clone();
        twin["id"] = Json::String("twin".to_owned());
        facts["units"].as_array_mut().unwrap().push(twin);
        let name = facts["units"][0]["name"].as_str().unwrap().to_owned();
        let e = evaluate(
            &c,
            &facts.to_string(),
            &serde_json::json!({ "unit": name }).to_string(),
        )
        .unwrap_err();
        assert_eq!(e.errors[0].path.as_deref(), Some("$.unit"));
        assert!(
            e.errors[0].message.contains("`twin`"),
            "{}",
            e.errors[0].message
        );
        // Both at once.
        let e = evaluate(&c, APRIL, r#"{"unit":"nope","period":"2026-Q2"}"#).unwrap_err();
        let paths: Vec<_> = e.errors.iter().map(|e| e.path.clone().unwrap()).collect();
        assert_eq!(paths, ["$.period", "$.unit"]);
        // A unit by its name and an evaluated period still select.
        let unit = serde_json::from_str::<Json>(APRIL).unwrap()["units"][0].clone();
        for options in [
            format!(r#"{{"unit":{},"period":"2026-04"}}"#, unit["id"]),
            format!(r#"{{"unit":{}}}"#, unit["name"]),
        ] {
            let json = evaluate(&c, APRIL, &options).unwrap();
            let v: Json = serde_json::from_str(&json).unwrap();
            assert!(!v["results"].as_array().unwrap().is_empty(), "{options}");
        }
    }

    #[test]
    fn bad_options_are_all_reported_with_paths() {
        let c = compiled();
        let e = evaluate(
            &c,
            APRIL,
            r#"{"detail":"some","period":"2026-13","colour":1}"#,
        )
        .unwrap_err();
        let paths: Vec<_> = e.errors.iter().map(|e| e.path.clone().unwrap()).collect();
        assert_eq!(paths, ["$.colour", "$.detail", "$.period"]);
        assert!(e
            .errors
            .iter()
            .all(|e| e.code == "kaohe::api::invalid_options"));
        let e = Options::from_json("[1]").unwrap_err();
        assert_eq!(e.errors[0].message, "expected an object");
    }

    #[test]
    fn ruleset_errors_are_located() {
        let e = compile("bad.rules", "ruleset x {").unwrap_err();
        let v: Json = serde_json::from_str(&e.to_json()).unwrap();
        let first = &v["errors"][0];
        assert_eq!(first["file"], "bad.rules");
        assert_eq!(first["line"], 1);
        assert_eq!(first["severity"], "error");
        assert!(first["code"].as_str().unwrap().starts_with("kaohe::"));
        assert!(first.get("end").is_some());
        assert!(first.get("path").is_none());
        let checked: Json = serde_json::from_str(&check("bad.rules", "ruleset x {")).unwrap();
        assert_eq!(checked["ok"], false);
        assert_eq!(checked["diagnostics"], v["errors"]);
    }

    #[test]
    fn fact_errors_carry_their_paths() {
        let c = compiled();
        let e = evaluate(
            &c,
            r#"{"as_of":"2026-06-10","units":[],"records":[{"unit":1}]}"#,
            "",
        )
        .unwrap_err();
        assert!(!e.errors.is_empty());
        assert!(e.errors.iter().all(|e| e.code.starts_with("kaohe::facts::")
            && e.path.as_deref().is_some_and(|p| p.starts_with("$"))));
    }

    #[test]
    fn diff_of_a_ruleset_with_itself_changes_nothing() {
        let json = diff(("a.rules", MILUO), ("b.rules", MILUO), APRIL).unwrap();
        let v: Json = serde_json::from_str(&json).unwrap();
        assert_eq!(v["summary"]["units_changed_score"], 0);
        let e = diff(("a.rules", "x"), ("b.rules", "y"), APRIL).unwrap_err();
        let files: Vec<_> = e.errors.iter().filter_map(|e| e.file.clone()).collect();
        assert!(files.contains(&"a.rules".to_owned()) && files.contains(&"b.rules".to_owned()));
    }

    #[test]
    fn schema_is_a_json_schema() {
        let v: Json = serde_json::from_str(&schema(&compiled())).unwrap();
        assert_eq!(v["type"], "object");
    }

    const TINY: &str = r#"ruleset tiny {
  title "示例" issuer "示例专班" source "示例细则"
  effective 2026-01-01 to 2026-12-31
}
group lead "牵头单位" [X-1] {}
record late_report "迟报" {}
period month [X-1] { amendable [X-1] }
score [X-1] {
  base 100 [X-1]
  category daily "日常工作" [X-1] {
    deduct late "迟报" [X-2] { amount 10 / (count(late_report) - 1) }
  }
}
ranking monthly "月度排名" of lead [X-3] { by total desc ties shared [X-3] }
"#;

    #[test]
    fn an_evaluation_error_is_located_in_the_ruleset() {
        let c = compile("tiny.rules", TINY).unwrap();
        let facts = r#"{"as_of": "2026-02-10", "units": [{"id": "a", "name": "A", "group": "lead"}],
          "records": [{"unit": "a", "period": "2026-01", "kind": "late_report", "reported": "2026-01-05"}]}"#;
        let e = evaluate(&c, facts, "").unwrap_err();
        assert_eq!(e.errors.len(), 1);
        let error = &e.errors[0];
        assert_eq!(error.code, "kaohe::eval::failed");
        assert!(
            error.message.contains("division by zero"),
            "{}",
            error.message
        );
        assert_eq!(
            (error.file.as_deref(), error.line),
            (Some("tiny.rules"), Some(11))
        );
        assert!(error.column.is_some() && error.end.is_some());
    }
}
