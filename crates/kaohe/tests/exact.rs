//! Exact arithmetic (issue 12 §1): quotients never create or break a tie,
//! line items add up to the printed total, rounding only where declared
//! (`round`, `floor`, `ceil`); and aggregates over nobody fail (§5).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use kaohe::eval::result::{decimal_text, Evaluation};
use kaohe::{Facts, Ruleset, SourceFile};
use serde_json::json;

fn ruleset(base: &str, amount: &str) -> Ruleset {
    let text = format!(
        r#"ruleset exact_2026 {{
  title     "示例"
  issuer    "示例"
  source    "示例"
  effective 2026-01-01 to 2026-12-31
}}

group lead "牵头单位" [EX-1] {{
}}

record task "任务" {{
  value: decimal "数值"
}}

period month [EX-2] {{
  amendable [EX-2]
}}

score [EX-3] {{
  base {base} [EX-3]

  category work "工作" [EX-3] {{
    bonus b "加分" [EX-3] {{
      per task
      amount {amount}
    }}
  }}
}}

ranking monthly "月度排名" of lead [EX-5] {{
  by total desc [EX-5]
  ties shared [EX-5]
}}
"#
    );
    Ruleset::from_source(SourceFile::new("exact.rules", text)).unwrap()
}

fn task(unit: &str, value: &str) -> serde_json::Value {
    json!({"unit": unit, "period": "2026-03", "kind": "task", "reported": "2026-03-20",
           "attributes": {"value": value}})
}

/// Unit A: one record of value 3; unit B: three records of value 1.
fn evaluate(ruleset: &Ruleset) -> Evaluation {
    let facts = json!({
        "as_of": "2026-04-30",
        "units": [{"id": "a", "name": "甲", "group": "lead"},
                  {"id": "b", "name": "乙", "group": "lead"}],
        "records": [task("a", "3"), task("b", "1"), task("b", "1"), task("b", "1")]
    });
    let facts = Facts::from_json(ruleset, &facts.to_string()).unwrap();
    ruleset.evaluate(&facts).unwrap()
}

fn total(ev: &Evaluation, unit: &str) -> String {
    let r = ev.results.iter().find(|r| r.unit == unit).unwrap();
    decimal_text(r.total)
}

#[test]
fn a_third_three_times_ties_with_one_exactly() {
    let ev = evaluate(&ruleset("0", "value / 3"));
    assert_eq!(total(&ev, "a"), "1");
    assert_eq!(total(&ev, "b"), "1");
    let ranking = &ev.rankings[0];
    assert!(ranking.entries.iter().all(|e| e.rank == 1), "{ranking:?}");
    assert_eq!(ranking.unresolved_ties, vec![vec!["a", "b"]]);
    // B's three records are a third each, shown marked, exact in JSON.
    let b = ev.results.iter().find(|r| r.unit == "b").unwrap();
    let item = b
        .items
        .iter()
        .find(|i| i.rule.as_deref() == Some("b"))
        .unwrap();
    assert_eq!(decimal_text(item.amount), "1");
    assert!(item
        .records
        .iter()
        .all(|r| decimal_text(r.amount) == "≈0.3333"));
    let json: serde_json::Value = serde_json::from_str(&ev.to_json()).unwrap();
    let records = &json["results"][1]["items"][1]["records"];
    assert_eq!(records[0]["amount"], "0.3333");
    assert_eq!(records[0]["amount_exact"], "1/3");
    assert_eq!(json["results"][1]["total"], "1");
    assert!(json["results"][1].get("total_exact").is_none());
}

#[test]
fn with_base_100_the_explanation_adds_up_to_the_printed_total() {
    let ev = evaluate(&ruleset("100", "value / 3"));
    for unit in ["a", "b"] {
        let r = ev.results.iter().find(|r| r.unit == unit).unwrap();
        assert_eq!(decimal_text(r.total), "101", "{unit}");
        let mut sum = kaohe::number::Number::ZERO;
        for item in &r.items {
            sum = sum.checked_add(item.amount).unwrap();
        }
        assert_eq!(sum, r.total);
    }
}

#[test]
fn a_total_that_does_not_terminate_is_marked_and_exact_in_json() {
    let facts = json!({
        "as_of": "2026-04-30",
        "units": [{"id": "a", "name": "甲", "group": "lead"}],
        "records": [task("a", "2")]
    });
    let ruleset = ruleset("0", "value / 3");
    let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap();
    let ev = ruleset.evaluate(&facts).unwrap();
    assert_eq!(total(&ev, "a"), "≈0.6667");
    let json: serde_json::Value = serde_json::from_str(&ev.to_json()).unwrap();
    assert_eq!(json["results"][0]["total"], "0.6667");
    assert_eq!(json["results"][0]["total_exact"], "2/3");
    assert_eq!(json["rankings"][0]["entries"][0]["total_exact"], "2/3");
}

#[test]
fn declared_rounding_floor_and_ceil() {
    for (amount, a, b) in [
        // A: 3 → 1; B: 1 → 1/3 each, rounded per record.
        ("round(value / 3, 2, half_up)", "1", "0.99"),
        ("round(value / 3, 2, up)", "1", "1.02"),
        ("round(value / 3, 0, down)", "1", "0"),
        ("floor(value / 3)", "1", "0"),
        ("ceil(value / 3)", "1", "3"),
        ("round(value * 5 / 2, 0, half_even)", "8", "6"),
        ("round(value * 5 / 2, 0, half_up)", "8", "9"),
    ] {
        let ev = evaluate(&ruleset("0", amount));
        assert_eq!(total(&ev, "a"), a, "{amount}");
        assert_eq!(total(&ev, "b"), b, "{amount}");
    }
}

#[test]
fn round_with_a_bad_mode_or_places_is_a_checker_error() {
    for (amount, wanted) in [
        ("round(value, 2, nearest)", "rounding mode"),
        ("round(value, 2.5, half_up)", "0 to 28"),
        ("round(value, 2)", "three arguments"),
    ] {
        let text = format!(
            "ruleset r {{\n title \"t\"\n issuer \"i\"\n source \"s\"\n effective 2026-01-01 to 2026-12-31\n}}\ngroup lead \"l\" [X] {{\n}}\nrecord task \"t\" {{\n value: decimal \"v\"\n}}\nperiod month [X] {{\n amendable [X]\n}}\nscore [X] {{\n base 0 [X]\n category w \"w\" [X] {{\n  bonus b \"b\" [X] {{\n   per task\n   amount {amount}\n  }}\n }}\n}}\n"
        );
        let errors = Ruleset::from_source(SourceFile::new("r.rules", text))
            .err()
            .unwrap_or_else(|| panic!("{amount} was accepted"));
        assert!(
            errors.to_string().contains(wanted) || format!("{errors:?}").contains(wanted),
            "{amount}: {errors:?}"
        );
    }
}
