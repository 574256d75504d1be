//! The ledger's column for the office's decision of a discretionary amount
//! (issue 13 §6, 酌定分值): `rulec template` gives it to the sheets of the
//! kinds a rule counts with `amount discretion A to B` and to no other, with
//! the range in its hint; the import reads it as the record's `decided`, and a
//! value outside the range or missing where every record needs one is
//! reported at its `sheet!cell`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;

use common::{load_ruleset, write, Cell, Ledger};
use kaohe_office::layout::Layout;
use kaohe_office::{import, template, ImportError};

const RULESET: &str = "demo-county-2026";

fn row(cells: &[(&str, Cell)]) -> BTreeMap<String, Cell> {
    cells
        .iter()
        .map(|(k, c)| ((*k).to_owned(), c.clone()))
        .collect()
}

#[test]
fn only_discretionary_kinds_have_the_column() {
    let layout = Layout::of(&load_ruleset(RULESET));
    let with: Vec<&str> = layout
        .records
        .iter()
        .filter(|s| s.column("decided").is_some())
        .map(|s| s.kind.as_deref().unwrap())
        .collect();
    assert_eq!(with, ["incident", "petition", "practice"]);
    let incident = layout
        .records
        .iter()
        .find(|s| s.kind.as_deref() == Some("incident"))
        .unwrap();
    let column = incident.column("decided").unwrap();
    assert_eq!(column.label, "酌定分值");
    // Every incident is counted: the cell is required; a petition needs one
    // only when serious.
    assert!(column.required);
    let petition = layout
        .records
        .iter()
        .find(|s| s.kind.as_deref() == Some("petition"))
        .unwrap();
    assert!(!petition.column("decided").unwrap().required);
    assert!(
        column.ty.hint().contains("20 至 50"),
        "{}",
        column.ty.hint()
    );
}

fn ledger(incidents: Vec<BTreeMap<String, Cell>>) -> Ledger {
    let mut ledger = Ledger {
        as_of: Some(Cell::text("2027-01-20")),
        ..Ledger::default()
    };
    ledger.sheets.insert(
        "单位".to_owned(),
        vec![row(&[
            ("id", Cell::text("t1")),
            ("name", Cell::text("城东镇")),
            ("group", Cell::text("乡镇")),
        ])],
    );
    ledger.sheets.insert("安全生产事故".to_owned(), incidents);
    ledger
}

fn incident(decided: Option<f64>) -> BTreeMap<String, Cell> {
    let mut r = row(&[
        ("unit", Cell::text("t1")),
        ("period", Cell::text("2026")),
        ("reported", Cell::text("2026-04-03")),
        ("what", Cell::text("火情")),
        ("major", Cell::Bool(false)),
    ]);
    if let Some(d) = decided {
        r.insert("decided".to_owned(), Cell::Number(d));
    }
    r
}

#[test]
fn the_decision_is_read_from_its_column() {
    let ruleset = load_ruleset(RULESET);
    let blank = template(&ruleset).unwrap();
    let imported = import(
        &ruleset,
        &write(&blank, &ledger(vec![incident(Some(35.0))])),
    )
    .unwrap();
    assert_eq!(
        imported.json["records"][0]["decided"],
        serde_json::json!(35)
    );
    let evaluation = ruleset.evaluate(&imported.facts).unwrap();
    let json: serde_json::Value = serde_json::from_str(&evaluation.to_json()).unwrap();
    assert_eq!(json["results"][0]["total"], "965");
}

#[test]
fn outside_the_range_and_missing_are_reported_at_their_cells() {
    let ruleset = load_ruleset(RULESET);
    let blank = template(&ruleset).unwrap();
    let filled = write(&blank, &ledger(vec![incident(Some(60.0)), incident(None)]));
    let errors = match import(&ruleset, &filled) {
        Err(ImportError::Ledger(errors)) => errors,
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("accepted"),
    };
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    // Column F is 酌定分值 (after 单位编号, 期间, 报送日期, 事故, 较大及以上事故):
    // the range is checked by the fact validator and mapped back to the cell;
    // the empty cell is refused by the ledger reader, the column being required.
    assert_eq!(
        lines,
        [
            "安全生产事故!F3: decided amount 60 is outside the range 20 to 50 of rule `incident`; decide an amount within it",
            "安全生产事故!F4: expected a number within 20 to 50 (酌定分值), found an empty cell",
        ]
    );
    assert_eq!(errors[0].code, "kaohe::ledger::invalid_fact");
}
