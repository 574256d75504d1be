//! Test helpers: fill a ledger template the way an office would — read the
//! template's sheets and header rows with calamine, write a new workbook with
//! the same sheets and headers and the data typed into cells with
//! rust_xlsxwriter (numbers as numbers, dates as date cells, levels and groups
//! by their labels, bools as 是/否).
//!
//! Also used by `crates/rulec/tests/office.rs` (through `#[path]`).
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use kaohe::syntax::ast::Item;
use kaohe::{Ruleset, SourceFile};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

/// What a test types into a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(u16, u8, u8),
    Bool(bool),
    /// A formula and the result Excel cached for it.
    Formula(String, String),
    /// A number in a cell with this number format (`0%`, `yyyy-mm-dd` …).
    Formatted(f64, String),
}

impl Cell {
    pub fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

/// A filled ledger: the info cells, and per sheet its rows as key → cell.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub as_of: Option<Cell>,
    pub description: Option<Cell>,
    pub periods: Option<Cell>,
    /// Sheet name → rows (machine key → cell).
    pub sheets: BTreeMap<String, Vec<BTreeMap<String, Cell>>>,
    /// Sheets to add that the template does not have.
    pub extra_sheets: Vec<String>,
    /// (sheet, column index, new row-2 key): tamper with the machine names.
    pub key_overrides: Vec<(String, u16, String)>,
    /// (sheet, column key, first data row index, last data row index, text):
    /// a value merged over several rows of a column.
    pub merges: Vec<(String, String, u32, u32, String)>,
    /// Sheets renamed after filling: (template name, new name).
    pub renames: Vec<(String, String)>,
    /// Chart sheets to add (a chart of the units sheet's column A).
    pub chart_sheets: Vec<String>,
}

pub fn workspace() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn load_ruleset(name: &str) -> Ruleset {
    let path = workspace().join(format!("rulesets/{name}/{name}.rules"));
    let text = std::fs::read_to_string(&path).unwrap();
    Ruleset::from_source(SourceFile::new(format!("{name}.rules"), text)).unwrap()
}

/// Every shipped example: (ruleset name, example path).
pub fn examples() -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(workspace().join("rulesets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| workspace().join(format!("rulesets/{n}/{n}.rules")).exists())
        .collect();
    names.sort();
    for name in names {
        let dir = workspace().join(format!("rulesets/{name}/examples"));
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for f in files {
            out.push((name.clone(), f));
        }
    }
    out
}

fn levels_of(ruleset: &Ruleset, ty: &str) -> Option<Vec<(String, String)>> {
    ruleset.syntax().items.iter().find_map(|i| match i {
        Item::Levels(l) if l.name.name == ty => Some(
            l.levels
                .iter()
                .map(|d| {
                    (
                        d.name.name.clone(),
                        d.label
                            .as_ref()
                            .map_or_else(|| d.name.name.clone(), |l| l.text.clone()),
                    )
                })
                .collect(),
        ),
        _ => None,
    })
}

fn date_cell(text: &str) -> Cell {
    let parts: Vec<&str> = text.split('-').collect();
    Cell::Date(
        parts[0].parse().unwrap(),
        parts[1].parse().unwrap(),
        parts[2].parse().unwrap(),
    )
}

fn number(value: &Value) -> f64 {
    match value {
        Value::Number(n) => n.to_string().parse().unwrap(),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("not a number: {other}"),
    }
}

/// A cell for an attribute value of a declared type (`ty`: integer, decimal,
/// date, text, bool or a levels name).
fn attribute_cell(ruleset: &Ruleset, ty: &str, value: &Value, row: usize) -> Option<Cell> {
    if value.is_null() {
        return None;
    }
    Some(match ty {
        "integer" | "decimal" => Cell::Number(number(value)),
        // Dates alternate between date cells and typed text, as offices do.
        "date" if row.is_multiple_of(2) => date_cell(value.as_str().unwrap()),
        "date" => Cell::Text(value.as_str().unwrap().to_owned()),
        "text" => Cell::Text(value.as_str().unwrap().to_owned()),
        "bool" => Cell::text(if value.as_bool().unwrap() {
            "是"
        } else {
            "否"
        }),
        levels => {
            let name = value.as_str().unwrap();
            let all = levels_of(ruleset, levels).unwrap();
            let label = all
                .iter()
                .find(|(n, l)| n == name || l == name)
                .map(|(_, l)| l.clone())
                .unwrap();
            Cell::Text(label)
        }
    })
}

/// The sheet of a record kind: its label if the template has such a sheet,
/// else its name.
pub fn kind_sheet(ruleset: &Ruleset, template_sheets: &[String], kind: &str) -> String {
    let decl = ruleset.records().find(|r| r.name.name == kind).unwrap();
    let label = decl.label.as_ref().map(|l| l.text.clone());
    match label {
        Some(l) if template_sheets.contains(&l) => l,
        _ => kind.to_owned(),
    }
}

pub fn sheet_names(template: &[u8]) -> Vec<String> {
    let workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(template.to_vec())).unwrap();
    workbook.sheet_names()
}

/// Converts a fact file into the cells an office would type.
pub fn ledger_from_facts(ruleset: &Ruleset, template: &[u8], facts: &Value) -> Ledger {
    let sheets = sheet_names(template);
    let mut ledger = Ledger {
        as_of: Some(date_cell(facts["as_of"].as_str().unwrap())),
        description: facts["description"].as_str().map(Cell::text),
        periods: facts["periods"].as_array().map(|ps| {
            Cell::Text(
                ps.iter()
                    .map(|p| p.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }),
        ..Ledger::default()
    };
    let group_label = |g: &str| {
        ruleset
            .groups()
            .find(|d| d.name.name == g)
            .and_then(|d| d.label.as_ref().map(|l| l.text.clone()))
            .unwrap_or_else(|| g.to_owned())
    };
    let mut units = Vec::new();
    for (i, unit) in facts["units"].as_array().unwrap().iter().enumerate() {
        let mut row = BTreeMap::new();
        row.insert(
            "id".to_owned(),
            Cell::Text(unit["id"].as_str().unwrap().into()),
        );
        row.insert(
            "name".to_owned(),
            Cell::Text(unit["name"].as_str().unwrap().into()),
        );
        let group = unit["group"].as_str().unwrap();
        row.insert("group".to_owned(), Cell::Text(group_label(group)));
        let decl = ruleset.groups().find(|d| d.name.name == group).unwrap();
        if let Some(attributes) = unit["attributes"].as_object() {
            for (key, value) in attributes {
                let field = decl
                    .attributes
                    .iter()
                    .find(|f| &f.name.name == key)
                    .unwrap();
                if let Some(cell) = attribute_cell(ruleset, &field.ty.name.name, value, i) {
                    row.insert(key.clone(), cell);
                }
            }
        }
        units.push(row);
    }
    ledger.sheets.insert("单位".to_owned(), units);
    for (i, record) in facts["records"].as_array().unwrap().iter().enumerate() {
        let kind = record["kind"].as_str().unwrap();
        let decl = ruleset.records().find(|r| r.name.name == kind).unwrap();
        let mut row = BTreeMap::new();
        row.insert(
            "unit".to_owned(),
            Cell::Text(record["unit"].as_str().unwrap().into()),
        );
        row.insert(
            "period".to_owned(),
            Cell::Text(record["period"].as_str().unwrap().into()),
        );
        let reported = record["reported"].as_str().unwrap();
        row.insert(
            "reported".to_owned(),
            if i.is_multiple_of(3) {
                Cell::Text(reported.to_owned())
            } else {
                date_cell(reported)
            },
        );
        if let Some(count) = record.get("count") {
            row.insert("count".to_owned(), Cell::Number(number(count)));
        }
        // The office's decision of a discretionary amount (issue 13 §6).
        if let Some(decided) = record.get("decided") {
            row.insert("decided".to_owned(), Cell::Number(number(decided)));
        }
        if let Some(id) = record["id"].as_str() {
            row.insert("id".to_owned(), Cell::Text(id.to_owned()));
        }
        if let Some(attributes) = record["attributes"].as_object() {
            for (key, value) in attributes {
                let field = decl.fields.iter().find(|f| &f.name.name == key).unwrap();
                if let Some(cell) = attribute_cell(ruleset, &field.ty.name.name, value, i) {
                    row.insert(key.clone(), cell);
                }
            }
        }
        ledger
            .sheets
            .entry(kind_sheet(ruleset, &sheets, kind))
            .or_default()
            .push(row);
    }
    if let Some(discretion) = facts["discretion"].as_object() {
        let rows = ledger.sheets.entry("酌定排序".to_owned()).or_default();
        for (period, units) in discretion {
            for unit in units.as_array().unwrap() {
                let mut row = BTreeMap::new();
                row.insert("period".to_owned(), Cell::Text(period.clone()));
                row.insert("unit".to_owned(), Cell::Text(unit.as_str().unwrap().into()));
                rows.push(row);
            }
        }
    }
    ledger
}

/// Writes `ledger` into a copy of `template`'s sheets and two header rows.
pub fn write(template: &[u8], ledger: &Ledger) -> Vec<u8> {
    let mut source: Xlsx<_> = open_workbook_from_rs(Cursor::new(template.to_vec())).unwrap();
    let names = source.sheet_names();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut workbook = Workbook::new();
    for name in names.iter().chain(&ledger.extra_sheets) {
        let range = source.worksheet_range(name).ok();
        let ws = workbook.add_worksheet();
        let shown = ledger
            .renames
            .iter()
            .find(|(from, _)| from == name)
            .map_or(name.as_str(), |(_, to)| to.as_str());
        ws.set_name(shown).unwrap();
        let Some(range) = range else { continue };
        let write_cell =
            |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, cell: &Cell| match cell {
                Cell::Text(t) => {
                    ws.write_string(r, c, t).unwrap();
                }
                Cell::Number(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                Cell::Date(y, m, d) => {
                    ws.write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                        &date,
                    )
                    .unwrap();
                }
                Cell::Bool(b) => {
                    ws.write_boolean(r, c, *b).unwrap();
                }
                Cell::Formula(f, result) => {
                    let formula = rust_xlsxwriter::Formula::new(f).set_result(result);
                    ws.write_formula(r, c, formula).unwrap();
                }
                Cell::Formatted(n, format) => {
                    ws.write_number_with_format(r, c, *n, &Format::new().set_num_format(format))
                        .unwrap();
                }
            };
        if name == "说明" {
            // Copy the labels, then the office's entries.
            let (r0, c0) = range.start().unwrap();
            for (r, c, v) in range.used_cells() {
                if let Data::String(s) = v {
                    ws.write_string(r as u32 + r0, (c as u32 + c0) as u16, s)
                        .unwrap();
                }
            }
            for (cell, r) in [
                (&ledger.as_of, 2),
                (&ledger.description, 3),
                (&ledger.periods, 4),
            ] {
                if let Some(cell) = cell {
                    write_cell(ws, r, 1, cell);
                }
            }
            continue;
        }
        // The two header rows, as in the template.
        let width = range.end().map_or(0, |(_, c)| c);
        let mut keys: Vec<String> = Vec::new();
        for c in 0..=width {
            for r in 0..2u32 {
                if let Some(Data::String(s)) = range.get_value((r, c)) {
                    ws.write_string(r, c as u16, s).unwrap();
                }
            }
            keys.push(match range.get_value((1, c)) {
                Some(Data::String(s)) => s.clone(),
                _ => String::new(),
            });
        }
        for (sheet, col, key) in &ledger.key_overrides {
            if sheet == name {
                ws.write_string(1, *col, key).unwrap();
            }
        }
        for (i, row) in ledger.sheets.get(name).into_iter().flatten().enumerate() {
            let r = 2 + i as u32;
            for (key, cell) in row {
                let c = keys
                    .iter()
                    .position(|k| k == key)
                    .unwrap_or_else(|| panic!("no column `{key}` on sheet {name}"));
                write_cell(ws, r, c as u16, cell);
            }
        }
        for (sheet, key, first, last, text) in &ledger.merges {
            if sheet == name {
                let c = keys.iter().position(|k| k == key).unwrap() as u16;
                ws.merge_range(2 + first, c, 2 + last, c, text, &Format::new())
                    .unwrap();
            }
        }
    }
    for name in &ledger.chart_sheets {
        let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Column);
        chart.add_series().set_values("='单位'!$D$3:$D$4");
        let sheet = workbook.add_chartsheet();
        sheet.set_name(name).unwrap();
        sheet.insert_chart(0, 0, &chart).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

/// The workbook `xlsx` with its part `path` (`xl/workbook.xml`) rewritten by `edit`.
pub fn patch(xlsx: &[u8], path: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx.to_vec())).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut found = false;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == path {
            found = true;
            bytes = edit(std::str::from_utf8(&bytes).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    assert!(found, "no part {path}");
    out.finish().unwrap().into_inner()
}

/// The zip path of the worksheet `name` in a workbook written by [`write`]
/// (sheets are numbered in order).
pub fn sheet_part(xlsx: &[u8], name: &str) -> String {
    let index = sheet_names(xlsx).iter().position(|n| n == name).unwrap();
    format!("xl/worksheets/sheet{}.xml", index + 1)
}
