//! `rulec eval` and `rulec test` show every error of a failed evaluation
//! (principle 3, issue 13 follow-up), as text and as `{"errors": [ … ]}`,
//! not only the first.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::rulec_in;

/// `10 / count(late_report)` fails for every unit without a late report.
const RULES: &str = include_str!("../../../tests/eval-errors/tiny.rules");

/// Two units, two months, one late report of `b` in May: `a` fails in April
/// and May, `b` in April.
const FACTS: &str = r#"{"as_of": "2026-06-10", "periods": ["2026-04", "2026-05"],
  "units": [{"id": "b", "name": "乙", "group": "lead"}, {"id": "a", "name": "甲", "group": "lead"}],
  "records": [{"unit": "b", "period": "2026-05", "kind": "late_report", "reported": "2026-05-03", "attributes": {}}]}"#;

/// A fresh folder per test (tests run in parallel).
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-all-errors-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("cases")).unwrap();
    std::fs::write(dir.join("tiny.rules"), RULES).unwrap();
    std::fs::write(dir.join("facts.json"), FACTS).unwrap();
    dir
}

#[test]
fn rulec_eval_shows_every_evaluation_error() {
    let dir = scratch("eval");
    let run = rulec_in(
        &dir,
        &["eval", "tiny.rules", "facts.json", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let messages: Vec<&str> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    // `a` fails at the same expression in April and May: once, with the
    // first period; `b` in April.
    assert_eq!(
        messages,
        [
            "division by zero (unit `a`, period 2026-04)",
            "division by zero (unit `b`, period 2026-04)"
        ]
    );
    for e in json["errors"].as_array().unwrap() {
        assert_eq!(e["code"], "kaohe::eval::failed");
        assert_eq!(
            e["line"], 16,
            "the amount's line of tests/eval-errors/tiny.rules"
        );
    }
    let run = rulec_in(&dir, &["eval", "tiny.rules", "facts.json"]);
    assert_eq!(run.code, 1);
    for unit in ["a", "b"] {
        assert!(
            run.stderr
                .contains(&format!("division by zero (unit `{unit}`, period 2026-04)")),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        run.stderr
            .matches(":16:14: `10 / count(late_report)`")
            .count(),
        2,
        "{}",
        run.stderr
    );
}

#[test]
fn rulec_test_shows_every_evaluation_error_of_a_case() {
    let dir = scratch("test");
    std::fs::write(
        dir.join("cases/april.toml"),
        "ruleset = \"../tiny.rules\"\nfacts = \"../facts.json\"\n\n[[expect]]\nperiod = \"2026-04\"\nunits.a = { total = \"100\" }\n",
    )
    .unwrap();
    let run = rulec_in(&dir, &["test", "cases"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    for unit in ["a", "b"] {
        assert!(
            run.stdout
                .contains(&format!("division by zero (unit `{unit}`, period 2026-04)")),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn rulec_diff_shows_every_evaluation_error() {
    let dir = scratch("diff");
    for lang in ["en", "zh"] {
        let run = rulec_in(
            &dir,
            &[
                "--lang",
                lang,
                "diff",
                "tiny.rules",
                "tiny.rules",
                "facts.json",
            ],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        // `a` in April (May's failure at the same expression is the same
        // one) and `b` in April.
        assert_eq!(run.stderr.lines().count(), 2, "{lang}: {}", run.stderr);
        for unit in ["a", "b"] {
            assert!(
                run.stderr.contains(&format!("`{unit}`")),
                "{lang}: {}",
                run.stderr
            );
        }
    }
}
