//! `rulec generate` writes facts that evaluate (breaker's item 2): for every
//! shipped ruleset, and for a ruleset whose `score of` blocks leave different
//! ranges to the office's discretion, the generated `decided` amounts lie in
//! the range of the unit's own block, so `rulec eval` accepts them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

/// A fresh temporary directory for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-generate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn generate_and_evaluate(ruleset: &str, out: &std::path::Path) -> serde_json::Value {
    let facts = out.to_str().unwrap();
    let run = common::rulec(&[
        "generate",
        ruleset,
        "--units",
        "3",
        "--periods",
        "2",
        "--records",
        "12",
        "-o",
        facts,
    ]);
    assert_eq!(run.code, 0, "generate {ruleset}: {}", run.stderr);
    let run = common::rulec(&["eval", ruleset, facts, "--format", "json"]);
    assert_eq!(run.code, 0, "eval {ruleset}: {}{}", run.stdout, run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn generated_facts_evaluate_for_every_shipped_ruleset() {
    let dir = scratch("shipped");
    for name in [
        "demo-county-2026",
        "example-county",
        "miluo-2026",
        "shaodong-2023",
    ] {
        let ruleset = format!("rulesets/{name}/{name}.rules");
        let json = generate_and_evaluate(&ruleset, &dir.join(format!("{name}.json")));
        assert!(!json["results"].as_array().unwrap().is_empty(), "{name}");
    }
}

/// Township incidents are decided within 1 to 3, department incidents within
/// 5 to 10: the least of each unit's own range (5 for every group used to be
/// generated, and the townships' records were refused).
#[test]
fn each_units_decision_lies_in_its_own_blocks_range() {
    let dir = scratch("ranges");
    let ruleset = "tests/generate/ranges-by-group.rules";
    let facts = dir.join("facts.json");
    let json = generate_and_evaluate(ruleset, &facts);
    assert!(!json["results"].as_array().unwrap().is_empty());
    let facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&facts).unwrap()).unwrap();
    let records = facts["records"].as_array().unwrap();
    assert!(!records.is_empty());
    for record in records {
        let unit = record["unit"].as_str().unwrap();
        let expected = if unit.starts_with("township") {
            "1"
        } else {
            "5"
        };
        assert_eq!(record["decided"], expected, "{record}");
    }
}
