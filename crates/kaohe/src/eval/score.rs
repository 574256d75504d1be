//! Scoring one unit in one period (or one year, pooled): rules → occurrences →
//! multipliers → dedupe → rule caps → group caps → category bonus caps and
//! floors → total. Every limit that binds is recorded as raw → applied, and the
//! line items always add up to the total.

use std::collections::{BTreeMap, BTreeSet};

use super::expr::Ctx;
use super::result::{
    CategoryResult, CountedRecord, Discretion, Formula, ItemKind, LimitApplied, LineItem, RecordRef,
};
use super::texts::RuleTexts;
use super::EvalError;
use crate::facts::Record;
use crate::number::Number;
use crate::period::Period;
use crate::source::Span;
use crate::syntax::ast::{Amount, CapScope, DateRange, PeriodUnit, RankSide, Rule, RuleKind};
use crate::text::Text;
use crate::value::Value;

/// What a per-year cap has already given one unit in earlier periods of the
/// year: (unit, limit key, year) → amount used. One per unit (issue 15 §4:
/// units are scored in parallel, each with its own usage; no cap is shared
/// between units).
#[derive(Default)]
pub(crate) struct YearUsage {
    used: BTreeMap<(Text, String, i32), Number>,
    /// The years in which the unit's scoring failed in an earlier period:
    /// what its caps used is unknown.
    broken: BTreeSet<i32>,
}

impl YearUsage {
    pub(crate) fn new() -> YearUsage {
        YearUsage::default()
    }

    /// What the key used; reading a broken year marks `taint`.
    fn get(&self, key: &(Text, String, i32), taint: &super::Taint) -> Option<&Number> {
        if !self.broken.is_empty() && self.broken.contains(&key.2) {
            taint.mark();
        }
        self.used.get(key)
    }

    fn entry(
        &mut self,
        key: (Text, String, i32),
    ) -> std::collections::btree_map::Entry<'_, (Text, String, i32), Number> {
        self.used.entry(key)
    }

    /// The unit's scoring failed in a period of `year`: what it used that
    /// year is unknown from now on.
    pub(crate) fn break_year(&mut self, year: i32) {
        self.broken.insert(year);
    }
}

/// A unit's score in one period or year.
#[derive(Clone)]
pub(crate) struct Scored {
    pub items: Vec<LineItem>,
    /// The line items of the categories `outside total` (issue 13 §10): not
    /// part of `items`, never added to the total.
    pub outside: Vec<LineItem>,
    pub categories: Vec<CategoryResult>,
    pub total: Number,
}

/// Which way an item moves a category.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Bonus,
    Deduction,
}

/// The texts of the rule whose line items are being built.
#[derive(Clone, Copy)]
struct ItemTexts<'t> {
    rule: &'t RuleTexts,
    category: &'t Text,
}

struct Working {
    item: LineItem,
    side: Side,
    category: usize,
}

pub(crate) use super::texts::clauses;

/// Whether a rule version's range overlaps the period (or year: for weeks,
/// the ISO week-year) in a ruleset of `unit` periods.
fn in_force(range: Option<&DateRange>, period: Period, unit: PeriodUnit) -> bool {
    // The bounds only when there is a range (most rules have none).
    range.is_none_or(|r| {
        let (start, end) = period.bounds_in(unit);
        end >= r.from && start <= r.to
    })
}

/// `what` overflowing a decimal, located at the construct whose amount it
/// is (`at`: the rule, cap, category or multiplier).
fn overflow(ctx: &Ctx<'_>, what: &str, at: Option<Span>) -> EvalError {
    EvalError {
        message: format!("{what} overflows a decimal"),
        unit: ctx.unit.id.to_string(),
        period: ctx.scope.to_string(),
        span: at,
        location: None,
        record: ctx.record.map(super::RecordAt::of),
        also: None,
    }
}

/// Clamps `value` into `[-limit, limit]`.
fn clamp(value: Number, limit: Number) -> Number {
    let limit = limit.max(Number::ZERO);
    value.min(limit).max(-limit)
}

/// How a cap's scope reads in an explanation: in the annual assessment the
/// evaluated period is the year.
fn scope_word(scope: CapScope, evaluated: Period) -> &'static str {
    match (scope, evaluated) {
        (CapScope::Year, _) | (_, Period::Year(_)) => "year",
        (CapScope::Period, _) => "period",
    }
}

/// What a cap per year has already taken in the earlier periods of the year,
/// for its line under a shorter period: `, 5 used earlier this year`
/// (nothing in the year's first capped period, in the annual result, or for a
/// cap per period). Without it, `cap 8 per year: -10 → -3` under half-years
/// reads as a wrong cap (breaker's item 8).
fn used_earlier(
    scope: CapScope,
    ctx: &Ctx<'_>,
    usage: &YearUsage,
    key: impl Fn() -> (Text, String, i32),
) -> String {
    if scope != CapScope::Year || matches!(ctx.scope, Period::Year(_)) {
        return String::new();
    }
    match usage.get(&key(), ctx.taint).copied() {
        Some(used) if used != Number::ZERO => format!(
            ", {} used earlier this year",
            super::result::decimal_text(used.abs())
        ),
        _ => String::new(),
    }
}

/// Scores the unit in `ctx` over `ctx.records`.
pub(crate) fn score(ctx: Ctx<'_>, usage: &mut YearUsage) -> Result<Scored, EvalError> {
    let Some((decl, texts)) = ctx.ruleset.score_with_texts(ctx.unit.group.as_str()) else {
        return Ok(Scored {
            items: Vec::new(),
            outside: Vec::new(),
            categories: Vec::new(),
            total: Number::ZERO,
        });
    };
    let base = decl
        .base
        .first()
        .map_or(Number::ZERO, |(n, _)| Number::from(n.value));
    let base_item = LineItem {
        kind: ItemKind::Base,
        rule: None,
        label: Some(Text::from("base")),
        category: None,
        clauses: texts.base.clone(),
        count: 0,
        raw: base,
        amount: base,
        limits: Vec::new(),
        formula: None,
        records: Vec::new(),
        inputs: Vec::new(),
    };
    // Each category's items, in order (rules, then group caps).
    let mut working: Vec<Vec<Working>> = decl.categories.iter().map(|_| Vec::new()).collect();
    // A rule's items do not depend on another rule's: after a failure the
    // other rules are scored too, and every failure is reported at once.
    let mut failures = Vec::new();
    for (index, (category, category_texts)) in
        decl.categories.iter().zip(&texts.categories).enumerate()
    {
        for (rule, rule_texts) in category.rules.iter().zip(&category_texts.rules) {
            let texts = ItemTexts {
                rule: rule_texts,
                category: &category_texts.name,
            };
            if let Some(own) = working.get_mut(index) {
                // Room for every rule's item and the category's limits at
                // the first item (most rules give one item or none), so the
                // list does not grow item by item.
                let items = Items {
                    out: own,
                    category: index,
                    room: category.rules.len() + 2,
                };
                if let Err(error) = rule_items(rule, texts, ctx, usage, items) {
                    failures.push(error);
                }
            }
        }
    }
    if let Some(error) = EvalError::joined(failures) {
        return Err(error);
    }
    // Caps over groups of rules: the rules' bonuses and their deductions are
    // capped separately, so a deduction can never free capped bonus points.
    for (cap, cap_texts) in decl.group_caps.iter().zip(&texts.group_caps) {
        for side in [Side::Bonus, Side::Deduction] {
            let members: Vec<&Working> = working
                .iter()
                .flatten()
                .filter(|w| {
                    w.side == side
                        && cap
                            .rules
                            .iter()
                            .any(|r| w.item.rule.as_deref() == Some(r.name.as_str()))
                })
                .collect();
            let Some(first) = members.first() else {
                continue;
            };
            let category = first.category;
            let sum = members
                .iter()
                .try_fold(Number::ZERO, |acc, w| acc.checked_add(w.item.amount))
                .ok_or_else(|| overflow(&ctx, "a group cap", Some(cap.name.span)))?;
            let key = || {
                (
                    ctx.unit.id.clone(),
                    format!("cap:{}:{}", cap.name.name, side == Side::Bonus),
                    ctx.scope.year(),
                )
            };
            let limit = year_limit(
                cap.limit.value.into(),
                cap.scope,
                &ctx,
                usage,
                key,
                cap.limit.span,
            )?;
            let earlier = used_earlier(cap.scope, &ctx, usage, key);
            let capped = clamp(sum, limit);
            record_usage(cap.scope, &ctx, usage, key, capped, cap.limit.span)?;
            if capped == sum {
                continue;
            }
            let text = format!(
                "cap {} per {} on {}{earlier}",
                cap.limit.value,
                scope_word(cap.scope, ctx.scope),
                cap.rules
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let cited = cap_texts.clauses.clone();
            let Some(own) = working.get_mut(category) else {
                continue;
            };
            own.push(Working {
                item: LineItem {
                    kind: ItemKind::Cap,
                    rule: Some(cap_texts.name.clone()),
                    label: cap_texts.label.clone(),
                    category: texts.categories.get(category).map(|c| c.name.clone()),
                    clauses: cited.clone(),
                    count: 0,
                    raw: sum,
                    amount: sub(&ctx, capped, sum, cap.limit.span)?,
                    limits: vec![LimitApplied {
                        limit: text,
                        clauses: cited,
                        raw: sum,
                        applied: capped,
                    }],
                    formula: None,
                    records: Vec::new(),
                    inputs: Vec::new(),
                },
                side,
                category,
            });
        }
    }
    // Categories: bonus caps, then floors. Room for every item, each
    // category's bonus cap and floor included, so the list is allocated once.
    let mut items = Vec::with_capacity(
        1 + working.iter().map(Vec::len).sum::<usize>() + 2 * decl.categories.len(),
    );
    items.push(base_item);
    let mut outside = Vec::new();
    // Exactly one per category: kept in every unit's result (67,200 of them
    // in a province-year), so no room to grow.
    let mut categories = Vec::with_capacity(decl.categories.len());
    for (index, (category, category_texts)) in
        decl.categories.iter().zip(&texts.categories).enumerate()
    {
        let mut own: Vec<Working> = working
            .get_mut(index)
            .map(std::mem::take)
            .unwrap_or_default();
        let sum_side = |own: &[Working], side: Side| {
            own.iter()
                .filter(|w| w.side == side)
                .try_fold(Number::ZERO, |acc, w| acc.checked_add(w.item.amount))
        };
        let at = Some(category.name.span);
        let mut bonuses =
            sum_side(&own, Side::Bonus).ok_or_else(|| overflow(&ctx, "bonuses", at))?;
        let mut deductions =
            -sum_side(&own, Side::Deduction).ok_or_else(|| overflow(&ctx, "deductions", at))?;
        if let Some((cap, scope, _)) = &category.bonus_cap {
            let key = || {
                (
                    ctx.unit.id.clone(),
                    format!("bonus:{}", category.name.name),
                    ctx.scope.year(),
                )
            };
            let limit =
                year_limit(cap.value.into(), *scope, &ctx, usage, key, cap.span)?.max(Number::ZERO);
            let earlier = used_earlier(*scope, &ctx, usage, key);
            let capped = bonuses.min(limit);
            record_usage(*scope, &ctx, usage, key, capped, cap.span)?;
            if capped != bonuses {
                let cited = category_texts.bonus_cap.clone();
                own.push(Working {
                    item: LineItem {
                        kind: ItemKind::Cap,
                        rule: Some(category_texts.name.clone()),
                        label: category_texts.bonus_cap_label.clone(),
                        category: Some(category_texts.name.clone()),
                        clauses: cited.clone(),
                        count: 0,
                        raw: bonuses,
                        amount: sub(&ctx, capped, bonuses, cap.span)?,
                        limits: vec![LimitApplied {
                            limit: format!(
                                "cap bonuses {} per {}{earlier}",
                                cap.value,
                                scope_word(*scope, ctx.scope)
                            ),
                            clauses: cited,
                            raw: bonuses,
                            applied: capped,
                        }],
                        formula: None,
                        records: Vec::new(),
                        inputs: Vec::new(),
                    },
                    side: Side::Bonus,
                    category: index,
                });
                bonuses = capped;
            }
        }
        if let (Some(allot), Some((floor, _))) = (&category.allot, &category.floor) {
            let most =
                sub(&ctx, allot.value.into(), floor.value.into(), floor.span)?.max(Number::ZERO);
            if deductions > most {
                let cited = category_texts.floor.clone();
                own.push(Working {
                    item: LineItem {
                        kind: ItemKind::Floor,
                        rule: Some(category_texts.name.clone()),
                        label: category_texts.floor_label.clone(),
                        category: Some(category_texts.name.clone()),
                        clauses: cited.clone(),
                        count: 0,
                        raw: -deductions,
                        amount: sub(&ctx, deductions, most, floor.span)?,
                        limits: vec![LimitApplied {
                            limit: format!("floor {} (allot {})", floor.value, allot.value),
                            clauses: cited,
                            raw: -deductions,
                            applied: -most,
                        }],
                        formula: None,
                        records: Vec::new(),
                        inputs: Vec::new(),
                    },
                    side: Side::Deduction,
                    category: index,
                });
                deductions = most;
            }
        }
        let allot = category.allot.as_ref().map(|a| a.value);
        let subtotal = subtotal(allot, category.outside.is_some(), deductions, bonuses)
            .ok_or_else(|| overflow(&ctx, "a subtotal", at))?;
        categories.push(CategoryResult {
            category: category_texts.name.clone(),
            label: category_texts.label.clone(),
            allot,
            outside: category.outside.is_some(),
            deductions,
            bonuses,
            subtotal,
        });
        let lines = own.into_iter().map(|w| w.item);
        if category.outside.is_some() {
            outside.extend(lines);
        } else {
            items.extend(lines);
        }
    }
    let total = items
        .iter()
        .try_fold(Number::ZERO, |acc, i| acc.checked_add(i.amount))
        .ok_or_else(|| {
            let at = (decl.base.first().map(|(n, _)| n.span))
                .or_else(|| decl.categories.first().map(|c| c.name.span));
            overflow(&ctx, "the total", at)
        })?;
    Ok(Scored {
        items,
        outside,
        categories,
        total,
    })
}

/// A category's subtotal: allot − deductions + bonuses when it has an
/// allotment; for a category `outside total` without one, its own score
/// bonuses − deductions (it starts from 0); `Some(None)` for a category in the
/// total without an allotment, `None` on overflow.
pub(crate) fn subtotal(
    allot: Option<rust_decimal::Decimal>,
    outside: bool,
    deductions: Number,
    bonuses: Number,
) -> Option<Option<Number>> {
    let start = match (allot, outside) {
        (Some(a), _) => Number::from(a),
        (None, true) => Number::ZERO,
        (None, false) => return Some(None),
    };
    start
        .checked_sub(deductions)
        .and_then(|v| v.checked_add(bonuses))
        .map(Some)
}

/// The limit left for a cap: the cap itself per period, or what the earlier
/// periods of the year left of it per year (the annual assessment is one period).
fn year_limit(
    cap: Number,
    scope: CapScope,
    ctx: &Ctx<'_>,
    usage: &YearUsage,
    key: impl Fn() -> (Text, String, i32),
    at: Span,
) -> Result<Number, EvalError> {
    match (scope, ctx.scope) {
        (
            CapScope::Year,
            Period::Month { .. }
            | Period::Quarter { .. }
            | Period::Half { .. }
            | Period::Week { .. },
        ) => sub(
            ctx,
            cap,
            usage
                .get(&key(), ctx.taint)
                .copied()
                .unwrap_or(Number::ZERO)
                .abs(),
            at,
        ),
        _ => Ok(cap),
    }
}

/// `a − b`, an overflow being an evaluation error.
fn sub(ctx: &Ctx<'_>, a: Number, b: Number, at: Span) -> Result<Number, EvalError> {
    a.checked_sub(b)
        .ok_or_else(|| overflow(ctx, "a difference", Some(at)))
}

fn record_usage(
    scope: CapScope,
    ctx: &Ctx<'_>,
    usage: &mut YearUsage,
    key: impl Fn() -> (Text, String, i32),
    applied: Number,
    at: Span,
) -> Result<(), EvalError> {
    if scope == CapScope::Year && !matches!(ctx.scope, Period::Year(_)) {
        let used = usage.entry(key()).or_insert(Number::ZERO);
        *used = used
            .checked_add(applied.abs())
            .ok_or_else(|| overflow(ctx, "a per-year cap", Some(at)))?;
    }
    Ok(())
}

struct Occurrence<'a> {
    record: Option<&'a Record>,
    count: u32,
    amount: Number,
    notes: Vec<String>,
    /// The working of the amount, when it is an expression (issue 13 §16).
    formula: Option<Box<Formula>>,
    kept: bool,
}

/// Where a rule's line items go: its category's working list.
struct Items<'o> {
    out: &'o mut Vec<Working>,
    category: usize,
    /// The capacity to reserve when the list is still empty.
    room: usize,
}

impl Items<'_> {
    fn push(&mut self, (item, side): (LineItem, Side)) {
        if self.out.is_empty() {
            self.out.reserve(self.room);
        }
        self.out.push(Working {
            item,
            side,
            category: self.category,
        });
    }
}

/// One rule's line items, pushed to `out`: none when nothing matched, one for
/// a deduction or a bonus, and for an `adjust` rule one per sign, so that each
/// occurrence counts as the deduction or bonus it is (a +3 and a −3 do not
/// cancel out before a category floor applies).
fn rule_items(
    rule: &Rule,
    texts: ItemTexts<'_>,
    ctx: Ctx<'_>,
    usage: &mut YearUsage,
    mut out: Items<'_>,
) -> Result<(), EvalError> {
    let range = rule.effective.first();
    let mut occurrences: Vec<Occurrence<'_>>;
    match &rule.per {
        Some(per) => {
            let records = ctx.records.of_kind(texts.rule.per_kind);
            // At most one occurrence per record: allocated once.
            occurrences = Vec::with_capacity(records.len());
            // Each record's occurrence is its own: after a record fails, the
            // rule's other records are evaluated too (all errors at once).
            let mut failures = Vec::new();
            for record in records.iter().copied() {
                if !in_force(range, record.period, ctx.ruleset.period_unit()) {
                    continue;
                }
                match record_occurrence(rule, per, ctx.with_record(record), record) {
                    Ok(Some(occurrence)) => occurrences.push(occurrence),
                    Ok(None) => {}
                    Err(error) => failures.push(error),
                }
            }
            if let Some(error) = EvalError::joined(failures) {
                return Err(error);
            }
        }
        None => {
            occurrences = Vec::new();
            if in_force(range, ctx.scope, ctx.ruleset.period_unit()) && all_hold(&rule.when, &ctx)?
            {
                let (amount, notes, formula) = occurrence_amount(rule, &ctx, None)?;
                occurrences.push(Occurrence {
                    record: None,
                    count: 1,
                    amount,
                    notes,
                    formula,
                    kept: true,
                });
            }
        }
    }
    if occurrences.is_empty() {
        return Ok(());
    }
    // Same item counts once, highest amount.
    if let Some((attribute, _, _)) = &rule.once_per {
        // `once per unit`: every occurrence of the unit shares one key, so the
        // unit's best single record counts (issue 13 §14).
        let per_unit = attribute.name == super::ONCE_PER_UNIT;
        let key_of = |occ: &Occurrence<'_>| {
            if per_unit {
                return Value::Absent;
            }
            occ.record
                .and_then(|r| r.attributes.get(&attribute.name))
                .cloned()
                .unwrap_or(Value::Absent)
        };
        let mut best: BTreeMap<Value, usize> = BTreeMap::new();
        for (i, occ) in occurrences.iter().enumerate() {
            let key = key_of(occ);
            // "Highest" by size: for a deduction the largest deduction counts.
            match best.get(&key).and_then(|b| occurrences.get(*b)) {
                Some(current) if current.amount.abs() >= occ.amount.abs() => {}
                _ => {
                    best.insert(key, i);
                }
            }
        }
        for (i, occ) in occurrences.iter_mut().enumerate() {
            let key = key_of(occ);
            if best.get(&key) == Some(&i) {
                if occ.count != 1 {
                    occ.notes.push(if per_unit {
                        "the unit's best record counts once".to_owned()
                    } else {
                        format!("same `{}` counts once", attribute.name)
                    });
                    occ.count = 1;
                }
            } else {
                occ.kept = false;
                occ.notes.push(if per_unit {
                    "not the unit's best record: only the highest counts".to_owned()
                } else {
                    format!(
                        "same `{}` as a higher-amount record: counts once, highest only",
                        attribute.name
                    )
                });
            }
        }
    }
    if rule.kind != RuleKind::Adjust {
        let side = if rule.kind == RuleKind::Deduct {
            Side::Deduction
        } else {
            Side::Bonus
        };
        out.push(finish(rule, texts, ctx, usage, occurrences, side)?);
        return Ok(());
    }
    let (negative, positive): (Vec<Occurrence<'_>>, Vec<Occurrence<'_>>) = occurrences
        .into_iter()
        .partition(|o| o.amount < Number::ZERO);
    for (part, side) in [(positive, Side::Bonus), (negative, Side::Deduction)] {
        if !part.is_empty() {
            out.push(finish(rule, texts, ctx, usage, part, side)?);
        }
    }
    Ok(())
}

/// A record's occurrence under rule `rule` (`per` clause `per`): `None`
/// when its filter or a `when` condition leaves it out.
fn record_occurrence<'a>(
    rule: &Rule,
    per: &crate::syntax::ast::Per,
    rctx: Ctx<'a>,
    record: &'a Record,
) -> Result<Option<Occurrence<'a>>, EvalError> {
    if let Some(filter) = &per.filter {
        if !rctx.truth(filter)? {
            return Ok(None);
        }
    }
    if !all_hold(&rule.when, &rctx)? {
        return Ok(None);
    }
    let (amount, notes, formula) = occurrence_amount(rule, &rctx, Some(record))?;
    Ok(Some(Occurrence {
        record: Some(record),
        count: record.count,
        amount,
        notes,
        formula,
        kept: true,
    }))
}

/// The line item for a rule's occurrences of one sign: sum, caps, records.
fn finish(
    rule: &Rule,
    texts: ItemTexts<'_>,
    ctx: Ctx<'_>,
    usage: &mut YearUsage,
    occurrences: Vec<Occurrence<'_>>,
    side: Side,
) -> Result<(LineItem, Side), EvalError> {
    let mut raw = Number::ZERO;
    let mut count = 0u32;
    let mut records = Vec::with_capacity(match ctx.detail {
        super::Detail::Full => occurrences.len(),
        _ => 0,
    });
    // A rule without `per` has one occurrence and no record: its working
    // belongs to the line itself.
    let mut line_formula: Option<Option<Box<Formula>>> = None;
    for mut occ in occurrences {
        if occ.record.is_none() && line_formula.is_none() {
            line_formula = Some(occ.formula.take());
        }
        let contribution = if occ.kept {
            occ.amount
                .checked_mul(Number::from(occ.count))
                .ok_or_else(|| overflow(&ctx, "an amount", Some(rule.name.span)))?
        } else {
            Number::ZERO
        };
        raw = raw
            .checked_add(contribution)
            .ok_or_else(|| overflow(&ctx, "an amount", Some(rule.name.span)))?;
        if occ.kept {
            count = count.saturating_add(occ.count);
        }
        if let (Some(record), super::Detail::Full) = (occ.record, ctx.detail) {
            let signed = if rule.kind == RuleKind::Deduct {
                -contribution
            } else {
                contribution
            };
            records.push(CountedRecord {
                record: RecordRef::of(record),
                count: if occ.kept { occ.count } else { 0 },
                amount: signed,
                notes: occ.notes,
                derived: ctx.with_record(record).derived_values(),
                formula: occ.formula,
                discretion: match (rule.amount.first(), record.decided) {
                    (Some((Amount::Discretion { from, to }, _)), Some(decided)) => {
                        Some(Box::new(Discretion {
                            decided,
                            from: from.value,
                            to: to.value,
                        }))
                    }
                    _ => None,
                },
            });
        }
    }
    let mut applied = raw;
    let mut limits = Vec::new();
    for ((cap, scope, _), cited) in rule.caps.iter().zip(&texts.rule.caps) {
        // An adjust rule's two signs are capped separately.
        let key = || {
            (
                ctx.unit.id.clone(),
                format!("rule:{}:{}", rule.name.name, side == Side::Bonus),
                ctx.scope.year(),
            )
        };
        let limit = year_limit(cap.value.into(), *scope, &ctx, usage, key, cap.span)?;
        let earlier = used_earlier(*scope, &ctx, usage, key);
        let capped = clamp(applied, limit);
        record_usage(*scope, &ctx, usage, key, capped, cap.span)?;
        if capped != applied {
            let sign = |d: Number| if rule.kind == RuleKind::Deduct { -d } else { d };
            limits.push(LimitApplied {
                limit: format!(
                    "cap {} per {}{earlier}",
                    cap.value,
                    scope_word(*scope, ctx.scope)
                ),
                clauses: cited.clone(),
                raw: sign(applied),
                applied: sign(capped),
            });
            applied = capped;
        }
    }
    let (kind, amount, raw) = match rule.kind {
        RuleKind::Deduct => (ItemKind::Deduction, -applied, -raw),
        RuleKind::Bonus => (ItemKind::Bonus, applied, raw),
        RuleKind::Adjust => (ItemKind::Adjustment, applied, raw),
    };
    Ok((
        LineItem {
            kind,
            rule: Some(texts.rule.name.clone()),
            label: texts.rule.label.clone(),
            category: Some(texts.category.clone()),
            clauses: texts.rule.clauses.clone(),
            count,
            raw,
            amount,
            limits,
            formula: line_formula.flatten(),
            records,
            inputs: texts.rule.inputs.clone(),
        },
        side,
    ))
}

/// Whether every condition holds (evaluated in order, stopping at the first that does not).
pub(crate) fn all_hold(
    conditions: &[crate::syntax::ast::Expr],
    ctx: &Ctx<'_>,
) -> Result<bool, EvalError> {
    for c in conditions {
        if !ctx.truth(c)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether an amount's expression is a single number (`5`, `-5`): its
/// working would only repeat it.
fn is_constant(expr: &crate::syntax::ast::Expr) -> bool {
    use crate::syntax::ast::{ExprKind, UnaryOp};
    match &expr.kind {
        ExprKind::Number(_) => true,
        ExprKind::Unary(UnaryOp::Neg, inner) => matches!(inner.kind, ExprKind::Number(_)),
        _ => false,
    }
}

/// One occurrence's amount, the notes on how it was reached, and (when the
/// amount is an expression) its working.
type OccurrenceAmount = (Number, Vec<String>, Option<Box<Formula>>);

/// The amount of one occurrence, multipliers applied, with notes on the
/// multipliers and (with [`super::Detail::Full`], for an amount that is an
/// expression and not a single number) the working of the amount.
fn occurrence_amount(
    rule: &Rule,
    ctx: &Ctx<'_>,
    record: Option<&Record>,
) -> Result<OccurrenceAmount, EvalError> {
    let attribute = |name: &str| record.and_then(|r| r.attributes.get(name));
    let mut formula = None;
    let mut amount = match rule.amount.first().map(|(a, _)| a) {
        None => Number::ZERO,
        Some(Amount::Expr(expr)) => {
            let value = ctx.number(expr)?;
            if ctx.detail == super::Detail::Full && !is_constant(expr) {
                formula = ctx.formula(expr, value).map(Box::new);
            }
            value
        }
        Some(Amount::ByLevel {
            attribute: attr,
            entries,
        }) => match attribute(&attr.name) {
            Some(Value::Level(level)) => entries
                .iter()
                .find(|(l, _)| &l.name == level)
                .map_or(Number::ZERO, |(_, n)| n.value.into()),
            _ => Number::ZERO,
        },
        Some(Amount::ByRank {
            rank,
            of,
            top,
            bottom,
            overlap,
        }) => {
            let whole = |v: Option<&Value>| match v {
                Some(Value::Number(n)) => n.trunc().try_into().ok(),
                _ => None,
            };
            let r: Option<i64> = whole(attribute(&rank.name));
            let n: Option<i64> = whole(attribute(&of.name));
            match (r, n) {
                (Some(r), Some(n)) if r >= 1 && r <= n => {
                    let from_top = usize::try_from(r - 1).ok().and_then(|i| top.get(i));
                    let from_bottom = usize::try_from(n - r).ok().and_then(|i| bottom.get(i));
                    match (from_top, from_bottom, overlap.unwrap_or(RankSide::Top)) {
                        (Some(t), Some(_), RankSide::Top) | (Some(t), None, _) => t.value.into(),
                        (_, Some(b), _) => b.value.into(),
                        (None, None, _) => Number::ZERO,
                    }
                }
                _ => Number::ZERO,
            }
        }
        // Issue 13 §6: the office's decision, given on the record. The fact
        // file and `check_decisions` accept a value within the range of any
        // rule that may count the record; a record counted by two rules with
        // different ranges must fit this rule's too.
        Some(Amount::Discretion { from, to }) => {
            let kind = record.map(|r| r.kind.to_string()).unwrap_or_default();
            let reported = record.map(|r| r.reported.to_string()).unwrap_or_default();
            let (from, to) = (from.value.normalize(), to.value.normalize());
            let fail = |message: String| EvalError {
                message,
                unit: ctx.unit.id.to_string(),
                period: ctx.scope.to_string(),
                span: rule.amount.first().map(|(_, span)| *span),
                location: None,
                record: record.map(super::RecordAt::of),
                also: None,
            };
            match record.and_then(|r| r.decided) {
                Some(d) if d >= from && d <= to => d.into(),
                Some(d) => {
                    return Err(fail(format!(
                        "the decided amount {} of the `{kind}` record reported {reported} is outside the range {from} to {to} of rule `{}`",
                        d.normalize(),
                        rule.name.name
                    )))
                }
                None => {
                    return Err(fail(format!(
                        "the `{kind}` record reported {reported} has no `decided` amount, but rule `{}` leaves {from} to {to} to the office's discretion; give the amount decided for this record as `decided`",
                        rule.name.name
                    )))
                }
            }
        }
    };
    let mut notes = Vec::new();
    for times in &rule.times {
        if ctx.truth(&times.when)? {
            let factor = ctx.number(&times.factor)?;
            amount = amount
                .checked_mul(factor)
                .ok_or_else(|| overflow(ctx, "a multiplied amount", Some(times.factor.span)))?;
            // Notes are shown only with the records they explain.
            if ctx.detail == super::Detail::Full {
                let cited = clauses(times.cite.as_ref());
                notes.push(if cited.is_empty() {
                    format!("× {factor}")
                } else {
                    format!("× {factor} [{}]", cited.join(", "))
                });
            }
        }
    }
    if rule.kind != RuleKind::Adjust && amount < Number::ZERO {
        return Err(EvalError {
            message: format!(
                "`{}` rule `{}` computed the negative amount {amount}; deductions and bonuses are positive (use `adjust` for signed amounts)",
                rule.kind.keyword(),
                rule.name.name
            ),
            unit: ctx.unit.id.to_string(),
            period: ctx.scope.to_string(),
            span: rule.amount.first().map(|(_, span)| *span),
            location: None,
            record: record.map(super::RecordAt::of),
            also: None,
        });
    }
    Ok((amount, notes, formula))
}
