#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Every checker diagnostic that no other library test triggers (issue 12 §8:
//! coverage of `cargo test -p kaohe` left these push sites in `check/` unrun,
//! so a mutant deleting one, or turning its guard, survived): statements
//! given twice, names declared twice, missing parts, unknown names, and the
//! type and count checks of a few constructs. Each case is a small edit of
//! the corpus base (`tests/check/base/base.rules`) and states the exact code,
//! message and position (line:column of the primary span, and the text the
//! span starts with) the checker must give — exactly once — and the valid
//! neighbour (the same text without the mistake) that must not give that code.

mod check_base;
use check_base::{base, each_diagnostic, edit};

/// The base with `addition` after it (and a blank line: the addition starts on line 42).
fn append(addition: &str) -> String {
    format!("{}\n{addition}", base())
}

/// One diagnostic: code, message, where its primary span starts, and the
/// text the span covers.
#[derive(Debug)]
struct Found {
    code: String,
    message: String,
    at: (usize, usize),
    spanned: String,
}

fn found(text: &str) -> Vec<Found> {
    each_diagnostic(text, |source, d| {
        let r = d.record(source);
        Found {
            code: r.code,
            message: r.message,
            at: (r.start.line, r.start.column),
            spanned: source.slice(d.span()).to_owned(),
        }
    })
}

fn codes(text: &str) -> Vec<String> {
    found(text).into_iter().map(|f| f.code).collect()
}

/// A mistake and its valid neighbour.
struct Case {
    /// The ruleset with the mistake.
    wrong: String,
    /// The same ruleset without it.
    right: String,
    /// The message the mistake gives (once, under the table's code).
    message: &'static str,
    /// Line and column of the primary span.
    at: (usize, usize),
    /// What the primary span starts with.
    spans: &'static str,
}

/// `wrong` gives `code` exactly once, with the message at the position;
/// `right` does not give `code` at all.
fn assert_cases(code: &str, cases: &[Case]) {
    for case in cases {
        let wrong = found(&case.wrong);
        let with_code: Vec<&Found> = wrong.iter().filter(|f| f.code == code).collect();
        assert_eq!(
            with_code.len(),
            1,
            "{}: want one `{code}`, got {wrong:#?}",
            case.message
        );
        let f = with_code[0];
        assert_eq!(f.message, case.message, "{wrong:#?}");
        assert_eq!(f.at, case.at, "{}: {f:#?}", case.message);
        assert!(
            f.spanned.starts_with(case.spans),
            "{}: the span covers `{}`, not `{}…`",
            case.message,
            f.spanned,
            case.spans
        );
        let right = codes(&case.right);
        assert!(
            !right.iter().any(|c| c == code),
            "{}: the valid neighbour gives {right:?}",
            case.message
        );
    }
}

#[test]
fn the_base_checks_clean() {
    assert_eq!(codes(&base()), Vec::<String>::new());
}

const ANNUAL: &str = "annual [T-4] {\n  from sum of periods [T-4]\n}\n";

#[test]
fn each_statement_given_twice_is_refused_at_the_repetition() {
    let header = "ruleset test_2025 {\n  title     \"又一个\"\n  issuer    \"测试县工作专班\"\n  source    \"通知\"\n  effective 2025-01-01 to 2025-12-31\n}\n";
    let title = "  title     \"测试县重点民生实事考核细则\"\n";
    let effective = "  effective 2024-01-01 to 2024-12-31\n";
    let base_line = "  base 100 [T-4]\n";
    let key = "  by total desc [T-6]\n";
    assert_cases(
        "kaohe::repeated_statement",
        &[
            Case {
                wrong: append(header),
                right: base(),
                message: "the `ruleset` header is given more than once",
                at: (42, 1),
                spans: "ruleset test_2025 {",
            },
            Case {
                wrong: append("period month [T-3] {\n  amendable [T-3]\n}\n"),
                right: base(),
                message: "`period` is given more than once",
                at: (42, 1),
                spans: "period month",
            },
            Case {
                wrong: append("score [T-4] {\n  base 100 [T-4]\n}\n"),
                right: base(),
                message: "`score` is given more than once",
                at: (42, 1),
                spans: "score [T-4] {",
            },
            Case {
                wrong: append(&format!("{ANNUAL}{ANNUAL}")),
                right: append(ANNUAL),
                message: "`annual` is given more than once",
                at: (45, 1),
                spans: "annual [T-4]",
            },
            Case {
                wrong: edit(&[(title, &format!("{title}  title     \"又一个标题\"\n"))]),
                right: base(),
                message: "`title` is given more than once",
                at: (5, 3),
                spans: "title     \"又一个标题\"",
            },
            Case {
                wrong: edit(&[(effective, &format!("{effective}{effective}"))]),
                right: base(),
                message: "`effective` is given more than once",
                at: (8, 3),
                spans: "effective 2024-01-01",
            },
            Case {
                wrong: edit(&[(base_line, &format!("{base_line}{base_line}"))]),
                right: base(),
                message: "`base` is given more than once",
                at: (27, 8),
                spans: "100",
            },
            Case {
                wrong: edit(&[(key, &format!("{key}  by total asc [T-6]\n"))]),
                right: base(),
                message: "key `total` is given more than once",
                at: (39, 6),
                spans: "total",
            },
        ],
    );
}

/// A notice `name` of `lead` issued when the total is below 60 (4 lines).
fn notice(name: &str) -> String {
    format!("notice {name} \"预警通知\" of lead [T-8] {{\n  when total < 60\n  action \"下发《预警通知》\"\n}}\n")
}

/// The base with a `levels` type `tier` (two levels) before the group, an
/// attribute `grade: tier` on reports, and the base rule's amount `amount`
/// (the levels type is 4 lines: the group starts on line 17, the rule's
/// amount is on line 38).
fn with_grade(amount: &str) -> String {
    edit(&[
        (
            "group lead",
            "levels tier \"级别\" {\n  high \"高\"\n  low \"低\"\n}\n\ngroup lead",
        ),
        (
            "  submitted: date \"报送日期\"\n",
            "  submitted: date \"报送日期\"\n  grade: tier \"级别\"\n",
        ),
        ("      amount 2\n", &format!("      amount {amount}\n")),
    ])
}

/// The base with a notice with a ladder of the two steps (the notice starts on line 42).
fn ladder(first: &str, second: &str) -> String {
    append(&format!(
        "notice ladder \"排名末位问责\" of lead [T-8] {{\n  {first} when total < 80\n  {second} when total < 60\n  action \"问责\"\n}}\n"
    ))
}

#[test]
fn each_kind_of_name_declared_twice_is_refused_at_the_second() {
    let derive = "  derive late = submitted > due [T-2, T-A1]\n";
    let input = "input petition \"信访工作考核\" from ruleset \"petition_2026\" [T-9]\n";
    let category_end = "    }\n  }\n}\n";
    let classify = |second: &str| {
        append(&format!(
            "classify grade \"等次\" of lead [T-6] {{\n  good \"好\" when total >= 90\n  {second} \"较好\" when total >= 80\n  fair \"中\" otherwise\n}}\n"
        ))
    };
    assert_cases(
        "kaohe::duplicate_name",
        &[
            // Notices, flags, classifications, quotas and outputs share one
            // namespace: two notices, and a notice and an output.
            Case {
                wrong: append(&format!("{}{}", notice("warning"), notice("warning"))),
                right: append(&format!("{}{}", notice("warning"), notice("caution"))),
                message: "consequence `warning` is declared twice",
                at: (46, 8),
                spans: "warning",
            },
            Case {
                wrong: append(&format!(
                    "{}output warning \"输出\" of lead [T-8] = total\n",
                    notice("warning")
                )),
                right: append(&format!(
                    "{}output withheld \"输出\" of lead [T-8] = total\n",
                    notice("warning")
                )),
                message: "consequence `warning` is declared twice",
                at: (46, 8),
                spans: "warning",
            },
            Case {
                wrong: append(&format!("{input}{input}")),
                right: append(&format!(
                    "{input}input safety \"安全生产考核\" from ruleset \"safety_2026\" [T-9]\n"
                )),
                message: "input `petition` is declared twice",
                at: (43, 7),
                spans: "petition",
            },
            Case {
                wrong: edit(&[(
                    category_end,
                    "    }\n  }\n  category daily \"日常工作二\" [T-4] {\n    allot 0\n  }\n}\n",
                )]),
                right: edit(&[(
                    category_end,
                    "    }\n  }\n  category other \"其他工作\" [T-4] {\n    allot 0\n  }\n}\n",
                )]),
                message: "category `daily` is declared twice",
                at: (35, 12),
                spans: "daily",
            },
            // A level given twice in an `amount by` table.
            Case {
                wrong: with_grade("by grade { high: 2, high: 3, low: 1 }"),
                right: with_grade("by grade { high: 2, low: 1 }"),
                message: "level `high` is declared twice",
                at: (38, 34),
                spans: "high",
            },
            Case {
                wrong: classify("good"),
                right: classify("fine"),
                message: "class `good` is declared twice",
                at: (44, 3),
                spans: "good",
            },
            Case {
                wrong: ladder("step remind \"提醒\"", "step remind \"约谈\""),
                right: ladder("step remind \"提醒\"", "step interview \"约谈\""),
                message: "step `remind` is declared twice",
                at: (44, 8),
                spans: "remind",
            },
            // A step's name may be given once without `of` and once per group.
            Case {
                wrong: ladder(
                    "step remind \"提醒\" of lead",
                    "step remind \"约谈\" of lead",
                ),
                right: ladder("step remind \"提醒\"", "step remind \"约谈\" of lead"),
                message: "step (for group `lead`) `remind` is declared twice",
                at: (44, 8),
                spans: "remind",
            },
            // A derived attribute named like another derived one or a field.
            Case {
                wrong: edit(&[(
                    derive,
                    &format!("{derive}  derive late = submitted >= due [T-2]\n"),
                )]),
                right: edit(&[(
                    derive,
                    &format!("{derive}  derive early = submitted < due [T-2]\n"),
                )]),
                message: "attribute `late` is declared twice",
                at: (19, 10),
                spans: "late",
            },
            Case {
                wrong: edit(&[(derive, &format!("{derive}  derive due = submitted [T-2]\n"))]),
                right: edit(&[(derive, &format!("{derive}  derive day = submitted [T-2]\n"))]),
                message: "attribute `due` is declared twice",
                at: (19, 10),
                spans: "due",
            },
        ],
    );
}

/// The base with reports carrying `r` and `n` of type `ty` and the base
/// rule's amount `amount` (the rule's amount is on line 34).
fn with_rank(ty: &str, amount: &str) -> String {
    edit(&[
        (
            "  submitted: date \"报送日期\"\n",
            &format!(
                "  submitted: date \"报送日期\"\n  r: {ty} \"名次\"\n  n: integer \"参评单位数\"\n"
            ),
        ),
        ("      amount 2\n", &format!("      amount {amount}\n")),
    ])
}

/// The base with a `levels` type `tier` holding `levels` before the group.
fn with_levels(levels: &str) -> String {
    edit(&[(
        "group lead",
        &format!("levels tier \"级别\" {{\n{levels}}}\n\ngroup lead"),
    )])
}

#[test]
fn each_missing_part_is_named_with_what_lacks_it() {
    let group = "group lead \"牵头单位\" [T-1] {\n}\n";
    let consequence = |kind: &str, body: &str| {
        append(&format!(
            "{kind} warning \"预警通知\" of lead [T-8] {{\n{body}  action \"下发《预警通知》\"\n}}\n"
        ))
    };
    assert_cases(
        "kaohe::missing_part",
        &[
            Case {
                wrong: edit(&[(group, "")]),
                right: base(),
                message: "the ruleset has no `group` declaration",
                at: (1, 1),
                spans: "",
            },
            Case {
                wrong: edit(&[("  base 100 [T-4]\n", "")]),
                right: base(),
                message: "`score` has no `base`",
                at: (25, 1),
                spans: "score [T-4] {",
            },
            // A floor limits deductions from the allotment: it needs one.
            Case {
                wrong: edit(&[("    allot 100\n", "    floor 50\n")]),
                right: edit(&[("    allot 100\n", "    allot 100\n    floor 50\n")]),
                message: "category `daily` has no `allot`",
                at: (29, 11),
                spans: "50",
            },
            Case {
                wrong: with_levels(""),
                right: with_levels("  high \"高\"\n"),
                message: "levels type `tier` has no levels",
                at: (12, 8),
                spans: "tier",
            },
            Case {
                wrong: with_rank("integer", "by rank r of n { }"),
                right: with_rank("integer", "by rank r of n { top 3, 2, 1 }"),
                message: "the rank table has no `top` or `bottom` amounts",
                at: (34, 22),
                spans: "r of n",
            },
            Case {
                wrong: edit(&[("  by total desc [T-6]\n", "")]),
                right: base(),
                message: "ranking `monthly` has no `by` key",
                at: (37, 9),
                spans: "monthly",
            },
            Case {
                wrong: consequence("notice", ""),
                right: consequence("notice", "  when total < 60\n"),
                message: "notice `warning` has no `when` or `per`",
                at: (42, 8),
                spans: "warning",
            },
            // A ladder's steps say when, too.
            Case {
                wrong: consequence("notice", ""),
                right: consequence("notice", "  step remind \"提醒\" when total < 60\n"),
                message: "notice `warning` has no `when` or `per`",
                at: (42, 8),
                spans: "warning",
            },
            Case {
                wrong: consequence("flag", ""),
                right: consequence("flag", "  per report where late\n"),
                message: "flag `warning` has no `when` or `per`",
                at: (42, 6),
                spans: "warning",
            },
        ],
    );
}

/// The base with a notice of `lead` issued when `condition` (the condition
/// is on line 43, from column 8), and `more` after it.
fn notice_when(condition: &str, more: &str) -> String {
    append(&format!(
        "notice warning \"预警通知\" of lead [T-8] {{\n  when {condition}\n  action \"下发《预警通知》\"\n}}\n{more}"
    ))
}

/// `text` (the base, edited) with the group's `attributes` (one per line).
fn with_group_attributes(text: &str, attributes: &str) -> String {
    let group = "group lead \"牵头单位\" [T-1] {\n}";
    assert_eq!(text.matches(group).count(), 1);
    text.replacen(
        group,
        &format!("group lead \"牵头单位\" [T-1] {{\n{attributes}}}"),
        1,
    )
}

/// The base with the base rule's `per report where late` followed by `when
/// condition` (on line 32, from column 12).
fn rule_when(condition: &str) -> String {
    edit(&[(
        "      per report where late\n",
        &format!("      per report where late\n      when {condition}\n"),
    )])
}

const INPUT: &str = "input petition \"信访工作考核\" from ruleset \"petition_2026\" [T-9]\n";

#[test]
fn each_kind_of_unknown_name_is_refused_where_it_is_used() {
    let size = "  attribute size: integer \"规模\"\n";
    let key = "  derive late = submitted > due [T-2, T-A1]\n";
    let score_end = "    }\n  }\n}\n";
    let ranking = "ranking monthly \"月度排名\" of lead [T-6] {";
    assert_cases(
        "kaohe::unknown_name",
        &[
            Case {
                wrong: notice_when("ranked bottom 1 for 2 consecutive periods in yearly", ""),
                right: notice_when("ranked bottom 1 for 2 consecutive periods in monthly", ""),
                message: "unknown ranking `yearly`",
                at: (43, 53),
                spans: "yearly",
            },
            // `unit.x` where the unit's attributes are in scope.
            Case {
                wrong: notice_when("unit.size > 1", ""),
                right: with_group_attributes(&notice_when("unit.size > 1", ""), size),
                message: "unknown unit attribute `size`",
                at: (43, 13),
                spans: "size",
            },
            // A sub-assessment gives only its `total` and `rank`.
            Case {
                wrong: rule_when("petition.score < 100") + INPUT,
                right: rule_when("petition.total < 100") + INPUT,
                message: "unknown result `score` of input `petition`",
                at: (32, 21),
                spans: "score",
            },
            // `this.x` is an attribute of the enclosing record's kind.
            Case {
                wrong: rule_when("count(report where submitted == this.sent) >= 1"),
                right: rule_when("count(report where submitted == this.submitted) >= 1"),
                message: "unknown attribute `sent` of `report`",
                at: (32, 49),
                spans: "sent",
            },
            // A record kind's `key` names one of its attributes.
            Case {
                wrong: edit(&[(key, &format!("  key number\n{key}"))]),
                right: edit(&[(key, &format!("  key due\n{key}"))]),
                message: "unknown attribute `number`",
                at: (18, 7),
                spans: "number",
            },
            Case {
                wrong: edit(&[(
                    score_end,
                    "    }\n  }\n  cap reports \"报送扣分合计\" 3 on late_report, early_report [T-4]\n}\n",
                )]),
                right: edit(&[(
                    score_end,
                    "    }\n  }\n  cap reports \"报送扣分合计\" 3 on late_report [T-4]\n}\n",
                )]),
                message: "unknown rule `early_report`",
                at: (35, 42),
                spans: "early_report",
            },
            Case {
                wrong: edit(&[("  by total desc [T-6]\n", "  by size desc [T-6]\n")]),
                right: with_group_attributes(&base(), size).replace("  by total desc [T-6]\n", "  by size desc [T-6]\n"),
                message: "unknown ranking key `size`",
                at: (38, 6),
                spans: "size",
            },
            // `within` names an attribute of the ranked group.
            Case {
                wrong: edit(&[(ranking, "ranking monthly \"月度排名\" of lead within county [T-6] {")]),
                right: with_group_attributes(&base(), "  attribute county: text \"区县\"\n").replace(
                    ranking,
                    "ranking monthly \"月度排名\" of lead within county [T-6] {",
                ),
                message: "unknown unit attribute `county` of `lead`",
                at: (37, 39),
                spans: "county",
            },
        ],
    );
}

const MEASURE: &str = "measure m \"完成数\" of lead [T-7] = count(report)\n";

#[test]
fn a_function_taking_a_name_refuses_an_expression() {
    assert_cases(
        "kaohe::type_mismatch",
        &[
            Case {
                wrong: notice_when("subtotal(1 + 1) > 1", ""),
                right: notice_when("subtotal(daily) > 1", ""),
                message: "expected the name of a `category`, found an expression",
                at: (43, 17),
                spans: "1 + 1",
            },
            Case {
                wrong: notice_when("place(1 + 1) <= 3", MEASURE),
                right: notice_when("place(m) <= 3", MEASURE),
                message: "expected the name of a `measure`, found an expression",
                at: (43, 14),
                spans: "1 + 1",
            },
        ],
    );
}

#[test]
fn a_rank_table_reads_whole_numbers_and_a_measure_is_a_number() {
    let table = "by rank r of n { top 3, 2, 1 }";
    assert_cases(
        "kaohe::type_mismatch",
        &[
            Case {
                wrong: with_rank("decimal", table),
                right: with_rank("integer", table),
                message: "expected a whole number, found a number",
                at: (34, 22),
                spans: "r",
            },
            Case {
                wrong: with_rank("date", table),
                right: with_rank("integer", table),
                message: "expected a whole number, found a date",
                at: (34, 22),
                spans: "r",
            },
            Case {
                wrong: append("measure m \"完成数\" of lead [T-7] = count(report) > 1\n"),
                right: append(MEASURE),
                message: "expected a number, found a condition (true/false)",
                at: (42, 33),
                spans: "count(report) > 1",
            },
        ],
    );
}

#[test]
fn looking_back_zero_periods_is_refused() {
    let count = |n: &str| notice_when(&format!("count(report in previous {n} periods) >= 1"), "");
    let sum = |n: &str| {
        notice_when(
            &format!("sum(report, 1 where late in previous {n} periods) >= 1"),
            "",
        )
    };
    assert_cases(
        "kaohe::zero_count",
        &[
            Case {
                wrong: count("0"),
                right: count("1"),
                message: "previous periods must be at least 1",
                at: (43, 33),
                spans: "0",
            },
            Case {
                wrong: sum("0"),
                right: sum("3"),
                message: "previous periods must be at least 1",
                at: (43, 45),
                spans: "0",
            },
        ],
    );
}
