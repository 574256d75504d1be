#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The message leftovers of issue 13 (its follow-ups), each in English and
//! Chinese: `previous_total` in the first period says there is no previous
//! period; a record without an id is "a record of kind `x`" (never "a `a`
//! record"); a range reads `-3 to 3` / `-3 至 3`, never `-3–3` (a minus, then
//! a dash).

use kaohe::i18n::{Catalog, Lang};
use kaohe::{Facts, Ruleset, SourceFile};
use serde_json::json;

/// `{MORE}` is replaced by further declarations.
const TEMPLATE: &str = r#"
ruleset leftovers {
  title "遗留" issuer "测试" source "测试细则"
  effective 2026-01-01 to 2027-12-31
}
calendar cn [T-1]
group lead "牵头单位" [T-1] {}
record a "报送" {
  due: date "截止"
  done: date "报送"
}
period month [T-1] { amendable [T-1] }
score [T-1] {
  base 100 [T-1]
  category c "类别" [T-1] {
    adjust late "逾期" [T-2] { per a amount working_days_between(due, done) }
  }
}
{MORE}
"#;

fn ruleset(more: &str) -> Ruleset {
    Ruleset::from_source(SourceFile::new("l.rules", TEMPLATE.replace("{MORE}", more)))
        .unwrap_or_else(|e| panic!("the ruleset is refused:\n{e}"))
}

/// One record of kind `a` of unit `u` in `period`, without an id.
fn facts(ruleset: &Ruleset, periods: &[&str], due: &str, done: &str) -> Facts {
    let period = due.get(..7).unwrap();
    let json = json!({
        "as_of": "2027-12-31",
        "periods": periods,
        "units": [{"id": "u", "name": "甲", "group": "lead"}, {"id": "v", "name": "乙", "group": "lead"}],
        "records": [{
            "unit": "u", "period": period, "kind": "a",
            "reported": format!("{period}-28"), "attributes": {"due": due, "done": done}
        }],
    });
    Facts::from_json(ruleset, &json.to_string()).unwrap()
}

fn zh(message: &str) -> String {
    Catalog::new().text(Lang::Zh, "kaohe::eval::failed", message)
}

/// No ASCII letters outside backticks: no English word left.
fn no_english(text: &str) {
    let outside: String = text
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, s)| s)
        .collect();
    assert!(
        !outside.chars().any(|c| c.is_ascii_alphabetic()),
        "English left in: {text}"
    );
}

#[test]
fn previous_total_in_the_first_period_says_there_is_no_previous_period() {
    let notice = |condition: &str| {
        format!(
            "ranking monthly \"月度排名\" of lead [T-1] {{ by total desc [T-1] ties shared [T-1] }}\n\
             notice drop \"下降提醒\" of lead [T-1] {{ when {condition} action \"提醒\" }}"
        )
    };
    let rules = ruleset(&notice("previous_total - total >= 5"));
    let facts = facts(&rules, &["2026-01", "2026-02"], "2026-01-05", "2026-01-06");
    let error = rules.evaluate(&facts).unwrap_err();
    // January, the first period: both units, once each (February, which has
    // a previous period, evaluates).
    let messages: Vec<String> = error.all().map(|e| e.message.clone()).collect();
    assert_eq!(
        messages,
        vec![
            "`previous_total` has no value: there is no previous period (2025-12 was not evaluated and ranked); guard the arithmetic with `present(previous_total)`, which is false in the first period".to_owned();
            2
        ]
    );
    assert_eq!(
        error.all().map(|e| e.period.as_str()).collect::<Vec<_>>(),
        ["2026-01", "2026-01"]
    );
    let chinese = zh(&messages[0]);
    assert_eq!(
        chinese,
        "`previous_total` 没有取值：没有上一期（2025-12 未经考核排名）；请先用 `present(previous_total)` 判断再参与运算（第一期该条件不成立）"
    );
    no_english(&chinese);
    // Guarded as the message says: evaluated.
    let rules = ruleset(&notice(
        "present(previous_total) and previous_total - total >= 5",
    ));
    assert!(rules.evaluate(&facts).is_ok());
}

#[test]
fn a_unit_without_a_place_says_so() {
    // `v` is left out of February's ranking by `only when`: its `rank`
    // there has no value, and the message says why.
    let rules = ruleset(
        "ranking monthly \"月度排名\" of lead [T-1] { by total desc [T-1] ties shared [T-1] only when count(a) > 0 [T-1] }\n\
         output gap \"差距\" of lead [T-1] = rank - 1",
    );
    let facts = facts(&rules, &["2026-02"], "2026-02-02", "2026-02-03");
    let error = rules.evaluate(&facts).unwrap_err();
    let messages: Vec<String> = error.all().map(|e| e.to_string()).collect();
    assert_eq!(
        messages,
        ["`rank` has no value: the unit has no place in a ranking of 2026-02; guard the arithmetic with `present(rank)` (unit `v`, period 2026-02)"]
    );
    let chinese = zh(&error.message);
    assert_eq!(
        chinese,
        "`rank` 没有取值：该单位在 2026-02 的排名中没有名次；请先用 `present(rank)` 判断再参与运算"
    );
}

#[test]
fn a_record_without_an_id_is_a_record_of_its_kind() {
    // The kind is `a`: "a `a` record" read wrongly; "a record of kind `a`"
    // reads right for every name.
    let rules = ruleset("");
    let facts = facts(&rules, &[], "2027-01-04", "2027-01-08");
    let error = rules.evaluate(&facts).unwrap_err();
    assert!(
        error
            .message
            .contains("which has no year 2027: a record of kind `a` needs it;"),
        "{}",
        error.message
    );
    let chinese = zh(&error.message);
    assert!(chinese.contains("一条 `a` 记录需要这一年"), "{chinese}");
    no_english(&chinese);
}

#[test]
fn ranges_read_from_to_in_both_languages() {
    let catalog = Catalog::new();
    for (code, english, chinese) in [
        (
            "kaohe::facts::decided_out_of_range",
            "decided amount -5 is outside the range -3 to 3 of rule `fix`; decide an amount within it",
            "-3 至 3",
        ),
        (
            "kaohe::facts::decided_missing",
            "missing field `decided`: rule `fix` deducts or adds -3 to 3 at the office's discretion; give the amount the office decided for this record",
            "-3 至 3",
        ),
        (
            "kaohe::eval::failed",
            "the decided amount -5 of the `a` record reported 2026-01-28 is outside the range -3 to 3 of rule `fix`",
            "-3 至 3",
        ),
    ] {
        let text = catalog.text(Lang::Zh, code, english);
        assert!(text.contains(chinese), "{code}: {text}");
        assert!(!text.contains('–'), "{code}: {text}");
        no_english(&text);
    }
}

/// A record attribute that happens to be called `rank` (or a `derive` of
/// that name) is the record's, not the unit's place: when it is absent the
/// message speaks of the attribute, not of a ranking.
#[test]
fn an_attribute_called_rank_is_not_the_units_place() {
    for declaration in [
        "  rank: integer? \"名次\"\n",
        "  n: integer? \"名次\"\n  derive rank = n + 0\n",
    ] {
        let text = format!(
            r#"
ruleset shadow {{
  title "遮蔽" issuer "测试" source "测试细则"
  effective 2026-01-01 to 2026-12-31
}}
group lead "牵头单位" [T-1] {{}}
record a "报送" {{
{declaration}}}
period month [T-1] {{ amendable [T-1] }}
score [T-1] {{
  base 100 [T-1]
  category c "类别" [T-1] {{
    adjust r "名次分" [T-2] {{ per a amount rank + 1 }}
  }}
}}
"#
        );
        let ruleset = Ruleset::from_source(SourceFile::new("s.rules", text))
            .unwrap_or_else(|e| panic!("{e}"));
        let facts = json!({
            "as_of": "2026-04-30",
            "units": [{"id": "u", "name": "甲", "group": "lead"}],
            "records": [{"unit": "u", "period": "2026-03", "kind": "a", "reported": "2026-03-20", "attributes": {}}]
        });
        let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap();
        let error = ruleset.evaluate(&facts).unwrap_err();
        assert!(!error.message.contains("ranking"), "{declaration}: {error}");
        assert!(
            !error.message.contains("previous period"),
            "{declaration}: {error}"
        );
    }
}

/// A decimal overflow in scoring is located at the construct whose amount
/// overflowed (the rule here) and reads wholly in Chinese, whatever the
/// amount is: an amount, a sum of bonuses or deductions, a subtotal, the
/// total, a cap (found by a fresh-user review: the error had no location and
/// `an amount超出小数范围`).
#[test]
fn a_decimal_overflow_is_located_and_translated() {
    let text = r#"
ruleset overflow {
  title "溢出" issuer "测试" source "测试细则"
  effective 2026-01-01 to 2026-12-31
}
group lead "牵头单位" [T-1] {}
record r "记录" { x: decimal "值" }
period month [T-1] { amendable [T-1] }
score [T-1] {
  base 0 [T-1]
  category c "类别" [T-1] {
    bonus huge "加分" [T-2] { per r amount x * x }
  }
}
"#;
    let source = SourceFile::new("o.rules", text);
    let ruleset = Ruleset::from_source(source.clone()).unwrap();
    // Each amount fits (10^38 < 2^127); their sum does not.
    let record = |name: &str| {
        json!({"unit": "u", "period": "2026-01", "kind": "r", "reported": "2026-01-20",
               "attributes": {"x": "10000000000000000000"}, "id": name})
    };
    let facts = json!({
        "as_of": "2026-12-31",
        "units": [{"id": "u", "name": "甲", "group": "lead"}],
        "records": [record("p"), record("q")],
    });
    let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap();
    let error = ruleset.evaluate(&facts).unwrap_err();
    assert_eq!(error.message, "an amount overflows a decimal");
    let span = error.span.expect("the overflow is located");
    assert_eq!(source.slice(span), "huge");

    let catalog = Catalog::new();
    for (what, chinese) in [
        ("an amount", "分值"),
        ("a group cap", "合并封顶"),
        ("bonuses", "加分合计"),
        ("deductions", "扣分合计"),
        ("a subtotal", "类别小计"),
        ("the total", "总分"),
        ("a per-year cap", "年度封顶累计"),
        ("a difference", "差值"),
        ("a multiplied amount", "倍数分值"),
    ] {
        let english = format!("{what} overflows a decimal (unit `u`, period 2026-01)");
        let text = catalog.text(Lang::Zh, "kaohe::eval::failed", &english);
        assert_eq!(
            text,
            format!("{chinese}超出小数范围（单位 `u`，考核期 2026-01）"),
            "{what}"
        );
        no_english(&text);
    }
}

/// The reasons a condition never holds read wholly in Chinese: `false`, a
/// `not` of what always holds, and an `or` of two such (found by a
/// fresh-user review: they were left in English).
#[test]
fn why_a_condition_never_holds_is_translated() {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/check/base/base.rules"
    ))
    .unwrap();
    let catalog = Catalog::new();
    for (condition, chinese) in [
        ("false", "`false` 永远不成立"),
        ("not true", "`true` 恒成立，其否定永远不成立"),
        (
            "false or not true",
            "`or` 两边都不可能成立（`false` 永远不成立；`true` 恒成立，其否定永远不成立）",
        ),
    ] {
        let text = base.replacen(
            "      per report where late\n",
            &format!("      per report where {condition}\n"),
            1,
        );
        let source = SourceFile::new("t.rules", text);
        let messages: Vec<String> = kaohe::check(&source)
            .diagnostics
            .iter()
            .map(|d| d.record(&source))
            .filter(|r| r.code == "kaohe::never_holds")
            .map(|r| catalog.text(Lang::Zh, &r.code, &r.message))
            .collect();
        assert_eq!(
            messages,
            [format!("规则 `late_report` 永远不会适用：{chinese}")],
            "{condition}"
        );
    }
}
