#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Every message in Chinese as well as English (issue 16 §3): the `.ftl`
//! files parse, every id exists in both languages, every code of
//! `docs/errors.md` has a message, and every message, help and label the
//! checker and the fact reader give on the test corpora is recognised by an
//! English pattern and comes out in Chinese.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kaohe::i18n::{message_id, resources, Catalog, Lang};
use kaohe::{check, Facts, Ruleset, SourceFile};
use miette::Diagnostic;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &str, extension: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(workspace().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    out.sort();
    out
}

/// Whether `text` holds a CJK character.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_ftl_file_parses_without_repeated_ids() {
    for lang in [Lang::En, Lang::Zh] {
        let mut seen = BTreeSet::new();
        for (name, text) in resources(lang) {
            if let Err((_, errors)) = fluent_syntax::parser::parse(*text) {
                panic!(
                    "locales/{}/{name} does not parse: {errors:?}",
                    lang.locale()
                );
            }
            for id in Catalog::ids_of(text) {
                assert!(
                    seen.insert(id.clone()),
                    "locales/{}: `{id}` is defined twice",
                    lang.locale()
                );
            }
        }
    }
}

#[test]
fn every_message_id_exists_in_both_languages() {
    let en: BTreeSet<String> = Catalog::ids(Lang::En).into_iter().collect();
    let zh: BTreeSet<String> = Catalog::ids(Lang::Zh).into_iter().collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    let only_zh: Vec<_> = zh.difference(&en).collect();
    assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
    assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
    assert!(en.len() > 200, "only {} ids", en.len());
}

#[test]
fn every_documented_code_has_a_message_in_both_languages() {
    let doc = std::fs::read_to_string(workspace().join("docs/errors.md")).unwrap();
    let mut codes = BTreeSet::new();
    for line in doc.lines() {
        if let Some(rest) = line.strip_prefix("| `kaohe::") {
            if let Some((name, _)) = rest.split_once('`') {
                codes.insert(format!("kaohe::{name}"));
            }
        }
    }
    assert!(
        codes.len() > 100,
        "only {} codes in docs/errors.md",
        codes.len()
    );
    for code in &codes {
        for lang in [Lang::En, Lang::Zh] {
            assert!(
                Catalog::ids(lang).contains(&message_id(code)),
                "`{code}` has no message `{}` in {}",
                message_id(code),
                lang.locale()
            );
        }
    }
}

/// Whether `text` still holds two English words in a row outside
/// backticks and quotes (an untranslated piece).
fn has_english_words(text: &str) -> bool {
    let mut outside = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '`' || c == '"' => quote = Some(c),
            None => outside.push(c),
        }
    }
    let words: Vec<&str> = outside.split(|c: char| !c.is_ascii_alphabetic()).collect();
    // Two words of 3+ letters separated by one space (not a code like `YYYY-MM-DD`).
    outside
        .split(|c: char| !(c.is_ascii_alphabetic() || c == ' '))
        .any(|run| {
            run.split(' ')
                .filter(|w| w.len() >= 3 && w.chars().any(|c| c.is_ascii_lowercase()))
                .count()
                >= 2
        })
        && !words.is_empty()
}

/// Checks that `text` (of an error with `code`) is recognised and becomes
/// Chinese; collects the failures.
fn expect_translated(catalog: &Catalog, code: &str, text: &str, failures: &mut Vec<String>) {
    let zh = catalog.text(Lang::Zh, code, text);
    if !catalog.recognises(code, text) || !has_chinese(&zh) || has_english_words(&zh) {
        failures.push(format!("{code}: {text:?} → {zh:?}"));
    }
    assert_eq!(catalog.text(Lang::En, code, text), text, "English changed");
    // The English `.ftl` pattern gives back exactly what the code wrote.
    if let Some(en) = catalog.reformat(Lang::En, code, text) {
        if en != text {
            failures.push(format!("{code}: en.ftl gives {en:?} for {text:?}"));
        }
    }
}

#[test]
fn every_diagnostic_of_the_check_corpus_is_in_chinese() {
    let catalog = Catalog::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in files("tests/check", "rules") {
        let text = std::fs::read_to_string(&path).unwrap();
        let source = SourceFile::new(path.display().to_string(), text);
        for d in check(&source).diagnostics {
            let code = d.code_str();
            count += 1;
            expect_translated(&catalog, &code, &d.to_string(), &mut failures);
            if let Some(help) = d.help() {
                expect_translated(&catalog, &code, &help.to_string(), &mut failures);
            }
            for label in d.labels().into_iter().flatten() {
                if let Some(text) = label.label() {
                    expect_translated(&catalog, &code, text, &mut failures);
                }
            }
            let record = d.record_in(&source, Lang::Zh, &catalog);
            let english = d.record(&source);
            assert_eq!(
                (&record.code, &record.start, &record.end, &record.file),
                (&english.code, &english.start, &english.end, &english.file)
            );
        }
    }
    assert!(count > 60, "only {count} diagnostics");
    assert!(
        failures.is_empty(),
        "{} texts not in Chinese:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_error_of_the_fact_corpus_is_in_chinese() {
    let catalog = Catalog::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in files("tests/facts", "json") {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let Some((ruleset, _)) = stem.split_once("__") else {
            continue;
        };
        let rules = workspace().join(format!("rulesets/{ruleset}/{ruleset}.rules"));
        let ruleset = Ruleset::from_source(SourceFile::new(
            "r.rules",
            std::fs::read_to_string(rules).unwrap(),
        ))
        .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let Err(errors) = Facts::from_reader(&ruleset, bytes.as_slice()) else {
            continue;
        };
        for e in &errors.errors {
            count += 1;
            expect_translated(&catalog, e.code, &e.message, &mut failures);
        }
    }
    assert!(count > 50, "only {count} fact errors");
    assert!(
        failures.is_empty(),
        "{} fact-file messages not in Chinese:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn arguments_are_carried_over_and_pieces_translated() {
    let catalog = Catalog::new();
    assert_eq!(
        catalog.text(
            Lang::Zh,
            "kaohe::unknown_name",
            "unknown level `centrl` of `media_tier`"
        ),
        "未声明的等级 `centrl`（属于 `media_tier`）"
    );
    assert_eq!(
        catalog.text(Lang::Zh, "kaohe::unknown_name", "did you mean `report`?"),
        "是否应为 `report`？"
    );
    assert_eq!(
        catalog.text(
            Lang::Zh,
            "kaohe::facts::unknown_unit",
            "unknown unit `jtjj` (not in $.units); did you mean `jtj`?"
        ),
        "未知的单位 `jtjj`（不在 $.units 中）；是否应为 `jtj`？"
    );
    // A message no pattern knows stays English rather than being lost.
    assert_eq!(
        catalog.text(Lang::Zh, "kaohe::syntax", "something new"),
        "something new"
    );
}

#[test]
fn lang_from_the_environment_and_from_tags() {
    assert_eq!(Lang::from_env_str("zh_CN.UTF-8"), Some(Lang::Zh));
    assert_eq!(Lang::from_env_str("zh"), Some(Lang::Zh));
    assert_eq!(Lang::from_env_str("en_US.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::from_env_str("C"), Some(Lang::En));
    assert_eq!(Lang::from_env_str(""), None);
    assert_eq!("zh".parse::<Lang>(), Ok(Lang::Zh));
    assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
    assert!("fr".parse::<Lang>().is_err());
    assert_eq!(serde_json::to_string(&Lang::Zh).unwrap(), "\"zh\"");
}

/// Ledger messages and help as `kaohe_office::import` writes them (copied
/// from the office crate's snapshots, `crates/kaohe-office/tests/snapshots/`).
const LEDGER: &[(&str, &str)] = &[
    ("kaohe::ledger::empty_cell", "expected the evaluation date, a date YYYY-MM-DD, found an empty cell"),
    ("kaohe::ledger::missing_column", "expected a column `unit` (单位编号) in row 2, found none"),
    ("kaohe::ledger::unknown_column", "expected a column name of this sheet (unit, period, reported, entry, count, id, revision) or an empty cell (a remark column), found 单位"),
    ("kaohe::ledger::bad_cell", "expected periods, each a month YYYY-MM, separated by commas, found 2023-07, 2023-7月份"),
    ("kaohe::ledger::bad_cell", "expected one of 牵头单位/乡镇（街道）, found 乡镇"),
    ("kaohe::ledger::not_an_attribute_of_group", "expected an empty cell (重点民生实事指标数（仅牵头单位） is not an attribute of group 乡镇（街道）, which has 项目任务数（仅乡镇（街道））), found 2"),
    ("kaohe::ledger::invalid_fact", "duplicate unit id `wjj` (first used at 单位!A4)"),
    ("kaohe::ledger::empty_cell", "expected a whole number (重点民生实事指标数（仅牵头单位）), found an empty cell"),
    ("kaohe::ledger::bad_cell", "expected a date YYYY-MM-DD, found the error #DIV/0!"),
    ("kaohe::ledger::bad_cell", "the cell's formula gives an error: correct it, or type the value"),
    ("kaohe::ledger::bad_cell", "expected a date YYYY-MM-DD, found 下周"),
    ("kaohe::ledger::bad_cell", "accepted: a date cell, or text 2026-04-15 (as in fact files), 2026/4/15, 2026.4.15 or 2026年4月15日"),
    ("kaohe::ledger::bad_cell", "expected a whole number 0 or more (empty means 1), found TRUE"),
    ("kaohe::ledger::unknown_unit", "expected a unit id listed on sheet 单位, found jyjj; did you mean jyj?"),
    ("kaohe::ledger::bad_cell", "expected 是 or 否, found 可能"),
    ("kaohe::ledger::bad_cell", "expected a month YYYY-MM, found 9月"),
    ("kaohe::ledger::not_a_calendar_day", "expected a date YYYY-MM-DD, found 2023-09-31, which is not a calendar day (September 2023 has 30 days)"),
    ("kaohe::ledger::invalid_fact", "period 2024-01 is outside the ruleset's effective range 2023-07-13 to 2023-12-31"),
    ("kaohe::ledger::invalid_fact", "reported 2024-02-01 is after the evaluation date `as_of` 2024-01-10"),
    ("kaohe::ledger::empty_cell", "expected text (工作（同一项工作只计最高一次）), found an empty cell"),
    ("kaohe::ledger::unknown_sheet", "expected one of the ledger's sheets (说明, 单位, 进度报送), found an unknown sheet"),
    ("kaohe::ledger::unknown_sheet", "move it to another workbook"),
    ("kaohe::ledger::formula_without_value", "found the formula `=10*3` without a saved value"),
    ("kaohe::ledger::formula_without_value", "open and save the file in Excel or WPS, or type the value"),
    ("kaohe::ledger::renamed_sheet", "expected one of the ledger's sheets, found an unknown sheet; did you mean 单位? (the ledger's sheet 单位 is missing)"),
    ("kaohe::ledger::renamed_sheet", "rename this sheet back to 单位: the import finds sheets by the names `rulec template` gave them"),
    ("kaohe::ledger::merged_cell", "A4 is inside the merged range A3:A5"),
    ("kaohe::ledger::merged_cell", "unmerge it and fill every row"),
    ("kaohe::ledger::scaled_number", "expected a number (序时进度要求（%）), found a cell formatted as a percentage (`0%`): it shows 30% but holds 0.3"),
    ("kaohe::ledger::scaled_number", "type 30 in a cell with a plain number format (the column 序时进度要求（%） counts in percent)"),
    ("kaohe::ledger::look_alike", "expected a whole number, found `１２`, which differs from `12` in look-alike characters: full-width `１` for ASCII `1`, full-width `２` for ASCII `2`"),
    ("kaohe::ledger::look_alike", "type `12` with half-width (半角) digits, letters and punctuation"),
    ("kaohe::ledger::xls", "expected an Excel workbook (.xlsx), found an Excel 97–2003 workbook (.xls) or a workbook encrypted with a password"),
    ("kaohe::ledger::json", "it is a fact file, not a ledger: give it to `rulec eval` as FACTS"),
    ("kaohe::ledger::surrounding_space", "expected text (单位编号), found `jtj `, which ends with a space"),
    ("kaohe::ledger::surrounding_space", "expected text (单位编号), found `　wjj`, which starts with a full-width space (U+3000)"),
    ("kaohe::ledger::surrounding_space", "remove it: values are never trimmed, so that what is read is what was typed"),
    ("kaohe::ledger::bad_cell", "expected a whole number 0 or more (更正序号; empty: none), found -1"),
    ("kaohe::ledger::invalid_fact", "column `更正序号` (revision) is filled but column `记录编号` (id) is empty: a revision orders the versions of one record, which only a record id names; give the row the 记录编号 its versions share, or empty its 更正序号"),
    ("kaohe::ledger::invalid_fact", "重点民生实事指标进度!A3 and 重点民生实事指标进度!A4 are two versions of record `jtj-p01` of unit `jtj` reported on the same day 2026-04-14, and the day alone does not say which is the correction; give each a distinct number in column `更正序号` (revision; the higher one applies) or remove the wrong one"),
    ("kaohe::ledger::invalid_fact", "重点民生实事指标进度!A3 and 重点民生实事指标进度!A4 are two versions of record `jtj-p01` of unit `jtj` reported on the same day 2026-04-14, and both have 更正序号 2; give each a distinct number in column `更正序号` (revision; the higher one applies) or remove the wrong one"),
];

#[test]
fn ledger_messages_are_in_chinese() {
    let catalog = Catalog::new();
    let mut failures = Vec::new();
    for (code, text) in LEDGER {
        expect_translated(&catalog, code, text, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} ledger texts not in Chinese:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The warning about a discretionary order no ranking uses, for a period
/// and for a year: natural Chinese with the scope translated (it once read
/// "没有per period的排名").
#[test]
fn the_unused_discretion_warning_is_in_chinese() {
    let rules = workspace().join("rulesets/miluo-2026/miluo-2026.rules");
    let ruleset = Ruleset::from_source(SourceFile::new(
        "miluo-2026.rules",
        std::fs::read_to_string(rules).unwrap(),
    ))
    .unwrap();
    let example = workspace().join("rulesets/miluo-2026/examples/2026-04.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example).unwrap()).unwrap();
    json["discretion"] = serde_json::json!({"2026-04": ["jtj", "rsj"], "2026": ["jtj", "rsj"]});
    let facts = Facts::from_json(&ruleset, &json.to_string()).unwrap();
    let warnings = kaohe::check::fact_warnings(&ruleset, &facts);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let catalog = Catalog::new();
    let mut failures = Vec::new();
    let mut zh = Vec::new();
    for w in &warnings {
        expect_translated(&catalog, w.code, &w.message, &mut failures);
        let help = w.help.as_deref().unwrap();
        expect_translated(&catalog, w.code, help, &mut failures);
        zh.push(catalog.text(Lang::Zh, w.code, &w.message));
        zh.push(catalog.text(Lang::Zh, w.code, help));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        zh[0].ends_with("中没有用 `by discretion` 区分并列的考核期排名"),
        "{}",
        zh[0]
    );
    assert!(
        zh[1].contains("请在考核期排名的排序依据最后加上 `by discretion`"),
        "{}",
        zh[1]
    );
    assert!(
        zh[2].ends_with("中没有用 `by discretion` 区分并列的年度排名"),
        "{}",
        zh[2]
    );
    assert!(
        zh[3].contains("请在年度排名的排序依据最后加上 `by discretion`"),
        "{}",
        zh[3]
    );
}

#[test]
fn names_between_backticks_are_never_translated() {
    let catalog = Catalog::new();
    // `monthly`, `rule` and `period` are also known pieces (月, 规则, 考核期).
    assert_eq!(
        catalog.text(
            Lang::Zh,
            "kaohe::unacknowledged_ties",
            "ranking `monthly` can end in a tie and does not say what then"
        ),
        "排名 `monthly` 可能出现并列，但未说明如何处理"
    );
    assert_eq!(
        catalog.text(Lang::Zh, "kaohe::unknown_name", "unknown name `period`"),
        "未声明的名称 `period`"
    );
}

/// The messages the API and the store write for a selection or a seal that
/// the facts do not match (merged after the corpus tests were written) are
/// recognised and given in Chinese with their details.
#[test]
fn selection_and_seal_messages_are_in_chinese_with_their_details() {
    let catalog = Catalog::new();
    let cases = [
        (
            "kaohe::api::invalid_options",
            "period `2099-01` is not in the facts (evaluated: 2026-04, 2026)",
            "2099-01",
        ),
        (
            "kaohe::api::invalid_options",
            "`教体局` is the name of 2 units (`jtj`, `zz`): it does not say which",
            "`zz`",
        ),
        (
            "kaohe::api::invalid_options",
            "no unit of the facts has the id or name `nope`",
            "`nope`",
        ),
        (
            "kaohe::store::sealed_result_differs",
            "period 2026-04 is sealed with units the facts do not list: jtj, wjj; nothing was evaluated",
            "jtj, wjj",
        ),
    ];
    for (code, english, detail) in cases {
        let zh = catalog.text(Lang::Zh, code, english);
        assert_ne!(zh, english, "{code}: {english}");
        assert!(zh.contains(detail), "{zh}");
        assert!(!zh.contains(" the "), "{zh}");
        assert_eq!(catalog.text(Lang::En, code, english), english);
    }
}

/// The texts the engine writes into the results of every shipped example
/// (limits that bound, records' notes, consequences' details) are
/// recognised by the `rulec-engine--…` patterns and come out in Chinese, as
/// `rulec eval --explain` shows them; and so are the lines and consequences
/// of a diff, and the store's messages `rulec seal` prints.
#[test]
fn engine_texts_and_store_messages_are_in_chinese() {
    let catalog = Catalog::new();
    let mut failures = Vec::new();
    let mut texts = BTreeSet::new();
    for dir in std::fs::read_dir(workspace().join("rulesets")).unwrap() {
        let dir = dir.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let rules = dir.join(format!("{name}.rules"));
        let ruleset = Ruleset::from_source(SourceFile::new(
            "r.rules",
            std::fs::read_to_string(rules).unwrap(),
        ))
        .unwrap();
        for facts in files(&format!("rulesets/{name}/examples"), "json") {
            let facts =
                Facts::from_json(&ruleset, &std::fs::read_to_string(facts).unwrap()).unwrap();
            let evaluation = ruleset.evaluate(&facts).unwrap();
            for result in &evaluation.results {
                for item in &result.items {
                    texts.extend(item.limits.iter().map(|l| l.limit.clone()));
                    for record in &item.records {
                        texts.extend(record.notes.iter().filter(|n| !n.starts_with('×')).cloned());
                    }
                }
                texts.extend(
                    result
                        .notices
                        .iter()
                        .filter_map(|n| n.detail.clone())
                        .filter(|d| {
                            // A flag's detail is the record that raised it: names only.
                            d.contains(' ') && !d.contains('=')
                        }),
                );
            }
        }
    }
    assert!(texts.len() >= 4, "only {texts:?}");
    for text in [
        "base",
        "floor of key_work",
        "cap bonuses of bonus",
        "group average",
        "notice warning",
        "flag dispatch",
        "quota publicity",
        "class board=red",
        "a month, YYYY-MM",
        "step 2 of 3: yellow \"黄牌\" (the threshold of group `town`); also reached, not issued (only the highest step applies): blue",
        "not met: requirement 2",
        "unknown language `fr`: expected `zh` or `en`",
        "rule `late` (version 2)",
        "floor of `key_work`",
        "cap bonuses of `bonus`",
    ] {
        texts.insert(text.to_owned());
    }
    for text in &texts {
        expect_translated(&catalog, "rulec::engine", text, &mut failures);
    }
    for (code, text) in [
        ("kaohe::store::provisional", "period 2026-04's result is provisional at the facts' evaluation date 2026-04-23: facts may still arrive for it"),
        ("kaohe::store::already_sealed", "period 2026-04 of `miluo_2026` is already sealed: seal #1 (miluo_2026 2026-04, sealed 2026-11-30T17:12:49Z, sha256:bc6dbedb…)"),
        ("kaohe::store::out_of_order", "the facts evaluate 2026-04, 2026-05 before 2026-06, not sealed: sealing 2026-06 would close them unsealed"),
        ("kaohe::store::nothing_to_seal", "the facts do not evaluate period 2026-06 (no record is about it and `periods` does not list it)"),
        ("kaohe::store::wrong_period", "`2026-Q2` is not a period of `miluo_2026` (its periods are months, YYYY-MM)"),
        ("kaohe::http::busy", "the service is busy: 2 evaluation(s) running and 1024 waiting"),
        ("kaohe::case::format", "`facts`: expected a path or a [facts] table, found an integer"),
        ("kaohe::case::format", "`units.jtj`: expected a table, found text"),
        ("kaohe::case::format", "no `facts`: give a fact file's path or a [facts] table"),
    ] {
        expect_translated(&catalog, code, text, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} texts not in Chinese:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `rulec verify`'s re-evaluation messages (second breaker's item 7) were
/// left in English under a Chinese locale: the results differ at a byte, or
/// the re-evaluation fails because an input is not supplied.
#[test]
fn the_store_s_re_evaluation_messages_are_in_chinese() {
    let catalog = Catalog::new();
    let seal = "seal #1 (main_2026 2026-04, sealed 2026-11-30T21:07:49Z, sha256:5f954b4f…)";
    let mut failures = Vec::new();
    for text in [
        format!("re-evaluating {seal} from its stored records gives other results than stored (first difference at byte 758)"),
        format!("re-evaluating {seal} from its stored records fails: its inputs do not read: input `sub` (the result of ruleset `sub_2026`) is not supplied"),
        format!("re-evaluating {seal} from its stored records fails: its units are not JSON"),
        format!("re-evaluating {seal} from its stored records gives other results than stored (first difference at byte 9) (sealed by kaohe 0.1.0, now kaohe 0.2.0)"),
    ] {
        expect_translated(&catalog, "kaohe::store::results_differ", &text, &mut failures);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
