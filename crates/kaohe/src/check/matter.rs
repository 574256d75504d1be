//! Rules and limits that can never matter, and rule versions that would split
//! a period (issue 12 §3, §6):
//!
//! - an `effective` boundary inside a period (every period kind the ruleset
//!   evaluates: its months or quarters, and the year when the year is scored
//!   `from pooled records`) is an error: a period is scored by exactly one
//!   version of a rule;
//! - a small, sound analysis of conditions: a literal `false`, `x and not x`,
//!   one attribute equal to two different constants (or equal and unequal to
//!   one), a non-negative built-in (`count(…)`, the record's `count`, `abs(…)`)
//!   compared with a negative number. It finds contradictions only; it is not
//!   a solver, so "no warning" does not mean "can hold";
//! - rules whose amount is always 0, `cap bonuses` that its rules' own caps keep
//!   from binding, classes that can never be given, two rules with one label in
//!   a category;
//! - the record's own `count` in an amount or `times` factor, which would count
//!   it twice (refused).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::expr::Scope;
use super::Checker;
use crate::date::Date;
use crate::diagnostics::{
    CountInAmount, DuplicateLabel, EffectiveSplitsPeriod, NeverBinds, NeverHolds, ZeroAmount,
};
use crate::period::Period;
use crate::source::Span;
use crate::syntax::ast::*;

impl<'a> Checker<'a> {
    /// Runs every check of this module.
    pub(super) fn check_matter(&mut self) {
        let file = self.file;
        let unit = file.items.iter().find_map(|item| match item {
            Item::Period(p) => Some(p.unit),
            _ => None,
        });
        let pooled = file.items.iter().any(|item| match item {
            Item::Annual(a) => a
                .source
                .first()
                .is_some_and(|(s, _, _)| *s == AnnualSource::PooledRecords),
            _ => false,
        });
        for item in &file.items {
            match item {
                Item::Score(score) => {
                    for category in &score.categories {
                        self.bonus_cap_binds(category);
                        self.duplicate_labels(category);
                        for rule in &category.rules {
                            if let Some(unit) = unit {
                                self.effective_on_boundaries(rule, unit, pooled);
                            }
                            self.rule_conditions(rule);
                            self.zero_amount(rule);
                            self.count_in_amount(rule);
                        }
                    }
                }
                Item::Classify(decl) => self.unreachable_classes(decl),
                _ => {}
            }
        }
    }

    // ----- §3: one version per period -------------------------------------

    /// Each bound of a rule's `effective` range lies on a period boundary,
    /// unless it is the ruleset's own bound (the ruleset's first and last
    /// periods are what the ruleset makes them).
    fn effective_on_boundaries(&mut self, rule: &Rule, unit: PeriodUnit, pooled: bool) {
        let Some(range) = rule.effective.first() else {
            return;
        };
        let Some(outer) = self.file.items.iter().find_map(|item| match item {
            Item::Header(h) => h.effective.first(),
            _ => None,
        }) else {
            return;
        };
        if range.to < range.from || range.to < outer.from || range.from > outer.to {
            // Reported as an invalid range, or never in force.
            return;
        }
        let context = format!("rule `{}`", rule.name.name);
        if range.from > outer.from {
            let start = |p: Period| p.bounds_in(unit).0;
            if let Some(period) = split(unit, range.from, pooled, start) {
                // Boundaries the version can start on: within the ruleset, and
                // not after the version's own end.
                let days = boundaries([start(period), start(period.next())], outer.from, range.to);
                self.push(EffectiveSplitsPeriod {
                    what: "the start".to_owned(),
                    context: context.clone(),
                    date: range.from.to_string(),
                    period_kind: period_kind(period).to_owned(),
                    period: period.to_string(),
                    span: range.span.into(),
                    help: Some(format!(
                        "a period is scored by one version of a rule; start this version on a {kind}'s first day{days}, and end the version before it the day before{pooled}",
                        kind = period_kind(period),
                        pooled = pooled_note(unit, period),
                    )),
                });
            }
        }
        if range.to < outer.to {
            let end = |p: Period| p.bounds_in(unit).1;
            if let Some(period) = split(unit, range.to, pooled, end) {
                let days = boundaries([end(period.previous()), end(period)], range.from, outer.to);
                self.push(EffectiveSplitsPeriod {
                    what: "the end".to_owned(),
                    context,
                    date: range.to.to_string(),
                    period_kind: period_kind(period).to_owned(),
                    period: period.to_string(),
                    span: range.span.into(),
                    help: Some(format!(
                        "a period is scored by one version of a rule; end this version on a {kind}'s last day{days}, and start the next version the day after{pooled}",
                        kind = period_kind(period),
                        pooled = pooled_note(unit, period),
                    )),
                });
            }
        }
    }

    // ----- §6: conditions that can never hold ------------------------------

    /// A rule's `per … where` filter and `when` conditions together.
    fn rule_conditions(&mut self, rule: &Rule) {
        let context = format!("rule `{}`", rule.name.name);
        self.conjunction_never_holds(&context, rule.per.as_ref(), &rule.when);
    }

    fn conjunction_never_holds(&mut self, context: &str, per: Option<&Per>, when: &[Expr]) {
        let Some(scope) = self.condition_scope(per) else {
            return;
        };
        let mut conjuncts: Vec<&Expr> = Vec::new();
        if let Some(filter) = per.and_then(|p| p.filter.as_ref()) {
            flatten_and(filter, &mut conjuncts);
        }
        for condition in when {
            flatten_and(condition, &mut conjuncts);
        }
        if let Some((reason, span)) = self.contradiction(&conjuncts, scope) {
            self.push(NeverHolds {
                what: context.to_owned(),
                reason,
                span: span.into(),
                help: Some(
                    "its conditions can never all be true, so it never applies; correct the condition (a misspelt level or a missing `not` is common) or remove it"
                        .to_owned(),
                ),
            });
        }
    }

    /// The scope conditions under `per` see, or `None` when the record kind is
    /// unknown (already reported).
    fn condition_scope(&self, per: Option<&'a Per>) -> Option<Scope<'a>> {
        let record = match per {
            Some(per) if self.symbols.records.contains_key(per.kind.name.as_str()) => {
                Some(per.kind.name.as_str())
            }
            Some(_) => return None,
            None => None,
        };
        Some(Scope {
            record,
            allow_ranked: true,
            unit: true,
            lenient: false,
        })
    }

    /// Why a conjunction of conditions can never hold, and where, if the
    /// analysis can tell.
    fn contradiction(&mut self, conjuncts: &[&Expr], scope: Scope<'_>) -> Option<(String, Span)> {
        for c in conjuncts {
            if let Some(reason) = self.never_holds(c, scope) {
                return Some((reason, c.span));
            }
        }
        // `x` and `not x`.
        for (i, a) in conjuncts.iter().enumerate() {
            for b in conjuncts.iter().skip(i + 1) {
                let negation = |x: &Expr, y: &Expr| match &y.kind {
                    ExprKind::Unary(UnaryOp::Not, inner) => same(x, inner),
                    _ => false,
                };
                if negation(a, b) || negation(b, a) {
                    return Some((
                        format!(
                            "`{}` and `{}` cannot both hold",
                            self.quote(a.span),
                            self.quote(b.span)
                        ),
                        a.span.join(b.span),
                    ));
                }
            }
        }
        // One attribute equal to two different constants, or equal and unequal to one.
        let mut equal: Vec<(&Expr, Constant, Span)> = Vec::new();
        let mut unequal: Vec<(&Expr, Constant, Span)> = Vec::new();
        for c in conjuncts {
            let ExprKind::Binary(op @ (BinaryOp::Eq | BinaryOp::Ne), lhs, rhs) = &c.kind else {
                continue;
            };
            let Some((subject, value)) = self.subject_and_constant(lhs, rhs, scope) else {
                continue;
            };
            if *op == BinaryOp::Eq {
                equal.push((subject, value, c.span));
            } else {
                unequal.push((subject, value, c.span));
            }
        }
        for (i, (subject, value, span)) in equal.iter().enumerate() {
            let clash = equal
                .iter()
                .skip(i + 1)
                .find(|(s, v, _)| same(s, subject) && v != value)
                .or_else(|| {
                    unequal
                        .iter()
                        .find(|(s, v, _)| same(s, subject) && v == value)
                });
            if let Some((_, _, other)) = clash {
                return Some((
                    format!(
                        "`{}` and `{}` cannot both hold",
                        self.quote(*span),
                        self.quote(*other)
                    ),
                    span.join(*other),
                ));
            }
        }
        None
    }

    /// Why one condition can never hold, if the analysis can tell.
    fn never_holds(&mut self, expr: &Expr, scope: Scope<'_>) -> Option<String> {
        match &expr.kind {
            ExprKind::Bool(false) => Some("`false` never holds".to_owned()),
            ExprKind::Unary(UnaryOp::Not, inner) => self
                .always_holds(inner, scope)
                .then(|| format!("`{}` always holds", self.quote(inner.span))),
            ExprKind::Binary(BinaryOp::And, _, _) => {
                let mut conjuncts = Vec::new();
                flatten_and(expr, &mut conjuncts);
                self.contradiction(&conjuncts, scope)
                    .map(|(reason, _)| reason)
            }
            ExprKind::Binary(BinaryOp::Or, lhs, rhs) => {
                let left = self.never_holds(lhs, scope)?;
                let right = self.never_holds(rhs, scope)?;
                Some(format!("neither side of `or` can hold ({left}; {right})"))
            }
            ExprKind::Binary(op, lhs, rhs) => {
                let reversed = match op {
                    BinaryOp::Lt => BinaryOp::Gt,
                    BinaryOp::Le => BinaryOp::Ge,
                    BinaryOp::Gt => BinaryOp::Lt,
                    BinaryOp::Ge => BinaryOp::Le,
                    other => *other,
                };
                let impossible = |this: &mut Self, subject: &Expr, op: BinaryOp, bound: &Expr| {
                    let value = constant(bound)?;
                    if !this.non_negative(subject, scope) {
                        return None;
                    }
                    let never = match op {
                        BinaryOp::Lt => value <= Decimal::ZERO,
                        BinaryOp::Le | BinaryOp::Eq => value < Decimal::ZERO,
                        _ => false,
                    };
                    never.then(|| {
                        format!(
                            "`{}` is never negative, so `{}` never holds",
                            this.quote(subject.span),
                            this.quote(expr.span)
                        )
                    })
                };
                impossible(self, lhs, *op, rhs).or_else(|| impossible(self, rhs, reversed, lhs))
            }
            _ => None,
        }
    }

    /// Whether a condition always holds (as far as the analysis can tell).
    fn always_holds(&mut self, expr: &Expr, scope: Scope<'_>) -> bool {
        match &expr.kind {
            ExprKind::Bool(true) => true,
            ExprKind::Unary(UnaryOp::Not, inner) => self.never_holds(inner, scope).is_some(),
            ExprKind::Binary(BinaryOp::Or, lhs, rhs) => {
                let negation = |x: &Expr, y: &Expr| match &y.kind {
                    ExprKind::Unary(UnaryOp::Not, inner) => same(x, inner),
                    _ => false,
                };
                negation(lhs, rhs)
                    || negation(rhs, lhs)
                    || self.always_holds(lhs, scope)
                    || self.always_holds(rhs, scope)
            }
            ExprKind::Binary(BinaryOp::And, lhs, rhs) => {
                self.always_holds(lhs, scope) && self.always_holds(rhs, scope)
            }
            _ => false,
        }
    }

    /// Whether an expression's value is never negative: `count(…)`, the
    /// record's own `count`, `abs(…)`.
    fn non_negative(&mut self, expr: &Expr, scope: Scope<'_>) -> bool {
        match &expr.kind {
            ExprKind::Count { .. } => true,
            ExprKind::Call { function, .. } => function.name == "abs",
            ExprKind::Path(path) => match path.as_slice() {
                // Inside a record's scope, `count` is always the record's own.
                [name] if name.name == "count" => scope.record.is_some(),
                _ => false,
            },
            _ => false,
        }
    }

    /// In `a == b`, the attribute compared and the constant it is compared
    /// with: a literal, or a bare name that is not in scope (a level's name).
    fn subject_and_constant<'e>(
        &mut self,
        lhs: &'e Expr,
        rhs: &'e Expr,
        scope: Scope<'_>,
    ) -> Option<(&'e Expr, Constant)> {
        let left = self.as_constant(lhs, scope);
        let right = self.as_constant(rhs, scope);
        match (left, right) {
            (None, Some(value)) if is_attribute(lhs) => Some((lhs, value)),
            (Some(value), None) if is_attribute(rhs) => Some((rhs, value)),
            _ => None,
        }
    }

    fn as_constant(&mut self, expr: &Expr, scope: Scope<'_>) -> Option<Constant> {
        match &expr.kind {
            ExprKind::Number(_) | ExprKind::Unary(UnaryOp::Neg, _) => {
                constant(expr).map(|n| Constant::Number(n.normalize()))
            }
            ExprKind::Text(t) => Some(Constant::Text(t.clone())),
            ExprKind::Bool(b) => Some(Constant::Bool(*b)),
            ExprKind::Date(d) => Some(Constant::Date(*d)),
            ExprKind::Path(path) => match path.as_slice() {
                [name] if !self.name_in_scope(&name.name, scope) => {
                    Some(Constant::Level(name.name.clone()))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether a bare name is an attribute or built-in visible in `scope`
    /// (otherwise it is a level's name, or unknown and already reported).
    fn name_in_scope(&self, name: &str, scope: Scope<'_>) -> bool {
        let record = scope
            .record
            .and_then(|kind| self.symbols.records.get(kind))
            .is_some_and(|r| r.attributes.contains_key(name));
        record
            || (scope.unit && self.symbols.unit_attributes.contains_key(name))
            || super::expr::BUILTIN_NAMES.contains(&name)
    }

    // ----- §6: classes that can never be given -----------------------------

    fn unreachable_classes(&mut self, decl: &ClassifyDecl) {
        let scope = Scope {
            record: None,
            allow_ranked: true,
            unit: true,
            lenient: false,
        };
        for (i, arm) in decl.arms.iter().enumerate() {
            let Some(when) = &arm.when else { continue };
            let what = format!("class `{}` of `{}`", arm.name.name, decl.name.name);
            let mut conjuncts = Vec::new();
            flatten_and(when, &mut conjuncts);
            let reason = self
                .contradiction(&conjuncts, scope)
                .map(|(reason, _)| reason)
                .or_else(|| {
                    decl.arms.iter().take(i).find_map(|earlier| {
                        let earlier_when = earlier.when.as_ref()?;
                        let takes_all = same(earlier_when, when)
                            || self.always_holds(earlier_when, scope);
                        takes_all.then(|| {
                            format!(
                                "the earlier class `{}` takes every unit it would get (first match wins)",
                                earlier.name.name
                            )
                        })
                    })
                });
            if let Some(reason) = reason {
                self.push(NeverHolds {
                    what,
                    reason,
                    span: arm.span.into(),
                    help: Some(
                        "no unit can ever get this class; correct its condition or the order of the classes"
                            .to_owned(),
                    ),
                });
            }
        }
    }

    // ----- §6: amounts -----------------------------------------------------

    fn zero_amount(&mut self, rule: &Rule) {
        let Some((amount, span)) = rule.amount.first() else {
            return;
        };
        let zero = match amount {
            Amount::Expr(expr) => constant(expr).is_some_and(|n| n.is_zero()),
            Amount::ByLevel { entries, .. } => {
                !entries.is_empty() && entries.iter().all(|(_, n)| n.value.is_zero())
            }
            Amount::ByRank { top, bottom, .. } => {
                !(top.is_empty() && bottom.is_empty())
                    && top.iter().chain(bottom).all(|n| n.value.is_zero())
            }
            Amount::Discretion { from, to } => from.value.is_zero() && to.value.is_zero(),
        };
        if zero {
            self.push(ZeroAmount {
                rule: rule.name.name.clone(),
                span: (*span).into(),
            });
        }
    }

    /// Refuses the record's own `count` (or an attribute derived from it) in a
    /// `per` rule's amount or `times` factor: the amount of one occurrence is
    /// multiplied by `count` already, so `amount count` with count 3 would
    /// deduct 9.
    fn count_in_amount(&mut self, rule: &Rule) {
        let Some(per) = &rule.per else { return };
        let Some(info) = self.symbols.records.get(per.kind.name.as_str()) else {
            return;
        };
        // `count` and the derived attributes computed from it, to a fixed point.
        let mut tainted: BTreeSet<String> = BTreeSet::from(["count".to_owned()]);
        loop {
            let before = tainted.len();
            for derived in &info.decl.derived {
                if uses_name(&derived.expr, &tainted).is_some() {
                    tainted.insert(derived.name.name.clone());
                }
            }
            if tainted.len() == before {
                break;
            }
        }
        let mut found: Vec<(&str, &Ident)> = Vec::new();
        if let Some((Amount::Expr(expr), _)) = rule.amount.first() {
            if let Some(name) = uses_name(expr, &tainted) {
                found.push(("the amount", name));
            }
        }
        for times in &rule.times {
            if let Some(name) = uses_name(&times.factor, &tainted) {
                found.push(("a `times` factor", name));
            }
        }
        // `count(kind)` or `sum(kind, …)` over the rule's own `per` kind in the
        // amount: every record's amount would count all the records again
        // (each of 3 records would deduct 3: 9 in all), and `sum(kind, count)`
        // squares the counts.
        if let Some((Amount::Expr(expr), _)) = rule.amount.first() {
            if let Some(kind) = aggregate_over(expr, &per.kind.name) {
                self.push(CountInAmount {
                    what: "the amount".to_owned(),
                    rule: rule.name.name.clone(),
                    name: format!("{}(…)", kind.0),
                    span: kind.1.span.into(),
                    help: Some(format!(
                        "`{}({}…)` adds up every `{}` record of the unit, and the rule applies its amount once per `{}` record (times its `count`), so the records are counted twice (3 records would give 3 × 3); write the amount of ONE record, or drop `per {}` to apply an amount computed from all of them once",
                        kind.0, per.kind.name, per.kind.name, per.kind.name, per.kind.name
                    )),
                });
            }
        }
        for (what, name) in found {
            let via = if name.name == "count" {
                String::new()
            } else {
                format!(" (`{}` is computed from `count`)", name.name)
            };
            self.push(CountInAmount {
                what: what.to_owned(),
                rule: rule.name.name.clone(),
                name: name.name.clone(),
                span: name.span.into(),
                help: Some(format!(
                    "write the amount of ONE occurrence: every occurrence is already multiplied by its record's `count` (amount `count` with count 3 would give 9){via}; to make the amount depend on the count, use a condition: `times 2 when count >= 3`"
                )),
            });
        }
    }

    // ----- §6: limits ------------------------------------------------------

    /// `cap bonuses N` never binds when the category's bonus rules are capped
    /// at N or less in total by their own caps (or, per period, by a constant
    /// amount a rule without `per` applies at most once).
    fn bonus_cap_binds(&mut self, category: &Category) {
        let Some((cap, scope, _)) = &category.bonus_cap else {
            return;
        };
        if cap.value <= Decimal::ZERO {
            return;
        }
        let rules: Vec<&Rule> = category
            .rules
            .iter()
            .filter(|r| matches!(r.kind, RuleKind::Bonus | RuleKind::Adjust))
            .collect();
        if rules.is_empty() {
            // Reported as a cap over no bonus rules.
            return;
        }
        let mut total = Some(Decimal::ZERO);
        for rule in rules {
            let own = bonus_bound(rule, *scope);
            total = match (total, own) {
                (Some(sum), Some(own)) => sum.checked_add(own),
                _ => None,
            };
        }
        if let Some(sum) = total {
            if sum <= cap.value {
                self.push(NeverBinds {
                    what: format!("`cap bonuses {}`", cap.value),
                    reason: format!(
                        "the bonus rules of category `{}` are capped at {} in total by their own caps",
                        category.name.name,
                        sum.normalize()
                    ),
                    span: cap.span.into(),
                    help: Some(
                        "remove the category's cap, or correct the rules' caps or amounts if the rulebook means the category's cap to bind"
                            .to_owned(),
                    ),
                });
            }
        }
    }

    // ----- §6: labels ------------------------------------------------------

    fn duplicate_labels(&mut self, category: &Category) {
        let mut seen: BTreeMap<&str, (&str, Span)> = BTreeMap::new();
        for rule in &category.rules {
            let Some(label) = &rule.label else { continue };
            match seen.get(label.text.as_str()) {
                Some((first, _)) if *first == rule.name.name => {}
                Some((first, first_span)) => {
                    let (first, first_span) = (*first, *first_span);
                    self.push(DuplicateLabel {
                        category: category.name.name.clone(),
                        label: format!("\"{}\"", label.text),
                        first: first.to_owned(),
                        rule: rule.name.name.clone(),
                        span: label.span.into(),
                        first_span: first_span.into(),
                    });
                }
                None => {
                    seen.insert(&label.text, (&rule.name.name, label.span));
                }
            }
        }
    }

    fn quote(&self, span: Span) -> String {
        let text = self.text.get(span.start..span.end).unwrap_or("");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// The most a rule can add in one `scope` (a period, or the year so far), if
/// its own caps or shape bound it.
fn bonus_bound(rule: &Rule, scope: CapScope) -> Option<Decimal> {
    let caps = rule
        .caps
        .iter()
        .filter(|(_, s, _)| scope == CapScope::Period || *s == CapScope::Year)
        .map(|(n, _, _)| n.value)
        .min();
    let once = match (scope, &rule.per, rule.times.is_empty(), rule.amount.first()) {
        (CapScope::Period, None, true, Some((Amount::Expr(expr), _))) => {
            constant(expr).map(|n| n.max(Decimal::ZERO))
        }
        _ => None,
    };
    match (caps, once) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A constant condition operand.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Constant {
    Number(Decimal),
    Text(String),
    Bool(bool),
    Date(Date),
    Level(String),
}

/// Whether an expression is a plain attribute reference (`level`, `unit.level`).
fn is_attribute(expr: &Expr) -> bool {
    matches!(&expr.kind, ExprKind::Path(path) if !path.is_empty())
}

/// The conjuncts of `a and b and …`.
fn flatten_and<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &expr.kind {
        ExprKind::Binary(BinaryOp::And, lhs, rhs) => {
            flatten_and(lhs, out);
            flatten_and(rhs, out);
        }
        _ => out.push(expr),
    }
}

/// Whether two expressions are the same, spans aside. Conservative: when in
/// doubt they are not the same, so the analysis can only miss a
/// contradiction, never invent one.
fn same(a: &Expr, b: &Expr) -> bool {
    match (&a.kind, &b.kind) {
        (ExprKind::Number(x), ExprKind::Number(y)) => x == y,
        (ExprKind::Date(x), ExprKind::Date(y)) => x == y,
        (ExprKind::Text(x), ExprKind::Text(y)) => x == y,
        (ExprKind::Bool(x), ExprKind::Bool(y)) => x == y,
        (ExprKind::Path(x), ExprKind::Path(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.name == q.name)
        }
        (ExprKind::Unary(o, x), ExprKind::Unary(p, y)) => o == p && same(x, y),
        (ExprKind::Binary(o, x1, x2), ExprKind::Binary(p, y1, y2)) => {
            o == p && same(x1, y1) && same(x2, y2)
        }
        (
            ExprKind::Call {
                function: f,
                args: x,
            },
            ExprKind::Call {
                function: g,
                args: y,
            },
        ) => f.name == g.name && x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (ExprKind::If(c1, t1, e1), ExprKind::If(c2, t2, e2)) => {
            same(c1, c2) && same(t1, t2) && same(e1, e2)
        }
        (
            ExprKind::Count {
                kind: k1,
                filter: f1,
                earlier: b1,
            },
            ExprKind::Count {
                kind: k2,
                filter: f2,
                earlier: b2,
            },
        ) => {
            k1.name == k2.name
                && b1.as_ref().map(|b| b.value) == b2.as_ref().map(|b| b.value)
                && same_optional(f1.as_deref(), f2.as_deref())
        }
        (
            ExprKind::Sum {
                kind: k1,
                value: v1,
                filter: f1,
                earlier: b1,
            },
            ExprKind::Sum {
                kind: k2,
                value: v2,
                filter: f2,
                earlier: b2,
            },
        ) => {
            k1.name == k2.name
                && b1.as_ref().map(|b| b.value) == b2.as_ref().map(|b| b.value)
                && same(v1, v2)
                && same_optional(f1.as_deref(), f2.as_deref())
        }
        (
            ExprKind::Ranked {
                side: s1,
                places: p1,
                periods: n1,
                ranking: r1,
                ties: t1,
                window: w1,
            },
            ExprKind::Ranked {
                side: s2,
                places: p2,
                periods: n2,
                ranking: r2,
                ties: t2,
                window: w2,
            },
        ) => {
            s1 == s2
                && p1.value == p2.value
                && n1.value == n2.value
                && t1 == t2
                && w1 == w2
                && r1.as_ref().map(|r| &r.name) == r2.as_ref().map(|r| &r.name)
        }
        _ => false,
    }
}

fn same_optional(a: Option<&Expr>, b: Option<&Expr>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same(a, b),
        _ => false,
    }
}

/// The value of a constant number (`5`, `-5`, `0.5`).
fn constant(expr: &Expr) -> Option<Decimal> {
    match &expr.kind {
        ExprKind::Number(n) => Some(*n),
        ExprKind::Unary(UnaryOp::Neg, inner) => constant(inner).map(|n| -n),
        _ => None,
    }
}

/// The first bare name of `names` used as a value in `expr` in the record's
/// own scope (not inside `count(…)`, `sum(…)` or `previous(…)`, which see
/// other records, nor in an `if` condition or a comparison, which do not
/// multiply by it).
fn uses_name<'e>(expr: &'e Expr, names: &BTreeSet<String>) -> Option<&'e Ident> {
    match &expr.kind {
        ExprKind::Path(path) => match path.as_slice() {
            [name] if names.contains(&name.name) => Some(name),
            _ => None,
        },
        ExprKind::Unary(UnaryOp::Neg, inner) => uses_name(inner, names),
        ExprKind::Binary(
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div,
            lhs,
            rhs,
        ) => uses_name(lhs, names).or_else(|| uses_name(rhs, names)),
        // `if count >= 3 then 2 else 1`: a condition on the count does not
        // multiply by it.
        ExprKind::If(_, t, e) => uses_name(t, names).or_else(|| uses_name(e, names)),
        ExprKind::Call { function, args } if function.name != "previous" => {
            args.iter().find_map(|a| uses_name(a, names))
        }
        _ => None,
    }
}

/// A `count(kind …)` or `sum(kind, …)` over `kind` in a position of `expr`
/// that scales the amount (not inside a condition): the aggregate's name and
/// its kind's identifier.
fn aggregate_over<'e>(expr: &'e Expr, kind: &str) -> Option<(&'static str, &'e Ident)> {
    match &expr.kind {
        ExprKind::Count { kind: k, .. } if k.name == kind => Some(("count", k)),
        ExprKind::Sum { kind: k, .. } if k.name == kind => Some(("sum", k)),
        ExprKind::Unary(UnaryOp::Neg, inner) => aggregate_over(inner, kind),
        ExprKind::Binary(
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div,
            lhs,
            rhs,
        ) => aggregate_over(lhs, kind).or_else(|| aggregate_over(rhs, kind)),
        ExprKind::If(_, t, e) => aggregate_over(t, kind).or_else(|| aggregate_over(e, kind)),
        ExprKind::Call { function, args } if function.name != "previous" => {
            args.iter().find_map(|a| aggregate_over(a, kind))
        }
        _ => None,
    }
}

/// The period `date` falls inside of instead of on its `bound` (its first or
/// last day): the period containing it, else, with a pooled year, that year
/// (for weeks the ISO week-year of the week).
fn split(
    unit: PeriodUnit,
    date: Date,
    pooled: bool,
    bound: impl Fn(Period) -> Date,
) -> Option<Period> {
    let containing = Period::containing(unit, date);
    let year = Period::Year(containing.year());
    std::iter::once(containing)
        .chain(pooled.then_some(year))
        .find(|p| bound(*p) != date)
}

/// ", 2026-03-31 or 2026-04-30": the candidate days within `from..=to`.
fn boundaries(candidates: [Date; 2], from: Date, to: Date) -> String {
    let days: Vec<String> = candidates
        .iter()
        .filter(|d| **d >= from && **d <= to)
        .map(ToString::to_string)
        .collect();
    if days.is_empty() {
        String::new()
    } else {
        format!(", {}", days.join(" or "))
    }
}

fn period_kind(period: Period) -> &'static str {
    match period {
        Period::Month { .. } => "month",
        Period::Quarter { .. } => "quarter",
        Period::Half { .. } => "half-year",
        Period::Week { .. } => "week",
        Period::Year(_) => "year",
    }
}

/// Why a year is one period, when it is the annual year of a ruleset with
/// shorter periods (under `period year` the year simply is the period).
fn pooled_note(unit: PeriodUnit, period: Period) -> &'static str {
    match period {
        Period::Year(_) if unit != PeriodUnit::Year => {
            " (the year is scored as one period because of `annual { from pooled records }`; to change a rule within the year, score the year `from sum of periods`)"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use crate::source::SourceFile;

    /// A ruleset with `period` as its period block, `annual` after the score,
    /// and `rules` in its one category; the codes the checker reports.
    fn codes(period: &str, annual: &str, rules: &str) -> Vec<String> {
        let text = format!(
            r#"ruleset t {{
  title "t" issuer "t" source "t"
  effective 2026-01-01 to 2026-12-31
}}
levels tier "级别" {{ central "中央"  provincial "省级"  city "市级" }}
group lead "牵头单位" [T-1] {{ attribute level: tier "级别" }}
record report "报送" {{
  due: date "截止"
  submitted: date "报送"
  points: integer "分值"
  derive late = submitted > due [T-1]
  derive doubled = count * 2 [T-1]
}}
{period}
score [T-1] {{
  base 100 [T-1]
  category daily "日常" [T-1] {{
{rules}
  }}
}}
{annual}
ranking m "排名" of lead [T-1] {{ by total desc [T-1]  ties shared [T-1] }}
"#
        );
        let checked = crate::check::check(&SourceFile::new("t.rules", text));
        checked.diagnostics.iter().map(|d| d.code_str()).collect()
    }

    const MONTH: &str = "period month [T-1] { amendable [T-1] }";
    const QUARTER: &str = "period quarter [T-1] { amendable [T-1] }";

    fn versions(split_end: &str, split_start: &str) -> String {
        format!(
            r#"    deduct late_data "迟报" [T-1] {{ per report where late amount 2 effective 2026-01-01 to {split_end} }}
    deduct late_data "迟报" [T-1] {{ per report where late amount 4 effective {split_start} to 2026-12-31 }}"#
        )
    }

    fn count(codes: &[String], code: &str) -> usize {
        codes.iter().filter(|c| *c == code).count()
    }

    #[test]
    fn a_version_boundary_inside_a_period_of_any_kind_is_an_error() {
        let splits = "kaohe::effective_splits_period";
        // The issue's example: April would be scored by both versions.
        assert_eq!(
            count(
                &codes(MONTH, "", &versions("2026-04-14", "2026-04-15")),
                splits
            ),
            2
        );
        // On a month boundary: fine monthly, but inside the second quarter.
        assert_eq!(
            count(
                &codes(MONTH, "", &versions("2026-04-30", "2026-05-01")),
                splits
            ),
            0
        );
        assert_eq!(
            count(
                &codes(QUARTER, "", &versions("2026-04-30", "2026-05-01")),
                splits
            ),
            2
        );
        assert_eq!(
            count(
                &codes(QUARTER, "", &versions("2026-06-30", "2026-07-01")),
                splits
            ),
            0
        );
        // The year is one period when it is scored from pooled records.
        let pooled = "annual [T-1] { from pooled records [T-1] }";
        let summed = "annual [T-1] { from sum of periods [T-1] }";
        assert_eq!(
            count(
                &codes(MONTH, pooled, &versions("2026-06-30", "2026-07-01")),
                splits
            ),
            2
        );
        assert_eq!(
            count(
                &codes(MONTH, summed, &versions("2026-06-30", "2026-07-01")),
                splits
            ),
            0
        );
        // A lone rule in force from mid-month also splits the month.
        let lone = r#"    deduct late_data "迟报" [T-1] { per report where late amount 2 effective 2026-03-10 to 2026-12-31 }"#;
        assert_eq!(count(&codes(MONTH, "", lone), splits), 1);
    }

    #[test]
    fn the_ruleset_s_own_bounds_may_fall_inside_a_period() {
        let text = r#"ruleset t {
  title "t" issuer "t" source "t"
  effective 2026-07-13 to 2026-12-20
}
group lead "牵头单位" [T-1] { }
record report "报送" { late: bool "迟报" }
period month [T-1] { amendable [T-1] }
score [T-1] {
  base 100 [T-1]
  category daily "日常" [T-1] {
    deduct a "迟报" [T-1] { per report where late amount 2 effective 2026-07-13 to 2026-09-30 }
    deduct a "迟报" [T-1] { per report where late amount 3 effective 2026-10-01 to 2026-12-20 }
  }
}
ranking m "排名" of lead [T-1] { by total desc [T-1]  ties shared [T-1] }
"#;
        let checked = crate::check::check(&SourceFile::new("t.rules", text));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    }

    fn one_rule(condition: &str, amount: &str) -> Vec<String> {
        codes(
            MONTH,
            "",
            &format!(
                r#"    deduct r "迟报" [T-1] {{ per report where {condition} amount {amount} }}"#
            ),
        )
    }

    #[test]
    fn conditions_that_can_never_hold_are_found() {
        for condition in [
            "false",
            "late and not late",
            "late and points > 1 and not late",
            "unit.level == provincial and unit.level == city",
            "provincial == unit.level and unit.level != provincial",
            "count(report) < 0",
            "0 > count(report where late)",
            "count <= -1",
            "abs(points) == -2",
            "not (late or not late)",
            "false or count(report) < 0",
            "late and (false and late)",
        ] {
            let found = one_rule(condition, "1");
            assert_eq!(
                count(&found, "kaohe::never_holds"),
                1,
                "`{condition}`: {found:?}"
            );
        }
    }

    #[test]
    fn conditions_that_can_hold_are_not_reported() {
        for condition in [
            "true",
            "late and not (points > 1)",
            "unit.level == provincial or unit.level == city",
            "unit.level == provincial and unit.level != city",
            "unit.level == provincial and unit.level == provincial",
            "count(report) <= 0",
            "count(report) == 0",
            "points < 0",
            "late or false",
            "not late",
            "points == 1 and points == 1.0",
        ] {
            let found = one_rule(condition, "1");
            assert_eq!(
                count(&found, "kaohe::never_holds"),
                0,
                "`{condition}`: {found:?}"
            );
        }
    }

    #[test]
    fn the_record_s_count_in_an_amount_is_refused() {
        for amount in [
            "count",
            "count * 2",
            "min(count, 3)",
            "doubled",
            "if late then count else 1",
            // An aggregate over the rule's own `per` kind counts every record
            // again for each record (3 records: 3 × 3).
            "count(report where late)",
            "sum(report, count)",
        ] {
            let found = one_rule("late", amount);
            assert_eq!(
                count(&found, "kaohe::count_in_amount"),
                1,
                "`amount {amount}`: {found:?}"
            );
        }
        for amount in [
            "2",
            "points",
            "if count >= 3 then 2 else 1",
            "if count(report) >= 3 then 2 else 1",
        ] {
            let found = one_rule("late", amount);
            assert_eq!(
                count(&found, "kaohe::count_in_amount"),
                0,
                "`amount {amount}`: {found:?}"
            );
        }
        let times = codes(
            MONTH,
            "",
            r#"    deduct r "迟报" [T-1] { per report where late amount 1 times count when late [T-1] }"#,
        );
        assert_eq!(count(&times, "kaohe::count_in_amount"), 1, "{times:?}");
    }

    #[test]
    fn zero_amounts_are_reported() {
        assert_eq!(count(&one_rule("late", "0"), "kaohe::zero_amount"), 1);
        assert_eq!(count(&one_rule("late", "0.00"), "kaohe::zero_amount"), 1);
        assert_eq!(count(&one_rule("late", "0.5"), "kaohe::zero_amount"), 0);
        let table = codes(
            MONTH,
            "",
            r#"    bonus r "名次" [T-1] { per report amount by rank points of points { top 0, 0 } }"#,
        );
        assert_eq!(count(&table, "kaohe::zero_amount"), 1, "{table:?}");
        let table = codes(
            MONTH,
            "",
            r#"    bonus r "名次" [T-1] { per report amount by rank points of points { top 0, 1 } }"#,
        );
        assert_eq!(count(&table, "kaohe::zero_amount"), 0, "{table:?}");
    }

    fn bonus_cap(cap: &str, rules: &str) -> usize {
        let found = codes(
            MONTH,
            "",
            &format!("    allot 100\n    cap bonuses {cap} [T-1]\n{rules}"),
        );
        count(&found, "kaohe::never_binds")
    }

    #[test]
    fn a_bonus_cap_its_rules_keep_from_binding_is_reported() {
        let capped = r#"    bonus a "甲" [T-1] { per report where late amount 1 cap 2 per period [T-1] }
    bonus b "乙" [T-1] { per report where not late amount 1 cap 3 per year [T-1] }"#;
        assert_eq!(bonus_cap("5", capped), 1);
        assert_eq!(bonus_cap("4", capped), 0);
        assert_eq!(bonus_cap("5 per year", capped), 0);
        let once = r#"    bonus a "甲" [T-1] { when unit.level == city amount 2 }"#;
        assert_eq!(bonus_cap("2", once), 1);
        let uncapped = r#"    bonus a "甲" [T-1] { per report where late amount 1 }"#;
        assert_eq!(bonus_cap("2", uncapped), 0);
    }

    #[test]
    fn duplicate_labels_but_not_versions_are_reported() {
        let two = r#"    deduct a "迟报" [T-1] { per report where late amount 1 }
    deduct b "迟报" [T-1] { per report where not late amount 1 }"#;
        assert_eq!(count(&codes(MONTH, "", two), "kaohe::duplicate_label"), 1);
        assert_eq!(
            count(
                &codes(MONTH, "", &versions("2026-06-30", "2026-07-01")),
                "kaohe::duplicate_label"
            ),
            0
        );
    }
}
