#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Scoring per group, outside the total, and allotments that do not add up
//! (issue 13 §10), through the public API: a small ruleset as text, facts as
//! JSON, results read from the stable JSON output.
//!
//! - each unit is scored by its group's block (its base, categories, rules);
//! - a category `outside total` never moves the total, whatever its records,
//!   and is reported with its own score, lines and `outside_total: true`;
//! - `subtotal(c)` reads it in a consequence;
//! - `allotments sum N` turns the mismatch warning into a checked statement;
//! - every group is scored by exactly one block (located errors otherwise).

use kaohe::{Facts, Ruleset, SourceFile};
use serde_json::{json, Value};

/// Two groups, each with its own block; `{AWARD}` is the townships' award
/// category's bonus amount.
const TWO_BLOCKS: &str = r#"
ruleset groups_test {
  title "分组计分" issuer "测试" source "测试细则"
  effective 2026-01-01 to 2026-12-31
}
group township "乡镇" [T-1] {}
group department "部门" [T-1] {}
record late "迟报" { what: text "事项" }
record praise "表扬" { level: text "级别" }
period month [T-1] { amendable [T-1] }
score of township [T-1] {
  base 100 [T-1]
  allotments sum 90 [T-2]
  category work "工作" [T-1] {
    allot 90
    deduct late_t "迟报" [T-1] { per late amount 2 }
  }
  category award "评优" outside total [T-3] {
    bonus praised "表扬" [T-3] { per praise amount {AWARD} }
  }
}
score of department [T-1] {
  base 50 [T-1]
  category service "服务" [T-1] {
    allot 50
    deduct late_d "迟报" [T-1] { per late amount 5 }
  }
}
ranking t "乡镇排名" of township [T-1] { by total desc ties shared [T-1] }
ranking d "部门排名" of department [T-1] { by total desc ties shared [T-1] }
flag candidate "评先候选" [T-3] { when subtotal(award) >= 4 }
"#;

fn ruleset(text: &str) -> Ruleset {
    Ruleset::from_source(SourceFile::new("groups.rules", text.to_owned()))
        .unwrap_or_else(|e| panic!("the ruleset is refused:\n{e}"))
}

fn errors(text: &str) -> Vec<(String, String)> {
    match Ruleset::from_source(SourceFile::new("groups.rules", text.to_owned())) {
        Ok(_) => panic!("the ruleset was accepted"),
        Err(e) => e
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                let r = d.record(&e.source);
                (r.code, format!("{}:{}", r.start.line, r.start.column))
            })
            .collect(),
    }
}

fn record(unit: &str, kind: &str, count: u32) -> Value {
    let attributes = if kind == "late" {
        json!({"what": "月报"})
    } else {
        json!({"level": "市级"})
    };
    json!({"unit": unit, "period": "2026-03", "kind": kind, "reported": "2026-03-31",
           "count": count, "attributes": attributes})
}

fn run(ruleset: &Ruleset, records: Vec<Value>) -> Value {
    let facts = json!({
        "as_of": "2026-04-30",
        "units": [
            {"id": "t", "name": "甲镇", "group": "township"},
            {"id": "d", "name": "甲局", "group": "department"},
        ],
        "records": records,
    });
    let facts = Facts::from_json(ruleset, &facts.to_string())
        .unwrap_or_else(|e| panic!("the facts are refused: {e}"));
    let evaluation = ruleset
        .evaluate(&facts)
        .unwrap_or_else(|e| panic!("evaluation failed: {e}"));
    serde_json::from_str(&evaluation.to_json()).unwrap()
}

fn result<'a>(output: &'a Value, unit: &str) -> &'a Value {
    output["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == unit && r["period"] == "2026-03")
        .unwrap_or_else(|| panic!("no result for {unit}"))
}

#[test]
fn each_unit_is_scored_by_its_groups_block() {
    let rules = ruleset(&TWO_BLOCKS.replace("{AWARD}", "2"));
    assert!(rules.warnings().is_empty(), "{:?}", rules.warnings());
    let out = run(&rules, vec![record("t", "late", 1), record("d", "late", 1)]);
    // The township: base 100, −2 per late report; the department: base 50, −5.
    let t = result(&out, "t");
    assert_eq!(t["total"], "98");
    let names: Vec<&str> = t["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["work", "award"]);
    let d = result(&out, "d");
    assert_eq!(d["total"], "45");
    assert_eq!(d["categories"][0]["category"], "service");
    assert_eq!(d["categories"].as_array().unwrap().len(), 1);
    assert_eq!(d["items"][0]["amount"], "50");
}

#[test]
fn a_category_outside_the_total_never_moves_it() {
    for award in ["2", "3", "0.5"] {
        let rules = ruleset(&TWO_BLOCKS.replace("{AWARD}", award));
        let without = run(&rules, vec![record("t", "late", 1)]);
        for praises in [1, 2, 7] {
            let with = run(
                &rules,
                vec![record("t", "late", 1), record("t", "praise", praises)],
            );
            let t = result(&with, "t");
            assert_eq!(t["total"], result(&without, "t")["total"], "award {award}");
            // The items still add up to the total; the award's lines are apart.
            let items: Vec<&Value> = t["items"].as_array().unwrap().iter().collect();
            assert!(items.iter().all(|i| i["category"] != "award"));
            assert_eq!(t["outside_items"][0]["rule"], "praised");
            let award_category = &t["categories"][1];
            assert_eq!(award_category["outside_total"], true);
            let expected = rust_decimal::Decimal::from_str_exact(award).unwrap()
                * rust_decimal::Decimal::from(praises);
            assert_eq!(
                award_category["subtotal"],
                expected.normalize().to_string(),
                "award {award} × {praises}"
            );
            // `subtotal(award) >= 4` flags a candidate.
            let flagged = t["notices"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["name"] == "candidate");
            assert_eq!(flagged, expected >= rust_decimal::Decimal::from(4));
        }
        // Categories in the total are not marked.
        assert!(result(&without, "t")["categories"][0]
            .get("outside_total")
            .is_none());
    }
}

#[test]
fn allotments_that_do_not_add_up_warn_unless_acknowledged() {
    let one_block = |statement: &str| {
        TWO_BLOCKS
            .replace("{AWARD}", "2")
            .replace("  allotments sum 90 [T-2]\n", statement)
    };
    // Without the statement: the warning (the award's own allot is never counted).
    let warned = ruleset(&one_block(""));
    let codes: Vec<String> = warned.warnings().iter().map(|w| w.code_str()).collect();
    assert_eq!(codes, ["kaohe::allotment_mismatch"]);
    // A wrong sum, a missing citation: errors at the statement.
    assert_eq!(
        errors(&one_block("  allotments sum 80 [T-2]\n")),
        [("kaohe::allotments_statement".to_owned(), "13:3".to_owned())]
    );
    assert_eq!(
        errors(&one_block("  allotments sum 90\n")),
        [("kaohe::allotments_statement".to_owned(), "13:3".to_owned())]
    );
    // A statement where the allotments do add up to the base.
    let equal = one_block("  allotments sum 90 [T-2]\n").replace("base 100 [T-1]", "base 90 [T-1]");
    assert_eq!(
        errors(&equal),
        [("kaohe::allotments_statement".to_owned(), "13:3".to_owned())]
    );
}

#[test]
fn every_group_is_scored_by_exactly_one_block() {
    let text = TWO_BLOCKS.replace("{AWARD}", "2");
    // The department's block removed: its group is scored by none.
    let start = text.find("score of department").unwrap();
    let end = start + text[start..].find("\n}\n").unwrap() + 3;
    let mut none = text.clone();
    none.replace_range(start..end, "");
    let ranking = none.find("ranking d").unwrap();
    let line_end = ranking + none[ranking..].find('\n').unwrap() + 1;
    none.replace_range(ranking..line_end, "");
    assert_eq!(
        errors(&none),
        [("kaohe::group_not_scored".to_owned(), "7:7".to_owned())]
    );
    // Townships named by both blocks.
    let twice = text.replace("score of department", "score of department, township");
    assert_eq!(
        errors(&twice),
        [("kaohe::group_scored_twice".to_owned(), "22:22".to_owned())]
    );
    // A block without `of` beside them.
    let unscoped = text.replace("score of department", "score");
    assert_eq!(
        errors(&unscoped),
        [("kaohe::score_without_group".to_owned(), "22:1".to_owned())]
    );
    // An unknown group; a rule name used in both blocks.
    let unknown = text.replace("score of department", "score of department, villages");
    assert!(errors(&unknown).contains(&("kaohe::unknown_name".to_owned(), "22:22".to_owned())));
    let same_rule = text.replace("late_d", "late_t");
    assert_eq!(
        errors(&same_rule),
        [("kaohe::duplicate_name".to_owned(), "26:12".to_owned())]
    );
}

#[test]
fn subtotal_is_read_only_where_the_unit_is_scored() {
    let text = TWO_BLOCKS.replace("{AWARD}", "2").replace(
        "per late amount 2",
        "per late when subtotal(work) > 0 amount 2",
    );
    assert_eq!(
        errors(&text),
        [("kaohe::misplaced_subtotal".to_owned(), "16:46".to_owned())]
    );
    let unknown = TWO_BLOCKS
        .replace("{AWARD}", "2")
        .replace("subtotal(award)", "subtotal(awards)");
    assert_eq!(
        errors(&unknown),
        [("kaohe::unknown_name".to_owned(), "31:45".to_owned())]
    );
}
