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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Cursor;
use std::str::FromStr;

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};
use kaohe::date::Date;
use kaohe::syntax::ast::PeriodUnit;
use kaohe::{Facts, Period, Ruleset};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::row_col_to_cell;
use serde_json::{Map, Value as Json};

use crate::layout::{
    Column, ColumnType, Layout, Role, Sheet, AS_OF_CELL, DESCRIPTION_CELL, FIRST_DATA_ROW,
    INFO_SHEET, KEY_ROW, PERIODS_CELL,
};

/// A ledger read and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The fact file (`docs/facts.md`), as written by `rulec import`.
    pub json: Json,
    /// The validated facts.
    pub facts: Facts,
}

/// One problem in a ledger, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerError {
    /// The sheet, if the problem is in one.
    pub sheet: Option<String>,
    /// The cell (`C14`), if the problem is in one.
    pub cell: Option<String>,
    /// What was expected and what was found.
    pub message: String,
    /// (sheet position in the workbook, row, column), to sort by.
    order: (usize, u32, u32),
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.sheet, &self.cell) {
            (Some(sheet), Some(cell)) => write!(f, "{sheet}!{cell}: {}", self.message),
            (Some(sheet), None) => write!(f, "{sheet}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for LedgerError {}

/// Why a ledger could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The bytes are not an `.xlsx` workbook calamine can read.
    #[error("cannot read the workbook: {0}")]
    Workbook(String),
    /// The ledger has errors (never empty), sorted by sheet, row and column.
    #[error("the ledger has {} error(s)", .0.len())]
    Ledger(Vec<LedgerError>),
}

/// Reads the ledger workbook `bytes` for `ruleset` into facts.
pub fn import(ruleset: &Ruleset, bytes: &[u8]) -> Result<Imported, ImportError> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ImportError::Workbook(e.to_string()))?;
    let sheet_names = workbook.sheet_names();
    let layout = Layout::of(ruleset);
    let mut ranges: BTreeMap<String, Range<Data>> = BTreeMap::new();
    for name in &sheet_names {
        let range = workbook
            .worksheet_range(name)
            .map_err(|e| ImportError::Workbook(format!("sheet {name}: {e}")))?;
        ranges.insert(name.clone(), range);
    }
    let mut reader = LedgerReader {
        layout: &layout,
        sheet_names,
        errors: Vec::new(),
        origins: BTreeMap::new(),
        poisoned_units: BTreeSet::new(),
        unit_ids: Vec::new(),
    };
    let json = reader.read(&ranges);
    let text = serde_json::to_string(&json).unwrap_or_default();
    let facts = Facts::from_json(ruleset, &text);
    match facts {
        Ok(facts) if reader.errors.is_empty() => Ok(Imported { json, facts }),
        Ok(_) => Err(ImportError::Ledger(reader.finish())),
        Err(fact_errors) => {
            for e in fact_errors.errors {
                reader.fact_error(&e.path, &e.message);
            }
            Err(ImportError::Ledger(reader.finish()))
        }
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
        Data::String(s) if s.trim().is_empty() => "an empty cell".to_owned(),
        Data::String(s) => s.trim().to_owned(),
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

/// `2026-04-15`, `2026/4/15`, `2026.4.15`, `2026年4月15日`.
fn parse_date_text(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text
        .trim()
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .collect();
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
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `2026-04`, `2026-4`, `2026/04`, `2026年4月`, `2026-Q2`, `2026`.
fn parse_period_text(text: &str) -> Option<Period> {
    let text = text.trim();
    if let Ok(p) = Period::from_str(text) {
        return Some(p);
    }
    if let Ok(p) = Period::from_str(&text.replace('q', "Q")) {
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
        Data::String(s) => Decimal::from_str_exact(s.trim()).ok(),
        _ => None,
    }
}

fn cell_text(data: &Data) -> Option<String> {
    match data {
        Data::String(s) => Some(s.trim().to_owned()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => float_decimal(*f).map(|d| d.to_string()),
        _ => None,
    }
}

fn choose(choices: &[crate::layout::Choice], text: &str) -> Option<String> {
    choices
        .iter()
        .find(|c| c.label.as_deref() == Some(text) || c.name == text)
        .map(|c| c.name.clone())
}

impl LedgerReader<'_> {
    fn sheet_position(&self, sheet: &str) -> usize {
        self.sheet_names
            .iter()
            .position(|s| s == sheet)
            .unwrap_or(usize::MAX)
    }

    fn error_at(&mut self, sheet: &str, row: u32, col: u32, message: impl Into<String>) {
        self.errors.push(LedgerError {
            sheet: Some(sheet.to_owned()),
            cell: Some(cell_name(row, col)),
            message: message.into(),
            order: (self.sheet_position(sheet), row, col),
        });
    }

    fn sheet_error(&mut self, sheet: &str, message: impl Into<String>) {
        self.errors.push(LedgerError {
            sheet: Some(sheet.to_owned()),
            cell: None,
            message: message.into(),
            order: (self.sheet_position(sheet), 0, 0),
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

    /// Maps a validator error back to its cell.
    fn fact_error(&mut self, path: &str, message: &str) {
        let message = self.rewrite_paths(message);
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
                self.error_at(&origin.sheet, origin.row, origin.col, message);
            }
            None => self.errors.push(LedgerError {
                sheet: None,
                cell: None,
                message: format!("{path}: {message}"),
                order: (0, 0, 0),
            }),
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
        for name in self.sheet_names.clone() {
            if !known.contains(&name) {
                self.sheet_error(
                    &name,
                    format!(
                        "expected one of the ledger's sheets ({}), found an unknown sheet; move it to another workbook",
                        known.join(", ")
                    ),
                );
            }
        }

        match ranges.get(INFO_SHEET) {
            Some(range) => self.info(range, &mut top),
            None => {
                self.errors.push(LedgerError {
                    sheet: None,
                    cell: None,
                    message: format!(
                        "expected a sheet {INFO_SHEET} (with the evaluation date in {INFO_SHEET}!B3), found none"
                    ),
                    order: (0, 0, 0),
                });
                top.insert("as_of".to_owned(), Json::String("9999-12-31".to_owned()));
            }
        }

        let units_sheet = self.layout.units.clone();
        let units = match ranges.get(&units_sheet.name) {
            Some(range) => self.units(&units_sheet, range),
            None => {
                self.errors.push(LedgerError {
                    sheet: None,
                    cell: None,
                    message: format!(
                        "expected a sheet {} (the units), found none",
                        units_sheet.name
                    ),
                    order: (0, 0, 0),
                });
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
                self.error_at(
                    INFO_SHEET,
                    row,
                    col.into(),
                    format!(
                        "expected the evaluation date, a date YYYY-MM-DD, found {}",
                        found(&cell)
                    ),
                );
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
                    INFO_SHEET,
                    row,
                    col.into(),
                    format!("expected text, found {}", found(&cell)),
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
                    .filter(|p| !p.trim().is_empty())
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
                    INFO_SHEET,
                    row,
                    col.into(),
                    format!(
                        "expected periods, each {expected}, separated by commas, found {}",
                        found(&cell)
                    ),
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
                        &sheet.name,
                        KEY_ROW,
                        col,
                        format!(
                            "expected each column once in row 2, found `{key}` again (first in {})",
                            cell_name(KEY_ROW, first)
                        ),
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
                        &sheet.name,
                        KEY_ROW,
                        col,
                        format!(
                            "expected a column name of this sheet ({}) or an empty cell (a remark column), found {}",
                            keys.join(", "),
                            found(&cell)
                        ),
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
                    format!(
                        "expected a column `{}` ({}) in row 2, found none",
                        column.key, column.label
                    ),
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
        if is_empty(data) {
            if column.required {
                self.error_at(
                    sheet,
                    row,
                    col,
                    format!(
                        "expected {} ({}), found an empty cell",
                        column.ty.expected(),
                        column.label
                    ),
                );
                return None;
            }
            return Some(Value::Empty);
        }
        let value = match &column.ty {
            ColumnType::Text => cell_text(data).map(Value::Text),
            ColumnType::Integer => cell_decimal(data)
                .filter(|d| d.fract().is_zero())
                .and_then(|d| d.to_i64())
                .map(Value::Integer),
            ColumnType::Count => cell_decimal(data)
                .filter(|d| d.fract().is_zero() && !d.is_sign_negative())
                .and_then(|d| d.to_u32())
                .map(|c| Value::Integer(i64::from(c))),
            ColumnType::Decimal => cell_decimal(data).map(Value::Number),
            ColumnType::Date => cell_date(data).map(Value::Date),
            ColumnType::Bool => match data {
                Data::Bool(b) => Some(Value::Bool(*b)),
                Data::Int(1) => Some(Value::Bool(true)),
                Data::Int(0) => Some(Value::Bool(false)),
                Data::Float(f) if *f == 1.0 => Some(Value::Bool(true)),
                Data::Float(f) if *f == 0.0 => Some(Value::Bool(false)),
                Data::String(s) => match s.trim().to_lowercase().as_str() {
                    "是" | "true" => Some(Value::Bool(true)),
                    "否" | "false" => Some(Value::Bool(false)),
                    _ => None,
                },
                _ => None,
            },
            ColumnType::Levels(choices) | ColumnType::Group(choices) => match data {
                Data::String(s) => choose(choices, s.trim()).map(Value::Choice),
                _ => None,
            },
            ColumnType::Period(unit) => {
                let period = match data {
                    Data::String(s) => parse_period_text(s),
                    // Excel turns a typed `2026-04` into the date 2026-04-01.
                    Data::DateTime(_) | Data::DateTimeIso(_) => cell_date(data)
                        .filter(|d| d.day() == 1)
                        .map(|d| Period::containing(PeriodUnit::Month, d)),
                    _ => None,
                };
                period.filter(|p| p.is_unit(*unit)).map(Value::Period)
            }
            ColumnType::PeriodOrYear => {
                let period = match data {
                    Data::String(s) => parse_period_text(s),
                    Data::Int(_) | Data::Float(_) => cell_decimal(data)
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
            ColumnType::UnitRef => {
                let Some(id) = cell_text(data) else {
                    self.error_at(
                        sheet,
                        row,
                        col,
                        format!("expected {}, found {}", column.ty.expected(), found(data)),
                    );
                    return None;
                };
                if self.unit_ids.contains(&id) {
                    return Some(Value::Text(id));
                }
                let help = self
                    .unit_ids
                    .iter()
                    .map(|u| (strsim::levenshtein(u, &id), u))
                    .filter(|(d, u)| *d <= 2.max(u.chars().count() / 3))
                    .min()
                    .map(|(_, u)| format!("; did you mean {u}?"))
                    .unwrap_or_default();
                self.error_at(
                    sheet,
                    row,
                    col,
                    format!("expected {}, found {id}{help}", column.ty.expected()),
                );
                return None;
            }
        };
        if value.is_none() {
            self.error_at(
                sheet,
                row,
                col,
                format!("expected {}, found {}", column.ty.expected(), found(data)),
            );
        }
        value
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
                            &sheet.name,
                            row,
                            col.unwrap_or(0),
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
                    let path = format!("$.discretion.{key}[{}]", list.len());
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
    }
}
