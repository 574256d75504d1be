//! The command line's plumbing, end to end: closed pipes, errors as JSON on
//! standard output, `-` for standard input, directories and empty files, the
//! FACTS kind told by content, the checks on `--period` and `--explain`, and
//! the byte-order mark of a CSV file (issue 11 §4, issue 14 §7).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::{rulec, workspace};

const MILUO: &str = "rulesets/miluo-2026/miluo-2026.rules";
const MILUO_APRIL: &str = "rulesets/miluo-2026/examples/2026-04.json";

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `rulec` in the workspace with `stdin` on standard input.
fn rulec_with_stdin(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Runs `rulec` with standard output and standard error both on a pipe whose
/// reading end is already closed, so every write fails with a broken pipe.
fn rulec_into_closed_pipes(args: &[&str]) -> Option<i32> {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer.try_clone().unwrap()))
        .stderr(Stdio::from(writer))
        .status()
        .unwrap();
    status.code()
}

#[test]
fn no_subcommand_panics_on_closed_pipes() {
    let dir = scratch("pipes");
    let bad = dir.join("bad.rules");
    std::fs::write(&bad, "score { base 100 } garbage\n").unwrap();
    let bad = bad.to_str().unwrap();
    let empty = dir.join("empty.json");
    std::fs::write(&empty, "").unwrap();
    let empty = empty.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", bad],
        vec!["check", "--format", "json", bad],
        vec!["check", MILUO],
        vec!["check", "no-such-file.rules"],
        vec!["eval", MILUO, MILUO_APRIL],
        vec!["eval", MILUO, MILUO_APRIL, "--format", "json"],
        vec!["eval", MILUO, MILUO_APRIL, "--format", "csv"],
        vec!["eval", MILUO, MILUO_APRIL, "--explain", "jtj"],
        vec!["eval", MILUO, empty],
        vec!["eval", MILUO, empty, "--format", "json"],
        vec!["eval", bad, MILUO_APRIL],
        vec!["schema", MILUO],
        vec!["generate", MILUO, "--units", "2"],
        vec!["fmt", "--check", bad],
        vec!["test", "rulesets/miluo-2026"],
        vec!["diff", MILUO, MILUO, MILUO_APRIL],
        vec!["diff", MILUO, MILUO, empty, "--format", "json"],
        vec!["--help"],
        vec!["--version"],
        vec!["no-such-command"],
    ];
    for args in runs {
        let code = rulec_into_closed_pipes(&args);
        assert!(
            matches!(code, Some(0..=2)),
            "`rulec {}` on closed pipes ended with {code:?} (101 is a panic)",
            args.join(" ")
        );
    }
}

#[test]
fn eval_prints_ruleset_errors_as_json_on_stdout() {
    let dir = scratch("json-ruleset");
    let bad = dir.join("bad.rules");
    std::fs::write(&bad, "score { base 100 } garbage\n").unwrap();
    let run = rulec(&[
        "eval",
        bad.to_str().unwrap(),
        MILUO_APRIL,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let error = &json["errors"][0];
    assert_eq!(error["code"], "kaohe::syntax");
    assert_eq!(error["severity"], "error");
    assert_eq!(error["file"], bad.to_str().unwrap());
    assert_eq!(error["line"], 1);
    assert_eq!(error["column"], 20);
    assert_eq!(error["end"]["line"], 1);
    assert!(
        error["message"].as_str().unwrap().contains("garbage"),
        "{error}"
    );
}

#[test]
fn usage_errors_are_json_too_and_keep_exit_2() {
    let run = rulec(&["eval", MILUO, "no-such-facts.json", "--format", "json"]);
    assert_eq!(run.code, 2);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["errors"][0]["code"], "kaohe::cli::io");
    assert_eq!(json["errors"][0]["file"], "no-such-facts.json");
}

#[test]
fn diff_prints_fact_errors_as_json_on_stdout() {
    let dir = scratch("json-diff");
    let facts = dir.join("facts.json");
    std::fs::write(
        &facts,
        r#"{"as_of": "2026-04-23", "units": [], "records": [], "extra": 1}"#,
    )
    .unwrap();
    let run = rulec(&[
        "diff",
        MILUO,
        MILUO,
        facts.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let error = &json["errors"][0];
    assert!(error["code"]
        .as_str()
        .unwrap()
        .starts_with("kaohe::facts::"));
    assert_eq!(error["path"], "$.extra");
    assert_eq!(error["file"], facts.to_str().unwrap());
}

#[test]
fn a_dash_reads_rulesets_and_facts_from_standard_input() {
    let rules = std::fs::read(workspace().join(MILUO)).unwrap();
    let facts = std::fs::read(workspace().join(MILUO_APRIL)).unwrap();
    let from_files = rulec(&["eval", MILUO, MILUO_APRIL, "--format", "csv"]);
    assert_eq!(from_files.code, 0, "{}", from_files.stderr);

    let (code, stdout, stderr) = rulec_with_stdin(&["eval", MILUO, "-", "--format", "csv"], &facts);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, from_files.stdout);

    let (code, stdout, stderr) =
        rulec_with_stdin(&["eval", "-", MILUO_APRIL, "--format", "csv"], &rules);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, from_files.stdout);

    let (code, _, stderr) = rulec_with_stdin(&["check", "-"], &rules);
    assert_eq!(code, 0, "{stderr}");
    // A ruleset error from standard input is located in `<stdin>`.
    let (code, _, stderr) = rulec_with_stdin(&["check", "-"], b"score { base 100 } garbage\n");
    assert_eq!(code, 1);
    assert!(stderr.contains("<stdin>:1:20"), "{stderr}");

    let (code, _, stderr) = rulec_with_stdin(&["eval", "-", "-"], b"");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot both be read from standard input"),
        "{stderr}"
    );
}

#[test]
fn a_directory_is_an_io_error_and_an_empty_file_is_empty() {
    let dir = scratch("paths");
    let empty = dir.join("empty.rules");
    std::fs::write(&empty, "").unwrap();
    let empty_facts = dir.join("empty.json");
    std::fs::write(&empty_facts, "").unwrap();

    let run = rulec(&["check", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("it is a directory, not a file"),
        "{}",
        run.stderr
    );
    let run = rulec(&["eval", MILUO, dir.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("it is a directory, not a file"),
        "{}",
        run.stderr
    );

    let run = rulec(&["check", empty.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("the file is empty"), "{}", run.stderr);
    let run = rulec(&[
        "eval",
        MILUO,
        empty_facts.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // An empty fact file is the fact reader's own error, at `$`: one answer
    // whichever entry point reads it.
    assert_eq!(json["errors"][0]["code"], "kaohe::facts::empty");
    assert_eq!(json["errors"][0]["path"], "$");
    assert!(json["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("the file is empty"));
}

#[test]
fn a_ruleset_that_is_not_utf8_names_the_first_bad_byte() {
    let dir = scratch("gbk");
    let gbk = dir.join("gbk.rules");
    // `// 考核` in GBK: 0xBF 0xBC 0xBA 0xCB.
    std::fs::write(&gbk, b"ruleset x {\n// \xBF\xBC\xBA\xCB\n}\n").unwrap();
    let run = rulec(&["check", gbk.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the file is not UTF-8: byte 0xBF at line 2, column 4"),
        "{}",
        run.stderr
    );
}

#[test]
fn facts_are_told_by_content_not_by_name() {
    let dir = scratch("sniff");
    // An Excel 97–2003 workbook starts with the OLE2 signature.
    let xls = dir.join("ledger.xlsx");
    std::fs::write(&xls, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    let run = rulec(&["eval", MILUO, xls.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("Excel 97–2003 workbook (.xls)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("save it as “Excel 工作簿 (*.xlsx)”"),
        "{}",
        run.stderr
    );

    // A real ledger named `.json` is read as a ledger, not as JSON.
    let ledger = dir.join("ledger.json");
    let run = rulec(&["template", MILUO, "-o", ledger.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = rulec(&["eval", MILUO, ledger.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<&str> = json["errors"]
        .as_array()
        .map(|e| e.iter().map(|e| e["code"].as_str().unwrap()).collect())
        .unwrap_or_default();
    assert!(
        codes.iter().all(|c| !c.starts_with("kaohe::facts::")),
        "a ledger was read as JSON: {}",
        run.stdout
    );

    // A CSV export renamed `.xlsx` is named as text (such as CSV), not parsed
    // as JSON ("expected value at line 1 column 1").
    let csv = dir.join("ledger-csv.xlsx");
    std::fs::write(&csv, "单位编号,期间\njtj,2026-04\n").unwrap();
    let run = rulec(&["eval", MILUO, csv.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json["errors"][0]["code"], "kaohe::ledger::csv",
        "{}",
        run.stdout
    );
    assert!(
        json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("a text file (such as CSV)"),
        "{}",
        run.stdout
    );

    // A JSON fact file named `.xlsx` is read as JSON.
    let json_named_xlsx = dir.join("facts.xlsx");
    std::fs::copy(workspace().join(MILUO_APRIL), &json_named_xlsx).unwrap();
    let run = rulec(&["eval", MILUO, json_named_xlsx.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_quarter_on_a_monthly_ruleset_says_the_ruleset_is_monthly() {
    let run = rulec(&["eval", MILUO, MILUO_APRIL, "--period", "2026-Q2"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "ruleset `rulesets/miluo-2026/miluo-2026.rules` is monthly: it has no period 2026-Q2"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--period 2026-04"), "{}", run.stderr);
}

#[test]
fn explain_of_an_unknown_unit_suggests_the_closest_ids() {
    let run = rulec(&["eval", MILUO, MILUO_APRIL, "--explain", "jtjj"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no unit `jtjj` in the facts"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `jtj` (教体局)"),
        "{}",
        run.stderr
    );
    let run = rulec(&["eval", MILUO, MILUO_APRIL, "--explain", "教体"]);
    assert!(
        run.stderr.contains("did you mean `jtj` (教体局)"),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_with_a_format_it_does_not_support_is_an_error() {
    let run = rulec(&[
        "eval",
        MILUO,
        MILUO_APRIL,
        "--explain",
        "jtj",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("--explain cannot be written as csv"),
        "{}",
        run.stderr
    );
}

#[test]
fn facts_with_units_and_no_records_have_nothing_to_evaluate() {
    let dir = scratch("no-records");
    let facts = dir.join("facts.json");
    std::fs::write(
        &facts,
        r#"{"as_of": "2026-04-23",
            "units": [{"id": "jtj", "name": "教体局", "group": "lead"}],
            "records": []}"#,
    )
    .unwrap();
    let run = rulec(&["eval", MILUO, facts.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("$.records: the fact file has no records and no `periods`: there is nothing to evaluate"), "{}", run.stderr);
}

#[test]
fn a_csv_file_starts_with_a_byte_order_mark_and_standard_output_does_not() {
    let dir = scratch("csv");
    let out = dir.join("bulletin.csv");
    let run = rulec(&[
        "eval",
        MILUO,
        MILUO_APRIL,
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBFperiod,unit,name,"),
        "{:?}",
        &bytes[..20]
    );
    let stdout = rulec(&["eval", MILUO, MILUO_APRIL, "--format", "csv"]).stdout;
    assert!(stdout.starts_with("period,unit,name,"), "{stdout}");
    assert_eq!(&bytes[3..], stdout.as_bytes());
    // Other formats written to a file get no mark.
    let md = dir.join("bulletin.md");
    rulec(&[
        "eval",
        MILUO,
        MILUO_APRIL,
        "--format",
        "markdown",
        "-o",
        md.to_str().unwrap(),
    ]);
    assert!(!std::fs::read(&md).unwrap().starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn long_lines_are_cut_around_the_span_and_the_limit_hit_is_named() {
    let dir = scratch("long");
    // Over the size limit, all on one line: the size limit is named, and the
    // line is not echoed.
    let big = dir.join("big.rules");
    std::fs::write(
        &big,
        format!("ruleset x {{ {}}}\n", "title \"a\" ".repeat(300_000)),
    )
    .unwrap();
    let run = rulec(&["check", big.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of errors",
        run.stderr.len()
    );
    assert!(
        run.stderr
            .contains("over the limit `max_ruleset_bytes` = 1048576"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("check that this is the ruleset file"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("split the expression"),
        "{}",
        run.stderr
    );

    // Under the limit, one long line: cut around the span, real line and column.
    let long = dir.join("long.rules");
    let text = format!(
        "ruleset x {{ title \"{}\" }} garbage {}\n",
        "a".repeat(200_000),
        "x".repeat(1_000)
    );
    std::fs::write(&long, text).unwrap();
    let run = rulec(&["check", long.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of errors",
        run.stderr.len()
    );
    assert!(
        run.stderr.contains("long.rules:1:200024]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\" } garbage xxx"), "{}", run.stderr);
    assert!(run.stderr.contains("───┬───"), "{}", run.stderr);
}

#[test]
fn test_reports_cases_and_their_errors_as_json() {
    let run = rulec(&["test", "--format", "json", "rulesets/miluo-2026"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["passed"], true);
    let cases = json["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    assert!(
        cases.iter().all(|c| c["outcome"] == "passed"),
        "{}",
        run.stdout
    );

    let dir = scratch("cases-json");
    std::fs::create_dir_all(dir.join("cases")).unwrap();
    std::fs::write(dir.join("cases/broken.toml"), "this is [not toml\n").unwrap();
    let run = rulec(&["test", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["passed"], false);
    assert_eq!(json["cases"][0]["outcome"], "error");
    assert_eq!(json["cases"][0]["errors"][0]["code"], "kaohe::case::format");

    let empty = scratch("no-cases");
    let run = rulec(&["test", "--format", "json", empty.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["errors"][0]["code"], "kaohe::cli::no_cases");
}

#[test]
fn an_evaluation_error_is_located_in_the_ruleset() {
    let dir = scratch("eval-error");
    let rules = dir.join("div.rules");
    std::fs::write(
        &rules,
        r#"ruleset tiny {
  title "示例" issuer "示例专班" source "示例细则"
  effective 2026-01-01 to 2026-12-31
}
group lead "牵头单位" [X-1] {}
record late_report "迟报" {}
period month [X-1] { amendable [X-1] }
score [X-1] {
  base 100 [X-1]
  category daily "日常工作" [X-1] {
    deduct late "迟报" [X-2] {
      amount 10 / count(late_report)
    }
  }
}
ranking monthly "月度排名" of lead [X-3] { by total desc ties shared [X-3] }
"#,
    )
    .unwrap();
    let facts = dir.join("facts.json");
    std::fs::write(
        &facts,
        r#"{"as_of": "2026-05-10", "periods": ["2026-04"],
            "units": [{"id": "jtj", "name": "教体局", "group": "lead"}], "records": []}"#,
    )
    .unwrap();
    let run = rulec(&[
        "eval",
        rules.to_str().unwrap(),
        facts.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json["errors"][0],
        serde_json::json!({
            "code": "kaohe::eval::failed",
            "severity": "error",
            "message": "division by zero (unit `jtj`, period 2026-04)",
            "file": rules.to_str().unwrap(),
            "line": 12, "column": 14, "end": {"line": 12, "column": 37},
        })
    );
    let run = rulec(&["eval", rules.to_str().unwrap(), facts.to_str().unwrap()]);
    assert!(
        run.stderr.contains(":12:14: `10 / count(late_report)`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_full_width_comma_in_a_shipped_citation_is_refused_not_glued() {
    // The issue's example: `[ML-1，ML-A9]` in Miluo's ruleset.
    let text = std::fs::read_to_string(workspace().join(MILUO)).unwrap();
    let (line, _) = text
        .lines()
        .enumerate()
        .find(|(_, l)| {
            // A citation, not the clause's own declaration `clause [ML-1] "…"`.
            !l.trim_start().starts_with("clause") && (l.contains("[ML-1,") || l.contains("[ML-1]"))
        })
        .expect("a citation of ML-1");
    let mut lines: Vec<String> = text.lines().map(ToOwned::to_owned).collect();
    let cited =
        lines[line]
            .replace("[ML-1]", "[ML-1，ML-A9]")
            .replacen("[ML-1,", "[ML-1，ML-A9,", 1);
    lines[line] = cited.clone();
    let dir = scratch("ml-a9");
    let rules = dir.join("miluo.rules");
    std::fs::write(&rules, lines.join("\n")).unwrap();
    let run = rulec(&["check", "--format", "json", rules.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let json: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json.len(), 1, "{}", run.stdout);
    assert_eq!(json[0]["code"], "kaohe::full_width_punctuation");
    assert_eq!(json[0]["line"], line + 1);
    let column = cited[..cited.find('，').unwrap()].chars().count() + 1;
    assert_eq!(json[0]["column"], column);
    assert!(json[0]["help"]
        .as_str()
        .unwrap()
        .starts_with("full-width comma `，`: write `,`"));
    // Written with `,`, the undeclared assumption is reported.
    std::fs::write(&rules, lines.join("\n").replace('，', ", ")).unwrap();
    let run = rulec(&["check", "--format", "json", rules.to_str().unwrap()]);
    // (Miluo declares its clause texts, so an id that is neither a declared
    // clause nor an assumption is `undeclared_clause`.)
    assert!(
        run.stdout.contains("kaohe::unknown_assumption")
            || run.stdout.contains("kaohe::undeclared_clause"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ML-A9"), "{}", run.stdout);
}
