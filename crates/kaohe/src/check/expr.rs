//! Typing of expressions: names resolved against the scope they appear in,
//! operators and built-in functions checked, ranking history allowed only in
//! consequences.

use super::{Checker, Ty};
use crate::diagnostics::{
    MisplacedRanked, MissingPart, PreviousWithoutKey, TypeMismatch, UnknownName,
    WrongArgumentCount, ZeroCount,
};
use crate::suggest;
use crate::syntax::ast;
use crate::syntax::ast::{Band, BandBound, BinaryOp, Expr, ExprKind, Ident, UnaryOp};

/// The names visible to an expression.
#[derive(Clone, Copy)]
pub(super) struct Scope<'s> {
    /// The record kind whose attributes are in scope (inside `per`, `count`, `sum`, `derive`).
    pub record: Option<&'s str>,
    /// Whether `ranked …` may be used (consequences only).
    pub allow_ranked: bool,
    /// Whether unit attributes are in scope (not inside a record kind's `derive`).
    pub unit: bool,
    /// Whether names may belong to a record kind that could not be resolved (an
    /// error already reported): unknown names are then not reported again.
    pub lenient: bool,
}

/// Built-in functions: name, arity description, signature for help.
pub(super) const FUNCTIONS: &[(&str, &str)] = &[
    ("min", "min(a, b, …): the smallest of two or more numbers"),
    ("max", "max(a, b, …): the largest of two or more numbers"),
    ("abs", "abs(x): the absolute value of a number"),
    (
        "round",
        "round(x, places, mode): `x` rounded to 0–28 decimal places; mode `half_up`, `half_even`, `down` (toward zero) or `up` (away from zero)",
    ),
    ("floor", "floor(x): the largest whole number not above `x`"),
    ("ceil", "ceil(x): the smallest whole number not below `x`"),
    (
        "overdue",
        "overdue(deadline, done): the deadline is set, the evaluation date is past it, and `done` is unset or later than the deadline",
    ),
    ("present", "present(x): whether an optional attribute is given"),
    (
        "previous",
        "previous(x): `x` for the same record (by the kind's `key`) in the previous period; false or 0 when there is none",
    ),
    (
        "steps",
        "steps(x, size): the number of whole steps of `size` in `x` (0 when `x` is 0 or less); `size` is greater than 0",
    ),
    (
        "subtotal",
        "subtotal(c): the unit's subtotal of the category `c` (allot − deductions + bonuses; for a category `outside total`, its own score); in notices, flags, classifications, quotas and outputs",
    ),
    ("measure", "measure(m): the unit's value of the measure `m`"),
    (
        "place",
        "place(m): the unit's place among the units of the measure's group by `m`, highest first (1, 2, 2, 4)",
    ),
    ("peer_max", "peer_max(m): the highest value of the measure `m` among the units of its group"),
    ("peer_min", "peer_min(m): the lowest value of the measure `m` among the units of its group"),
    ("peer_average", "peer_average(m): the average of the measure `m` over the units of its group"),
    ("peer_sum", "peer_sum(m): the sum of the measure `m` over the units of its group"),
    ("peer_count", "peer_count(m): the number of units of the measure `m`'s group"),
    (
        "days_between",
        "days_between(a, b): the calendar days from date `a` to date `b` (negative when `b` is earlier)",
    ),
    (
        "working_days_between",
        "working_days_between(a, b): the working days after date `a` up to and including date `b` in the ruleset's `calendar` (negative when `b` is earlier)",
    ),
];

/// The functions whose argument names a measure (issue 13 §4).
pub(crate) const MEASURE_FUNCTIONS: &[&str] = &[
    "measure",
    "place",
    "peer_max",
    "peer_min",
    "peer_average",
    "peer_sum",
    "peer_count",
];

/// Names every expression may use: the evaluation date and the evaluated period's bounds.
pub(super) const BUILTIN_NAMES: &[&str] = &["as_of", "period_start", "period_end"];

/// Names a consequence's condition may also use: the unit's total and rank in
/// the evaluated period and the one before (issue 13 §13).
pub(super) const RESULT_NAMES: &[&str] = &["total", "rank", "previous_total", "previous_rank"];

impl Checker<'_> {
    /// Checks `expr` and wants a condition.
    pub(super) fn condition(&mut self, expr: &Expr, scope: Scope<'_>) {
        let ty = self.expr(expr, scope);
        self.expect(expr, &ty, &Ty::Bool);
    }

    /// Checks `expr` and wants a number.
    pub(super) fn numeric(&mut self, expr: &Expr, scope: Scope<'_>) {
        let ty = self.expr(expr, scope);
        self.expect(expr, &ty, &Ty::Decimal);
    }

    fn expect(&mut self, expr: &Expr, found: &Ty, expected: &Ty) {
        if !found.fits(expected) {
            self.push(TypeMismatch {
                expected: expected.describe(),
                found: found.describe(),
                span: expr.span.into(),
                help: match expected {
                    Ty::Bool => {
                        Some("a condition compares values, e.g. `actual < required`".to_owned())
                    }
                    _ => None,
                },
            });
        }
    }

    /// The type of `expr`, reporting every problem inside it.
    pub(super) fn expr(&mut self, expr: &Expr, scope: Scope<'_>) -> Ty {
        match &expr.kind {
            ExprKind::Number(n) => {
                if n.fract().is_zero() {
                    Ty::Int
                } else {
                    Ty::Decimal
                }
            }
            ExprKind::Date(_) => Ty::Date,
            ExprKind::Text(_) => Ty::Text,
            ExprKind::Bool(_) => Ty::Bool,
            ExprKind::Path(path) => self.path(path, scope),
            ExprKind::Unary(op, inner) => {
                let ty = self.expr(inner, scope);
                match op {
                    UnaryOp::Not => {
                        self.expect(inner, &ty, &Ty::Bool);
                        Ty::Bool
                    }
                    UnaryOp::Neg => {
                        self.expect(inner, &ty, &Ty::Decimal);
                        ty
                    }
                }
            }
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, scope),
            ExprKind::Bands { subject, bands, .. } => self.bands(subject, bands, scope),
            ExprKind::If(c, t, e) => {
                self.condition(c, scope);
                let then_ty = self.expr(t, scope);
                let else_ty = self.expr(e, scope);
                match then_ty.unify(&else_ty) {
                    Some(ty) => ty,
                    None => {
                        self.push(TypeMismatch {
                            expected: then_ty.describe(),
                            found: else_ty.describe(),
                            span: e.span.into(),
                            help: Some("both branches of `if` must have the same type".to_owned()),
                        });
                        Ty::Unknown
                    }
                }
            }
            ExprKind::Count {
                kind,
                filter,
                earlier,
            } => {
                self.earlier(earlier.as_ref());
                if self.record_kind(kind) {
                    if let Some(filter) = filter {
                        // `this.x`: the enclosing record (issue 13 §5).
                        let this = self.this_kind.replace(scope.record.map(str::to_owned));
                        self.condition(
                            filter,
                            Scope {
                                record: Some(&kind.name),
                                lenient: false,
                                ..scope
                            },
                        );
                        self.this_kind = this;
                    }
                }
                Ty::Int
            }
            ExprKind::Sum {
                kind,
                value,
                filter,
                earlier,
            } => {
                self.earlier(earlier.as_ref());
                if self.record_kind(kind) {
                    let inner = Scope {
                        record: Some(&kind.name),
                        lenient: false,
                        ..scope
                    };
                    let this = self.this_kind.replace(scope.record.map(str::to_owned));
                    self.numeric(value, inner);
                    if let Some(filter) = filter {
                        self.condition(filter, inner);
                    }
                    self.this_kind = this;
                }
                Ty::Decimal
            }
            ExprKind::Call { function, args } => self.call(function, args, expr, scope),
            ExprKind::Duration { unit, .. } => {
                self.misplaced_duration(*unit, expr, scope);
                Ty::Unknown
            }
            ExprKind::Ranked {
                places,
                periods,
                ranking,
                window,
                ..
            } => {
                if *window == ast::RankWindow::ThisYear {
                    self.count_within_year(periods);
                }
                if !scope.allow_ranked {
                    self.push(MisplacedRanked {
                        span: expr.span.into(),
                    });
                }
                for (n, what) in [
                    (places, "the number of places"),
                    (periods, "the number of periods"),
                ] {
                    if n.value == 0 {
                        self.push(ZeroCount {
                            what: what.to_owned(),
                            span: n.span.into(),
                        });
                    }
                }
                match ranking {
                    Some(name) => {
                        if !self.symbols.rankings.contains_key(name.name.as_str()) {
                            let names = self.symbols.rankings.keys().copied().collect::<Vec<_>>();
                            self.unknown("ranking", name, &names);
                        }
                    }
                    None => {
                        let per_period = self.per_period_rankings();
                        if per_period.len() != 1 {
                            self.push(MissingPart {
                                part: "`in <ranking>`".to_owned(),
                                within: "`ranked`".to_owned(),
                                span: expr.span.into(),
                                help: Some(if per_period.is_empty() {
                                    "declare a per-period `ranking` for the history to refer to"
                                        .to_owned()
                                } else {
                                    format!(
                                        "the ruleset has several per-period rankings: {}",
                                        backticked(&per_period)
                                    )
                                }),
                            });
                        }
                    }
                }
                Ty::Bool
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, scope: Scope<'_>) -> Ty {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                self.condition(lhs, scope);
                self.condition(rhs, scope);
                Ty::Bool
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                // A bare name compared with a `levels` value may be one of its levels.
                let left = self.operand(lhs, rhs, scope);
                let right = self.operand(rhs, lhs, scope);
                let ordered = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
                if left.unify(&right).is_none() {
                    self.push(TypeMismatch {
                        expected: left.describe(),
                        found: right.describe(),
                        span: rhs.span.into(),
                        help: Some(format!(
                            "`{}` compares two values of the same type",
                            op.symbol()
                        )),
                    });
                } else if ordered && matches!(left, Ty::Bool | Ty::Text) {
                    self.push(TypeMismatch {
                        expected: "a number, date or level".to_owned(),
                        found: left.describe(),
                        span: lhs.span.into(),
                        help: Some(format!("`{}` needs values that have an order", op.symbol())),
                    });
                }
                Ty::Bool
            }
            BinaryOp::Add | BinaryOp::Sub if matches!(rhs.kind, ExprKind::Duration { .. }) => {
                // `due + 5 days` (issue 13 §8).
                self.date_shift(op, lhs, rhs, scope)
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let left = self.expr(lhs, scope);
                let left_is_date = left == Ty::Date;
                let right = self.expect_number(lhs, left, op);
                let right_ty = self.expr(rhs, scope);
                // `submitted - due`: one error (on the left date) is enough.
                let right_ty = if left_is_date && right_ty == Ty::Date {
                    Ty::Unknown
                } else {
                    right_ty
                };
                let right2 = self.expect_number(rhs, right_ty, op);
                let (left, right) = (right, right2);
                if left == Ty::Unknown || right == Ty::Unknown {
                    Ty::Unknown
                } else if left == Ty::Int && right == Ty::Int && op != BinaryOp::Div {
                    Ty::Int
                } else {
                    Ty::Decimal
                }
            }
        }
    }

    /// An arithmetic operand: reports a non-number and types it unknown, so the
    /// enclosing expression adds no follow-on error.
    fn expect_number(&mut self, operand: &Expr, ty: Ty, op: BinaryOp) -> Ty {
        if ty.fits(&Ty::Decimal) {
            return ty;
        }
        self.push(TypeMismatch {
            expected: "a number".to_owned(),
            found: ty.describe(),
            span: operand.span.into(),
            help: Some(if ty == Ty::Date {
                // Issue 13 §8: what date arithmetic there is.
                "a date is moved by a length of time (`due + 5 days`, `due + 1 months`, `due + 5 working days`); the days from one date to another are `days_between(a, b)` or `working_days_between(a, b)`".to_owned()
            } else {
                format!("`{}` works on numbers", op.symbol())
            }),
        });
        Ty::Unknown
    }

    /// Types one side of a comparison; a bare unknown name is looked up among the
    /// levels of the other side's type.
    fn operand(&mut self, this: &Expr, other: &Expr, scope: Scope<'_>) -> Ty {
        if let ExprKind::Path(path) = &this.kind {
            if let [name] = path.as_slice() {
                if self.lookup(&name.name, scope).is_none() {
                    let other_ty = self.quiet_type(other, scope);
                    if let Ty::Level(levels) = &other_ty {
                        let known = self.level_names(levels);
                        if !known.iter().any(|l| l == &name.name) {
                            let refs = known.iter().map(String::as_str).collect::<Vec<_>>();
                            self.unknown(&format!("level of `{levels}`"), name, &refs);
                        }
                        return other_ty;
                    }
                }
            }
        }
        self.expr(this, scope)
    }

    /// The type of an expression without reporting anything (for level lookup).
    fn quiet_type(&mut self, expr: &Expr, scope: Scope<'_>) -> Ty {
        let before = self.diagnostics.len();
        let used = (self.used_records.clone(), self.used_attributes.clone());
        let ty = match &expr.kind {
            ExprKind::Path(path) => self.path(path, scope),
            _ => Ty::Unknown,
        };
        self.diagnostics.truncate(before);
        (self.used_records, self.used_attributes) = used;
        ty
    }

    fn call(&mut self, function: &Ident, args: &[Expr], whole: &Expr, scope: Scope<'_>) -> Ty {
        let signature = FUNCTIONS
            .iter()
            .find(|(name, _)| *name == function.name)
            .map(|(_, sig)| *sig);
        let Some(signature) = signature else {
            let names = FUNCTIONS.iter().map(|(n, _)| *n).collect::<Vec<_>>();
            self.unknown("function", function, &names);
            for arg in args {
                self.expr(arg, scope);
            }
            return Ty::Unknown;
        };
        let arity_ok = match function.name.as_str() {
            "min" | "max" => args.len() >= 2,
            "overdue" => args.len() == 2,
            "round" => args.len() == 3,
            "steps" | "days_between" | "working_days_between" => args.len() == 2,
            _ => args.len() == 1,
        };
        if !arity_ok {
            self.push(WrongArgumentCount {
                function: function.name.clone(),
                expected: match function.name.as_str() {
                    "min" | "max" => "two or more arguments".to_owned(),
                    "overdue" => "two arguments".to_owned(),
                    "round" => "three arguments".to_owned(),
                    "steps" | "days_between" | "working_days_between" => "two arguments".to_owned(),
                    _ => "one argument".to_owned(),
                },
                found: args.len(),
                span: whole.span.into(),
                help: Some(signature.to_owned()),
            });
            return Ty::Unknown;
        }
        match function.name.as_str() {
            "min" | "max" => {
                let mut result = Ty::Int;
                for arg in args {
                    let ty = self.expr(arg, scope);
                    self.expect(arg, &ty, &Ty::Decimal);
                    if ty != Ty::Int {
                        result = Ty::Decimal;
                    }
                }
                result
            }
            "abs" => {
                let mut ty = Ty::Unknown;
                for arg in args {
                    ty = self.expr(arg, scope);
                    self.expect(arg, &ty, &Ty::Decimal);
                }
                ty
            }
            "steps" => {
                for arg in args {
                    let ty = self.expr(arg, scope);
                    self.expect(arg, &ty, &Ty::Decimal);
                }
                if let Some(size) = args.get(1) {
                    if let ExprKind::Number(n) = &size.kind {
                        if n.is_zero() {
                            self.push(TypeMismatch {
                                expected: "a step size greater than 0".to_owned(),
                                found: "0".to_owned(),
                                span: size.span.into(),
                                help: Some(signature.to_owned()),
                            });
                        }
                    }
                }
                Ty::Int
            }
            name if MEASURE_FUNCTIONS.contains(&name) => self.measure_call(function, args),
            "days_between" | "working_days_between" => {
                self.between(&function.name, args, whole, scope)
            }
            "subtotal" => self.subtotal_call(function, args, scope),
            "floor" | "ceil" => {
                for arg in args {
                    let ty = self.expr(arg, scope);
                    self.expect(arg, &ty, &Ty::Decimal);
                }
                Ty::Int
            }
            "round" => {
                let [x, places, mode] = args else {
                    return Ty::Unknown;
                };
                let ty = self.expr(x, scope);
                self.expect(x, &ty, &Ty::Decimal);
                let whole = matches!(
                    &places.kind,
                    ExprKind::Number(n) if n.fract().is_zero() && *n >= rust_decimal::Decimal::ZERO && *n <= rust_decimal::Decimal::from(28)
                );
                if !whole {
                    self.push(TypeMismatch {
                        expected: "a whole number of places from 0 to 28".to_owned(),
                        found: "not a whole number from 0 to 28".to_owned(),
                        span: places.span.into(),
                        help: Some(signature.to_owned()),
                    });
                }
                let mode_ok = matches!(
                    &mode.kind,
                    ExprKind::Path(p) if matches!(p.as_slice(), [m] if ["half_up", "half_even", "down", "up"].contains(&m.name.as_str()))
                );
                if !mode_ok {
                    self.push(TypeMismatch {
                        expected: "a rounding mode: `half_up`, `half_even`, `down` or `up`"
                            .to_owned(),
                        found: "not a rounding mode".to_owned(),
                        span: mode.span.into(),
                        help: Some(signature.to_owned()),
                    });
                }
                Ty::Decimal
            }
            "overdue" => {
                for arg in args {
                    let ty = self.expr(arg, scope);
                    self.expect(arg, &ty, &Ty::Date);
                }
                Ty::Bool
            }
            "present" => {
                for arg in args {
                    self.expr(arg, scope);
                }
                Ty::Bool
            }
            _ => {
                // previous(x)
                match scope.record {
                    Some(kind) => {
                        let has_key = self
                            .symbols
                            .records
                            .get(kind)
                            .is_some_and(|r| r.decl.key.is_some());
                        if !has_key {
                            self.push(PreviousWithoutKey {
                                kind: kind.to_owned(),
                                span: whole.span.into(),
                                help: Some(format!(
                                    "add `key <attribute>` to `record {kind}` naming the attribute that identifies the same item from one period to the next"
                                )),
                            });
                        }
                    }
                    None => {
                        self.push(crate::diagnostics::NeedsRecord {
                            what: "`previous`".to_owned(),
                            context: "its declaration".to_owned(),
                            span: whole.span.into(),
                        });
                        for arg in args {
                            self.expr(
                                arg,
                                Scope {
                                    lenient: true,
                                    ..scope
                                },
                            );
                        }
                        return Ty::Unknown;
                    }
                }
                args.first()
                    .map_or(Ty::Unknown, |arg| self.expr(arg, scope))
            }
        }
    }

    fn path(&mut self, path: &[Ident], scope: Scope<'_>) -> Ty {
        match path {
            [name] => match self.lookup(&name.name, scope) {
                Some(ty) => ty,
                None if scope.lenient => Ty::Unknown,
                None if RESULT_NAMES.contains(&name.name.as_str()) => {
                    self.push(crate::diagnostics::UnknownName {
                        kind: "name".to_owned(),
                        name: name.name.clone(),
                        within: String::new(),
                        span: name.span.into(),
                        help: Some(format!(
                            "`{}` is the unit's result, known only after scoring and ranking: use it in a `notice`, `flag`, `classify` or `quota` condition",
                            name.name
                        )),
                    });
                    Ty::Unknown
                }
                None => {
                    let candidates = self.visible_names(scope);
                    let refs = candidates.iter().map(String::as_str).collect::<Vec<_>>();
                    self.unknown("name", name, &refs);
                    Ty::Unknown
                }
            },
            [qualifier, name] if qualifier.name == "this" => self.this_attribute(qualifier, name),
            [qualifier, name] if qualifier.name == "unit" && !scope.unit => {
                self.unknown("unit attribute", name, &[]);
                Ty::Unknown
            }
            [qualifier, name] if qualifier.name == "unit" => {
                match self.symbols.unit_attributes.get(name.name.as_str()) {
                    Some((ty, _)) => {
                        self.used_attributes.insert(name.name.clone());
                        ty.clone()
                    }
                    None => {
                        let names = self
                            .symbols
                            .unit_attributes
                            .keys()
                            .copied()
                            .collect::<Vec<_>>();
                        self.unknown("unit attribute", name, &names);
                        Ty::Unknown
                    }
                }
            }
            // A sub-assessment's result (issue 13 §11): `petition.total`, `petition.rank`.
            [qualifier, name] if self.symbols.inputs.contains_key(qualifier.name.as_str()) => {
                match name.name.as_str() {
                    "total" => Ty::Decimal,
                    "rank" => Ty::Int,
                    _ => {
                        self.unknown(
                            &format!("result of input `{}`", qualifier.name),
                            name,
                            &["total", "rank"],
                        );
                        Ty::Unknown
                    }
                }
            }
            [qualifier, ..] => {
                let mut qualifiers = vec!["unit", "this"];
                qualifiers.extend(self.symbols.inputs.keys().copied());
                self.unknown("qualifier", qualifier, &qualifiers);
                Ty::Unknown
            }
            [] => Ty::Unknown,
        }
    }

    /// `in previous N periods`: N is at least 1.
    fn earlier(&mut self, earlier: Option<&ast::Integer>) {
        if let Some(n) = earlier.filter(|n| n.value == 0) {
            self.push(crate::diagnostics::ZeroCount {
                what: "previous periods".to_owned(),
                span: n.span.into(),
            });
        }
    }

    /// `this.x` inside `count(…)` or `sum(…)`: an attribute of the record of
    /// the enclosing scope (issue 13 §5).
    fn this_attribute(&mut self, qualifier: &Ident, name: &Ident) -> Ty {
        let Some(Some(kind)) = self.this_kind.clone() else {
            self.push(crate::diagnostics::MisplacedThis {
                span: qualifier.span.into(),
            });
            return Ty::Unknown;
        };
        let found = self
            .symbols
            .records
            .get(kind.as_str())
            .and_then(|r| r.attributes.get(name.name.as_str()))
            .cloned();
        match found {
            Some(ty) => ty,
            None => {
                let names: Vec<String> = self
                    .symbols
                    .records
                    .get(kind.as_str())
                    .map(|r| r.attributes.keys().map(|k| (*k).to_owned()).collect())
                    .unwrap_or_default();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                self.unknown(&format!("attribute of `{kind}`"), name, &names);
                Ty::Unknown
            }
        }
    }

    /// The type of a bare name in scope: a record attribute, a unit attribute or a built-in.
    fn lookup(&mut self, name: &str, scope: Scope<'_>) -> Option<Ty> {
        if let Some(kind) = scope.record {
            if let Some(ty) = self
                .symbols
                .records
                .get(kind)
                .and_then(|r| r.attributes.get(name))
            {
                return Some(ty.clone());
            }
        }
        if scope.unit {
            if let Some((ty, _)) = self.symbols.unit_attributes.get(name) {
                self.used_attributes.insert(name.to_owned());
                return Some(ty.clone());
            }
        }
        if scope.allow_ranked {
            // A consequence's condition may read the unit's results (issue 13 §13).
            match name {
                "total" | "previous_total" => return Some(Ty::Decimal),
                "rank" | "previous_rank" => return Some(Ty::Int),
                _ => {}
            }
        }
        BUILTIN_NAMES.contains(&name).then_some(Ty::Date)
    }

    /// `ranked … in K periods this year`: K cannot exceed the periods of a
    /// year, or the condition could never hold (issue 13 §1).
    fn count_within_year(&mut self, periods: &ast::Integer) {
        let unit = self.file.items.iter().find_map(|item| match item {
            ast::Item::Period(p) => Some(p.unit),
            _ => None,
        });
        let Some(unit) = unit else {
            return;
        };
        let (most, name) = (crate::Period::most_per_year(unit), unit.plural());
        if periods.value > most {
            self.push(crate::diagnostics::CountBeyondYear {
                periods: periods.value,
                most,
                name: name.to_owned(),
                span: periods.span.into(),
            });
        }
    }

    fn visible_names(&self, scope: Scope<'_>) -> Vec<String> {
        let mut names: Vec<String> = BUILTIN_NAMES.iter().map(|s| (*s).to_owned()).collect();
        if scope.allow_ranked {
            names.extend(RESULT_NAMES.iter().map(|s| (*s).to_owned()));
        }
        if let Some(record) = scope.record.and_then(|k| self.symbols.records.get(k)) {
            names.extend(record.attributes.keys().map(|s| (*s).to_owned()));
        }
        if scope.unit {
            names.extend(self.symbols.unit_attributes.keys().map(|s| (*s).to_owned()));
        }
        names
    }

    /// Reports an unknown name with a did-you-mean or the list of declared names.
    /// `subtotal(c)` (issue 13 §10): the argument is a category's bare name;
    /// only where the unit is already scored (where `total` may be read).
    fn subtotal_call(&mut self, function: &Ident, args: &[Expr], scope: Scope<'_>) -> Ty {
        if !scope.allow_ranked {
            self.push(crate::diagnostics::MisplacedSubtotal {
                span: function.span.into(),
            });
        }
        let categories: Vec<&str> = self
            .file
            .items
            .iter()
            .filter_map(|i| match i {
                ast::Item::Score(s) => Some(s),
                _ => None,
            })
            .flat_map(|s| s.categories.iter().map(|c| c.name.name.as_str()))
            .collect();
        match args {
            [Expr {
                kind: ExprKind::Path(path),
                ..
            }] if path.len() == 1 => {
                if let Some(name) = path.first() {
                    if !categories.contains(&name.name.as_str()) {
                        self.unknown("category", name, &categories);
                    }
                }
            }
            _ => {
                if let Some(arg) = args.first() {
                    self.push(TypeMismatch {
                        expected: "the name of a `category`".to_owned(),
                        found: "an expression".to_owned(),
                        span: arg.span.into(),
                        help: Some("write `subtotal(c)` with a category's name".to_owned()),
                    });
                }
            }
        }
        Ty::Decimal
    }

    /// `place(m)`, `peer_max(m)`, …: the argument is a measure's bare name,
    /// and measures do not use these functions themselves.
    fn measure_call(&mut self, function: &Ident, args: &[Expr]) -> Ty {
        if self.in_measure {
            self.push(crate::diagnostics::MeasureInMeasure {
                function: function.name.clone(),
                via: String::new(),
                span: function.span.into(),
            });
        }
        let named = match args {
            [Expr {
                kind: ExprKind::Path(path),
                ..
            }] => match path.as_slice() {
                [name] => Some(name),
                _ => None,
            },
            _ => None,
        };
        let measures: Vec<&str> = self.symbols.measures.keys().copied().collect();
        match named {
            Some(name) if measures.contains(&name.name.as_str()) => {}
            Some(name) => self.unknown("measure", name, &measures),
            None => {
                if let Some(arg) = args.first() {
                    self.push(TypeMismatch {
                        expected: "the name of a `measure`".to_owned(),
                        found: "an expression".to_owned(),
                        span: arg.span.into(),
                        help: Some(format!(
                            "declare `measure m \"…\" of group = …` and write `{}(m)`",
                            function.name
                        )),
                    });
                }
            }
        }
        match function.name.as_str() {
            "place" | "peer_count" => Ty::Int,
            _ => Ty::Decimal,
        }
    }

    /// `bands(x, upto 3: 7, upto 6: 5, else: 0)`: a number banded by
    /// thresholds of one kind, each reachable.
    fn bands(&mut self, subject: &Expr, bands: &[Band], scope: Scope<'_>) -> Ty {
        let ty = self.expr(subject, scope);
        self.expect(subject, &ty, &Ty::Decimal);
        let mut previous: Option<&Band> = None;
        for band in bands {
            if let Some(before) = previous {
                let problem = if band.bound != before.bound {
                    Some("mixes `upto` and `from` bands".to_owned())
                } else {
                    let reachable = match band.bound {
                        BandBound::UpTo => band.threshold.value > before.threshold.value,
                        BandBound::From => band.threshold.value < before.threshold.value,
                    };
                    (!reachable).then(|| {
                        format!(
                            "`{} {}` after `{} {}` can never be the first band that holds",
                            band_word(band.bound),
                            band.threshold.value,
                            band_word(before.bound),
                            before.threshold.value
                        )
                    })
                };
                if let Some(problem) = problem {
                    self.push(crate::diagnostics::UnreachableBand {
                        problem,
                        span: band.span.into(),
                        help: Some(
                            "write the bands in order, all `upto` with rising thresholds (places: `upto 3: 7, upto 6: 5`) or all `from` with falling ones (rates: `from 95: 5, from 90: 3`)"
                                .to_owned(),
                        ),
                    });
                    continue;
                }
            }
            previous = Some(band);
        }
        Ty::Decimal
    }

    pub(super) fn unknown(&mut self, kind: &str, name: &Ident, candidates: &[&str]) {
        let help = suggest::did_you_mean(&name.name, candidates.iter().copied()).or_else(|| {
            if candidates.is_empty() {
                None
            } else if candidates.len() <= 12 {
                Some(format!("declared: {}", backticked(candidates)))
            } else {
                Some(format!("{} are declared", candidates.len()))
            }
        });
        let (kind, within) = kind
            .split_once(" of ")
            .map_or((kind, String::new()), |(k, w)| (k, format!(" of {w}")));
        self.push(UnknownName {
            kind: kind.to_owned(),
            name: name.name.clone(),
            within,
            span: name.span.into(),
            help,
        });
    }

    /// Whether `kind` names a record kind (reports it if not) and marks it used.
    pub(super) fn record_kind(&mut self, kind: &Ident) -> bool {
        if self.symbols.records.contains_key(kind.name.as_str()) {
            self.used_records.insert(kind.name.clone());
            true
        } else {
            let names = self.symbols.records.keys().copied().collect::<Vec<_>>();
            if let Some(intended) = crate::suggest::closest(&kind.name, names.iter().copied()) {
                // Not "unused" as well: the misspelling is the one problem.
                self.used_records.insert(intended.to_owned());
            }
            self.unknown("record kind", kind, &names);
            false
        }
    }
}

/// "`a`, `b`, `c`".
pub(super) fn backticked<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn band_word(bound: BandBound) -> &'static str {
    match bound {
        BandBound::UpTo => "upto",
        BandBound::From => "from",
    }
}
