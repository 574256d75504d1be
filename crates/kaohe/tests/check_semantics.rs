#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! What the checker accepts and refuses, construct by construct, where the
//! invalid-ruleset corpus (`tests/check/`, one mistake per file, run by
//! `check_corpus.rs`) holds no example: written for the check/ mutants the
//! sampled mutation run of issue 12 §8 found missed (docs/testing.md,
//! "Mutation testing"). Each case is a small edit of the corpus base
//! (`tests/check/base/base.rules`) and states the exact codes (and where it
//! matters, messages, helps and positions) the checker must give, and the
//! valid neighbour that must check clean.

use kaohe::SourceFile;

mod check_base;
use check_base::{base, each_diagnostic, edit};

/// `(code, message, help)` of every diagnostic, in order.
fn diagnostics(text: &str) -> Vec<(String, String, Option<String>)> {
    each_diagnostic(text, |source, d| {
        let r = d.record(source);
        (r.code, r.message, r.help)
    })
}

fn codes(text: &str) -> Vec<String> {
    diagnostics(text).into_iter().map(|(c, _, _)| c).collect()
}

/// A rule `deduct d` in the base's category, counting reports where `condition`.
fn rule_where(condition: &str) -> String {
    edit(&[(
        "      per report where late\n",
        &format!("      per report where {condition}\n"),
    )])
}

#[test]
fn the_base_checks_clean() {
    assert_eq!(codes(&base()), Vec::<String>::new());
}

#[test]
fn the_builtin_name_lists_are_what_the_language_defines() {
    assert_eq!(
        kaohe::check::builtin_names(),
        ["as_of", "period_start", "period_end"]
    );
    assert_eq!(
        kaohe::check::result_names(),
        ["total", "rank", "previous_total", "previous_rank"]
    );
    let functions: Vec<&str> = kaohe::check::builtin_functions()
        .iter()
        .map(|(name, _)| *name)
        .collect();
    for f in ["min", "max", "abs", "round", "floor", "ceil", "overdue"] {
        assert!(functions.contains(&f), "{f} missing from {functions:?}");
    }
    for (name, signature) in kaohe::check::builtin_functions() {
        assert!(signature.starts_with(&format!("{name}(")), "{signature}");
    }
    // Each built-in name is a date every expression may use; another name is not.
    for name in kaohe::check::builtin_names() {
        assert_eq!(
            codes(&rule_where(&format!("submitted > {name}"))),
            Vec::<String>::new(),
            "{name}"
        );
    }
    assert_eq!(
        codes(&rule_where("submitted > today")),
        ["kaohe::unknown_name"]
    );
}

/// The base with a `levels` type declared before the group.
fn with_levels(levels: &str) -> String {
    edit(&[(
        "group lead",
        &format!("levels tier \"级别\" {{\n{levels}\n}}\n\ngroup lead"),
    )])
}

#[test]
fn a_levels_type_names_each_level_once_and_at_least_one() {
    let two = "  central \"中央\"\n  provincial \"省级\"";
    // Declared and unused: only the clean neighbour's own warnings, if any.
    let clean = codes(&with_levels(two));
    assert!(
        !clean
            .iter()
            .any(|c| c == "kaohe::duplicate_name" || c == "kaohe::missing_part"),
        "{clean:?}"
    );

    let repeated = with_levels("  central \"中央\"\n  central \"中央2\"");
    let found = diagnostics(&repeated);
    let duplicates: Vec<_> = found
        .iter()
        .filter(|d| d.0 == "kaohe::duplicate_name")
        .collect();
    assert_eq!(duplicates.len(), 1, "{found:?}");
    assert!(duplicates[0].1.contains("level `central`"), "{found:?}");
}

/// The base with a notice whose condition is `condition`, and `rankings` after it.
fn with_notice(condition: &str, rankings: &str) -> String {
    let mut text = base();
    text.push_str(&format!(
        "\nnotice warning \"预警通知\" of lead [T-8] {{\n  when {condition}\n  action \"下发《预警通知》\"\n}}\n{rankings}"
    ));
    text
}

#[test]
fn ranked_without_in_names_the_one_per_period_ranking_or_is_refused() {
    let bare = "ranked bottom 1 for 2 consecutive periods";
    // One per-period ranking (the base's `monthly`): `in monthly` is implied.
    assert_eq!(codes(&with_notice(bare, "")), Vec::<String>::new());
    assert_eq!(
        codes(&with_notice(&format!("{bare} in monthly"), "")),
        Vec::<String>::new()
    );
    // Two: the help lists both.
    let second = "\nranking other \"另一排名\" of lead [T-6] {\n  by total asc [T-6]\n  ties shared [T-6]\n}\n";
    let found = diagnostics(&with_notice(bare, second));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "kaohe::missing_part");
    assert_eq!(
        found[0].2.as_deref(),
        Some("the ruleset has several per-period rankings: `monthly`, `other`")
    );
    assert_eq!(
        codes(&with_notice(&format!("{bare} in other"), second)),
        Vec::<String>::new()
    );
    // None per period: the help says to declare one.
    let yearly = edit(&[(
        "ranking monthly \"月度排名\" of lead [T-6] {",
        "ranking monthly \"月度排名\" of lead per year [T-6] {",
    )]);
    let mut text = yearly;
    text.push_str("\nnotice warning \"预警通知\" of lead [T-8] {\n  when ranked bottom 1 for 2 consecutive periods\n  action \"下发《预警通知》\"\n}\n");
    let found = diagnostics(&text);
    let missing: Vec<_> = found
        .iter()
        .filter(|d| d.0 == "kaohe::missing_part")
        .collect();
    assert_eq!(missing.len(), 1, "{found:?}");
    assert_eq!(
        missing[0].2.as_deref(),
        Some("declare a per-period `ranking` for the history to refer to")
    );
}

/// `submitted > due + N days` for each `(N, whole)`: clean when N is typed
/// as a whole number, a type mismatch otherwise.
fn assert_whole_days(cases: &[(&str, bool)]) {
    for &(n, whole) in cases {
        let found = codes(&rule_where(&format!("submitted > due + {n} days")));
        if whole {
            assert_eq!(found, Vec::<String>::new(), "{n}");
        } else {
            assert_eq!(found, ["kaohe::type_mismatch"], "{n}");
        }
    }
}

#[test]
fn arithmetic_is_whole_only_between_whole_numbers_without_division() {
    // `N days` needs a whole N: the type of `a op b` decides.
    let cases = [
        ("(1 + 2)", true),
        ("(3 - 1)", true),
        ("(2 * 3)", true),
        ("(6 / 3)", false),
        ("(1.5 + 2)", false),
        ("(2 + 1.5)", false),
        ("(1.5 * 2)", false),
        ("(2 * 1.5)", false),
        ("(1.5 - 0.5)", false),
    ];
    assert_whole_days(&cases);
}

#[test]
fn unit_attributes_are_out_of_scope_in_a_record_kinds_derive() {
    let with_attribute = |derive: &str, rule_where: &str| {
        edit(&[
            (
                "group lead \"牵头单位\" [T-1] {\n}",
                "group lead \"牵头单位\" [T-1] {\n  attribute tasks: integer \"任务数\"\n}",
            ),
            (
                "  derive late = submitted > due [T-2, T-A1]",
                &format!("  derive late = {derive} [T-2, T-A1]"),
            ),
            (
                "      per report where late\n",
                &format!("      per report where {rule_where}\n"),
            ),
        ])
    };
    // In a rule, `unit.tasks` is the unit's attribute.
    assert_eq!(
        codes(&with_attribute(
            "submitted > due",
            "late and unit.tasks > 0"
        )),
        Vec::<String>::new()
    );
    // In a derive, there is no unit: refused, with no name to suggest.
    let found = diagnostics(&with_attribute(
        "submitted > due and unit.tasks > 0",
        "late and unit.tasks > 0",
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "kaohe::unknown_name");
    assert!(found[0].1.contains("unit attribute `tasks`"), "{found:?}");
}

/// Facts for the base ruleset: one unit, no records, `discretion` as given.
fn discretion_warnings(
    ruleset_text: &str,
    discretion: serde_json::Value,
) -> Vec<(String, String, String)> {
    let ruleset = kaohe::Ruleset::from_source(SourceFile::new("t.rules", ruleset_text))
        .unwrap_or_else(|e| panic!("{e}"));
    let facts = serde_json::json!({
        "as_of": "2024-12-31",
        "units": [
            {"id": "a", "name": "甲", "group": "lead", "attributes": {}},
            {"id": "b", "name": "乙", "group": "lead", "attributes": {}}
        ],
        "records": [],
        "discretion": discretion,
    });
    let facts =
        kaohe::Facts::from_json(&ruleset, &facts.to_string()).unwrap_or_else(|e| panic!("{e}"));
    kaohe::check::fact_warnings(&ruleset, &facts)
        .into_iter()
        .map(|w| (w.code.to_owned(), w.path, w.message))
        .collect()
}

#[test]
fn a_discretionary_order_no_ranking_reads_is_a_warning() {
    let order = serde_json::json!({"2024-03": ["b", "a"]});
    // No ranking breaks ties by discretion: the order is ignored, said once.
    let found = discretion_warnings(&base(), order.clone());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "kaohe::facts::unused_discretion");
    assert_eq!(found[0].1, "$.discretion[\"2024-03\"]");
    assert_eq!(
        found[0].2,
        "the discretionary order for period 2024-03 is ignored: no per period ranking of ruleset `test_2024` breaks ties `by discretion`"
    );
    // A per-period ranking with `by discretion` reads it: no warning.
    let read = edit(&[(
        "  by total desc [T-6]\n",
        "  by total desc [T-6]\n  by discretion [T-6]\n",
    )]);
    assert_eq!(discretion_warnings(&read, order), Vec::new());
    // An empty order says nothing to ignore.
    assert_eq!(
        discretion_warnings(&base(), serde_json::json!({"2024-03": []})),
        Vec::new()
    );
}

/// The base's report kind with more attributes, its rule counting reports
/// where `condition`.
fn rich(condition: &str) -> String {
    edit(&[
        (
            "  submitted: date \"报送日期\"\n",
            "  submitted: date \"报送日期\"\n  n: integer \"数\"\n  x: decimal \"值\"\n  t: text \"文\"\n  f: bool \"是否\"\n",
        ),
        (
            "      per report where late\n",
            &format!("      per report where {condition}\n"),
        ),
    ])
}

fn count_of(text: &str, code: &str) -> usize {
    codes(text).iter().filter(|c| *c == code).count()
}

#[test]
fn a_condition_and_its_negation_never_hold_whatever_the_expression_kind() {
    // (E, E'): `E and not (E)` can never hold; E' differs from E in one
    // part, so `E and not (E')` can.
    let pairs = [
        ("late", "f"),
        ("n > 1", "n > 2"),
        ("x > 1.5", "x > 1.25"),
        ("due == 2024-03-01", "due == 2024-03-02"),
        ("t == \"a\"", "t == \"b\""),
        ("f == true", "f == false"),
        ("-n > 1", "-x > 1"),
        ("n + 1 > 2", "n - 1 > 2"),
        ("n + 1 > 2", "n + 2 > 2"),
        ("n + 1 > 2", "x + 1 > 2"),
        ("abs(n) > 1", "abs(x) > 1"),
        ("abs(n) > 1", "floor(n) > 1"),
        ("min(n, 1) > 0", "min(n, 1, 2) > 0"),
        ("min(n, 1) > 0", "min(n, 2) > 0"),
        ("(if late then 1 else 0) > 0", "(if late then 1 else 2) > 0"),
        ("(if late then 1 else 0) > 0", "(if late then 2 else 0) > 0"),
        ("(if late then 1 else 0) > 0", "(if f then 1 else 0) > 0"),
        ("count(report where late) > 1", "count(report) > 1"),
        ("count(report where late) > 1", "count(report where f) > 1"),
        ("count(report) > 1", "count(report where late) > 1"),
        ("sum(report, n) > 1", "sum(report, x) > 1"),
        (
            "sum(report, n where late) > 1",
            "sum(report, n where f) > 1",
        ),
        ("sum(report, n where late) > 1", "sum(report, n) > 1"),
        (
            "count(report in previous 1 periods) > 1",
            "count(report in previous 2 periods) > 1",
        ),
        (
            "count(report in previous 1 periods) > 1",
            "count(report) > 1",
        ),
        (
            "sum(report, n in previous 1 periods) > 1",
            "sum(report, n in previous 2 periods) > 1",
        ),
    ];
    for (e, other) in pairs {
        assert_eq!(
            count_of(&rich(&format!("{e} and not ({e})")), "kaohe::never_holds"),
            1,
            "`{e} and not ({e})`"
        );
        assert_eq!(
            count_of(&rich(&format!("not ({e}) and {e}")), "kaohe::never_holds"),
            1,
            "`not ({e}) and {e}`"
        );
        for (a, b) in [(e, other), (other, e)] {
            let text = rich(&format!("{a} and not ({b})"));
            assert_eq!(
                codes(&text)
                    .iter()
                    .filter(|c| c.starts_with("kaohe::never"))
                    .count(),
                0,
                "`{a} and not ({b})`: {:?}",
                codes(&text)
            );
        }
    }
}

#[test]
fn amounts_that_are_always_zero_are_a_warning_whatever_their_form() {
    let levels = |table: &str| {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/check/base/base_with_levels.rules"
        ))
        .unwrap();
        let from = "amount by tier { central: 3, provincial: 2 }";
        assert!(text.contains(from));
        text.replace(from, &format!("amount by tier {{ {table} }}"))
    };
    assert_eq!(
        codes(&levels("central: 3, provincial: 2")),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&levels("central: 0, provincial: 2")),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&levels("central: 0, provincial: 0")),
        ["kaohe::zero_amount"]
    );
    let amount = |a: &str| edit(&[("      amount 2\n", &format!("      amount {a}\n"))]);
    assert_eq!(codes(&amount("0")), ["kaohe::zero_amount"]);
    assert_eq!(codes(&amount("0.0")), ["kaohe::zero_amount"]);
    assert_eq!(codes(&amount("-0")), ["kaohe::zero_amount"]);
    assert_eq!(codes(&amount("0.5")), Vec::<String>::new());
}

#[test]
fn versions_of_one_rule_may_share_their_label_other_rules_may_not() {
    let versions = edit(&[(
        "      amount 2\n    }\n",
        "      amount 2\n      effective 2024-01-01 to 2024-06-30\n    }\n    deduct late_report \"上报进度不及时\" [T-5] {\n      per report where late\n      amount 3\n      effective 2024-07-01 to 2024-12-31\n    }\n",
    )]);
    assert_eq!(codes(&versions), Vec::<String>::new());
    let other = edit(&[(
        "      amount 2\n    }\n",
        "      amount 2\n    }\n    deduct missed_report \"上报进度不及时\" [T-5] {\n      per report where not late\n      amount 1\n    }\n",
    )]);
    assert_eq!(codes(&other), ["kaohe::duplicate_label"]);
}

/// The base with a second per-period ranking `other` and a classification
/// whose first two classes are given when `first`, then when `second`.
fn classes(first: &str, second: &str) -> String {
    let mut text = base();
    text.push_str(&format!(
        "\nranking other \"另一排名\" of lead [T-6] {{\n  by total asc [T-6]\n  ties shared [T-6]\n}}\n\nclassify board \"红黄绿榜\" of lead [T-8] {{\n  red    \"红\" when {first}\n  amber  \"橙\" when {second}\n  green  \"绿\" otherwise\n}}\n"
    ));
    text
}

#[test]
fn a_class_repeating_an_earlier_condition_is_never_given_ranked_included() {
    let base_condition = "ranked bottom 1 for 2 consecutive periods in monthly";
    assert_eq!(
        codes(&classes(base_condition, base_condition)),
        ["kaohe::never_holds"]
    );
    assert_eq!(
        codes(&classes(
            base_condition,
            &format!("{base_condition} and not ({base_condition})")
        )),
        ["kaohe::never_holds"]
    );
    // Each part of `ranked` differing: a different condition.
    for other in [
        "ranked top 1 for 2 consecutive periods in monthly",
        "ranked bottom 2 for 2 consecutive periods in monthly",
        "ranked bottom 1 for 3 consecutive periods in monthly",
        "ranked bottom 1 for 2 consecutive periods in other",
        "ranked bottom 1 for 2 consecutive periods in monthly ties straddling",
        "ranked bottom 1 in 2 periods this year in monthly",
    ] {
        assert_eq!(
            codes(&classes(base_condition, other)),
            Vec::<String>::new(),
            "{other}"
        );
        assert_eq!(
            codes(&classes(other, other)),
            ["kaohe::never_holds"],
            "{other}"
        );
    }
}

#[test]
fn only_counts_and_absolute_values_are_known_never_negative() {
    for (condition, never) in [
        ("count(report) < 0", true),
        ("0 > count(report)", true),
        ("count < 1 - 1", false),
        ("count < 0", true),
        ("count <= -1", true),
        ("abs(n) == -1", true),
        ("abs(n) < 0", true),
        ("abs(n) <= 0", false),
        ("n < 0", false),
        ("x <= -1", false),
        ("-n < 0", false),
        ("floor(x) < 0", false),
        ("sum(report, n) < 0", false),
        ("count(report) == 0", false),
        ("count(report) <= 0", false),
    ] {
        assert_eq!(
            count_of(&rich(condition), "kaohe::never_holds"),
            usize::from(never),
            "{condition}"
        );
    }
}

/// The base's rule as two versions changing on `split` (the first ends the
/// day before), under `period` and with `annual` after the score.
fn versions(period: &str, annual: &str, first_end: &str, second_start: &str) -> String {
    let mut text = edit(&[
        ("period month [T-3] {", &format!("period {period} [T-3] {{")),
        (
            "      amount 2\n    }\n",
            &format!("      amount 2\n      effective 2024-01-01 to {first_end}\n    }}\n    deduct late_report \"上报进度不及时\" [T-5] {{\n      per report where late\n      amount 3\n      effective {second_start} to 2024-12-31\n    }}\n"),
        ),
    ]);
    text.push_str(annual);
    text
}

#[test]
fn under_weeks_a_pooled_year_is_split_only_by_a_change_inside_it() {
    let pooled = "\nannual [T-4] {\n  from pooled records [T-4]\n}\n";
    let splits = "kaohe::effective_splits_period";
    // Monday 2024-07-01 starts a week, but lies inside the pooled year.
    assert_eq!(
        count_of(
            &versions("week", pooled, "2024-06-30", "2024-07-01"),
            splits
        ),
        2
    );
    // Without pooling, a change on a Monday splits nothing.
    assert_eq!(
        codes(&versions("week", "", "2024-06-30", "2024-07-01")),
        Vec::<String>::new()
    );
    // Monthly: 1 July splits the pooled year, not a month.
    assert_eq!(
        count_of(
            &versions("month", pooled, "2024-06-30", "2024-07-01"),
            splits
        ),
        2
    );
    assert_eq!(
        codes(&versions("month", "", "2024-06-30", "2024-07-01")),
        Vec::<String>::new()
    );
    // The help names the days a version may change on: under weeks the
    // pooled year's are those of the ISO week-year (2024: Monday 2024-01-01
    // to Sunday 2024-12-29; 2025 starts on 2024-12-30), not 31 December and
    // 1 January, which lie inside a week (found by a fresh-user review).
    for (period, end, start) in [
        ("week", ", 2024-12-29,", ", 2024-01-01 or 2024-12-30,"),
        ("month", ", 2024-12-31,", ", 2024-01-01,"),
    ] {
        let helps: Vec<String> = diagnostics(&versions(period, pooled, "2024-06-30", "2024-07-01"))
            .into_iter()
            .filter(|(code, _, _)| code == splits)
            .map(|(_, _, help)| help.unwrap())
            .collect();
        assert_eq!(helps.len(), 2, "{period}");
        assert!(
            helps[0].contains(&format!("last day{end}")),
            "{period}: {}",
            helps[0]
        );
        assert!(
            helps[1].contains(&format!("first day{start}")),
            "{period}: {}",
            helps[1]
        );
    }
}

#[test]
fn a_version_touching_the_rulesets_range_by_one_day_is_partly_in_force() {
    let range = |from: &str, to: &str| {
        edit(&[(
            "      amount 2\n    }\n",
            &format!("      amount 2\n      effective {from} to {to}\n    }}\n"),
        )])
    };
    // The ruleset is in force 2024-01-01 to 2024-12-31.
    let outside = "kaohe::outside_effective";
    let never = "kaohe::never_effective";
    for (from, to, expected) in [
        ("2023-12-01", "2024-01-01", outside),
        ("2024-12-31", "2025-01-31", outside),
        ("2023-12-01", "2023-12-31", never),
        ("2025-01-01", "2025-01-31", never),
    ] {
        let found = codes(&range(from, to));
        assert!(
            found.iter().any(|c| c == expected),
            "{from} to {to}: {found:?}"
        );
        let other = if expected == outside { never } else { outside };
        assert!(
            !found.iter().any(|c| c == other),
            "{from} to {to}: {found:?}"
        );
    }
}

#[test]
fn a_cap_over_rules_whose_own_caps_fit_within_it_never_binds() {
    let cap = |first_cap: &str, group_cap: &str| {
        edit(&[(
            "      amount 2\n    }\n  }\n",
            &format!("      amount 2\n{first_cap}    }}\n    deduct missed_report \"未报送\" [T-5] {{\n      per report where not late\n      amount 1\n      cap 2 per period [T-5]\n    }}\n  }}\n\n  cap reports \"报送扣分合计\" {group_cap} per period on late_report, missed_report [T-4]\n"),
        )])
    };
    let never = "kaohe::never_binds";
    // 3 + 2 ≤ 5: the group cap can never bind.
    assert_eq!(
        count_of(&cap("      cap 3 per period [T-5]\n", "5"), never),
        1
    );
    assert_eq!(
        count_of(&cap("      cap 3 per period [T-5]\n", "6"), never),
        1
    );
    // 3 + 2 > 4, or one rule uncapped: it can.
    assert_eq!(
        count_of(&cap("      cap 3 per period [T-5]\n", "4"), never),
        0
    );
    assert_eq!(count_of(&cap("", "5"), never), 0);
}

#[test]
fn previous_looks_at_another_record_so_its_count_is_not_the_records_own() {
    let keyed = |amount: &str| {
        edit(&[
            (
                "record report \"进度报送\" {\n",
                "record report \"进度报送\" {\n  key due\n",
            ),
            ("      amount 2\n", &format!("      amount {amount}\n")),
        ])
    };
    assert_eq!(codes(&keyed("2")), Vec::<String>::new());
    for amount in [
        "previous(count)",
        "1 + previous(count)",
        "previous(count(report))",
    ] {
        assert_eq!(codes(&keyed(amount)), Vec::<String>::new(), "{amount}");
    }
    for amount in [
        "count",
        "1 + count",
        "max(count, 1)",
        "count(report)",
        "max(count(report), 1)",
        "abs(-count)",
        "2 * -count",
        "1 + count(report)",
        "2 * count(report where late)",
        "abs(-count(report))",
        "if late then count(report) else 1",
    ] {
        let found = codes(&keyed(amount));
        assert_eq!(found.len(), 1, "{amount}: {found:?}");
        assert_eq!(found[0], "kaohe::count_in_amount", "{amount}: {found:?}");
    }
}

#[test]
fn a_rank_table_of_zeros_is_a_zero_amount() {
    let table = |entries: &str| {
        edit(&[
            (
                "  submitted: date \"报送日期\"\n",
                "  submitted: date \"报送日期\"\n  place: integer \"名次\"\n  of: integer \"参评数\"\n",
            ),
            (
                "      amount 2\n",
                &format!("      amount by rank place of of {{ {entries} }}\n"),
            ),
        ])
    };
    assert_eq!(codes(&table("top 2, 1")), Vec::<String>::new());
    assert_eq!(codes(&table("top 0, 0 bottom 1")), Vec::<String>::new());
    assert_eq!(codes(&table("top 0, 0")), ["kaohe::zero_amount"]);
    assert_eq!(codes(&table("bottom 0")), ["kaohe::zero_amount"]);
    assert_eq!(codes(&table("top 0 bottom 0")), ["kaohe::zero_amount"]);
}

#[test]
fn an_unknown_kind_does_not_silence_the_names_of_a_known_kinds_aggregate() {
    // `reprot` is unknown, so names under it are not reported again; inside
    // `count(report …)` the kind is known and `nonsense` is reported.
    for condition in [
        "count(report where nonsense) > 0",
        "sum(report, nonsense) > 0",
    ] {
        let text = edit(&[(
            "      per report where late\n",
            &format!("      per reprot where late and {condition}\n"),
        )]);
        let found = diagnostics(&text);
        let unknown: Vec<&str> = found
            .iter()
            .filter(|d| d.0 == "kaohe::unknown_name")
            .map(|d| d.1.as_str())
            .collect();
        assert_eq!(unknown.len(), 2, "{condition}: {found:?}");
        assert!(unknown.iter().any(|m| m.contains("`reprot`")), "{found:?}");
        assert!(
            unknown.iter().any(|m| m.contains("`nonsense`")),
            "{found:?}"
        );
    }
}

#[test]
fn a_discretionary_order_for_a_year_needs_a_yearly_ranking_by_discretion() {
    let monthly_by_discretion = edit(&[(
        "  by total desc [T-6]\n",
        "  by total desc [T-6]\n  by discretion [T-6]\n",
    )]);
    let order = serde_json::json!({"2024": ["b", "a"]});
    // The monthly ranking reads orders for months, not for the year.
    let found = discretion_warnings(&monthly_by_discretion, order.clone());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "$.discretion[\"2024\"]");
    assert_eq!(
        found[0].2,
        "the discretionary order for year 2024 is ignored: no per year ranking of ruleset `test_2024` breaks ties `by discretion`"
    );
    // A yearly ranking by discretion reads it.
    let mut yearly = monthly_by_discretion.clone();
    yearly.push_str(
        "\nranking yearly \"年度排名\" of lead per year [T-6] {\n  by total desc [T-6]\n  by discretion [T-6]\n}\n",
    );
    assert_eq!(discretion_warnings(&yearly, order.clone()), Vec::new());
    // Under `period year` the year is the period: the per-period ranking reads it.
    let year = monthly_by_discretion.replace("period month [T-3] {", "period year [T-3] {");
    assert_eq!(discretion_warnings(&year, order), Vec::new());
}

#[test]
fn functions_keep_whole_numbers_whole_where_they_can() {
    for (n, whole) in [
        ("abs(n)", true),
        ("abs(-2)", true),
        ("abs(x)", false),
        ("min(n, 2)", true),
        ("max(n, 2)", true),
        ("min(n, x)", false),
        ("max(1.5, n)", false),
        ("floor(x)", true),
        ("ceil(x)", true),
    ] {
        let found = codes(&rich(&format!("submitted > due + {n} days")));
        if whole {
            assert_eq!(found, Vec::<String>::new(), "{n}");
        } else {
            assert_eq!(found, ["kaohe::type_mismatch"], "{n}");
        }
    }
    // `abs` of something that is not a number is refused.
    let found = codes(&rich("abs(t) > 1"));
    assert!(
        !found.is_empty() && found.iter().all(|c| c == "kaohe::type_mismatch"),
        "{found:?}"
    );
}

#[test]
fn measure_functions_name_a_declared_measure() {
    let with_measure = |amount: &str| {
        let mut text = edit(&[("      amount 2\n", &format!("      amount {amount}\n"))]);
        text.push_str("\nmeasure late_count \"迟报数\" of lead [T-6] = count(report where late)\n");
        text
    };
    for function in [
        "measure",
        "place",
        "peer_max",
        "peer_min",
        "peer_sum",
        "peer_count",
        "peer_average",
    ] {
        assert_eq!(
            codes(&with_measure(&format!("{function}(late_count)"))),
            Vec::<String>::new(),
            "{function}"
        );
        let found = diagnostics(&with_measure(&format!("{function}(nosuch)")));
        assert_eq!(found.len(), 1, "{function}: {found:?}");
        assert_eq!(found[0].0, "kaohe::unknown_name");
        assert!(found[0].1.contains("measure `nosuch`"), "{found:?}");
    }
}

#[test]
fn the_never_holds_analysis_skips_a_rule_of_an_unknown_kind() {
    // `count < 0` never holds for a record, but under an unknown kind only
    // the unknown kind is reported.
    let text = edit(&[(
        "      per report where late\n",
        "      per reprot where count < 0\n",
    )]);
    assert_eq!(codes(&text), ["kaohe::unknown_name"]);
    assert_eq!(count_of(&rich("count < 0"), "kaohe::never_holds"), 1);
}

#[test]
fn two_constants_clash_only_for_one_subject() {
    for (condition, never) in [
        ("t == \"a\" and t == \"b\"", true),
        ("t == \"a\" and t != \"a\"", true),
        ("t == \"a\" and t == \"a\"", false),
        ("t == \"a\" and f == true", false),
        ("n == 1 and x == 2", false),
        ("n == 1 and n == 2", true),
        ("f == true and f == false", true),
        ("t == \"a\" and t != \"b\"", false),
        ("n == 1 and x != 1", false),
    ] {
        assert_eq!(
            count_of(&rich(condition), "kaohe::never_holds"),
            usize::from(never),
            "{condition}"
        );
    }
}

#[test]
fn what_always_holds_negated_never_holds() {
    for (condition, never) in [
        ("not true", true),
        ("not (true and true)", true),
        ("not (late or not late)", true),
        ("not (true and (f or not f))", true),
        ("not (true or late)", true),
        ("not (true and late)", false),
        ("not (late and true)", false),
        ("not (late or f)", false),
        ("not (not false)", true),
        ("not false", false),
    ] {
        assert_eq!(
            count_of(&rich(condition), "kaohe::never_holds"),
            usize::from(never),
            "{condition}"
        );
    }
}

#[test]
fn under_period_year_nothing_runs_per_year() {
    let yearly = |item: &str| {
        let mut text = edit(&[("period month [T-3] {", "period year [T-3] {")]);
        text.push_str(item);
        text
    };
    for (item, per_year) in [
        ("\noutput share \"比例\" of lead [T-6] = total / 100\n", false),
        ("\noutput share \"比例\" of lead per year [T-6] = total / 100\n", true),
        ("\nranking yearly \"年度排名\" of lead per year [T-6] {\n  by total desc [T-6]\n  ties shared [T-6]\n}\n", true),
        ("\nnotice warning \"预警\" of lead per year [T-8] {\n  when total < 90\n  action \"预警\"\n}\n", true),
        ("\nnotice warning \"预警\" of lead [T-8] {\n  when total < 90\n  action \"预警\"\n}\n", false),
        ("\nclassify board \"榜\" of lead per year [T-8] {\n  red \"红\" when total < 90\n  green \"绿\" otherwise\n}\n", true),
        ("\nquota q \"任务\" of lead per year [T-8] {\n  require count(report) >= 1 \"至少报送一次\"\n  action \"提醒\"\n}\n", true),
    ] {
        let found = codes(&yearly(item));
        assert_eq!(
            found.iter().filter(|c| *c == "kaohe::period_is_year").count(),
            usize::from(per_year),
            "{item}: {found:?}"
        );
    }
}

/// The base scored by two `score of` blocks, one per group, with `first` in
/// the first block's category and `second` in the second's.
fn two_blocks(first: &str, second: &str) -> String {
    let text = edit(&[(
        "group lead \"牵头单位\" [T-1] {\n}\n",
        "group lead \"牵头单位\" [T-1] {\n}\n\ngroup town \"乡镇\" [T-1] {\n}\n",
    )]);
    let start = text.find("score [T-4] {").unwrap();
    let end = start + text[start..].find("\n}\n").unwrap() + 3;
    let block = |group: &str, rules: &str| {
        format!(
            "score of {group} [T-4] {{\n  base 100 [T-4]\n  category daily \"日常工作\" [T-4] {{\n    allot 100\n{rules}  }}\n}}\n"
        )
    };
    format!(
        "{}{}\n{}{}",
        &text[..start],
        block("lead", first),
        block("town", second),
        &text[end..]
    )
}

#[test]
fn a_rule_belongs_to_one_score_block_its_versions_too() {
    let rule = |name: &str, amount: &str, effective: &str| {
        format!(
            "    deduct {name} \"上报进度不及时\" [T-5] {{\n      per report where late\n      amount {amount}\n{effective}    }}\n"
        )
    };
    let one = rule("late_report", "2", "");
    let other = rule("late_town", "2", "");
    assert_eq!(codes(&two_blocks(&one, &other)), Vec::<String>::new());
    // Two versions in one block.
    let versions = format!(
        "{}{}",
        rule(
            "late_report",
            "2",
            "      effective 2024-01-01 to 2024-06-30\n"
        ),
        rule(
            "late_report",
            "3",
            "      effective 2024-07-01 to 2024-12-31\n"
        )
    );
    assert_eq!(codes(&two_blocks(&versions, &other)), Vec::<String>::new());
    // The same rule in both blocks.
    let found = diagnostics(&two_blocks(&one, &one));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "kaohe::duplicate_name");
    assert!(found[0].1.contains("rule `late_report`"), "{found:?}");
}

#[test]
fn a_range_of_one_day_is_valid_a_reversed_one_is_not() {
    let range = |from: &str, to: &str| {
        edit(&[(
            "      amount 2\n    }\n",
            &format!("      amount 2\n      effective {from} to {to}\n    }}\n"),
        )])
    };
    let invalid = "kaohe::invalid_range";
    assert_eq!(count_of(&range("2024-05-01", "2024-05-01"), invalid), 0);
    assert_eq!(count_of(&range("2024-05-02", "2024-05-01"), invalid), 1);
    assert_eq!(count_of(&range("2024-01-01", "2024-12-31"), invalid), 0);
    // The ruleset's own range too.
    let header = |to: &str| {
        edit(&[(
            "effective 2024-01-01 to 2024-12-31",
            &format!("effective 2024-01-01 to {to}"),
        )])
    };
    assert_eq!(count_of(&header("2024-01-01"), invalid), 0);
    assert_eq!(count_of(&header("2023-12-31"), invalid), 1);
}

#[test]
fn a_cap_on_a_rule_applied_once_binds_only_over_a_year() {
    let capped = |amount: &str, cap: &str| {
        edit(&[(
            "      amount 2\n    }\n",
            &format!("      amount 2\n    }}\n    deduct poor \"工作不力\" [T-5] {{\n      when count(report where late) > 2\n      amount {amount}\n      cap {cap} [T-5]\n    }}\n"),
        )])
    };
    let never = "kaohe::never_binds";
    // Once per period: 2 ≤ 3, the period cap never binds; 4 > 3, it can.
    assert_eq!(count_of(&capped("2", "3 per period"), never), 1);
    assert_eq!(count_of(&capped("3", "3 per period"), never), 1);
    assert_eq!(count_of(&capped("4", "3 per period"), never), 0);
    // Over a year the periods' amounts add up: a year cap can bind.
    assert_eq!(count_of(&capped("2", "3 per year"), never), 0);
    // An amount that is not a constant: not known.
    assert_eq!(count_of(&capped("count(report)", "3 per period"), never), 0);
}

// --- Written for the misses of the fresh shard (5/24) of the mutation run,
// measured against the final suites (docs/testing.md): each test covers the
// missed mutant's whole kind.

#[test]
fn both_branches_of_an_if_keep_a_whole_number_whole() {
    // `N days` needs a whole N: `if` of two whole numbers is whole, of a
    // whole number and a decimal it is not.
    let cases = [
        ("(if late then 1 else 2)", true),
        ("(if late then 2 * 3 else 1 + 1)", true),
        ("(if late then 1 else 1.5)", false),
        ("(if late then 0.5 else 1)", false),
    ];
    assert_whole_days(&cases);
}

#[test]
fn a_unit_attribute_shared_by_two_groups_must_have_one_type() {
    let shared = |lead_type: &str, town_type: &str| {
        edit(&[
            (
                "group lead \"牵头单位\" [T-1] {\n}",
                &format!(
                    "group lead \"牵头单位\" [T-1] {{\n  attribute tasks: {lead_type} \"任务数\"\n}}\n\ngroup town \"乡镇\" [T-1] {{\n  attribute tasks: {town_type} \"任务数\"\n}}"
                ),
            ),
            (
                "      per report where late\n",
                "      per report where late and unit.tasks > 0\n",
            ),
        ])
    };
    // The same type in both groups: one attribute, no diagnostic.
    assert_eq!(codes(&shared("integer", "integer")), Vec::<String>::new());
    assert_eq!(codes(&shared("decimal", "decimal")), Vec::<String>::new());
    // Another type in the second group: refused at the second declaration.
    let found = diagnostics(&shared("integer", "date"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "kaohe::type_mismatch");
    assert_eq!(
        found[0].2.as_deref(),
        Some("unit attribute `tasks` is declared with another type in another group")
    );
}

#[test]
fn only_an_assumption_prefix_followed_by_digits_names_an_assumption() {
    let cite = |id: &str| {
        edit(&[(
            "derive late = submitted > due [T-2, T-A1]",
            &format!("derive late = submitted > due [T-2, T-A1, {id}]"),
        )])
    };
    // `T-A` + digits is shaped like the declared `T-A1`: an unknown assumption.
    assert_eq!(codes(&cite("T-A7")), ["kaohe::unknown_assumption"]);
    assert_eq!(codes(&cite("T-A12")), ["kaohe::unknown_assumption"]);
    // Without digits, or with another prefix, it is a clause id (the base
    // declares no clauses, so any clause id is accepted).
    assert_eq!(codes(&cite("T-A")), Vec::<String>::new());
    assert_eq!(codes(&cite("T-B7")), Vec::<String>::new());
}

#[test]
fn a_group_checks_its_citation_and_its_average_condition() {
    let group = |cite: &str, average: &str| {
        edit(&[(
            "group lead \"牵头单位\" [T-1] {\n}",
            &format!(
                "group lead \"牵头单位\" [{cite}] {{\n  attribute tasks: integer \"任务数\"\n{average}}}"
            ),
        )])
    };
    assert_eq!(
        codes(&group("T-1", "  average when tasks == 0 [T-1]\n")),
        Vec::<String>::new()
    );
    // A misspelt assumption in the group's own citation, and in its
    // `average when`'s citation.
    assert_eq!(
        codes(&group("T-1, T-A9", "  average when tasks == 0 [T-1]\n")),
        ["kaohe::unknown_assumption"]
    );
    assert_eq!(
        codes(&group("T-1", "  average when tasks == 0 [T-A9]\n")),
        ["kaohe::unknown_assumption"]
    );
    // The condition itself is checked: an unknown name, a number as a condition.
    assert_eq!(
        codes(&group(
            "T-1",
            "  average when tasks == 0 and staff > 1 [T-1]\n"
        )),
        ["kaohe::unknown_name"]
    );
    assert_eq!(
        codes(&group("T-1", "  average when tasks [T-1]\n")),
        ["kaohe::type_mismatch"]
    );
}

#[test]
fn a_bonus_applied_once_per_period_bounds_a_cap_on_bonuses() {
    let capped = |cap: &str, amount: &str, per: &str| {
        edit(&[(
            "      amount 2\n    }\n  }\n",
            &format!(
                "      amount 2\n    }}\n    cap bonuses {cap} per period [T-4]\n    bonus good \"表扬\" [T-5] {{\n{per}      amount {amount}\n    }}\n  }}\n"
            ),
        )])
    };
    let never = "kaohe::never_binds";
    // Once a period, at most 3 (or 2): a cap of 5 never binds.
    assert_eq!(count_of(&capped("5", "3", ""), never), 1);
    assert_eq!(count_of(&capped("3", "3", ""), never), 1);
    // 3 > 2: it can bind; per record, the bonus has no bound.
    assert_eq!(count_of(&capped("2", "3", ""), never), 0);
    assert_eq!(
        count_of(&capped("5", "3", "      per report where late\n"), never),
        0
    );
}

#[test]
fn an_output_is_a_cited_number_over_a_known_group() {
    let output = |decl: &str| format!("{}\n{decl}\n", base());
    assert_eq!(
        codes(&output(
            "output withheld \"扣减绩效（%）\" [T-6] = min(100, 5 * steps(90 - total, 10))"
        )),
        Vec::<String>::new()
    );
    for (decl, expected) in [
        // A number is needed: a condition is refused.
        (
            "output withheld \"扣减绩效（%）\" [T-6] = total > 90",
            "kaohe::type_mismatch",
        ),
        // Its names are resolved like a consequence's.
        (
            "output withheld \"扣减绩效（%）\" [T-6] = totl",
            "kaohe::unknown_name",
        ),
        // Its group must exist.
        (
            "output withheld \"扣减绩效（%）\" of nobody [T-6] = total",
            "kaohe::unknown_name",
        ),
        // And it cites its clause.
        (
            "output withheld \"扣减绩效（%）\" = total",
            "kaohe::missing_citation",
        ),
    ] {
        assert_eq!(codes(&output(decl)), [expected], "{decl}");
    }
}

#[test]
fn only_an_aggregate_over_the_rules_own_kind_multiplies_by_its_count() {
    let amount = |amount: &str| {
        edit(&[
            (
                "record report \"进度报送\" {\n",
                "record visit \"走访\" {\n  hours: integer \"时长\"\n}\n\nrecord report \"进度报送\" {\n",
            ),
            ("      amount 2\n", &format!("      amount {amount}\n")),
        ])
    };
    // An aggregate over another kind is a value like any other.
    for other in [
        "count(visit)",
        "sum(visit, hours)",
        "1 + sum(visit, hours)",
        "max(1, count(visit))",
    ] {
        assert_eq!(codes(&amount(other)), Vec::<String>::new(), "{other}");
    }
    // Over the rule's own kind (`per report`) it counts the records again.
    // (`visit` then reads nowhere: `unused_input` besides.)
    for own in ["count(report)", "1 + count(report)"] {
        assert_eq!(count_of(&amount(own), "kaohe::count_in_amount"), 1, "{own}");
    }
}

/// `amount by` looks the amount up by an attribute's level: by an attribute
/// of another type (a date) it is refused as a type mismatch naming that
/// type; by an unknown attribute only the unknown name is reported (no
/// second, cascaded mismatch).
#[test]
fn amount_by_needs_an_attribute_of_a_levels_type() {
    let by = |attribute: &str| {
        edit(&[(
            "      per report where late\n      amount 2\n",
            &format!("      per report where late\n      amount by {attribute} {{ central: 3 }}\n"),
        )])
    };
    let found = diagnostics(&by("due"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "kaohe::type_mismatch", "{found:?}");
    assert!(
        found[0].1.contains("an attribute of a `levels` type"),
        "{found:?}"
    );
    assert!(found[0].1.contains("date"), "{found:?}");
    let found = codes(&by("nowhere"));
    assert_eq!(found, ["kaohe::unknown_name"], "{found:?}");
}

/// The unused discretionary order names what it was given for: under a
/// monthly ruleset an order for a year (`2024`) is for the year's ranking
/// (`per year`); under `period year` the year is the period, so the same
/// order is for the per-period ranking.
#[test]
fn an_unused_discretionary_order_names_its_period_or_year() {
    let order = serde_json::json!({"2024": ["b", "a"]});
    let found = discretion_warnings(&base(), order.clone());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "$.discretion[\"2024\"]");
    assert_eq!(
        found[0].2,
        "the discretionary order for year 2024 is ignored: no per year ranking of ruleset `test_2024` breaks ties `by discretion`"
    );
    let yearly = edit(&[("period month [T-3]", "period year [T-3]")]);
    let found = discretion_warnings(&yearly, order);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].2,
        "the discretionary order for period 2024 is ignored: no per period ranking of ruleset `test_2024` breaks ties `by discretion`"
    );
}

/// Every built-in function's number of arguments, and the message naming
/// it: one too few and one too many are refused with the right count.
#[test]
fn each_function_takes_its_number_of_arguments() {
    for (call, expected) in [
        ("abs(1, 2)", "one argument"),
        ("min(1)", "two or more arguments"),
        ("max(1)", "two or more arguments"),
        ("round(1, 2)", "three arguments"),
        ("steps(1)", "two arguments"),
        ("steps(1, 2, 3)", "two arguments"),
        ("days_between(due)", "two arguments"),
        ("working_days_between(due, submitted, due)", "two arguments"),
    ] {
        let text = edit(&[("      amount 2\n", &format!("      amount {call}\n"))]);
        let found = diagnostics(&text);
        let arity: Vec<_> = found
            .iter()
            .filter(|(code, _, _)| code == "kaohe::wrong_argument_count")
            .collect();
        assert_eq!(arity.len(), 1, "{call}: {found:?}");
        assert!(arity[0].1.contains(expected), "{call}: {}", arity[0].1);
    }
    // The right count for each of them checks (as far as the count goes).
    for call in [
        "abs(1)",
        "min(1, 2)",
        "max(1, 2, 3)",
        "round(1, 2, half_up)",
        "steps(3, 1)",
    ] {
        let text = edit(&[("      amount 2\n", &format!("      amount {call}\n"))]);
        let found = codes(&text);
        assert!(
            !found.iter().any(|c| c == "kaohe::wrong_argument_count"),
            "{call}: {found:?}"
        );
    }
}

/// `x.total` reads a sub-assessment's result only when `x` is a declared
/// `input`; any other qualifier is an unknown name (not a number).
#[test]
fn only_a_declared_input_qualifies_total_and_rank() {
    for path in ["petition.total", "petition.rank"] {
        let text = edit(&[("      amount 2\n", &format!("      amount {path}\n"))]);
        let found = diagnostics(&text);
        assert!(
            found
                .iter()
                .any(|(code, message, _)| code == "kaohe::unknown_name"
                    && message.contains("qualifier")
                    && message.contains("petition")),
            "{path}: {found:?}"
        );
    }
}

/// A band is reachable only past the one before it: `upto` thresholds rise,
/// `from` thresholds fall; an equal threshold can never be the first band
/// that holds, for either kind.
#[test]
fn a_band_equal_to_the_one_before_is_unreachable() {
    let with_bands = |bands: &str| {
        edit(&[(
            "      amount 2\n",
            &format!("      amount bands(count(report), {bands}, else: 0)\n"),
        )])
    };
    for (bands, unreachable) in [
        ("upto 3: 1, upto 3: 2", true),
        ("upto 3: 1, upto 2: 2", true),
        ("upto 3: 1, upto 4: 2", false),
        ("from 3: 1, from 3: 2", true),
        ("from 3: 1, from 4: 2", true),
        ("from 3: 1, from 2: 2", false),
    ] {
        let found = diagnostics(&with_bands(bands));
        let said = found
            .iter()
            .any(|(_, message, _)| message.contains("can never be the first band that holds"));
        assert_eq!(said, unreachable, "{bands}: {found:?}");
    }
}

/// A rule version starting on the ruleset's own first day needs no period
/// boundary there, even when the ruleset starts mid-month (its first period
/// is what the ruleset makes it); a later start inside a month does.
#[test]
fn a_version_starting_with_a_mid_month_ruleset_is_not_split() {
    let mid = |from: &str| {
        edit(&[
            (
                "  effective 2024-01-01 to 2024-12-31\n",
                "  effective 2024-01-15 to 2024-12-31\n",
            ),
            (
                "      per report where late\n",
                &format!("      effective {from} to 2024-12-31\n      per report where late\n"),
            ),
        ])
    };
    let found = codes(&mid("2024-01-15"));
    assert!(
        !found.iter().any(|c| c == "kaohe::effective_splits_period"),
        "{found:?}"
    );
    let found = codes(&mid("2024-03-15"));
    assert!(
        found.iter().any(|c| c == "kaohe::effective_splits_period"),
        "{found:?}"
    );
}

/// A ranking key by a unit attribute needs an order: a number or a date
/// checks clean, a text or a level is refused as a type mismatch.
#[test]
fn a_ranking_key_is_a_number_or_date_attribute() {
    let keyed = |attribute: &str| {
        edit(&[
            (
                "group lead \"牵头单位\" [T-1] {\n}",
                &format!("group lead \"牵头单位\" [T-1] {{\n  attribute k: {attribute} \"键\"\n}}"),
            ),
            (
                "  by total desc [T-6]\n",
                "  by total desc [T-6]\n  by k asc [T-6]\n",
            ),
        ])
    };
    for (attribute, refused) in [
        ("integer", false),
        ("decimal", false),
        ("date", false),
        ("text", true),
        ("bool", true),
    ] {
        let found = diagnostics(&keyed(attribute));
        let mismatch = found.iter().any(|(code, message, _)| {
            code == "kaohe::type_mismatch" && message.contains("a number or date attribute")
        });
        assert_eq!(mismatch, refused, "{attribute}: {found:?}");
        if !refused {
            assert_eq!(found, Vec::new(), "{attribute}");
        }
    }
}

/// The same at the other end: a version ending on the ruleset's own last
/// day (mid-month) is not split; an earlier end inside a month is, and the
/// help names the month's last days it could end on.
#[test]
fn a_version_ending_with_a_mid_month_ruleset_is_not_split() {
    let mid = |to: &str| {
        edit(&[
            (
                "  effective 2024-01-01 to 2024-12-31\n",
                "  effective 2024-01-01 to 2024-12-15\n",
            ),
            (
                "      per report where late\n",
                &format!("      effective 2024-01-01 to {to}\n      per report where late\n"),
            ),
        ])
    };
    let found = codes(&mid("2024-12-15"));
    assert!(
        !found.iter().any(|c| c == "kaohe::effective_splits_period"),
        "{found:?}"
    );
    let found = diagnostics(&mid("2024-10-15"));
    let split: Vec<_> = found
        .iter()
        .filter(|(c, _, _)| c == "kaohe::effective_splits_period")
        .collect();
    assert_eq!(split.len(), 1, "{found:?}");
    assert!(split[0].1.contains("2024-10-15"), "{:?}", split[0]);
    let help = split[0].2.as_deref().unwrap_or_default();
    assert!(help.contains("2024-09-30"), "{help}");
    assert!(help.contains("2024-10-31"), "{help}");
}

/// A version never in force (wholly before or after the ruleset, or ending
/// before it starts) is reported as such, once: its bounds are not also
/// reported as splitting periods.
#[test]
fn a_version_never_in_force_is_not_also_said_to_split_periods() {
    let version = |from: &str, to: &str| {
        edit(&[(
            "      per report where late\n",
            &format!("      effective {from} to {to}\n      per report where late\n"),
        )])
    };
    for (from, to) in [("2023-02-10", "2023-03-15"), ("2025-02-10", "2025-03-15")] {
        let found = codes(&version(from, to));
        assert!(
            found.iter().any(|c| c == "kaohe::never_effective"),
            "{from}–{to}: {found:?}"
        );
        assert!(
            !found.iter().any(|c| c == "kaohe::effective_splits_period"),
            "{from}–{to}: {found:?}"
        );
    }
    // Ending before it starts: an invalid range, not a split.
    let found = codes(&version("2024-05-20", "2024-03-10"));
    assert!(
        !found.iter().any(|c| c == "kaohe::effective_splits_period"),
        "{found:?}"
    );
    assert!(!found.is_empty());
}

/// `A or B` can never hold when neither side can, and the warning says so;
/// when one side can hold, nothing is said.
#[test]
fn an_or_never_holds_when_neither_side_can() {
    let found = diagnostics(&rule_where("(late and not late) or false"));
    let never: Vec<_> = found
        .iter()
        .filter(|(c, _, _)| c == "kaohe::never_holds")
        .collect();
    assert_eq!(never.len(), 1, "{found:?}");
    assert!(
        never[0].1.contains("neither side of `or` can hold"),
        "{:?}",
        never[0]
    );
    for condition in [
        "(late and not late) or late",
        "false or late",
        "late or false",
    ] {
        assert_eq!(
            codes(&rule_where(condition)),
            Vec::<String>::new(),
            "{condition}"
        );
    }
}

/// What the never-holds analysis says for each form of condition, and what
/// it leaves alone: `false`, `not` of what always holds (`true`, `x or not
/// x`, an `or` with a side that always holds, an `and` of two that do), a
/// value never negative compared below zero (either way round, with `<`,
/// `<=`, `==`), and an attribute equal and unequal to one value.
#[test]
fn the_never_holds_analysis_by_form() {
    for (condition, reason) in [
        ("false", Some("`false` never holds")),
        ("late and false", Some("`false` never holds")),
        ("not true", Some("`true` always holds")),
        (
            "not (late or not late)",
            Some("`late or not late` always holds"),
        ),
        ("not (not late or late)", Some("always holds")),
        ("not (true or late)", Some("always holds")),
        ("not (late or true)", Some("always holds")),
        ("not (true and true)", Some("always holds")),
        ("not (late and true)", None),
        ("not (true and late)", None),
        ("not (late or late)", None),
        ("not late", None),
        (
            "count(report) < 0",
            Some("is never negative, so `count(report) < 0` never holds"),
        ),
        ("0 > count(report)", Some("is never negative")),
        ("count(report) <= -1", Some("is never negative")),
        ("-1 >= count(report)", Some("is never negative")),
        ("count(report) == -2", Some("is never negative")),
        ("count < 0", Some("`count` is never negative")),
        (
            "abs(days_between(due, submitted)) < 0",
            Some("is never negative"),
        ),
        ("count(report) <= 0", None),
        ("count(report) < 0.5", None),
        ("count(report) == 0", None),
        ("count(report) > -1", None),
        ("count(report) >= 0", None),
        ("0 < count(report)", None),
        ("days_between(due, submitted) < 0", None),
        (
            "submitted == 2024-03-01 and submitted != 2024-03-01",
            Some("cannot both hold"),
        ),
        (
            "submitted == 2024-03-01 and 2024-03-02 == submitted",
            Some("cannot both hold"),
        ),
        ("submitted == 2024-03-01 and submitted == 2024-03-01", None),
        ("submitted != 2024-03-01 and submitted != 2024-03-02", None),
        // Two attributes: the analysis compares with constants only.
        ("submitted == due and submitted != due", None),
    ] {
        let found = diagnostics(&rule_where(condition));
        let never: Vec<&String> = found
            .iter()
            .filter(|(c, _, _)| c == "kaohe::never_holds")
            .map(|(_, m, _)| m)
            .collect();
        match reason {
            Some(reason) => {
                assert_eq!(never.len(), 1, "`{condition}`: {found:?}");
                assert!(never[0].contains(reason), "`{condition}`: {}", never[0]);
            }
            None => assert_eq!(never, Vec::<&String>::new(), "`{condition}`"),
        }
    }
}

/// The checker's boundaries, each on both sides: a cap must be above 0; a
/// constant amount applied once a period at most equal to its rule's cap
/// makes the cap never bind; versions sharing one day overlap, in either
/// order of declaration; a discretion range may be one value; a range may
/// be one day.
#[test]
fn the_checkers_boundaries_on_both_sides() {
    let has = |text: &str, code: &str| codes(text).iter().any(|c| c == code);
    let rule = |body: &str| {
        edit(&[(
            "      per report where late\n      amount 2\n",
            &format!("{body}\n"),
        )])
    };
    // Caps: 0 refused, 0.5 not.
    assert!(has(
        &rule("      per report where late\n      amount 2\n      cap 0 per period [T-5]"),
        "kaohe::non_positive_cap"
    ));
    assert!(!has(
        &rule("      per report where late\n      amount 2\n      cap 0.5 per period [T-5]"),
        "kaohe::non_positive_cap"
    ));
    // Once a period (no `per`): amount 2 under cap 2 never binds; under 1.5 it does.
    assert!(has(
        &rule("      amount 2\n      cap 2 per period [T-5]"),
        "kaohe::never_binds"
    ));
    assert!(has(
        &rule("      amount 2\n      cap 3 per period [T-5]"),
        "kaohe::never_binds"
    ));
    assert!(!has(
        &rule("      amount 2\n      cap 1.5 per period [T-5]"),
        "kaohe::never_binds"
    ));
    // Discretion: 2 to 2 is a range of one value; 2 to 1 is reversed.
    assert!(!has(
        &rule("      per report where late\n      amount discretion 2 to 2"),
        "kaohe::reversed_discretion"
    ));
    assert!(has(
        &rule("      per report where late\n      amount discretion 2 to 1"),
        "kaohe::reversed_discretion"
    ));
    // Ranges: one day is a range; the day before is not.
    let ranged = |to: &str| {
        edit(&[(
            "      per report where late\n",
            &format!("      effective 2024-03-01 to {to}\n      per report where late\n"),
        )])
    };
    assert!(!has(&ranged("2024-03-01"), "kaohe::invalid_range"));
    assert!(has(&ranged("2024-02-29"), "kaohe::invalid_range"));
    // Versions: sharing their last/first day overlaps, whichever comes first.
    let versions = |first: (&str, &str), second: (&str, &str)| {
        edit(&[(
            "      amount 2\n    }\n",
            &format!(
                "      amount 2\n      effective {} to {}\n    }}\n    deduct late_report \"上报进度不及时\" [T-5] {{\n      per report where late\n      amount 3\n      effective {} to {}\n    }}\n",
                first.0, first.1, second.0, second.1
            ),
        )])
    };
    let (h1, h2) = (("2024-01-01", "2024-06-30"), ("2024-07-01", "2024-12-31"));
    let (h1_long, h2_early) = (("2024-01-01", "2024-07-01"), ("2024-06-30", "2024-12-31"));
    assert!(!has(&versions(h1, h2), "kaohe::overlapping_effective"));
    assert!(!has(&versions(h2, h1), "kaohe::overlapping_effective"));
    for (a, b) in [(h1_long, h2), (h2, h1_long), (h1, h2_early), (h2_early, h1)] {
        assert!(
            has(&versions(a, b), "kaohe::overlapping_effective"),
            "{a:?} {b:?}"
        );
    }
}

/// Comparisons and arithmetic by operand type: an ordered comparison needs
/// values with an order (not truth values); `==`/`!=` compare any two of one
/// type; arithmetic needs numbers, with the date help for a date and the
/// operator's own help otherwise.
#[test]
fn operators_by_operand_type() {
    for (condition, help) in [
        ("late < true", Some("`<` needs values that have an order")),
        (
            "late >= false",
            Some("`>=` needs values that have an order"),
        ),
        ("late == true", None),
        ("late != false", None),
        ("submitted > due", None),
        ("submitted <= due", None),
        ("late + 1 > 0", Some("`+` works on numbers")),
        ("1 * late > 0", Some("`*` works on numbers")),
        (
            "submitted + 1 > due",
            Some("a date is moved by a length of time"),
        ),
        // A date on the right only: reported there.
        (
            "1 + submitted > 0",
            Some("a date is moved by a length of time"),
        ),
        // Two dates: one error (on the left one), not two.
        (
            "submitted - due > 0",
            Some("a date is moved by a length of time"),
        ),
        (
            "submitted == 1",
            Some("`==` compares two values of the same type"),
        ),
    ] {
        let found = diagnostics(&rule_where(condition));
        match help {
            None => assert_eq!(found, Vec::new(), "`{condition}`"),
            Some(help) => {
                let mismatches: Vec<_> = found
                    .iter()
                    .filter(|(c, _, _)| c == "kaohe::type_mismatch")
                    .collect();
                assert_eq!(mismatches.len(), 1, "`{condition}`: {found:?}");
                assert!(
                    mismatches[0]
                        .2
                        .as_deref()
                        .unwrap_or_default()
                        .contains(help),
                    "`{condition}`: {:?}",
                    mismatches[0]
                );
            }
        }
    }
}

/// What each built-in function returns, as far as whole numbers go (`N
/// days` needs a whole N): `min`/`max` of whole numbers, `abs` of one,
/// `floor`, `ceil` and `steps` are whole; with a fraction among the
/// arguments, or from `round`, not.
#[test]
fn functions_keep_or_lose_whole_numbers() {
    assert_whole_days(&[
        ("min(1, 2)", true),
        ("max(1, 2, 3)", true),
        ("min(1, 2.5)", false),
        ("max(1.5, 2)", false),
        ("abs(2)", true),
        ("abs(2.5)", false),
        ("floor(2.5)", true),
        ("ceil(2.5)", true),
        ("steps(5, 2)", true),
        ("round(2, 0, half_up)", false),
    ]);
}

/// The arguments `steps` and `round` accept: a step size above 0; 0 to 28
/// whole places; one of the four rounding modes.
#[test]
fn steps_and_round_check_their_constant_arguments() {
    let amount = |a: &str| {
        diagnostics(&edit(&[(
            "      amount 2\n",
            &format!("      amount {a}\n"),
        )]))
    };
    for (a, expected) in [
        ("steps(count(report), 1)", None),
        (
            "steps(count(report), 0)",
            Some("a step size greater than 0"),
        ),
        ("round(1.25, 0, half_up)", None),
        ("round(1.25, 28, half_even)", None),
        ("round(1.25, 1, down)", None),
        ("round(1.25, 1, up)", None),
        (
            "round(1.25, 29, up)",
            Some("a whole number of places from 0 to 28"),
        ),
        (
            "round(1.25, 1.5, up)",
            Some("a whole number of places from 0 to 28"),
        ),
        (
            "round(1.25, -1, up)",
            Some("a whole number of places from 0 to 28"),
        ),
        ("round(1.25, 1, sideways)", Some("a rounding mode")),
    ] {
        let found = amount(a);
        match expected {
            None => assert!(
                !found.iter().any(|(c, _, _)| c == "kaohe::type_mismatch"),
                "{a}: {found:?}"
            ),
            Some(expected) => {
                let m: Vec<_> = found
                    .iter()
                    .filter(|(c, _, _)| c == "kaohe::type_mismatch")
                    .collect();
                assert_eq!(m.len(), 1, "{a}: {found:?}");
                assert!(m[0].1.contains(expected), "{a}: {:?}", m[0]);
            }
        }
    }
}

/// Every kind of declaration declared twice is reported once, as the kind it
/// is, at the second declaration: `{kind} `{name}` is declared twice`.
#[test]
fn each_kind_declared_twice_names_its_kind() {
    let ranking =
        "ranking monthly \"月度排名\" of lead [T-6] {\n  by total desc [T-6]\n  ties shared [T-6]\n}\n";
    for (addition, kind, name) in [
        ("group lead \"牵头单位\" [T-1] {\n}\n", "group", "lead"),
        (ranking, "ranking", "monthly"),
        (
            "record report \"进度报送\" {\n  due: date \"截止日期\"\n}\n",
            "record kind",
            "report",
        ),
        (
            "assumption [T-A1] \"the same assumption again\"\n",
            "assumption",
            "T-A1",
        ),
        (
            "levels tier \"级别\" {\n  high \"高\"\n}\nlevels tier \"级别\" {\n  low \"低\"\n}\n",
            "levels type",
            "tier",
        ),
        (
            "measure m \"完成数\" of lead = count(report)\nmeasure m \"完成数\" of lead = count(report)\n",
            "measure",
            "m",
        ),
    ] {
        let text = format!("{}\n{addition}", base());
        let found = diagnostics(&text);
        let twice: Vec<&String> = found
            .iter()
            .filter(|(c, _, _)| c == "kaohe::duplicate_name")
            .map(|(_, m, _)| m)
            .collect();
        assert_eq!(
            twice,
            [&format!("{kind} `{name}` is declared twice")],
            "{kind}: {found:?}"
        );
    }
    // Attributes: of a group, of a record kind, and a record kind's built-in.
    for (from, to, expected) in [
        (
            "group lead \"牵头单位\" [T-1] {\n}",
            "group lead \"牵头单位\" [T-1] {\n  attribute k: integer \"键\"\n  attribute k: integer \"键\"\n}",
            "unit attribute `k` is declared twice",
        ),
        (
            "  due:       date \"截止日期\"\n",
            "  due:       date \"截止日期\"\n  due:       date \"截止日期\"\n",
            "attribute `due` is declared twice",
        ),
        (
            "  due:       date \"截止日期\"\n",
            "  due:       date \"截止日期\"\n  reported:  date \"上报日期\"\n",
            "built-in record attribute `reported` is declared twice",
        ),
    ] {
        let found = diagnostics(&edit(&[(from, to)]));
        let twice: Vec<&String> = found
            .iter()
            .filter(|(c, _, _)| c == "kaohe::duplicate_name")
            .map(|(_, m, _)| m)
            .collect();
        assert_eq!(twice, [expected], "{found:?}");
    }
}

/// Under `period year`, `per year` is refused on every construct that takes
/// it (the period is the year), one error each; under `period month` each is
/// accepted.
#[test]
fn per_year_under_period_year_is_refused_on_every_construct() {
    let constructs = [
        "notice warn \"预警\" of lead per year [T-6] {\n  when total < 60\n  action \"预警\"\n}\n",
        "flag look \"关注\" of lead per year [T-6] {\n  when total < 60\n  action \"关注\"\n}\n",
        "classify grade \"等次\" of lead per year [T-6] {\n  good \"好\" when total >= 90\n  fair \"中\" otherwise\n}\n",
        "quota tasks \"任务\" of lead per year [T-6] {\n  require count(report) >= 1 \"至少一次\"\n  action \"提醒\"\n}\n",
        "output o \"输出\" of lead per year [T-6] = total\n",
    ];
    for construct in constructs {
        let monthly = format!("{}\n{construct}", base());
        let found = codes(&monthly);
        assert!(
            !found.iter().any(|c| c == "kaohe::period_is_year"),
            "{construct}: {found:?}"
        );
        let yearly = format!(
            "{}\n{construct}",
            edit(&[("period month [T-3]", "period year [T-3]")])
        );
        let found = codes(&yearly);
        assert_eq!(
            found
                .iter()
                .filter(|c| *c == "kaohe::period_is_year")
                .count(),
            1,
            "{construct}: {found:?}"
        );
    }
}

/// A calendar: a year written twice is reported as a calendar year declared
/// twice; an unknown calendar name as an unknown name; `working days` need a
/// calendar; `+ N days` needs a date before it.
#[test]
fn calendars_and_date_shifts() {
    let with_calendar = |calendar: &str, condition: &str| {
        let text = rule_where(condition);
        text.replacen("group lead", &format!("{calendar}\ngroup lead"), 1)
    };
    let year = "  year 2024 [T-1] {\n    holiday 2024-10-01 to 2024-10-07\n  }\n";
    let twice = with_calendar(&format!("calendar cn [T-1] {{\n{year}{year}}}\n"), "late");
    let found = diagnostics(&twice);
    let dup: Vec<&String> = found
        .iter()
        .filter(|(c, _, _)| c == "kaohe::duplicate_name")
        .map(|(_, m, _)| m)
        .collect();
    assert_eq!(dup, ["calendar year `2024` is declared twice"], "{found:?}");
    let unknown = with_calendar("calendar mars [T-1] {\n}\n", "late");
    let found = diagnostics(&unknown);
    assert!(
        found
            .iter()
            .any(|(c, m, _)| c == "kaohe::unknown_name" && m.contains("mars")),
        "{found:?}"
    );
    // `working days` without a calendar: refused; with one: clean.
    let shift = "submitted > due + 5 working days";
    assert!(codes(&rule_where(shift))
        .iter()
        .any(|c| c == "kaohe::no_calendar"));
    assert_eq!(
        codes(&with_calendar("calendar cn [T-1] {\n}\n", shift)),
        Vec::<String>::new()
    );
    // A length of time moves a date, not a truth value.
    let found = diagnostics(&rule_where("late + 5 days"));
    assert!(
        found.iter().any(|(c, _, help)| c == "kaohe::type_mismatch"
            && help.as_deref().unwrap_or_default().contains("moves a date")),
        "{found:?}"
    );
}

/// A discretion range is always zero only when both its ends are: `0 to 2`
/// leaves the office room to decide, `0 to 0` does not.
#[test]
fn a_discretion_range_is_zero_only_when_both_ends_are() {
    let discretion = |range: &str| {
        codes(&edit(&[(
            "      amount 2\n",
            &format!("      amount discretion {range}\n"),
        )]))
    };
    assert!(discretion("0 to 0")
        .iter()
        .any(|c| c == "kaohe::zero_amount"));
    for range in ["0 to 2", "1 to 2", "2 to 2"] {
        let found = discretion(range);
        assert!(
            !found.iter().any(|c| c == "kaohe::zero_amount"),
            "{range}: {found:?}"
        );
    }
}

/// An `annual` block says where the year comes from, once; its conversion
/// weight is above 0.
#[test]
fn an_annual_block_states_one_source_and_a_positive_weight() {
    let with_annual = |annual: &str| format!("{}\n{annual}\n", base());
    assert_eq!(
        codes(&with_annual(
            "annual [T-4] {\n  from sum of periods [T-4]\n  convert weight 10 round 2 half_up [T-4]\n}"
        )),
        Vec::<String>::new()
    );
    let found = diagnostics(&with_annual("annual [T-4] {\n}"));
    assert!(
        found
            .iter()
            .any(|(c, m, _)| c == "kaohe::missing_part" && m.contains("`from`")),
        "{found:?}"
    );
    let found = codes(&with_annual(
        "annual [T-4] {\n  from sum of periods [T-4]\n  from pooled records [T-4]\n}",
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    let found = codes(&with_annual(
        "annual [T-4] {\n  from sum of periods [T-4]\n  convert weight 0 [T-4]\n}",
    ));
    assert_eq!(found, ["kaohe::non_positive_cap"], "{found:?}");
}

/// A quota states at least one requirement, each a condition, cites its
/// clause and names a known group.
#[test]
fn a_quota_states_cited_requirements_over_a_known_group() {
    let quota = |decl: &str| format!("{}\n{decl}\n", base());
    assert_eq!(
        codes(&quota(
            "quota tasks \"任务\" of lead [T-6] {\n  require count(report) >= 1 \"至少一次\"\n  action \"提醒\"\n}"
        )),
        Vec::<String>::new()
    );
    for (decl, expected) in [
        (
            "quota tasks \"任务\" of lead [T-6] {\n  action \"提醒\"\n}",
            "kaohe::missing_part",
        ),
        (
            "quota tasks \"任务\" of lead [T-6] {\n  require count(report) \"至少一次\"\n  action \"提醒\"\n}",
            "kaohe::type_mismatch",
        ),
        (
            "quota tasks \"任务\" of nobody [T-6] {\n  require count(report) >= 1 \"至少一次\"\n  action \"提醒\"\n}",
            "kaohe::unknown_name",
        ),
        (
            "quota tasks \"任务\" of lead {\n  require count(report) >= 1 \"至少一次\"\n  action \"提醒\"\n}",
            "kaohe::missing_citation",
        ),
    ] {
        let found = codes(&quota(decl));
        assert!(found.iter().any(|c| c == expected), "{decl}: {found:?}");
    }
}

/// `cap bonuses N per year` never binds when the rules' own caps per year
/// add up to N or less; their caps per period do not bound the year.
#[test]
fn a_yearly_cap_on_bonuses_is_bounded_by_the_rules_yearly_caps() {
    let capped = |cap: &str, first: &str, second: &str| {
        edit(&[(
            "      amount 2\n    }\n  }\n",
            &format!(
                "      amount 2\n    }}\n    cap bonuses {cap} [T-4]\n    bonus good \"表扬\" [T-5] {{\n      per report where late\n      amount 1\n      cap {first} [T-5]\n    }}\n    bonus fine \"嘉奖\" [T-5] {{\n      per report where not late\n      amount 1\n      cap {second} [T-5]\n    }}\n  }}\n"
            ),
        )])
    };
    let never = "kaohe::never_binds";
    assert_eq!(
        count_of(&capped("5 per year", "2 per year", "3 per year"), never),
        1
    );
    assert_eq!(
        count_of(&capped("4 per year", "2 per year", "3 per year"), never),
        0
    );
    assert_eq!(
        count_of(&capped("5 per year", "2 per period", "3 per year"), never),
        0
    );
    assert_eq!(
        count_of(
            &capped("5 per period", "2 per period", "3 per period"),
            never
        ),
        1
    );
    assert_eq!(
        count_of(&capped("5 per period", "2 per year", "3 per period"), never),
        1
    );
}

/// Of the measure functions, `place` and `peer_count` are whole numbers (a
/// rank, a count); the others are decimals, so only the first two can be a
/// number of days.
#[test]
fn a_place_and_a_peer_count_are_whole_numbers() {
    for (function, whole) in [
        ("place", true),
        ("peer_count", true),
        ("measure", false),
        ("peer_max", false),
        ("peer_average", false),
    ] {
        let mut text = rule_where(&format!("submitted > due + {function}(late_count) days"));
        text.push_str("\nmeasure late_count \"迟报数\" of lead [T-6] = count(report where late)\n");
        let found = codes(&text);
        if whole {
            assert_eq!(found, Vec::<String>::new(), "{function}");
        } else {
            assert!(
                found.iter().any(|c| c == "kaohe::type_mismatch"),
                "{function}: {found:?}"
            );
        }
    }
}

/// A measure's value may not read `place(…)`, `peer_…(…)` or `measure(…)`
/// through a derived attribute either, however many derives deep: such a
/// measure would depend on places among units not yet measured, even on
/// itself (found while examining an "equivalent" mutant of
/// `measures_for`: `measure m = count(report where top)` with `derive top =
/// place(m) == 1` was accepted and measured 0 for every unit). A derive
/// reading a place is fine in a rule.
#[test]
fn a_measure_reads_no_place_through_a_derived_attribute() {
    let with = |derives: &str, measure: &str, rule_filter: &str| {
        let mut text = edit(&[
            (
                "  derive late = submitted > due [T-2, T-A1]\n",
                &format!("  derive late = submitted > due [T-2, T-A1]\n{derives}"),
            ),
            (
                "      per report where late\n",
                &format!("      per report where {rule_filter}\n"),
            ),
        ]);
        text.push_str(&format!(
            "\nmeasure m \"完成数\" of lead [T-6] = {measure}\n"
        ));
        text
    };
    let direct = "  derive top = place(m) == 1 [T-2]\n";
    let chained = "  derive top = place(m) == 1 [T-2]\n  derive first = top and late [T-2]\n";
    for (derives, measure, expected) in [
        (direct, "count(report where top)", vec!["`place(…)` cannot be used in a measure's value (derived attribute `top` reads it)"]),
        (chained, "count(report where first)", vec!["`place(…)` cannot be used in a measure's value (derived attribute `first` reads it)"]),
        (
            "  derive near = peer_max(m) > 3 [T-2]\n",
            "sum(report, if near then 1 else 0)",
            vec!["`peer_max(…)` cannot be used in a measure's value (derived attribute `near` reads it)"],
        ),
        // Through every form of expression: `not`, a function's arguments,
        // `bands`, a length of time.
        (
            "  derive top = not (place(m) > 1) [T-2]\n",
            "count(report where top)",
            vec!["`place(…)` cannot be used in a measure's value (derived attribute `top` reads it)"],
        ),
        (direct, "max(sum(report, if top then 1 else 0), 0)", vec!["`place(…)` cannot be used in a measure's value (derived attribute `top` reads it)"]),
        (direct, "bands(count(report where top), upto 1: 1, else: 0)", vec!["`place(…)` cannot be used in a measure's value (derived attribute `top` reads it)"]),
        (
            "  derive top = place(m) == 1 [T-2]\n  derive soon = submitted < due + (if top then 1 else 0) days [T-2]\n",
            "count(report where soon)",
            vec!["`place(…)` cannot be used in a measure's value (derived attribute `soon` reads it)"],
        ),
        (direct, "count(report where late)", vec![]),
        ("  derive on_time = not late [T-2]\n", "count(report where on_time)", vec![]),
    ] {
        let found: Vec<String> = diagnostics(&with(derives, measure, "late"))
            .into_iter()
            .filter(|(code, _, _)| code == "kaohe::measure_in_measure")
            .map(|(_, message, _)| message)
            .collect();
        assert_eq!(found, expected, "{derives} {measure}");
    }
    // The derive that reads a place, used by a rule: clean.
    assert_eq!(
        codes(&with(direct, "count(report where late)", "late and top")),
        Vec::<String>::new()
    );
}

/// `once per unit keep highest` needs records to choose from: refused in a
/// rule without `per` (`kaohe::needs_record`), accepted with `per report`,
/// and with `per` of an unknown kind only the unknown kind is reported
/// (mutation shard 0/24: the guard's `&&` turned into `||` went unnoticed).
#[test]
fn once_per_unit_needs_a_per_and_says_nothing_more_of_an_unknown_kind() {
    let once = |per: &str| {
        edit(&[(
            "      per report where late\n      amount 2\n    }\n",
            &format!("      per report where late\n      amount 2\n    }}\n    deduct many \"多次\" [T-5] {{\n{per}      amount 1\n      once per unit keep highest [T-5]\n    }}\n"),
        )])
    };
    assert_eq!(
        codes(&once("      per report where late\n")),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&once("      when count(report) > 2\n")),
        ["kaohe::needs_record"]
    );
    assert_eq!(codes(&once("      per reprot\n")), ["kaohe::unknown_name"]);
}

/// A record attribute compared with two different constants never holds,
/// whatever the constant's kind, a level's name included: the attribute is
/// told from a level's name by what is in scope (mutation shard 3/24, check
/// part: a record attribute taken for a level's name went unnoticed), and
/// `subtotal(…)` takes a category's bare name only, never a qualified one.
#[test]
fn a_record_attribute_is_in_scope_and_subtotal_takes_a_bare_name() {
    for (condition, warned) in [
        ("n == 1 and n == 2", true),
        ("t == \"甲\" and t == \"乙\"", true),
        ("n == 1 and x == 2", false),
    ] {
        assert_eq!(
            count_of(&rich(condition), "kaohe::never_holds"),
            usize::from(warned),
            "{condition}"
        );
    }
    let levels = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/check/base/base_with_levels.rules"
    ))
    .unwrap();
    let from = "      per media_report\n";
    assert_eq!(levels.matches(from).count(), 1);
    for (condition, warned) in [
        ("tier == central and tier == provincial", true),
        ("tier == central or tier == provincial", false),
    ] {
        let text = levels.replacen(
            from,
            &format!("      per media_report where {condition}\n"),
            1,
        );
        assert_eq!(
            count_of(&text, "kaohe::never_holds"),
            usize::from(warned),
            "{condition}"
        );
    }
    // `subtotal(daily.x)`: a qualified name is an expression, even when its
    // first part is a category.
    for (argument, mismatch) in [("daily.x", true), ("daily", false)] {
        let text = format!(
            "{}\nnotice warning \"预警通知\" of lead [T-8] {{\n  when subtotal({argument}) > 1\n  action \"下发《预警通知》\"\n}}\n",
            base()
        );
        let found = diagnostics(&text);
        assert_eq!(
            found
                .iter()
                .any(|(code, message, _)| code == "kaohe::type_mismatch"
                    && message == "expected the name of a `category`, found an expression"),
            mismatch,
            "{argument}: {found:?}"
        );
        assert!(
            found.iter().all(|(code, _, _)| code != "kaohe::syntax"),
            "{found:?}"
        );
    }
}

/// `kaohe::calendar_missing_year`: once, at the first place working days
/// are counted, naming every year in force the calendar lacks; silent once
/// the declaration writes those years, or when nothing counts working days.
#[test]
fn a_calendar_lacking_a_year_in_force_is_a_warning_once() {
    let corpus = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/check/calendar_missing_year.rules"
    ))
    .unwrap();
    let count = |text: &str| {
        diagnostics(text)
            .into_iter()
            .filter(|(code, _, _)| code == "kaohe::calendar_missing_year")
            .map(|(_, message, _)| message)
            .collect::<Vec<_>>()
    };
    let two_years = corpus
        .replace("2027-12-31", "2028-12-31")
        .replace("amount 2", "amount 2\n    }\n    deduct later \"再次迟报\" [T-5] {\n      per report where submitted > due + 3 working days\n      amount 1");
    let found = count(&two_years);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("in force in 2027, 2028"), "{}", found[0]);
    // 2026 is shipped.
    let shipped = corpus.replace("test_2027", "test_2026").replace(
        "effective 2027-01-01 to 2027-12-31",
        "effective 2026-01-01 to 2026-12-31",
    );
    assert_eq!(count(&shipped), Vec::<String>::new());
    // 2027 written in the declaration.
    let written = corpus.replace(
        "calendar cn [T-3]",
        "calendar cn [T-3] {\n  year 2027 [T-3] {\n    holiday 2027-01-01\n  }\n}",
    );
    assert_eq!(count(&written), Vec::<String>::new());
    // Nothing counts working days.
    let calendar_days = corpus.replace("working_days_between", "days_between");
    assert_eq!(count(&calendar_days), Vec::<String>::new());
}
