#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The meaning of every operator, built-in and function of the rule language
//! (docs/language.md §17, `grammar/kaohe.pest`), and of the rule and
//! consequence features that decide amounts (rank and level tables, `times`,
//! `once per`, caps per period and per year, notices' group and scope,
//! `ranked`), each checked against a value computed by hand.
//!
//! Everything goes through the public API only — a tiny ruleset is written as
//! text, facts as JSON, the result read back as the stable JSON output — so
//! the suite survives refactors of the engine's internals (the number type
//! included: every value is compared as its normalised decimal string, and
//! every expected value has an exact decimal form).
//!
//! The harness turns an expression into a score: `adjust v { per r amount E }`
//! with base 0 gives the value of a number `E` as the unit's total, and
//! `if C then 1 else 0` (cross-checked with `per r where C amount 1`) the value
//! of a condition `C`. Each truth-valued case is checked in both directions
//! (a case that must be true and one that must be false), so an operator that
//! is replaced by a constant, by its negation or by a neighbour fails.

use kaohe::{Facts, Ruleset, SourceFile};
use serde_json::{json, Value};

// ------------------------------------------------------------------ harness

/// The ruleset around the rules under test. `{RULES}` goes into the only
/// category (no allotment, so no floor), `{EXTRA}` after the ranking.
const TEMPLATE: &str = r#"
ruleset semantics {
  title "表达式语义" issuer "测试" source "测试细则"
  effective 2026-01-01 to 2026-12-31
}
levels tier "级别" {
  central    "中央"
  provincial "省级"
  city       "市级"
}
group lead "牵头单位" [T-1] {
  attribute size: integer "规模"
  attribute opt: integer? "可选"
}
group other "其他单位" [T-1] {}
record r "记录" {
  key name
  name: text "名称"
  x: decimal "x"
  y: decimal "y"
  z: decimal? "z"
  d: date "d"
  e: date? "e"
  t: tier "级别"
  f: bool "f"
  g: bool "g"
  h: bool? "h"
  rank: integer "名次"
  of: integer "参评数"
  derive big = x > 10 and not f
}
record s "其他记录" {
  v: decimal "v"
}
period month [T-1] { amendable [T-1] }
score [T-1] {
  base 0 [T-1]
  category c "类别" [T-1] {
{RULES}
  }
}
ranking m "月度排名" of lead [T-1] { by total desc ties shared [T-1] }
{EXTRA}
"#;

fn ruleset(rules: &str, extra: &str) -> Ruleset {
    let text = TEMPLATE.replace("{RULES}", rules).replace("{EXTRA}", extra);
    Ruleset::from_source(SourceFile::new("semantics.rules", text))
        .unwrap_or_else(|e| panic!("the ruleset is refused:\n{e:?}\nrules:\n{rules}\n{extra}"))
}

/// A record of kind `r` for unit `u` in March 2026, every required field
/// given a neutral value, then `overrides` (a JSON object) applied.
fn record(overrides: Value) -> Value {
    let mut attributes = json!({
        "name": "a", "x": 0, "y": 0, "d": "2026-03-10", "t": "city",
        "f": false, "g": false, "rank": 0, "of": 0
    });
    let mut record = json!({
        "unit": "u", "period": "2026-03", "kind": "r", "reported": "2026-03-31"
    });
    for (key, value) in overrides.as_object().unwrap() {
        match key.as_str() {
            "unit" | "period" | "kind" | "reported" | "count" | "id" => {
                record[key] = value.clone();
            }
            _ => attributes[key] = value.clone(),
        }
    }
    record["attributes"] = attributes;
    record
}

/// Unit `u` (group `lead`, size 4) and the given records, as of 2026-04-30.
fn facts(records: Vec<Value>) -> Value {
    json!({
        "as_of": "2026-04-30",
        "units": [{"id": "u", "name": "甲", "group": "lead", "attributes": {"size": 4}}],
        "records": records,
    })
}

/// Evaluates and returns the stable JSON output.
fn run(ruleset: &Ruleset, facts: &Value) -> Value {
    let facts = Facts::from_json(ruleset, &facts.to_string())
        .unwrap_or_else(|e| panic!("the facts are refused: {e}\n{facts:#}"));
    let evaluation = ruleset
        .evaluate(&facts)
        .unwrap_or_else(|e| panic!("evaluation failed: {e}"));
    serde_json::from_str(&evaluation.to_json()).unwrap()
}

/// Evaluates expecting an evaluation error; returns its text.
fn run_err(ruleset: &Ruleset, facts: &Value) -> String {
    let facts = Facts::from_json(ruleset, &facts.to_string())
        .unwrap_or_else(|e| panic!("the facts are refused: {e}"));
    match ruleset.evaluate(&facts) {
        Ok(evaluation) => panic!(
            "expected an evaluation error, got\n{}",
            evaluation.to_json()
        ),
        Err(e) => e.to_string(),
    }
}

/// The result of `unit` in `period` (`"2026-03"`, or `"2026"` for the year).
fn result<'a>(output: &'a Value, unit: &str, period: &str) -> &'a Value {
    output["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == unit && r["period"] == period)
        .unwrap_or_else(|| panic!("no result for {unit} in {period}:\n{output:#}"))
}

fn total(output: &Value, unit: &str, period: &str) -> String {
    result(output, unit, period)["total"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The value of the number expression `expr` on one record with `overrides`.
fn number(expr: &str, overrides: Value) -> String {
    let rules = format!("    adjust v \"值\" [T-2] {{ per r amount {expr} }}");
    let output = run(&ruleset(&rules, ""), &facts(vec![record(overrides)]));
    total(&output, "u", "2026-03")
}

/// The value of the condition `cond` on one record with `overrides`, found in
/// two ways that must agree: as `if cond then 1 else 0` and as a `where` filter.
fn truth(cond: &str, overrides: Value) -> bool {
    let by_if = number(&format!("if {cond} then 1 else 0"), overrides.clone());
    let rules = format!("    bonus w \"条件\" [T-2] {{ per r where {cond} amount 1 }}");
    let output = run(&ruleset(&rules, ""), &facts(vec![record(overrides)]));
    let by_where = total(&output, "u", "2026-03");
    assert_eq!(
        by_if, by_where,
        "`{cond}`: `if` and `where` disagree ({by_if} vs {by_where})"
    );
    match by_if.as_str() {
        "1" => true,
        "0" => false,
        other => panic!("`{cond}` gave {other}"),
    }
}

#[track_caller]
fn assert_number(expr: &str, overrides: Value, expected: &str) {
    let actual = number(expr, overrides.clone());
    assert_eq!(
        actual, expected,
        "`{expr}` with {overrides} is {actual}, expected {expected}"
    );
}

#[track_caller]
fn assert_truth(cond: &str, overrides: Value, expected: bool) {
    let actual = truth(cond, overrides.clone());
    assert_eq!(
        actual, expected,
        "`{cond}` with {overrides} is {actual}, expected {expected}"
    );
}

// ------------------------------------------------------------------ arithmetic

#[test]
fn arithmetic_operators() {
    let xy = || json!({"x": "2.5", "y": "1.25"});
    assert_number("x + y", xy(), "3.75");
    assert_number("x - y", xy(), "1.25");
    assert_number("y - x", xy(), "-1.25");
    assert_number("x * y", xy(), "3.125");
    assert_number("x / y", xy(), "2");
    assert_number("y / x", xy(), "0.5");
    assert_number("7 / 4", json!({}), "1.75");
    assert_number("-x", xy(), "-2.5");
    assert_number("- -x", xy(), "2.5");
    assert_number("0.5", json!({}), "0.5");
    assert_number("x", xy(), "2.5");
}

#[test]
fn precedence_and_associativity() {
    assert_number("2 + 3 * 4", json!({}), "14");
    assert_number("(2 + 3) * 4", json!({}), "20");
    assert_number("10 - 4 - 3", json!({}), "3");
    assert_number("10 - (4 - 3)", json!({}), "9");
    assert_number("12 / 2 / 3", json!({}), "2");
    assert_number("12 / (2 / 4)", json!({}), "24");
    assert_number("-2 * 3 + 1", json!({}), "-5");
    assert_number("1 + 8 / 2 - 3", json!({}), "2");
    // `not` binds looser than comparison, tighter than `and`/`or`.
    assert_truth("not x > 1", json!({"x": 2}), false);
    assert_truth("not x > 1", json!({"x": 1}), true);
    assert_truth("not f and g", json!({"f": false, "g": true}), true);
    assert_truth("not f and g", json!({"f": false, "g": false}), false);
    assert_truth("not (f and g)", json!({"f": true, "g": false}), true);
    // `and` binds tighter than `or`.
    assert_truth("f or g and false", json!({"f": true}), true);
    assert_truth("(f or g) and false", json!({"f": true}), false);
}

#[test]
fn division_by_zero_and_absent_arithmetic_are_errors() {
    let rules = "    adjust v \"值\" [T-2] { per r amount x / y }";
    let message = run_err(
        &ruleset(rules, ""),
        &facts(vec![record(json!({"x": 1, "y": 0}))]),
    );
    assert!(message.contains("division by zero"), "{message}");
    let rules = "    adjust v \"值\" [T-2] { per r amount z + 1 }";
    let message = run_err(&ruleset(rules, ""), &facts(vec![record(json!({}))]));
    assert!(message.contains("absent"), "{message}");
    let rules = "    adjust v \"值\" [T-2] { per r amount x * x * x }";
    let message = run_err(
        &ruleset(rules, ""),
        &facts(vec![record(json!({"x": "70000000000000000000"}))]),
    );
    assert!(message.contains("overflow"), "{message}");
    // Each amount fits (10^38 < 2^127) but their sum does not: the sum of a
    // rule's amounts is checked too, and the error says where.
    let rules = "    adjust v \"值\" [T-2] { per r amount x * x }";
    let message = run_err(
        &ruleset(rules, ""),
        &facts(vec![
            record(json!({"x": "10000000000000000000", "name": "p"})),
            record(json!({"x": "10000000000000000000", "name": "q"})),
        ]),
    );
    assert!(message.contains("overflows a decimal"), "{message}");
    assert!(message.contains("(unit `u`, period 2026-03"), "{message}");
}

// ------------------------------------------------------------------ comparisons

/// `<`, `<=`, `>`, `>=`, `==`, `!=` on values below, equal to and above each
/// other: 18 cases per type.
fn comparison_table(lhs: &str, rhs: &str, values: [Value; 3], attribute: &str, pivot: Value) {
    // For each operator: is it true when lhs is below, equal, above?
    let table: [(&str, [bool; 3]); 6] = [
        ("<", [true, false, false]),
        ("<=", [true, true, false]),
        (">", [false, false, true]),
        (">=", [false, true, true]),
        ("==", [false, true, false]),
        ("!=", [true, false, true]),
    ];
    for (op, expected) in table {
        for (value, expected) in values.iter().zip(expected) {
            let mut overrides = json!({});
            overrides[attribute] = value.clone();
            if rhs != "pivot" {
                overrides[rhs] = pivot.clone();
            }
            let cond = format!("{lhs} {op} {}", if rhs == "pivot" { "PIVOT" } else { rhs });
            let cond = cond.replace("PIVOT", pivot.as_str().unwrap_or(""));
            assert_truth(&cond, overrides, expected);
        }
    }
}

#[test]
fn number_comparisons() {
    comparison_table(
        "x",
        "y",
        [json!("1.5"), json!("2.5"), json!("3")],
        "x",
        json!("2.50"),
    );
}

#[test]
fn number_comparisons_with_literals() {
    for (op, expected) in [
        ("<", [true, false, false]),
        ("<=", [true, true, false]),
        (">", [false, false, true]),
        (">=", [false, true, true]),
        ("==", [false, true, false]),
        ("!=", [true, false, true]),
    ] {
        for (x, expected) in ["1.99", "2", "2.01"].iter().zip(expected) {
            assert_truth(&format!("x {op} 2"), json!({"x": x}), expected);
        }
    }
}

#[test]
fn date_comparisons() {
    comparison_table(
        "d",
        "pivot",
        [
            json!("2026-03-14"),
            json!("2026-03-15"),
            json!("2026-03-16"),
        ],
        "d",
        json!("2026-03-15"),
    );
}

#[test]
fn text_and_bool_equality() {
    assert_truth("name == \"甲乙\"", json!({"name": "甲乙"}), true);
    assert_truth("name == \"甲乙\"", json!({"name": "甲"}), false);
    assert_truth("name != \"甲乙\"", json!({"name": "甲乙"}), false);
    assert_truth("name != \"甲乙\"", json!({"name": "甲"}), true);
    assert_truth("f == g", json!({"f": true, "g": true}), true);
    assert_truth("f == g", json!({"f": true, "g": false}), false);
    assert_truth("f != g", json!({"f": true, "g": false}), true);
    assert_truth("f != g", json!({"f": false, "g": false}), false);
    assert_truth("f == true", json!({"f": true}), true);
    assert_truth("f == true", json!({"f": false}), false);
}

#[test]
fn level_equality_with_bare_names_on_either_side() {
    assert_truth("t == provincial", json!({"t": "provincial"}), true);
    assert_truth("t == provincial", json!({"t": "city"}), false);
    assert_truth("provincial == t", json!({"t": "provincial"}), true);
    assert_truth("provincial == t", json!({"t": "central"}), false);
    assert_truth("t != city", json!({"t": "city"}), false);
    assert_truth("t != city", json!({"t": "central"}), true);
    assert_truth("city != t", json!({"t": "central"}), true);
    // By label in the facts, the same level.
    assert_truth("t == provincial", json!({"t": "省级"}), true);
}

#[test]
fn ordered_level_comparisons_follow_the_declaration_highest_first() {
    // central > provincial > city (declared highest first).
    comparison_table(
        "t",
        "pivot",
        [json!("city"), json!("provincial"), json!("central")],
        "t",
        json!("provincial"),
    );
    assert_truth("t > city", json!({"t": "central"}), true);
    assert_truth("t < central", json!({"t": "city"}), true);
    assert_truth("t < central", json!({"t": "central"}), false);
}

#[test]
fn logic_truth_tables() {
    for (f, g) in [(false, false), (false, true), (true, false), (true, true)] {
        let o = || json!({"f": f, "g": g});
        assert_truth("f and g", o(), f && g);
        assert_truth("f or g", o(), f || g);
        assert_truth("not f", o(), !f);
        assert_truth("not g", o(), !g);
    }
    assert_truth("true", json!({}), true);
    assert_truth("false", json!({}), false);
    assert_truth("not false", json!({}), true);
    assert_truth("not not true", json!({}), true);
}

#[test]
fn if_then_else() {
    assert_number(
        "if f then x else y",
        json!({"f": true, "x": 3, "y": 7}),
        "3",
    );
    assert_number(
        "if f then x else y",
        json!({"f": false, "x": 3, "y": 7}),
        "7",
    );
    assert_number(
        "if x > 5 then 2 else if x > 1 then 1 else 0",
        json!({"x": 3}),
        "1",
    );
}

// ------------------------------------------------------------------ absent values

#[test]
fn comparisons_with_an_absent_value_are_false_and_present_tells() {
    for op in ["<", "<=", ">", ">=", "==", "!="] {
        assert_truth(&format!("z {op} 1"), json!({}), false);
        assert_truth(&format!("not (z {op} 1)"), json!({}), true);
        assert_truth(&format!("e {op} 2026-03-01"), json!({}), false);
    }
    assert_truth("z == 1", json!({"z": 1}), true);
    assert_truth("present(z)", json!({}), false);
    assert_truth("present(z)", json!({"z": 0}), true);
    assert_truth("present(e)", json!({"e": "2026-03-01"}), true);
    assert_truth("present(e)", json!({"e": null}), false);
    assert_truth("present(x)", json!({}), true);
}

#[test]
fn an_absent_condition_is_false() {
    assert_truth("h", json!({}), false);
    assert_truth("not h", json!({}), true);
    assert_truth("h", json!({"h": true}), true);
    assert_truth("h or f", json!({"f": true}), true);
    assert_truth("h and true", json!({"h": true}), true);
}

#[test]
fn derived_attributes() {
    assert_truth("big", json!({"x": 11}), true);
    assert_truth("big", json!({"x": 10}), false);
    assert_truth("big", json!({"x": 11, "f": true}), false);
    assert_truth("not big", json!({"x": 3}), true);
}

// ------------------------------------------------------------------ functions

#[test]
fn min_max_abs() {
    let o = || json!({"x": "2.5", "y": "-1"});
    assert_number("min(x, y)", o(), "-1");
    assert_number("min(y, x)", o(), "-1");
    assert_number("max(x, y)", o(), "2.5");
    assert_number("max(y, x)", o(), "2.5");
    assert_number("min(x, 4, 0.5)", o(), "0.5");
    assert_number("max(x, 4, 0.5)", o(), "4");
    assert_number("max(0.5, 4, x)", o(), "4");
    assert_number("min(4, 0.5, x)", o(), "0.5");
    assert_number("abs(y)", o(), "1");
    assert_number("abs(x)", o(), "2.5");
    assert_number("abs(0)", o(), "0");
    assert_number("abs(y - x)", o(), "3.5");
}

#[test]
fn overdue_compares_deadline_done_and_as_of() {
    // as_of is 2026-04-30.
    let cases = [
        (json!({"d": "2026-03-10"}), true), // not done, deadline passed
        (json!({"d": "2026-03-10", "e": "2026-03-09"}), false), // done before the deadline
        (json!({"d": "2026-03-10", "e": "2026-03-10"}), false), // done on the deadline
        (json!({"d": "2026-03-10", "e": "2026-03-11"}), true), // done after the deadline
        (json!({"d": "2026-04-30"}), false), // deadline is as_of: not yet
        (json!({"d": "2026-04-29"}), true), // the day before as_of
        (json!({"d": "2026-05-01", "e": "2026-05-02"}), false), // deadline after as_of
    ];
    for (overrides, expected) in cases {
        assert_truth("overdue(d, e)", overrides, expected);
    }
}

#[test]
fn previous_reads_the_same_key_in_the_previous_period() {
    let rules = "    adjust v \"值\" [T-2] { per r amount if present(previous(x)) then previous(x) * 10 + x else x }\n\
                 bonus w \"连续\" [T-3] { per r where previous(f) and f amount 100 }";
    let ruleset = ruleset(rules, "");
    let records = vec![
        record(
            json!({"period": "2026-02", "reported": "2026-02-28", "name": "a", "x": 3, "f": true}),
        ),
        record(json!({"period": "2026-03", "name": "a", "x": 5, "f": true})),
        // Another key: no previous record.
        record(json!({"period": "2026-03", "name": "b", "x": 7, "f": true})),
        // Same key two months back: not the previous period.
        record(
            json!({"period": "2026-01", "reported": "2026-01-31", "name": "c", "x": 1, "f": true}),
        ),
        record(json!({"period": "2026-03", "name": "c", "x": 2, "f": true})),
    ];
    let output = run(&ruleset, &facts(records));
    // February: a = 3, no previous; the record `c` of January is alone.
    assert_eq!(total(&output, "u", "2026-01"), "1");
    assert_eq!(total(&output, "u", "2026-02"), "3");
    // March: a = 3×10 + 5 = 35 and 100 (previous f and f), b = 7, c = 2.
    assert_eq!(total(&output, "u", "2026-03"), "144");
}

#[test]
fn unit_attributes_bare_and_qualified() {
    assert_number("unit.size", json!({}), "4");
    assert_number("size * 2", json!({}), "8");
    assert_truth("present(unit.opt)", json!({}), false);
    assert_truth("present(opt)", json!({}), false);
    assert_truth("unit.size >= 4", json!({}), true);
    assert_truth("unit.size > 4", json!({}), false);
}

#[test]
fn another_groups_unit_attribute_is_absent() {
    // `w` is in group `other`, which declares no `size`.
    let rules = "    bonus b \"无规模\" [T-2] { when not present(unit.size) amount 1 }\n\
                 bonus c \"无规模\" [T-3] { when not present(size) amount 2 }\n\
                 bonus e \"规模\" [T-4] { when unit.size > 3 amount 4 }";
    let mut facts: Value = serde_json::from_str(TWO_GROUPS).unwrap();
    facts["periods"] = json!(["2026-03"]);
    let output = run(&ruleset(rules, ""), &facts);
    assert_eq!(total(&output, "w", "2026-03"), "3");
    assert_eq!(total(&output, "u", "2026-03"), "4");
}

// ------------------------------------------------------------------ built-ins

#[test]
fn built_in_dates() {
    // March 2026, evaluated as of 2026-04-30.
    assert_truth("period_start == 2026-03-01", json!({}), true);
    assert_truth("period_start == 2026-03-02", json!({}), false);
    assert_truth("period_end == 2026-03-31", json!({}), true);
    assert_truth("period_end == 2026-03-30", json!({}), false);
    assert_truth("as_of == 2026-04-30", json!({}), true);
    assert_truth("as_of == 2026-03-31", json!({}), false);
    assert_truth("d >= period_start", json!({"d": "2026-03-01"}), true);
    assert_truth("d >= period_start", json!({"d": "2026-02-28"}), false);
    assert_truth("d <= period_end", json!({"d": "2026-04-01"}), false);
}

#[test]
fn period_start_and_end_follow_the_evaluated_period() {
    let rules =
        "    bonus w \"期内\" [T-2] { per r where d >= period_start and d <= period_end amount 1 }";
    let ruleset = ruleset(rules, "");
    let records = vec![
        record(json!({"period": "2026-02", "reported": "2026-02-28", "d": "2026-02-01"})),
        record(json!({"period": "2026-02", "reported": "2026-02-28", "d": "2026-03-01"})),
        record(json!({"period": "2026-03", "d": "2026-03-31"})),
        record(json!({"period": "2026-03", "d": "2026-02-28"})),
    ];
    let output = run(&ruleset, &facts(records));
    assert_eq!(total(&output, "u", "2026-02"), "1");
    assert_eq!(total(&output, "u", "2026-03"), "1");
}

#[test]
fn reported_is_the_records_reported_day() {
    assert_truth(
        "reported > 2026-03-20",
        json!({"reported": "2026-03-25"}),
        true,
    );
    assert_truth(
        "reported > 2026-03-20",
        json!({"reported": "2026-03-15"}),
        false,
    );
    assert_truth(
        "reported == 2026-03-15",
        json!({"reported": "2026-03-15"}),
        true,
    );
    assert_truth(
        "reported > d",
        json!({"reported": "2026-03-15", "d": "2026-03-14"}),
        true,
    );
}

#[test]
fn count_of_a_record_in_a_filter() {
    // The record's `count` in a filter; the amount is multiplied by it too.
    let rules = "    bonus w \"条件\" [T-2] { per r where count == 3 amount 1 }";
    assert_eq!(march(rules, vec![record(json!({"count": 3}))]), "3");
    assert_eq!(march(rules, vec![record(json!({"count": 2}))]), "0");
    assert_eq!(march(rules, vec![record(json!({}))]), "0");
}

// ------------------------------------------------------------------ count and sum

#[test]
fn count_and_sum_over_the_units_records() {
    let records = || {
        vec![
            record(json!({"x": 2, "f": true, "count": 2})),
            record(json!({"x": 5, "f": false})),
            record(json!({"x": "0.5", "f": true})),
            // Another period: not counted in March.
            record(json!({"period": "2026-02", "reported": "2026-02-28", "x": 100, "f": true})),
        ]
    };
    let once = |amount: &str| {
        let rules = format!("    adjust v \"值\" [T-2] {{ amount {amount} }}");
        let output = run(&ruleset(&rules, ""), &facts(records()));
        total(&output, "u", "2026-03")
    };
    // count adds each record's count: 2 + 1 + 1.
    assert_eq!(once("count(r)"), "4");
    assert_eq!(once("count(r where f)"), "3");
    assert_eq!(once("count(r where not f)"), "1");
    assert_eq!(once("count(s)"), "0");
    // sum of x × count: 2×2 + 5 + 0.5.
    assert_eq!(once("sum(r, x)"), "9.5");
    assert_eq!(once("sum(r, x where f)"), "4.5");
    assert_eq!(once("sum(r, x * 2 where x > 1)"), "18");
    assert_eq!(once("sum(s, v)"), "0");
}

// ------------------------------------------------------------------ amounts

/// The total of `u` in March under `rules`, for `records`.
fn march(rules: &str, records: Vec<Value>) -> String {
    let output = run(&ruleset(rules, ""), &facts(records));
    total(&output, "u", "2026-03")
}

#[test]
fn rank_table_gives_top_and_bottom_amounts_only_for_ranks_in_1_to_n() {
    let table = |overlap: &str| {
        format!(
            "    adjust p \"排名\" [T-2] {{ per r amount by rank rank of of {{ top 5, 4, 3 bottom -1, -2, -3 {overlap} }} }}"
        )
    };
    let at = |rank: i64, of: i64, overlap: &str| {
        march(
            &table(overlap),
            vec![record(json!({"rank": rank, "of": of}))],
        )
    };
    // 10 ranked: 1st 5, 2nd 4, 3rd 3, 5th nothing, 8th (3rd from bottom) −3, 10th −1.
    assert_eq!(at(1, 10, ""), "5");
    assert_eq!(at(2, 10, ""), "4");
    assert_eq!(at(3, 10, ""), "3");
    assert_eq!(at(4, 10, ""), "0");
    assert_eq!(at(5, 10, ""), "0");
    assert_eq!(at(8, 10, ""), "-3");
    assert_eq!(at(9, 10, ""), "-2");
    assert_eq!(at(10, 10, ""), "-1");
    // Outside 1..n: no amount, though a list would have an entry for it.
    assert_eq!(at(0, 2, ""), "0");
    assert_eq!(at(3, 2, ""), "0");
    assert_eq!(at(-1, 2, ""), "0");
    assert_eq!(at(11, 10, ""), "0");
    // n = 1: the only unit is both top and bottom.
    assert_eq!(at(1, 1, ""), "5");
    assert_eq!(at(1, 1, "overlap bottom"), "-1");
    // Few ranked: 2nd of 4 is 2nd from top and 3rd from bottom.
    assert_eq!(at(2, 4, ""), "4");
    assert_eq!(at(2, 4, "overlap top"), "4");
    assert_eq!(at(2, 4, "overlap bottom"), "-3");
    assert_eq!(at(3, 4, "overlap bottom"), "-2");
    assert_eq!(at(3, 4, "overlap top"), "3");
}

#[test]
fn level_table() {
    let rules =
        "    bonus b \"级别\" [T-2] { per r amount by t { central: 3, provincial: 2, city: 0.5 } }";
    assert_eq!(march(rules, vec![record(json!({"t": "central"}))]), "3");
    assert_eq!(march(rules, vec![record(json!({"t": "provincial"}))]), "2");
    assert_eq!(march(rules, vec![record(json!({"t": "city"}))]), "0.5");
    assert_eq!(
        march(
            rules,
            vec![
                record(json!({"t": "central", "count": 2})),
                record(json!({"t": "city"}))
            ]
        ),
        "6.5"
    );
}

#[test]
fn times_multiplies_when_its_condition_holds() {
    let rules = "    deduct d \"扣分\" [T-2] { per r amount 2 times 3 when f times 0.5 when g }";
    assert_eq!(march(rules, vec![record(json!({}))]), "-2");
    assert_eq!(march(rules, vec![record(json!({"f": true}))]), "-6");
    assert_eq!(march(rules, vec![record(json!({"g": true}))]), "-1");
    assert_eq!(
        march(rules, vec![record(json!({"f": true, "g": true}))]),
        "-3"
    );
    assert_eq!(
        march(rules, vec![record(json!({"f": true, "count": 2}))]),
        "-12"
    );
}

#[test]
fn once_per_keeps_the_highest_occurrence_per_value() {
    let rules = "    bonus b \"一次\" [T-2] { per r amount x once per name keep highest }";
    let records = vec![
        record(json!({"name": "a", "x": 2})),
        record(json!({"name": "a", "x": 3})),
        record(json!({"name": "a", "x": 1})),
        record(json!({"name": "b", "x": "0.5"})),
    ];
    assert_eq!(march(rules, records), "3.5");
}

#[test]
fn a_rule_cap_per_period_binds_at_its_value() {
    let rules = "    bonus b \"封顶\" [T-2] { per r amount x cap 5 per period }";
    assert_eq!(march(rules, vec![record(json!({"x": 4}))]), "4");
    assert_eq!(march(rules, vec![record(json!({"x": 5}))]), "5");
    assert_eq!(march(rules, vec![record(json!({"x": 6}))]), "5");
    let rules = "    deduct d \"封顶\" [T-2] { per r amount x cap 5 }";
    assert_eq!(
        march(
            rules,
            vec![record(json!({"x": 4})), record(json!({"x": 4}))]
        ),
        "-5"
    );
}

#[test]
fn a_cap_per_year_is_used_up_by_earlier_periods() {
    let rules = "    bonus b \"年度封顶\" [T-2] { per r amount 3 cap 7 per year }";
    let month = |m: u32| {
        record(json!({"period": format!("2026-{m:02}"), "reported": format!("2026-{m:02}-28")}))
    };
    let output = run(
        &ruleset(rules, ""),
        &facts(vec![month(1), month(2), month(3), month(4)]),
    );
    // 3, 3, then 1 left of 7, then nothing.
    assert_eq!(total(&output, "u", "2026-01"), "3");
    assert_eq!(total(&output, "u", "2026-02"), "3");
    assert_eq!(total(&output, "u", "2026-03"), "1");
    assert_eq!(total(&output, "u", "2026-04"), "0");
    let march = result(&output, "u", "2026-03");
    let item = &march["items"][1];
    assert_eq!(item["raw"], "3");
    assert_eq!(item["amount"], "1");
    assert_eq!(item["limits"][0]["raw"], "3");
    assert_eq!(item["limits"][0]["applied"], "1");
}

#[test]
fn a_cap_per_year_starts_again_in_a_new_year() {
    // A ruleset over two years.
    let rules = "    bonus b \"年度封顶\" [T-2] { per r amount 3 cap 4 per year }";
    let text = TEMPLATE
        .replace("{RULES}", rules)
        .replace("{EXTRA}", "")
        .replace(
            "effective 2026-01-01 to 2026-12-31",
            "effective 2026-01-01 to 2027-12-31",
        );
    let ruleset = Ruleset::from_source(SourceFile::new("two-years.rules", text)).unwrap();
    let mut facts = facts(vec![
        record(json!({"period": "2026-11", "reported": "2026-11-30"})),
        record(json!({"period": "2026-12", "reported": "2026-12-31"})),
        record(json!({"period": "2027-01", "reported": "2027-01-31"})),
    ]);
    facts["as_of"] = json!("2027-02-01");
    let output = run(&ruleset, &facts);
    assert_eq!(total(&output, "u", "2026-11"), "3");
    assert_eq!(total(&output, "u", "2026-12"), "1");
    assert_eq!(total(&output, "u", "2027-01"), "3");
}

// ------------------------------------------------------------------ clauses

#[test]
fn clauses_compare_by_content() {
    let rules = "    deduct d \"扣分\" [T-2, T-3] { per r amount 1 }";
    let ruleset = ruleset(rules, "");
    let facts = Facts::from_json(&ruleset, &facts(vec![record(json!({}))]).to_string()).unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    let item = evaluation.results[0]
        .items
        .iter()
        .find(|i| i.rule.as_deref() == Some("d"))
        .unwrap();
    assert!(item.clauses == ["T-2", "T-3"]);
    assert!(item.clauses != ["T-2", "T-4"]);
    assert!(item.clauses != ["T-3", "T-2"]);
    assert!(item.clauses != ["T-2"]);
    assert!(item.clauses != ["T-2", "T-3", "T-4"]);
    let same: &[&str] = &["T-2", "T-3"];
    let other: &[&str] = &["T-1", "T-3"];
    let shorter: &[&str] = &["T-2"];
    assert!(item.clauses == *same);
    assert!(item.clauses != *other);
    assert!(item.clauses != *shorter);
    // Two different clause lists are unequal as values too.
    let base = &evaluation.results[0].items[0];
    assert!(base.clauses == ["T-1"]);
    assert_ne!(base.clauses, item.clauses);
    assert_eq!(item.clauses.clone(), item.clauses);
}

// ------------------------------------------------------------------ consequences

const TWO_GROUPS: &str = r#"{
  "as_of": "2026-04-30",
  "units": [
    {"id": "u", "name": "甲", "group": "lead", "attributes": {"size": 4}},
    {"id": "w", "name": "乙", "group": "other"}
  ],
  "records": []
}"#;

fn notices(result: &Value) -> Vec<String> {
    let mut names: Vec<String> = result["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| match n["class"].as_str() {
            Some(class) => format!("{}:{class}", n["name"].as_str().unwrap()),
            None => n["name"].as_str().unwrap().to_owned(),
        })
        .collect();
    // Compared as a set: the order of kinds in the output is not what is tested.
    names.sort();
    names
}

#[test]
fn notices_respect_their_group_and_scope() {
    let extra = r#"
annual [T-9] { from sum of periods [T-9] }
notice lead_only "牵头单位提醒" of lead [T-5] { when true action "提醒" }
notice everyone "全体提醒" [T-5] { when true action "提醒" }
notice yearly "年度提醒" of lead per year [T-5] { when true action "年度" }
notice never "从不" [T-5] { when false action "无" }
flag marked "标记" of other [T-5] { when true action "内部" }
classify board "榜" of lead [T-6] {
  red "红" when count(r) >= 2
  yellow "黄" when count(r) >= 1
  green "绿" otherwise
}
quota q "任务" of lead per year [T-7] {
  require count(r) >= 1 "至少一条"
  require true "总是"
  action "提醒"
}
"#;
    let ruleset = ruleset("    bonus b \"加分\" [T-2] { per r amount 1 }", extra);
    let mut facts: Value = serde_json::from_str(TWO_GROUPS).unwrap();
    facts["periods"] = json!(["2026-03"]);
    let output = run(&ruleset, &facts);
    assert_eq!(
        notices(result(&output, "u", "2026-03")),
        ["board:green", "everyone", "lead_only"]
    );
    assert_eq!(
        notices(result(&output, "w", "2026-03")),
        ["everyone", "marked"]
    );
    assert_eq!(notices(result(&output, "u", "2026")), ["q", "yearly"]);
    assert_eq!(notices(result(&output, "w", "2026")), Vec::<String>::new());
    let quota = result(&output, "u", "2026")["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "q")
        .unwrap()
        .clone();
    assert_eq!(quota["detail"], "not met: 至少一条");

    // Records move the classification: the first arm that holds wins.
    facts["records"] = json!([record(json!({})), record(json!({}))]);
    let output = run(&ruleset, &facts);
    assert_eq!(
        notices(result(&output, "u", "2026-03")),
        ["board:red", "everyone", "lead_only"]
    );
    assert_eq!(notices(result(&output, "u", "2026")), ["yearly"]);
    facts["records"] = json!([record(json!({}))]);
    let output = run(&ruleset, &facts);
    assert_eq!(
        notices(result(&output, "u", "2026-03")),
        ["board:yellow", "everyone", "lead_only"]
    );
}

#[test]
fn per_record_notices_name_each_matching_record() {
    let extra = r#"
notice each "逐条" of lead [T-5] { per r where f action "督办" }
notice both "同时" of lead [T-5] { per r where f when unit.size > 3 action "督办" }
notice none "无" of lead [T-5] { per r where f when unit.size > 4 action "督办" }
"#;
    let ruleset = ruleset("    bonus b \"加分\" [T-2] { per r amount 0.5 }", extra);
    let output = run(
        &ruleset,
        &facts(vec![
            record(json!({"f": true, "name": "p"})),
            record(json!({"f": false, "name": "q"})),
            record(json!({"f": true, "name": "s"})),
        ]),
    );
    assert_eq!(
        notices(result(&output, "u", "2026-03")),
        ["both", "both", "each", "each"]
    );
    assert_eq!(total(&output, "u", "2026-03"), "1.5");
}

/// Four units ranked by one record's `x` per month.
fn ranked_run(condition: &str, months: &[[i64; 4]]) -> Value {
    let extra = format!("notice hit \"命中\" of lead [T-5] {{ when {condition} action \"通知\" }}");
    let ruleset = ruleset("    adjust v \"值\" [T-2] { per r amount x }", &extra);
    let units = ["a", "b", "c", "d"];
    let mut records = Vec::new();
    for (m, scores) in months.iter().enumerate() {
        for (unit, x) in units.iter().zip(scores) {
            let period = format!("2026-{:02}", m + 1);
            records.push(record(json!({
                "unit": unit, "period": period, "reported": format!("{period}-28"), "x": x
            })));
        }
    }
    run(
        &ruleset,
        &json!({
            "as_of": "2026-12-31",
            "units": units.iter().map(|u| json!({"id": u, "name": u, "group": "lead", "attributes": {"size": 1}})).collect::<Vec<_>>(),
            "records": records,
        }),
    )
}

/// The units that got the notice `hit` in `period`.
fn hit(output: &Value, period: &str) -> Vec<String> {
    ["a", "b", "c", "d"]
        .iter()
        .filter(|u| notices(result(output, u, period)).contains(&"hit".to_owned()))
        .map(|u| (*u).to_owned())
        .collect()
}

#[test]
fn ranked_top_and_bottom_n_for_k_periods() {
    // Jan: a 1st, b 2nd, c 3rd, d 4th; Feb: b 1st, a 2nd, d 3rd, c 4th.
    let months = [[40, 30, 20, 10], [30, 40, 10, 20]];
    let output = ranked_run("ranked top 1 for 1 consecutive periods in m", &months);
    assert_eq!(hit(&output, "2026-01"), ["a"]);
    assert_eq!(hit(&output, "2026-02"), ["b"]);
    let output = ranked_run("ranked top 2 for 1 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-01"), ["a", "b"]);
    let output = ranked_run("ranked bottom 1 for 1 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-01"), ["d"]);
    assert_eq!(hit(&output, "2026-02"), ["c"]);
    let output = ranked_run("ranked bottom 3 for 1 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-01"), ["b", "c", "d"]);
    // Two months running: top 2 both months a and b; bottom 2 both months c, d;
    // top 1 twice nobody; January has no earlier month.
    let output = ranked_run("ranked top 2 for 2 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-01"), Vec::<String>::new());
    assert_eq!(hit(&output, "2026-02"), ["a", "b"]);
    let output = ranked_run("ranked bottom 2 for 2 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-02"), ["c", "d"]);
    let output = ranked_run("ranked top 1 for 2 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-02"), Vec::<String>::new());
    let output = ranked_run("ranked bottom 4 for 2 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-02"), ["a", "b", "c", "d"]);
    let output = ranked_run("not ranked bottom 1 for 1 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-02"), ["a", "b", "d"]);
}

#[test]
fn ranked_with_a_tie_away_from_the_line() {
    // a and b tie for 1st (both rank 1), c 3rd, d 4th: the tie is wholly in
    // the top 2 and wholly outside the bottom 2, under any reading of ties.
    let months = [[40, 40, 20, 10]];
    let output = ranked_run("ranked top 2 for 1 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-01"), ["a", "b"]);
    let output = ranked_run("ranked bottom 2 for 1 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-01"), ["c", "d"]);
    let output = ranked_run("ranked top 1 for 1 consecutive periods", &months);
    assert_eq!(hit(&output, "2026-01"), ["a", "b"]);
}

// ------------------------------------------------------------------ rankings

/// Which results share their rank in an unresolved tie: the index
/// (`Evaluation::ties`, built once for tables) answers as the scan
/// (`Evaluation::is_tied`) does, for tied and untied units and for an
/// evaluation with no tie at all.
#[test]
fn the_tie_index_answers_as_the_scan() {
    let ruleset = ruleset("    adjust v \"值\" [T-2] { per r amount x }", "");
    for (scores, expected) in [
        ([10, 30, 30, 5], vec!["b", "c"]),
        ([10, 20, 30, 5], vec![]),
        ([7, 7, 7, 7], vec!["a", "b", "c", "d"]),
    ] {
        let units = ["a", "b", "c", "d"];
        let records: Vec<Value> = units
            .iter()
            .zip(scores)
            .map(|(u, x)| {
                record(json!({"unit": u, "period": "2026-01", "reported": "2026-01-28", "x": x}))
            })
            .collect();
        let facts = json!({
            "as_of": "2026-12-31",
            "units": units.iter().map(|u| json!({"id": u, "name": u, "group": "lead", "attributes": {"size": 1}})).collect::<Vec<_>>(),
            "records": records,
        });
        let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap();
        let evaluation = ruleset.evaluate(&facts).unwrap();
        let ties = evaluation.ties();
        let mut tied = Vec::new();
        for r in &evaluation.results {
            assert_eq!(
                ties.is_tied(r),
                evaluation.is_tied(r),
                "{scores:?} {}",
                r.unit
            );
            if r.period.to_string() == "2026-01" && ties.is_tied(r) {
                tied.push(r.unit.clone());
            }
        }
        assert_eq!(tied, expected, "{scores:?}");
    }
}

#[test]
fn rankings_order_by_their_keys_and_share_tied_ranks() {
    let output = ranked_run("false", &[[10, 30, 30, 5]]);
    let ranking = &output["rankings"][0];
    let entries: Vec<(String, u64, String, String)> = ranking["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["unit"].as_str().unwrap().to_owned(),
                e["rank"].as_u64().unwrap(),
                e["versus_above"].as_str().unwrap_or("-").to_owned(),
                e["versus_below"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("b", 1, "-", "tie"),
        ("c", 1, "tie", "total"),
        ("a", 3, "total", "total"),
        ("d", 4, "total", "-"),
    ];
    assert_eq!(entries.len(), expected.len());
    for (actual, expected) in entries.iter().zip(expected) {
        assert_eq!(
            (
                actual.0.as_str(),
                actual.1,
                actual.2.as_str(),
                actual.3.as_str()
            ),
            expected
        );
    }
    assert_eq!(ranking["unresolved_ties"], json!([["b", "c"]]));
    assert_eq!(result(&output, "a", "2026-01")["rank"], 3);
}

#[test]
fn ranking_keys_directions_absent_values_and_discretion() {
    let extra = "ranking second \"第二\" of lead [T-1] { by total asc by opt desc by discretion ties shared [T-1] }";
    let ruleset = ruleset("    adjust v \"值\" [T-2] { per r amount x }", extra);
    // (unit, total, opt)
    let units = [
        ("a", 5, Some(1)),
        ("b", 5, Some(3)),
        ("c", 5, None),
        ("d", 2, None),
        ("e", 9, Some(2)),
        ("f", 9, Some(2)),
        ("g", 9, Some(2)),
    ];
    let facts = json!({
        "as_of": "2026-04-30",
        "units": units.iter().map(|(id, _, opt)| {
            let mut attributes = json!({"size": 1});
            if let Some(opt) = opt {
                attributes["opt"] = json!(opt);
            }
            json!({"id": id, "name": id, "group": "lead", "attributes": attributes})
        }).collect::<Vec<_>>(),
        "records": units.iter().map(|(id, x, _)| record(json!({"unit": id, "x": x}))).collect::<Vec<_>>(),
        "discretion": {"2026-03": ["g"]},
    });
    let output = run(&ruleset, &facts);
    let entries = |name: &str| -> Vec<String> {
        let ranking = output["rankings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ranking"] == name)
            .unwrap();
        ranking["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {}",
                    e["rank"],
                    e["unit"].as_str().unwrap(),
                    e["versus_above"].as_str().unwrap_or("-"),
                    e["versus_below"].as_str().unwrap_or("-")
                )
            })
            .collect()
    };
    // Ascending total; then `opt` descending, absent last; then the office's order.
    assert_eq!(
        entries("second"),
        [
            "1 d - total",
            "2 b total opt",
            "3 a opt opt",
            "4 c opt total",
            "5 g total discretion",
            "6 e discretion tie",
            "6 f tie -",
        ]
    );
    // Descending total only: two tie groups, each reported unresolved.
    assert_eq!(
        entries("m"),
        [
            "1 e - tie",
            "1 f tie tie",
            "1 g tie total",
            "4 a total tie",
            "4 b tie tie",
            "4 c tie total",
            "7 d total -",
        ]
    );
    let ties = |name: &str| {
        output["rankings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ranking"] == name)
            .unwrap()["unresolved_ties"]
            .clone()
    };
    assert_eq!(ties("m"), json!([["e", "f", "g"], ["a", "b", "c"]]));
    assert_eq!(ties("second"), json!([["e", "f"]]));
    // A unit's rank is its rank in the first ranking.
    assert_eq!(result(&output, "d", "2026-03")["rank"], 7);
    assert_eq!(result(&output, "d", "2026-03")["ranking"], "m");
}

// ------------------------------------------------------------------ result helpers

fn evaluation(ruleset: &Ruleset, facts: &Value) -> kaohe::Evaluation {
    let facts = Facts::from_json(ruleset, &facts.to_string()).unwrap();
    ruleset.evaluate(&facts).unwrap()
}

#[test]
fn clauses_read_as_a_slice() {
    let ruleset = ruleset("    deduct d \"扣分\" [T-2, T-3] { per r amount 1 }", "");
    let evaluation = evaluation(&ruleset, &facts(vec![record(json!({}))]));
    let item = evaluation.results[0]
        .items
        .iter()
        .find(|i| i.rule.as_deref() == Some("d"))
        .unwrap();
    assert_eq!(item.clauses.len(), 2);
    assert_eq!(item.clauses.join(", "), "T-2, T-3");
    assert_eq!(&*item.clauses[0], "T-2");
    assert_eq!(
        item.clauses
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>(),
        ["T-2", "T-3"]
    );
}

#[test]
fn a_per_record_notice_describes_its_record() {
    let extra = "notice each \"逐条\" of lead [T-5] { per r where f action \"督办\" }";
    let ruleset = ruleset("    bonus b \"加分\" [T-2] { per r amount 1 }", extra);
    let output = run(
        &ruleset,
        &facts(vec![record(
            json!({"f": true, "name": "甲项", "x": "2.50", "t": "provincial"}),
        )]),
    );
    let notice = &result(&output, "u", "2026-03")["notices"][0];
    let detail = notice["detail"].as_str().unwrap();
    // The kind, the period, then every given attribute in name order.
    assert_eq!(
        detail,
        "r 2026-03: d=2026-03-10, f=true, g=false, name=甲项, of=0, rank=0, t=provincial, x=2.5, y=0"
    );
}

#[test]
fn a_limit_reads_as_raw_to_applied() {
    let rules = "    bonus b \"封顶\" [T-2] { per r amount x cap 5 per period }";
    let ruleset = ruleset(rules, "");
    let evaluation = evaluation(&ruleset, &facts(vec![record(json!({"x": "6.5"}))]));
    let item = evaluation.results[0]
        .items
        .iter()
        .find(|i| i.rule.as_deref() == Some("b"))
        .unwrap();
    let limit = &item.limits[0];
    assert_eq!(limit.to_string(), format!("{}: 6.5 → 5", limit.limit));
    assert!(limit.limit.contains("cap 5"), "{}", limit.limit);
}

#[test]
fn is_tied_looks_at_the_units_own_ranking_and_period() {
    let extra =
        "ranking second \"第二\" of lead [T-1] { by total asc by size desc ties shared [T-1] }";
    let ruleset = ruleset("    adjust v \"值\" [T-2] { per r amount x }", extra);
    // January: a and b tie in `m` (and in `second`); c alone. February: nobody ties.
    let units = ["a", "b", "c"];
    let scores = [("2026-01", [5, 5, 1]), ("2026-02", [1, 2, 3])];
    let mut records = Vec::new();
    for (period, xs) in scores {
        for (unit, x) in units.iter().zip(xs) {
            records.push(record(json!({
                "unit": unit, "period": period, "reported": format!("{period}-28"), "x": x
            })));
        }
    }
    let sizes = [1, 2, 3];
    let facts = json!({
        "as_of": "2026-04-30",
        "units": units.iter().zip(sizes).map(|(u, s)| json!({"id": u, "name": format!("单位{u}"), "group": "lead", "attributes": {"size": s}})).collect::<Vec<_>>(),
        "records": records,
    });
    let evaluation = evaluation(&ruleset, &facts);
    let tied = |unit: &str, period: &str| {
        let r = evaluation
            .results
            .iter()
            .find(|r| r.unit == unit && r.period.to_string() == period)
            .unwrap();
        evaluation.is_tied(r)
    };
    // In `second` (total asc, then size desc) January's a and b are separated by size.
    assert!(tied("a", "2026-01"));
    assert!(tied("b", "2026-01"));
    assert!(!tied("c", "2026-01"));
    assert!(!tied("a", "2026-02"));
    assert!(!tied("b", "2026-02"));
}

#[test]
fn select_keeps_a_period_a_year_or_a_unit() {
    use kaohe::eval::result::Selection;
    use kaohe::Period;
    // A sealing variant of the template: records reported after the seal are rejected.
    let text = TEMPLATE
        .replace("{RULES}", "    adjust v \"值\" [T-2] { per r amount x }")
        .replace("{EXTRA}", "annual [T-9] { from sum of periods [T-9] }")
        .replace(
            "period month [T-1] { amendable [T-1] }",
            "period month [T-1] { seal 5 days after end [T-1] }",
        );
    let ruleset = Ruleset::from_source(SourceFile::new("sealed.rules", text)).unwrap();
    let facts = json!({
        "as_of": "2026-04-30",
        "units": [
            {"id": "a", "name": "甲", "group": "lead", "attributes": {"size": 1}},
            {"id": "b", "name": "乙", "group": "lead", "attributes": {"size": 2}}
        ],
        "records": [
            record(json!({"unit": "a", "period": "2026-01", "reported": "2026-01-20", "x": 1})),
            record(json!({"unit": "b", "period": "2026-01", "reported": "2026-01-20", "x": 2})),
            record(json!({"unit": "a", "period": "2026-02", "reported": "2026-02-20", "x": 3})),
            record(json!({"unit": "b", "period": "2026-02", "reported": "2026-02-20", "x": 4})),
            // Late: after the seal of January (2026-02-05) and of February (2026-03-05).
            record(json!({"unit": "a", "period": "2026-01", "reported": "2026-02-10", "x": 9})),
            record(json!({"unit": "b", "period": "2026-02", "reported": "2026-03-10", "x": 9})),
        ],
    });
    let whole = evaluation(&ruleset, &facts);
    assert_eq!(whole.rejected.len(), 2);
    let summary = |e: &kaohe::Evaluation| {
        let periods: Vec<String> = e.periods.iter().map(ToString::to_string).collect();
        let mut results: Vec<String> = e
            .results
            .iter()
            .map(|r| format!("{}@{}", r.unit, r.period))
            .collect();
        // In unit order within a period (the output orders them by rank).
        results.sort_by_key(|r| (r.len() < 9, r.clone()));
        let rankings: Vec<String> = e.rankings.iter().map(|r| r.period.to_string()).collect();
        let rejected: Vec<String> = e
            .rejected
            .iter()
            .map(|r| format!("{}@{}", r.unit, r.record.period))
            .collect();
        format!(
            "periods {} | results {} | rankings {} | rejected {}",
            periods.join(" "),
            results.join(" "),
            rankings.join(" "),
            rejected.join(" ")
        )
    };
    let select = |period: Option<&str>, unit: Option<&str>| {
        summary(&whole.clone().select(&Selection {
            period: period.map(|p| p.parse::<Period>().unwrap()),
            unit: unit.map(str::to_owned),
        }))
    };
    assert_eq!(
        select(Some("2026-01"), None),
        "periods 2026-01 | results a@2026-01 b@2026-01 | rankings 2026-01 | rejected a@2026-01"
    );
    assert_eq!(
        select(Some("2026-02"), Some("b")),
        "periods 2026-02 | results b@2026-02 | rankings 2026-02 | rejected b@2026-02"
    );
    // By name; a year keeps the annual results and that year's rejected records.
    assert_eq!(
        select(Some("2026"), Some("甲")),
        "periods 2026 | results a@2026 | rankings  | rejected a@2026-01"
    );
    assert_eq!(
        select(None, Some("b")),
        "periods 2026-01 2026-02 2026 | results b@2026-01 b@2026-02 b@2026 | rankings 2026-01 2026-02 | rejected b@2026-02"
    );
    assert_eq!(select(None, None), summary(&whole));
}

// ------------------------------------------------------------------ line items

/// The line item of `rule` in the result of `u` in March.
fn item<'a>(output: &'a Value, rule: &str) -> &'a Value {
    result(output, "u", "2026-03")["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == rule)
        .unwrap_or_else(|| panic!("no item of `{rule}`:\n{output:#}"))
}

#[test]
fn once_per_keeps_the_highest_whatever_the_record_order() {
    let rules = "    bonus b \"一次\" [T-2] { per r amount x once per name keep highest }";
    // The highest first in every order the engine could sort by (reported, d, x).
    let records = vec![
        record(json!({"name": "a", "x": 3, "d": "2026-03-01", "reported": "2026-03-01"})),
        record(json!({"name": "a", "x": 1, "d": "2026-03-20", "reported": "2026-03-20"})),
        record(json!({"name": "b", "x": 1, "d": "2026-03-01", "reported": "2026-03-01"})),
        record(json!({"name": "b", "x": 2, "d": "2026-03-20", "reported": "2026-03-20"})),
    ];
    assert_eq!(march(rules, records), "5");
    // The kept record counts once, whatever its count.
    let records = vec![
        record(json!({"name": "a", "x": 3, "count": 3})),
        record(json!({"name": "a", "x": 1})),
    ];
    let output = run(&ruleset(rules, ""), &facts(records));
    assert_eq!(total(&output, "u", "2026-03"), "3");
    assert_eq!(item(&output, "b")["count"], 1);
}

#[test]
fn an_adjust_rule_splits_into_a_bonus_and_a_deduction() {
    let rules = "    adjust v \"加减\" [T-2] { per r amount x }";
    let output = run(
        &ruleset(rules, ""),
        &facts(vec![
            record(json!({"x": 3})),
            record(json!({"x": -2, "name": "b"})),
            record(json!({"x": 0, "name": "c"})),
        ]),
    );
    let items: Vec<String> = result(&output, "u", "2026-03")["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{} {} {}",
                i["kind"].as_str().unwrap(),
                i["amount"].as_str().unwrap(),
                i["count"]
            )
        })
        .collect();
    // Zero counts on the bonus side (not below zero).
    assert_eq!(items, ["base 0 0", "adjustment 3 2", "adjustment -2 1"]);
    let category = &result(&output, "u", "2026-03")["categories"][0];
    assert_eq!(category["bonuses"], "3");
    assert_eq!(category["deductions"], "2");
}

#[test]
fn signs_of_deductions_in_records_and_limits() {
    let rules = "    deduct d \"扣分\" [T-2] { per r amount x cap 5 }";
    let output = run(
        &ruleset(rules, ""),
        &facts(vec![
            record(json!({"x": 2})),
            record(json!({"x": 6, "name": "b"})),
        ]),
    );
    let d = item(&output, "d");
    assert_eq!(d["raw"], "-8");
    assert_eq!(d["amount"], "-5");
    let amounts: Vec<&str> = d["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["-2", "-6"]);
    assert_eq!(d["limits"][0]["limit"], "cap 5 per period");
    assert_eq!(d["limits"][0]["raw"], "-8");
    assert_eq!(d["limits"][0]["applied"], "-5");
    // A bonus's records and limits are positive.
    let rules = "    bonus b \"加分\" [T-2] { per r amount x cap 5 per year }";
    let output = run(
        &ruleset(rules, ""),
        &facts(vec![
            record(json!({"x": 2})),
            record(json!({"x": 6, "name": "b"})),
        ]),
    );
    let b = item(&output, "b");
    assert_eq!(b["records"][1]["amount"], "6");
    assert_eq!(b["limits"][0]["limit"], "cap 5 per year");
    assert_eq!(b["limits"][0]["raw"], "8");
}

#[test]
fn a_floor_binds_only_past_the_allotment() {
    let text = TEMPLATE
        .replace(
            "{RULES}",
            "    allot 10\n    floor 0 [T-4]\n    deduct d \"扣分\" [T-2] { per r amount x }",
        )
        .replace("{EXTRA}", "")
        .replace("base 0 [T-1]", "base 10 [T-1]");
    let ruleset = Ruleset::from_source(SourceFile::new("floor.rules", text)).unwrap();
    // Exactly the allotment: the floor does not bind, no floor line.
    let output = run(&ruleset, &facts(vec![record(json!({"x": 10}))]));
    assert_eq!(total(&output, "u", "2026-03"), "0");
    let kinds: Vec<&str> = result(&output, "u", "2026-03")["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["base", "deduction"]);
    // Past it: 12 → 10, the floor gives back 2; its raw is the deductions, negative.
    let output = run(&ruleset, &facts(vec![record(json!({"x": 12}))]));
    assert_eq!(total(&output, "u", "2026-03"), "0");
    let floor = result(&output, "u", "2026-03")["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "floor")
        .unwrap()
        .clone();
    assert_eq!(floor["raw"], "-12");
    assert_eq!(floor["amount"], "2");
    assert_eq!(floor["limits"][0]["limit"], "floor 0 (allot 10)");
    assert_eq!(floor["limits"][0]["applied"], "-10");
}

#[test]
fn a_multiplier_is_noted_on_its_record() {
    let rules = "    deduct d \"扣分\" [T-2] { per r amount 2 times 3 when f [T-6] }";
    let output = run(
        &ruleset(rules, ""),
        &facts(vec![
            record(json!({"f": true})),
            record(json!({"name": "b"})),
        ]),
    );
    let d = item(&output, "d");
    let notes = |f: bool| {
        d["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["record"]["attributes"]["f"] == f)
            .unwrap()["notes"]
            .clone()
    };
    assert_eq!(notes(true), json!(["× 3 [T-6]"]));
    assert!(
        notes(false).as_array().is_none_or(|n| n.is_empty()),
        "{}",
        notes(false)
    );
}

#[test]
fn a_computed_bonus_may_be_zero_but_not_negative() {
    let rules = "    bonus b \"加分\" [T-2] { per r amount x }";
    assert_eq!(march(rules, vec![record(json!({"x": 0}))]), "0");
    let message = run_err(&ruleset(rules, ""), &facts(vec![record(json!({"x": -1}))]));
    assert!(message.contains("negative amount"), "{message}");
}

#[test]
fn a_cap_per_period_does_not_use_up_a_cap_per_year() {
    let rules = "    bonus b \"双封顶\" [T-2] { per r amount 3 cap 5 per period cap 7 per year }";
    let month = |m: u32| {
        record(json!({"period": format!("2026-{m:02}"), "reported": format!("2026-{m:02}-28")}))
    };
    let output = run(
        &ruleset(rules, ""),
        &facts(vec![month(1), month(2), month(3)]),
    );
    // 3, 3, then 1 left of 7: the per-period cap (never binding here) counts nothing.
    assert_eq!(total(&output, "u", "2026-01"), "3");
    assert_eq!(total(&output, "u", "2026-02"), "3");
    assert_eq!(total(&output, "u", "2026-03"), "1");
}

// ------------------------------------------------------------------ bands and steps (issue 13 §4, §7)

#[test]
fn bands_take_the_first_band_that_holds_else_the_else_value() {
    let upto = "bands(x, upto 3: 7, upto 6: 5, upto 10: 3)";
    for (x, expected) in [
        (1, "7"),
        (3, "7"),
        (4, "5"),
        (6, "5"),
        (7, "3"),
        (10, "3"),
        (11, "0"),
    ] {
        assert_number(upto, json!({ "x": x }), expected);
    }
    let from = "bands(x, from 95: 5, from 90: 3, else: -1)";
    for (x, expected) in [
        ("100", "5"),
        ("95", "5"),
        ("94.99", "3"),
        ("90", "3"),
        ("89.5", "-1"),
    ] {
        assert_number(from, json!({ "x": x }), expected);
    }
}

#[test]
fn steps_count_whole_steps_and_nothing_below_zero() {
    for (x, size, expected) in [
        ("65", "20", "3"),
        ("60", "20", "3"),
        ("59.99", "20", "2"),
        ("0", "20", "0"),
        ("-5", "20", "0"),
        ("1", "0.3", "3"),
    ] {
        assert_number(&format!("steps(x, {size})"), json!({ "x": x }), expected);
    }
    let rules = "    adjust v \"值\" [T-2] { per r amount steps(x, y) }";
    let message = run_err(
        &ruleset(rules, ""),
        &facts(vec![record(json!({"x": 5, "y": -1}))]),
    );
    assert!(message.contains("step size"), "{message}");
}

// ------------------------------------------------------------------ this. and in previous N periods (issue 13 §5)

#[test]
fn this_names_the_scored_record_inside_count() {
    // Two records named `a` and one `b` in March: for each, how many records
    // share its name (itself included): a → 2, a → 2, b → 1; total 5.
    let rules = "    adjust v \"值\" [T-2] { per r amount count(r where name == this.name) }";
    // An aggregate over the rule's own kind in an amount is refused
    // (count_in_amount); in a condition it is allowed.
    assert!(Ruleset::from_source(SourceFile::new(
        "semantics.rules",
        TEMPLATE.replace("{RULES}", rules).replace("{EXTRA}", "")
    ))
    .is_err());
    let rules =
        "    bonus w \"重复\" [T-2] { per r where count(r where name == this.name) >= 2 amount 1 }";
    let output = run(
        &ruleset(rules, ""),
        &facts(vec![
            record(json!({"name": "a"})),
            record(json!({"name": "a", "x": 1})),
            record(json!({"name": "b"})),
        ]),
    );
    assert_eq!(total(&output, "u", "2026-03"), "2");
}

#[test]
fn in_previous_periods_reads_the_periods_before_only() {
    // A record in January and one in March with the same name: in March the
    // January one is within 2 previous periods (February, January), not 1.
    for (window, expected) in [(1, "0"), (2, "1"), (3, "1")] {
        let rules = format!(
            "    bonus w \"再次\" [T-2] {{ per r where count(r where name == this.name in previous {window} periods) >= 1 amount 1 }}"
        );
        let output = run(
            &ruleset(&rules, ""),
            &facts(vec![
                record(json!({"period": "2026-01", "reported": "2026-01-31"})),
                record(json!({})),
            ]),
        );
        assert_eq!(total(&output, "u", "2026-03"), expected, "window {window}");
        assert_eq!(total(&output, "u", "2026-01"), "0");
    }
}

/// A place outside 1..=ranked (rank 0: not ranked; a rank past the number
/// ranked) is in no band, whichever side and reading of ties; every place
/// inside is in exactly the band its rank gives.
#[test]
fn a_place_outside_the_ranking_is_in_no_band() {
    use kaohe::eval::in_rank_band;
    use kaohe::syntax::ast::{RankSide, TieBand};
    for side in [RankSide::Top, RankSide::Bottom] {
        for ties in [TieBand::PublishedRank, TieBand::Straddling] {
            for places in [1, 3, 5, 6] {
                assert!(!in_rank_band(side, places, 0, 1, 5, ties));
                assert!(!in_rank_band(side, places, 6, 1, 5, ties));
                assert!(!in_rank_band(side, places, 9, 2, 5, ties));
            }
        }
    }
    // Inside: 5 ranked, untied.
    let top: Vec<u32> = (1..=5)
        .filter(|&r| in_rank_band(RankSide::Top, 2, r, 1, 5, TieBand::PublishedRank))
        .collect();
    assert_eq!(top, [1, 2]);
    let bottom: Vec<u32> = (1..=5)
        .filter(|&r| in_rank_band(RankSide::Bottom, 2, r, 1, 5, TieBand::PublishedRank))
        .collect();
    assert_eq!(bottom, [4, 5]);
}

/// A ladder issues its highest step reached and says which lower steps were
/// reached and not issued; with one step reached it says nothing of others.
#[test]
fn a_ladder_names_the_lower_steps_it_reached() {
    let ruleset = ruleset(
        "    adjust v \"值\" [T-2] { per r amount x }",
        "notice acc \"问责\" of lead [T-5] {\n  step interview \"约谈\" when count(r) >= 1\n  step criticise \"通报\" when count(r) >= 2\n  step disqualify \"取消评优\" when count(r) >= 3\n}",
    );
    let detail = |n: usize| {
        let records = (0..n)
            .map(|i| record(json!({"name": format!("r{i}")})))
            .collect();
        let output = run(&ruleset, &facts(records));
        let notices = result(&output, "u", "2026-03")["notices"].clone();
        let notices = notices.as_array().unwrap().clone();
        assert_eq!(notices.len(), 1, "{n}: {notices:?}");
        notices[0]["detail"].as_str().unwrap().to_owned()
    };
    let one = detail(1);
    assert!(one.contains("step 1 of 3"), "{one}");
    assert!(!one.contains("also reached"), "{one}");
    let three = detail(3);
    assert!(three.contains(
            "also reached, not issued (only the highest step applies): criticise \"通报\", interview \"约谈\""
        ),
        "{three}");
}
