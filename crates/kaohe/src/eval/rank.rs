//! Rankings: order keys in turn, competition ranks (1, 2, 2, 4), and for each
//! place the key that separated it from its neighbours. Units equal on every
//! key share a rank and are reported as an unresolved tie: the engine never
//! breaks a tie arbitrarily.

use std::cmp::Ordering;

use super::result::{RankEntry, RankingResult};
use crate::facts::Unit;
use crate::number::Number;
use crate::period::Period;
use crate::syntax::ast::{Direction, RankingDecl};
use crate::value::Value;

/// Orders two units on one key: `Less` when `a` ranks above `b`. The
/// definition [`on_resolved`], which the ranking uses, is tested against.
#[cfg(test)]
fn on_key(
    key: &str,
    direction: Option<Direction>,
    a: (&Unit, Number),
    b: (&Unit, Number),
    discretion: Option<&Vec<String>>,
) -> Ordering {
    let desc = direction != Some(Direction::Asc);
    let directed = |o: Ordering| if desc { o.reverse() } else { o };
    match key {
        "total" => directed(a.1.cmp(&b.1)),
        "discretion" => {
            let position = |u: &Unit| {
                discretion
                    .and_then(|order| order.iter().position(|id| id == &u.id))
                    .unwrap_or(usize::MAX)
            };
            position(a.0).cmp(&position(b.0))
        }
        attribute => {
            let value = |u: &Unit| {
                u.attributes
                    .get(attribute)
                    .cloned()
                    .unwrap_or(Value::Absent)
            };
            match (value(a.0), value(b.0)) {
                (Value::Absent, Value::Absent) => Ordering::Equal,
                // Absent values rank last either way.
                (Value::Absent, _) => Ordering::Greater,
                (_, Value::Absent) => Ordering::Less,
                (x, y) => directed(x.cmp(&y)),
            }
        }
    }
}

/// The first key on which `a` and `b` differ, if any (the definition the
/// ranking's `versus_above` / `versus_below` are tested against).
#[cfg(test)]
fn deciding_key(
    decl: &RankingDecl,
    a: (&Unit, Number),
    b: (&Unit, Number),
    discretion: Option<&Vec<String>>,
) -> Option<String> {
    decl.keys
        .iter()
        .find(|k| on_key(&k.key.name, k.direction, a, b, discretion) != Ordering::Equal)
        .map(|k| k.key.name.clone())
}

/// A ranking key resolved once per ranking (not matched by name on every
/// comparison of the sort).
#[derive(Clone, Copy)]
enum Resolved<'d> {
    Total,
    Discretion,
    Attribute(&'d str),
}

/// [`on_key`] on a resolved key: the same order, without copying values.
fn on_resolved(
    key: Resolved<'_>,
    desc: bool,
    a: (&Unit, Number),
    b: (&Unit, Number),
    discretion: Option<&Vec<String>>,
) -> Ordering {
    let directed = |o: Ordering| if desc { o.reverse() } else { o };
    match key {
        Resolved::Total => directed(a.1.cmp(&b.1)),
        Resolved::Discretion => {
            let position = |u: &Unit| {
                discretion
                    .and_then(|order| order.iter().position(|id| id == &u.id))
                    .unwrap_or(usize::MAX)
            };
            position(a.0).cmp(&position(b.0))
        }
        Resolved::Attribute(attribute) => {
            fn value<'u>(u: &'u Unit, attribute: &str) -> Option<&'u Value> {
                match u.attributes.get(attribute) {
                    None | Some(Value::Absent) => None,
                    Some(v) => Some(v),
                }
            }
            match (value(a.0, attribute), value(b.0, attribute)) {
                (None, None) => Ordering::Equal,
                // Absent values rank last either way.
                (None, _) => Ordering::Greater,
                (_, None) => Ordering::Less,
                (Some(x), Some(y)) => directed(x.cmp(y)),
            }
        }
    }
}

/// Ranks `members` (units with their totals) by the ranking's keys.
#[cfg(test)]
pub(crate) fn rank(
    decl: &RankingDecl,
    period: Period,
    members: &[(&Unit, Number)],
    discretion: Option<&Vec<String>>,
) -> RankingResult {
    rank_members(decl, period, members, discretion).0
}

/// [`rank`], and for each of its entries, in order, the index in `members`
/// of the unit it places: the caller finds the unit's result and history
/// slot by index instead of searching unit ids by string (issue 15 §1).
pub(crate) fn rank_members(
    decl: &RankingDecl,
    period: Period,
    members: &[(&Unit, Number)],
    discretion: Option<&Vec<String>>,
) -> (RankingResult, Vec<usize>) {
    // The keys as `on_key` reads them, resolved once.
    let keys: Vec<(Resolved<'_>, bool, &str)> = decl
        .keys
        .iter()
        .map(|k| {
            let name = k.key.name.as_str();
            let resolved = match name {
                "total" => Resolved::Total,
                "discretion" => Resolved::Discretion,
                attribute => Resolved::Attribute(attribute),
            };
            (resolved, k.direction != Some(Direction::Asc), name)
        })
        .collect();
    // Each member's place in the office's discretionary order, found once
    // (not by scanning the order on every comparison of the sort).
    let discretion_place: Vec<usize> = if keys
        .iter()
        .any(|(k, _, _)| matches!(k, Resolved::Discretion))
    {
        members
            .iter()
            .map(|(u, _)| {
                discretion
                    .and_then(|order| order.iter().position(|id| id == &u.id))
                    .unwrap_or(usize::MAX)
            })
            .collect()
    } else {
        Vec::new()
    };
    // `on_resolved` on members `i` and `j`, the discretion key by the places above.
    let on_member = |key: Resolved<'_>, desc: bool, i: usize, j: usize| match (
        key,
        members.get(i),
        members.get(j),
    ) {
        (Resolved::Discretion, _, _) => discretion_place.get(i).cmp(&discretion_place.get(j)),
        (_, Some(a), Some(b)) => on_resolved(key, desc, *a, *b, discretion),
        _ => Ordering::Equal,
    };
    let compare = |i: usize, j: usize| {
        keys.iter()
            .map(|&(key, desc, _)| on_member(key, desc, i, j))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    };
    // The first key on which two units differ (as `deciding_key`; the same
    // key either way round, so each neighbouring pair is compared once).
    let deciding = |a: usize, b: usize| {
        keys.iter()
            .find(|&&(key, desc, _)| on_member(key, desc, a, b) != Ordering::Equal)
            .map(|&(_, _, name)| name)
    };
    let id = |i: usize| members.get(i).map(|(u, _)| &u.id);
    // Member indexes in rank order: the same order as sorting the members
    // themselves (a stable sort with the same comparison).
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| compare(a, b).then_with(|| id(a).cmp(&id(b))));
    let sorted: Vec<(&Unit, Number)> = order
        .iter()
        .filter_map(|&i| members.get(i).copied())
        .collect();
    // `between[i]`: what separates `sorted[i]` from `sorted[i + 1]`.
    let between: Vec<String> = order
        .windows(2)
        .map(|pair| match pair {
            [above, below] => deciding(*below, *above).unwrap_or("tie").to_owned(),
            _ => "tie".to_owned(),
        })
        .collect();
    let mut entries: Vec<RankEntry> = Vec::with_capacity(sorted.len());
    let mut rank = 1u32;
    for (i, current) in sorted.iter().enumerate() {
        let versus_above = i.checked_sub(1).and_then(|j| between.get(j)).cloned();
        if versus_above.as_deref() != Some("tie") {
            rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        entries.push(RankEntry {
            rank,
            unit: current.0.id.clone(),
            name: current.0.name.clone(),
            total: current.1,
            versus_above,
            versus_below: between.get(i).cloned(),
        });
    }
    // Units sharing a rank are ties no key resolved: entries are in rank
    // order, so each is a run of entries with one rank.
    let mut unresolved: Vec<Vec<String>> = Vec::new();
    let mut start = 0;
    while let Some(first) = entries.get(start) {
        let run = entries
            .get(start..)
            .map_or(1, |rest| {
                rest.iter().take_while(|e| e.rank == first.rank).count()
            })
            .max(1);
        if run > 1 {
            unresolved.push(
                entries
                    .iter()
                    .skip(start)
                    .take(run)
                    .map(|e| e.unit.to_string())
                    .collect(),
            );
        }
        start += run;
    }
    let result = RankingResult {
        ranking: decl.name.name.clone(),
        label: decl.label.as_ref().map(|l| l.text.clone()),
        period,
        within: None,
        provisional: false,
        entries,
        unresolved_ties: unresolved,
        clauses: ranking_clauses(decl),
    };
    (result, order)
}

/// Every clause a ranking cites, in declaration order without repeats.
fn ranking_clauses(decl: &RankingDecl) -> super::result::Clauses {
    let cites = std::iter::once(decl.cite.as_ref())
        .chain(decl.keys.iter().map(|k| k.cite.as_ref()))
        .chain(decl.ties_shared.iter().map(|(_, c)| c.as_ref()))
        .chain(decl.only_when.iter().map(|(_, c)| c.as_ref()));
    let mut seen: Vec<crate::text::Text> = Vec::new();
    for cite in cites {
        for id in super::texts::clauses(cite).iter() {
            if !seen.contains(id) {
                seen.push(id.clone());
            }
        }
    }
    seen.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Attributes, Text};

    /// The shipped Shaodong ruleset (its first ranking breaks ties by the
    /// unit attribute `indicators`).
    fn shaodong() -> crate::Ruleset {
        let source = crate::SourceFile::new(
            "r.rules",
            include_str!("../../../../rulesets/shaodong-2023/shaodong-2023.rules"),
        );
        crate::Ruleset::from_source(source).unwrap_or_else(|e| panic!("{e}"))
    }

    /// `indicators` as a whole number.
    fn n(v: i64) -> Option<Value> {
        Some(Value::Number(rust_decimal::Decimal::from(v)))
    }

    /// Each unit with its total.
    fn members<'u>(units: &'u [Unit], totals: &[i64]) -> Vec<(&'u Unit, Number)> {
        units
            .iter()
            .zip(totals)
            .map(|(u, t)| (u, Number::from(*t)))
            .collect()
    }

    fn unit(id: &str, indicators: Option<Value>) -> Unit {
        let attributes: Attributes = indicators.map(|v| ("indicators", v)).into_iter().collect();
        Unit {
            id: Text::from(id),
            name: Text::from(id),
            group: Text::from("lead"),
            attributes,
        }
    }

    #[test]
    fn resolved_keys_order_as_the_named_keys() {
        let units = [
            unit("a", n(3)),
            unit("b", n(3)),
            unit("c", None),
            unit("d", Some(Value::Absent)),
            unit("e", n(1)),
            unit("f", Some(Value::Text("x".into()))),
        ];
        let totals = [
            Number::from(90_i64),
            Number::from(100_i64),
            Number::from(90_i64),
        ];
        let discretion = vec!["e".to_owned(), "a".to_owned()];
        for key in ["total", "discretion", "indicators", "missing"] {
            for direction in [None, Some(Direction::Asc), Some(Direction::Desc)] {
                let resolved = match key {
                    "total" => Resolved::Total,
                    "discretion" => Resolved::Discretion,
                    other => Resolved::Attribute(other),
                };
                let desc = direction != Some(Direction::Asc);
                for (i, a) in units.iter().enumerate() {
                    for (j, b) in units.iter().enumerate() {
                        let ta = totals.get(i % 3).copied().unwrap_or(Number::ZERO);
                        let tb = totals.get(j % 3).copied().unwrap_or(Number::ZERO);
                        for order in [None, Some(&discretion)] {
                            assert_eq!(
                                on_resolved(resolved, desc, (a, ta), (b, tb), order),
                                on_key(key, direction, (a, ta), (b, tb), order),
                                "{key} {direction:?} {} {}",
                                a.id,
                                b.id
                            );
                        }
                    }
                }
            }
        }
    }

    /// `rank_members` names, for each entry, the member it places: the
    /// engine finds the unit's result and history slot by that index.
    #[test]
    fn each_entry_names_the_member_it_places() {
        let ruleset = shaodong();
        let Some(decl) = ruleset.rankings().next() else {
            panic!("a ranking")
        };
        // Not in id order, with a tie the office's order breaks.
        let units = [
            unit("e", n(1)),
            unit("b", n(3)),
            unit("a", n(3)),
            unit("c", None),
        ];
        let totals: [i64; 4] = [90, 100, 100, 95];
        let members = members(&units, &totals);
        let discretion = vec!["b".to_owned()];
        for order in [None, Some(&discretion)] {
            let (result, placed) = rank_members(decl, Period::Year(2023), &members, order);
            assert_eq!(placed.len(), result.entries.len());
            let ids: Vec<&str> = placed
                .iter()
                .filter_map(|&i| members.get(i))
                .map(|(u, _)| u.id.as_str())
                .collect();
            let entries: Vec<&str> = result.entries.iter().map(|e| e.unit.as_str()).collect();
            assert_eq!(ids, entries);
            let expected = match order {
                None => ["a", "b", "c", "e"],
                Some(_) => ["b", "a", "c", "e"],
            };
            assert_eq!(entries, expected);
        }
    }

    #[test]
    fn each_place_says_what_separates_it_from_its_neighbours() {
        let ruleset = shaodong();
        let Some(decl) = ruleset.rankings().next() else {
            panic!("a ranking")
        };
        let units = [
            unit("a", n(3)),
            unit("b", n(3)),
            unit("c", n(5)),
            unit("d", None),
            unit("e", n(3)),
            unit("f", n(1)),
        ];
        let totals: [i64; 6] = [100, 100, 100, 100, 95, 100];
        let members = members(&units, &totals);
        let discretion = vec!["b".to_owned()];
        for order in [None, Some(&discretion)] {
            let result = rank(decl, Period::Year(2023), &members, order);
            for (i, entry) in result.entries.iter().enumerate() {
                let member = |k: usize| {
                    let unit = result.entries.get(k)?;
                    members.iter().find(|(u, _)| u.id == unit.unit).copied()
                };
                let Some(this) = member(i) else {
                    panic!("entry")
                };
                let expected = |other: Option<(&Unit, Number)>| {
                    other.map(|o| {
                        deciding_key(decl, this, o, order).unwrap_or_else(|| "tie".to_owned())
                    })
                };
                let above = i.checked_sub(1).and_then(member);
                assert_eq!(entry.versus_above, expected(above), "{}", entry.unit);
                assert_eq!(
                    entry.versus_below,
                    expected(member(i + 1)),
                    "{}",
                    entry.unit
                );
            }
            // c leads on indicators; a and b tie on every key unless the
            // office's order puts b first; d has no indicators; e has less.
            let order_of: Vec<(&str, u32)> = result
                .entries
                .iter()
                .map(|e| (e.unit.as_str(), e.rank))
                .collect();
            match order {
                None => {
                    assert_eq!(
                        order_of,
                        [("c", 1), ("a", 2), ("b", 2), ("f", 4), ("d", 5), ("e", 6)]
                    );
                    assert_eq!(result.unresolved_ties, vec![vec!["a", "b"]]);
                }
                Some(_) => {
                    assert_eq!(
                        order_of,
                        [("c", 1), ("b", 2), ("a", 3), ("f", 4), ("d", 5), ("e", 6)]
                    );
                    assert!(result.unresolved_ties.is_empty());
                }
            }
            for group in &result.unresolved_ties {
                let ranks: Vec<u32> = group
                    .iter()
                    .filter_map(|id| result.entries.iter().find(|e| &e.unit == id))
                    .map(|e| e.rank)
                    .collect();
                assert!(ranks.len() > 1 && ranks.iter().all(|r| Some(r) == ranks.first()));
            }
            let shared = result
                .entries
                .iter()
                .filter(|e| result.entries.iter().filter(|o| o.rank == e.rank).count() > 1)
                .count();
            assert_eq!(
                shared,
                result.unresolved_ties.iter().map(Vec::len).sum::<usize>()
            );
        }
    }
}
