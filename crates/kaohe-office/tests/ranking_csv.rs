//! The one ranking-table CSV renderer (`kaohe_office::ranking::csv`, used by
//! `rulec eval --format csv` and `rulec serve`'s `?format=csv`), on the
//! golden case of escalation ladders (`tests/constructs/ladder`): the step a
//! ladder issued is in the notices column, and the headers are in the
//! language asked for.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use kaohe::cases::{load_ruleset, Case};
use kaohe::eval::result::Evaluation;
use kaohe::i18n::{Catalog, Lang};
use kaohe_office::ranking::{csv, Headers};

/// The evaluation of `tests/constructs/ladder/cases/highest-step.toml`.
fn ladder() -> Evaluation {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/constructs/ladder");
    let ruleset = load_ruleset(&root.join("ladder.rules")).unwrap();
    let case = Case::load(&root.join("cases/highest-step.toml")).unwrap();
    let facts = case.facts(&ruleset).unwrap();
    ruleset.evaluate(&facts).unwrap()
}

fn render(evaluation: &Evaluation, lang: Lang) -> String {
    let mut out = Vec::new();
    csv(evaluation, &Headers::new(&Catalog::new(), lang), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The row of unit `unit` in `period`, split at commas (no field of these
/// rows is quoted).
fn row<'a>(text: &'a str, period: &str, unit: &str) -> Vec<&'a str> {
    text.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|cells| cells[0] == period && cells[1] == unit)
        .unwrap_or_else(|| panic!("no row {period} {unit} in\n{text}"))
}

#[test]
fn ladder_steps_are_in_the_notices_in_both_languages() {
    let evaluation = ladder();
    for lang in [Lang::En, Lang::Zh] {
        let text = render(&evaluation, lang);
        assert!(text.ends_with('\n'), "{text}");
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        let notices = header.iter().position(|h| {
            *h == match lang {
                Lang::En => "notices",
                Lang::Zh => "预警通知",
            }
        });
        let notices = notices.unwrap_or_else(|| panic!("{lang:?}: {header:?}"));
        // EL-5: the highest step reached, month by month; a department a step later.
        for (period, unit, expected) in [
            ("2026-01", "t1", "排名末位问责: 口头检查"),
            ("2026-01", "d1", ""),
            ("2026-02", "t1", "排名末位问责: 约谈"),
            ("2026-02", "d1", "排名末位问责: 口头检查"),
            ("2026-03", "t1", "排名末位问责: 通报批评"),
            ("2026-03", "d1", "排名末位问责: 约谈"),
            ("2026-04", "t1", ""),
            ("2026-04", "t2", "排名末位问责: 口头检查"),
        ] {
            assert_eq!(
                row(&text, period, unit)[notices],
                expected,
                "{lang:?} {period} {unit}"
            );
        }
        insta::assert_snapshot!(format!("ladder-{}", lang.tag()), text);
    }
}

#[test]
fn headers_follow_the_language() {
    let evaluation = ladder();
    let en = render(&evaluation, Lang::En);
    let zh = render(&evaluation, Lang::Zh);
    // The as_of date falls in April: its results are provisional.
    assert_eq!(
        en.lines().next().unwrap(),
        "period,unit,name,group,rank,total,工作任务,notices,provisional"
    );
    assert_eq!(
        zh.lines().next().unwrap(),
        "考核期,单位编号,单位名称,分组,名次,得分,工作任务,预警通知,暂定结果"
    );
    // Only the header and the provisional mark (`yes` / `是`) differ.
    let rows = |text: &str, yes: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .map(|l| match l.strip_suffix(yes) {
                Some(rest) if rest.ends_with(',') => format!("{rest}✓"),
                _ => l.to_owned(),
            })
            .collect()
    };
    let (en_rows, zh_rows) = (rows(&en, "yes"), rows(&zh, "是"));
    assert!(en_rows.iter().any(|l| l.ends_with('✓')), "{en}");
    assert_eq!(en_rows, zh_rows);
}

/// Categories kept outside the total come after the total's in the CSV and
/// in the bulletins' columns, even when the first `score of` block lists its
/// outside category first and another block's categories appear later
/// (breaker's item 8).
#[test]
fn outside_total_columns_come_after_the_totals_categories() {
    let rules = r#"
ruleset order_2026 {
  title "列序示例（虚构）"
  issuer "x"
  source "x"
  effective 2026-01-01 to 2026-12-31
}
group township "乡镇" {
}
group department "部门" {
}
record praise "表扬" {
}
period month {
  amendable
}
score of township {
  base 100
  category award "评优" outside total {
    bonus pr "表扬" {
      per praise
      amount 2
    }
  }
  category key "重点" {
    allot 100
  }
}
score of department {
  base 100
  category service "服务" {
    allot 100
  }
}
ranking towns "乡镇排名" of township {
  by total desc
  ties shared
}
ranking departments "部门排名" of department {
  by total desc
  ties shared
}
"#;
    let ruleset =
        kaohe::Ruleset::from_source(kaohe::SourceFile::new("order.rules", rules)).unwrap();
    let facts = kaohe::Facts::from_json(
        &ruleset,
        r#"{"as_of": "2026-02-10", "periods": ["2026-01"],
            "units": [{"id": "t1", "name": "甲镇", "group": "township"},
                      {"id": "d1", "name": "部门一", "group": "department"}],
            "records": [{"unit": "t1", "period": "2026-01", "kind": "praise", "reported": "2026-01-20", "attributes": {}}]}"#,
    )
    .unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    let text = render(&evaluation, Lang::En);
    let header = text.lines().next().unwrap();
    let key = header.find("重点").unwrap();
    let service = header.find("服务").unwrap();
    let award = header.find("评优").unwrap();
    assert!(key < award && service < award, "{header}");
    let columns: Vec<String> = kaohe_office::bulletin::categories(&evaluation, &evaluation.periods)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(columns, ["key", "service", "award"]);
}
