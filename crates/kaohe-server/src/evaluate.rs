//! `POST /v1/rulesets/{id}/evaluate`: facts (JSON or an `.xlsx` ledger, told
//! by content) evaluated under a served ruleset, in the formats of
//! `rulec eval` (`json`, `csv`, `xlsx`, `html`).
//!
//! The work is split so that the `seal` module can wrap it: [`read_facts`]
//! reads the body, [`evaluate_facts`] evaluates and renders; [`evaluate`] is
//! both. They are blocking (run them on `spawn_blocking`). The JSON output
//! is byte-identical to [`kaohe::api::evaluate`] with the same options.

use std::io::Read;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use kaohe::api::{ApiError, ApiErrors, Compiled, Options};
use kaohe::eval::result::Selection;
use kaohe::i18n::Catalog;
use kaohe::{Detail, Evaluation, Facts};
use kaohe_office::ranking::Headers;
use kaohe_office::InputKind;
use serde::Deserialize;

use crate::error::{codes, HttpError};
use crate::extract::Lang;
use crate::state::AppState;
use crate::upload::Received;

/// What an evaluation is given as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The evaluation JSON (`format_version` 1, docs/embedding.md).
    #[default]
    Json,
    /// The ranking table as CSV (as `rulec eval --format csv -o FILE`: with
    /// a UTF-8 byte-order mark, for Excel).
    Csv,
    /// The bulletin workbook (as `rulec eval --format xlsx`).
    Xlsx,
    /// The bulletin web page (as `rulec eval --format html`).
    Html,
}

/// The query of an evaluation: the options of the contract
/// (`docs/api.md#options-of-evaluate`) and the output format.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EvaluateQuery {
    /// Only this period: `2026-04`, `2026-Q2`, or a year `2026` (the annual results).
    pub period: Option<String>,
    /// Only this unit (its id or name).
    pub unit: Option<String>,
    /// `full` (default for json), `items` or `totals` (default for csv).
    pub detail: Option<String>,
    /// `json` (default), `csv`, `xlsx` or `html`.
    pub format: Option<Format>,
    /// The language of messages and of the CSV's headers (`zh` or `en`).
    /// The handler sets it to the request's language (`?lang=`, else
    /// `Accept-Language`), so that the functions below answer in it.
    #[param(value_type = Option<crate::extract::LangDoc>)]
    pub lang: Option<Lang>,
}

/// An evaluation's output: its bytes and how to send them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The file name offered for download (`Content-Disposition: attachment`), if any.
    pub filename: Option<String>,
    /// The bytes.
    pub body: Vec<u8>,
}

/// The content type of an `.xlsx` workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl IntoResponse for Output {
    fn into_response(self) -> Response {
        // Shrunk to its length: a body grown by doubling sits in a block of
        // 64 KiB or more, and freeing such a block after each answer sets
        // off glibc's heap consolidation (4% of the server's CPU under 200
        // clients; docs/performance.md, "CPU per request").
        let mut body = self.body;
        body.shrink_to_fit();
        let mut response = (
            StatusCode::OK,
            [(header::CONTENT_TYPE, self.content_type)],
            body,
        )
            .into_response();
        if let Some(name) = self.filename {
            if let Ok(value) =
                header::HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, value);
            }
        }
        response
    }
}

/// Reads the body as facts, by content ([`kaohe_office::sniff`], as
/// `rulec eval` does): a zip is a ledger (imported, errors with their
/// sheets and cells), JSON a fact file (errors with their JSON paths);
/// anything else (an `.xls`, HTML, CSV) is refused with 415 and a code
/// naming what it is. The body is held whole: the fact file is read in
/// place ([`Facts::from_slice`]). Blocking.
pub fn read_facts(compiled: &Compiled, body: &[u8]) -> Result<Facts, HttpError> {
    let head = body.get(..512).unwrap_or(body);
    match kaohe_office::sniff(head) {
        InputKind::Xlsx | InputKind::Zip | InputKind::Xlsb | InputKind::Ods => {
            import(compiled, body)
        }
        kind @ (InputKind::Xls | InputKind::Html | InputKind::Xml | InputKind::Text)
            if !blank(head) =>
        {
            Err(refused(kind))
        }
        _ => Facts::from_slice(compiled.ruleset(), body).map_err(|e| fact_errors(&e)),
    }
}

/// [`read_facts`] from a reader: a fact file is written as it arrives to an
/// unnamed temporary file (deleted when closed; in the system's temporary
/// directory, `TMPDIR`) and read from there in chunks
/// ([`Facts::from_seekable_within`], one thread: the service's concurrency
/// is its requests), so it is never held whole in memory and is read at the
/// speed of `rulec eval`; a ledger is read whole first.
pub fn read_facts_from(compiled: &Compiled, mut body: impl Read) -> Result<Facts, HttpError> {
    let unreadable = |e: std::io::Error| {
        HttpError::new(
            StatusCode::BAD_REQUEST,
            codes::BAD_BODY,
            format!("cannot read the body: {e}"),
        )
    };
    let mut head = Vec::with_capacity(512);
    (&mut body)
        .take(512)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    match kaohe_office::sniff(&head) {
        InputKind::Xlsx | InputKind::Zip | InputKind::Xlsb | InputKind::Ods => {
            let mut bytes = head;
            body.read_to_end(&mut bytes).map_err(unreadable)?;
            import(compiled, &bytes)
        }
        kind @ (InputKind::Xls | InputKind::Html | InputKind::Xml | InputKind::Text)
            if !blank(&head) =>
        {
            Err(refused(kind))
        }
        _ => {
            let spooled = spool(head, body, unreadable)?;
            Facts::from_seekable_within(
                compiled.ruleset(),
                spooled,
                &kaohe::Limits::default(),
                kaohe::Threads::ONE,
            )
            .map_err(|e| fact_errors(&e))
        }
    }
}

/// `head` and the rest of `body` in an unnamed temporary file of the
/// system's temporary directory (`TMPDIR`), rewound. A failure to read the
/// body is `unreadable` (400, or the upload's own failure,
/// [`receive_facts`]); one to write the file is the service's set-up (503
/// `kaohe::http::temporary_file`, naming the directory).
fn spool(
    head: Vec<u8>,
    mut body: impl Read,
    unreadable: impl Fn(std::io::Error) -> HttpError,
) -> Result<std::fs::File, HttpError> {
    use std::io::{Seek, Write};
    let dir = std::env::temp_dir();
    let disk = |e: std::io::Error| {
        HttpError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            crate::error::codes::TEMPORARY_FILE,
            format!(
                "cannot write the upload to a temporary file in `{}`: {e}",
                dir.display()
            ),
        )
        .with_help(
            "the service's temporary directory must exist, be writable and have room for the largest upload (`--max-body`); set `TMPDIR` when starting `rulec serve`",
        )
    };
    let mut file = tempfile::tempfile_in(&dir).map_err(disk)?;
    file.write_all(&head).map_err(disk)?;
    drop(head);
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = match body.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(unreadable(e)),
        };
        file.write_all(buffer.get(..n).unwrap_or_default())
            .map_err(disk)?;
    }
    file.rewind().map_err(disk)?;
    Ok(file)
}

/// A ledger's facts; its errors (422) with their sheets and cells.
fn import(compiled: &Compiled, bytes: &[u8]) -> Result<Facts, HttpError> {
    kaohe_office::import(compiled.ruleset(), bytes)
        .map(|imported| imported.facts)
        .map_err(|e| {
            HttpError::unprocessable(ApiErrors::new(
                e.errors()
                    .iter()
                    .map(|l| {
                        let mut out = ApiError::new(l.code, l.message.clone());
                        out.help.clone_from(&l.help);
                        out.sheet.clone_from(&l.sheet);
                        out.cell.clone_from(&l.cell);
                        out
                    })
                    .collect(),
            ))
        })
}

/// 415: neither a fact file nor a ledger, with a code naming what it is.
fn refused(kind: InputKind) -> HttpError {
    HttpError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        kind.code(),
        format!(
            "the body is {}, neither a fact file (JSON) nor a ledger (.xlsx)",
            kind.describe()
        ),
    )
    .with_help(kind.advice())
}

/// A fact file's errors (422) with their JSON paths.
fn fact_errors(e: &kaohe::FactErrors) -> HttpError {
    HttpError::unprocessable(ApiErrors::new(
        e.errors.iter().map(ApiError::from).collect(),
    ))
}

/// Whether `head` holds nothing but white space (after a byte-order mark).
fn blank(head: &[u8]) -> bool {
    head.strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .iter()
        .all(u8::is_ascii_whitespace)
}

/// The contract's options from the query (400 `kaohe::api::invalid_options`
/// at `?period`, `?detail` … when one is bad).
pub fn options(query: &EvaluateQuery) -> Result<Options, HttpError> {
    let mut fields = serde_json::Map::new();
    for (key, value) in [
        ("period", &query.period),
        ("unit", &query.unit),
        ("detail", &query.detail),
    ] {
        if let Some(value) = value {
            fields.insert(key.to_owned(), serde_json::Value::String(value.clone()));
        }
    }
    Options::from_json(&serde_json::Value::Object(fields).to_string()).map_err(|mut e| {
        for error in &mut e.errors {
            error.path = error.path.as_deref().map(|p| p.replacen("$.", "?", 1));
            error.help = Some(
                "`?detail=` is full, items or totals; `?period=` YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-Wnn or YYYY; `?unit=` a unit's id or name"
                    .to_owned(),
            );
        }
        HttpError {
            status: StatusCode::BAD_REQUEST,
            errors: e,
        }
    })
}

/// Errors about the query's options, with `$.period` written `?period`, as
/// a 400.
fn query_errors(mut e: ApiErrors) -> HttpError {
    for error in &mut e.errors {
        error.path = error.path.as_deref().map(|p| p.replacen("$.", "?", 1));
    }
    HttpError {
        status: StatusCode::BAD_REQUEST,
        errors: e,
    }
}

/// 400 when `?period=` is not a period of the evaluation or `?unit=` no
/// unit of the facts ([`kaohe::api::selection_errors`]), in every format:
/// never an empty result for a typing mistake.
fn refuse_selection(
    facts: &Facts,
    evaluation: &Evaluation,
    selection: &Selection,
) -> Result<(), HttpError> {
    let refused = kaohe::api::selection_errors(facts, evaluation, selection);
    if refused.is_empty() {
        Ok(())
    } else {
        Err(query_errors(ApiErrors::new(refused)))
    }
}

/// Evaluates facts already read and renders them in the asked format, the
/// CSV's headers in `query.lang` (English when unset) with `catalog`.
/// Blocking.
pub fn evaluate_facts(
    id: &str,
    compiled: &Compiled,
    facts: &Facts,
    query: &EvaluateQuery,
    catalog: &Catalog,
) -> Result<Output, HttpError> {
    evaluate_facts_by(id, compiled, facts, query, catalog, None)
}

/// How an evaluation is made in place of the ruleset's own (the seal
/// store's, `crate::seal`), given the evaluation options asked for.
pub type EvaluateBy<'a> = &'a dyn Fn(&kaohe::EvalOptions) -> Result<Evaluation, HttpError>;

/// [`evaluate_facts`], the evaluation made `by` a wrapper when given (the
/// seal store): rendered the same way. Blocking.
pub fn evaluate_facts_by(
    id: &str,
    compiled: &Compiled,
    facts: &Facts,
    query: &EvaluateQuery,
    catalog: &Catalog,
    by: Option<EvaluateBy<'_>>,
) -> Result<Output, HttpError> {
    let mut options = options(query)?;
    let format = query.format.unwrap_or_default();
    if format == Format::Json {
        let body = match by {
            None => kaohe::api::evaluate_facts(compiled, facts, &options).map_err(|e| {
                if !e.errors.is_empty()
                    && e.errors
                        .iter()
                        .all(|e| e.code == "kaohe::api::invalid_options")
                {
                    query_errors(e)
                } else {
                    HttpError::from(e)
                }
            })?,
            Some(by) => {
                let evaluation = by(&options.eval)?;
                refuse_selection(facts, &evaluation, &options.selection)?;
                let evaluation = if options.selection == Selection::default() {
                    evaluation
                } else {
                    evaluation.select(&options.selection)
                };
                serde_json::to_string(&evaluation)
                    .map_err(|e| HttpError::internal(format!("cannot serialise: {e}")))?
            }
        };
        return Ok(Output {
            content_type: "application/json",
            filename: None,
            body: body.into_bytes(),
        });
    }
    let ruleset = compiled.ruleset();
    let bulletin = matches!(format, Format::Xlsx | Format::Html);
    if bulletin {
        for (name, given) in [("unit", &query.unit), ("detail", &query.detail)] {
            if given.is_some() {
                return Err(HttpError::invalid_query(
                    name,
                    format!("`?{name}=` does not apply to a bulletin: it shows every unit with its explanation"),
                ));
            }
        }
        options.eval.detail = Detail::Full;
    } else if query.detail.is_none() {
        // The ranking table shows totals, subtotals, ranks and notices.
        options.eval.detail = Detail::Totals;
    }
    let evaluation = match by {
        Some(by) => by(&options.eval)?,
        None => ruleset
            .evaluate_with(facts, &options.eval)
            .map_err(|e| HttpError::unprocessable(ApiErrors::new(eval_errors(&e))))?,
    };
    let period = options.selection.period;
    refuse_selection(facts, &evaluation, &options.selection)?;
    let scope = kaohe_office::Scope { period };
    match format {
        Format::Html => Ok(Output {
            content_type: "text/html; charset=utf-8",
            filename: None,
            body: kaohe_office::bulletin_html(ruleset, &evaluation, &scope).into_bytes(),
        }),
        Format::Xlsx => {
            let body = kaohe_office::bulletin_xlsx(ruleset, &evaluation, &scope)
                .map_err(|e| HttpError::internal(format!("cannot write the bulletin: {e}")))?;
            Ok(Output {
                content_type: XLSX,
                filename: Some(format!("{id}-bulletin.xlsx")),
                body,
            })
        }
        Format::Csv | Format::Json => {
            let selected = evaluation.select(&Selection {
                period,
                unit: options.selection.unit.clone(),
            });
            // With a byte-order mark, as `rulec eval --format csv -o FILE`
            // writes it: Excel then reads the file as UTF-8.
            let mut body = "\u{FEFF}".as_bytes().to_vec();
            let headers = Headers::new(catalog, query.lang.unwrap_or_default());
            kaohe_office::ranking::csv(&selected, &headers, &mut body)
                .map_err(|e| HttpError::internal(format!("cannot write the CSV: {e}")))?;
            Ok(Output {
                content_type: "text/csv; charset=utf-8",
                filename: Some(format!("{id}.csv")),
                body,
            })
        }
    }
}

/// An evaluation error as the contract gives it (`kaohe::eval::failed`,
/// located in the ruleset).
pub(crate) fn eval_errors(e: &kaohe::EvalError) -> Vec<ApiError> {
    use kaohe::ToErrorRecords;
    e.error_records().into_iter().map(ApiError::from).collect()
}

/// The facts of a received body: [`read_facts`] when it came whole,
/// [`read_facts_from`] while it streams. When a streamed upload could not
/// be read whole (over the size limit, a broken connection), that is the
/// answer. Blocking.
pub fn receive_facts(compiled: &Compiled, body: Received) -> Result<Facts, HttpError> {
    match body {
        Received::Whole(bytes) => read_facts(compiled, &bytes),
        Received::Streaming(mut upload) => {
            let facts = read_facts_from(compiled, &mut upload);
            if let Some(failure) = upload.failure() {
                return Err(failure);
            }
            facts
        }
    }
}

/// Reads the body and evaluates it: [`receive_facts`] then
/// [`evaluate_facts`]. Blocking. `state` is for wrappers that consult more
/// than the ruleset (the seal store).
pub fn evaluate(
    state: &AppState,
    id: &str,
    compiled: &Compiled,
    body: Received,
    query: &EvaluateQuery,
) -> Result<Output, HttpError> {
    let facts = receive_facts(compiled, body)?;
    if state.data.is_some() {
        return crate::seal::evaluate_sealed(state, id, compiled, &facts, query);
    }
    evaluate_facts(id, compiled, &facts, query, &state.catalog)
}
