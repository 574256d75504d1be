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

/// Orders two units on one key: `Less` when `a` ranks above `b`.
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

/// The first key on which `a` and `b` differ, if any.
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

pub(crate) fn rank(
    decl: &RankingDecl,
    period: Period,
    members: &[(&Unit, Number)],
    discretion: Option<&Vec<String>>,
) -> RankingResult {
    let compare = |a: &(&Unit, Number), b: &(&Unit, Number)| {
        decl.keys
            .iter()
            .map(|k| on_key(&k.key.name, k.direction, *a, *b, discretion))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    };
    let mut sorted: Vec<(&Unit, Number)> = members.to_vec();
    sorted.sort_by(|a, b| compare(a, b).then_with(|| a.0.id.cmp(&b.0.id)));
    let mut entries: Vec<RankEntry> = Vec::with_capacity(sorted.len());
    let mut rank = 1u32;
    for (i, current) in sorted.iter().enumerate() {
        let above = i.checked_sub(1).and_then(|j| sorted.get(j));
        let versus = |other: Option<&(&Unit, Number)>| {
            other.map(|o| {
                deciding_key(decl, *current, *o, discretion).unwrap_or_else(|| "tie".to_owned())
            })
        };
        let versus_above = versus(above);
        if versus_above.as_deref() != Some("tie") {
            rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        entries.push(RankEntry {
            rank,
            unit: current.0.id.clone(),
            name: current.0.name.clone(),
            total: current.1,
            versus_above,
            versus_below: versus(sorted.get(i + 1)),
        });
    }
    // Units sharing a rank are ties no key resolved.
    let mut unresolved: Vec<Vec<String>> = Vec::new();
    for entry in &entries {
        let shared = entries.iter().filter(|e| e.rank == entry.rank).count() > 1;
        if !shared {
            continue;
        }
        match unresolved.last_mut() {
            Some(group)
                if entries
                    .iter()
                    .any(|e| e.rank == entry.rank && group.iter().any(|g| *g == e.unit)) =>
            {
                group.push(entry.unit.to_string());
            }
            _ => unresolved.push(vec![entry.unit.to_string()]),
        }
    }
    RankingResult {
        ranking: decl.name.name.clone(),
        label: decl.label.as_ref().map(|l| l.text.clone()),
        period,
        within: None,
        provisional: false,
        entries,
        unresolved_ties: unresolved,
        clauses: ranking_clauses(decl),
    }
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
