//! Both bulletins show the constructs of issue 13 that are not line items, on
//! the golden cases of `tests/constructs/`: a unit's measures (value, place,
//! the peers' highest and average; `measures`), its outputs that are not
//! points (`output`: the share of the subsidy withheld) and the step of an
//! escalation ladder a notice issued (`ladder`). The workbook is read back with
//! calamine; the web page is checked as text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};
use kaohe::cases::{load_ruleset, Case};
use kaohe::eval::result::Evaluation;
use kaohe::{Period, Ruleset};
use kaohe_office::bulletin_xlsx::{
    EXPLANATION_SHEET, MEASURES_SHEET, NOTICES_SHEET, RANKING_HEADER_ROW, RANKING_SHEET,
};
use kaohe_office::{bulletin_html, bulletin_xlsx, Scope};

/// The ruleset and evaluation of `tests/constructs/<name>/cases/<case>.toml`.
fn evaluate(name: &str, case: &str) -> (Ruleset, Evaluation) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/constructs")
        .join(name);
    let ruleset = load_ruleset(&root.join(format!("{name}.rules"))).unwrap();
    let case = Case::load(&root.join(format!("cases/{case}.toml"))).unwrap();
    let facts = case.facts(&ruleset).unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    (ruleset, evaluation)
}

fn sheets(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn number(range: &Range<Data>, row: u32, col: u32) -> f64 {
    match range.get_value((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("expected a number at ({row}, {col}), found {other:?}"),
    }
}

fn header(range: &Range<Data>, row: u32) -> Vec<String> {
    let width = range.end().unwrap().1;
    (0..=width).map(|c| text(range, row, c)).collect()
}

fn col(header: &[String], label: &str) -> u32 {
    header
        .iter()
        .position(|h| h == label)
        .unwrap_or_else(|| panic!("no column {label} in {header:?}")) as u32
}

/// The rows (after the header at `header_row`) whose `key` column is `value`.
fn rows_where(range: &Range<Data>, header_row: u32, key: u32, value: &str) -> Vec<u32> {
    let last = range.end().unwrap().0;
    (header_row + 1..=last)
        .filter(|r| text(range, *r, key) == value)
        .collect()
}

#[test]
fn workbook_shows_measures_with_place_and_peers() {
    let (ruleset, evaluation) = evaluate("measures", "places-and-peers");
    let bytes = bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
    let mut book = sheets(bytes);
    assert!(book.sheet_names().contains(&MEASURES_SHEET.to_owned()));
    let styles = book.worksheet_style(MEASURES_SHEET).unwrap();
    let m = book.worksheet_range(MEASURES_SHEET).unwrap();
    let h = header(&m, 0);
    assert_eq!(
        h,
        [
            "期间",
            "单位编号",
            "单位",
            "指标",
            "数值",
            "位次",
            "同组最高",
            "同组平均"
        ]
    );
    // Two measures for each of the four townships.
    assert_eq!(m.end().unwrap().0, 8);
    let unit = col(&h, "单位编号");
    // 丙镇 (t3): 2 of 3 projects done, 3rd; the best rate is 1, the average
    // (1 + 1 + 2/3 + 1/3) / 4 = 3/4; no reports, last of 4 (tied with none).
    let t3 = rows_where(&m, 0, unit, "t3");
    assert_eq!(t3.len(), 2);
    let completion = t3[0];
    assert_eq!(text(&m, completion, col(&h, "指标")), "项目完成率");
    assert_eq!(text(&m, completion, col(&h, "单位")), "丙镇");
    assert_eq!(text(&m, completion, col(&h, "期间")), "2026-03");
    assert!((number(&m, completion, col(&h, "数值")) - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(text(&m, completion, col(&h, "位次")), "第3名（共4个）");
    assert_eq!(number(&m, completion, col(&h, "同组最高")), 1.0);
    assert_eq!(number(&m, completion, col(&h, "同组平均")), 0.75);
    // A value that does not terminate is marked ≈ with four places, as the
    // other score columns; one that terminates is shown with its places.
    let format = |row: u32, column: u32| {
        styles
            .get((row, column))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    };
    assert!(format(completion, col(&h, "数值")).contains("≈"));
    assert!(format(completion, col(&h, "数值")).contains("0.0000"));
    assert!(!format(completion, col(&h, "同组平均")).contains("≈"));
    let reports = t3[1];
    assert_eq!(text(&m, reports, col(&h, "指标")), "宣传报道数");
    assert_eq!(number(&m, reports, col(&h, "数值")), 0.0);
    assert_eq!(text(&m, reports, col(&h, "位次")), "第4名（共4个）");
    assert_eq!(number(&m, reports, col(&h, "同组最高")), 3.0);
    // (3 + 1 + 0 + 2) / 4
    assert_eq!(number(&m, reports, col(&h, "同组平均")), 1.5);
    // 甲镇 and 乙镇 share the first place of the completion rate.
    for id in ["t1", "t2"] {
        let row = rows_where(&m, 0, unit, id)[0];
        assert_eq!(text(&m, row, col(&h, "位次")), "第1名（共4个）");
        assert_eq!(number(&m, row, col(&h, "数值")), 1.0);
    }
}

#[test]
fn workbook_without_measures_has_no_measures_sheet() {
    let (ruleset, evaluation) = evaluate("output", "withheld");
    let bytes = bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
    let book = sheets(bytes);
    assert!(!book.sheet_names().contains(&MEASURES_SHEET.to_owned()));
}

#[test]
fn workbook_shows_outputs_beside_the_score() {
    let (ruleset, evaluation) = evaluate("output", "withheld");
    let bytes = bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
    let mut book = sheets(bytes);
    let ranking = book.worksheet_range(RANKING_SHEET).unwrap();
    let h = header(&ranking, RANKING_HEADER_ROW);
    let withheld = col(&h, "扣减工作经费（%）");
    assert!(withheld > col(&h, "总分"));
    let unit = col(&h, "单位编号");
    // OP-4: 85 → 50%; 97 → 0; 40 → 500%, capped at 100%.
    for (id, total, share) in [("a", 85.0, 50.0), ("b", 97.0, 0.0), ("c", 40.0, 100.0)] {
        let rows = rows_where(&ranking, RANKING_HEADER_ROW, unit, id);
        assert_eq!(rows.len(), 1, "{id}");
        assert_eq!(number(&ranking, rows[0], col(&h, "总分")), total);
        assert_eq!(number(&ranking, rows[0], withheld), share, "{id}");
    }
    // The output is not a line item: the explanation still adds up to the total.
    let explanation = book.worksheet_range(EXPLANATION_SHEET).unwrap();
    let eh = header(&explanation, 0);
    let rows = rows_where(&explanation, 0, col(&eh, "单位编号"), "a");
    let sum: f64 = rows
        .iter()
        .map(|r| number(&explanation, *r, col(&eh, "计分")))
        .sum();
    assert_eq!(sum, 85.0);
}

#[test]
fn workbook_names_the_ladder_step_a_notice_issued() {
    let (ruleset, evaluation) = evaluate("ladder", "highest-step");
    let bytes = bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
    let mut book = sheets(bytes);
    let ranking = book.worksheet_range(RANKING_SHEET).unwrap();
    let h = header(&ranking, RANKING_HEADER_ROW);
    let notice_of = |period: &str, id: &str| {
        let row = (RANKING_HEADER_ROW + 1..=ranking.end().unwrap().0)
            .find(|r| {
                text(&ranking, *r, col(&h, "期间")) == period
                    && text(&ranking, *r, col(&h, "单位编号")) == id
            })
            .unwrap();
        text(&ranking, row, col(&h, "提示"))
    };
    // EL-5: only the highest step reached; a department one step later.
    assert_eq!(notice_of("2026-01", "t1"), "排名末位问责（口头检查）");
    assert_eq!(notice_of("2026-01", "d1"), "");
    assert_eq!(notice_of("2026-02", "t1"), "排名末位问责（约谈）");
    assert_eq!(notice_of("2026-02", "d1"), "排名末位问责（口头检查）");
    assert_eq!(notice_of("2026-03", "t1"), "排名末位问责（通报批评）");
    assert_eq!(notice_of("2026-03", "d1"), "排名末位问责（约谈）");
    // The notices sheet gives the step as the result, with the action.
    let notices = book.worksheet_range(NOTICES_SHEET).unwrap();
    let nh = header(&notices, 0);
    let row = (1..=notices.end().unwrap().0)
        .find(|r| {
            text(&notices, *r, col(&nh, "期间")) == "2026-03"
                && text(&notices, *r, col(&nh, "单位编号")) == "t1"
        })
        .unwrap();
    assert_eq!(text(&notices, row, col(&nh, "结果")), "通报批评");
    assert!(text(&notices, row, col(&nh, "措施")).contains("抄送县委督查室"));
}

/// The HTML of one unit's explanation (`<details … data-unit="id">`).
fn explanation<'h>(html: &'h str, unit: &str) -> &'h str {
    let start = html
        .find(&format!(r#"<details class="explain" data-unit="{unit}">"#))
        .unwrap_or_else(|| panic!("no explanation of {unit}"));
    let end = html[start..].find("</details>").unwrap() + start;
    &html[start..end]
}

#[test]
fn web_page_explains_measures() {
    let (ruleset, evaluation) = evaluate("measures", "places-and-peers");
    let html = bulletin_html(&ruleset, &evaluation, &Scope::default());
    let t3 = explanation(&html, "t3");
    assert!(t3.contains(r#"<table class="measures">"#), "{t3}");
    for head in ["指标", "数值", "位次", "同组最高", "同组平均"] {
        assert!(t3.contains(&format!("<th>{head}</th>")), "{head}");
    }
    assert!(
        t3.contains(
            r#"<tr data-measure="completion"><td>项目完成率</td><td class="num">≈0.6667</td><td class="num">第3名（共4个）</td><td class="num">1</td><td class="num">0.75</td></tr>"#
        ),
        "{t3}"
    );
    assert!(t3.contains(
        r#"<tr data-measure="reports"><td>宣传报道数</td><td class="num">0</td><td class="num">第4名（共4个）</td><td class="num">3</td><td class="num">1.5</td></tr>"#
    ));
}

#[test]
fn web_page_shows_outputs() {
    let (ruleset, evaluation) = evaluate("output", "withheld");
    let html = bulletin_html(&ruleset, &evaluation, &Scope::default());
    // A column of the ranking table …
    assert!(html.contains(r#"<th class="output">扣减工作经费（%）</th>"#));
    assert!(html.contains(r#"<td class="num output">50</td>"#));
    assert!(html.contains(r#"<td class="num output">100</td>"#));
    // … and a line of the explanation with its clause, whose wording is cited.
    let a = explanation(&html, "a");
    assert!(
        a.contains(r#"<tr data-output="withheld"><td>扣减工作经费（%）</td><td class="num">50</td><td class="clauses">OP-4</td></tr>"#),
        "{a}"
    );
    assert!(html.contains("考核得分低于90分的，每低1分扣减当月工作经费10%"));
    // A ruleset without outputs has neither.
    let (ruleset, evaluation) = evaluate("measures", "places-and-peers");
    let html = bulletin_html(&ruleset, &evaluation, &Scope::default());
    assert!(!html.contains(r#"class="output""#));
    assert!(!html.contains(r#"<table class="outputs">"#));
}

#[test]
fn web_page_names_the_ladder_step() {
    let (ruleset, evaluation) = evaluate("ladder", "highest-step");
    let march = Scope {
        period: Some("2026-03".parse::<Period>().unwrap()),
    };
    let html = bulletin_html(&ruleset, &evaluation, &march);
    assert!(html.contains("排名末位问责（通报批评）"), "{html}");
    assert!(html.contains("排名末位问责（约谈）"));
    assert!(!html.contains("排名末位问责（口头检查）"));
}
