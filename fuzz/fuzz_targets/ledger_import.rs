//! Ledger import: any bytes given to `kaohe_office::import` are a workbook
//! that imports or an `ImportError` — never a panic; an imported ledger's fact
//! JSON validates again to the same facts and evaluates without a panic.
//!
//! Two kinds of input. One that starts with `PK` (a zip archive) is imported
//! as it is, for each shipped ruleset. Any other input is one part of a filled
//! Miluo ledger (`fuzz/seeds/ledger_import/miluo-2026-2026-04.xlsx`): its first
//! byte picks the part (see `PARTS`), the rest replaces that part's XML, and the
//! workbook is zipped again (stored, with correct checksums), so mutations
//! reach the XML readers instead of stopping at the zip layer.
#![no_main]

use std::io::{Cursor, Read, Write};

use kaohe::{Facts, Ruleset};
use libfuzzer_sys::fuzz_target;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

mod common;

/// The workbook whose parts the second kind of input replaces.
const BASE: &[u8] = include_bytes!("../seeds/ledger_import/miluo-2026-2026-04.xlsx");

/// The parts an input can replace, by its first byte (modulo their number).
pub const PARTS: &[&str] = &[
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/worksheets/sheet3.xml",
    "xl/worksheets/sheet4.xml",
    "xl/worksheets/sheet5.xml",
    "[Content_Types].xml",
];

/// `BASE` with `part` replaced by `content`, every entry stored.
fn splice(part: &str, content: &[u8]) -> Vec<u8> {
    let mut base = ZipArchive::new(Cursor::new(BASE)).expect("the base workbook is a zip");
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..base.len() {
        let mut entry = base.by_index(i).expect("an entry of the base workbook");
        let name = entry.name().expect("an entry name").into_owned();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .expect("the base workbook reads");
        out.start_file(name.as_str(), options).expect("zip");
        if name == part {
            out.write_all(content).expect("zip");
        } else {
            out.write_all(&bytes).expect("zip");
        }
    }
    out.finish().expect("zip").into_inner()
}

fn import(ruleset: &Ruleset, bytes: &[u8]) {
    match kaohe_office::import(ruleset, bytes) {
        Ok(imported) => {
            let again = Facts::from_json(ruleset, &imported.json.to_string())
                .expect("an imported ledger's JSON validates");
            assert_eq!(again, imported.facts, "the imported JSON means other facts");
            let _ = ruleset.evaluate(&imported.facts);
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        for ruleset in common::rulesets() {
            import(ruleset, data);
        }
        return;
    }
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let part = PARTS[usize::from(pick) % PARTS.len()];
    // Miluo is the second shipped ruleset.
    import(&common::rulesets()[1], &splice(part, content));
});
