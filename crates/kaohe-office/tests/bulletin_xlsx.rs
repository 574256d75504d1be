//! The bulletin workbook read back with calamine: the ranking sheet matches the
//! evaluation (ranks, totals, categories, change against the previous
//! period), the explanation sheet's amounts add up to each total, the notices
//! sheet lists board colours, warnings, unresolved ties and rejected records,
//! and number formats carry the right precision.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};
use common::load_ruleset;
use kaohe::eval::result::Evaluation;
use kaohe::{Facts, Period};
use kaohe_office::bulletin_xlsx::{
    CLAUSES_SHEET, EXPLANATION_SHEET, NOTICES_SHEET, RANKING_HEADER_ROW, RANKING_SHEET,
};
use kaohe_office::{bulletin_xlsx, Scope};
use rust_decimal::prelude::ToPrimitive;

fn evaluate(name: &str, example: &str) -> (kaohe::Ruleset, Evaluation) {
    let ruleset = load_ruleset(name);
    let text = std::fs::read_to_string(
        common::workspace().join(format!("rulesets/{name}/examples/{example}.json")),
    )
    .unwrap();
    let facts = Facts::from_json(&ruleset, &text).unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    (ruleset, evaluation)
}

struct Book {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
}

impl Book {
    fn open(bytes: Vec<u8>) -> Book {
        Book {
            xlsx: open_workbook_from_rs(Cursor::new(bytes)).unwrap(),
        }
    }
    fn range(&mut self, sheet: &str) -> Range<Data> {
        self.xlsx.worksheet_range(sheet).unwrap()
    }
    fn format(&mut self, sheet: &str, row: u32, col: u32) -> String {
        let styles = self.xlsx.worksheet_style(sheet).unwrap();
        styles
            .get((row, col))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    }
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn number(range: &Range<Data>, row: u32, col: u32) -> Option<f64> {
    match range.get_value((row, col)) {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    }
}

/// The header row as (label → column).
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

fn check(name: &str, example: &str) {
    let (ruleset, evaluation) = evaluate(name, example);
    let bytes = bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
    let mut book = Book::open(bytes);
    // The shipped rulesets declare their clause texts: a fourth sheet lists them.
    assert_eq!(
        book.xlsx.sheet_names(),
        [
            RANKING_SHEET,
            EXPLANATION_SHEET,
            NOTICES_SHEET,
            CLAUSES_SHEET
        ]
    );
    let clauses = book.range(CLAUSES_SHEET);
    assert_eq!(header(&clauses, 0), ["条款", "条款原文"]);
    assert_eq!(
        clauses.end().unwrap().0 as usize,
        evaluation.ruleset.clauses.len()
    );
    for (row, (id, wording)) in evaluation.ruleset.clauses.iter().enumerate() {
        assert_eq!(text(&clauses, row as u32 + 1, 0), id.as_str());
        assert_eq!(text(&clauses, row as u32 + 1, 1), wording.as_str());
    }

    // Ranking: one row per result, every number as the engine computed it.
    let ranking = book.range(RANKING_SHEET);
    assert_eq!(text(&ranking, 0, 0), ruleset.title());
    assert!(text(&ranking, 1, 0).contains(&evaluation.facts.as_of));
    let h = header(&ranking, RANKING_HEADER_ROW);
    for label in ["期间", "名次", "单位", "总分", "较上期得分", "名次变化"] {
        col(&h, label);
    }
    let last = ranking.end().unwrap().0;
    assert_eq!(
        (last - RANKING_HEADER_ROW) as usize,
        evaluation.results.len(),
        "{name}: one row per unit and period"
    );
    for row in RANKING_HEADER_ROW + 1..=last {
        let period: Period = text(&ranking, row, col(&h, "期间")).parse().unwrap();
        let unit = text(&ranking, row, col(&h, "单位编号"));
        let result = evaluation
            .results
            .iter()
            .find(|r| r.period == period && r.unit == unit)
            .unwrap();
        assert_eq!(text(&ranking, row, col(&h, "单位")), result.name);
        assert_eq!(
            number(&ranking, row, col(&h, "总分")),
            result.total.dec().to_f64(),
            "{unit} {period}"
        );
        assert_eq!(
            number(&ranking, row, col(&h, "名次")),
            result.rank.map(f64::from)
        );
        for category in &result.categories {
            let label = category.label.clone().unwrap_or(category.category.clone());
            let expected = category
                .subtotal
                .map(|x| x.dec())
                .unwrap_or(category.bonuses.dec() - category.deductions.dec());
            assert_eq!(
                number(&ranking, row, col(&h, &label)),
                expected.to_f64(),
                "{unit} {period} {label}"
            );
        }
        let previous = evaluation
            .results
            .iter()
            .find(|r| r.unit == unit && r.period == period.previous());
        assert_eq!(
            number(&ranking, row, col(&h, "较上期得分")),
            previous.and_then(|p| (result.total.dec() - p.total.dec()).to_f64()),
            "{unit} {period}"
        );
        if let Some(converted) = result.converted {
            assert_eq!(
                number(&ranking, row, col(&h, "折算分")),
                converted.dec().to_f64()
            );
        }
        for notice in result.notices.iter().filter(|n| n.class.is_some()) {
            let label = notice.label.clone().unwrap();
            assert_eq!(
                text(&ranking, row, col(&h, &label)),
                notice.class_label.clone().unwrap()
            );
        }
    }

    // Explanation: the amounts of each unit and period add up to its total.
    let explanation = book.range(EXPLANATION_SHEET);
    let eh = header(&explanation, 0);
    let last = explanation.end().unwrap().0;
    let items: usize = evaluation.results.iter().map(|r| r.items.len()).sum();
    assert_eq!(last as usize, items, "one row per line item");
    for result in &evaluation.results {
        let sum: f64 = (1..=last)
            .filter(|&r| {
                text(&explanation, r, col(&eh, "期间")) == result.period.to_string()
                    && text(&explanation, r, col(&eh, "单位编号")) == result.unit
            })
            .map(|r| number(&explanation, r, col(&eh, "计分")).unwrap())
            .sum();
        assert!(
            (sum - result.total.dec().to_f64().unwrap()).abs() < 1e-9,
            "{} {}: {sum} vs {}",
            result.unit,
            result.period,
            result.total
        );
    }
    for r in 1..=last {
        let kind = text(&explanation, r, col(&eh, "类型"));
        if kind == "扣分" || kind == "加分" {
            assert!(
                !text(&explanation, r, col(&eh, "条款")).is_empty(),
                "row {r}"
            );
        }
    }

    // Notices: one class row per classified result, the rejected records.
    let notices = book.range(NOTICES_SHEET);
    let nh = header(&notices, 0);
    let rows: Vec<u32> = (1..=notices.end().unwrap().0).collect();
    let class_rows = rows
        .iter()
        .filter(|&&r| text(&notices, r, col(&nh, "类别")) == "分类")
        .count();
    let classified = evaluation
        .results
        .iter()
        .flat_map(|r| &r.notices)
        .filter(|n| n.class.is_some())
        .count();
    assert_eq!(class_rows, classified);
    let rejected_rows = rows
        .iter()
        .filter(|&&r| text(&notices, r, col(&nh, "类别")) == "未采用记录")
        .count();
    assert_eq!(rejected_rows, evaluation.rejected.len());
    let ties: usize = evaluation
        .rankings
        .iter()
        .map(|r| r.unresolved_ties.len())
        .sum();
    assert_eq!(
        rows.iter()
            .filter(|&&r| text(&notices, r, col(&nh, "类别")) == "未决并列")
            .count(),
        ties
    );
}

#[test]
fn miluo_bulletin_reads_back() {
    check("miluo-2026", "2026-04");
    check("miluo-2026", "2026-05");
    let (ruleset, evaluation) = evaluate("miluo-2026", "2026-05");
    let bytes = bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
    let mut book = Book::open(bytes);
    // Whole-number totals: no decimals shown.
    assert_eq!(book.format(RANKING_SHEET, RANKING_HEADER_ROW + 1, 5), "0");
    // The late April record of 住建局 is listed as not applied, with the reason
    // in Chinese (the engine writes it in English: it is data in the JSON).
    let notices = book.range(NOTICES_SHEET);
    let found = (1..=notices.end().unwrap().0).any(|r| {
        text(&notices, r, 1) == "zjj"
            && text(&notices, r, 3) == "未采用记录"
            && text(&notices, r, 7).contains("封存")
    });
    assert!(found);
}

#[test]
fn shaodong_bulletin_reads_back_with_exact_precision() {
    check("shaodong-2023", "2023-h2");
    let (ruleset, evaluation) = evaluate("shaodong-2023", "2023-h2");
    let bytes = bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
    let mut book = Book::open(bytes);
    let ranking = book.range(RANKING_SHEET);
    let h = header(&ranking, RANKING_HEADER_ROW);
    let first = RANKING_HEADER_ROW + 1;
    // Totals like 100.5 need one decimal; the converted score is rounded to 2.
    assert_eq!(book.format(RANKING_SHEET, first, col(&h, "总分")), "0.0");
    let annual = (first..=ranking.end().unwrap().0)
        .find(|&r| number(&ranking, r, col(&h, "折算分")).is_some())
        .unwrap();
    assert_eq!(
        book.format(RANKING_SHEET, annual, col(&h, "折算分")),
        "0.00"
    );
    let later = (first..=ranking.end().unwrap().0)
        .find(|&r| number(&ranking, r, col(&h, "较上期得分")).is_some())
        .unwrap();
    assert_eq!(
        book.format(RANKING_SHEET, later, col(&h, "较上期得分")),
        "+0.0;-0.0;0.0"
    );
    // 市经开区征拆中心: the warning notice of 2023-10.
    let notices = book.range(NOTICES_SHEET);
    assert!(
        (1..=notices.end().unwrap().0).any(|r| text(&notices, r, 1) == "zczx"
            && text(&notices, r, 0) == "2023-10"
            && text(&notices, r, 4) == "预警通知")
    );

    // A one-period bulletin holds that period only.
    let october: Period = "2023-10".parse().unwrap();
    let bytes = bulletin_xlsx(
        &ruleset,
        &evaluation,
        &Scope {
            period: Some(october),
        },
    )
    .unwrap();
    let mut book = Book::open(bytes);
    let ranking = book.range(RANKING_SHEET);
    let rows = ranking.end().unwrap().0 - RANKING_HEADER_ROW;
    assert_eq!(
        rows as usize,
        evaluation
            .results
            .iter()
            .filter(|r| r.period == october)
            .count()
    );
}

/// Results are exact numbers; the values these tests compare terminate.
trait Exact {
    fn dec(&self) -> rust_decimal::Decimal;
}

impl Exact for kaohe::number::Number {
    fn dec(&self) -> rust_decimal::Decimal {
        self.to_decimal().expect("a terminating value")
    }
}

/// Issue 12 §1 in the workbook: a line item of a third is written at full
/// precision (not cut to the 4 places it is shown with), so the 明细 column
/// adds up to the total as Excel sums it, and every cell holding a value that
/// does not terminate is shown marked `≈`.
#[test]
fn non_terminating_amounts_add_up_and_are_marked() {
    let source = r#"ruleset thirds_2026 {
  title     "示例"
  issuer    "示例"
  source    "示例"
  effective 2026-01-01 to 2026-12-31
}

group lead "牵头单位" [EX-1] {
}

record task "任务" {
  value: decimal "数值"
}

period month [EX-2] {
  amendable [EX-2]
}

score [EX-3] {
  base 100 [EX-3]

  category work "工作" [EX-3] {
    bonus b "加分一" [EX-3] {
      per task
      amount value / 3
    }
    bonus c "加分二" [EX-3] {
      per task
      amount value / 3
    }
  }
}

ranking monthly "月度排名" of lead [EX-5] {
  by total desc [EX-5]
  ties shared [EX-5]
}
"#;
    let ruleset =
        kaohe::Ruleset::from_source(kaohe::SourceFile::new("thirds.rules", source)).unwrap();
    let facts = serde_json::json!({
        "as_of": "2026-04-30",
        "units": [{"id": "a", "name": "甲", "group": "lead"},
                  {"id": "b", "name": "乙", "group": "lead"}],
        "records": [
            {"unit": "a", "period": "2026-03", "kind": "task", "reported": "2026-03-20",
             "attributes": {"value": "1"}},
            {"unit": "b", "period": "2026-03", "kind": "task", "reported": "2026-03-20",
             "attributes": {"value": "3"}}
        ]
    });
    let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    let bytes = bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
    let mut book = Book::open(bytes);

    let explanation = book.range(EXPLANATION_SHEET);
    let eh = header(&explanation, 0);
    let last = explanation.end().unwrap().0;
    let rows_of = |unit: &str| -> Vec<u32> {
        (1..=last)
            .filter(|&r| text(&explanation, r, col(&eh, "单位编号")) == unit)
            .collect()
    };
    // 甲: 100 + 1/3 + 1/3 = 100 2/3; summed as Excel sums the cells.
    let sum: f64 = rows_of("a")
        .iter()
        .map(|&r| number(&explanation, r, col(&eh, "计分")).unwrap())
        .sum();
    assert!((sum - (100.0 + 2.0 / 3.0)).abs() < 1e-9, "{sum}");
    let ranking = book.range(RANKING_SHEET);
    let h = header(&ranking, RANKING_HEADER_ROW);
    let row_a = (RANKING_HEADER_ROW + 1..=ranking.end().unwrap().0)
        .find(|&r| text(&ranking, r, col(&h, "单位编号")) == "a")
        .unwrap();
    let total = number(&ranking, row_a, col(&h, "总分")).unwrap();
    assert!((total - sum).abs() < 1e-9, "{total} vs {sum}");
    // Marked where the value does not terminate, plain where it does.
    let third = rows_of("a")
        .into_iter()
        .find(|&r| text(&explanation, r, col(&eh, "类型")) == "加分")
        .unwrap();
    let format = book.format(EXPLANATION_SHEET, third, col(&eh, "计分"));
    assert!(format.contains('≈'), "{format}");
    let format = book.format(RANKING_SHEET, row_a, col(&h, "总分"));
    assert!(format.contains('≈'), "{format}");
    let row_b = (RANKING_HEADER_ROW + 1..=ranking.end().unwrap().0)
        .find(|&r| text(&ranking, r, col(&h, "单位编号")) == "b")
        .unwrap();
    assert_eq!(number(&ranking, row_b, col(&h, "总分")), Some(102.0));
    let format = book.format(RANKING_SHEET, row_b, col(&h, "总分"));
    assert!(!format.contains('≈'), "{format}");
}
