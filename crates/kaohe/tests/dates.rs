#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Dates, deadlines and working days (issue 13 §8, docs/language.md "Dates,
//! deadlines and working days"): `d + N days | months | working days`,
//! `days_between`, `working_days_between`, the shipped calendar `cn` and a
//! ruleset's own years, the checker's refusals and the working shown in
//! explanations — each against a value counted by hand on the calendar,
//! through the public API only.

use kaohe::{Facts, Ruleset, SourceFile};
use serde_json::{json, Value};

/// `{CALENDAR}` is replaced by the calendar declaration (or nothing),
/// `{RULES}` by the rules under test.
const TEMPLATE: &str = r#"
ruleset dates {
  title "日期" issuer "测试" source "测试细则"
  effective 2023-01-01 to 2027-12-31
}
{CALENDAR}
group lead "牵头单位" [T-1] {}
record r "报送" {
  due: date "截止"
  done: date? "报送"
  n: integer "天数"
  x: decimal "x"
}
period month [T-1] { amendable [T-1] }
score [T-1] {
  base 0 [T-1]
  category c "类别" [T-1] {
{RULES}
  }
}
"#;

fn text(calendar: &str, rules: &str) -> String {
    TEMPLATE
        .replace("{CALENDAR}", calendar)
        .replace("{RULES}", rules)
}

fn ruleset(calendar: &str, rules: &str) -> Ruleset {
    Ruleset::from_source(SourceFile::new("dates.rules", text(calendar, rules)))
        .unwrap_or_else(|e| panic!("the ruleset is refused:\n{e}\n{rules}"))
}

/// The codes of the diagnostics of a ruleset (errors and warnings).
fn codes(calendar: &str, rules: &str) -> Vec<String> {
    kaohe::check(&SourceFile::new("dates.rules", text(calendar, rules)))
        .diagnostics
        .iter()
        .map(|d| d.code_str())
        .collect()
}

fn facts(period: &str, due: &str, done: Option<&str>, n: i64) -> Value {
    let mut attributes = json!({"due": due, "n": n, "x": 0.5});
    if let Some(done) = done {
        attributes["done"] = json!(done);
    }
    json!({
        "as_of": "2027-12-31",
        "units": [{"id": "u", "name": "甲", "group": "lead"}],
        "records": [{
            "id": "r1", "unit": "u", "period": period, "kind": "r",
            "reported": format!("{period}-28"), "attributes": attributes
        }],
    })
}

fn evaluate(ruleset: &Ruleset, facts: &Value) -> Result<Value, String> {
    let facts = Facts::from_json(ruleset, &facts.to_string()).unwrap();
    ruleset
        .evaluate(&facts)
        .map(|e| serde_json::from_str(&e.to_json()).unwrap())
        .map_err(|e| e.to_string())
}

/// The value of the number `expr` on one record: `adjust v { per r amount expr }`.
fn value(calendar: &str, expr: &str, due: &str, done: Option<&str>, n: i64) -> String {
    let rules = format!("    adjust v \"值\" [T-2] {{ per r amount {expr} }}");
    let period = due.get(..7).unwrap();
    let output = evaluate(&ruleset(calendar, &rules), &facts(period, due, done, n)).unwrap();
    output["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["period"] == period)
        .unwrap()["total"]
        .as_str()
        .unwrap()
        .to_owned()
}

const CN: &str = "calendar cn [T-1]";

#[test]
fn calendar_days_between() {
    for (due, done, expected) in [
        ("2026-02-13", "2026-02-25", "12"),
        ("2026-02-25", "2026-02-13", "-12"),
        ("2026-02-13", "2026-02-13", "0"),
        ("2024-02-28", "2024-03-01", "2"),
        ("2023-02-28", "2023-03-01", "1"),
        ("2025-12-31", "2026-01-01", "1"),
    ] {
        assert_eq!(
            value("", "days_between(due, done)", due, Some(done), 0),
            expected,
            "{due} → {done}"
        );
    }
    // Absent: the condition does not hold (like a comparison with an absent value).
    assert_eq!(
        value(
            "",
            "if days_between(due, done) > 3 then 1 else 0",
            "2026-02-13",
            None,
            0
        ),
        "0"
    );
}

#[test]
fn shifting_by_days_and_months() {
    let holds = |expr: &str, due: &str, n: i64| {
        value("", &format!("if {expr} then 1 else 0"), due, None, n)
    };
    // "due on the 3rd, not postponed for weekends": calendar days.
    assert_eq!(holds("due + 3 days == 2026-02-16", "2026-02-13", 0), "1");
    assert_eq!(holds("due + n days == 2026-03-05", "2026-02-13", 20), "1");
    assert_eq!(holds("due - n days == 2026-01-24", "2026-02-13", 20), "1");
    assert_eq!(
        holds("due + (n - 25) days == 2026-02-08", "2026-02-13", 20),
        "1"
    );
    // A month later: the same day, or the last day of a shorter month.
    assert_eq!(holds("due + 1 months == 2026-02-28", "2026-01-31", 0), "1");
    assert_eq!(holds("due + 1 months == 2024-02-29", "2024-01-31", 0), "1");
    assert_eq!(holds("due - 1 months == 2026-02-28", "2026-03-31", 0), "1");
    assert_eq!(holds("due + n months == 2027-03-15", "2026-03-15", 12), "1");
    assert_eq!(holds("due + 1 months == 2026-03-01", "2026-01-31", 0), "0");
}

#[test]
fn working_days_across_the_spring_festival() {
    // 2026: Fri 13 Feb; Sat 14 a make-up working day (调休上班); 15–23 off;
    // 24, 25 working days. The start day does not count, the end day does.
    let wdb = "working_days_between(due, done)";
    assert_eq!(value(CN, wdb, "2026-02-13", Some("2026-02-25"), 0), "3");
    assert_eq!(value(CN, wdb, "2026-02-25", Some("2026-02-13"), 0), "-3");
    assert_eq!(value(CN, wdb, "2026-02-14", Some("2026-02-23"), 0), "0");
    // 2024: 4 Feb (Sunday) and 18 Feb (Sunday) are working days, 10–17 off:
    // after Fri 2 Feb, Sun 4, Mon 5 … Fri 9, Sun 18, Mon 19.
    assert_eq!(value(CN, wdb, "2024-02-02", Some("2024-02-19"), 0), "8");
    // Across a year: 2025-12-31 (Wed) → 2026-01-05 (Mon): 1–3 Jan off, Sun 4 Jan works.
    assert_eq!(value(CN, wdb, "2025-12-31", Some("2026-01-05"), 0), "2");
    let holds = |expr: &str, due: &str, n: i64| {
        value(CN, &format!("if {expr} then 1 else 0"), due, None, n)
    };
    // "reply within 5 working days" of 13 Feb 2026: by Fri 27 Feb.
    assert_eq!(
        holds("due + 5 working days == 2026-02-27", "2026-02-13", 0),
        "1"
    );
    assert_eq!(
        holds("due + n working days == 2026-02-24", "2026-02-13", 2),
        "1"
    );
    assert_eq!(
        holds("due - 1 working days == 2026-02-14", "2026-02-24", 0),
        "1"
    );
    assert_eq!(
        holds("due + 0 working days == 2026-02-15", "2026-02-15", 0),
        "1"
    );
    // "遇节假日顺延": a deadline on a rest day moves to the next working day,
    // one on a working day (the make-up Saturday included) stays.
    let postponed = "due - 1 days + 1 working days";
    assert_eq!(
        holds(&format!("{postponed} == 2026-02-24"), "2026-02-15", 0),
        "1"
    );
    assert_eq!(
        holds(&format!("{postponed} == 2026-02-13"), "2026-02-13", 0),
        "1"
    );
    assert_eq!(
        holds(&format!("{postponed} == 2026-02-14"), "2026-02-14", 0),
        "1"
    );
    assert_eq!(
        holds(&format!("{postponed} == 2026-03-02"), "2026-03-01", 0),
        "1"
    );
}

#[test]
fn a_year_the_calendar_lacks_is_an_error_naming_the_record() {
    let error = value_err(
        CN,
        "working_days_between(due, done)",
        "2027-01-04",
        "2027-01-08",
    );
    assert!(
        error.contains("working days are counted in calendar `cn`, which has no year 2027")
            && error.contains("the `r` record `r1` needs it")
            && error.contains("add `year 2027 { … }`"),
        "{error}"
    );
    let error = value_err(
        CN,
        "if due + 3 working days > done then 1 else 0",
        "2027-01-04",
        "2027-01-08",
    );
    assert!(error.contains("which has no year 2027"), "{error}");
    // The ruleset adds the year: 2027-01-01 off (a Friday), the rest weekdays.
    let with_2027 = "calendar cn [T-1] {\n  year 2027 [T-1] {\n    holiday 2027-01-01\n    workday 2027-01-09 to 2027-01-10\n  }\n}";
    assert_eq!(
        value(
            with_2027,
            "working_days_between(due, done)",
            "2026-12-31",
            Some("2027-01-11"),
            0
        ),
        // Jan 4–8 (5), Sat 9 and Sun 10 (made working days), Mon 11.
        "8"
    );
    // A year the ruleset writes replaces the shipped one: 2026 without its
    // Spring Festival holidays (one day in October only; an empty year is
    // refused by the checker).
    let plain_2026 = "calendar cn [T-1] { year 2026 [T-1] { holiday 2026-10-01 } }";
    assert_eq!(
        value(
            plain_2026,
            "working_days_between(due, done)",
            "2026-02-13",
            Some("2026-02-25"),
            0
        ),
        // Mon 16 … Fri 20, Mon 23 … Wed 25.
        "8"
    );
}

fn value_err(calendar: &str, expr: &str, due: &str, done: &str) -> String {
    let rules = format!("    adjust v \"值\" [T-2] {{ per r amount {expr} }}");
    let period = due.get(..7).unwrap();
    evaluate(
        &ruleset(calendar, &rules),
        &facts(period, due, Some(done), 0),
    )
    .unwrap_err()
}

#[test]
fn the_working_shows_the_dates_and_the_count() {
    let rules = "    deduct late \"迟报\" [T-2] { per r where working_days_between(due, done) > 2 amount 0.5 * working_days_between(due, done) }";
    let output = evaluate(
        &ruleset(CN, rules),
        &facts("2026-02", "2026-02-13", Some("2026-02-25"), 0),
    )
    .unwrap();
    let text = output.to_string();
    assert!(
        text.contains("0.5 * working_days_between(due, done)")
            && text.contains("0.5 * working_days_between(2026-02-13, 2026-02-25)"),
        "{text}"
    );
    let total = &output["results"][0]["total"];
    assert_eq!(total, "-1.5");
}

#[test]
fn the_checker_refuses_what_cannot_be_meant() {
    let amount = |expr: &str| format!("    adjust v \"值\" [T-2] {{ per r amount {expr} }}");
    let when = |cond: &str| format!("    bonus w \"条件\" [T-2] {{ per r where {cond} amount 1 }}");
    let has = |codes: Vec<String>, code: &str| codes.iter().any(|c| c == code);
    // Working days without a calendar.
    assert!(has(
        codes("", &amount("working_days_between(due, done)")),
        "kaohe::no_calendar"
    ));
    assert!(has(
        codes("", &when("due + 5 working days < done")),
        "kaohe::no_calendar"
    ));
    assert!(!has(
        codes(CN, &when("due + 5 working days < done")),
        "kaohe::no_calendar"
    ));
    // Calendar days need no calendar.
    assert!(codes(
        "",
        &when("due + 5 days < done and days_between(due, done) > 1")
    )
    .is_empty());
    // A length of time on its own, or before the date.
    assert!(has(
        codes("", &amount("5 days")),
        "kaohe::misplaced_duration"
    ));
    assert!(has(
        codes("", &when("5 days + due < done")),
        "kaohe::misplaced_duration"
    ));
    // Types: a number moved by days, a decimal count, a date minus a date.
    assert!(has(
        codes("", &when("n + 5 days < done")),
        "kaohe::type_mismatch"
    ));
    assert!(has(
        codes("", &when("due + x days < done")),
        "kaohe::type_mismatch"
    ));
    assert!(has(
        codes("", &when("due + 1.5 months < done")),
        "kaohe::type_mismatch"
    ));
    assert!(has(
        codes("", &amount("done - due")),
        "kaohe::type_mismatch"
    ));
    assert!(has(
        codes("", &amount("days_between(due, n)")),
        "kaohe::type_mismatch"
    ));
    assert!(has(
        codes("", &amount("days_between(due)")),
        "kaohe::wrong_argument_count"
    ));
    // The calendar: its name, its years, its days.
    assert!(has(
        codes("calendar cm [T-1]", &amount("1")),
        "kaohe::unknown_name"
    ));
    assert!(has(
        codes("calendar cn [T-1]\ncalendar cn [T-1]", &amount("1")),
        "kaohe::repeated_statement"
    ));
    let year = |days: &str| format!("calendar cn [T-1] {{ year 2027 [T-1] {{ {days} }} }}");
    for bad in [
        "holiday 2028-01-01",
        "holiday 2027-02-10 to 2027-02-06",
        "holiday 2027-01-01 workday 2027-02-08",
        "holiday 2027-05-01 to 2027-05-05 workday 2027-05-01",
    ] {
        assert_eq!(
            codes(&year(bad), &amount("1")),
            ["kaohe::calendar_day"],
            "{bad}"
        );
    }
    assert!(codes(
        &year("holiday 2027-02-06 to 2027-02-13 workday 2027-02-14"),
        &amount("1")
    )
    .is_empty());
    assert!(has(
        codes(
            "calendar cn [T-1] { year 2027 [T-1] { } year 2027 [T-1] { } }",
            &amount("1")
        ),
        "kaohe::duplicate_name"
    ));
}

#[test]
fn the_errors_read_in_chinese() {
    use kaohe::i18n::{Catalog, Lang};
    let catalog = Catalog::new();
    let rules = "    adjust v \"值\" [T-2] { per r amount working_days_between(due, done) }";
    let ruleset = ruleset(CN, rules);
    let facts = Facts::from_json(
        &ruleset,
        &facts("2027-01", "2027-01-04", Some("2027-01-08"), 0).to_string(),
    )
    .unwrap();
    let error = ruleset.evaluate(&facts).unwrap_err();
    let zh = catalog.text(Lang::Zh, "kaohe::eval::failed", &error.message);
    assert_eq!(
        zh,
        "工作日按日历 `cn` 计算，但该日历没有 2027 年：`r` 记录 `r1` 需要这一年；请按国务院办公厅通知的放假和调休安排，在规则集的 `calendar` 中补充 `year 2027 { … }`"
    );
    for (code, english) in [
        (
            "kaohe::calendar_day",
            "calendar year 2027: `2027-02-08` is a weekday: a make-up working day is a Saturday or Sunday",
        ),
        (
            "kaohe::no_calendar",
            "`working_days_between` needs a working-day calendar, and the ruleset declares none",
        ),
        (
            "kaohe::misplaced_duration",
            "`days` makes a length of time, which is only added to or subtracted from a date",
        ),
    ] {
        let zh = catalog.text(Lang::Zh, code, english);
        assert_ne!(zh, english, "{code}");
        assert!(!zh.contains("make-up") && !zh.contains("needs") && !zh.contains("length"), "{zh}");
    }
}

#[test]
fn the_formatter_writes_dates_and_calendars_canonically() {
    let written = text(
        "calendar cn [T-1] { year 2027 [T-1] { holiday 2027-01-01 to 2027-01-03 workday 2027-02-06 } }",
        "    bonus w \"条件\" [T-2] { per r where due + n   working\n   days < done and done > due - 1 months amount 1 }",
    );
    let formatted =
        kaohe::syntax::format::format(&SourceFile::new("dates.rules", written)).unwrap();
    assert!(
        formatted.contains(
            "calendar cn [T-1] {\n  year 2027 [T-1] {\n    holiday 2027-01-01 to 2027-01-03\n    workday 2027-02-06\n  }\n}\n"
        ),
        "{formatted}"
    );
    assert!(
        formatted.contains("per r where due + n working days < done and done > due - 1 months"),
        "{formatted}"
    );
    let again =
        kaohe::syntax::format::format(&SourceFile::new("dates.rules", formatted.clone())).unwrap();
    assert_eq!(again, formatted);
}
