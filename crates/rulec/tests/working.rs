//! Explanations show their working (issue 13 §16): `rulec eval --explain` and
//! the JSON of `tests/constructs/working` carry each computed amount's formula
//! as written, with its values, and its value, and the records' derived
//! attributes. The values are checked by hand (see the comments) and the
//! explanation is a golden snapshot under `tests/golden/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::workspace;

const RULES: &str = "tests/constructs/working/working.rules";
const FACTS: &str = "tests/constructs/working/examples/2026-04.json";

fn rulec(args: &[&str]) -> String {
    let (code, stdout, stderr): (i32, String, String) = common::rulec(args).into();
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

#[test]
fn json_carries_the_formula_and_the_derived_attributes() {
    let json: serde_json::Value =
        serde_json::from_str(&rulec(&["eval", RULES, FACTS, "--format", "json"])).unwrap();
    let results = json["results"].as_array().unwrap();
    let a = results.iter().find(|r| r["unit"] == "a").unwrap();
    let items = a["items"].as_array().unwrap();
    // WK-3: 2 / unit.n with n = 3 is 2/3, written 0.6667 with its exact fraction.
    let shared = items.iter().find(|i| i["rule"] == "shared").unwrap();
    assert_eq!(
        shared["formula"],
        serde_json::json!({
            "written": "2 / unit.n",
            "values": "2 / 3",
            "result": "0.6667",
            "result_exact": "2/3"
        })
    );
    assert_eq!(shared["amount_exact"], "2/3");
    // WK-4: gap = 40 − 35.5 = 4.5 on the record; 0.1 × 4.5 = 0.45 deducted.
    let lagging = items.iter().find(|i| i["rule"] == "lagging").unwrap();
    assert!(lagging.get("formula").is_none(), "{lagging}");
    let record = &lagging["records"][0];
    assert_eq!(record["derived"], serde_json::json!({"gap": "4.5"}));
    assert_eq!(
        record["formula"],
        serde_json::json!({"written": "0.1 * gap", "values": "0.1 * 4.5", "result": "0.45"})
    );
    assert_eq!(record["amount"], "-0.45");
    // The base is a constant: no working.
    let base = items.iter().find(|i| i["kind"] == "base").unwrap();
    assert!(base.get("formula").is_none(), "{base}");
    // 乙局: n = 2, so 2 / 2 = 1, no `result_exact`.
    let b = results.iter().find(|r| r["unit"] == "b").unwrap();
    let shared = b["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == "shared")
        .unwrap();
    assert_eq!(
        shared["formula"],
        serde_json::json!({"written": "2 / unit.n", "values": "2 / 2", "result": "1"})
    );
}

#[test]
fn explain_shows_the_working() {
    let explain = rulec(&["eval", RULES, FACTS, "--explain", "a"]);
    assert!(
        explain.contains("2 / unit.n = 2 / 3 = ≈0.6667"),
        "{explain}"
    );
    assert!(
        explain.contains("actual=35.5, required=40, gap=4.5"),
        "{explain}"
    );
    assert!(
        explain.contains("(0.1 * gap = 0.1 * 4.5 = 0.45)"),
        "{explain}"
    );
    insta::with_settings!({
        snapshot_path => workspace().join("tests/golden"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("rulec eval {RULES} {FACTS} --explain a"),
    }, {
        insta::assert_snapshot!("working__2026-04.explain", explain);
    });
}
