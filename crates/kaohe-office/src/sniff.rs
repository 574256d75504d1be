//! What a file is, told by its content, never by its name: `rulec import` and
//! `rulec eval` choose their reader with [`sniff`], so that an `.xlsx` named
//! `.xls`, a CSV renamed `.xlsx` or an Excel 97–2003 workbook are each read
//! right or refused with a message naming the format and what to do.

use std::io::Cursor;

/// The kind of an input file, by its first bytes (and, for zip files, the
/// names of their entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputKind {
    /// An Office Open XML workbook (`.xlsx`, `.xlsm`): a zip with `xl/workbook.xml`.
    /// The only workbook the ledger import reads.
    Xlsx,
    /// An Excel binary workbook (`.xlsb`): a zip with `xl/workbook.bin`.
    Xlsb,
    /// An OpenDocument spreadsheet (`.ods`, WPS and LibreOffice can write it).
    Ods,
    /// Another zip file (a Word document, an archive …).
    Zip,
    /// An OLE2 compound file (magic `D0 CF 11 E0 A1 B1 1A E1`): an Excel 97–2003
    /// workbook (`.xls`, also what WPS writes as `.et`), or an `.xlsx` encrypted
    /// with a password (Excel wraps those in the same container).
    Xls,
    /// An HTML page (many “.xls” exports of web systems are HTML tables).
    Html,
    /// An XML file (Excel 2003 XML spreadsheets, among others).
    Xml,
    /// JSON text (a fact file): after an optional byte-order mark and white
    /// space, the first character is `{` or `[`.
    Json,
    /// Other text (UTF-8, UTF-16 or a legacy encoding such as GBK): CSV and
    /// tab-separated exports land here.
    Text,
    /// A file of 0 bytes.
    Empty,
    /// Anything else (binary).
    Unknown,
}

impl InputKind {
    /// What the file is, for messages: `an Excel 97–2003 workbook (.xls)`.
    pub fn describe(self) -> &'static str {
        match self {
            InputKind::Xlsx => "an Excel workbook (.xlsx)",
            InputKind::Xlsb => "an Excel binary workbook (.xlsb)",
            InputKind::Ods => "an OpenDocument spreadsheet (.ods)",
            InputKind::Zip => "a zip file that is not an Excel workbook",
            InputKind::Xls => {
                "an Excel 97–2003 workbook (.xls) or a workbook encrypted with a password"
            }
            InputKind::Html => "an HTML page",
            InputKind::Xml => "an XML file",
            InputKind::Json => "a JSON file",
            InputKind::Text => "a text file (such as CSV)",
            InputKind::Empty => "an empty file (0 bytes)",
            InputKind::Unknown => "a file of unknown format",
        }
    }

    /// What to do so that the ledger import can read it, for messages.
    pub fn advice(self) -> &'static str {
        match self {
            InputKind::Xlsx => "it can be read as a ledger",
            InputKind::Xls => {
                "open it in Excel or WPS and save it as “Excel 工作簿 (*.xlsx)”, without a password"
            }
            InputKind::Json => "it is a fact file, not a ledger: give it to `rulec eval` as FACTS",
            InputKind::Empty => "the file is empty: fill in the ledger from `rulec template`",
            _ => "open it in Excel or WPS and save it as “Excel 工作簿 (*.xlsx)”; the ledger must be the workbook `rulec template` wrote",
        }
    }

    /// The stable error code for refusing this kind as a ledger:
    /// `kaohe::ledger::xls`, `kaohe::ledger::csv` … (`docs/errors.md`).
    pub fn code(self) -> &'static str {
        match self {
            InputKind::Xlsx => "kaohe::ledger::unreadable_workbook",
            InputKind::Xlsb => "kaohe::ledger::xlsb",
            InputKind::Ods => "kaohe::ledger::ods",
            InputKind::Zip => "kaohe::ledger::not_a_workbook",
            InputKind::Xls => "kaohe::ledger::xls",
            InputKind::Html => "kaohe::ledger::html",
            InputKind::Xml => "kaohe::ledger::xml",
            InputKind::Json => "kaohe::ledger::json",
            InputKind::Text => "kaohe::ledger::csv",
            InputKind::Empty => "kaohe::ledger::empty_file",
            InputKind::Unknown => "kaohe::ledger::unknown_format",
        }
    }
}

const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Tells what `bytes` (a whole file) are, by content alone.
///
/// Rules, first match wins: 0 bytes → [`InputKind::Empty`]; `PK` zip magic →
/// [`InputKind::Xlsx`] / [`InputKind::Xlsb`] / [`InputKind::Ods`] by the
/// entries `xl/workbook.xml`, `xl/workbook.bin`, `mimetype`, else
/// [`InputKind::Zip`]; OLE2 magic → [`InputKind::Xls`]; text (UTF-8 with or
/// without a byte-order mark, UTF-16 with a byte-order mark, or any bytes
/// without NUL) whose first non-blank character is `{` or `[` →
/// [`InputKind::Json`], `<html`/`<!doctype html` → [`InputKind::Html`], `<` →
/// [`InputKind::Xml`], otherwise [`InputKind::Text`]; anything else →
/// [`InputKind::Unknown`]. Never fails, never panics, reads nothing but `bytes`.
///
/// ```
/// use kaohe_office::{sniff, InputKind};
/// assert_eq!(sniff(b"\xEF\xBB\xBF{\"as_of\": \"2026-04-30\"}"), InputKind::Json);
/// assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), InputKind::Xls);
/// assert_eq!(sniff("单位编号,期间\njtj,2026-04\n".as_bytes()), InputKind::Text);
/// assert_eq!(sniff(b""), InputKind::Empty);
/// ```
pub fn sniff(bytes: &[u8]) -> InputKind {
    if bytes.is_empty() {
        return InputKind::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"PK\x07\x08")
    {
        return zip_kind(bytes);
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return InputKind::Xls;
    }
    text_kind(bytes)
}

fn zip_kind(bytes: &[u8]) -> InputKind {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // A zip that cannot be opened (cut short, say): the import reports why.
        return InputKind::Zip;
    };
    let has = |name: &str| {
        archive
            .file_names()
            .flatten()
            .any(|n| n.eq_ignore_ascii_case(name))
    };
    if has("xl/workbook.xml") {
        InputKind::Xlsx
    } else if has("xl/workbook.bin") {
        InputKind::Xlsb
    } else if has("mimetype") && has("content.xml") {
        InputKind::Ods
    } else {
        InputKind::Zip
    }
}

fn text_kind(bytes: &[u8]) -> InputKind {
    let (body, wide) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (rest, false)
    } else if let Some(rest) = bytes
        .strip_prefix(b"\xFF\xFE")
        .or_else(|| bytes.strip_prefix(b"\xFE\xFF"))
    {
        (rest, true)
    } else {
        (bytes, false)
    };
    let head = body.get(..body.len().min(8192)).unwrap_or(body);
    if !wide && head.contains(&0) {
        return InputKind::Unknown;
    }
    // The first character that is neither blank nor (in UTF-16) a NUL half.
    let first: Vec<u8> = head
        .iter()
        .copied()
        .filter(|b| *b != 0)
        .skip_while(|b| b.is_ascii_whitespace())
        .take(16)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    match first.first() {
        None => InputKind::Text,
        Some(b'{' | b'[') => InputKind::Json,
        Some(b'<') if first.starts_with(b"<html") || first.starts_with(b"<!doctype html") => {
            InputKind::Html
        }
        Some(b'<') => InputKind::Xml,
        Some(_) => InputKind::Text,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_content() {
        assert_eq!(sniff(b"  \n[1]"), InputKind::Json);
        assert_eq!(sniff(b"\xFF\xFE{\x00}\x00"), InputKind::Json);
        assert_eq!(sniff(b"<!DOCTYPE html><table></table>"), InputKind::Html);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?>"), InputKind::Xml);
        assert_eq!(sniff(b"\x00\x01\x02"), InputKind::Unknown);
        assert_eq!(sniff(b"PK\x03\x04garbage"), InputKind::Zip);
        // GBK text is still text.
        assert_eq!(sniff(b"\xB5\xA5\xCE\xBB,jtj\n"), InputKind::Text);
    }
}
