#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The golden cases of the shipped rulesets (`rulesets/*/cases/*.toml`), run
//! by the library (`kaohe::cases`), so that `cargo test -p kaohe` checks every
//! hand-computed expectation of the shipped rulebooks and not only `rulec test`
//! in CI. Every case must pass, every cited clause must be exercised, and a
//! case whose expected total is changed must fail (so a case can fail).

use std::path::{Path, PathBuf};

use kaohe::cases::{load_ruleset, run_suite, Case, Outcome, SuiteOptions};

fn rulesets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulesets")
}

/// Every `*.toml` in a `cases` folder of a shipped ruleset, listed by hand
/// (not by `kaohe::cases::discover`, so discovery is checked too).
fn case_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for ruleset in std::fs::read_dir(rulesets()).unwrap() {
        let cases = ruleset.unwrap().path().join("cases");
        let Ok(entries) = std::fs::read_dir(&cases) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_shipped_case_passes_and_every_cited_clause_is_exercised() {
    let report = run_suite(
        &[rulesets()],
        &SuiteOptions {
            bless: false,
            coverage: true,
        },
    )
    .unwrap();
    let files = case_files();
    assert!(files.len() >= 20, "only {} shipped cases", files.len());
    assert_eq!(report.cases.len(), files.len(), "cases found by discovery");
    let mut problems = Vec::new();
    for case in &report.cases {
        match &case.outcome {
            Outcome::Passed => {}
            Outcome::Failed(diffs) => problems.push(format!(
                "{}: FAIL\n{}",
                case.path.display(),
                diffs
                    .iter()
                    .map(|d| format!("  {d:?}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )),
            other => problems.push(format!("{}: {other:?}", case.path.display())),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Four shipped rulesets, each run by its cases and fully covered.
    assert_eq!(report.coverage.len(), 4, "{:?}", report.coverage);
    for coverage in &report.coverage {
        assert!(coverage.error.is_none(), "{coverage:?}");
        assert!(coverage.cases > 0, "{coverage:?}");
        assert!(coverage.cited > 0, "{coverage:?}");
        assert!(
            coverage.uncovered.is_empty(),
            "{}: clauses no case exercises: {:?}",
            coverage.ruleset.display(),
            coverage.uncovered
        );
    }
    assert!(report.passed());
}

/// Every expectation of every case is compared: changing the first expected
/// total of a case (`"95"` → `"195"`) makes that case fail.
#[test]
fn a_shipped_case_with_a_wrong_total_fails() {
    let mut tampered = 0;
    for path in case_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(at) = text.find("total = \"") else {
            continue;
        };
        let at = at + "total = \"".len();
        let wrong = format!("{}1{}", &text[..at], &text[at..]);
        let case = Case::parse(&path, wrong).unwrap();
        let ruleset = load_ruleset(&case.ruleset).unwrap();
        let run = case.run(&ruleset).unwrap();
        assert!(
            !run.failures.is_empty(),
            "{}: a wrong expected total passes",
            path.display()
        );
        tampered += 1;
    }
    assert!(tampered >= 20, "only {tampered} cases state a total");
}
