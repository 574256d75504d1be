#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `rulec` in Chinese (issue 16 §3): `LANG=zh_CN.UTF-8 rulec check` on a
//! broken ruleset and `rulec eval` on a bad fact file print Chinese with the
//! same codes and locations as in English (snapshots in both languages in
//! `tests/snapshots/i18n__*.snap`); `--lang` over `KAOHE_LANG` over the locale.

mod common;

use std::process::Command;

use common::{workspace, Run};

/// Runs `rulec` in the workspace root with exactly the language variables given.
fn rulec_env(env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rulec"));
    command
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env_remove("KAOHE_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().expect("run rulec");
    Run {
        code: output.status.code().expect("rulec exited normally"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

const ZH: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];
const EN: &[(&str, &str)] = &[("LANG", "en_US.UTF-8")];

const BROKEN: &[&str] = &[
    "tests/check/unknown_record_kind.rules",
    "tests/check/version_splits_month.rules",
    "tests/check/full_width_punctuation.rules",
    "tests/check/ties_not_shared.rules",
];

const MILUO: &str = "rulesets/miluo-2026/miluo-2026.rules";
const BAD_FACTS: &str = "tests/facts/miluo-2026__count_is_a_string.json";

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The records of a JSON error output without their messages and help.
fn located(json: &serde_json::Value) -> Vec<serde_json::Value> {
    let list = json
        .get("errors")
        .unwrap_or(json)
        .as_array()
        .expect("an array of errors")
        .clone();
    list.into_iter()
        .map(|mut record| {
            let object = record.as_object_mut().expect("an object");
            object.remove("message");
            object.remove("help");
            record
        })
        .collect()
}

fn messages(json: &serde_json::Value) -> Vec<String> {
    json.get("errors")
        .unwrap_or(json)
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| r["message"].as_str().expect("a message").to_owned())
        .collect()
}

#[test]
fn check_prints_chinese_with_the_same_codes_and_locations() {
    let mut args = vec!["check"];
    args.extend(BROKEN);
    let zh = rulec_env(ZH, &args);
    let en = rulec_env(EN, &args);
    assert_eq!((zh.code, en.code), (1, 1));
    assert!(zh.stderr.contains("提示"), "{}", zh.stderr);
    insta::assert_snapshot!("check_zh", zh.stderr);
    insta::assert_snapshot!("check_en", en.stderr);

    args.extend(["--format", "json"]);
    let zh: serde_json::Value = serde_json::from_str(&rulec_env(ZH, &args).stdout).unwrap();
    let en: serde_json::Value = serde_json::from_str(&rulec_env(EN, &args).stdout).unwrap();
    assert_eq!(located(&zh), located(&en));
    for (zh, en) in messages(&zh).iter().zip(messages(&en)) {
        assert!(has_chinese(zh), "{zh}");
        assert_ne!(zh, &en);
    }
}

#[test]
fn eval_of_a_bad_fact_file_prints_chinese_with_the_same_codes_and_paths() {
    let args = ["eval", MILUO, BAD_FACTS];
    let zh = rulec_env(ZH, &args);
    let en = rulec_env(EN, &args);
    assert_eq!((zh.code, en.code), (1, 1));
    assert!(zh.stdout.is_empty() && en.stdout.is_empty());
    insta::assert_snapshot!("eval_facts_zh", zh.stderr);
    insta::assert_snapshot!("eval_facts_en", en.stderr);

    let json_args = ["eval", MILUO, BAD_FACTS, "--format", "json"];
    let zh: serde_json::Value = serde_json::from_str(&rulec_env(ZH, &json_args).stdout).unwrap();
    let en: serde_json::Value = serde_json::from_str(&rulec_env(EN, &json_args).stdout).unwrap();
    assert_eq!(located(&zh), located(&en));
    assert!(located(&zh)[0]["path"] == "$.records[2].count");
    assert!(messages(&zh).iter().all(|m| has_chinese(m)));
}

#[test]
fn the_flag_comes_before_kaohe_lang_before_the_locale() {
    let args = ["check", "tests/check/unknown_record_kind.rules"];
    let chinese = |run: Run| has_chinese(run.stderr.lines().last().unwrap_or(""));
    assert!(chinese(rulec_env(ZH, &args)));
    assert!(!chinese(rulec_env(EN, &args)));
    assert!(!chinese(rulec_env(&[], &args)));
    assert!(chinese(rulec_env(
        &[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "C")],
        &args
    )));
    assert!(!chinese(rulec_env(
        &[("KAOHE_LANG", "en"), ("LANG", "zh_CN.UTF-8")],
        &args
    )));
    assert!(chinese(rulec_env(&[("KAOHE_LANG", "zh")], &args)));
    let mut with_flag = vec!["--lang", "en"];
    with_flag.extend(args);
    assert!(!chinese(rulec_env(ZH, &with_flag)));
    let mut after = args.to_vec();
    after.extend(["--lang", "zh"]);
    assert!(chinese(rulec_env(EN, &after)));
    let bad = rulec_env(EN, &["--lang", "fr", "check", "x.rules"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn the_ranking_table_has_chinese_headers() {
    let args = [
        "eval",
        MILUO,
        "rulesets/miluo-2026/examples/2026-04.json",
        "--period",
        "2026-04",
    ];
    let zh = rulec_env(ZH, &args);
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    let header = zh.stdout.lines().nth(1).unwrap_or("");
    for word in ["名次", "单位", "得分", "预警通知"] {
        assert!(header.contains(word), "{header}");
    }
    let en = rulec_env(EN, &args);
    assert!(en.stdout.lines().nth(1).unwrap_or("").starts_with("rank"));
}

#[test]
fn long_lines_are_cut_in_chinese_too() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-i18n-long-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let long = dir.join("long.rules");
    let text = format!(
        "ruleset x {{ title \"{}\" }} garbage {}\n",
        "a".repeat(200_000),
        "x".repeat(1_000)
    );
    std::fs::write(&long, text).unwrap();
    let run = rulec_env(ZH, &["check", long.to_str().unwrap()]);
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
    assert!(
        run.stderr.contains("此处不应出现 `garbage`"),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ledger_errors_are_in_chinese_with_the_same_codes() {
    let args = ["import", MILUO, "rulesets/miluo-2026/examples/2026-04.json"];
    let zh = rulec_env(ZH, &args);
    assert_eq!(zh.code, 1);
    insta::assert_snapshot!("import_json_as_ledger_zh", zh.stderr);
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let zh: serde_json::Value = serde_json::from_str(&rulec_env(ZH, &json_args).stdout).unwrap();
    let en: serde_json::Value = serde_json::from_str(&rulec_env(EN, &json_args).stdout).unwrap();
    assert_eq!(located(&zh), located(&en));
    assert!(messages(&zh).iter().all(|m| has_chinese(m)));
}

/// The facts' warnings of `rulec eval --format json` (`facts.warnings`, the
/// place docs/api.md gives them) speak the asked language, with the same
/// codes and paths; the warning on standard error too.
#[test]
fn fact_warnings_in_the_json_are_in_chinese_with_the_same_codes_and_paths() {
    let example = workspace().join("rulesets/miluo-2026/examples/2026-04.json");
    let mut facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example).unwrap()).unwrap();
    facts["discretion"] = serde_json::json!({"2026-04": ["jtj", "rsj"]});
    let path =
        std::env::temp_dir().join(format!("rulec-i18n-warnings-{}.json", std::process::id()));
    std::fs::write(&path, facts.to_string()).unwrap();
    let file = path.display().to_string();
    let args = ["eval", MILUO, file.as_str(), "--format", "json"];
    let (zh, en) = (rulec_env(ZH, &args), rulec_env(EN, &args));
    std::fs::remove_file(&path).unwrap();
    assert_eq!((zh.code, en.code), (0, 0), "{}", zh.stderr);
    assert!(zh.stderr.contains("考核期排名"), "{}", zh.stderr);
    let warnings = |run: &Run| -> Vec<serde_json::Value> {
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        json["facts"]["warnings"].as_array().unwrap().clone()
    };
    let (zh, en) = (warnings(&zh), warnings(&en));
    assert_eq!(zh.len(), 1);
    let keys =
        |w: &serde_json::Value| (w["code"].clone(), w["severity"].clone(), w["path"].clone());
    assert_eq!(keys(&zh[0]), keys(&en[0]));
    assert_eq!(zh[0]["code"], "kaohe::facts::unused_discretion");
    assert!(
        en[0]["message"].as_str().unwrap().contains("is ignored"),
        "{}",
        en[0]
    );
    for text in [&zh[0]["message"], &zh[0]["help"]] {
        let text = text.as_str().unwrap();
        assert!(has_chinese(text) && !text.contains("per period"), "{text}");
    }
}

#[test]
fn evaluation_errors_are_in_chinese_at_the_same_place() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-i18n-eval-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
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
    let args = ["eval", rules.to_str().unwrap(), facts.to_str().unwrap()];
    let zh = rulec_env(ZH, &args);
    assert_eq!(zh.code, 1);
    assert!(
        zh.stderr.contains("除数为零（单位 `jtj`，考核期 2026-04）"),
        "{}",
        zh.stderr
    );
    assert!(zh.stderr.contains("位置 "), "{}", zh.stderr);
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let zh: serde_json::Value = serde_json::from_str(&rulec_env(ZH, &json_args).stdout).unwrap();
    let en: serde_json::Value = serde_json::from_str(&rulec_env(EN, &json_args).stdout).unwrap();
    assert_eq!(located(&zh), located(&en));
    assert_eq!(messages(&zh), ["除数为零（单位 `jtj`，考核期 2026-04）"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn case_results_and_table_notes_are_in_chinese() {
    let zh = rulec_env(ZH, &["test", "rulesets/miluo-2026"]);
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    assert!(
        zh.stdout.lines().all(|l| !l.starts_with("PASS")),
        "{}",
        zh.stdout
    );
    assert!(zh.stdout.contains("个通过，0 个不通过"), "{}", zh.stdout);
    let en = rulec_env(EN, &["test", "rulesets/miluo-2026"]);
    assert!(en.stdout.contains(" passed, 0 failed"), "{}", en.stdout);

    let args = [
        "eval",
        MILUO,
        "rulesets/miluo-2026/examples/2026-04.json",
        "--period",
        "2026-04",
    ];
    let zh = rulec_env(ZH, &args).stdout;
    assert!(zh.contains("并列未区分"), "{zh}");
    assert!(zh.lines().next().unwrap_or("").contains("暂定结果"), "{zh}");
}

#[test]
fn rulec_s_own_messages_are_in_chinese() {
    let zh = rulec_env(
        ZH,
        &[
            "eval",
            MILUO,
            "rulesets/miluo-2026/examples/2026-04.json",
            "--explain",
            "jtjj",
        ],
    );
    assert_eq!(zh.code, 2);
    insta::assert_snapshot!("unknown_unit_zh", zh.stderr);
    let zh = rulec_env(ZH, &["eval", MILUO, "rulesets/"]);
    assert_eq!(zh.code, 2);
    assert!(
        zh.stderr.starts_with("错误: rulesets/: 无法读取"),
        "{}",
        zh.stderr
    );
    let zh = rulec_env(ZH, &["test", "docs/"]);
    assert!(zh.stderr.contains("没有找到测试用例"), "{}", zh.stderr);
}

#[test]
fn an_explanation_is_in_chinese() {
    let args = [
        "eval",
        MILUO,
        "rulesets/miluo-2026/examples/2026-04.json",
        "--period",
        "2026-04",
        "--explain",
        "jtj",
    ];
    let zh = rulec_env(ZH, &args);
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    insta::assert_snapshot!("explain_zh", zh.stdout);
}

#[test]
fn a_diff_is_in_chinese() {
    let zh = rulec_env(
        ZH,
        &[
            "diff",
            MILUO,
            MILUO,
            "rulesets/miluo-2026/examples/2026-04.json",
        ],
    );
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    assert!(zh.stdout.starts_with("规则变更影响："), "{}", zh.stdout);
    assert!(
        zh.stdout.contains("没有单位的得分、名次或预警通知发生变化"),
        "{}",
        zh.stdout
    );
}

/// Every identifier-like word (`[A-Za-z_][A-Za-z0-9_]*`) of `text`.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()))
        .collect()
}

/// `line` without what is not prose: text between backticks or quotes
/// (user input, names), paths and file names (a word with `/` or `.` or
/// `:` in it), `key=value` pairs, codes (`kaohe::…`).
fn prose(line: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '`' || c == '"' || c == '\'' || c == '“' => {
                quote = Some(if c == '“' { '”' } else { c })
            }
            None => out.push(c),
        }
    }
    out.split_whitespace()
        .filter(|w| !(w.contains('/') || w.contains('.') || w.contains("::") || w.contains('=')))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every line of `output` holding an English word of 4 letters or more
/// that is not a name (`allowed`: keywords, the rulesets' and fact files'
/// names and values, the cases' texts, a few proper names).
fn english_lines(output: &str, allowed: &BTreeSet<String>) -> Vec<String> {
    output
        .lines()
        .filter(|line| {
            words(&prose(line)).iter().any(|w| {
                w.len() >= 4 && w.chars().all(|c| c.is_ascii_alphabetic()) && !allowed.contains(*w)
            })
        })
        .map(str::to_owned)
        .collect()
}

use std::collections::BTreeSet;

/// The words a Chinese output may hold: the language's keywords, every
/// name and value of the shipped rulesets, their fact files and cases (user
/// input), and proper names of formats and tools.
fn allowed_words() -> BTreeSet<String> {
    let mut texts = Vec::new();
    let mut dirs = vec![
        workspace().join("rulesets"),
        workspace().join("tests/check"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                texts.push(std::fs::read_to_string(path).unwrap());
            } else if path.extension().is_some_and(|e| e == "rules") {
                // Names and labels, not the comments (English prose).
                let text = std::fs::read_to_string(path).unwrap();
                texts.extend(
                    text.lines()
                        .map(|l| l.split("//").next().unwrap_or("").to_owned()),
                );
            }
        }
    }
    let mut allowed: BTreeSet<String> = texts
        .iter()
        .flat_map(|t| words(t))
        .map(str::to_owned)
        .collect();
    // The keywords: the first column of keywords.md's table (the rest is
    // English prose).
    let keywords = std::fs::read_to_string(workspace().join("grammar/keywords.md")).unwrap();
    allowed.extend(
        keywords
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .map(str::to_owned),
    );
    for extra in [
        "JSON",
        "Excel",
        "UTF",
        "YYYY",
        "SQLite",
        "Schema",
        "HTTP",
        "MiB",
        "Qn",
        "kaohe",
        "rulec",
        "sha256",
        "xlsx",
        "html",
        "table",
        "json",
        "markdown",
        "human",
        "PERIOD",
        // the flag `--threads`
        "threads",
        "RULESET",
        "FACTS",
        "UNIT",
        "PATH",
        "FILE",
        "ADDR",
        "BYTES",
        "SECONDS",
        "FORMAT",
        "LEDGER",
        "OLD",
        "NEW",
        "PATHS",
        "FILES",
        "DIR",
        "KAOHE_LANG",
        "LANG",
        "help",
        "lang",
        "version",
        "period",
        "year",
        "explain",
        "output",
        "format",
        "check",
        "bless",
        "coverage",
        "stdio",
        "units",
        "periods",
        "records",
        "partitions",
        "seed",
        "threads",
        "addr",
        "rulesets",
        "data",
        "token",
        "file",
        "max_body",
        "max_eval_seconds",
        "max_evaluations",
        "max_queued",
        "deny",
        "warnings",
        "Notepad",
        "WPS",
        "TRUE",
        "FALSE",
        "junit",
        "eval",
        "schema",
        "generate",
        "template",
        "import",
        "test",
        "diff",
        "verify",
        "serve",
        "seal",
        "help",
    ] {
        allowed.insert(extra.to_owned());
    }
    allowed
}

/// The main subcommands in Chinese (issue 16 §3): no line of their output
/// holds an English word other than codes, keywords, names from the
/// rulesets and facts, file paths and flags. A heuristic: a message left in
/// English has words of 4 letters or more that no ruleset or fact file
/// uses. The same runs in English do hold such words (the check can fail).
#[test]
fn the_main_subcommands_print_no_english_in_chinese() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-i18n-words-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let scratch = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let (db, xlsx, none) = (scratch("s.db"), scratch("t.xlsx"), scratch("none.db"));
    let unformatted = scratch("unformatted.rules");
    std::fs::write(
        &unformatted,
        std::fs::read_to_string(workspace().join(MILUO))
            .unwrap()
            .replace("\n  ", "\n    "),
    )
    .unwrap();
    // A failing case and a malformed one.
    let cases = dir.join("suite/cases");
    std::fs::create_dir_all(&cases).unwrap();
    let root = workspace().canonicalize().unwrap();
    let case = std::fs::read_to_string(root.join("rulesets/miluo-2026/cases/behind-schedule.toml"))
        .unwrap()
        .replace("../miluo-2026.rules", root.join(MILUO).to_str().unwrap())
        .replace(
            "../examples/",
            root.join("rulesets/miluo-2026/examples/").to_str().unwrap(),
        )
        .replace("total = \"95\", rank = 14", "total = \"96\", rank = 14");
    std::fs::write(cases.join("a.toml"), case).unwrap();
    std::fs::write(
        cases.join("b.toml"),
        "ruleset = \"nope.rules\"\nfacts = 3\n",
    )
    .unwrap();
    let suite = scratch("suite");
    let shaodong = "rulesets/shaodong-2023/shaodong-2023.rules";
    let example = "rulesets/example-county/example-county.rules";
    let may = "rulesets/miluo-2026/examples/2026-05.json";
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", MILUO, shaodong, example],
        vec![
            "check",
            "tests/check/unknown_record_kind.rules",
            "tests/check/ties_not_shared.rules",
        ],
        vec!["eval", MILUO, may],
        vec!["eval", MILUO, may, "--explain", "jtj"],
        vec!["eval", MILUO, may, "--format", "markdown"],
        vec!["eval", MILUO, may, "--format", "csv"],
        vec![
            "eval",
            shaodong,
            "rulesets/shaodong-2023/examples/2023-h2.json",
            "--explain",
            "jtj",
        ],
        vec![
            "eval",
            example,
            "rulesets/example-county/examples/2027.json",
            "--explain",
            "jyj",
        ],
        vec!["eval", MILUO, BAD_FACTS],
        vec!["eval", MILUO, may, "--explain", "nobody"],
        vec!["eval", MILUO, may, "--period", "2026-Q2"],
        vec!["template", MILUO, "-o", &xlsx],
        vec!["import", MILUO, &xlsx],
        vec!["eval", MILUO, &xlsx],
        vec!["fmt", "--check", &unformatted, MILUO],
        vec!["test", "rulesets/", "--coverage"],
        vec!["test", "docs/"],
        vec!["test", &suite],
        vec!["test", &suite, MILUO, "--coverage"],
        vec!["diff", MILUO, MILUO, may],
        vec!["diff", MILUO, shaodong, may],
        vec!["seal", MILUO, may, "--period", "2026-05", "--db", &db],
        vec!["seal", MILUO, may, "--period", "2026-04", "--db", &db],
        vec!["seal", MILUO, may, "--period", "2026-04", "--db", &db],
        vec!["verify", "--db", &db],
        vec!["verify", "--db", &none],
        vec!["--help"],
        vec!["eval", "--help"],
        vec!["test", "-h"],
        vec!["eval", "--bogus"],
        vec!["evl"],
        vec!["eval", MILUO],
        vec!["eval", MILUO, may, "--format", "pdf"],
    ];
    let allowed = allowed_words();
    let mut failures = Vec::new();
    let mut english = 0;
    for args in &runs {
        let zh = rulec_env(ZH, args);
        let mut output = format!("{}{}", zh.stdout, zh.stderr);
        if args[0] == "test" {
            // A case's description (after ` — `) is the case file's text.
            output = output
                .lines()
                .map(|l| l.split(" — ").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
        }
        assert!(
            has_chinese(&output),
            "rulec {}: no Chinese:\n{output}",
            args.join(" ")
        );
        for line in english_lines(&output, &allowed) {
            failures.push(format!("rulec {}: {line}", args.join(" ")));
        }
        let en = rulec_env(EN, args);
        english += english_lines(&format!("{}{}", en.stdout, en.stderr), &allowed).len();
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        english > 50,
        "the heuristic finds only {english} English lines in English"
    );
    assert!(
        failures.is_empty(),
        "{} lines with English words:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
