//! A ledger with many kinds of bad cells: every problem is reported at once,
//! each as `sheet!CELL: expected …, found …`, and no facts come back. The whole
//! report is an insta snapshot (`tests/snapshots/`); update it with
//! `INSTA_UPDATE=always cargo test -p kaohe-office --test import_errors` and
//! review the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;

use common::{load_ruleset, write, Cell, Ledger};
use kaohe_office::{import, template, ImportError, LedgerError};

fn row(cells: &[(&str, Cell)]) -> BTreeMap<String, Cell> {
    cells
        .iter()
        .map(|(k, c)| ((*k).to_owned(), c.clone()))
        .collect()
}

fn errors(ruleset: &kaohe::Ruleset, ledger: &Ledger) -> Vec<LedgerError> {
    let blank = template(ruleset).unwrap();
    match import(ruleset, &write(&blank, ledger)) {
        Err(ImportError::Ledger(errors)) => errors,
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("the bad ledger was accepted"),
    }
}

fn report(errors: &[LedgerError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn units() -> Vec<BTreeMap<String, Cell>> {
    vec![
        row(&[
            ("id", Cell::text("jyj")),
            ("name", Cell::text("市教育局")),
            ("group", Cell::text("牵头单位")),
            ("indicators", Cell::Number(6.0)),
        ]),
        row(&[
            ("id", Cell::text("wjj")),
            ("name", Cell::text("市卫生健康局")),
            ("group", Cell::text("牵头单位")),
            ("indicators", Cell::Number(3.0)),
        ]),
        // unknown group
        row(&[
            ("id", Cell::text("lgdz")),
            ("name", Cell::text("灵官殿镇")),
            ("group", Cell::text("乡镇")),
            ("tasks", Cell::Number(0.0)),
        ]),
        // an attribute the group does not declare
        row(&[
            ("id", Cell::text("stqz")),
            ("name", Cell::text("佘田桥镇")),
            ("group", Cell::text("乡镇（街道）")),
            ("tasks", Cell::Number(4.0)),
            ("indicators", Cell::Number(2.0)),
        ]),
        // duplicate id (found by the fact validator, mapped back to the cell)
        row(&[
            ("id", Cell::text("wjj")),
            ("name", Cell::text("卫健局（重复）")),
            ("group", Cell::text("牵头单位")),
            ("indicators", Cell::Number(3.0)),
        ]),
        // a required attribute left empty
        row(&[
            ("id", Cell::text("mzj")),
            ("name", Cell::text("市民政局")),
            ("group", Cell::text("牵头单位")),
        ]),
    ]
}

fn media(
    unit: &str,
    period: Cell,
    reported: Cell,
    tier: &str,
    adopted: Cell,
) -> BTreeMap<String, Cell> {
    row(&[
        ("unit", Cell::text(unit)),
        ("period", period),
        ("reported", reported),
        ("work", Cell::text("资助政策宣讲")),
        ("tier", Cell::text(tier)),
        ("outlet", Cell::text("湖南日报")),
        ("adopted", adopted),
    ])
}

#[test]
fn every_bad_cell_is_reported_with_its_sheet_and_cell() {
    let ruleset = load_ruleset("shaodong-2023");
    let mut ledger = Ledger {
        as_of: Some(Cell::text("2024-01-10")),
        periods: Some(Cell::text("2023-07, 2023-7月份")),
        ..Ledger::default()
    };
    ledger.sheets.insert("单位".into(), units());
    let ok = || Cell::text("2023-09");
    let day = || Cell::text("2023-09-20");
    ledger.sheets.insert(
        "正面媒体报道".into(),
        vec![
            media("jyj", ok(), day(), "省级主要媒体", Cell::text("否")), // fine
            media("jyj", ok(), day(), "省", Cell::text("否")),           // unknown level
            media("jyjj", ok(), day(), "中央主要媒体", Cell::text("否")), // unknown unit
            media("jyj", ok(), day(), "中央主要媒体", Cell::text("可能")), // not a bool
            media(
                "jyj",
                Cell::text("9月"),
                day(),
                "中央主要媒体",
                Cell::Bool(false),
            ), // bad period
            media(
                "jyj",
                Cell::text("2023-Q3"),
                day(),
                "中央主要媒体",
                Cell::Bool(false),
            ), // quarter
            media(
                "jyj",
                ok(),
                Cell::text("2023-09-31"),
                "中央主要媒体",
                Cell::Bool(false),
            ), // no such day
            media(
                "jyj",
                Cell::text("2024-01"),
                day(),
                "中央主要媒体",
                Cell::Bool(false),
            ), // outside effective
            media(
                "jyj",
                ok(),
                Cell::text("2024-02-01"),
                "中央主要媒体",
                Cell::Bool(false),
            ), // after as_of
            {
                let mut r = media("wjj", ok(), day(), "中央主要媒体", Cell::Bool(false));
                r.insert("count".into(), Cell::Number(-1.0)); // negative count
                r
            },
            {
                let mut r = media("wjj", ok(), day(), "中央主要媒体", Cell::Bool(false));
                r.remove("work"); // required text empty
                r.insert("count".into(), Cell::Number(1.5)); // fractional count
                r
            },
            // a record of a unit whose own row is wrong: only the unit's row is reported
            media("mzj", ok(), day(), "中央主要媒体", Cell::Bool(false)),
        ],
    );
    ledger.sheets.insert(
        "重点民生实事项目邵阳排名".into(),
        vec![row(&[
            ("unit", Cell::text("jyj")),
            ("period", ok()),
            ("reported", day()),
            ("project", Cell::text("学位建设")),
            ("rank", Cell::text("三")),     // not a number
            ("ranked", Cell::Number(12.5)), // not whole
        ])],
    );
    ledger.sheets.insert(
        "进度报送".into(),
        vec![row(&[
            ("unit", Cell::text("wjj")),
            ("period", ok()),
            // a formula whose result is an error
            ("reported", Cell::Formula("=1/0".into(), "#DIV/0!".into())),
            ("type", Cell::text("旬报")),
            ("due", Cell::text("下周")),
            ("submitted", Cell::Number(45172.0)), // a date serial without a date format
            ("count", Cell::Bool(true)),
        ])],
    );
    ledger.sheets.insert(
        "酌定排序".into(),
        vec![row(&[
            ("period", Cell::text("2023")),
            ("unit", Cell::text("xyz")),
        ])],
    );
    ledger.extra_sheets.push("汇总".into());
    ledger
        .key_overrides
        .push(("质量问题".into(), 4, "project_name".into()));

    let errors = errors(&ruleset, &ledger);
    let report = report(&errors);
    insta::assert_snapshot!(report);
    // Every error names a sheet; cell errors say what was expected and found.
    for e in &errors {
        assert!(e.sheet.is_some(), "{e}");
    }
    assert!(errors.len() >= 20, "{report}");
}

#[test]
fn a_missing_evaluation_date_and_a_missing_column() {
    let ruleset = load_ruleset("miluo-2026");
    let mut ledger = Ledger::default();
    ledger.sheets.insert(
        "单位".into(),
        vec![row(&[
            ("id", Cell::text("jtj")),
            ("name", Cell::text("教体局")),
            ("group", Cell::text("牵头单位")),
        ])],
    );
    ledger.sheets.insert(
        "码上通被上级退回的条目".into(),
        vec![row(&[
            ("unit", Cell::text("jtj")),
            ("period", Cell::text("2026-04")),
            ("reported", Cell::text("2026-04-20")),
            ("entry", Cell::text("佐证缺失")),
        ])],
    );
    // Row 2's `unit` renamed: the sheet cannot be read.
    ledger
        .key_overrides
        .push(("码上通被上级退回的条目".into(), 0, "单位".into()));
    let errors = errors(&ruleset, &ledger);
    insta::assert_snapshot!(report(&errors));
}
