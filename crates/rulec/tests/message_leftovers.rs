//! Message leftovers of issue 13 at the command line: the annual line of an
//! input read from a provisional sub-assessment says "provisional", as the
//! period's line does, and names the periods whose sub-results it read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{rulec, workspace};

const PROVISIONAL: &str = "provisional in the sub-assessment: the number read may still change";

/// `main.rules` with a year summed from its months: the year's lines are the
/// months' lines summed, so they read the input too, in the months. Its line
/// used to end `, 2026` without "provisional", though May's said it.
#[test]
fn the_annual_line_of_a_provisional_input_says_provisional() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-annual-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let main = std::fs::read_to_string(workspace().join("tests/inputs/sub-assessment/main.rules"))
        .unwrap()
        + "\nannual [SA-2] {\n  from sum of periods [SA-2]\n}\n";
    let rules = dir.join("main-annual.rules");
    std::fs::write(&rules, main).unwrap();
    let input = "petition=tests/inputs/sub-assessment/petition.rules:tests/inputs/sub-assessment/examples/petition-2026-05-provisional.json";
    let run = rulec(&[
        "eval",
        rules.to_str().unwrap(),
        "tests/inputs/sub-assessment/examples/main-2026-05.json",
        "--input",
        input,
        "--explain",
        "t3",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let input_lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("input petition"))
        .collect();
    // May's line and the year's: the year sums May's line, so its line
    // names the period it read (the input has no result for 2026 itself).
    assert_eq!(input_lines.len(), 2, "{}", run.stdout);
    assert!(
        input_lines.iter().all(|l| l.contains(", 2026-05 (")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("丙镇 (t3) — 2026: total 98.5"),
        "{}",
        run.stdout
    );
    assert!(
        input_lines
            .iter()
            .all(|l| l.ends_with(&format!("({PROVISIONAL})"))),
        "{}",
        run.stdout
    );
}
