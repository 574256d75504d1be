//! The ledger for every period kind (issue 13 §9): the golden rulesets of
//! `tests/constructs/period-{year,half,week}` → template → filled with
//! generated facts → import → the same facts, and both bulletins are written
//! with the kind's Chinese period labels. Under `period year` the period
//! column also takes a year typed as a number.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{ledger_from_facts, workspace, write, Cell};
use kaohe::source::SourceFile;
use kaohe::synth::SynthSpec;
use kaohe::{Facts, Ruleset};
use kaohe_office::{import, template, ImportError, LedgerError, Scope};
use serde_json::Value;

fn construct(name: &str) -> Ruleset {
    let path = workspace().join(format!("tests/constructs/{name}/{name}.rules"));
    let text = std::fs::read_to_string(&path).unwrap();
    Ruleset::from_source(SourceFile::new(format!("{name}.rules"), text)).unwrap()
}

/// Facts generated for `ruleset`: `units` per group, over `periods`
/// periods, `records` per unit and period.
fn generated(ruleset: &Ruleset, units: usize, periods: usize, records: usize) -> Value {
    let spec = SynthSpec {
        units_per_group: units,
        periods,
        records_per_unit_period: records,
        ..SynthSpec::default()
    };
    kaohe::synth::facts(ruleset, &spec)
}

/// The ledger of `ruleset` filled with one generated record whose period
/// cell holds `period` instead.
fn one_record_with_period(ruleset: &Ruleset, period: Cell) -> Vec<u8> {
    let blank = template(ruleset).unwrap();
    let mut ledger = ledger_from_facts(ruleset, &blank, &generated(ruleset, 1, 1, 1));
    let row = ledger
        .sheets
        .values_mut()
        .flat_map(|rows| rows.iter_mut())
        .find(|row| row.contains_key("period"))
        .unwrap();
    row.insert("period".to_owned(), period);
    write(&blank, &ledger)
}

/// The cell errors of a ledger that must be refused for them.
fn refused(ruleset: &Ruleset, filled: &[u8], what: &str) -> Vec<LedgerError> {
    match import(ruleset, filled) {
        Err(ImportError::Ledger(errors)) => errors,
        Err(e) => panic!("{what}: {e}"),
        Ok(i) => panic!("{what} accepted as {}", i.json),
    }
}

#[test]
fn every_period_kind_survives_the_ledger() {
    for (name, label) in [
        ("period-year", "2025年度"),
        ("period-half", "2026年上半年"),
        ("period-week", "2026年第1周"),
    ] {
        let ruleset = construct(name);
        let json = generated(&ruleset, 3, 2, 2);
        let intended = Facts::from_json(&ruleset, &json.to_string()).unwrap();
        let blank = template(&ruleset).unwrap();
        let mut ledger = ledger_from_facts(&ruleset, &blank, &json);
        if name == "period-year" {
            // A year typed into Excel is a number.
            for rows in ledger.sheets.values_mut() {
                for row in rows.iter_mut() {
                    if let Some(Cell::Text(year)) = row.get("period").cloned() {
                        row.insert("period".to_owned(), Cell::Number(year.parse().unwrap()));
                    }
                }
            }
        }
        let filled = write(&blank, &ledger);
        let imported = match import(&ruleset, &filled) {
            Ok(i) => i,
            Err(ImportError::Ledger(errors)) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                panic!("{name}: {}", lines.join("\n"));
            }
            Err(e) => panic!("{name}: {e}"),
        };
        assert_eq!(imported.facts, intended, "{name}");
        let evaluation = ruleset.evaluate(&imported.facts).unwrap();
        let html = kaohe_office::bulletin_html(&ruleset, &evaluation, &Scope::default());
        assert!(html.contains("<svg"), "{name}: no trend chart");
        let first = evaluation.periods.first().copied().unwrap();
        assert_eq!(kaohe_office::bulletin::period_label(first), label, "{name}");
        let xlsx = kaohe_office::bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
        assert!(xlsx.starts_with(b"PK"));
    }
}

/// The `说明` sheet speaks of the ruleset's own period (breaker's item 6): a
/// weekly ruleset's ledger explains ISO weeks, a yearly one years — never
/// "the month (or quarter)" and `YYYY-MM` alone. Golden: the sheet's notes
/// for each kind.
#[test]
fn the_instructions_follow_the_period_kind() {
    use calamine::{open_workbook_from_rs, Reader, Xlsx};
    let mut all = String::new();
    for name in [
        "period-year",
        "period-half",
        "period-week",
        "previous-result",
    ] {
        let ruleset = construct(name);
        let blank = template(&ruleset).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(blank)).unwrap();
        let sheet = book.worksheet_range("说明").unwrap();
        let text: Vec<String> = sheet
            .rows()
            .flat_map(|row| row.iter().map(ToString::to_string))
            .filter(|t| t.contains("期间") || t.contains("台账”"))
            .collect();
        let joined = text.join("\n");
        assert!(!joined.contains("月份（或季度）"), "{name}: {joined}");
        let unit = ruleset.period_unit();
        assert!(
            joined.contains(&format!("期间填 {}（如 {}", unit.pattern(), unit.example())),
            "{name}: {joined}"
        );
        all.push_str(&format!("== {name} ({})\n{joined}\n", unit.keyword()));
    }
    insta::assert_snapshot!(all);
}

/// A year typed as a number with a fraction (`2026.9`, `2026.5`,
/// `2026.0000001`) is not a year (second breaker's item 1): it was cut to
/// `2026`. Refused at its cell, under `period year` (the period column) and
/// in every other period kind's period column alike. Golden: the messages.
#[test]
fn a_year_with_a_fraction_is_refused_at_its_cell() {
    let mut lines = Vec::new();
    for name in ["period-year", "period-half", "period-week"] {
        let ruleset = construct(name);
        for bad in [2026.9, 2026.5, 2_026.000_000_1] {
            let filled = one_record_with_period(&ruleset, Cell::Number(bad));
            for e in refused(&ruleset, &filled, &format!("{name}: {bad}")) {
                lines.push(format!("{name} {bad}: [{}] {e}", e.code));
            }
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

/// Week 53 of a year of 52 ISO weeks in a period cell (second breaker's
/// item 6) says why, as the fact files do: "2025 has 52 ISO weeks".
#[test]
fn week_53_of_a_year_of_52_says_why() {
    let ruleset = construct("period-week");
    let filled = one_record_with_period(&ruleset, Cell::text("2025-W53"));
    let errors = refused(&ruleset, &filled, "2025-W53");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].message,
        "expected a week YYYY-Wnn, found 2025-W53: 2025 has 52 ISO weeks (its last week is 2025-W52)"
    );
}
