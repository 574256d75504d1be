//! Comparing a case's expectations with an evaluation: every stated value that
//! differs, grouped by period and unit, with the unit's actual score lines so
//! that a failure can be read without running `rulec eval --explain`.

use rust_decimal::Decimal;

use crate::number::Number;

use super::{decimal_text, Expectation, UnitExpectation};
use crate::eval::result::{Evaluation, ItemKind, NoticeKind, UnitResult};
use crate::period::Period;

/// The expectations of one unit (or of a whole period, for `rejected`) that do
/// not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDiff {
    /// The period or year.
    pub scope: Period,
    /// The unit as the case names it; `None` for period-wide expectations.
    pub unit: Option<String>,
    /// The unit's display name, when it has a result.
    pub name: Option<String>,
    /// Each differing value.
    pub fields: Vec<FieldDiff>,
    /// The unit's actual non-zero score lines (`behind -10 ×2`), when a score
    /// expectation differs.
    pub actual_lines: Vec<String>,
}

/// One expected value that differs from the actual one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDiff {
    /// What: `total`, `rank`, `categories.key`, `notices`, `classes.board`, `rejected`.
    pub field: String,
    /// As the case states it.
    pub expected: String,
    /// As evaluated.
    pub actual: String,
}

/// The result of `unit` (by id or by name) in `scope`.
pub(crate) fn find<'e>(
    evaluation: &'e Evaluation,
    scope: Period,
    unit: &str,
) -> Option<&'e UnitResult> {
    evaluation
        .results
        .iter()
        .find(|r| r.period == scope && (r.unit == unit || r.name == unit))
}

/// A category's subtotal: `allot − deductions + bonuses`, or `bonuses − deductions`.
pub(crate) fn category_value(result: &UnitResult, category: &str) -> Option<Number> {
    result
        .categories
        .iter()
        .find(|c| c.category == category)
        .and_then(|c| c.subtotal.or_else(|| c.bonuses.checked_sub(c.deductions)))
}

/// The names of the notices, flags and quota reminders issued, sorted.
pub(crate) fn notice_names(result: &UnitResult) -> Vec<String> {
    let mut names: Vec<String> = result
        .notices
        .iter()
        .filter(|n| n.kind != NoticeKind::Class)
        .map(|n| n.name.clone())
        .collect();
    names.sort();
    names
}

/// The class `classification` gave, if any; for a notice or flag with steps
/// (an escalation ladder), the step it issued.
pub(crate) fn class_of(result: &UnitResult, classification: &str) -> Option<String> {
    result
        .notices
        .iter()
        .find(|n| n.class.is_some() && n.name == classification)
        .and_then(|n| n.class.clone())
}

/// The records not applied in `scope`, as `unit/kind` or `unit/kind#id`, sorted.
pub(crate) fn rejected_in(evaluation: &Evaluation, scope: Period) -> Vec<String> {
    let mut out: Vec<String> = evaluation
        .rejected
        .iter()
        .filter(|r| match scope {
            Period::Year(y) => r.record.period.year() == y,
            p => r.record.period == p,
        })
        .map(|r| match &r.record.id {
            Some(id) => format!("{}/{}#{id}", r.unit, r.record.kind),
            None => format!("{}/{}", r.unit, r.record.kind),
        })
        .collect();
    out.sort();
    out
}

fn list(names: &[String]) -> String {
    format!("[{}]", names.join(", "))
}

fn sorted(names: &[String]) -> Vec<String> {
    let mut v = names.to_vec();
    v.sort();
    v
}

/// A score line for people: `media +10 (cap 10 per period: 11 → 10)`.
pub(crate) fn line_text(item: &crate::eval::result::LineItem) -> String {
    let name = match item.kind {
        ItemKind::Base => "base".to_owned(),
        ItemKind::Floor => format!("floor of {}", item.rule.as_deref().unwrap_or("?")),
        ItemKind::Cap => format!("cap {}", item.rule.as_deref().unwrap_or("?")),
        ItemKind::Average => "group average".to_owned(),
        _ => item.rule.as_deref().unwrap_or_default().to_owned(),
    };
    let amount = if item.amount > Number::ZERO && item.kind != ItemKind::Base {
        format!("+{}", decimal_text(item.amount))
    } else {
        decimal_text(item.amount)
    };
    let limits: Vec<String> = item.limits.iter().map(ToString::to_string).collect();
    if limits.is_empty() {
        format!("{name} {amount}")
    } else {
        format!("{name} {amount} ({})", limits.join("; "))
    }
}

pub(super) fn compare(expectations: &[Expectation], evaluation: &Evaluation) -> Vec<UnitDiff> {
    let mut out = Vec::new();
    for block in expectations {
        if let Some(expected) = &block.rejected {
            let actual = rejected_in(evaluation, block.scope);
            if sorted(expected) != actual {
                out.push(UnitDiff {
                    scope: block.scope,
                    unit: None,
                    name: None,
                    fields: vec![FieldDiff {
                        field: "rejected".to_owned(),
                        expected: list(&sorted(expected)),
                        actual: list(&actual),
                    }],
                    actual_lines: Vec::new(),
                });
            }
        }
        if !evaluation.periods.contains(&block.scope) {
            out.push(UnitDiff {
                scope: block.scope,
                unit: None,
                name: None,
                fields: vec![FieldDiff {
                    field: "period".to_owned(),
                    expected: format!("{} evaluated", block.scope),
                    actual: format!(
                        "evaluated: {}",
                        evaluation
                            .periods
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }],
                actual_lines: Vec::new(),
            });
            continue;
        }
        for unit in &block.units {
            if let Some(diff) = compare_unit(block.scope, unit, evaluation) {
                out.push(diff);
            }
        }
    }
    out
}

fn compare_unit(
    scope: Period,
    expected: &UnitExpectation,
    evaluation: &Evaluation,
) -> Option<UnitDiff> {
    let Some(result) = find(evaluation, scope, &expected.unit) else {
        return Some(UnitDiff {
            scope,
            unit: Some(expected.unit.clone()),
            name: None,
            fields: vec![FieldDiff {
                field: "result".to_owned(),
                expected: format!("a result for `{}` in {scope}", expected.unit),
                actual: "none (unknown unit, or a group without results in this period)".to_owned(),
            }],
            actual_lines: Vec::new(),
        });
    };
    let mut fields = Vec::new();
    let mut score_differs = false;
    let mut number = |field: &str, want: Option<Decimal>, got: Option<Number>| {
        if let Some(want) = want {
            if Some(Number::from(want)) != got {
                score_differs = true;
                fields.push(FieldDiff {
                    field: field.to_owned(),
                    expected: decimal_text(want),
                    actual: got.map_or_else(|| "none".to_owned(), decimal_text),
                });
            }
        }
    };
    number("total", expected.total, Some(result.total));
    number("converted", expected.converted, result.converted);
    for (category, want) in &expected.categories {
        number(
            &format!("categories.{category}"),
            Some(*want),
            category_value(result, category),
        );
    }
    for (output, want) in &expected.outputs {
        number(
            &format!("outputs.{output}"),
            Some(*want),
            result
                .outputs
                .iter()
                .find(|o| o.output.as_str() == output)
                .map(|o| o.value),
        );
    }
    if let Some(want) = expected.rank {
        if Some(want) != result.rank {
            fields.push(FieldDiff {
                field: "rank".to_owned(),
                expected: want.to_string(),
                actual: result
                    .rank
                    .map_or_else(|| "unranked".to_owned(), |r| r.to_string()),
            });
        }
    }
    if let Some(want) = &expected.notices {
        let actual = notice_names(result);
        if sorted(want) != actual {
            fields.push(FieldDiff {
                field: "notices".to_owned(),
                expected: list(&sorted(want)),
                actual: list(&actual),
            });
        }
    }
    for (classification, want) in &expected.classes {
        let actual = class_of(result, classification);
        if actual.as_deref() != Some(want.as_str()) {
            fields.push(FieldDiff {
                field: format!("classes.{classification}"),
                expected: want.clone(),
                actual: actual.unwrap_or_else(|| "none".to_owned()),
            });
        }
    }
    if fields.is_empty() {
        return None;
    }
    let actual_lines = if score_differs {
        result
            .items
            .iter()
            .filter(|i| !i.amount.is_zero() || !i.limits.is_empty())
            .map(line_text)
            .collect()
    } else {
        Vec::new()
    };
    Some(UnitDiff {
        scope,
        unit: Some(expected.unit.clone()),
        name: Some(result.name.to_string()),
        fields,
        actual_lines,
    })
}
