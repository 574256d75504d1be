//! The impact of a rule change (`rulec diff OLD NEW FACTS`): the same facts
//! evaluated under two rulesets, compared unit by unit and period by period.
//!
//! For every unit and period (or year) whose score, converted score, rank or
//! consequences differ, the [`ResultChange`] gives before → after and the score
//! lines that account for the difference. Lines are matched by what produced
//! them, not by position: a rule by its name (the two signs of an `adjust` rule
//! summed), a group cap by its name, a category's floor or bonus cap by the
//! category, the base, the group average. So the comparison works when rules
//! are added, removed, renamed, moved between categories or split into
//! versions: a rule only one side has shows as `added` or `removed`.
//!
//! ```
//! use kaohe::{impact::Impact, Ruleset, SourceFile};
//!
//! let rules = |amount: &str| Ruleset::from_source(SourceFile::new("r.rules", format!(r#"
//! ruleset r {{ title "示例" issuer "示例" source "示例" effective 2026-01-01 to 2026-12-31 }}
//! group lead "牵头单位" [X-1] {{}}
//! record late_report "迟报" {{}}
//! period month [X-1] {{ amendable [X-1] }}
//! score [X-1] {{
//!   base 100 [X-1]
//!   category daily "日常" [X-1] {{ deduct late "迟报" [X-2] {{ per late_report amount {amount} }} }}
//! }}
//! ranking monthly "月度排名" of lead [X-3] {{ by total desc ties shared [X-3] }}
//! "#)));
//! let facts = r#"{"as_of": "2026-02-10",
//!   "units": [{"id": "a", "name": "甲", "group": "lead"}, {"id": "b", "name": "乙", "group": "lead"}],
//!   "records": [{"unit": "a", "period": "2026-01", "kind": "late_report", "reported": "2026-01-20"}]}"#;
//! let impact = Impact::between(&rules("2")?, &rules("3")?, facts)?;
//! assert_eq!(impact.summary.results_changed_score, 1);
//! let change = &impact.changes[0];
//! assert_eq!((change.unit.as_str(), change.period.to_string().as_str()), ("a", "2026-01"));
//! assert_eq!(change.total.before.unwrap().to_string(), "98");
//! assert_eq!(change.total.after.unwrap().to_string(), "97");
//! assert_eq!(change.lines[0].line, "late");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use crate::number::Number;
use serde::Serialize;

use crate::eval::result::{
    Clauses, Evaluation, ItemKind, LineItem, NoticeKind, NoticeResult, UnitResult,
};
use crate::eval::EvalError;
use crate::facts::{FactErrors, Facts};
use crate::period::Period;
use crate::ruleset::Ruleset;
use crate::syntax::ast::Item;
use crate::text::Text;

/// The version of the impact JSON (`rulec diff --format json`).
pub const IMPACT_FORMAT_VERSION: u32 = 1;

/// What changes when the facts are evaluated under a new ruleset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// The JSON format's version.
    pub format_version: u32,
    /// The old ruleset: id and hash.
    pub old: Side,
    /// The new ruleset.
    pub new: Side,
    /// The facts' evaluation date and hash.
    pub facts: crate::eval::result::FactsInfo,
    /// Rules (by name) that only the old or only the new ruleset declares.
    pub rules: RuleChanges,
    /// Every result that changed, in period order, then in the new ranking's order.
    pub changes: Vec<ResultChange>,
    /// Counts.
    pub summary: Summary,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The ruleset's id.
    pub id: String,
    /// Its file name.
    pub file: String,
    /// `sha256:` of the file.
    pub hash: String,
}

/// Rules declared on one side only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RuleChanges {
    /// Only in the new ruleset.
    pub added: Vec<String>,
    /// Only in the old ruleset.
    pub removed: Vec<String>,
}

/// A value before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    /// Under the old ruleset (`None`: no such result or value).
    pub before: Option<T>,
    /// Under the new ruleset.
    pub after: Option<T>,
}

impl<T: PartialEq> Change<T> {
    /// Whether before and after differ.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// A number before and after, serialised as exact strings (a value that does
/// not terminate as its fraction, `"1/3"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DecimalChange {
    /// Before.
    #[serde(serialize_with = "exact_option")]
    pub before: Option<Number>,
    /// After.
    #[serde(serialize_with = "exact_option")]
    pub after: Option<Number>,
}

fn exact_option<S: serde::Serializer>(
    n: &Option<Number>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => serializer.collect_str(&n.exact_text()),
        None => serializer.serialize_none(),
    }
}

fn exact<S: serde::Serializer>(n: &Option<Number>, serializer: S) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => serializer.collect_str(&n.exact_text()),
        None => serializer.collect_str("overflow"),
    }
}

impl DecimalChange {
    /// Whether before and after differ.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }

    /// after − before, counting a missing side as 0; `None` when the exact
    /// difference overflows.
    pub fn delta(&self) -> Option<Number> {
        self.after
            .unwrap_or(Number::ZERO)
            .checked_sub(self.before.unwrap_or(Number::ZERO))
    }
}

/// One unit's changed result in one period or year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultChange {
    /// The unit's id.
    pub unit: Text,
    /// Its name.
    pub name: Text,
    /// Its group.
    pub group: Text,
    /// The period or year.
    pub period: Period,
    /// Whether this is the annual assessment.
    pub annual: bool,
    /// The total.
    pub total: DecimalChange,
    /// The converted annual score.
    pub converted: DecimalChange,
    /// The rank.
    pub rank: Change<u32>,
    /// The score lines that differ, largest change first.
    pub lines: Vec<LineChange>,
    /// Consequences issued only under the new ruleset.
    pub gained: Vec<String>,
    /// Consequences issued only under the old ruleset.
    pub lost: Vec<String>,
}

/// Whether a line's rule exists on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// Declared by both rulesets.
    Both,
    /// Declared by the new ruleset only.
    Added,
    /// Declared by the old ruleset only.
    Removed,
}

/// A score line whose amount differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineChange {
    /// What produced it: a rule or group cap name, `base`, `floor of C`,
    /// `cap bonuses of C`, `group average`.
    pub line: String,
    /// Its label (the new one when both have it).
    pub label: Option<Text>,
    /// The amount applied (signed).
    pub amount: DecimalChange,
    /// after − before.
    #[serde(serialize_with = "exact")]
    pub delta: Option<Number>,
    /// Whether the rule is in both rulesets.
    pub status: LineStatus,
    /// The clauses it cites (the new side's when both have it).
    pub clauses: Clauses,
    /// Limits that bound after the change (`cap 5 per period: 11 → 5`).
    pub limits_after: Vec<String>,
    /// Limits that bound before the change.
    pub limits_before: Vec<String>,
}

/// The counts of an impact.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Unit results compared (periods and years).
    pub results_compared: usize,
    /// Results whose total (or converted score) changed.
    pub results_changed_score: usize,
    /// Distinct units with at least one such result.
    pub units_changed_score: usize,
    /// Results whose rank changed.
    pub results_changed_rank: usize,
    /// Distinct units with at least one such result.
    pub units_changed_rank: usize,
    /// Consequences issued only under the new ruleset.
    pub consequences_gained: usize,
    /// Consequences issued only under the old ruleset.
    pub consequences_lost: usize,
}

/// Why an impact could not be computed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ImpactError {
    /// The facts do not fit one of the rulesets.
    #[error("the facts do not fit the {side} ruleset: {errors}")]
    Facts {
        /// `old` or `new`.
        side: &'static str,
        /// Every problem.
        errors: FactErrors,
    },
    /// Evaluation under one of the rulesets failed.
    #[error("evaluation under the {side} ruleset failed: {error}")]
    Eval {
        /// `old` or `new`.
        side: &'static str,
        /// What failed (boxed: an error about a record carries the record).
        error: Box<EvalError>,
    },
}

fn rule_names(ruleset: &Ruleset) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in &ruleset.syntax().items {
        if let Item::Score(score) = item {
            for category in &score.categories {
                out.extend(category.rules.iter().map(|r| r.name.name.clone()));
            }
            out.extend(score.group_caps.iter().map(|c| c.name.name.clone()));
        }
    }
    out
}

/// How a line is matched across the two sides.
fn line_key(item: &LineItem) -> String {
    let name = item.rule.as_deref().unwrap_or_default().to_owned();
    match item.kind {
        ItemKind::Base => "base".to_owned(),
        ItemKind::Floor => format!("floor of {name}"),
        ItemKind::Cap if item.category.as_deref() == Some(name.as_str()) => {
            format!("cap bonuses of {name}")
        }
        ItemKind::Average => "group average".to_owned(),
        ItemKind::Cap | ItemKind::Deduction | ItemKind::Bonus | ItemKind::Adjustment => name,
    }
}

struct Line<'a> {
    amount: Option<Number>,
    items: Vec<&'a LineItem>,
}

fn lines(result: Option<&UnitResult>) -> BTreeMap<String, Line<'_>> {
    let mut out: BTreeMap<String, Line<'_>> = BTreeMap::new();
    for item in result.iter().flat_map(|r| r.items.iter()) {
        let line = out.entry(line_key(item)).or_insert(Line {
            amount: Some(Number::ZERO),
            items: Vec::new(),
        });
        line.amount = line.amount.and_then(|a| a.checked_add(item.amount));
        line.items.push(item);
    }
    out
}

fn limits(line: Option<&Line<'_>>) -> Vec<String> {
    line.into_iter()
        .flat_map(|l| l.items.iter())
        .flat_map(|i| i.limits.iter())
        .map(|l| l.to_string())
        .collect()
}

fn consequence(n: &NoticeResult) -> String {
    match n.kind {
        NoticeKind::Notice => format!("notice {}", n.name),
        NoticeKind::Flag => format!("flag {}", n.name),
        NoticeKind::Quota => format!("quota {}", n.name),
        NoticeKind::Class => format!("class {}={}", n.name, n.class.as_deref().unwrap_or("")),
    }
}

/// Multiset difference `a − b`.
fn minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut rest = b.to_vec();
    let mut out = Vec::new();
    for x in a {
        match rest.iter().position(|y| y == x) {
            Some(i) => {
                rest.remove(i);
            }
            None => out.push(x.clone()),
        }
    }
    out
}

impl Impact {
    /// Validates `facts` (fact JSON) against both rulesets, evaluates it under
    /// each and compares.
    pub fn between(old: &Ruleset, new: &Ruleset, facts: &str) -> Result<Impact, ImpactError> {
        let old_facts = Facts::from_json(old, facts).map_err(|errors| ImpactError::Facts {
            side: "old",
            errors,
        })?;
        let new_facts = Facts::from_json(new, facts).map_err(|errors| ImpactError::Facts {
            side: "new",
            errors,
        })?;
        let before = old
            .evaluate(&old_facts)
            .map_err(|error| ImpactError::Eval {
                side: "old",
                error: Box::new(error),
            })?;
        let after = new
            .evaluate(&new_facts)
            .map_err(|error| ImpactError::Eval {
                side: "new",
                error: Box::new(error),
            })?;
        Ok(Impact::compare(old, &before, new, &after))
    }

    /// Compares two evaluations of the same facts.
    pub fn compare(
        old: &Ruleset,
        before: &Evaluation,
        new: &Ruleset,
        after: &Evaluation,
    ) -> Impact {
        let old_rules = rule_names(old);
        let new_rules = rule_names(new);
        let mut keys: Vec<(Period, Text)> = Vec::new();
        for r in after.results.iter().chain(before.results.iter()) {
            let key = (r.period, r.unit.clone());
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        // Period order; within a period, the new evaluation's order (rank).
        keys.sort_by_key(|(p, _)| *p);
        let index = |e: &'_ Evaluation| -> BTreeMap<(Period, Text), usize> {
            e.results
                .iter()
                .enumerate()
                .map(|(i, r)| ((r.period, r.unit.clone()), i))
                .collect()
        };
        let (before_index, after_index) = (index(before), index(after));
        let mut changes = Vec::new();
        let mut summary = Summary {
            results_compared: keys.len(),
            ..Summary::default()
        };
        let mut score_units = BTreeSet::new();
        let mut rank_units = BTreeSet::new();
        for key in &keys {
            let b = before_index.get(key).and_then(|i| before.results.get(*i));
            let a = after_index.get(key).and_then(|i| after.results.get(*i));
            let Some(any) = a.or(b) else {
                continue;
            };
            let total = DecimalChange {
                before: b.map(|r| r.total),
                after: a.map(|r| r.total),
            };
            let converted = DecimalChange {
                before: b.and_then(|r| r.converted),
                after: a.and_then(|r| r.converted),
            };
            let rank = Change {
                before: b.and_then(|r| r.rank),
                after: a.and_then(|r| r.rank),
            };
            let notices = |r: Option<&UnitResult>| -> Vec<String> {
                r.into_iter()
                    .flat_map(|r| r.notices.iter())
                    .map(consequence)
                    .collect()
            };
            let (nb, na) = (notices(b), notices(a));
            let gained = minus(&na, &nb);
            let lost = minus(&nb, &na);
            let score_changed = total.changed() || converted.changed();
            if !score_changed && !rank.changed() && gained.is_empty() && lost.is_empty() {
                continue;
            }
            let (lb, la) = (lines(b), lines(a));
            let names: BTreeSet<&String> = lb.keys().chain(la.keys()).collect();
            let mut line_changes = Vec::new();
            for name in names {
                let (x, y) = (lb.get(name), la.get(name));
                let amount = DecimalChange {
                    before: x.and_then(|l| l.amount),
                    after: y.and_then(|l| l.amount),
                };
                if amount.before.unwrap_or(Number::ZERO) == amount.after.unwrap_or(Number::ZERO) {
                    continue;
                }
                let status = match (old_rules.contains(name), new_rules.contains(name)) {
                    (true, false) => LineStatus::Removed,
                    (false, true) => LineStatus::Added,
                    _ => LineStatus::Both,
                };
                let first = y.or(x).and_then(|l| l.items.first());
                line_changes.push(LineChange {
                    line: name.clone(),
                    label: first.and_then(|i| i.label.clone()),
                    delta: amount.delta(),
                    amount,
                    status,
                    clauses: first.map(|i| i.clauses.clone()).unwrap_or_default(),
                    limits_after: limits(y),
                    limits_before: limits(x),
                });
            }
            line_changes.sort_by(|p, q| {
                q.delta
                    .map(Number::abs)
                    .cmp(&p.delta.map(Number::abs))
                    .then(p.line.cmp(&q.line))
            });
            if score_changed {
                summary.results_changed_score += 1;
                score_units.insert(any.unit.clone());
            }
            if rank.changed() {
                summary.results_changed_rank += 1;
                rank_units.insert(any.unit.clone());
            }
            summary.consequences_gained += gained.len();
            summary.consequences_lost += lost.len();
            changes.push(ResultChange {
                unit: any.unit.clone(),
                name: any.name.clone(),
                group: any.group.clone(),
                period: any.period,
                annual: any.annual,
                total,
                converted,
                rank,
                lines: line_changes,
                gained,
                lost,
            });
        }
        summary.units_changed_score = score_units.len();
        summary.units_changed_rank = rank_units.len();
        Impact {
            format_version: IMPACT_FORMAT_VERSION,
            old: Side {
                id: old.id().to_owned(),
                file: old.source().name().to_owned(),
                hash: old.hash().to_owned(),
            },
            new: Side {
                id: new.id().to_owned(),
                file: new.source().name().to_owned(),
                hash: new.hash().to_owned(),
            },
            facts: after.facts.clone(),
            rules: RuleChanges {
                added: new_rules.difference(&old_rules).cloned().collect(),
                removed: old_rules.difference(&new_rules).cloned().collect(),
            },
            changes,
            summary,
        }
    }

    /// The impact as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}
