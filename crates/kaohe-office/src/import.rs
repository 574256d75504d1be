//! Reading a filled-in ledger (台账) back: the workbook is read cell by cell
//! into the fact-file JSON of `docs/facts.md` (a [`serde_json::Value`]), which
//! is then validated by [`kaohe::Facts::from_json`].
//!
//! Every problem is reported at once, with the sheet and the cell:
//! `正面媒体报道!E14: expected one of 中央主要媒体/省级主要媒体/…, found 省`.
//! A cell that cannot be read makes its row left out of the facts handed to
//! the validator; the validator's own errors (a period outside the effective
//! range, a report after the evaluation date, a duplicate unit id …) are mapped
//! from their JSON path back to the cell the value came from. When there is
//! any error, nothing is returned but the errors.
//!
//! The layout the import expects is [`crate::layout`]: columns are found by the
//! machine names in row 2, so columns may be reordered, and columns whose row 2
//! is empty (remarks) are ignored.
//!
//! Nothing is guessed (issue 11, `docs/office.md`): a file that is not an
//! `.xlsx` workbook is refused naming its format ([`crate::sniff()`]); a
//! worksheet with malformed cell references is refused naming the sheet before
//! calamine reads it; a number whose cell format scales what it shows (`30%`
//! for 0.3, `‰`, thousands), a formula without a saved value, an empty cell
//! inside a merged range, white space around a value, look-alike characters
//! (`１２`, `乡镇(街道)`) and days a month does not have are each refused with
//! their own code and a help saying what to type.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Cursor;
use std::str::FromStr;

use calamine::{open_workbook_from_rs, Data, Dimensions, Range, Reader, StyleRange, Xlsx};
use kaohe::date::Date;
use kaohe::syntax::ast::PeriodUnit;
use kaohe::{Facts, Period, Ruleset, Severity};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::row_col_to_cell;
use serde::ser::SerializeStruct;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::layout::{
    Column, ColumnType, Layout, Role, Sheet, AS_OF_CELL, DESCRIPTION_CELL, FIRST_DATA_ROW,
    INFO_SHEET, KEY_ROW, PERIODS_CELL, RECORD_ID_LABEL, REVISION_LABEL,
};
use crate::lookalike;
use crate::numfmt::{self, Scaling};
use crate::sniff::{sniff, InputKind};

/// A ledger read and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The fact file (`docs/facts.md`), as written by `rulec import`.
    pub json: Json,
    /// The validated facts.
    pub facts: Facts,
    /// Where each record of `json` came from: its index in `records` →
    /// (sheet, first cell of its row).
    record_cells: BTreeMap<usize, (String, String)>,
}

impl Imported {
    /// The sheet and the first cell of the row the record at index `index`
    /// of the fact file's `records` (a [`kaohe::facts::SourceIndex`]) was
    /// read from: `("事故", "A5")`. Evaluation errors about a record of an
    /// imported ledger name it there, not at `$.records[i]`
    /// ([`kaohe::eval::RecordAt::in_ledger`]).
    pub fn record_cell(&self, index: usize) -> Option<(&str, &str)> {
        self.record_cells
            .get(&index)
            .map(|(sheet, cell)| (sheet.as_str(), cell.as_str()))
    }
}

/// One problem in a ledger, with where it is.
///
/// Serialises (errors as data, `docs/errors.md`) to
/// `{"code", "severity", "message", "help"?, "sheet"?, "cell"?}`, e.g.
/// `{"code": "kaohe::ledger::scaled_number", "severity": "error", "message":
/// "expected a number (序时进度要求（%）), found 30% …", "help": "type 30 …",
/// "sheet": "重点民生实事指标进度", "cell": "E3"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerError {
    /// Stable code, `kaohe::ledger::<name>` (listed in `docs/errors.md`).
    pub code: &'static str,
    /// Always [`Severity::Error`] today: the ledger has no warnings.
    pub severity: Severity,
    /// What was expected and what was found.
    pub message: String,
    /// What to do about it, if there is more to say than the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The sheet, if the problem is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The cell (`C14`), if the problem is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// (sheet position in the workbook, row, column), to sort by.
    #[serde(skip)]
    order: (usize, u32, u32),
}

impl LedgerError {
    /// An error about the whole file (no sheet, no cell).
    fn file(code: &'static str, message: impl Into<String>, help: Option<String>) -> LedgerError {
        LedgerError {
            code,
            severity: Severity::Error,
            message: message.into(),
            help,
            sheet: None,
            cell: None,
            order: (0, 0, 0),
        }
    }
}

impl fmt::Display for LedgerError {
    /// `sheet!CELL: message; help`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.sheet, &self.cell) {
            (Some(sheet), Some(cell)) => write!(f, "{sheet}!{cell}: {}", self.message)?,
            (Some(sheet), None) => write!(f, "{sheet}: {}", self.message)?,
            _ => f.write_str(&self.message)?,
        }
        match &self.help {
            Some(help) => write!(f, "; {help}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for LedgerError {}

/// Why a ledger could not be imported.
///
/// Serialises to `{"errors": [LedgerError, …]}` (the shape of every failed
/// operation's JSON, `docs/errors.md`).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The bytes are not an `.xlsx` workbook that can be read: another format
    /// ([`crate::sniff()`]), a damaged zip, or a worksheet with malformed cell
    /// references. Never empty.
    #[error("cannot read the workbook: {}", join(.0))]
    Workbook(Vec<LedgerError>),
    /// The ledger has errors (never empty), sorted by sheet, row and column.
    #[error("the ledger has {} error(s)", .0.len())]
    Ledger(Vec<LedgerError>),
}

fn join(errors: &[LedgerError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ImportError {
    /// Every error, in order.
    pub fn errors(&self) -> &[LedgerError] {
        match self {
            ImportError::Workbook(errors) | ImportError::Ledger(errors) => errors,
        }
    }
}

impl Serialize for ImportError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ImportError", 1)?;
        s.serialize_field("errors", self.errors())?;
        s.end()
    }
}

/// What calamine gives of one worksheet besides its values.
struct SheetExtras {
    /// The formulas (`A3*2`, without `=`), by absolute position.
    formulas: Range<String>,
    /// Cell styles (number formats), by absolute position.
    styles: StyleRange,
    /// Merged ranges.
    merged: Vec<Dimensions>,
}

/// Everything read from a workbook.
struct Workbook {
    sheet_names: Vec<String>,
    ranges: BTreeMap<String, Range<Data>>,
    extras: BTreeMap<String, SheetExtras>,
}

/// Reads the ledger workbook `bytes` for `ruleset` into facts.
///
/// The format is told by content ([`crate::sniff()`]): anything but an `.xlsx`
/// workbook is refused with [`ImportError::Workbook`] naming the format and
/// what to do (`.xls` → save as `.xlsx`). A workbook whose worksheets hold
/// malformed cell references is refused naming the sheet, before calamine
/// reads it. Every cell is read as `docs/office.md` says; every problem is a
/// [`LedgerError`] with its sheet and cell, all at once, and no facts come
/// back while there is any. Never panics.
pub fn import(ruleset: &Ruleset, bytes: &[u8]) -> Result<Imported, ImportError> {
    let workbook = open(bytes)?;
    let layout = Layout::of(ruleset);
    let mut reader = LedgerReader {
        layout: &layout,
        sheet_names: workbook.sheet_names.clone(),
        extras: &workbook.extras,
        errors: Vec::new(),
        origins: BTreeMap::new(),
        poisoned_units: BTreeSet::new(),
        unit_ids: Vec::new(),
    };
    let json = reader.read(&workbook.ranges);
    let facts = validate(ruleset, &json);
    match facts {
        Ok(facts) if reader.errors.is_empty() => {
            let record_cells = reader
                .origins
                .iter()
                .filter_map(|(path, origin)| {
                    let index = path.strip_prefix("$.records[")?.strip_suffix(']')?;
                    let index: usize = index.parse().ok()?;
                    Some((
                        index,
                        (origin.sheet.clone(), cell_name(origin.row, origin.col)),
                    ))
                })
                .collect();
            Ok(Imported {
                json,
                facts,
                record_cells,
            })
        }
        Ok(_) => Err(ImportError::Ledger(reader.finish())),
        Err(fact_errors) => {
            for e in fact_errors.errors {
                reader.fact_error(e.code, &e.path, &e.message);
            }
            Err(ImportError::Ledger(reader.finish()))
        }
    }
}

/// The facts of `json` (the ledger's cells as a fact file), validated by the
/// one fact reader, so a ledger and a JSON file are held to the same rules.
fn validate(ruleset: &Ruleset, json: &Json) -> Result<Facts, kaohe::FactErrors> {
    let text = serde_json::to_string(json).unwrap_or_default();
    Facts::from_json(ruleset, &text)
}

/// Opens the workbook: its format, its cell references, then calamine.
fn open(bytes: &[u8]) -> Result<Workbook, ImportError> {
    let kind = sniff(bytes);
    if kind != InputKind::Xlsx {
        return Err(ImportError::Workbook(vec![LedgerError::file(
            kind.code(),
            format!(
                "expected an Excel workbook (.xlsx), found {}",
                kind.describe()
            ),
            Some(kind.advice().to_owned()),
        )]));
    }
    let bad = crate::guard::bad_references(bytes);
    if !bad.is_empty() {
        return Err(ImportError::Workbook(
            bad.into_iter()
                .map(|b| LedgerError {
                    sheet: Some(b.sheet),
                    ..LedgerError::file(
                        "kaohe::ledger::malformed_sheet",
                        format!("the worksheet is damaged: {} ({})", b.element, b.reason),
                        Some(DAMAGED_HELP.to_owned()),
                    )
                })
                .collect(),
        ));
    }
    // The references are checked; should calamine still panic on some other
    // malformation, the panic becomes an error here (the last resort: the
    // panic's own message may still reach standard error).
    std::panic::catch_unwind(|| read_workbook(bytes)).unwrap_or_else(|_| {
        Err(ImportError::Workbook(vec![LedgerError::file(
            "kaohe::ledger::unreadable_workbook",
            "the workbook is damaged: the xlsx reader failed on it",
            Some(DAMAGED_HELP.to_owned()),
        )]))
    })
}

const DAMAGED_HELP: &str = "open the file in Excel or WPS and save it again; if that fails, copy the data into a new ledger from `rulec template`";

fn unreadable(sheet: Option<&str>, error: &calamine::XlsxError) -> ImportError {
    ImportError::Workbook(vec![LedgerError {
        sheet: sheet.map(str::to_owned),
        ..LedgerError::file(
            "kaohe::ledger::unreadable_workbook",
            format!("cannot read the workbook: {error}"),
            Some(DAMAGED_HELP.to_owned()),
        )
    }])
}

fn read_workbook(bytes: &[u8]) -> Result<Workbook, ImportError> {
    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(None, &e))?;
    let sheet_names = workbook.sheet_names();
    let mut ranges = BTreeMap::new();
    let mut extras = BTreeMap::new();
    for name in &sheet_names {
        let sheet = |e: calamine::XlsxError| unreadable(Some(name), &e);
        // A chart sheet has no cells: read as an empty sheet, it is reported
        // as a sheet that is not part of the ledger.
        let or_empty = |result: Result<_, calamine::XlsxError>, empty| match result {
            Err(calamine::XlsxError::NotAWorksheet(_)) => Ok(empty),
            other => other.map_err(sheet),
        };
        let range = workbook.worksheet_range(name).map_err(sheet)?;
        let formulas = workbook.worksheet_formula(name).map_err(sheet)?;
        let styles = or_empty(workbook.worksheet_style(name), StyleRange::empty())?;
        let merged = match workbook.merge_cells_by_sheet_name(name) {
            Err(calamine::XlsxError::NotAWorksheet(_)) => Vec::new(),
            other => other.map_err(sheet)?,
        };
        ranges.insert(name.clone(), range);
        extras.insert(
            name.clone(),
            SheetExtras {
                formulas,
                styles,
                merged,
            },
        );
    }
    Ok(Workbook {
        sheet_names,
        ranges,
        extras,
    })
}

/// A problem with a cell, before it is placed.
struct Problem {
    code: &'static str,
    message: String,
    help: Option<String>,
}

/// Whether a column's header says it holds a percentage: `序时进度要求（%）`.
fn is_percentage(column: &Column) -> bool {
    column.label.contains(['%', '％']) || column.label.contains("百分")
}

/// `; the column is a percentage (its header ends in （%）)` where it is.
fn percent_note(column: &Column) -> String {
    if is_percentage(column) {
        format!(": the column {} already counts in percent", column.label)
    } else {
        String::new()
    }
}

/// `stored × factor`, normalised, for a message (the product as text when it
/// is too large for a decimal).
fn scale_up(stored: Decimal, factor: Decimal) -> String {
    stored.checked_mul(factor).map_or_else(
        || format!("{} × {factor}", stored.normalize()),
        |d| d.normalize().to_string(),
    )
}

/// The refusal of a number whose cell format scales what it shows.
fn scaled(column: &Column, stored: Decimal, scaling: Scaling, format_code: &str) -> Problem {
    let (shown, what) = match scaling {
        Scaling::Percent => (
            format!("{}%", scale_up(stored, Decimal::ONE_HUNDRED)),
            "a percentage".to_owned(),
        ),
        Scaling::PerMille => (
            format!("{}‰", scale_up(stored, Decimal::ONE_THOUSAND)),
            "per mille".to_owned(),
        ),
        Scaling::Thousands(n) => {
            let divisor = (0..n).fold(Decimal::ONE, |d, _| {
                d.checked_mul(Decimal::ONE_THOUSAND).unwrap_or(d)
            });
            (
                stored
                    .checked_div(divisor)
                    .map_or_else(String::new, |d| d.normalize().to_string()),
                format!("thousands (divided by {divisor})"),
            )
        }
    };
    let number = shown.trim_end_matches(['%', '‰']).to_owned();
    let help = match scaling {
        Scaling::Percent | Scaling::PerMille if is_percentage(column) => format!(
            "type {number} in a cell with a plain number format (the column {} counts in percent)",
            column.label
        ),
        Scaling::Percent | Scaling::PerMille => format!(
            "give the cell a plain number format (常规 or 数值) and type the number the column asks for ({number} or {})",
            stored.normalize()
        ),
        Scaling::Thousands(_) => format!(
            "give the cell a plain number format (常规 or 数值) so that it shows the {} it holds",
            stored.normalize()
        ),
    };
    Problem {
        code: "kaohe::ledger::scaled_number",
        message: format!(
            "expected {} ({}), found a cell formatted as {what} (`{format_code}`): it shows {shown} but holds {}",
            column.ty.expected(),
            column.label,
            stored.normalize()
        ),
        help: Some(help),
    }
}

/// Where a value of the fact JSON came from.
#[derive(Debug, Clone)]
struct Origin {
    sheet: String,
    row: u32,
    col: u32,
    /// For a reference to a unit: the unit id referred to.
    unit: Option<String>,
}

struct LedgerReader<'l> {
    layout: &'l Layout,
    sheet_names: Vec<String>,
    /// Formulas, styles and merged ranges of each sheet.
    extras: &'l BTreeMap<String, SheetExtras>,
    errors: Vec<LedgerError>,
    /// JSON path → cell, for mapping the validator's errors back.
    origins: BTreeMap<String, Origin>,
    /// Ids of units whose row has an error (left out of the facts).
    poisoned_units: BTreeSet<String>,
    /// Every unit id on the units sheet.
    unit_ids: Vec<String>,
}

/// A cell's value, read for its column's type.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Integer(i64),
    Number(Decimal),
    Date(Date),
    Bool(bool),
    /// A level's or group's name.
    Choice(String),
    Period(Period),
}

impl Value {
    fn to_json(&self) -> Json {
        match self {
            Value::Empty => Json::Null,
            Value::Text(s) | Value::Choice(s) => Json::String(s.clone()),
            Value::Integer(i) => Json::from(*i),
            Value::Number(d) => {
                // A JSON number holds an f64 (kaohe does not turn on serde_json's
                // `arbitrary_precision`): a number only when it prints back as the
                // same digits, else the numeric string, which fact files read exactly.
                let text = d.normalize().to_string();
                match serde_json::Number::from_str(&text) {
                    Ok(n) if n.to_string() == text => Json::Number(n),
                    _ => Json::String(text),
                }
            }
            Value::Date(d) => Json::String(d.to_string()),
            Value::Bool(b) => Json::Bool(*b),
            Value::Period(p) => Json::String(p.to_string()),
        }
    }
}

fn cell_name(row: u32, col: u32) -> String {
    row_col_to_cell(row, u16::try_from(col).unwrap_or(u16::MAX))
}

fn is_empty(data: &Data) -> bool {
    match data {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell's content as the office sees it, for `found …`.
fn found(data: &Data) -> String {
    match data {
        Data::Empty => "an empty cell".to_owned(),
        Data::String(s) if s.is_empty() => "an empty cell".to_owned(),
        Data::String(s) if s.trim().is_empty() => "a cell holding only white space".to_owned(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_decimal(*f).map_or_else(|| f.to_string(), |d| d.to_string()),
        Data::Bool(true) => "TRUE".to_owned(),
        Data::Bool(false) => "FALSE".to_owned(),
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("the date {y:04}-{m:02}-{d:02}")
            } else {
                format!("the date and time {y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTimeIso(s) => format!("the date {s}"),
        Data::DurationIso(s) => format!("the duration {s}"),
        Data::Error(e) => format!("the error {e}"),
    }
}

/// A float as Excel shows it: at most 15 significant digits, exact from there on.
fn float_decimal(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    Decimal::from_scientific(&format!("{f:.14e}"))
        .ok()
        .map(|d| d.normalize())
}

/// The date spellings a ledger cell accepts, for messages.
pub(crate) const DATE_SPELLINGS: &str =
    "a date cell, or text 2026-04-15 (as in fact files), 2026/4/15, 2026.4.15 or 2026年4月15日";

/// The (year, month, day) of a date spelled `2026-04-15`, `2026/4/15`,
/// `2026.4.15` or `2026年4月15日`, whether or not it is a calendar day.
fn date_parts(text: &str) -> Option<(i32, u8, u8)> {
    let text = text.strip_suffix('日').unwrap_or(text);
    let parts: Vec<&str> = text.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(y) || !digits(m) || !digits(d) {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// `2026-04-15`, `2026/4/15`, `2026.4.15`, `2026年4月15日`.
fn parse_date_text(text: &str) -> Option<Date> {
    let (y, m, d) = date_parts(text)?;
    Date::new(y, m, d)
}

/// Why a text spelled like a date is not one: `not a calendar day (February
/// 2026 has 28 days)`.
fn not_a_day(text: &str) -> Option<String> {
    let (y, m, d) = date_parts(text)?;
    if Date::new(y, m, d).is_some() {
        return None;
    }
    if !(1..=12).contains(&m) {
        return Some(format!("not a calendar day (there is no month {m})"));
    }
    let days = (28..=31)
        .rev()
        .find(|d| Date::new(y, m, *d).is_some())
        .unwrap_or(28);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS
        .get(usize::from(m).saturating_sub(1))
        .copied()
        .unwrap_or("the month");
    Some(format!("not a calendar day ({month} {y} has {days} days)"))
}

/// `2026-04`, `2026-4`, `2026/04`, `2026年4月`, `2026-Q2`, `2026`.
fn parse_period_text(text: &str) -> Option<Period> {
    if let Ok(p) = Period::from_str(text) {
        return Some(p);
    }
    // `2026-q2`, `2026-h1`, `2026-w14`.
    if let Ok(p) = Period::from_str(&text.to_ascii_uppercase()) {
        return Some(p);
    }
    let parts: Vec<&str> = text
        .trim_end_matches('月')
        .split(['-', '/', '年'])
        .collect();
    let [y, m] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || !digits(y) || !digits(m) || m.len() > 2 {
        return None;
    }
    let month: u8 = m.parse().ok()?;
    (1..=12).contains(&month).then_some(Period::Month {
        year: y.parse().ok()?,
        month,
    })
}

fn cell_date(data: &Data) -> Option<Date> {
    match data {
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Date::new(i32::from(y), m, d)
        }
        Data::DateTimeIso(s) => s.get(..10).and_then(|d| Date::from_str(d).ok()),
        Data::String(s) => parse_date_text(s),
        _ => None,
    }
}

fn cell_decimal(data: &Data) -> Option<Decimal> {
    match data {
        Data::Int(i) => Some(Decimal::from(*i)),
        Data::Float(f) => float_decimal(*f),
        Data::String(s) => Decimal::from_str_exact(s).ok(),
        _ => None,
    }
}

fn cell_text(data: &Data) -> Option<String> {
    match data {
        Data::String(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => float_decimal(*f).map(|d| d.to_string()),
        _ => None,
    }
}

/// `: 2025 has 52 ISO weeks (its last week is 2025-W52)` after the message
/// refusing week 53 of a year of 52 in a period cell, as the fact files say
/// it ([`kaohe::period::week_out_of_year`]); nothing otherwise.
fn week_reason(ty: &ColumnType, data: &Data) -> String {
    match (ty, data) {
        (ColumnType::Period(_) | ColumnType::PeriodOrYear, Data::String(s)) => {
            kaohe::period::week_out_of_year(&s.trim().to_uppercase())
                .map(|why| format!(": {why}"))
                .unwrap_or_default()
        }
        _ => String::new(),
    }
}

fn choose(choices: &[crate::layout::Choice], text: &str) -> Option<String> {
    choices
        .iter()
        .find(|c| c.label.as_deref() == Some(text) || c.name == text)
        .map(|c| c.name.clone())
}

/// The label or name of a choice that `text` spells with look-alike characters.
fn choose_folded(choices: &[crate::layout::Choice], text: &str) -> Option<String> {
    let folded = lookalike::fold(text);
    choices
        .iter()
        .flat_map(|c| c.label.iter().chain(std::iter::once(&c.name)))
        .find(|shown| lookalike::fold(shown) == folded)
        .cloned()
}

/// `30%` / `300‰` (the text of a number with a percent or per-mille sign) → (number, sign).
fn signed_number(text: &str) -> Option<(Decimal, char)> {
    let sign = text.chars().next_back()?;
    let (number, sign) = match sign {
        '%' | '％' => (text.strip_suffix(sign)?, '%'),
        '‰' => (text.strip_suffix(sign)?, '‰'),
        _ => return None,
    };
    Some((Decimal::from_str_exact(number.trim()).ok()?, sign))
}

impl LedgerReader<'_> {
    fn sheet_position(&self, sheet: &str) -> usize {
        self.sheet_names
            .iter()
            .position(|s| s == sheet)
            .unwrap_or(usize::MAX)
    }

    fn error_at(
        &mut self,
        (sheet, row, col): (&str, u32, u32),
        code: &'static str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.errors.push(LedgerError {
            sheet: Some(sheet.to_owned()),
            cell: Some(cell_name(row, col)),
            order: (self.sheet_position(sheet), row, col),
            ..LedgerError::file(code, message, help)
        });
    }

    fn sheet_error(
        &mut self,
        sheet: &str,
        code: &'static str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.errors.push(LedgerError {
            sheet: Some(sheet.to_owned()),
            order: (self.sheet_position(sheet), 0, 0),
            ..LedgerError::file(code, message, help)
        });
    }

    fn finish(mut self) -> Vec<LedgerError> {
        self.errors.sort_by_key(|e| e.order);
        self.errors.dedup();
        self.errors
    }

    fn origin(&mut self, path: String, sheet: &str, row: u32, col: u32, unit: Option<String>) {
        self.origins.insert(
            path,
            Origin {
                sheet: sheet.to_owned(),
                row,
                col,
                unit,
            },
        );
    }

    /// The origin of a JSON path or of its nearest ancestor.
    fn find_origin(&self, path: &str) -> Option<(&Origin, bool)> {
        let mut p = path;
        let mut exact = true;
        loop {
            if let Some(o) = self.origins.get(p) {
                return Some((o, exact));
            }
            let cut = p.rfind(['.', '['])?;
            p = p.get(..cut)?;
            exact = false;
        }
    }

    /// Maps a validator error back to its cell, naming the ledger's columns
    /// by their headers where the fact file's message names a JSON member.
    fn fact_error(&mut self, code: &str, path: &str, message: &str) {
        let message = match code {
            "kaohe::facts::revision_without_id" => format!(
                "column `{REVISION_LABEL}` (revision) is filled but column `{RECORD_ID_LABEL}` (id) is empty: a revision orders the versions of one record, which only a record id names; give the row the {RECORD_ID_LABEL} its versions share, or empty its {REVISION_LABEL}"
            ),
            "kaohe::facts::same_day_versions" => self
                .rewrite_paths(message)
                .replace(
                    "give each a distinct `revision` (the higher one applies)",
                    &format!(
                        "give each a distinct number in column `{REVISION_LABEL}` (revision; the higher one applies)"
                    ),
                )
                .replace("both have revision ", &format!("both have {REVISION_LABEL} ")),
            _ => self.rewrite_paths(message),
        };
        match self.find_origin(path).map(|(o, exact)| (o.clone(), exact)) {
            Some((origin, exact)) => {
                if exact
                    && origin
                        .unit
                        .as_ref()
                        .is_some_and(|u| self.poisoned_units.contains(u))
                {
                    // The unit's own row has an error and was left out: already reported.
                    return;
                }
                self.error_at(
                    (&origin.sheet, origin.row, origin.col),
                    "kaohe::ledger::invalid_fact",
                    message,
                    None,
                );
            }
            None => self.errors.push(LedgerError::file(
                "kaohe::ledger::invalid_fact",
                format!("{path}: {message}"),
                None,
            )),
        }
    }

    /// `duplicate unit id `a` (first used at $.units[0])` → `… at 单位!A3)`.
    fn rewrite_paths(&self, message: &str) -> String {
        let mut out = String::new();
        let mut rest = message;
        while let Some(start) = rest.find("$.") {
            let (before, from) = rest.split_at(start);
            out.push_str(before);
            let end = from
                .find(|c: char| c.is_whitespace() || c == ')' || c == ',' || c == ';')
                .unwrap_or(from.len());
            let (token, after) = from.split_at(end);
            match self.origins.get(token) {
                Some(o) => out.push_str(&format!("{}!{}", o.sheet, cell_name(o.row, o.col))),
                None => out.push_str(token),
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }

    fn read(&mut self, ranges: &BTreeMap<String, Range<Data>>) -> Json {
        let mut top = Map::new();
        let known: Vec<String> = std::iter::once(INFO_SHEET.to_owned())
            .chain(self.layout.sheets().map(|s| s.name.clone()))
            .collect();
        let missing: Vec<String> = known
            .iter()
            .filter(|k| !self.sheet_names.contains(k))
            .cloned()
            .collect();
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        for name in self.sheet_names.clone() {
            if known.contains(&name) {
                continue;
            }
            match self.renamed_from(&name, &missing, ranges) {
                Some(meant) => {
                    self.sheet_error(
                        &name,
                        "kaohe::ledger::renamed_sheet",
                        format!(
                            "expected one of the ledger's sheets, found an unknown sheet; did you mean {meant}? (the ledger's sheet {meant} is missing)"
                        ),
                        Some(format!(
                            "rename this sheet back to {meant}: the import finds sheets by the names `rulec template` gave them"
                        )),
                    );
                    renamed.insert(meant, name);
                }
                None => self.sheet_error(
                    &name,
                    "kaohe::ledger::unknown_sheet",
                    format!(
                        "expected one of the ledger's sheets ({}), found an unknown sheet; move it to another workbook",
                        known.join(", ")
                    ),
                    None,
                ),
            }
        }

        match ranges.get(INFO_SHEET) {
            Some(range) => self.info(range, &mut top),
            None => {
                if !renamed.contains_key(INFO_SHEET) {
                    self.errors.push(LedgerError::file(
                        "kaohe::ledger::missing_sheet",
                        format!(
                            "expected a sheet {INFO_SHEET} (with the evaluation date in {INFO_SHEET}!B3), found none"
                        ),
                        None,
                    ));
                }
                top.insert("as_of".to_owned(), Json::String("9999-12-31".to_owned()));
            }
        }

        let units_sheet = self.layout.units.clone();
        let units = match ranges.get(&units_sheet.name) {
            Some(range) => self.units(&units_sheet, range),
            None => {
                if !renamed.contains_key(&units_sheet.name) {
                    self.errors.push(LedgerError::file(
                        "kaohe::ledger::missing_sheet",
                        format!(
                            "expected a sheet {} (the units), found none",
                            units_sheet.name
                        ),
                        None,
                    ));
                }
                Vec::new()
            }
        };
        top.insert("units".to_owned(), Json::Array(units));

        let mut records = Vec::new();
        for sheet in self.layout.records.clone() {
            // A record sheet the office deleted holds no records.
            if let Some(range) = ranges.get(&sheet.name) {
                self.records(&sheet, range, &mut records);
            }
        }
        top.insert("records".to_owned(), Json::Array(records));

        if let Some(sheet) = self.layout.discretion.clone() {
            if let Some(range) = ranges.get(&sheet.name) {
                let discretion = self.discretion(&sheet, range);
                if !discretion.is_empty() {
                    top.insert("discretion".to_owned(), Json::Object(discretion));
                }
            }
        }
        Json::Object(top)
    }

    /// The ledger sheet (one of `missing`) that the unknown sheet `name` was
    /// probably renamed from: the same name but for look-alike characters or
    /// white space, the same machine names in row 2, or a similar name.
    fn renamed_from(
        &self,
        name: &str,
        missing: &[String],
        ranges: &BTreeMap<String, Range<Data>>,
    ) -> Option<String> {
        let folded = lookalike::fold(name.trim());
        if let Some(m) = missing.iter().find(|m| lookalike::fold(m) == folded) {
            return Some(m.clone());
        }
        let keys: BTreeSet<String> = ranges
            .get(name)
            .map(|range| {
                let last_col = range.end().map_or(0, |(_, c)| c);
                (0..=last_col)
                    .filter_map(|c| match range.get_value((KEY_ROW, c)) {
                        Some(Data::String(s)) if !s.is_empty() => Some(s.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let same_columns = missing.iter().find(|m| {
            self.layout.sheets().any(|sheet| {
                &sheet.name == *m
                    && !keys.is_empty()
                    && sheet
                        .columns
                        .iter()
                        .filter(|c| c.required)
                        .all(|c| keys.contains(&c.key))
                    && keys.iter().all(|k| sheet.column(k).is_some())
            })
        });
        if let Some(m) = same_columns {
            return Some(m.clone());
        }
        missing
            .iter()
            .map(|m| (strsim::normalized_levenshtein(m, name), m))
            .filter(|(score, m)| *score >= 0.5 || name.contains(m.as_str()) || m.contains(name))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, m)| m.clone())
    }

    fn info(&mut self, range: &Range<Data>, top: &mut Map<String, Json>) {
        let get = |(row, col): (u32, u16)| {
            range
                .get_value((row, u32::from(col)))
                .cloned()
                .unwrap_or(Data::Empty)
        };
        let (row, col) = AS_OF_CELL;
        let cell = get(AS_OF_CELL);
        match cell_date(&cell) {
            Some(date) => {
                top.insert("as_of".to_owned(), Json::String(date.to_string()));
                self.origin("$.as_of".to_owned(), INFO_SHEET, row, col.into(), None);
            }
            None => {
                let at = (INFO_SHEET, row, u32::from(col));
                let column = Column {
                    key: "as_of".to_owned(),
                    label: "评估日期".to_owned(),
                    role: Role::Attribute("as_of".to_owned()),
                    ty: ColumnType::Date,
                    required: true,
                    groups: Vec::new(),
                };
                let problem = self.special_problem(at, &column, &cell).unwrap_or(Problem {
                    code: if is_empty(&cell) {
                        "kaohe::ledger::empty_cell"
                    } else {
                        "kaohe::ledger::bad_cell"
                    },
                    message: format!(
                        "expected the evaluation date, a date YYYY-MM-DD, found {}",
                        found(&cell)
                    ),
                    help: (!is_empty(&cell)).then(|| format!("accepted: {DATE_SPELLINGS}")),
                });
                self.report(at, problem);
                top.insert("as_of".to_owned(), Json::String("9999-12-31".to_owned()));
            }
        }
        let (row, col) = DESCRIPTION_CELL;
        let cell = get(DESCRIPTION_CELL);
        if !is_empty(&cell) {
            match cell_text(&cell) {
                Some(text) => {
                    top.insert("description".to_owned(), Json::String(text));
                    self.origin(
                        "$.description".to_owned(),
                        INFO_SHEET,
                        row,
                        col.into(),
                        None,
                    );
                }
                None => self.error_at(
                    (INFO_SHEET, row, col.into()),
                    "kaohe::ledger::bad_cell",
                    format!("expected text, found {}", found(&cell)),
                    None,
                ),
            }
        }
        let (row, col) = PERIODS_CELL;
        let cell = get(PERIODS_CELL);
        if !is_empty(&cell) {
            let unit = self.layout.period_unit;
            let expected = ColumnType::Period(unit).expected();
            let text = match &cell {
                Data::DateTime(_) | Data::DateTimeIso(_) => None,
                other => cell_text(other),
            };
            let periods: Option<Vec<Period>> = text.and_then(|t| {
                t.split([',', '，', '、', ';', '；', ' ', '\n'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| parse_period_text(p).filter(|p| p.is_unit(unit)))
                    .collect()
            });
            match periods {
                Some(periods) => {
                    for i in 0..periods.len() {
                        self.origin(format!("$.periods[{i}]"), INFO_SHEET, row, col.into(), None);
                    }
                    top.insert(
                        "periods".to_owned(),
                        Json::Array(
                            periods
                                .iter()
                                .map(|p| Json::String(p.to_string()))
                                .collect(),
                        ),
                    );
                }
                None => self.error_at(
                    (INFO_SHEET, row, col.into()),
                    "kaohe::ledger::bad_cell",
                    format!(
                        "expected periods, each {expected}, separated by commas, found {}",
                        found(&cell)
                    ),
                    None,
                ),
            }
        }
    }

    /// The absolute column of each layout column found in row 2, by index into `sheet.columns`.
    /// Also whether every required column is there.
    fn columns(&mut self, sheet: &Sheet, range: &Range<Data>) -> (Vec<Option<u32>>, bool) {
        let mut at: Vec<Option<u32>> = vec![None; sheet.columns.len()];
        let last_col = range.end().map_or(0, |(_, c)| c);
        for col in 0..=last_col {
            let cell = range.get_value((KEY_ROW, col)).cloned().unwrap_or_default();
            if is_empty(&cell) {
                continue;
            }
            let key = cell_text(&cell).unwrap_or_default();
            match sheet.columns.iter().position(|c| c.key == key) {
                Some(i) => match at.get(i).copied().flatten() {
                    Some(first) => self.error_at(
                        (&sheet.name, KEY_ROW, col),
                        "kaohe::ledger::duplicate_column",
                        format!(
                            "expected each column once in row 2, found `{key}` again (first in {})",
                            cell_name(KEY_ROW, first)
                        ),
                        None,
                    ),
                    None => {
                        if let Some(slot) = at.get_mut(i) {
                            *slot = Some(col);
                        }
                    }
                },
                None => {
                    let keys: Vec<&str> = sheet.columns.iter().map(|c| c.key.as_str()).collect();
                    self.error_at(
                        (&sheet.name, KEY_ROW, col),
                        "kaohe::ledger::unknown_column",
                        format!(
                            "expected a column name of this sheet ({}) or an empty cell (a remark column), found {}",
                            keys.join(", "),
                            found(&cell)
                        ),
                        None,
                    );
                }
            }
        }
        let mut complete = true;
        for (column, found_at) in sheet.columns.iter().zip(&at) {
            if found_at.is_none() && column.required {
                complete = false;
                self.sheet_error(
                    &sheet.name,
                    "kaohe::ledger::missing_column",
                    format!(
                        "expected a column `{}` ({}) in row 2, found none",
                        column.key, column.label
                    ),
                    None,
                );
            }
        }
        (at, complete)
    }

    /// The data rows of a sheet: (row, the cells of the layout's columns).
    fn rows(range: &Range<Data>, at: &[Option<u32>]) -> Vec<(u32, Vec<Data>)> {
        let last_row = range.end().map_or(0, |(r, _)| r);
        let mut rows = Vec::new();
        for row in FIRST_DATA_ROW..=last_row {
            let cells: Vec<Data> = at
                .iter()
                .map(|col| {
                    col.and_then(|c| range.get_value((row, c)).cloned())
                        .unwrap_or_default()
                })
                .collect();
            if cells.iter().all(is_empty) {
                continue;
            }
            rows.push((row, cells));
        }
        rows
    }

    /// Reads one cell for its column; reports and returns `None` if it cannot.
    fn cell(
        &mut self,
        sheet: &str,
        row: u32,
        col: Option<u32>,
        column: &Column,
        data: &Data,
    ) -> Option<Value> {
        let col = col.unwrap_or(0);
        let at = (sheet, row, col);
        if is_empty(data) {
            if let Some(p) = self.empty_problem(at, data) {
                self.report(at, p);
                return None;
            }
            if column.required {
                self.error_at(
                    at,
                    "kaohe::ledger::empty_cell",
                    format!(
                        "expected {} ({}), found {}",
                        column.ty.expected(),
                        column.label,
                        found(data)
                    ),
                    None,
                );
                return None;
            }
            return Some(Value::Empty);
        }
        if let Some(p) = self.format_problem(at, column, data) {
            self.report(at, p);
            return None;
        }
        if let Some(value) = self.parse(column, data) {
            return Some(value);
        }
        let problem = self
            .text_problem(column, data)
            .unwrap_or_else(|| match &column.ty {
                ColumnType::UnitRef => self.unknown_unit(column, data),
                ty => Problem {
                    code: "kaohe::ledger::bad_cell",
                    message: format!(
                        "expected {}, found {}{}",
                        ty.expected(),
                        found(data),
                        week_reason(ty, data)
                    ),
                    help: match (ty, data) {
                        (_, Data::Error(_)) => Some(
                            "the cell's formula gives an error: correct it, or type the value"
                                .to_owned(),
                        ),
                        (ColumnType::Date, _) => Some(format!("accepted: {DATE_SPELLINGS}")),
                        _ => None,
                    },
                },
            });
        self.report(at, problem);
        None
    }

    /// Every special reason a cell cannot be read (see [`Self::cell`]), if any.
    fn special_problem(
        &self,
        at: (&str, u32, u32),
        column: &Column,
        data: &Data,
    ) -> Option<Problem> {
        if is_empty(data) {
            self.empty_problem(at, data)
        } else {
            self.format_problem(at, column, data)
                .or_else(|| self.text_problem(column, data))
        }
    }

    fn report(&mut self, at: (&str, u32, u32), p: Problem) {
        self.error_at(at, p.code, p.message, p.help);
    }

    /// Why an empty cell is not simply empty: a formula without a saved
    /// value, or a cell inside a merged range.
    fn empty_problem(&self, (sheet, row, col): (&str, u32, u32), data: &Data) -> Option<Problem> {
        // A saved empty text (`<v></v>`, a formula yielding "") is a value.
        if !matches!(data, Data::Empty) {
            return None;
        }
        let extras = self.extras.get(sheet)?;
        if let Some(formula) = extras
            .formulas
            .get_value((row, col))
            .filter(|f| !f.is_empty())
        {
            return Some(Problem {
                code: "kaohe::ledger::formula_without_value",
                message: format!("found the formula `={formula}` without a saved value"),
                help: Some("open and save the file in Excel or WPS, or type the value".to_owned()),
            });
        }
        let merged = extras
            .merged
            .iter()
            .find(|d| d.contains(row, col) && (d.start.0, d.start.1) != (row, col));
        if let Some(d) = merged {
            let range = format!(
                "{}:{}",
                cell_name(d.start.0, d.start.1),
                cell_name(d.end.0, d.end.1)
            );
            return Some(Problem {
                code: "kaohe::ledger::merged_cell",
                message: format!("{} is inside the merged range {range}", cell_name(row, col)),
                help: Some("unmerge it and fill every row".to_owned()),
            });
        }
        None
    }

    /// A number whose format shows another number (`30%` for 0.3), or text
    /// with white space around it.
    fn format_problem(
        &self,
        (sheet, row, col): (&str, u32, u32),
        column: &Column,
        data: &Data,
    ) -> Option<Problem> {
        match data {
            Data::Float(_) | Data::Int(_) => {
                let code = self
                    .extras
                    .get(sheet)?
                    .styles
                    .get((row, col))?
                    .number_format
                    .as_ref()?
                    .format_code
                    .clone();
                let scaling = numfmt::scaling(&code)?;
                let stored = cell_decimal(data)?;
                Some(scaled(column, stored, scaling, &code))
            }
            Data::String(s) => {
                let how = lookalike::surrounding_space(s)?;
                Some(Problem {
                    code: "kaohe::ledger::surrounding_space",
                    message: format!(
                        "expected {} ({}), found `{s}`, which {how}",
                        column.ty.expected(),
                        column.label
                    ),
                    help: Some(
                        "remove it: values are never trimmed, so that what is read is what was typed"
                            .to_owned(),
                    ),
                })
            }
            _ => None,
        }
    }

    /// Text that would be valid but for a percent sign, look-alike characters
    /// or a day the month does not have.
    fn text_problem(&self, column: &Column, data: &Data) -> Option<Problem> {
        let Data::String(text) = data else {
            return None;
        };
        let expected = column.ty.expected();
        let numeric = matches!(
            column.ty,
            ColumnType::Integer | ColumnType::Decimal | ColumnType::Count | ColumnType::Decided(_)
        );
        if numeric {
            if let Some((number, sign)) = signed_number(text) {
                return Some(Problem {
                    code: "kaohe::ledger::scaled_number",
                    message: format!("expected {expected}, found `{text}`"),
                    help: Some(format!(
                        "type the number {} without `{sign}`{}",
                        number.normalize(),
                        percent_note(column)
                    )),
                });
            }
        }
        if matches!(column.ty, ColumnType::Date) {
            if let Some(why) = not_a_day(text) {
                return Some(Problem {
                    code: "kaohe::ledger::not_a_calendar_day",
                    message: format!("expected {expected}, found {text}, which is {why}"),
                    help: None,
                });
            }
        }
        let folded = lookalike::fold(text);
        let (meant, help) = match &column.ty {
            ColumnType::Levels(choices) | ColumnType::Group(choices) => {
                let meant = choose_folded(choices, text)?;
                let help = format!("pick `{meant}` from the drop-down list");
                (meant, help)
            }
            ColumnType::UnitRef => {
                let meant = self
                    .unit_ids
                    .iter()
                    .find(|u| lookalike::fold(u) == folded)?
                    .clone();
                let help = format!("type `{meant}` as on sheet {}", self.layout.units.name);
                (meant, help)
            }
            _ => {
                self.parse(column, &Data::String(folded.clone()))?;
                let help = format!(
                    "type `{folded}` with half-width (半角) digits, letters and punctuation"
                );
                (folded, help)
            }
        };
        if meant == *text {
            return None;
        }
        Some(Problem {
            code: "kaohe::ledger::look_alike",
            message: format!(
                "expected {expected}, found `{text}`, which differs from `{meant}` in look-alike characters: {}",
                lookalike::differences(text, &meant)
            ),
            help: Some(help),
        })
    }

    /// A unit id not on the units sheet, with the closest one.
    fn unknown_unit(&self, column: &Column, data: &Data) -> Problem {
        let id = cell_text(data).unwrap_or_else(|| found(data));
        if let Some(spaced) = self.unit_ids.iter().find(|u| u.trim() == id) {
            return Problem {
                code: "kaohe::ledger::unknown_unit",
                message: format!(
                    "expected {}, found {id}; the units sheet has `{spaced}`, which {}",
                    column.ty.expected(),
                    lookalike::surrounding_space(spaced).unwrap_or_default()
                ),
                help: Some(format!(
                    "remove the white space from the id on sheet {}",
                    self.layout.units.name
                )),
            };
        }
        let help = self
            .unit_ids
            .iter()
            .map(|u| (strsim::levenshtein(u, &id), u))
            .filter(|(d, u)| *d <= 2.max(u.chars().count() / 3))
            .min()
            .map(|(_, u)| format!("; did you mean {u}?"))
            .unwrap_or_default();
        Problem {
            code: "kaohe::ledger::unknown_unit",
            message: format!("expected {}, found {id}{help}", column.ty.expected()),
            help: None,
        }
    }

    /// The value of a cell for its column, if it has the column's type.
    fn parse(&self, column: &Column, data: &Data) -> Option<Value> {
        match &column.ty {
            ColumnType::Text => cell_text(data).map(Value::Text),
            ColumnType::Integer => cell_decimal(data)
                .filter(|d| d.fract().is_zero())
                .and_then(|d| d.to_i64())
                .map(Value::Integer),
            ColumnType::Count => cell_decimal(data)
                .filter(|d| d.fract().is_zero() && !d.is_sign_negative())
                .and_then(|d| d.to_u32())
                .map(|c| Value::Integer(i64::from(c))),
            ColumnType::Revision => cell_decimal(data)
                .filter(|d| d.fract().is_zero() && !d.is_sign_negative())
                .and_then(|d| d.to_u32())
                .map(|c| Value::Integer(i64::from(c))),
            ColumnType::Decimal | ColumnType::Decided(_) => cell_decimal(data).map(Value::Number),
            ColumnType::Date => cell_date(data).map(Value::Date),
            ColumnType::Bool => match data {
                Data::Bool(b) => Some(Value::Bool(*b)),
                Data::Int(1) => Some(Value::Bool(true)),
                Data::Int(0) => Some(Value::Bool(false)),
                Data::Float(f) if *f == 1.0 => Some(Value::Bool(true)),
                Data::Float(f) if *f == 0.0 => Some(Value::Bool(false)),
                Data::String(s) => match s.to_lowercase().as_str() {
                    "是" | "true" => Some(Value::Bool(true)),
                    "否" | "false" => Some(Value::Bool(false)),
                    _ => None,
                },
                _ => None,
            },
            ColumnType::Levels(choices) | ColumnType::Group(choices) => match data {
                Data::String(s) => choose(choices, s).map(Value::Choice),
                _ => None,
            },
            ColumnType::Period(unit) => {
                let period = match data {
                    Data::String(s) => parse_period_text(s),
                    // Excel turns a typed `2026-04` into the date 2026-04-01.
                    Data::DateTime(_) | Data::DateTimeIso(_) => cell_date(data)
                        .filter(|d| d.day() == 1)
                        .map(|d| Period::containing(PeriodUnit::Month, d)),
                    // Under `period year`, a typed `2026` is a number.
                    Data::Int(_) | Data::Float(_) if *unit == PeriodUnit::Year => {
                        cell_decimal(data)
                            .filter(|d| d.fract().is_zero())
                            .and_then(|d| d.to_u16())
                            .and_then(|y| parse_period_text(&format!("{y:04}")))
                    }
                    _ => None,
                };
                period.filter(|p| p.is_unit(*unit)).map(Value::Period)
            }
            ColumnType::PeriodOrYear => {
                let period = match data {
                    Data::String(s) => parse_period_text(s),
                    Data::Int(_) | Data::Float(_) => cell_decimal(data)
                        .filter(|d| d.fract().is_zero())
                        .and_then(|d| d.to_u16())
                        .and_then(|y| parse_period_text(&format!("{y:04}"))),
                    Data::DateTime(_) | Data::DateTimeIso(_) => cell_date(data)
                        .filter(|d| d.day() == 1)
                        .map(|d| Period::containing(PeriodUnit::Month, d)),
                    _ => None,
                };
                period
                    .filter(|p| matches!(p, Period::Year(_)) || p.is_unit(self.layout.period_unit))
                    .map(Value::Period)
            }
            ColumnType::UnitRef => cell_text(data)
                .filter(|id| self.unit_ids.contains(id))
                .map(Value::Text),
        }
    }

    fn units(&mut self, sheet: &Sheet, range: &Range<Data>) -> Vec<Json> {
        let (at, complete) = self.columns(sheet, range);
        let rows = Self::rows(range, &at);
        // Every id first: records refer to units by them.
        let id_index = sheet.columns.iter().position(|c| c.role == Role::UnitId);
        self.unit_ids = rows
            .iter()
            .filter_map(|(_, cells)| id_index.and_then(|i| cells.get(i)))
            .filter_map(cell_text)
            .filter(|t| !t.is_empty())
            .collect();
        if !complete {
            // Reported once for the sheet; no unit can be read.
            self.poisoned_units.extend(self.unit_ids.iter().cloned());
            return Vec::new();
        }
        let mut units = Vec::new();
        for (row, cells) in rows {
            let errors_before = self.errors.len();
            let mut unit = Map::new();
            let mut attributes = Map::new();
            let mut origins = Vec::new();
            let mut group: Option<String> = None;
            let mut id: Option<String> = None;
            for (i, column) in sheet.columns.iter().enumerate() {
                if !matches!(column.role, Role::Attribute(_)) {
                    let col = at.get(i).copied().flatten();
                    let data = cells.get(i).cloned().unwrap_or_default();
                    let Some(value) = self.cell(&sheet.name, row, col, column, &data) else {
                        continue;
                    };
                    let key = match column.role {
                        Role::UnitId => {
                            if let Value::Text(t) = &value {
                                id = Some(t.clone());
                            }
                            "id"
                        }
                        Role::UnitName => "name",
                        _ => {
                            if let Value::Choice(g) = &value {
                                group = Some(g.clone());
                            }
                            "group"
                        }
                    };
                    unit.insert(key.to_owned(), value.to_json());
                    origins.push((key.to_owned(), col.unwrap_or(0)));
                }
            }
            for (i, column) in sheet.columns.iter().enumerate() {
                let Role::Attribute(name) = &column.role else {
                    continue;
                };
                let Some(group) = &group else { continue };
                let col = at.get(i).copied().flatten();
                let data = cells.get(i).cloned().unwrap_or_default();
                if !column.groups.contains(group) {
                    if !is_empty(&data) {
                        let group_label = self
                            .layout
                            .units
                            .columns
                            .iter()
                            .find_map(|c| match &c.ty {
                                ColumnType::Group(choices) => choices
                                    .iter()
                                    .find(|g| &g.name == group)
                                    .map(|g| g.shown().to_owned()),
                                _ => None,
                            })
                            .unwrap_or_else(|| group.clone());
                        let declared: Vec<&str> = self
                            .layout
                            .units
                            .columns
                            .iter()
                            .filter(|c| matches!(c.role, Role::Attribute(_)))
                            .filter(|c| c.groups.contains(group))
                            .map(|c| c.label.as_str())
                            .collect();
                        self.error_at(
                            (&sheet.name, row, col.unwrap_or(0)),
                            "kaohe::ledger::not_an_attribute_of_group",
                            format!(
                                "expected an empty cell ({} is not an attribute of group {group_label}{}), found {}",
                                column.label,
                                if declared.is_empty() {
                                    String::new()
                                } else {
                                    format!(", which has {}", declared.join("、"))
                                },
                                found(&data)
                            ),
                            None,
                        );
                    }
                    continue;
                }
                if col.is_none() {
                    continue;
                }
                let Some(value) = self.cell(&sheet.name, row, col, column, &data) else {
                    continue;
                };
                if value != Value::Empty {
                    attributes.insert(name.clone(), value.to_json());
                    origins.push((format!("attributes.{name}"), col.unwrap_or(0)));
                }
            }
            if self.errors.len() > errors_before {
                if let Some(id) = id {
                    self.poisoned_units.insert(id);
                }
                continue;
            }
            unit.insert("attributes".to_owned(), Json::Object(attributes));
            let path = format!("$.units[{}]", units.len());
            let first_col = at.iter().flatten().copied().min().unwrap_or(0);
            self.origin(path.clone(), &sheet.name, row, first_col, None);
            for (key, col) in origins {
                self.origin(format!("{path}.{key}"), &sheet.name, row, col, None);
            }
            units.push(Json::Object(unit));
        }
        units
    }

    fn records(&mut self, sheet: &Sheet, range: &Range<Data>, records: &mut Vec<Json>) {
        let (at, complete) = self.columns(sheet, range);
        let Some(kind) = sheet.kind.clone() else {
            return;
        };
        if !complete {
            return;
        }
        for (row, cells) in Self::rows(range, &at) {
            let errors_before = self.errors.len();
            let mut record = Map::new();
            let mut attributes = Map::new();
            let mut origins: Vec<(String, u32, Option<String>)> = Vec::new();
            record.insert("kind".to_owned(), Json::String(kind.clone()));
            for (i, column) in sheet.columns.iter().enumerate() {
                let col = at.get(i).copied().flatten();
                if col.is_none() {
                    continue;
                }
                let data = cells.get(i).cloned().unwrap_or_default();
                let Some(value) = self.cell(&sheet.name, row, col, column, &data) else {
                    continue;
                };
                if value == Value::Empty {
                    continue;
                }
                let col = col.unwrap_or(0);
                let key = match &column.role {
                    Role::Attribute(name) => {
                        attributes.insert(name.clone(), value.to_json());
                        origins.push((format!("attributes.{name}"), col, None));
                        continue;
                    }
                    Role::Unit => "unit",
                    Role::Period => "period",
                    Role::Reported => "reported",
                    Role::Count => "count",
                    Role::Revision => "revision",
                    Role::Decided => "decided",
                    _ => "id",
                };
                let unit = match (&column.role, &value) {
                    (Role::Unit, Value::Text(u)) => Some(u.clone()),
                    _ => None,
                };
                record.insert(key.to_owned(), value.to_json());
                origins.push((key.to_owned(), col, unit));
            }
            if self.errors.len() > errors_before {
                continue;
            }
            record.insert("attributes".to_owned(), Json::Object(attributes));
            let path = format!("$.records[{}]", records.len());
            let first_col = at.iter().flatten().copied().min().unwrap_or(0);
            self.origin(path.clone(), &sheet.name, row, first_col, None);
            for (key, col, unit) in origins {
                self.origin(format!("{path}.{key}"), &sheet.name, row, col, unit);
            }
            records.push(Json::Object(record));
        }
    }

    fn discretion(&mut self, sheet: &Sheet, range: &Range<Data>) -> Map<String, Json> {
        let (at, complete) = self.columns(sheet, range);
        let mut orders: Map<String, Json> = Map::new();
        if !complete {
            return orders;
        }
        for (row, cells) in Self::rows(range, &at) {
            let mut period: Option<Period> = None;
            let mut unit: Option<(String, u32)> = None;
            for (i, column) in sheet.columns.iter().enumerate() {
                let col = at.get(i).copied().flatten();
                let data = cells.get(i).cloned().unwrap_or_default();
                match self.cell(&sheet.name, row, col, column, &data) {
                    Some(Value::Period(p)) => period = Some(p),
                    Some(Value::Text(u)) => unit = Some((u, col.unwrap_or(0))),
                    _ => {}
                }
            }
            if let (Some(period), Some((unit, col))) = (period, unit) {
                let key = period.to_string();
                let list = orders
                    .entry(key.clone())
                    .or_insert_with(|| Json::Array(Vec::new()));
                if let Json::Array(list) = list {
                    let path = format!(
                        "{}[{}]",
                        kaohe::facts::member_path("$.discretion", &key),
                        list.len()
                    );
                    list.push(Json::String(unit.clone()));
                    self.origin(path, &sheet.name, row, col, Some(unit));
                }
            }
        }
        orders
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Every spelling of a month that docs/office.md lists for the 期间
    /// column, and near misses that must stay refused.
    #[test]
    fn period_texts_as_office_md_lists_them() {
        let april = Some(Period::Month {
            year: 2026,
            month: 4,
        });
        for text in [
            "2026-04",
            "2026-4",
            "2026/04",
            "2026/4",
            "2026年4月",
            "2026年04月",
        ] {
            assert_eq!(parse_period_text(text), april, "{text}");
        }
        for text in [
            "2026/13",
            "26/04",
            "2026/004",
            "2026/",
            "2026/04/01",
            "2026.04",
        ] {
            assert_eq!(parse_period_text(text), None, "{text}");
        }
        assert_eq!(
            parse_period_text("2026-q2"),
            Some(Period::Quarter {
                year: 2026,
                quarter: 2
            })
        );
    }

    #[test]
    fn floats_read_as_excel_shows_them() {
        assert_eq!(float_decimal(33.3).unwrap().to_string(), "33.3");
        assert_eq!(
            float_decimal(0.1 + 0.2).unwrap().to_string(),
            "0.3",
            "15 significant digits"
        );
        assert_eq!(float_decimal(100.0).unwrap().to_string(), "100");
        assert_eq!(float_decimal(-2.5).unwrap().to_string(), "-2.5");
        assert!(float_decimal(f64::NAN).is_none());
    }

    #[test]
    fn dates_and_periods_in_text() {
        assert_eq!(
            parse_date_text("2026/4/5").unwrap().to_string(),
            "2026-04-05"
        );
        assert_eq!(
            parse_date_text("2026年4月15日").unwrap().to_string(),
            "2026-04-15"
        );
        assert!(parse_date_text("2026-13-01").is_none());
        assert!(parse_date_text("26-04-01").is_none());
        assert_eq!(parse_period_text("2026-4").unwrap().to_string(), "2026-04");
        assert_eq!(
            parse_period_text("2026年4月").unwrap().to_string(),
            "2026-04"
        );
        assert_eq!(parse_period_text("2026-q2").unwrap().to_string(), "2026-Q2");
        assert!(parse_period_text("2026-13").is_none());
        // Half-years, ISO weeks and years (issue 13 §9), in either case.
        assert_eq!(parse_period_text("2026-h1").unwrap().to_string(), "2026-H1");
        assert_eq!(
            parse_period_text("2026-w05").unwrap().to_string(),
            "2026-W05"
        );
        assert_eq!(parse_period_text("2026").unwrap().to_string(), "2026");
        assert!(parse_period_text("2025-W53").is_none());
        assert!(parse_period_text("2026-H3").is_none());
    }
}
