//! Checking dates, deadlines and working days (issue 13 §8): the ruleset's
//! `calendar` declaration, date shifts `d + N days | months | working days`,
//! and `days_between` / `working_days_between`.

use super::expr::Scope;
use super::{Checker, Ty};
use crate::calendar::{self, DayLine};
use crate::diagnostics::{
    CalendarDay, CalendarMissingYear, CalendarYear, MisplacedDuration, NoCalendar, TypeMismatch,
};
use crate::syntax::ast::{self, BinaryOp, DateUnit, DayKind, Expr, ExprKind};

impl Checker<'_> {
    /// `calendar cn [cite] { year 2027 { … } }`: a shipped calendar, and
    /// years whose days are each possible.
    pub(super) fn calendar(&mut self, decl: &ast::CalendarDecl) {
        // Its citations name declared clauses, like every other citation.
        self.cite(decl.cite.as_ref());
        for year in &decl.years {
            self.cite(year.cite.as_ref());
        }
        match calendar::Calendar::shipped(&decl.name.name) {
            Some(Ok(_)) => {}
            Some(Err(error)) => self.push(CalendarDay {
                year: 0,
                problem: error.to_string(),
                span: decl.name.span.into(),
            }),
            None => self.unknown("calendar", &decl.name, calendar::SHIPPED),
        }
        let mut seen: Vec<(u32, crate::source::Span)> = Vec::new();
        for year in &decl.years {
            if let Some((_, first)) = seen.iter().find(|(y, _)| *y == year.year.value) {
                let first = *first;
                self.duplicate(
                    "calendar year",
                    &ast::Ident {
                        name: year.year.value.to_string(),
                        span: year.year.span,
                    },
                    first,
                );
                continue;
            }
            seen.push((year.year.value, year.year.span));
            let number = i32::try_from(year.year.value).unwrap_or(i32::MAX);
            // A year written in the ruleset replaces the shipped one (or adds
            // one): like a shipped file, it says where its days come from,
            // and it lists some (no year of the State Council's notices is
            // without holidays; an empty block would make every weekday a
            // working day without a word).
            if year.cite.is_none() {
                self.push(CalendarYear {
                    year: number,
                    problem: "the year cites no source: cite the clause of the notice its holidays and make-up working days come from".to_owned(),
                    span: year.year.span.into(),
                });
            }
            if year.written == 0 {
                self.push(CalendarYear {
                    year: number,
                    problem: "the year lists no holiday and no make-up working day".to_owned(),
                    span: year.span.into(),
                });
            }
            // Make-up working days alone are no year of official holidays:
            // the block replaces the shipped year whole, so the Spring
            // Festival and every other holiday would be lost without a word.
            // Checked only when every line was read (a misdated holiday line
            // is reported as `kaohe::invalid_date`, not as a missing holiday).
            if year.written > 0
                && year.days.len() == year.written
                && !year.days.iter().any(|d| d.kind == ast::DayKind::Holiday)
            {
                self.push(CalendarYear {
                    year: number,
                    problem: "the year lists no holiday, only make-up working days: a year written in the ruleset replaces the shipped year whole".to_owned(),
                    span: year.span.into(),
                });
            }
            let lines: Vec<DayLine> = year.days.iter().map(day_line).collect();
            for (index, problem) in calendar::problems(number, &lines) {
                if let Some(day) = year.days.get(index) {
                    self.push(CalendarDay {
                        year: number,
                        problem,
                        span: day.span.into(),
                    });
                }
            }
        }
    }

    /// Reports working days counted without a calendar, or (once, at the
    /// first place they are counted) with a calendar that lacks a year in
    /// which the ruleset is in force.
    pub(super) fn needs_calendar(&mut self, what: &str, span: crate::source::Span) {
        let Some(decl) = self.file.items.iter().find_map(|item| match item {
            ast::Item::Calendar(c) => Some(c),
            _ => None,
        }) else {
            self.push(NoCalendar {
                what: what.to_owned(),
                span: span.into(),
            });
            return;
        };
        let reported = self.diagnostics.iter().any(|d| {
            matches!(
                d,
                crate::diagnostics::RulesetDiagnostic::CalendarMissingYear(_)
            )
        });
        let in_force = self.file.items.iter().find_map(|item| match item {
            ast::Item::Header(h) => h.effective.first(),
            _ => None,
        });
        // An unknown calendar is reported where it is declared.
        let Some(Ok(shipped)) = calendar::Calendar::shipped(&decl.name.name) else {
            return;
        };
        let (Some(range), false) = (in_force, reported) else {
            return;
        };
        let missing: Vec<String> = (range.from.year()..=range.to.year())
            .filter(|year| {
                shipped.years().all(|(y, _)| y != *year)
                    && decl
                        .years
                        .iter()
                        .all(|y| i64::from(y.year.value) != i64::from(*year))
            })
            .map(|year| year.to_string())
            .collect();
        if !missing.is_empty() {
            self.push(CalendarMissingYear {
                what: what.to_owned(),
                missing: missing.join(", "),
                calendar: decl.name.name.clone(),
                span: span.into(),
            });
        }
    }

    /// `date + N unit` or `date - N unit`: a date, and N a whole number.
    pub(super) fn date_shift(
        &mut self,
        op: BinaryOp,
        date: &Expr,
        duration: &Expr,
        scope: Scope<'_>,
    ) -> Ty {
        let ExprKind::Duration { amount, unit } = &duration.kind else {
            return Ty::Unknown;
        };
        let date_ty = self.expr(date, scope);
        if !matches!(date_ty, Ty::Date | Ty::Unknown) {
            self.push(TypeMismatch {
                expected: "a date".to_owned(),
                found: date_ty.describe(),
                span: date.span.into(),
                help: Some(format!(
                    "`{} N {}` moves a date: write a date before it (`due {} 5 {}`)",
                    op.symbol(),
                    unit.word(),
                    op.symbol(),
                    unit.word()
                )),
            });
        }
        self.whole_amount(amount, *unit, scope);
        if *unit == DateUnit::WorkingDays {
            self.needs_calendar("`working days`", duration.span);
        }
        Ty::Date
    }

    /// The N of `N days`: a whole number.
    fn whole_amount(&mut self, amount: &Expr, unit: DateUnit, scope: Scope<'_>) {
        let ty = self.expr(amount, scope);
        if !matches!(ty, Ty::Int | Ty::Unknown) {
            self.push(TypeMismatch {
                expected: format!("a whole number of {}", unit.word()),
                found: match ty {
                    Ty::Decimal => "a decimal number".to_owned(),
                    other => other.describe(),
                },
                span: amount.span.into(),
                help: Some(
                    "count whole days or months: an `integer` attribute or a whole number, or `floor(x)` / `ceil(x)` of a decimal"
                        .to_owned(),
                ),
            });
        }
    }

    /// `5 days` on its own: not a value.
    pub(super) fn misplaced_duration(&mut self, unit: DateUnit, expr: &Expr, scope: Scope<'_>) {
        if let ExprKind::Duration { amount, .. } = &expr.kind {
            self.expr(amount, scope);
        }
        self.push(MisplacedDuration {
            unit: unit.word().to_owned(),
            span: expr.span.into(),
        });
    }

    /// `days_between(a, b)`, `working_days_between(a, b)`: two dates, a whole number.
    pub(super) fn between(
        &mut self,
        function: &str,
        args: &[Expr],
        whole: &Expr,
        scope: Scope<'_>,
    ) -> Ty {
        for arg in args {
            let ty = self.expr(arg, scope);
            self.expect_date(arg, &ty);
        }
        if function == "working_days_between" {
            self.needs_calendar("`working_days_between`", whole.span);
        }
        Ty::Int
    }

    fn expect_date(&mut self, arg: &Expr, ty: &Ty) {
        if !matches!(ty, Ty::Date | Ty::Unknown) {
            self.push(TypeMismatch {
                expected: "a date".to_owned(),
                found: ty.describe(),
                span: arg.span.into(),
                help: None,
            });
        }
    }
}

fn day_line(day: &ast::CalendarDay) -> DayLine {
    match day.kind {
        DayKind::Holiday => DayLine::Holiday(day.from, day.to),
        DayKind::Workday => DayLine::Workday(day.from, day.to),
    }
}
