//! Evaluating expressions over a unit, its records and the ranking history.
//! Evaluation is total: no loops, no recursion beyond the (bounded) tree,
//! arithmetic is checked and fails with an error instead of overflowing.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::{EvalError, History, UnitRecords};
use crate::date::Date;
use crate::facts::{Record, Unit};
use crate::period::Period;
use crate::ruleset::Ruleset;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Ident, RankSide, UnaryOp};
use crate::text::Text;
use crate::value::Value;

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
}

impl<'a> Ctx<'a> {
    pub(crate) fn with_record(self, record: &'a Record) -> Ctx<'a> {
        Ctx {
            record: Some(record),
            ..self
        }
    }

    fn error(&self, expr: &Expr, message: impl Into<String>) -> EvalError {
        EvalError {
            message: message.into(),
            unit: self.unit.id.to_string(),
            period: self.scope.to_string(),
            span: Some(expr.span),
            location: None,
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
            Value::Bool(b) => Ok(b),
            Value::Absent => Ok(false),
            other => Err(self.error(expr, format!("expected a condition, found `{other}`"))),
        }
    }

    /// Evaluates a number.
    pub(crate) fn number(&self, expr: &Expr) -> Result<Decimal, EvalError> {
        match self.eval(expr)? {
            Value::Number(n) => Ok(n),
            Value::Absent => {
                Err(self.error(expr, "a number is needed but the attribute is absent"))
            }
            other => Err(self.error(expr, format!("expected a number, found `{other}`"))),
        }
    }

    pub(crate) fn eval(&self, expr: &Expr) -> Result<Value, EvalError> {
        Ok(match &expr.kind {
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::Date(d) => Value::Date(*d),
            ExprKind::Text(t) => Value::Text(t.as_str().into()),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Path(path) => self.path(path, expr)?,
            ExprKind::Unary(UnaryOp::Not, inner) => Value::Bool(!self.truth(inner)?),
            ExprKind::Unary(UnaryOp::Neg, inner) => Value::Number(-self.number(inner)?),
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, expr)?,
            ExprKind::If(c, t, e) => {
                if self.truth(c)? {
                    self.eval(t)?
                } else {
                    self.eval(e)?
                }
            }
            ExprKind::Count { kind, filter } => {
                let mut total = Decimal::ZERO;
                let kind = self.ruleset.kind_index_by_name(&kind.name);
                for record in self.records.of_kind(kind) {
                    let inner = self.with_record(record);
                    if filter.as_ref().map_or(Ok(true), |f| inner.truth(f))? {
                        total = total
                            .checked_add(Decimal::from(record.count))
                            .ok_or_else(|| self.error(expr, "count overflows"))?;
                    }
                }
                Value::Number(total)
            }
            ExprKind::Sum {
                kind,
                value,
                filter,
            } => {
                let mut total = Decimal::ZERO;
                let kind = self.ruleset.kind_index_by_name(&kind.name);
                for record in self.records.of_kind(kind) {
                    let inner = self.with_record(record);
                    if filter.as_ref().map_or(Ok(true), |f| inner.truth(f))? {
                        let v = inner
                            .number(value)?
                            .checked_mul(Decimal::from(record.count))
                            .ok_or_else(|| self.error(expr, "sum overflows"))?;
                        total = total
                            .checked_add(v)
                            .ok_or_else(|| self.error(expr, "sum overflows"))?;
                    }
                }
                Value::Number(total)
            }
            ExprKind::Call { function, args } => self.call(function, args, expr)?,
            ExprKind::Ranked {
                side,
                places,
                periods,
                ranking,
            } => Value::Bool(self.ranked(*side, places.value, periods.value, ranking.as_ref())),
        })
    }

    fn ranked(&self, side: RankSide, places: u32, periods: u32, ranking: Option<&Ident>) -> bool {
        // The named ranking, or the only per-period one (the checker ensures it).
        let index = self.ruleset.rankings().position(|r| match ranking {
            Some(name) => r.name.name == name.name,
            None => r.scope == crate::syntax::ast::CapScope::Period,
        });
        let Some(index) = index else {
            return false;
        };
        let mut period = self.scope;
        for _ in 0..periods {
            let Some(place) = self.history.place(index, period, self.unit_index) else {
                return false;
            };
            let inside = match side {
                RankSide::Top => place.rank <= places,
                // The tie group occupies rank .. rank + tied - 1; it is in the
                // bottom N when its last place is.
                RankSide::Bottom => {
                    let last = place.rank + place.tied - 1;
                    last + places > place.ranked
                }
            };
            if !inside {
                return false;
            }
            period = period.previous();
        }
        true
    }

    fn binary(
        &self,
        op: BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        whole: &Expr,
    ) -> Result<Value, EvalError> {
        match op {
            BinaryOp::And => return Ok(Value::Bool(self.truth(lhs)? && self.truth(rhs)?)),
            BinaryOp::Or => return Ok(Value::Bool(self.truth(lhs)? || self.truth(rhs)?)),
            _ => {}
        }
        if matches!(
            op,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        ) {
            let (left, right) = self.comparands(lhs, rhs)?;
            if left == Value::Absent || right == Value::Absent {
                return Ok(Value::Bool(false));
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
            return Ok(Value::Bool(result));
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
        result
            .map(Value::Number)
            .ok_or_else(|| self.error(whole, format!("`{}` overflows a decimal", op.symbol())))
    }

    /// Both sides of a comparison; a bare name that is not in scope is a level name.
    fn comparands(&self, lhs: &Expr, rhs: &Expr) -> Result<(Value, Value), EvalError> {
        // The value of a side, or the bare name when nothing is called that here.
        let side = |e: &Expr| -> Result<Result<Value, Text>, EvalError> {
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
            (Err(level), Ok(right)) => Ok((Value::Level(level), right)),
            (Ok(left), Err(level)) => Ok((left, Value::Level(level))),
            // Two bare names: the left one has no value.
            (Err(_), Err(_)) => self.eval(lhs).map(|left| (left, Value::Absent)),
        }
    }

    fn compare(&self, a: &Value, b: &Value) -> Option<Ordering> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => Some(x.cmp(y)),
            (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
            (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
            (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
            (Value::Level(x), Value::Level(y)) => {
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

    fn call(&self, function: &Ident, args: &[Expr], whole: &Expr) -> Result<Value, EvalError> {
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
                Ok(Value::Number(best))
            }
            ("abs", [x]) => Ok(Value::Number(self.number(x)?.abs())),
            ("present", [x]) => Ok(Value::Bool(self.eval(x)? != Value::Absent)),
            ("overdue", [deadline, done]) => {
                let Value::Date(deadline) = self.eval(deadline)? else {
                    return Ok(Value::Bool(false));
                };
                let done = match self.eval(done)? {
                    Value::Date(d) => Some(d),
                    _ => None,
                };
                Ok(Value::Bool(
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
                    None => Ok(Value::Absent),
                }
            }
            _ => Err(self.error(whole, format!("cannot call `{}` here", function.name))),
        }
    }

    fn path(&self, path: &[Ident], expr: &Expr) -> Result<Value, EvalError> {
        match path {
            [name] => self
                .lookup(&name.name)
                .transpose()?
                .ok_or_else(|| self.error(expr, format!("`{}` has no value here", name.name))),
            [_, name] => match self.unit.attributes.get(&name.name) {
                Some(value) => Ok(value.clone()),
                // Declared by another group: absent for this unit.
                None if self.declared_unit_attribute(&name.name) => Ok(Value::Absent),
                None => Err(self.error(
                    expr,
                    format!("unit `{}` has no attribute `{}`", self.unit.id, name.name),
                )),
            },
            _ => Err(self.error(expr, "malformed name")),
        }
    }

    /// A bare name's value: a record attribute (declared or derived), a unit attribute, a built-in.
    fn lookup(&self, name: &str) -> Option<Result<Value, EvalError>> {
        if let Some(record) = self.record {
            if let Some(value) = record.attributes.get(name) {
                return Some(Ok(value.clone()));
            }
            match name {
                "reported" => return Some(Ok(Value::Date(record.reported))),
                "count" => return Some(Ok(Value::Number(Decimal::from(record.count)))),
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
            return Some(Ok(value.clone()));
        }
        if self.declared_unit_attribute(name) {
            // Another group's attribute: absent for this unit, like an unset optional one.
            return Some(Ok(Value::Absent));
        }
        match name {
            "as_of" => Some(Ok(Value::Date(self.as_of))),
            "period_start" => Some(Ok(Value::Date(self.scope.start()))),
            "period_end" => Some(Ok(Value::Date(self.scope.end()))),
            _ => None,
        }
    }
}
