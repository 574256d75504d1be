//! `rulec test` and `rulec diff` end to end, on the shipped rulesets and on
//! temporary copies of them with one number changed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::workspace;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kaohe::{Facts, Ruleset, SourceFile};
use rust_decimal::Decimal;

fn rulec_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    common::rulec_in(dir, args).into()
}

fn rulec(args: &[&str]) -> (i32, String, String) {
    common::rulec(args).into()
}

/// A temporary folder, removed at the end of the test.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("rulec-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Temp(dir)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A copy of the Shaodong ruleset folder (ruleset, examples, cases) in which
/// `from` is replaced by `to` once in the ruleset.
fn shaodong_copy(temp: &Temp, from: &str, to: &str) -> PathBuf {
    let dir = temp.0.join("shaodong-2023");
    copy_dir(&workspace().join("rulesets/shaodong-2023"), &dir);
    let rules = dir.join("shaodong-2023.rules");
    let text = std::fs::read_to_string(&rules).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    std::fs::write(&rules, text.replacen(from, to, 1)).unwrap();
    dir
}

#[test]
fn the_shipped_cases_pass_and_cover_every_cited_clause() {
    let (code, stdout, stderr) = rulec(&["test", "--coverage", "rulesets/"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    for ruleset in ["shaodong-2023", "miluo-2026", "example-county"] {
        assert!(
            stdout.contains(&format!("rulesets/{ruleset}/{ruleset}.rules: all ")),
            "{ruleset}: {stdout}"
        );
    }
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.starts_with("cases: ") && summary.ends_with(" passed, 0 failed"),
        "{summary}"
    );
}

#[test]
fn changing_one_amount_fails_the_dependent_cases_with_a_readable_diff() {
    let temp = Temp::new("amount");
    // SD-3.1.1①: −5 per indicator behind schedule becomes −6.
    let dir = shaodong_copy(
        &temp,
        "per behind_schedule\n      amount 5",
        "per behind_schedule\n      amount 6",
    );
    let cases = dir.join("cases");
    let (code, stdout, _) = rulec_in(&temp.0, &["test", "shaodong-2023/cases"]);
    assert_eq!(code, 1, "{stdout}");
    // Cases that do not depend on the rule still pass.
    assert!(
        stdout.contains("PASS  shaodong-2023/cases/amendment.toml"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PASS  shaodong-2023/cases/same-work-once.toml"),
        "{stdout}"
    );
    // The case on doubled deductions fails, unit by unit, expected vs actual.
    assert!(
        stdout.contains("FAIL  shaodong-2023/cases/doubled-deductions.toml"),
        "{stdout}"
    );
    let section = stdout
        .split("FAIL  shaodong-2023/cases/doubled-deductions.toml")
        .nth(1)
        .unwrap();
    let zjj = section
        .split("2023-07 · zjj 市住房和城乡建设局")
        .nth(1)
        .unwrap();
    let zjj: Vec<&str> = zjj.lines().take(3).collect();
    assert_eq!(
        zjj[1].split_whitespace().collect::<Vec<_>>(),
        ["total", "expected", "90", "actual", "88"]
    );
    assert_eq!(
        zjj[2].split_whitespace().collect::<Vec<_>>(),
        ["categories.key", "expected", "60", "actual", "58"]
    );
    assert!(
        section.contains("actual lines: base 100, behind -12"),
        "{section}"
    );
    let rerun = "rerun: rulec test shaodong-2023/cases/doubled-deductions.toml";
    assert!(section.contains(rerun), "{section}");
    // The printed command reruns just that case.
    let (code, again, _) = rulec_in(
        &temp.0,
        &["test", "shaodong-2023/cases/doubled-deductions.toml"],
    );
    assert_eq!(code, 1);
    assert!(again.ends_with("cases: 0 passed, 1 failed\n"), "{again}");
    // JUnit for CI.
    let (code, junit, _) = rulec_in(
        &temp.0,
        &["test", "--format", "junit", "shaodong-2023/cases"],
    );
    assert_eq!(code, 1);
    assert!(junit.starts_with("<?xml"), "{junit}");
    assert!(junit.contains("<failure message="), "{junit}");
    assert!(junit.contains("expected 90"), "{junit}");
    // --bless writes the new results, keeps the comments, and then it passes.
    let (code, blessed, _) = rulec_in(&temp.0, &["test", "--bless", "shaodong-2023/cases"]);
    assert_eq!(code, 0, "{blessed}");
    assert!(
        blessed.contains("BLESS shaodong-2023/cases/doubled-deductions.toml"),
        "{blessed}"
    );
    let text = std::fs::read_to_string(cases.join("doubled-deductions.toml")).unwrap();
    assert!(
        text.contains(r#"units.zjj = { total = "88", rank = 17, categories = { key = "58" } }  # behind, due 08-31, never rectified: −5 × 2"#),
        "{text}"
    );
    let (code, after, _) = rulec_in(&temp.0, &["test", "shaodong-2023/cases"]);
    assert_eq!(code, 0, "{after}");
}

#[test]
fn coverage_fails_and_lists_the_clauses_no_case_exercises() {
    let (code, stdout, _) = rulec(&[
        "test",
        "--coverage",
        "rulesets/shaodong-2023/shaodong-2023.rules",
        "rulesets/shaodong-2023/cases/media-cap.toml",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("PASS  rulesets/shaodong-2023/cases/media-cap.toml"),
        "{stdout}"
    );
    let warning = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("SD-4.2 "))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(warning.contains("(`warning`)"), "{warning}");
    assert!(
        !stdout
            .lines()
            .any(|l| l.trim_start().starts_with("SD-3.1.3③ ")),
        "{stdout}"
    );
    assert!(stdout.contains("coverage failed"), "{stdout}");
}

#[test]
fn bad_paths_and_empty_folders_are_errors() {
    let (code, _, stderr) = rulec(&["test", "no/such/folder"]);
    assert_eq!(code, 2, "{stderr}");
    let temp = Temp::new("empty");
    let (code, _, stderr) = rulec_in(&temp.0, &["test", "."]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no cases found"), "{stderr}");
}

/// (unit, period) of every result whose `media` line is above 5, by the engine.
fn media_above_5(rules: &Path, facts: &Path) -> BTreeSet<(String, String)> {
    let ruleset = Ruleset::from_source(SourceFile::new(
        "shaodong.rules",
        std::fs::read_to_string(rules).unwrap(),
    ))
    .unwrap();
    let facts = Facts::from_json(&ruleset, &std::fs::read_to_string(facts).unwrap()).unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    evaluation
        .results
        .iter()
        .filter(|r| {
            r.items
                .iter()
                .any(|i| i.rule.as_deref() == Some("media") && i.amount.dec() > Decimal::from(5))
        })
        .map(|r| (r.unit.to_string(), r.period.to_string()))
        .collect()
}

#[test]
fn diff_of_a_media_cap_of_5_lists_exactly_the_results_with_more_than_5() {
    let temp = Temp::new("media5");
    let dir = shaodong_copy(
        &temp,
        "cap 10 per period [SD-3.1.3③, SD-A2]",
        "cap 5 per period [SD-3.1.3③, SD-A2]",
    );
    let old = workspace().join("rulesets/shaodong-2023/shaodong-2023.rules");
    let new = dir.join("shaodong-2023.rules");
    let facts = workspace().join("rulesets/shaodong-2023/examples/2023-h2.json");
    let expected = media_above_5(&old, &facts);
    assert!(
        expected.iter().any(|(_, p)| p.len() == 7) && expected.iter().any(|(_, p)| p.len() == 4),
        "the example facts have months and a year above 5: {expected:?}"
    );
    let (code, stdout, stderr) = rulec(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        facts.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let impact: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let changes = impact["changes"].as_array().unwrap();
    let score_changed: BTreeSet<(String, String)> = changes
        .iter()
        .filter(|c| c["total"]["before"] != c["total"]["after"])
        .map(|c| {
            (
                c["unit"].as_str().unwrap().to_owned(),
                c["period"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(score_changed, expected);
    for c in changes {
        let key = (
            c["unit"].as_str().unwrap().to_owned(),
            c["period"].as_str().unwrap().to_owned(),
        );
        if expected.contains(&key) {
            // The media line alone accounts for the difference, now 5.
            let lines = c["lines"].as_array().unwrap();
            assert_eq!(lines.len(), 1, "{c}");
            assert_eq!(lines[0]["line"], "media");
            assert_eq!(lines[0]["amount"]["after"], "5");
        } else {
            // Listed only because another unit's change moved its rank.
            assert_ne!(c["rank"]["before"], c["rank"]["after"], "{c}");
            assert!(c["lines"].as_array().unwrap().is_empty(), "{c}");
        }
    }
    assert_eq!(
        impact["summary"]["results_changed_score"],
        serde_json::json!(expected.len())
    );
    // The same for people.
    let (code, human, _) = rulec(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        facts.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(
        human.contains("media  +10 → +5 (-5)  now: cap 5 per period: 11 → 5"),
        "{human}"
    );
    assert!(human.contains("\nsummary: "), "{human}");
}

#[test]
fn diff_of_a_ruleset_with_itself_changes_nothing() {
    let rules = "rulesets/example-county/example-county.rules";
    let (code, stdout, stderr) = rulec(&[
        "diff",
        rules,
        rules,
        "rulesets/example-county/examples/2027.json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("no unit's score, rank or consequences change (30 results compared)"),
        "{stdout}"
    );
}

/// Results are exact numbers; the values these tests compare terminate.
trait Exact {
    fn dec(&self) -> rust_decimal::Decimal;
}

impl Exact for kaohe::number::Number {
    fn dec(&self) -> rust_decimal::Decimal {
        self.to_decimal().expect("a terminating value")
    }
}
