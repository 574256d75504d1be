#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Evaluation features `expr_semantics.rs` leaves out, each against values
//! computed by hand, through the public API (a ruleset as text, facts as
//! JSON, the JSON output read back): measures and their peer functions
//! (issue 13 §4), the converted annual score keeping its declared places, and
//! the working of an amount (issue 13 §16: the formula as written and with its
//! values). Written for the eval/ mutants the sampled mutation run of issue 12
//! §8 found missed (docs/testing.md, "Mutation testing").

use kaohe::{Facts, Ruleset, SourceFile};

#[path = "../../../tests/inputs/sub-assessment/fixture.rs"]
mod fixture;
use serde_json::{json, Value};

const TEMPLATE: &str = r#"
ruleset eval_semantics {
  title "求值语义" issuer "测试" source "测试细则"
  effective 2026-01-01 to 2026-12-31
}
group lead "牵头单位" [T-1] {}
group empty "无单位" [T-1] {}
record r "记录" {
  key name
  name: text "名称"
  x: decimal "x"
  f: bool "f"
}
period month [T-1] { amendable [T-1] }
measure m "度量" of lead [T-1] = sum(r, x)
measure nobody "无人" of empty [T-1] = sum(r, x)
score [T-1] {
  base 0 [T-1]
  category c "类别" [T-1] {
{RULES}
  }
}
ranking rk "月度排名" of lead [T-1] { by total desc ties shared [T-1] }
{EXTRA}
"#;

fn ruleset(rules: &str, extra: &str) -> Ruleset {
    let text = TEMPLATE.replace("{RULES}", rules).replace("{EXTRA}", extra);
    Ruleset::from_source(SourceFile::new("eval.rules", text))
        .unwrap_or_else(|e| panic!("the ruleset is refused:\n{e:?}\n{rules}\n{extra}"))
}

/// Units `a`, `b`, `c` of `lead` with records of `x` (one record each value)
/// in March 2026, and the same in February when `february` says so.
fn facts(xs: &[(&str, &[&str])], february: bool) -> Value {
    let mut records = Vec::new();
    for (unit, values) in xs {
        for (i, x) in values.iter().enumerate() {
            let mut periods = vec!["2026-03"];
            if february {
                periods.push("2026-02");
            }
            for period in periods {
                records.push(json!({
                    "unit": unit, "period": period, "kind": "r",
                    "reported": format!("{period}-20"),
                    "attributes": {"name": format!("{unit}{i}"), "x": serde_json::from_str::<Value>(x).unwrap(), "f": i == 0}
                }));
            }
        }
    }
    json!({
        "as_of": "2026-12-31",
        "units": xs.iter().map(|(id, _)| json!({"id": id, "name": id, "group": "lead", "attributes": {}})).collect::<Vec<_>>(),
        "records": records,
    })
}

fn run(ruleset: &Ruleset, facts: &Value) -> Value {
    let facts = Facts::from_json(ruleset, &facts.to_string())
        .unwrap_or_else(|e| panic!("the facts are refused: {e}\n{facts:#}"));
    let evaluation = ruleset
        .evaluate(&facts)
        .unwrap_or_else(|e| panic!("evaluation failed: {e}"));
    serde_json::from_str(&evaluation.to_json()).unwrap()
}

/// The result of `unit` in `period`.
fn result<'a>(output: &'a Value, unit: &str, period: &str) -> &'a Value {
    output["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == unit && r["period"] == period)
        .unwrap_or_else(|| panic!("no result for {unit} in {period}"))
}

/// Each unit's total in March under the one bonus `amount {amount}`.
fn totals(amount: &str, xs: &[(&str, &[&str])]) -> Vec<String> {
    let ruleset = ruleset(
        &format!("    bonus b \"b\" [T-1] {{ amount {amount} }}"),
        "",
    );
    let output = run(&ruleset, &facts(xs, false));
    xs.iter()
        .map(|(unit, _)| {
            result(&output, unit, "2026-03")["total"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

// m = sum(r, x): a 1 + 2 = 3, b 5, c 4.
const UNITS: &[(&str, &[&str])] = &[("a", &["1", "2"]), ("b", &["5"]), ("c", &["4"])];

#[test]
fn measures_and_their_peers_against_hand_computed_values() {
    for (amount, expected) in [
        ("measure(m)", ["3", "5", "4"]),
        // Highest first: b 1st, c 2nd, a 3rd.
        ("place(m)", ["3", "1", "2"]),
        ("peer_max(m)", ["5", "5", "5"]),
        ("peer_min(m)", ["3", "3", "3"]),
        ("peer_sum(m)", ["12", "12", "12"]),
        ("peer_count(m)", ["3", "3", "3"]),
        ("peer_average(m)", ["4", "4", "4"]),
        ("peer_max(m) - measure(m)", ["2", "0", "1"]),
        ("peer_count(nobody)", ["0", "0", "0"]),
    ] {
        assert_eq!(totals(amount, UNITS), expected, "{amount}");
    }
    // Tied values share a place; the next place counts the units above.
    assert_eq!(
        totals("place(m)", &[("a", &["3"]), ("b", &["5"]), ("c", &["3"])]),
        ["2", "1", "2"]
    );
    // Peers of a measure whose group has no unit: an evaluation error.
    for function in ["peer_max", "peer_min", "peer_average"] {
        let ruleset = ruleset(
            &format!("    bonus b \"b\" [T-1] {{ amount {function}(nobody) }}"),
            "",
        );
        let facts = Facts::from_json(&ruleset, &facts(UNITS, false).to_string()).unwrap();
        let error = ruleset.evaluate(&facts).unwrap_err().to_string();
        assert!(
            error.contains("measure `nobody` has no unit to compare with"),
            "{function}: {error}"
        );
    }
}

#[test]
fn each_result_lists_its_measures_with_place_and_peers() {
    let output = run(
        &ruleset("    bonus b \"b\" [T-1] { amount 1 }", ""),
        &facts(UNITS, false),
    );
    for (unit, value, place) in [("a", "3", 3), ("b", "5", 1), ("c", "4", 2)] {
        let measures = result(&output, unit, "2026-03")["measures"]
            .as_array()
            .unwrap();
        let m = measures.iter().find(|m| m["measure"] == "m").unwrap();
        assert_eq!(m["value"], value, "{unit}");
        assert_eq!(m["place"], place, "{unit}");
        assert_eq!(m["of"], 3, "{unit}");
        assert_eq!(m["peer_max"], "5", "{unit}");
        assert_eq!(m["peer_average"], "4", "{unit}");
        // The measure of a group with no unit has no place to show.
        assert!(!measures.iter().any(|m| m["measure"] == "nobody"), "{unit}");
    }
}

#[test]
fn the_working_of_an_amount_shows_it_as_written_and_with_its_values() {
    // Unit a, March: records x = 1 (f) and x = 2 (not f); February the same.
    for (amount, written, values, value) in [
        ("count(r where f)", "count(r where f)", "1", "1"),
        ("sum(r, x where f)", "sum(r, x where f)", "1", "1"),
        (
            "count(r in previous 1 periods)",
            "count(r in previous 1 periods)",
            "2",
            "2",
        ),
        (
            "sum(r, x where not f in previous 1 periods)",
            "sum(r, x where not f in previous 1 periods)",
            "2",
            "2",
        ),
        ("2 * count(r) - 1", "(2 * count(r)) - 1", "(2 * 2) - 1", "3"),
        (
            "min(3, sum(r, x)) / 2",
            "min(3, sum(r, x)) / 2",
            "min(3, 3) / 2",
            "1.5",
        ),
        (
            "if count(r) > 1 then 1 else 0",
            "if count(r) > 1 then 1 else 0",
            "if 2 > 1 then 1 else 0",
            "1",
        ),
    ] {
        let ruleset = ruleset(
            &format!("    bonus b \"b\" [T-1] {{ amount {amount} }}"),
            "",
        );
        let output = run(&ruleset, &facts(&[("a", &["1", "2"]), ("b", &["5"])], true));
        let item = &result(&output, "a", "2026-03")["items"][1];
        assert_eq!(item["rule"], "b");
        assert_eq!(
            item["formula"],
            json!({"written": written, "values": values, "result": value}),
            "{amount}"
        );
    }
}

/// A working as text (what `rulec … --explain` prints): as written, then
/// with its values where they differ, then its value; a quotient that does
/// not terminate shown with `≈`.
#[test]
fn the_working_as_text_joins_written_values_and_value() {
    for (amount, expected) in [
        ("count(r) + 1", "count(r) + 1 = 2 + 1 = 3"),
        ("7", ""),
        (
            "min(3, sum(r, x)) / 2",
            "min(3, sum(r, x)) / 2 = min(3, 3) / 2 = 1.5",
        ),
        ("1 + 2", "1 + 2 = 3"),
        ("count(r) / 3", "count(r) / 3 = 2 / 3 = ≈"),
    ] {
        let ruleset = ruleset(
            &format!("    bonus b \"b\" [T-1] {{ amount {amount} }}"),
            "",
        );
        let facts = Facts::from_json(
            &ruleset,
            &facts(&[("a", &["1", "2"]), ("b", &["5"])], true).to_string(),
        )
        .unwrap();
        let evaluation = ruleset.evaluate(&facts).unwrap();
        let item = evaluation
            .results
            .iter()
            .find(|r| r.unit == "a" && r.period.to_string() == "2026-03")
            .unwrap()
            .items
            .iter()
            .find(|i| i.rule.as_deref() == Some("b"))
            .unwrap();
        match &item.formula {
            None => assert_eq!(expected, "", "{amount}"),
            Some(formula) => {
                let text = formula.to_string();
                assert!(text.starts_with(expected), "{amount}: {text}");
                assert!(!expected.is_empty(), "{amount}: {text}");
            }
        }
    }
}

#[test]
fn the_converted_score_keeps_its_declared_places() {
    // Annual total 95 (a's x summed over March); × 10 / 100 = 9.5, shown
    // with the 2 places `round 2` declares.
    let ruleset = ruleset(
        "    bonus b \"b\" [T-1] { per r amount x }",
        "annual [T-1] {\n  from sum of periods [T-1]\n  convert weight 10 round 2 half_up [T-1]\n}",
    );
    let output = run(
        &ruleset,
        &facts(&[("a", &["95"]), ("b", &["3.333"])], false),
    );
    let a = result(&output, "a", "2026");
    assert_eq!(a["total"], "95");
    assert_eq!(a["converted"], "9.50");
    // 0.3333 rounded half up to 2 places.
    assert_eq!(result(&output, "b", "2026")["converted"], "0.33");
}

#[test]
fn a_line_names_the_inputs_its_rule_reads_in_the_amount_alone() {
    let sub_json = fixture::petition("examples/petition-2026-05.json");
    let main_text = fixture::file("main.rules");
    let from = "      when petition.rank == 1\n      amount 1\n";
    assert!(main_text.contains(from));
    // The first's bonus reads `petition` only in its amount.
    let main = Ruleset::from_source(SourceFile::new(
        "main.rules",
        main_text.replace(from, "      amount if petition.rank == 1 then 1 else 0\n"),
    ))
    .unwrap();
    let supplied: std::collections::BTreeMap<String, Value> =
        [("petition".to_owned(), sub_json)].into_iter().collect();
    let inputs = kaohe::input::Inputs::from_json(&main, &supplied).unwrap();
    let facts = Facts::from_json(&main, &fixture::file("examples/main-2026-05.json")).unwrap();
    let evaluation = main
        .evaluate_with_inputs(&facts, &kaohe::EvalOptions::default(), &inputs)
        .unwrap();
    let first = &evaluation.results[0];
    assert_eq!(first.unit.to_string(), "t1");
    assert_eq!(first.total.to_string(), "101");
    let line = first
        .items
        .iter()
        .find(|i| i.rule.as_deref() == Some("petition_first"))
        .unwrap();
    let read: Vec<&str> = line.inputs.iter().map(|t| t.as_str()).collect();
    assert_eq!(read, ["petition"]);
}

#[test]
fn ties_straddling_looks_at_the_places_each_tie_group_occupies() {
    // One period; `x` is the total. The bottom 2 of n units.
    let rules = "    bonus b \"b\" [T-1] { per r amount x }";
    let notice = |ties: &str| {
        format!(
            "notice warning \"预警\" of lead [T-1] {{\n  when ranked bottom 2 for 1 consecutive periods in rk{ties}\n  action \"预警\"\n}}"
        )
    };
    let warned = |ties: &str, xs: &[(&str, &[&str])]| -> Vec<String> {
        let output = run(&ruleset(rules, &notice(ties)), &facts(xs, false));
        xs.iter()
            .filter(|(unit, _)| {
                result(&output, unit, "2026-03")["notices"]
                    .as_array()
                    .is_some_and(|n| n.iter().any(|n| n["name"] == "warning"))
            })
            .map(|(unit, _)| (*unit).to_owned())
            .collect()
    };
    // No ties: ranks 1 2 3 4 5; either reading warns the last two.
    let distinct: &[(&str, &[&str])] = &[
        ("a", &["5"]),
        ("b", &["4"]),
        ("c", &["3"]),
        ("d", &["2"]),
        ("e", &["1"]),
    ];
    assert_eq!(warned("", distinct), ["d", "e"]);
    assert_eq!(warned(" ties straddling", distinct), ["d", "e"]);
    // Ranks 1 2 3 3 5: the tie c/d occupies places 3–4. The published rank 3
    // is above the line (5 − 2 + 1 = 4), so by default only e; straddling,
    // the tie reaches place 4, so c, d and e.
    let tied: &[(&str, &[&str])] = &[
        ("a", &["5"]),
        ("b", &["4"]),
        ("c", &["2"]),
        ("d", &["2"]),
        ("e", &["1"]),
    ];
    assert_eq!(warned("", tied), ["e"]);
    assert_eq!(warned(" ties straddling", tied), ["c", "d", "e"]);
    // Ranks 1 1 3 4 5: a tie at the top changes nothing at the bottom.
    let top: &[(&str, &[&str])] = &[
        ("a", &["5"]),
        ("b", &["5"]),
        ("c", &["3"]),
        ("d", &["2"]),
        ("e", &["1"]),
    ];
    assert_eq!(warned(" ties straddling", top), ["d", "e"]);
}

#[test]
fn a_unit_a_ranking_leaves_out_is_told_which_condition_and_its_values() {
    let extra = "ranking busy \"忙碌排名\" of lead [T-1] {\n  by total desc [T-1]\n  only when count(r) > 1 [T-1]\n  ties shared [T-1]\n}";
    let output = run(
        &ruleset("    bonus b \"b\" [T-1] { per r amount x }", extra),
        &facts(&[("a", &["1", "2"]), ("b", &["5"])], false),
    );
    // a has two records: ranked. b has one: left out, with the working.
    assert_eq!(result(&output, "a", "2026-03")["not_ranked"], Value::Null);
    let left_out = &result(&output, "b", "2026-03")["not_ranked"];
    assert_eq!(left_out[0]["ranking"], "busy", "{left_out}");
    assert_eq!(left_out[0]["condition"], "count(r) > 1", "{left_out}");
    assert_eq!(left_out[0]["values"], "1 > 1", "{left_out}");
}

#[test]
fn a_unit_not_of_a_measures_group_has_no_value_or_place_in_it() {
    let mut facts = facts(&[("a", &["1"]), ("b", &["2"])], false);
    facts["units"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "z", "name": "z", "group": "empty", "attributes": {}}));
    for amount in ["measure(m)", "place(m)"] {
        let rules = format!("    bonus b \"b\" [T-1] {{ when {amount} > 0  amount 1 }}");
        let output = run(&ruleset(&rules, ""), &facts);
        let totals: Vec<&str> = ["a", "b", "z"]
            .iter()
            .map(|u| result(&output, u, "2026-03")["total"].as_str().unwrap())
            .collect();
        // z's value is absent, and a comparison with nothing is false.
        assert_eq!(totals, ["1", "1", "0"], "{amount}");
    }
}

#[test]
fn clauses_of_rankings_and_measures_as_cited() {
    // A ranking cites its own clause, its keys', `ties shared`'s and `only
    // when`'s: all of them, in order, without repeats.
    let extra = "ranking cited \"排名\" of lead [T-1] {\n  only when count(r) > 0 [T-4]\n  by total desc [T-2]\n  ties shared [T-1, T-3]\n}";
    let output = run(
        &ruleset("    bonus b \"b\" [T-1] { per r amount x }", extra),
        &facts(UNITS, false),
    );
    let ranking = output["rankings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ranking"] == "cited")
        .unwrap();
    assert_eq!(ranking["clauses"], json!(["T-1", "T-2", "T-3", "T-4"]));
    // A measure citing nothing shows no `clauses`; one citing shows them.
    let text = TEMPLATE
        .replace("{RULES}", "    bonus b \"b\" [T-1] { amount 1 }")
        .replace("{EXTRA}", "")
        .replace(
            "measure m \"度量\" of lead [T-1] = sum(r, x)",
            "measure m \"度量\" of lead = sum(r, x)",
        );
    let uncited = Ruleset::from_source(SourceFile::new("eval.rules", text)).unwrap();
    for (ruleset, clauses) in [
        (&uncited, Value::Null),
        (
            &ruleset("    bonus b \"b\" [T-1] { amount 1 }", ""),
            json!(["T-1"]),
        ),
    ] {
        let output = run(ruleset, &facts(UNITS, false));
        let measures = result(&output, "a", "2026-03")["measures"]
            .as_array()
            .unwrap()
            .clone();
        let m = measures.iter().find(|m| m["measure"] == "m").unwrap();
        assert_eq!(m["clauses"], clauses, "{m}");
    }
}

#[test]
fn lines_and_categories_carry_their_labels() {
    let output = run(
        &ruleset("    bonus b \"报送加分\" [T-1] { per r amount x }", ""),
        &facts(UNITS, false),
    );
    let a = result(&output, "a", "2026-03");
    assert_eq!(a["items"][1]["rule"], "b");
    assert_eq!(a["items"][1]["label"], "报送加分");
    assert_eq!(a["categories"][0]["category"], "c");
    assert_eq!(a["categories"][0]["label"], "类别");
}

#[test]
fn a_single_number_has_no_working_an_expression_has() {
    // (Written for a miss of the second fresh mutation shard: a constant
    // amount would repeat itself as its own working.)
    for (amount, working) in [("2", false), ("1 + 1", true), ("2 * 1", true)] {
        let ruleset = ruleset(
            &format!("    bonus b \"b\" [T-1] {{ amount {amount} }}"),
            "",
        );
        let output = run(&ruleset, &facts(&[("a", &["1", "2"]), ("b", &["5"])], true));
        let item = &result(&output, "a", "2026-03")["items"][1];
        assert_eq!(item["rule"], "b");
        assert_eq!(item["formula"].is_object(), working, "{amount}: {item}");
    }
}
