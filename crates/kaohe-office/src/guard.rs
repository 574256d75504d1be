//! Checks a workbook's cell references before calamine reads it, so that a
//! malformed workbook is refused with an error naming the sheet instead of
//! making the reader panic.
//!
//! calamine 0.38 subtracts and multiplies cell coordinates without checking:
//! a `<dimension ref="Q1:C25"/>` that ends before it starts, a merged range or
//! shared formula range the same way round, or a reference with more letters or
//! digits than a `u32` holds overflows (a panic; `rulec import` exited 101).
//! Excel and WPS never write such references, so every `r` and `ref` attribute
//! of the worksheet elements calamine reads (`row`, `c`, `dimension`,
//! `mergeCell`, `f`) must be a cell inside Excel's grid (`A1` … `XFD1048576`)
//! or a range of two such cells whose end is not before its start.
//!
//! calamine also lays a sheet's cells out densely, from its first to its last
//! cell: a stray cell at `XFD1048576` next to `A1` asks for 17 billion cells
//! and aborts the process (an allocation failure cannot be caught). So the
//! cells of a sheet must span at most [`MAX_SPAN_CELLS`] cells (rows × columns);
//! a ledger is a few thousand rows of a few dozen columns.

use std::collections::BTreeMap;
use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Excel's last row (1-based).
const MAX_ROW: u32 = 1_048_576;
/// Excel's last column (1-based, `XFD`).
const MAX_COL: u32 = 16_384;

/// The most cells (rows × columns, from the first used cell to the last) a
/// worksheet's used area may span: 4 million, far above any ledger (the
/// province-scale ledger of 100,000 rows × 30 columns is 3 million).
pub(crate) const MAX_SPAN_CELLS: u64 = 4_000_000;

/// A malformed reference found in a worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadReference {
    /// The sheet's name (or the part's path when the workbook does not name it).
    pub(crate) sheet: String,
    /// `<dimension ref="Q1:C25"/>`.
    pub(crate) element: String,
    /// Why it is refused.
    pub(crate) reason: &'static str,
}

/// Every malformed reference of every worksheet of the `.xlsx` `bytes`, at
/// most one per sheet. Parts that cannot be read are left to calamine, which
/// reports them as errors.
pub(crate) fn bad_references(bytes: &[u8]) -> Vec<BadReference> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let sheets = worksheet_parts(&mut zip);
    let mut bad = Vec::new();
    for (name, path) in sheets {
        let Ok(file) = zip.by_name(&path) else {
            continue;
        };
        if let Some((element, reason)) = first_bad_reference(BufReader::new(file)) {
            bad.push(BadReference {
                sheet: name,
                element,
                reason,
            });
        }
    }
    bad
}

/// (sheet name, zip path) of each worksheet, in workbook order; falls back to
/// every `xl/worksheets/*.xml` part when the workbook's relationships cannot
/// be read.
fn worksheet_parts<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Vec<(String, String)> {
    let targets: BTreeMap<String, String> = read_part(zip, "xl/_rels/workbook.xml.rels")
        .map(|xml| {
            elements(&xml, "Relationship")
                .into_iter()
                .filter_map(|attrs| Some((attrs.get("Id")?.clone(), attrs.get("Target")?.clone())))
                .collect()
        })
        .unwrap_or_default();
    let mut parts: Vec<(String, String)> = read_part(zip, "xl/workbook.xml")
        .map(|xml| {
            elements(&xml, "sheet")
                .into_iter()
                .filter_map(|attrs| {
                    let target = targets.get(attrs.get("id")?)?;
                    let path = match target.strip_prefix('/') {
                        Some(absolute) => absolute.to_owned(),
                        None => format!("xl/{target}"),
                    };
                    Some((attrs.get("name")?.clone(), path))
                })
                .collect()
        })
        .unwrap_or_default();
    let named: Vec<String> = parts.iter().map(|(_, p)| p.clone()).collect();
    let others: Vec<String> = zip
        .file_names()
        .flatten()
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        .map(|n| n.into_owned())
        .filter(|n| !named.iter().any(|p| p == n))
        .collect();
    parts.extend(others.into_iter().map(|p| (p.clone(), p)));
    parts
}

fn read_part<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, path: &str) -> Option<Vec<u8>> {
    let mut file = zip.by_name(path).ok()?;
    let mut out = Vec::new();
    file.read_to_end(&mut out).ok()?;
    Some(out)
}

/// The attributes (by local name, unescaped) of every element named `name`.
fn elements(xml: &[u8], name: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => {
                out.push(attributes(&e));
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    out
}

fn attributes(e: &BytesStart<'_>) -> BTreeMap<String, String> {
    e.attributes()
        .flatten()
        .filter_map(|a| {
            let key = a.key.local_name().as_ref().to_owned();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()?
                .into_owned();
            Some((key, value))
        })
        .collect()
}

fn first_bad_reference<R: std::io::BufRead>(xml: R) -> Option<(String, &'static str)> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    // (first row, last row, first column, last column) of the cells seen.
    let mut span: Option<(u32, u32, u32, u32)> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let local = e.local_name();
                let element = local.as_ref().to_owned();
                let checks: &[(&str, Shape)] = match element.as_str() {
                    "row" => &[("r", Shape::Row)],
                    "c" => &[("r", Shape::Cell)],
                    "dimension" | "mergeCell" | "f" => &[("ref", Shape::Range)],
                    _ => &[],
                };
                if !checks.is_empty() && e.attributes().any(|a| a.is_err()) {
                    return Some((
                        format!("<{element}>"),
                        "an attribute of it is not well-formed XML",
                    ));
                }
                let attrs = attributes(&e);
                for (key, shape) in checks {
                    if let Some(value) = attrs.get(*key) {
                        if let Err(reason) = check(value, *shape) {
                            return Some((format!("<{element} {key}=\"{value}\">"), reason));
                        }
                    }
                }
                if element == "c" {
                    if let Some(Ok((row, col))) = attrs.get("r").map(|r| cell(r)) {
                        let (r0, r1, c0, c1) = span.unwrap_or((row, row, col, col));
                        let widened = (r0.min(row), r1.max(row), c0.min(col), c1.max(col));
                        span = Some(widened);
                        let (r0, r1, c0, c1) = widened;
                        let cells = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
                        if cells > MAX_SPAN_CELLS {
                            return Some((
                                format!(
                                    "cells from {} to {}",
                                    reference(r0, c0),
                                    reference(r1, c1)
                                ),
                                "the used cells span more than 4,000,000 cells (rows × columns); delete the stray cells far from the ledger's table",
                            ));
                        }
                    }
                }
            }
            Ok(Event::Eof) => return None,
            // What this check cannot read, calamine may still read (it is
            // more lenient) and then trust: refuse it instead.
            Err(_) => {
                return Some((
                    "the worksheet's XML".to_owned(),
                    "it is not well-formed XML",
                ))
            }
            Ok(_) => {}
        }
        buf.clear();
    }
}

#[derive(Debug, Clone, Copy)]
enum Shape {
    /// A row number.
    Row,
    /// A cell, `B3`.
    Cell,
    /// A cell or a range `B3:D9`.
    Range,
}

/// (row, column), 1-based, of a cell reference.
fn cell(text: &str) -> Result<(u32, u32), &'static str> {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = text.split_at(letters);
    if letters == 0 || letters > 3 {
        return Err("the column is not one of A … XFD");
    }
    let col = col.bytes().fold(0u32, |acc, b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    if col > MAX_COL {
        return Err("the column is beyond XFD, Excel's last column");
    }
    Ok((row_number(row)?, col))
}

fn row_number(text: &str) -> Result<u32, &'static str> {
    if text.is_empty() || text.len() > 7 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the row is not a number from 1 to 1048576");
    }
    match text.parse::<u32>() {
        Ok(row) if (1..=MAX_ROW).contains(&row) => Ok(row),
        _ => Err("the row is not a number from 1 to 1048576"),
    }
}

/// `B3` for (row 3, column 2), 1-based.
fn reference(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{row}", letters.into_iter().collect::<String>())
}

fn check(value: &str, shape: Shape) -> Result<(), &'static str> {
    match shape {
        Shape::Row => row_number(value).map(|_| ()),
        Shape::Cell => cell(value).map(|_| ()),
        Shape::Range => {
            let mut parts = value.split(':');
            let start = cell(parts.next().unwrap_or_default())?;
            let Some(end) = parts.next() else {
                return Ok(());
            };
            let end = cell(end)?;
            if parts.next().is_some() {
                return Err("a range has two corners");
            }
            if end.0 < start.0 || end.1 < start.1 {
                return Err("the range ends before it starts");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert!(check("A1:XFD1048576", Shape::Range).is_ok());
        assert!(check("B3", Shape::Range).is_ok());
        assert_eq!(
            check("Q1:C25", Shape::Range),
            Err("the range ends before it starts")
        );
        assert!(check("C25:C1", Shape::Range).is_err());
        assert!(check("AAAA1", Shape::Cell).is_err());
        assert!(check("A99999999999", Shape::Cell).is_err());
        assert!(check("A0", Shape::Cell).is_err());
        assert!(check("0", Shape::Row).is_err());
        assert!(check("12", Shape::Row).is_ok());
        assert_eq!(reference(1048576, 16384), "XFD1048576");
        assert_eq!(reference(3, 28), "AB3");
    }

    #[test]
    fn xml_the_check_cannot_read_is_refused_not_left_to_calamine() {
        // Found by fuzzing: calamine read a `<c r="Ctionships/…">` that this
        // check had not seen, and overflowed on its ten column letters.
        let duplicate = br#"<worksheet><sheetData><row r="1"><c r="A1" r="Ctionships"/></row></sheetData></worksheet>"#;
        assert!(first_bad_reference(&duplicate[..]).is_some());
        let broken = br#"<worksheet><sheetData><row r="1"></wrong><c r="Ctionships"/></sheetData></worksheet>"#;
        assert!(first_bad_reference(&broken[..]).is_some());
        let fine =
            br#"<worksheet><sheetData><row r="1"><c r="A1" s="2"/></row></sheetData></worksheet>"#;
        assert_eq!(first_bad_reference(&fine[..]), None);
    }

    #[test]
    fn a_stray_far_cell_is_refused_before_calamine_lays_the_sheet_out() {
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"/></row><row r="1048576"><c r="XFD1048576"/></row></sheetData></worksheet>"#;
        let found = first_bad_reference(&sheet[..]);
        assert!(
            matches!(&found, Some((element, reason)) if element == "cells from A1 to XFD1048576" && reason.contains("4,000,000")),
            "{found:?}"
        );
        let ledger = br#"<worksheet><sheetData><row r="1"><c r="A1"/></row><row r="5000"><c r="AD5000"/></row></sheetData></worksheet>"#;
        assert_eq!(first_bad_reference(&ledger[..]), None);
    }
}
