//! A week that its year does not have (breaker's item 7): `2025-W53` (2025
//! has 52 ISO weeks) is refused with a message saying so, in English and in
//! Chinese, wherever a period is read — the fact file (`$.periods`,
//! `$.records[i].period`) and `--period`; `2026-W53` (a year of 53 weeks) is
//! a period.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

const RULES: &str = "tests/constructs/period-week/period-week.rules";

fn facts(dir: &std::path::Path, week: &str) -> String {
    let path = dir.join(format!("{week}.json"));
    std::fs::write(
        &path,
        serde_json::json!({
            "as_of": "2027-01-03",
            "units": [{"id": "s1", "name": "一街道", "group": "street"}],
            "periods": [week],
            "records": []
        })
        .to_string(),
    )
    .unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn week_53_of_a_52_week_year_says_the_year_has_52_weeks() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-weeks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = facts(&dir, "2025-W53");
    let run = common::rulec(&["eval", RULES, &bad, "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["errors"][0]["code"], "kaohe::facts::not_a_period");
    assert_eq!(json["errors"][0]["path"], "$.periods[0]");
    assert_eq!(
        json["errors"][0]["message"],
        "expected a week \"YYYY-Wnn\", found \"2025-W53\": 2025 has 52 ISO weeks (its last week is 2025-W52)"
    );
    let zh = std::process::Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(["eval", RULES, &bad])
        .current_dir(common::workspace())
        .env("NO_COLOR", "1")
        .env("KAOHE_LANG", "zh")
        .output()
        .unwrap();
    let zh_stderr = String::from_utf8(zh.stderr).unwrap();
    assert!(
        zh_stderr.contains("2025 年只有 52 个 ISO 周（最后一周是 2025-W52）"),
        "{zh_stderr}"
    );
    let good = facts(&dir, "2026-W53");
    let run = common::rulec(&["eval", RULES, &good]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = common::rulec(&["eval", RULES, &good, "--period", "2025-W53"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "`2025-W53` is not a period: 2025 has 52 ISO weeks (its last week is 2025-W52)"
        ),
        "{}",
        run.stderr
    );
}
