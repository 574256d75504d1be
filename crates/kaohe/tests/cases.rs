#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Golden cases (`kaohe::cases`): parsing, exact comparison, the readable
//! diff, bless, clause coverage and discovery, on a tiny ruleset written here.

use std::path::{Path, PathBuf};

use kaohe::cases::{discover, run_suite, Case, CaseError, Outcome, SuiteOptions};

const RULES: &str = r#"
ruleset tiny {
  title "示例" issuer "示例专班" source "示例细则"
  effective 2026-01-01 to 2026-12-31
}
assumption [T-A1] "a report after its due day is late"
group lead "牵头单位" [T-1] {}
record report "报送" {
  due: date "截止"
  submitted: date "报送"
  derive late = submitted > due [T-A1]
}
record praise "表扬" {}
period month [T-2] {
  seal 10 days after end [T-2]
  late rejected [T-2]
}
score [T-3] {
  base 100 [T-3]
  category daily "日常" [T-4] {
    allot 100
    floor 95 [T-5]
    deduct late "迟报" [T-6] {
      per report where late
      amount 2
      effective 2026-01-01 to 2026-06-30
    }
    deduct late "迟报（加重）" [T-6, T-7] {
      per report where late
      amount 3
      effective 2026-07-01 to 2026-12-31
    }
    bonus praise "表扬" [T-8] { per praise amount 1 }
  }
}
ranking monthly "月度排名" of lead [T-9] { by total desc ties shared [T-9] }
notice warn "提醒" of lead [T-10] { when count(report where late) >= 2 action "提醒" }
classify board "红绿榜" of lead [T-11] {
  red "红" when count(report where late) >= 1
  green "绿" otherwise
}
"#;

const FACTS: &str = r#"
[facts]
as_of = "2026-08-20"
units = [{ id = "a", name = "甲", group = "lead" }, { id = "b", name = "乙", group = "lead" }]
records = [
  { unit = "a", period = "2026-01", kind = "report", reported = "2026-01-20", attributes = { due = "2026-01-15", submitted = "2026-01-20" } },
  { unit = "a", period = "2026-01", kind = "praise", reported = "2026-01-20" },
  { unit = "b", period = "2026-07", kind = "report", reported = "2026-07-20", count = 2, attributes = { due = "2026-07-15", submitted = "2026-07-20" } },
  { unit = "b", period = "2026-07", kind = "report", reported = "2026-08-19", attributes = { due = "2026-07-15", submitted = "2026-07-16" } },
]
"#;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("kaohe-cases-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("cases")).unwrap();
        std::fs::write(dir.join("tiny.rules"), RULES).unwrap();
        Dir(dir)
    }

    fn case(&self, name: &str, body: &str) -> PathBuf {
        let path = self.0.join("cases").join(name);
        let text = format!("ruleset = \"../tiny.rules\"\n{FACTS}\n{body}");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(path: &Path) -> kaohe::cases::CaseRun {
    let case = Case::load(path).unwrap_or_else(|e| panic!("{e}"));
    let ruleset = kaohe::cases::load_ruleset(&case.ruleset).unwrap_or_else(|e| panic!("{e}"));
    case.run(&ruleset).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn decimals_compare_exactly_whatever_their_spelling() {
    let dir = Dir::new("exact");
    // a: 100 − 2 + 1 = 99. "99.00", 99 and 99.0 are all 99.
    for written in ["\"99.00\"", "99", "99.0", "\"99\""] {
        let path = dir.case(
            "a.toml",
            &format!("[[expect]]\nperiod = \"2026-01\"\nunits.a = {{ total = {written} }}\n"),
        );
        assert!(run(&path).failures.is_empty(), "{written}");
    }
    let path = dir.case(
        "a.toml",
        "[[expect]]\nperiod = \"2026-01\"\nunits.a = { total = \"99.0000001\" }\n",
    );
    assert_eq!(run(&path).failures.len(), 1);
}

#[test]
fn every_differing_value_is_reported_with_expected_and_actual() {
    let dir = Dir::new("diff");
    let path = dir.case(
        "wrong.toml",
        r#"
[[expect]]
period = "2026-07"
units.b = { total = "95", rank = 1, categories = { daily = "95" }, notices = [], classes = { board = "green" } }
units.nobody = { total = "100" }
rejected = []

[[expect]]
period = "2026-03"
units.a = { total = "100" }
"#,
    );
    let run = run(&path);
    // b in July: two late reports at the second-half rate: 100 − 6 = 94 → floor 95.
    let rejected = &run.failures[0];
    assert_eq!(rejected.fields[0].field, "rejected");
    assert_eq!(rejected.fields[0].expected, "[]");
    assert_eq!(rejected.fields[0].actual, "[b/report]");
    let b = &run.failures[1];
    assert_eq!(b.unit.as_deref(), Some("b"));
    let fields: Vec<(&str, &str, &str)> = b
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.expected.as_str(), f.actual.as_str()))
        .collect();
    // Total and subtotal are right (−6 → floor 95); the rest is not.
    assert_eq!(
        fields,
        [
            ("rank", "1", "2"),
            ("notices", "[]", "[warn]"),
            ("classes.board", "green", "red"),
        ]
    );
    assert!(b.actual_lines.is_empty(), "no score expectation differs");
    let nobody = &run.failures[2];
    assert_eq!(nobody.fields[0].field, "result");
    let march = &run.failures[3];
    assert_eq!(march.fields[0].field, "period");
    assert!(march.fields[0].actual.contains("2026-01"), "{march:?}");
}

#[test]
fn a_score_difference_shows_the_actual_lines_with_their_limits() {
    let dir = Dir::new("lines");
    let path = dir.case(
        "floor.toml",
        "[[expect]]\nperiod = \"2026-07\"\nunits.b = { total = \"94\" }\n",
    );
    let run = run(&path);
    let b = &run.failures[0];
    assert_eq!(
        (b.fields[0].expected.as_str(), b.fields[0].actual.as_str()),
        ("94", "95")
    );
    assert_eq!(
        b.actual_lines,
        [
            "base 100",
            "late -6",
            "floor of daily +1 (floor 95 (allot 100): -6 → -5)"
        ]
    );
}

#[test]
fn case_file_mistakes_are_reported_with_a_hint() {
    let dir = Dir::new("format");
    let bad = dir.case(
        "typo.toml",
        "[[expect]]\nperiod = \"2026-01\"\nunits.a = { totl = 99 }\n",
    );
    let err = Case::load(&bad).unwrap_err().to_string();
    assert!(err.contains("unknown key `totl`"), "{err}");
    assert!(err.contains("did you mean `total`?"), "{err}");
    let no_block = dir.case("empty.toml", "");
    let err = Case::load(&no_block).unwrap_err().to_string();
    assert!(err.contains("expects nothing"), "{err}");
    let bad_period = dir.case("period.toml", "[[expect]]\nperiod = \"2026-13\"\n");
    let err = Case::load(&bad_period).unwrap_err().to_string();
    assert!(err.contains("2026-13"), "{err}");
    let syntax = dir.case("syntax.toml", "[[expect]\n");
    assert!(matches!(Case::load(&syntax), Err(CaseError::Format { .. })));
}

#[test]
fn facts_that_do_not_fit_the_ruleset_are_an_error_with_json_paths() {
    let dir = Dir::new("facts");
    let path = dir.0.join("cases/bad-facts.toml");
    std::fs::write(
        &path,
        r#"ruleset = "../tiny.rules"
[facts]
as_of = "2026-02-01"
units = [{ id = "a", name = "甲", group = "leed" }]
records = []
[[expect]]
period = "2026-01"
units.a = { total = 100 }
"#,
    )
    .unwrap();
    let case = Case::load(&path).unwrap();
    let ruleset = kaohe::cases::load_ruleset(&case.ruleset).unwrap();
    let err = case.run(&ruleset).unwrap_err().to_string();
    assert!(err.contains("$.units[0].group"), "{err}");
}

#[test]
fn bless_writes_actual_values_and_keeps_comments() {
    let dir = Dir::new("bless");
    let path = dir.case(
        "bless.toml",
        r#"
[[expect]]
period = "2026-07"  # July
units.b = { total = "1", rank = 9 }  # was wrong
units.a = {}

[[expect]]
period = "2026-01"
"#,
    );
    let case = Case::load(&path).unwrap();
    let ruleset = kaohe::cases::load_ruleset(&case.ruleset).unwrap();
    // The second block states nothing: running refuses it, blessing fills it.
    assert!(matches!(
        case.run(&ruleset),
        Err(CaseError::ChecksNothing { block: 2, .. })
    ));
    let run = case.run_for_bless(&ruleset).unwrap();
    assert!(!run.failures.is_empty());
    let (text, changed) = case.bless(&run.evaluation).unwrap();
    assert!(text.contains("# July"), "{text}");
    assert!(
        text.contains(r#"units.b = { total = "95", rank = 2 }  # was wrong"#),
        "{text}"
    );
    assert!(
        text.contains(r#"units.a = { total = "100", rank = 1, categories = { daily = "100" }, notices = [], classes = { board = "green" } }"#),
        "{text}"
    );
    assert!(text.contains("[expect.units]"), "{text}");
    assert!(
        text.contains(r#"a = { total = "99", rank = 2, categories = { daily = "99" }, notices = [], classes = { board = "red" } }"#),
        "{text}"
    );
    assert_eq!(changed, 2 + 5 + 2);
    // The blessed file passes, and blessing again changes nothing.
    let blessed = Case::parse(&path, text.clone()).unwrap();
    let again = blessed.run(&ruleset).unwrap();
    assert!(again.failures.is_empty(), "{:?}", again.failures);
    assert_eq!(blessed.bless(&again.evaluation).unwrap(), (text, 0));
}

#[test]
fn coverage_counts_the_declarations_an_expectation_depends_on() {
    let dir = Dir::new("coverage");
    // Only the total of `a` in January: base, rule `late` (first version), the
    // praise bonus, the report's derive, group and period heads.
    let path = dir.case(
        "a.toml",
        "[[expect]]\nperiod = \"2026-01\"\nunits.a = { total = \"99\" }\n",
    );
    let exercised: Vec<String> = run(&path).exercised.into_iter().collect();
    assert_eq!(
        exercised,
        ["T-1", "T-2", "T-3", "T-4", "T-6", "T-8", "T-A1"],
        "no rank (T-9), no notice (T-10), no class (T-11), no floor (T-5), no second version (T-7)"
    );
    let path = dir.case(
        "b.toml",
        r#"
[[expect]]
period = "2026-07"
units.b = { rank = 2, notices = ["warn"], classes = { board = "red" } }
"#,
    );
    let exercised: Vec<String> = run(&path).exercised.into_iter().collect();
    // b in July: the second version (T-7), the floor (T-5), the ranking (T-9),
    // the notice (T-10), the class (T-11); the seal (T-2) rejected a record.
    for clause in ["T-2", "T-5", "T-6", "T-7", "T-9", "T-10", "T-11", "T-A1"] {
        assert!(
            exercised.contains(&clause.to_owned()),
            "{clause}: {exercised:?}"
        );
    }
    assert!(!exercised.contains(&"T-8".to_owned()), "{exercised:?}");
}

#[test]
fn a_suite_reports_uncovered_clauses_per_ruleset() {
    let dir = Dir::new("suite");
    dir.case(
        "a.toml",
        "[[expect]]\nperiod = \"2026-01\"\nunits.a = { total = \"99\" }\n",
    );
    std::fs::write(dir.0.join("notes.toml"), "not a case: outside `cases`").unwrap();
    let found = discover(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(found.cases.len(), 1);
    assert_eq!(found.rulesets.len(), 1);
    let report = run_suite(
        &[dir.path().to_path_buf()],
        &SuiteOptions {
            bless: false,
            coverage: true,
        },
    )
    .unwrap();
    assert!(matches!(report.cases[0].outcome, Outcome::Passed));
    assert!(!report.passed());
    let uncovered: Vec<&str> = report.coverage[0]
        .uncovered
        .iter()
        .map(|u| u.clause.as_str())
        .collect();
    assert_eq!(uncovered, ["T-10", "T-11", "T-5", "T-7", "T-9"]);
    let t7 = &report.coverage[0].uncovered[3];
    assert_eq!(t7.cited_at[0].what, "rule `late` (version 2)");
    assert!(run_suite(&[dir.0.join("missing")], &SuiteOptions::default()).is_err());
}

#[test]
fn an_expectation_that_states_nothing_is_an_error_unless_blessed() {
    for (name, block) in [
        ("period_only.toml", "[[expect]]\nperiod = \"2026-01\"\n"),
        (
            "empty_units.toml",
            "[[expect]]\nperiod = \"2026-01\"\nunits.a = {}\nunits.b = {}\n",
        ),
    ] {
        let dir = Dir::new(name.trim_end_matches(".toml"));
        let body =
            format!("[[expect]]\nperiod = \"2026-01\"\nunits.a = {{ total = \"100\" }}\n\n{block}");
        let path = dir.case(name, &body);
        let case = Case::load(&path).unwrap();
        let ruleset = kaohe::cases::load_ruleset(&case.ruleset).unwrap();
        let err = case.run(&ruleset).unwrap_err();
        assert!(
            matches!(err, CaseError::ChecksNothing { block: 2, .. }),
            "{name}: {err}"
        );
        assert!(
            err.to_string().contains("[[expect]] #2")
                && err.to_string().contains("this expectation checks nothing"),
            "{err}"
        );
        // In Chinese too (a fresh-user review found it left in English).
        let records = kaohe::ToErrorRecords::error_records(&err);
        let zh = kaohe::i18n::Catalog::new().text(
            kaohe::i18n::Lang::Zh,
            CaseError::CHECKS_NOTHING,
            &records[0].message,
        );
        assert!(
            zh.contains("：第 2 个 [[expect]] 块（2026-01）没有检查任何结果；"),
            "{zh}"
        );
        let report = run_suite(std::slice::from_ref(&path), &SuiteOptions::default()).unwrap();
        assert!(!report.passed(), "{name}");
        assert!(matches!(
            report.cases[0].outcome,
            Outcome::Error(CaseError::ChecksNothing { .. })
        ));
        // `--bless` fills the block in; then the case checks something and passes.
        let blessed = run_suite(
            std::slice::from_ref(&path),
            &SuiteOptions {
                bless: true,
                coverage: false,
            },
        )
        .unwrap();
        assert!(blessed.passed(), "{name}: {:?}", blessed.cases[0].outcome);
        let again = run_suite(&[path], &SuiteOptions::default()).unwrap();
        assert!(again.passed(), "{name}: {:?}", again.cases[0].outcome);
    }
    // `rejected = []` states something: that nothing was rejected.
    let dir = Dir::new("rejected_only");
    let path = dir.case(
        "rejected_only.toml",
        "[[expect]]\nperiod = \"2026-01\"\nrejected = []\n",
    );
    let case = Case::load(&path).unwrap();
    let ruleset = kaohe::cases::load_ruleset(&case.ruleset).unwrap();
    assert!(case.run(&ruleset).is_ok());
}

#[test]
fn a_suite_reports_declared_clauses_nothing_cites() {
    // Declaring clause texts: every cited id must then be declared, and a
    // declared clause nothing cites is a coverage gap (rulebook text not encoded).
    let mut rules = RULES.to_owned();
    let mut declared = String::new();
    for n in 1..=11 {
        declared.push_str(&format!("clause [T-{n}] \"第{n}条\"\n"));
    }
    declared.push_str("clause [T-12] \"本细则由专班办公室负责解释\"\n");
    rules = rules.replace("group lead", &format!("{declared}group lead"));
    let ruleset =
        kaohe::Ruleset::from_source(kaohe::source::SourceFile::new("tiny.rules", rules.clone()))
            .unwrap();
    assert_eq!(
        ruleset.clauses().get("T-12"),
        Some(&"本细则由专班办公室负责解释")
    );
    let dir = Dir::new("uncited");
    std::fs::write(dir.0.join("tiny.rules"), &rules).unwrap();
    dir.case(
        "a.toml",
        "[[expect]]\nperiod = \"2026-01\"\nunits.a = { total = \"99\" }\n",
    );
    let report = run_suite(
        &[dir.path().to_path_buf()],
        &SuiteOptions {
            bless: false,
            coverage: true,
        },
    )
    .unwrap();
    assert!(matches!(report.cases[0].outcome, Outcome::Passed));
    let coverage = &report.coverage[0];
    let uncited: Vec<&str> = coverage.uncited.iter().map(|u| u.clause.as_str()).collect();
    assert_eq!(uncited, ["T-12"]);
    assert_eq!(coverage.uncited[0].line, 18);
    assert_eq!(coverage.gaps(), coverage.uncovered.len() + 1);
    assert!(!report.passed());
}
