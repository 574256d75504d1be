//! Evaluating expressions over a unit, its records and the ranking history.
//! Evaluation is total: no loops, no recursion beyond the (bounded) tree,
//! arithmetic is exact ([`Number`]: a quotient such as `1 / 3` is kept as a
//! fraction) and checked: it fails with an error instead of overflowing.

use std::cmp::Ordering;

use super::{EvalError, History, Place, Taint, UnitRecords};
use crate::date::Date;
use crate::facts::{Record, Unit};
use crate::number::Number;
use crate::period::Period;
use crate::ruleset::Ruleset;
use crate::syntax::ast::RankWindow;
use crate::syntax::ast::{
    BinaryOp, DateUnit, Expr, ExprKind, Ident, RankSide, RoundMode, TieBand, UnaryOp,
};
use crate::text::Text;
use crate::value::Value;

/// What an expression computes: a fact [`Value`], except that numbers are
/// exact [`Number`]s (a quotient need not terminate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    Absent,
    Bool(bool),
    Number(Number),
    Date(Date),
    Text(Text),
    Level(Text),
}

impl From<Value> for Val {
    fn from(value: Value) -> Val {
        match value {
            Value::Absent => Val::Absent,
            Value::Bool(b) => Val::Bool(b),
            Value::Number(n) => Val::Number(Number::from(n)),
            Value::Date(d) => Val::Date(d),
            Value::Text(t) => Val::Text(t),
            Value::Level(l) => Val::Level(l),
        }
    }
}

impl std::fmt::Display for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::Absent => f.write_str("(absent)"),
            Val::Bool(b) => write!(f, "{b}"),
            Val::Number(n) => write!(f, "{n}"),
            Val::Date(d) => write!(f, "{d}"),
            Val::Text(t) | Val::Level(t) => f.write_str(t),
        }
    }
}

/// What an expression can see.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub ruleset: &'a Ruleset,
    pub unit: &'a Unit,
    /// The unit's index in `Facts::units`.
    pub unit_index: usize,
    /// The record in scope (inside `per`, `count`, `sum`, `derive`).
    pub record: Option<&'a Record>,
    /// The unit's applied records in the evaluated period or year.
    pub records: &'a UnitRecords<'a>,
    pub as_of: Date,
    /// The evaluated period (a year for the annual assessment).
    pub scope: Period,
    pub history: &'a History<'a>,
    /// Whether line items list their records.
    pub detail: super::Detail,
    /// The measures of the evaluated period or year (issue 13 §4).
    pub measures: &'a super::measure::Measures,
    /// Inside `count(…)`/`sum(…)`: the record of the enclosing scope, which
    /// `this.x` reads (issue 13 §5).
    pub this: Option<&'a Record>,
    /// In consequences and outputs: the unit's total in the evaluated period
    /// or year, for `total` when no ranking places the unit.
    pub total: Option<Number>,
    /// In consequences and outputs: the unit's category results in the
    /// evaluated period or year, for `subtotal(c)` (issue 13 §10); empty elsewhere.
    pub categories: &'a [super::result::CategoryResult],
    /// The sub-assessments' results, for `petition.total` (issue 13 §11).
    pub inputs: &'a crate::input::Inputs,
    /// Marked when a place of a period left unranked is read (the unit's
    /// own taint: [`Taint`]).
    pub taint: &'a Taint,
}

impl<'a> Ctx<'a> {
    pub(crate) fn with_record(self, record: &'a Record) -> Ctx<'a> {
        Ctx {
            record: Some(record),
            ..self
        }
    }

    /// The records `count(kind …)` / `sum(kind, …)` go over: the unit's
    /// records of the kind in the evaluated period or year, or with `in
    /// previous N periods`, in the N periods (or years) before it (issue 13 §5).
    fn aggregated(
        &self,
        kind: &Ident,
        earlier: Option<&crate::syntax::ast::Integer>,
    ) -> Vec<&'a Record> {
        let Some(n) = earlier else {
            let index = self.ruleset.kind_index_by_name(&kind.name);
            return self.records.of_kind(index).to_vec();
        };
        let mut out = Vec::new();
        let mut period = self.scope;
        for _ in 0..n.value {
            period = period.previous();
            let records: Vec<&'a Record> = match period {
                Period::Year(year) => self.history.records_of_year(self.unit_index, year),
                p => self.history.records_of(self.unit_index, p).to_vec(),
            };
            out.extend(records.into_iter().filter(|r| r.kind.as_str() == kind.name));
        }
        out
    }

    /// The scope inside `count(…)`/`sum(…)` for one of its records: that
    /// record's attributes, and `this.` for the enclosing record.
    fn inside_aggregate(&self, record: &'a Record) -> Ctx<'a> {
        Ctx {
            this: self.record,
            ..self.with_record(record)
        }
    }

    fn error(&self, expr: &Expr, message: impl Into<String>) -> EvalError {
        EvalError {
            message: message.into(),
            unit: self.unit.id.to_string(),
            period: self.scope.to_string(),
            span: Some(expr.span),
            location: None,
            // Inside `per`, `count(…)`, `sum(…)`, `derive`: the record at hand.
            record: self.record.map(super::RecordAt::of),
            also: None,
        }
    }

    /// Whether some group declares the unit attribute `name`.
    fn declared_unit_attribute(&self, name: &str) -> bool {
        self.ruleset
            .groups()
            .any(|g| g.attributes.iter().any(|a| a.name.name == name))
    }

    /// Evaluates a condition.
    pub(crate) fn truth(&self, expr: &Expr) -> Result<bool, EvalError> {
        match self.eval(expr)? {
            Val::Bool(b) => Ok(b),
            Val::Absent => Ok(false),
            other => Err(self.error(expr, format!("expected a condition, found `{other}`"))),
        }
    }

    /// Evaluates a number.
    pub(crate) fn number(&self, expr: &Expr) -> Result<Number, EvalError> {
        match self.eval(expr)? {
            Val::Number(n) => Ok(n),
            Val::Absent => Err(self.error(
                expr,
                self.why_no_result(expr)
                    .unwrap_or_else(|| "a number is needed but the attribute is absent".to_owned()),
            )),
            other => Err(self.error(expr, format!("expected a number, found `{other}`"))),
        }
    }

    /// Why `rank`, `previous_total` or `previous_rank` (issue 13 §13), read
    /// as the unit's result, has no value, for the error of a number needed
    /// from it: in the first period there is no previous period; elsewhere
    /// the unit has no place in a ranking of that period. `None` for any
    /// other expression (and for an attribute of the same name).
    fn why_no_result(&self, expr: &Expr) -> Option<String> {
        let ExprKind::Path(path) = &expr.kind else {
            return None;
        };
        let [name] = path.as_slice() else {
            return None;
        };
        let name = name.name.as_str();
        let period = match name {
            "rank" => self.scope,
            "previous_total" | "previous_rank" => self.scope.previous(),
            _ => return None,
        };
        let shadowed = self.record.is_some_and(|r| {
            r.attributes.get(name).is_some()
                || self
                    .ruleset
                    .record_of_kind(&r.kind)
                    .is_some_and(|d| d.derived.iter().any(|x| x.name.name == name))
        }) || self.unit.attributes.get(name).is_some()
            || self.declared_unit_attribute(name);
        if shadowed {
            return None;
        }
        Some(if name != "rank" && !self.history.ranked_in(period) {
            format!(
                "`{name}` has no value: there is no previous period ({period} was not evaluated and ranked); guard the arithmetic with `present({name})`, which is false in the first period"
            )
        } else {
            format!(
                "`{name}` has no value: the unit has no place in a ranking of {period}; guard the arithmetic with `present({name})`"
            )
        })
    }

    pub(crate) fn eval(&self, expr: &Expr) -> Result<Val, EvalError> {
        Ok(match &expr.kind {
            ExprKind::Number(n) => Val::Number(Number::from(*n)),
            ExprKind::Date(d) => Val::Date(*d),
            ExprKind::Text(t) => Val::Text(t.as_str().into()),
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::Path(path) => self.path(path, expr)?,
            ExprKind::Unary(UnaryOp::Not, inner) => Val::Bool(!self.truth(inner)?),
            ExprKind::Unary(UnaryOp::Neg, inner) => Val::Number(-self.number(inner)?),
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, expr)?,
            ExprKind::Bands {
                subject,
                bands,
                otherwise,
            } => Val::Number(super::measure::band(
                self.number(subject)?,
                bands,
                otherwise.as_ref().map(|n| Number::from(n.value)),
            )),
            ExprKind::If(c, t, e) => {
                if self.truth(c)? {
                    self.eval(t)?
                } else {
                    self.eval(e)?
                }
            }
            ExprKind::Count {
                kind,
                filter,
                earlier,
            } => {
                let mut total = Number::ZERO;
                for record in self.aggregated(kind, earlier.as_ref()) {
                    let inner = self.inside_aggregate(record);
                    if filter.as_ref().map_or(Ok(true), |f| inner.truth(f))? {
                        total = total
                            .checked_add(Number::from(record.count))
                            .ok_or_else(|| self.error(expr, "count overflows"))?;
                    }
                }
                Val::Number(total)
            }
            ExprKind::Sum {
                kind,
                value,
                filter,
                earlier,
            } => {
                let mut total = Number::ZERO;
                for record in self.aggregated(kind, earlier.as_ref()) {
                    let inner = self.inside_aggregate(record);
                    if filter.as_ref().map_or(Ok(true), |f| inner.truth(f))? {
                        let v = inner
                            .number(value)?
                            .checked_mul(Number::from(record.count))
                            .ok_or_else(|| self.error(expr, "sum overflows"))?;
                        total = total
                            .checked_add(v)
                            .ok_or_else(|| self.error(expr, "sum overflows"))?;
                    }
                }
                Val::Number(total)
            }
            ExprKind::Call { function, args } => self.call(function, args, expr)?,
            ExprKind::Duration { unit, .. } => {
                // The checker allows it only after `date +` / `date -`.
                return Err(self.error(
                    expr,
                    format!("`{}` makes a length of time, which is only added to or subtracted from a date", unit.word()),
                ));
            }
            ExprKind::Ranked {
                side,
                places,
                periods,
                ranking,
                ties,
                window: RankWindow::Consecutive,
            } => {
                Val::Bool(self.ranked(*side, places.value, periods.value, ranking.as_ref(), *ties))
            }
            ExprKind::Ranked {
                side,
                places,
                periods,
                ranking,
                ties,
                window: RankWindow::ThisYear,
            } => Val::Bool(self.ranked_this_year(
                *side,
                places.value,
                periods.value,
                ranking.as_ref(),
                *ties,
            )),
        })
    }

    /// The ranking `ranked …` reads: the named one, or the only per-period
    /// one (the checker ensures there is exactly one).
    fn ranking_index(&self, ranking: Option<&Ident>) -> Option<usize> {
        self.ruleset.rankings().position(|r| match ranking {
            Some(name) => r.name.name == name.name,
            None => r.scope == crate::syntax::ast::CapScope::Period,
        })
    }

    fn ranked(
        &self,
        side: RankSide,
        places: u32,
        periods: u32,
        ranking: Option<&Ident>,
        ties: TieBand,
    ) -> bool {
        let Some(index) = self.ranking_index(ranking) else {
            return false;
        };
        let mut period = self.scope;
        for _ in 0..periods {
            let Some(place) = self
                .history
                .place(index, period, self.unit_index, self.taint)
            else {
                return false;
            };
            let inside = in_band(side, places, place, ties);
            if !inside {
                return false;
            }
            period = period.previous();
        }
        true
    }

    /// `total`, `rank`, `previous_total`, `previous_rank` in a consequence's
    /// condition (issue 13 §13): the unit's total and published rank in its
    /// first ranking (in declaration order) that ranked it, in the evaluated
    /// period or the one before; absent when it has no place there. `None` for
    /// any other name.
    fn result_name(&self, name: &str) -> Option<Val> {
        let (period, want_rank) = match name {
            "total" => (self.scope, false),
            "rank" => (self.scope, true),
            "previous_total" => (self.scope.previous(), false),
            "previous_rank" => (self.scope.previous(), true),
            _ => return None,
        };
        let place = (0..self.ruleset.rankings().count()).find_map(|index| {
            self.history
                .place(index, period, self.unit_index, self.taint)
        });
        Some(match place {
            Some(place) if want_rank => Val::Number(Number::from(place.rank)),
            Some(Place {
                total: Some(total), ..
            }) => Val::Number(total),
            // The unit's own total, known even where no ranking places it.
            _ if name == "total" => self.total.map_or(Val::Absent, Val::Number),
            _ => Val::Absent,
        })
    }

    /// `ranked bottom 3 in 3 periods this year`: in a month or quarter, whether
    /// the unit is in the band in this period and was in it in at least
    /// `periods` of the ranked periods of the calendar year up to and including
    /// this one; for a year (a `per year` consequence), whether it was in the
    /// band in at least `periods` periods of that year (issue 13 §1). The count
    /// starts again each year; a period without a place for the unit (not
    /// ranked, not evaluated) does not count.
    fn ranked_this_year(
        &self,
        side: RankSide,
        places: u32,
        periods: u32,
        ranking: Option<&Ident>,
        ties: TieBand,
    ) -> bool {
        let Some(index) = self.ranking_index(ranking) else {
            return false;
        };
        let year = self.scope.year();
        let whole_year = matches!(self.scope, Period::Year(_));
        let mut period = match self.scope {
            Period::Year(y) => Period::last_of_year(self.ruleset.period_unit(), y),
            p => p,
        };
        if !whole_year {
            let now = self
                .history
                .place(index, period, self.unit_index, self.taint);
            if !now.is_some_and(|place| in_band(side, places, place, ties)) {
                return false;
            }
        }
        let mut count: u32 = 0;
        // At most 53 weeks (12 months, 4 quarters, 2 halves) lie in one year;
        // the bound also ends the walk for a scope that is a whole year.
        for _ in 0..53 {
            if period.year() != year {
                break;
            }
            if let Some(place) = self
                .history
                .place(index, period, self.unit_index, self.taint)
            {
                if in_band(side, places, place, ties) {
                    count += 1;
                }
            }
            let earlier = period.previous();
            if earlier == period {
                break;
            }
            period = earlier;
        }
        count >= periods
    }

    fn binary(&self, op: BinaryOp, lhs: &Expr, rhs: &Expr, whole: &Expr) -> Result<Val, EvalError> {
        match op {
            BinaryOp::And => return Ok(Val::Bool(self.truth(lhs)? && self.truth(rhs)?)),
            BinaryOp::Or => return Ok(Val::Bool(self.truth(lhs)? || self.truth(rhs)?)),
            BinaryOp::Add | BinaryOp::Sub => {
                if let ExprKind::Duration { amount, unit } = &rhs.kind {
                    return self.shift(op, lhs, amount, *unit, whole);
                }
            }
            _ => {}
        }
        if matches!(
            op,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        ) {
            let (left, right) = self.comparands(lhs, rhs)?;
            if left == Val::Absent || right == Val::Absent {
                return Ok(Val::Bool(false));
            }
            let ordering = self.compare(&left, &right);
            let result = match op {
                BinaryOp::Eq => ordering == Some(Ordering::Equal),
                BinaryOp::Ne => ordering != Some(Ordering::Equal),
                BinaryOp::Lt => ordering == Some(Ordering::Less),
                BinaryOp::Le => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
                BinaryOp::Gt => ordering == Some(Ordering::Greater),
                _ => matches!(ordering, Some(Ordering::Greater | Ordering::Equal)),
            };
            return Ok(Val::Bool(result));
        }
        let a = self.number(lhs)?;
        let b = self.number(rhs)?;
        let result = match op {
            BinaryOp::Add => a.checked_add(b),
            BinaryOp::Sub => a.checked_sub(b),
            BinaryOp::Mul => a.checked_mul(b),
            _ => {
                if b.is_zero() {
                    return Err(self.error(whole, "division by zero"));
                }
                a.checked_div(b)
            }
        };
        result.map(Val::Number).ok_or_else(|| {
            self.error(
                whole,
                format!(
                    "`{}` overflows: the exact value needs more than 128 bits",
                    op.symbol()
                ),
            )
        })
    }

    /// Both sides of a comparison; a bare name that is not in scope is a level name.
    fn comparands(&self, lhs: &Expr, rhs: &Expr) -> Result<(Val, Val), EvalError> {
        // The value of a side, or the bare name when nothing is called that here.
        let side = |e: &Expr| -> Result<Result<Val, Text>, EvalError> {
            match &e.kind {
                ExprKind::Path(p) => match p.as_slice() {
                    [name] => match self.lookup(&name.name) {
                        Some(value) => value.map(Ok),
                        None => Ok(Err(Text::from(name.name.as_str()))),
                    },
                    _ => self.eval(e).map(Ok),
                },
                _ => self.eval(e).map(Ok),
            }
        };
        match (side(lhs)?, side(rhs)?) {
            (Ok(left), Ok(right)) => Ok((left, right)),
            (Err(level), Ok(right)) => Ok((Val::Level(level), right)),
            (Ok(left), Err(level)) => Ok((left, Val::Level(level))),
            // Two bare names: the left one has no value.
            (Err(_), Err(_)) => self.eval(lhs).map(|left| (left, Val::Absent)),
        }
    }

    fn compare(&self, a: &Val, b: &Val) -> Option<Ordering> {
        match (a, b) {
            (Val::Number(x), Val::Number(y)) => Some(x.cmp(y)),
            (Val::Date(x), Val::Date(y)) => Some(x.cmp(y)),
            (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
            (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
            (Val::Level(x), Val::Level(y)) => {
                if x == y {
                    return Some(Ordering::Equal);
                }
                // Levels are declared highest first.
                self.ruleset
                    .syntax()
                    .items
                    .iter()
                    .find_map(|item| match item {
                        crate::syntax::ast::Item::Levels(l) => {
                            let i = l.levels.iter().position(|d| &d.name.name == x)?;
                            let j = l.levels.iter().position(|d| &d.name.name == y)?;
                            Some(j.cmp(&i))
                        }
                        _ => None,
                    })
            }
            _ => None,
        }
    }

    fn call(&self, function: &Ident, args: &[Expr], whole: &Expr) -> Result<Val, EvalError> {
        match (function.name.as_str(), args) {
            ("min" | "max", [first, rest @ ..]) => {
                let mut best = self.number(first)?;
                for arg in rest {
                    let n = self.number(arg)?;
                    best = if function.name == "min" {
                        best.min(n)
                    } else {
                        best.max(n)
                    };
                }
                Ok(Val::Number(best))
            }
            ("abs", [x]) => Ok(Val::Number(self.number(x)?.abs())),
            ("steps", [x, size]) => {
                super::measure::steps(self.number(x)?, self.number(size)?, size)
                    .map(Val::Number)
                    .map_err(|(message, at)| self.error(at, message))
            }
            (
                name @ ("measure" | "place" | "peer_max" | "peer_min" | "peer_average" | "peer_sum"
                | "peer_count"),
                [arg],
            ) => {
                let ExprKind::Path(path) = &arg.kind else {
                    return Err(self.error(arg, "not the name of a measure"));
                };
                let measure = path.first().map_or("", |m| m.name.as_str());
                // A unit not of the measure's group has no value or place in
                // it: absent, like an attribute its group does not declare.
                if matches!(name, "measure" | "place")
                    && !self.measures.has(measure, self.unit_index)
                {
                    return Ok(Val::Absent);
                }
                self.measures
                    .read(name, measure, self.unit_index)
                    .map(Val::Number)
                    .map_err(|message| self.error(whole, message))
            }
            ("subtotal", [arg]) => {
                let ExprKind::Path(path) = &arg.kind else {
                    return Err(self.error(arg, "not the name of a category"));
                };
                let name = path.first().map_or("", |c| c.name.as_str());
                // A unit whose block has no such category has no subtotal of
                // it: absent, like an attribute its group does not declare.
                Ok(self
                    .categories
                    .iter()
                    .find(|c| c.category.as_str() == name)
                    .and_then(|c| c.subtotal)
                    .map_or(Val::Absent, Val::Number))
            }
            ("floor" | "ceil", [x]) => {
                let n = self.number(x)?;
                let whole_number = if function.name == "floor" {
                    n.floor()
                } else {
                    n.ceil()
                };
                whole_number
                    .map(Val::Number)
                    .ok_or_else(|| self.error(whole, format!("`{}` overflows", function.name)))
            }
            ("round", [x, places, mode]) => {
                let n = self.number(x)?;
                let places_value = self.number(places)?;
                let places_ok = places_value
                    .trunc_i64()
                    .filter(|p| Number::from(*p) == places_value)
                    .and_then(|p| u32::try_from(p).ok())
                    .filter(|p| *p <= 28);
                let Some(places_count) = places_ok else {
                    return Err(self.error(
                        places,
                        format!("`round` takes 0 to 28 places, found `{places_value}`"),
                    ));
                };
                let Some(mode) = round_mode(mode) else {
                    return Err(self.error(
                        mode,
                        "`round` takes a mode: `half_up`, `half_even`, `down` or `up`",
                    ));
                };
                n.round(places_count, mode)
                    .map(|d| Val::Number(Number::from(d)))
                    .ok_or_else(|| self.error(whole, "`round` overflows a decimal"))
            }
            ("present", [x]) => Ok(Val::Bool(self.eval(x)? != Val::Absent)),
            ("days_between" | "working_days_between", [a, b]) => {
                let (Some(a), Some(b)) = (self.date(a)?, self.date(b)?) else {
                    return Ok(Val::Absent);
                };
                let days = if function.name == "days_between" {
                    a.days_until(b)
                } else {
                    self.calendar(whole)?
                        .working_days_between(a, b)
                        .map_err(|e| self.not_covered(whole, &e))?
                };
                Ok(Val::Number(Number::from(days)))
            }
            ("overdue", [deadline, done]) => {
                let Val::Date(deadline) = self.eval(deadline)? else {
                    return Ok(Val::Bool(false));
                };
                let done = match self.eval(done)? {
                    Val::Date(d) => Some(d),
                    _ => None,
                };
                Ok(Val::Bool(
                    self.as_of > deadline && done.is_none_or(|d| d > deadline),
                ))
            }
            ("previous", [x]) => {
                let previous = self.record.and_then(|record| {
                    let key = self.ruleset.record_of_kind(&record.kind)?.key.as_ref()?;
                    let value = record.attributes.get(&key.name)?;
                    self.history
                        .previous_record(self.unit_index, record, &key.name, value)
                });
                match previous {
                    Some(previous) => self.with_record(previous).eval(x),
                    None => Ok(Val::Absent),
                }
            }
            _ => Err(self.error(whole, format!("cannot call `{}` here", function.name))),
        }
    }

    /// A date operand: `None` when absent (the result is then absent too).
    fn date(&self, expr: &Expr) -> Result<Option<Date>, EvalError> {
        match self.eval(expr)? {
            Val::Date(d) => Ok(Some(d)),
            Val::Absent => Ok(None),
            other => Err(self.error(expr, format!("expected a date, found `{other}`"))),
        }
    }

    /// The ruleset's working-day calendar (the checker ensures there is one
    /// wherever working days are counted).
    fn calendar(&self, whole: &Expr) -> Result<&'a crate::calendar::Calendar, EvalError> {
        self.ruleset.calendar().ok_or_else(|| {
            self.error(
                whole,
                "working days need a working-day calendar, and the ruleset declares none",
            )
        })
    }

    /// A working-day count through a year the calendar lacks: an error
    /// naming the record, never a weekends-only guess (issue 13 §8).
    fn not_covered(&self, whole: &Expr, missing: &crate::calendar::NotCovered) -> EvalError {
        let record = match self.record {
            Some(Record {
                id: Some(id), kind, ..
            }) => {
                format!(": the `{kind}` record `{id}` needs it")
            }
            Some(record) => format!(": a record of kind `{}` needs it", record.kind),
            None => String::new(),
        };
        self.error(
            whole,
            format!(
                "{missing}{record}; add `year {} {{ … }}` to the ruleset's `calendar` with the holidays and make-up working days of the State Council's notice",
                missing.year
            ),
        )
    }

    /// `date + N days | months | working days` and `date - …` (issue 13 §8).
    fn shift(
        &self,
        op: BinaryOp,
        date: &Expr,
        amount: &Expr,
        unit: DateUnit,
        whole: &Expr,
    ) -> Result<Val, EvalError> {
        let Some(day) = self.date(date)? else {
            return Ok(Val::Absent);
        };
        let n = self.number(amount)?;
        let Some(n) = n.trunc_i64().filter(|i| Number::from(*i) == n) else {
            return Err(self.error(
                amount,
                format!("`{} {}` needs a whole number, found `{n}`", n, unit.word()),
            ));
        };
        let signed = if op == BinaryOp::Sub {
            n.checked_neg()
        } else {
            Some(n)
        };
        let moved = match (signed, unit) {
            (None, _) => None,
            (Some(n), DateUnit::Days) => day.add_days(n),
            (Some(n), DateUnit::Months) => day.add_months(n),
            (Some(n), DateUnit::WorkingDays) => self
                .calendar(whole)?
                .add_working_days(day, n)
                .map_err(|e| self.not_covered(whole, &e))?,
        };
        moved.map(Val::Date).ok_or_else(|| {
            self.error(
                whole,
                format!(
                    "`{day} {} {n} {}` is outside the years -9999 to 9999",
                    op.symbol(),
                    unit.word()
                ),
            )
        })
    }

    fn path(&self, path: &[Ident], expr: &Expr) -> Result<Val, EvalError> {
        match path {
            [name] => self
                .lookup(&name.name)
                .transpose()?
                .ok_or_else(|| self.error(expr, format!("`{}` has no value here", name.name))),
            // The enclosing record's attributes (`this.x` names no `this` of its own).
            [qualifier, name] if qualifier.name == "this" => match self.this {
                Some(enclosing) => self
                    .with_record(enclosing)
                    .lookup(&name.name)
                    .transpose()?
                    .ok_or_else(|| {
                        self.error(expr, format!("`this.{}` has no value here", name.name))
                    }),
                None => Err(self.error(expr, "`this.` has no enclosing record here")),
            },
            [qualifier, name] if qualifier.name != "unit" => self.input(qualifier, name, expr),
            [_, name] => match self.unit.attributes.get(&name.name) {
                Some(value) => Ok(Val::from(value.clone())),
                // Declared by another group: absent for this unit.
                None if self.declared_unit_attribute(&name.name) => Ok(Val::Absent),
                None => Err(self.error(
                    expr,
                    format!("unit `{}` has no attribute `{}`", self.unit.id, name.name),
                )),
            },
            _ => Err(self.error(expr, "malformed name")),
        }
    }

    /// A bare name's value: a record attribute (declared or derived), a unit attribute, a built-in.
    /// `petition.total`, `petition.rank`: the unit's result in the evaluated
    /// period (or year) in the input's sub-assessment (issue 13 §11). An
    /// input not supplied, or without a result for the unit and period, is an
    /// error here: reading it as absent would silently change the score. A
    /// rank is absent where the sub-assessment did not rank the unit.
    fn input(&self, input: &Ident, field: &Ident, expr: &Expr) -> Result<Val, EvalError> {
        let Some(supplied) = self.inputs.get(&input.name) else {
            return Err(self.error(
                expr,
                format!(
                    "input `{}` is not supplied: evaluate with the sub-assessment's result (`rulec eval --input {}=sub.rules:sub-facts.json`)",
                    input.name, input.name
                ),
            ));
        };
        let period = self.scope.to_string();
        let Some(result) = supplied.result(self.unit.id.as_str(), &period) else {
            return Err(self.error(
                expr,
                format!(
                    "input `{}` (ruleset `{}`, {}) has no result for unit `{}` in {period}",
                    input.name, supplied.info.ruleset, supplied.info.ruleset_hash, self.unit.id
                ),
            ));
        };
        Ok(match field.name.as_str() {
            "total" => Val::Number(result.total),
            // Ranked by two rankings of the sub-assessment: which rank is
            // meant would be a silent choice (the first ranking's).
            "rank" if result.ranked_in > 1 => {
                return Err(self.error(
                    expr,
                    format!(
                        "input `{}` (ruleset `{}`) ranks unit `{}` in {} rankings in {period}: `{}.rank` does not say which",
                        input.name, supplied.info.ruleset, self.unit.id, result.ranked_in, input.name
                    ),
                ))
            }
            "rank" => result
                .rank
                .map_or(Val::Absent, |r| Val::Number(Number::from(r))),
            _ => return Err(self.error(expr, "malformed name")),
        })
    }

    fn lookup(&self, name: &str) -> Option<Result<Val, EvalError>> {
        if let Some(record) = self.record {
            if let Some(value) = record.attributes.get(name) {
                return Some(Ok(Val::from(value.clone())));
            }
            match name {
                "reported" => return Some(Ok(Val::Date(record.reported))),
                "count" => return Some(Ok(Val::Number(Number::from(record.count)))),
                _ => {}
            }
            if let Some(derived) = self
                .ruleset
                .record_of_kind(&record.kind)
                .and_then(|decl| decl.derived.iter().find(|d| d.name.name == name))
            {
                return Some(self.eval(&derived.expr));
            }
        }
        if let Some(value) = self.unit.attributes.get(name) {
            return Some(Ok(Val::from(value.clone())));
        }
        if self.declared_unit_attribute(name) {
            // Another group's attribute: absent for this unit, like an unset optional one.
            return Some(Ok(Val::Absent));
        }
        if let Some(value) = self.result_name(name) {
            return Some(Ok(value));
        }
        match name {
            "as_of" => Some(Ok(Val::Date(self.as_of))),
            "period_start" => Some(Ok(Val::Date(
                self.scope.bounds_in(self.ruleset.period_unit()).0,
            ))),
            "period_end" => Some(Ok(Val::Date(
                self.scope.bounds_in(self.ruleset.period_unit()).1,
            ))),
            _ => None,
        }
    }
}

/// A `round` mode argument: a bare name (`half_up`, `half_even`, `down`, `up`).
fn round_mode(expr: &Expr) -> Option<RoundMode> {
    let ExprKind::Path(path) = &expr.kind else {
        return None;
    };
    match path.as_slice() {
        [name] => match name.name.as_str() {
            "half_up" => Some(RoundMode::HalfUp),
            "half_even" => Some(RoundMode::HalfEven),
            "down" => Some(RoundMode::Down),
            "up" => Some(RoundMode::Up),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a unit at `place` is in the top or bottom `places` of its ranking
/// (SD-A7, revised): top N when its published rank is at most N; bottom N when
/// its published rank is at least n − N + 1, so every unit sharing such a
/// rank counts and a tie group whose shared rank is above that line does not.
/// With `ties straddling` a tie group counts as soon as any of the places it
/// occupies (rank … rank + tied − 1) is inside the band.
pub(crate) fn in_band(side: RankSide, places: u32, place: super::Place, ties: TieBand) -> bool {
    let rank = u64::from(place.rank);
    let places = u64::from(places);
    let ranked = u64::from(place.ranked);
    if rank == 0 || rank > ranked {
        return false;
    }
    match (side, ties) {
        (RankSide::Top, _) => rank <= places,
        (RankSide::Bottom, TieBand::PublishedRank) => rank + places > ranked,
        (RankSide::Bottom, TieBand::Straddling) => {
            let last = rank + u64::from(place.tied).max(1) - 1;
            last + places > ranked
        }
    }
}

/// A value as the working of a formula writes it (issue 13 §16): a number as
/// [`Number::to_text`] (`≈` when it does not terminate), a text in quotes.
pub(crate) fn val_text(value: &Val) -> String {
    match value {
        Val::Number(n) => n.to_text(),
        Val::Text(t) => format!("\"{t}\""),
        other => other.to_string(),
    }
}

/// What [`Ctx::show`] prints.
#[derive(Clone, Copy)]
enum Show {
    Written,
    Values,
}

impl Ctx<'_> {
    /// ` where f in previous N periods` of a written `count(…)`/`sum(…)`.
    fn query_tail(
        &self,
        filter: Option<&Expr>,
        earlier: Option<&crate::syntax::ast::Integer>,
        source: &str,
    ) -> Option<String> {
        let mut tail = String::new();
        if let Some(f) = filter {
            tail.push_str(" where ");
            tail.push_str(&self.show(f, source, Show::Written)?);
        }
        if let Some(n) = earlier {
            tail.push_str(&format!(" in previous {} periods", n.value));
        }
        Some(tail)
    }

    /// The working of an amount (issue 13 §16): `expr` as written in the
    /// ruleset's source, the same with its values put in, and its value.
    /// `None` when the source does not hold the expression's text.
    pub(crate) fn formula(&self, expr: &Expr, result: Number) -> Option<super::result::Formula> {
        let source = self.ruleset.source().text();
        Some(super::result::Formula {
            written: self.show(expr, source, Show::Written)?,
            values: self.show(expr, source, Show::Values)?,
            result,
        })
    }

    /// A condition's working: as written and with the values used (both
    /// printed from the tree), e.g. `count(problem) == 0` and `2 == 0`.
    pub(crate) fn working(&self, expr: &Expr) -> (String, String) {
        let source = self.ruleset.source().text();
        let written = self.show(expr, source, Show::Written).unwrap_or_default();
        let values = self
            .show(expr, source, Show::Values)
            .unwrap_or_else(|| written.clone());
        (written, values)
    }

    /// `expr` printed from its tree (so that formatting the ruleset does not
    /// change it): operators with one space around, a nested operation in
    /// parentheses; `count(…)`, `sum(…)`, `bands(…)`, `ranked …` as written
    /// with white space normalised. With [`Show::Values`], names, `count(…)`,
    /// `sum(…)` and `ranked …` are replaced by their values (one that cannot
    /// be evaluated here, such as a `round` mode, keeps its name).
    fn show(&self, expr: &Expr, source: &str, show: Show) -> Option<String> {
        let child = |e: &Expr| -> Option<String> {
            let text = self.show(e, source, show)?;
            Some(
                if matches!(e.kind, ExprKind::Binary(..) | ExprKind::If(..)) {
                    format!("({text})")
                } else {
                    text
                },
            )
        };
        let value = || match show {
            Show::Values => self.eval(expr).ok().map(|v| val_text(&v)),
            Show::Written => None,
        };
        Some(match &expr.kind {
            ExprKind::Number(n) => n.normalize().to_string(),
            ExprKind::Date(d) => d.to_string(),
            ExprKind::Text(t) => format!("\"{t}\""),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Path(path) => value().unwrap_or_else(|| {
                path.iter()
                    .map(|i| i.name.as_str())
                    .collect::<Vec<_>>()
                    .join(".")
            }),
            ExprKind::Unary(UnaryOp::Not, inner) => format!("not {}", child(inner)?),
            ExprKind::Unary(UnaryOp::Neg, inner) => format!("-{}", child(inner)?),
            ExprKind::Binary(op, lhs, rhs) => {
                format!("{} {} {}", child(lhs)?, op.symbol(), child(rhs)?)
            }
            ExprKind::Duration { amount, unit } => format!("{} {}", child(amount)?, unit.word()),
            ExprKind::If(c, t, e) => format!(
                "if {} then {} else {}",
                self.show(c, source, show)?,
                self.show(t, source, show)?,
                self.show(e, source, show)?
            ),
            ExprKind::Call { function, args } => {
                let args = args
                    .iter()
                    .map(|a| self.show(a, source, show))
                    .collect::<Option<Vec<_>>>()?;
                format!("{}({})", function.name, args.join(", "))
            }
            // Written from the tree, not copied from the file, so that the
            // layout of the source (`sum(k,count(…))`) never shows.
            ExprKind::Count {
                kind,
                filter,
                earlier,
            } => match value() {
                Some(v) => v,
                None => format!(
                    "count({}{})",
                    kind.name,
                    self.query_tail(filter.as_deref(), earlier.as_ref(), source)?
                ),
            },
            ExprKind::Sum {
                kind,
                value: summed,
                filter,
                earlier,
            } => match value() {
                Some(v) => v,
                None => format!(
                    "sum({}, {}{})",
                    kind.name,
                    self.show(summed, source, Show::Written)?,
                    self.query_tail(filter.as_deref(), earlier.as_ref(), source)?
                ),
            },
            // A working is shown for an amount or an `only when`, and neither
            // may read a place (`kaohe::misplaced_ranked`): there is no
            // written form of `ranked …` to show.
            ExprKind::Ranked { .. } => value()?,
            ExprKind::Bands {
                subject,
                bands,
                otherwise,
            } => {
                let mut parts = vec![self.show(subject, source, show)?];
                parts.extend(bands.iter().map(|b| {
                    let bound = match b.bound {
                        crate::syntax::ast::BandBound::UpTo => "upto",
                        crate::syntax::ast::BandBound::From => "from",
                    };
                    format!(
                        "{bound} {}: {}",
                        b.threshold.value.normalize(),
                        b.value.value.normalize()
                    )
                }));
                if let Some(n) = otherwise {
                    parts.push(format!("else: {}", n.value.normalize()));
                }
                format!("bands({})", parts.join(", "))
            }
        })
    }

    /// The record in scope's derived attributes with their values, in
    /// declaration order (issue 13 §16). One that cannot be computed for
    /// this record (it reads an absent attribute as a number) is left out.
    pub(crate) fn derived_values(&self) -> super::result::Derived {
        let Some(record) = self.record else {
            return super::result::Derived::default();
        };
        let Some(decl) = self.ruleset.record_of_kind(&record.kind) else {
            return super::result::Derived::default();
        };
        super::result::Derived(
            decl.derived
                .iter()
                .filter_map(|d| {
                    self.eval(&d.expr)
                        .ok()
                        .map(|v| (Text::from(d.name.name.as_str()), val_text(&v)))
                })
                .collect(),
        )
    }
}
