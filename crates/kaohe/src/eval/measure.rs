//! Measures (issue 13 §4): a number per unit of a group in the evaluated
//! period or year, computed by the ruleset before anything is scored, and what
//! expressions read from them — the unit's own value, its place among the
//! group's units (competition places, highest first, exact comparison: a
//! quotient that does not terminate is compared as the fraction it is, so it
//! never creates or breaks a tie) and aggregates over the peers (max, min,
//! average, sum, count). Also `bands(…)` and `steps(…)` (issue 13 §4, §7).

use std::collections::BTreeMap;

use super::EvalError;
use crate::number::Number;
use crate::syntax::ast::{Band, BandBound, Expr};

/// The values of every measure for one period or year: per measure (by
/// name), the values of its group's units, by the unit's index in
/// `Facts::units`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Measures {
    values: BTreeMap<String, Vec<(usize, Number)>>,
}

impl Measures {
    /// Records the value of `measure` for the unit with index `unit`.
    pub(crate) fn insert(&mut self, measure: &str, unit: usize, value: Number) {
        self.values
            .entry(measure.to_owned())
            .or_default()
            .push((unit, value));
    }

    /// Makes sure a measure whose group has no unit is known (with no values).
    pub(crate) fn declare(&mut self, measure: &str) {
        self.values.entry(measure.to_owned()).or_default();
    }

    fn of(&self, measure: &str) -> &[(usize, Number)] {
        self.values.get(measure).map_or(&[], Vec::as_slice)
    }

    /// Whether the unit with index `unit` has a value of `measure` (is of its group).
    pub(crate) fn has(&self, measure: &str, unit: usize) -> bool {
        self.of(measure).iter().any(|(u, _)| *u == unit)
    }

    /// `measure(m)`, `place(m)`, `peer_…(m)` for the unit with index `unit`.
    /// `Err` carries the message of an evaluation error (the caller locates it).
    pub(crate) fn read(
        &self,
        function: &str,
        measure: &str,
        unit: usize,
    ) -> Result<Number, String> {
        let values = self.of(measure);
        let own = || {
            values
                .iter()
                .find(|(u, _)| *u == unit)
                .map(|(_, v)| *v)
                .ok_or_else(|| {
                    format!("the unit is not of the group of measure `{measure}`, so it has no value or place in it")
                })
        };
        let nobody = || {
            format!("measure `{measure}` has no unit to compare with (its group has no unit in the facts)")
        };
        let overflow = || format!("`{function}({measure})` overflows");
        match function {
            "measure" => own(),
            "place" => {
                let mine = own()?;
                let above = values.iter().filter(|(_, v)| *v > mine).count();
                Ok(Number::from(above + 1))
            }
            "peer_max" => values.iter().map(|(_, v)| *v).max().ok_or_else(nobody),
            "peer_min" => values.iter().map(|(_, v)| *v).min().ok_or_else(nobody),
            "peer_sum" => Number::checked_sum(values.iter().map(|(_, v)| *v)).ok_or_else(overflow),
            "peer_count" => Ok(Number::from(values.len())),
            _ => {
                // peer_average
                if values.is_empty() {
                    return Err(nobody());
                }
                Number::checked_sum(values.iter().map(|(_, v)| *v))
                    .and_then(|sum| sum.checked_div(Number::from(values.len())))
                    .ok_or_else(overflow)
            }
        }
    }
}

impl Measures {
    /// The unit's measures, as the result shows them (issue 13 §4).
    pub(crate) fn of_unit(
        &self,
        ruleset: &crate::ruleset::Ruleset,
        unit: usize,
    ) -> Vec<super::result::MeasureResult> {
        let mut out = Vec::new();
        for item in &ruleset.syntax().items {
            let crate::syntax::ast::Item::Measure(decl) = item else {
                continue;
            };
            let name = decl.name.name.as_str();
            let read = |function: &str| self.read(function, name, unit).ok();
            if let (Some(value), Some(place), Some(peer_max), Some(peer_average)) = (
                read("measure"),
                read("place"),
                read("peer_max"),
                read("peer_average"),
            ) {
                out.push(super::result::MeasureResult {
                    measure: name.into(),
                    label: decl.label.as_ref().map(|l| l.text.as_str().into()),
                    value,
                    place: place
                        .trunc_i64()
                        .and_then(|p| u32::try_from(p).ok())
                        .unwrap_or(u32::MAX),
                    of: u32::try_from(self.of(name).len()).unwrap_or(u32::MAX),
                    peer_max,
                    peer_average,
                    clauses: super::texts::clauses(decl.cite.as_ref()),
                });
            }
        }
        out
    }
}

/// `bands(x, …)`: the value of the first band that holds for `x`, else the
/// `else` value (0 when not written).
pub(crate) fn band(x: Number, bands: &[Band], otherwise: Option<Number>) -> Number {
    bands
        .iter()
        .find(|b| {
            let threshold = Number::from(b.threshold.value);
            match b.bound {
                BandBound::UpTo => x <= threshold,
                BandBound::From => x >= threshold,
            }
        })
        .map_or_else(
            || otherwise.unwrap_or(Number::ZERO),
            |b| Number::from(b.value.value),
        )
}

/// `steps(x, size)`: the whole steps of `size` in `x`, 0 when `x` ≤ 0.
pub(crate) fn steps(x: Number, size: Number, at: &Expr) -> Result<Number, (String, &Expr)> {
    if size.is_zero() || size.is_negative() {
        return Err((
            format!("the step size is {size}; it must be greater than 0"),
            at,
        ));
    }
    if x.is_zero() || x.is_negative() {
        return Ok(Number::ZERO);
    }
    x.checked_div(size)
        .and_then(|q| q.floor())
        .ok_or_else(|| ("`steps` overflows".to_owned(), at))
}

/// Evaluates every measure for every unit of its group, with `value_of`
/// evaluating a measure's expression for one unit (by its index).
pub(crate) fn compute(
    ruleset: &crate::ruleset::Ruleset,
    units: &[crate::facts::Unit],
    mut value_of: impl FnMut(usize, &Expr) -> Result<Number, EvalError>,
) -> Result<Measures, EvalError> {
    let mut measures = Measures::default();
    for item in &ruleset.syntax().items {
        let crate::syntax::ast::Item::Measure(decl) = item else {
            continue;
        };
        measures.declare(&decl.name.name);
        for (index, unit) in units.iter().enumerate() {
            if unit.group.as_str() == decl.group.name {
                let value = value_of(index, &decl.value)?;
                measures.insert(&decl.name.name, index, value);
            }
        }
    }
    Ok(measures)
}
