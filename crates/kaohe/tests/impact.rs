#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Rule-change impact (`kaohe::impact`): numbers changed, rules added, removed
//! and restructured, ranks and consequences.

use kaohe::impact::{Impact, LineStatus};
use kaohe::{Ruleset, SourceFile};

fn ruleset(score: &str, extra: &str) -> Ruleset {
    let text = format!(
        r#"
ruleset tiny {{
  title "示例" issuer "示例专班" source "示例细则"
  effective 2026-01-01 to 2026-12-31
}}
group lead "牵头单位" [T-1] {{}}
record late_report "迟报" {{}}
record praise "表扬" {{}}
period month [T-2] {{ amendable [T-2] }}
score [T-3] {{
  base 100 [T-3]
  {score}
}}
ranking monthly "月度排名" of lead [T-9] {{ by total desc ties shared [T-9] }}
{extra}
"#
    );
    Ruleset::from_source(SourceFile::new("tiny.rules", text)).unwrap_or_else(|e| panic!("{e}"))
}

const FACTS: &str = r#"{"as_of": "2026-03-10",
  "units": [{"id": "a", "name": "甲", "group": "lead"}, {"id": "b", "name": "乙", "group": "lead"},
            {"id": "c", "name": "丙", "group": "lead"}],
  "records": [
    {"unit": "a", "period": "2026-01", "kind": "late_report", "reported": "2026-01-20", "count": 2},
    {"unit": "b", "period": "2026-01", "kind": "praise", "reported": "2026-01-20"},
    {"unit": "c", "period": "2026-02", "kind": "praise", "reported": "2026-02-20"}
  ]}"#;

const OLD: &str = r#"
  category daily "日常" [T-4] {
    deduct late "迟报" [T-5] { per late_report amount 2 }
    bonus praise "表扬" [T-6] { per praise amount 1 }
  }"#;

#[test]
fn nothing_changes_when_nothing_changes() {
    let impact = Impact::between(&ruleset(OLD, ""), &ruleset(OLD, ""), FACTS).unwrap();
    assert!(impact.changes.is_empty());
    assert_eq!(impact.summary.results_compared, 6); // 3 units × 2 months, no annual
}

#[test]
fn a_changed_amount_lists_the_units_and_the_rule() {
    let new = OLD.replace("amount 2", "amount 3");
    let impact = Impact::between(&ruleset(OLD, ""), &ruleset(&new, ""), FACTS).unwrap();
    let changed: Vec<(String, String)> = impact
        .changes
        .iter()
        .map(|c| (c.period.to_string(), c.unit.to_string()))
        .collect();
    assert_eq!(changed, [("2026-01".to_owned(), "a".to_owned())]);
    let jan = &impact.changes[0];
    assert_eq!(jan.total.before.unwrap().to_string(), "96");
    assert_eq!(jan.total.after.unwrap().to_string(), "94");
    assert_eq!(jan.lines.len(), 1);
    assert_eq!(jan.lines[0].line, "late");
    assert_eq!(
        jan.lines[0]
            .delta
            .map(|x| x.to_string())
            .unwrap_or_default(),
        "-2"
    );
    assert_eq!(jan.lines[0].status, LineStatus::Both);
    assert_eq!(impact.summary.results_changed_score, 1);
    assert_eq!(impact.summary.units_changed_score, 1);
    assert_eq!(impact.summary.results_changed_rank, 0);
}

#[test]
fn removed_added_and_renamed_rules_show_as_such() {
    // `praise` is renamed `commend` and worth 2; `late` moves to a new category.
    let new = r#"
  category reporting "报送" [T-7] {
    deduct late "迟报" [T-5] { per late_report amount 2 }
  }
  category daily "日常" [T-4] {
    bonus commend "表扬" [T-6] { per praise amount 2 }
  }"#;
    let impact = Impact::between(&ruleset(OLD, ""), &ruleset(new, ""), FACTS).unwrap();
    assert_eq!(impact.rules.added, ["commend"]);
    assert_eq!(impact.rules.removed, ["praise"]);
    // a is unchanged (late only moved); b in January and c in February gain 1.
    let b = impact
        .changes
        .iter()
        .find(|c| c.unit == "b" && c.period.to_string() == "2026-01")
        .unwrap();
    let lines: Vec<(&str, String, LineStatus)> = b
        .lines
        .iter()
        .map(|l| {
            (
                l.line.as_str(),
                l.delta.map(|x| x.to_string()).unwrap_or_default(),
                l.status,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("commend", "2".to_owned(), LineStatus::Added),
            ("praise", "-1".to_owned(), LineStatus::Removed)
        ]
    );
    assert!(impact.changes.iter().all(|c| c.unit != "a"));
}

#[test]
fn ranks_and_consequences_gained_or_lost_are_counted() {
    let notice =
        r#"notice warn "提醒" of lead [T-8] { when count(late_report) >= 2 action "提醒" }"#;
    let new = OLD.replace("amount 1", "amount 5");
    let impact = Impact::between(&ruleset(OLD, notice), &ruleset(&new, ""), FACTS).unwrap();
    // The ranks stay (b and c only gain more), but a loses its notice.
    let a = impact
        .changes
        .iter()
        .find(|c| c.unit == "a" && c.period.to_string() == "2026-01")
        .unwrap();
    assert_eq!(a.lost, ["notice warn"]);
    assert!(!a.total.changed());
    assert_eq!(impact.summary.consequences_lost, 1);
    assert_eq!(impact.summary.consequences_gained, 0);
    assert_eq!(impact.summary.results_changed_rank, 0);
    let json = impact.to_json();
    assert!(json.contains("\"format_version\": 1"), "{json}");
    assert!(
        json.contains("\"lost\": [\n        \"notice warn\"\n      ]"),
        "{json}"
    );
}

#[test]
fn facts_that_fit_only_one_ruleset_are_an_error() {
    let old = ruleset(OLD, "");
    let text = old
        .source()
        .text()
        .replace("record praise \"表扬\" {}", "record kudos \"表扬\" {}")
        .replace("per praise", "per kudos");
    let new = Ruleset::from_source(SourceFile::new("new.rules", text)).unwrap();
    let err = Impact::between(&old, &new, FACTS).unwrap_err().to_string();
    assert!(err.contains("new ruleset"), "{err}");
    assert!(err.contains("$.records[1].kind"), "{err}");
}
