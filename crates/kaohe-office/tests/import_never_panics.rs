//! Properties: whatever the bytes, `sniff` and `import` return (an `ImportError`
//! for anything malformed), and never panic. Damaged references — the kind
//! coverage-guided fuzzing found making calamine overflow — are generated
//! into a real ledger's worksheet XML: reversed or out-of-grid `<dimension>`,
//! merged ranges and cell references; every such workbook is an error naming
//! the sheet.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::OnceLock;

use common::{load_ruleset, patch, sheet_part, write, Cell, Ledger};
use kaohe::Ruleset;
use kaohe_office::{import, sniff, template, ImportError};
use proptest::prelude::*;

fn ruleset() -> &'static Ruleset {
    static RULESET: OnceLock<Ruleset> = OnceLock::new();
    RULESET.get_or_init(|| load_ruleset("miluo-2026"))
}

/// A valid filled Miluo ledger.
fn ledger() -> &'static [u8] {
    static LEDGER: OnceLock<Vec<u8>> = OnceLock::new();
    LEDGER.get_or_init(|| {
        let ruleset = ruleset();
        let mut ledger = Ledger {
            as_of: Some(Cell::text("2026-04-23")),
            ..Ledger::default()
        };
        ledger.sheets.insert(
            "单位".into(),
            vec![[
                ("id", Cell::text("jtj")),
                ("name", Cell::text("教体局")),
                ("group", Cell::text("牵头单位")),
            ]
            .into_iter()
            .map(|(k, c)| (k.to_owned(), c))
            .collect()],
        );
        write(&template(ruleset).unwrap(), &ledger)
    })
}

/// A column name: 1 to 5 letters (beyond XFD from 4 on).
fn column() -> impl Strategy<Value = String> {
    "[A-Z]{1,5}"
}

/// A row number: 0 to 12 digits (0 and beyond 1048576 are outside the grid).
fn row() -> impl Strategy<Value = String> {
    prop_oneof!["[1-9][0-9]{0,2}", "[0-9]{1,12}"]
}

fn cell() -> impl Strategy<Value = String> {
    (column(), row()).prop_map(|(c, r)| format!("{c}{r}"))
}

fn range() -> impl Strategy<Value = String> {
    (cell(), cell()).prop_map(|(a, b)| format!("{a}:{b}"))
}

/// (row, column) of a cell inside Excel's grid (A1 … XFD1048576), else None.
fn in_grid(cell: &str) -> Option<(u64, u64)> {
    let letters = cell.bytes().take_while(u8::is_ascii_uppercase).count();
    let col = cell[..letters]
        .bytes()
        .fold(0u64, |acc, b| acc * 26 + u64::from(b - b'A') + 1);
    let row: u64 = cell[letters..].parse().ok()?;
    ((1..=3).contains(&letters) && col <= 16_384 && (1..=1_048_576).contains(&row))
        .then_some((row, col))
}

/// Whether the cells of a worksheet's XML span at most 4,000,000 cells (rows ×
/// columns), past which the import refuses the sheet rather than let calamine
/// lay it out densely (a stray cell at `XFD1048576` would ask for 17 billion).
fn span_fits(xml: &str) -> bool {
    let cells: Vec<(u64, u64)> = xml
        .split("<c r=\"")
        .skip(1)
        .filter_map(|rest| in_grid(&rest[..rest.find('"')?]))
        .collect();
    let rows = cells.iter().map(|c| c.0);
    let cols = cells.iter().map(|c| c.1);
    match (
        rows.clone().min(),
        rows.max(),
        cols.clone().min(),
        cols.max(),
    ) {
        (Some(r0), Some(r1), Some(c0), Some(c1)) => (r1 - r0 + 1) * (c1 - c0 + 1) <= 4_000_000,
        _ => true,
    }
}

fn range_in_grid(range: &str) -> bool {
    let (a, b) = range.split_once(':').unwrap();
    matches!((in_grid(a), in_grid(b)), (Some(a), Some(b)) if b.0 >= a.0 && b.1 >= a.1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn any_bytes_are_sniffed_and_refused_without_panicking(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        zip_magic in any::<bool>(),
    ) {
        let mut bytes = bytes;
        if zip_magic {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        let _ = sniff(&bytes);
        prop_assert!(import(ruleset(), &bytes).is_err());
    }

    #[test]
    fn damaged_references_are_errors_naming_the_sheet(
        dimension in range(),
        merged in range(),
        first_cell in cell(),
        which in 0..3usize,
    ) {
        let bytes = ledger();
        let part = sheet_part(bytes, "单位");
        let patched_sheet = std::cell::RefCell::new(String::new());
        let damaged = patch(bytes, &part, |xml| { let out = match which {
            0 => {
                let start = xml.find("<dimension ref=\"").unwrap() + "<dimension ref=\"".len();
                let end = start + xml[start..].find('"').unwrap();
                format!("{}{dimension}{}", &xml[..start], &xml[end..])
            }
            1 => xml.replacen(
                "</sheetData>",
                &format!("</sheetData><mergeCells count=\"1\"><mergeCell ref=\"{merged}\"/></mergeCells>"),
                1,
            ),
            _ => xml.replacen("<c r=\"A3\"", &format!("<c r=\"{first_cell}\""), 1),
        }; *patched_sheet.borrow_mut() = out.clone(); out });
        let well_formed = match which {
            0 => range_in_grid(&dimension),
            1 => range_in_grid(&merged),
            _ => in_grid(&first_cell).is_some() && span_fits(&patched_sheet.borrow()),
        };
        match import(ruleset(), &damaged) {
            Err(ImportError::Workbook(errors)) if !well_formed => {
                prop_assert_eq!(errors[0].code, "kaohe::ledger::malformed_sheet");
                prop_assert_eq!(errors[0].sheet.as_deref(), Some("单位"));
            }
            Err(ImportError::Workbook(errors)) => {
                prop_assert_ne!(errors[0].code, "kaohe::ledger::malformed_sheet");
            }
            // A well-formed reference: read as a ledger (maybe with errors).
            other => prop_assert!(well_formed, "{:?}", other.map(|i| i.json)),
        }
    }
}
