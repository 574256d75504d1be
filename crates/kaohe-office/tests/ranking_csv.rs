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
