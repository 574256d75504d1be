#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! A cap per year under shorter periods (breaker's item 8): the line of a
//! period after the year's first says what the earlier periods already took
//! (`cap 8 per year, 5 used earlier this year: -10 → -3`), so the applied
//! amount does not read as a wrong cap; the first period's line is unchanged.

use kaohe::{Facts, Ruleset, SourceFile};

const RULES: &str = r#"
ruleset halves_2026 {
  title "半年考核示例（虚构）"
  issuer "x"
  source "x"
  effective 2026-01-01 to 2026-12-31
}
group lead "牵头单位" {
}
record miss "未完成" {
}
period half {
  amendable
}
score {
  base 100
  category c "重点" {
    allot 100
    deduct m "未完成" {
      per miss
      amount 5
      cap 8 per year
    }
  }
}
"#;

const FACTS: &str = r#"{"as_of": "2027-01-10",
  "units": [{"id": "a", "name": "甲", "group": "lead"}],
  "records": [
    {"unit": "a", "period": "2026-H1", "kind": "miss", "reported": "2026-06-01", "attributes": {}},
    {"id": "h2-1", "unit": "a", "period": "2026-H2", "kind": "miss", "reported": "2026-12-01", "attributes": {}},
    {"id": "h2-2", "unit": "a", "period": "2026-H2", "kind": "miss", "reported": "2026-12-02", "attributes": {}}
  ]}"#;

#[test]
fn a_cap_per_year_says_what_the_year_used_before() {
    let ruleset = Ruleset::from_source(SourceFile::new("r.rules", RULES)).unwrap();
    let facts = Facts::from_json(&ruleset, FACTS).unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    let limits = |period: &str| {
        let result = evaluation
            .results
            .iter()
            .find(|r| r.period.to_string() == period)
            .unwrap();
        result
            .items
            .iter()
            .flat_map(|i| i.limits.iter().map(ToString::to_string))
            .collect::<Vec<_>>()
    };
    // H1: 5 of the 8, not capped.
    assert!(limits("2026-H1").is_empty());
    // H2: 10 raw, 3 left of the year's 8.
    assert_eq!(
        limits("2026-H2"),
        ["cap 8 per year, 5 used earlier this year: -10 → -3"]
    );
}

/// A capped rule that took nothing earlier in the year (its only earlier
/// record counted 0) adds no "used earlier" to the line: nothing was used.
#[test]
fn nothing_used_earlier_is_not_said() {
    let text = RULES
        .replace(
            "record miss \"未完成\" {\n}",
            "record miss \"未完成\" {\n  x: decimal \"分值\"\n}",
        )
        .replace("      amount 5\n", "      amount x\n");
    assert_ne!(text, RULES);
    let ruleset = Ruleset::from_source(SourceFile::new("r.rules", text)).unwrap();
    let facts = r#"{"as_of": "2027-01-10",
      "units": [{"id": "a", "name": "甲", "group": "lead"}],
      "records": [
        {"unit": "a", "period": "2026-H1", "kind": "miss", "reported": "2026-06-01", "attributes": {"x": 0}},
        {"id": "h2-1", "unit": "a", "period": "2026-H2", "kind": "miss", "reported": "2026-12-01", "attributes": {"x": 5}},
        {"id": "h2-2", "unit": "a", "period": "2026-H2", "kind": "miss", "reported": "2026-12-02", "attributes": {"x": 5}}
      ]}"#;
    let facts = Facts::from_json(&ruleset, facts).unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    let h2 = evaluation
        .results
        .iter()
        .find(|r| r.period.to_string() == "2026-H2")
        .unwrap();
    let limits: Vec<String> = h2
        .items
        .iter()
        .flat_map(|i| i.limits.iter().map(ToString::to_string))
        .collect();
    assert_eq!(limits, ["cap 8 per year: -10 → -8"]);
}

/// A rule capped both per period and per year: the per-period cap's line
/// never says what the year used (that is the yearly cap's), and the annual
/// result's line neither (mutation shard 3/24: the guard of the "used
/// earlier" note widened went unnoticed). H2: 3 records, 15 raw, capped at 6
/// per period; the year's 8 had 5 used in H1, so 3 are left.
#[test]
fn only_a_cap_per_year_under_a_shorter_period_says_what_was_used() {
    let text = RULES.replace(
        "      cap 8 per year\n",
        "      cap 6 per period\n      cap 8 per year\n",
    );
    let ruleset = Ruleset::from_source(SourceFile::new("r.rules", text)).unwrap();
    let facts = FACTS.replace(
        r#""attributes": {}}
  ]}"#,
        r#""attributes": {}},
    {"id": "h2-3", "unit": "a", "period": "2026-H2", "kind": "miss", "reported": "2026-12-03", "attributes": {}}
  ]}"#,
    );
    let facts = Facts::from_json(&ruleset, &facts).unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    let lines: Vec<String> = evaluation
        .results
        .iter()
        .find(|r| r.period.to_string() == "2026-H2")
        .unwrap()
        .items
        .iter()
        .flat_map(|i| i.limits.iter().map(ToString::to_string))
        .collect();
    assert_eq!(
        lines,
        [
            "cap 6 per period: -15 → -6",
            "cap 8 per year, 5 used earlier this year: -6 → -3"
        ]
    );
}
