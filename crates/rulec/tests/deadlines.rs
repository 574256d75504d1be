//! Dates, deadlines and working days (issue 13 §8): `rulec eval --explain`
//! and the JSON of `tests/constructs/deadlines` show the dates a working-day
//! count was made from and the count (across the 2026 Spring Festival, with
//! its make-up working Saturday), the derived deadlines on the record lines,
//! and a calendar-day deadline that is not postponed. The values are counted
//! by hand on the calendar (see the case file's comments); the explanation is
//! a golden snapshot under `tests/golden/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::workspace;

const RULES: &str = "tests/constructs/deadlines/deadlines.rules";
const FACTS: &str = "tests/constructs/deadlines/examples/2026-02.json";

fn rulec(args: &[&str]) -> String {
    let (code, stdout, stderr): (i32, String, String) = common::rulec(args).into();
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

#[test]
fn json_carries_the_dates_and_the_count() {
    let json: serde_json::Value =
        serde_json::from_str(&rulec(&["eval", RULES, FACTS, "--format", "json"])).unwrap();
    let results = json["results"].as_array().unwrap();
    let a = results.iter().find(|r| r["unit"] == "a").unwrap();
    assert_eq!(a["total"], "96.5");
    let items = a["items"].as_array().unwrap();
    // Due Fri 13 Feb, submitted Wed 25 Feb: 14 (调休), 24, 25 = 3 working days.
    let late = items.iter().find(|i| i["rule"] == "late_report").unwrap();
    let record = &late["records"][0];
    assert_eq!(record["derived"]["late_days"], "3");
    assert_eq!(
        record["formula"],
        serde_json::json!({
            "written": "min(3, 0.5 * working_days_between(due, submitted))",
            "values": "min(3, 0.5 * working_days_between(2026-02-13, 2026-02-25))",
            "result": "1.5"
        })
    );
    // One month after 31 January is 28 February.
    let problem = items.iter().find(|i| i["rule"] == "unrectified").unwrap();
    assert_eq!(problem["records"][0]["derived"]["rectify_by"], "2026-02-28");
    let b = results.iter().find(|r| r["unit"] == "b").unwrap();
    assert_eq!(b["total"], "98");
    let reply = b["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == "late_reply")
        .unwrap();
    // Assigned Thu 12 Feb: 13, 14, 24, 25, 26 → reply by Thu 26 Feb.
    assert_eq!(reply["records"][0]["derived"]["reply_by"], "2026-02-26");
}

#[test]
fn explain_shows_the_dates_and_the_count() {
    let explain = rulec(&["eval", RULES, FACTS, "--explain", "a"]);
    assert!(
        explain.contains(
            "min(3, 0.5 * working_days_between(due, submitted)) = min(3, 0.5 * working_days_between(2026-02-13, 2026-02-25)) = 1.5"
        ),
        "{explain}"
    );
    assert!(explain.contains("late_days=3"), "{explain}");
    insta::with_settings!({
        snapshot_path => workspace().join("tests/golden"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("rulec eval {RULES} {FACTS} --explain a"),
    }, {
        insta::assert_snapshot!("deadlines__2026-02.explain", explain);
    });
}
