//! Clause coverage: which clause ids a ruleset cites, and which of them a
//! case's expectations exercise.
//!
//! Every citation in a ruleset belongs to a *declaration* (a rule with its
//! `times`, `once per` and `cap` statements, a category head, a floor, a
//! ranking with its keys, a notice, …). A declaration is exercised when an
//! expectation depends on it, and then every clause it cites is exercised:
//!
//! | expectation | declarations it depends on |
//! |---|---|
//! | any, on a unit | the unit's `group` |
//! | any, on a period (not a year) | the `period` head |
//! | any, on a year | the `annual` head and its `from` |
//! | `total` | the `score` head and `base`; every rule, group cap, floor, bonus cap and `average when` with a non-zero line in the result, and the category head of each such line; the period's `seal`/`late`/`amendable` when a record of the unit in that period was rejected, superseded or carried |
//! | `converted` | as `total`, and `convert` |
//! | `categories.X` | category X's head, and the rules, caps and floor with a non-zero line in X |
//! | `rank` | as `total`, and the unit's ranking (head, keys, `ties shared`) |
//! | `notices` | each notice, flag or quota named that was issued |
//! | `classes.X` | classification X, when it gave a class |
//! | `rejected` | the period's `seal`/`late`/`amendable`, when a record was not applied |
//!
//! A rule, notice or classification also exercises the `derive`s of record
//! attributes its expressions use (`per report where late` uses `report.late`).

use std::collections::{BTreeMap, BTreeSet};

use super::compare::find;
use super::Expectation;
use crate::date::Date;
use crate::eval::result::{Evaluation, ItemKind, NoticeKind, UnitResult};
use crate::facts::Facts;
use crate::period::Period;
use crate::ruleset::Ruleset;
use crate::syntax::ast::{Citation, Expr, ExprKind, Item, LatePolicy};

/// A declaration whose citations are exercised together.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Group(String),
    PeriodHead,
    PeriodPolicy,
    Score,
    Category(String),
    /// A rule by name and version (the position among rules of that name).
    Rule(String, usize),
    GroupCap(String),
    Floor(String),
    BonusCap(String),
    Average(String),
    Annual,
    Convert,
    Ranking(String),
    Consequence(String),
    Derive(String, String),
}

impl Target {
    fn describe(&self) -> String {
        match self {
            Target::Group(g) => format!("group `{g}`"),
            Target::PeriodHead => "period".to_owned(),
            Target::PeriodPolicy => "period seal / late / amendable".to_owned(),
            Target::Score => "score / base".to_owned(),
            Target::Category(c) => format!("category `{c}`"),
            Target::Rule(r, 0) => format!("rule `{r}`"),
            Target::Rule(r, v) => format!("rule `{r}` (version {})", v + 1),
            Target::GroupCap(c) => format!("cap `{c}`"),
            Target::Floor(c) => format!("floor of `{c}`"),
            Target::BonusCap(c) => format!("cap bonuses of `{c}`"),
            Target::Average(g) => format!("average when of `{g}`"),
            Target::Annual => "annual / from".to_owned(),
            Target::Convert => "convert".to_owned(),
            Target::Ranking(r) => format!("ranking `{r}`"),
            Target::Consequence(n) => format!("`{n}`"),
            Target::Derive(k, d) => format!("derive `{k}.{d}`"),
        }
    }
}

/// Where a clause id is cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedAt {
    /// 1-based line of the citation.
    pub line: usize,
    /// The declaration citing it: `rule \`media\``, `ranking \`monthly\``.
    pub what: String,
}

/// A clause id no case exercises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncovered {
    /// The clause id.
    pub clause: String,
    /// Every place citing it.
    pub cited_at: Vec<CitedAt>,
}

/// A clause the ruleset declares (`clause [id] "…"`) and nothing cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncited {
    /// The clause id.
    pub clause: String,
    /// 1-based line of its declaration.
    pub line: usize,
}

/// The ruleset's citations by declaration, and the derives each rule or
/// consequence uses.
struct Citations {
    by_target: BTreeMap<Target, Vec<(String, usize)>>,
    uses: BTreeMap<Target, BTreeSet<Target>>,
    group_caps: BTreeSet<String>,
    /// Each rule name's versions: their `effective` range, if any.
    versions: BTreeMap<String, Vec<Option<(Date, Date)>>>,
}

impl Citations {
    /// The versions of rule `name` in force during `period`.
    fn rule_targets(&self, name: &str, period: Period) -> Vec<Target> {
        let Some(versions) = self.versions.get(name) else {
            return Vec::new();
        };
        versions
            .iter()
            .enumerate()
            .filter(|(_, range)| {
                range.is_none_or(|(from, to)| period.end() >= from && period.start() <= to)
            })
            .map(|(i, _)| Target::Rule(name.to_owned(), i))
            .collect()
    }
}

fn cite_into(
    ruleset: &Ruleset,
    out: &mut BTreeMap<Target, Vec<(String, usize)>>,
    target: &Target,
    cite: Option<&Citation>,
) {
    let Some(cite) = cite else {
        return;
    };
    let entry = out.entry(target.clone()).or_default();
    for clause in &cite.clauses {
        let line = ruleset.source().line_column(clause.span.start).line;
        entry.push((clause.id.clone(), line));
    }
}

fn citations(ruleset: &Ruleset) -> Citations {
    let mut by_target: BTreeMap<Target, Vec<(String, usize)>> = BTreeMap::new();
    let mut uses: BTreeMap<Target, BTreeSet<Target>> = BTreeMap::new();
    let mut group_caps = BTreeSet::new();
    let mut versions: BTreeMap<String, Vec<Option<(Date, Date)>>> = BTreeMap::new();
    let mut cite =
        |target: &Target, c: Option<&Citation>| cite_into(ruleset, &mut by_target, target, c);
    for item in &ruleset.syntax().items {
        match item {
            Item::Group(g) => {
                cite(&Target::Group(g.name.name.clone()), g.cite.as_ref());
                if let Some((_, c)) = &g.average_when {
                    cite(&Target::Average(g.name.name.clone()), c.as_ref());
                }
            }
            Item::Record(r) => {
                for d in &r.derived {
                    cite(
                        &Target::Derive(r.name.name.clone(), d.name.name.clone()),
                        d.cite.as_ref(),
                    );
                }
            }
            Item::Period(p) => {
                cite(&Target::PeriodHead, p.cite.as_ref());
                if let Some((_, c)) = &p.seal {
                    cite(&Target::PeriodPolicy, c.as_ref());
                }
                if let Some((_, _, c)) = &p.late {
                    cite(&Target::PeriodPolicy, c.as_ref());
                }
                if let Some((_, c)) = &p.amendable {
                    cite(&Target::PeriodPolicy, c.as_ref());
                }
            }
            Item::Score(s) => {
                cite(&Target::Score, s.cite.as_ref());
                for (_, c) in &s.base {
                    cite(&Target::Score, c.as_ref());
                }
                for cap in &s.group_caps {
                    group_caps.insert(cap.name.name.clone());
                    cite(&Target::GroupCap(cap.name.name.clone()), cap.cite.as_ref());
                }
                for category in &s.categories {
                    let name = category.name.name.clone();
                    cite(&Target::Category(name.clone()), category.cite.as_ref());
                    if let Some((_, c)) = &category.floor {
                        cite(&Target::Floor(name.clone()), c.as_ref());
                    }
                    if let Some((_, _, c)) = &category.bonus_cap {
                        cite(&Target::BonusCap(name.clone()), c.as_ref());
                    }
                    for rule in &category.rules {
                        let known = versions.entry(rule.name.name.clone()).or_default();
                        let target = Target::Rule(rule.name.name.clone(), known.len());
                        known.push(rule.effective.first().map(|r| (r.from, r.to)));
                        cite(&target, rule.cite.as_ref());
                        for t in &rule.times {
                            cite(&target, t.cite.as_ref());
                        }
                        if let Some((_, c, _)) = &rule.once_per {
                            cite(&target, c.as_ref());
                        }
                        for (_, _, c) in &rule.caps {
                            cite(&target, c.as_ref());
                        }
                        let kind = rule.per.as_ref().map(|p| p.kind.name.as_str());
                        let mut exprs: Vec<&Expr> = rule.when.iter().collect();
                        if let Some(f) = rule.per.as_ref().and_then(|p| p.filter.as_ref()) {
                            exprs.push(f);
                        }
                        for (amount, _) in &rule.amount {
                            if let crate::syntax::ast::Amount::Expr(e) = amount {
                                exprs.push(e);
                            }
                        }
                        for t in &rule.times {
                            exprs.push(&t.factor);
                            exprs.push(&t.when);
                        }
                        let used = derives_used(ruleset, kind, &exprs);
                        uses.entry(target).or_default().extend(used);
                    }
                }
            }
            Item::Annual(a) => {
                cite(&Target::Annual, a.cite.as_ref());
                for (_, _, c) in &a.source {
                    cite(&Target::Annual, c.as_ref());
                }
                if let Some(convert) = &a.convert {
                    cite(&Target::Convert, convert.cite.as_ref());
                }
            }
            Item::Ranking(r) => {
                let target = Target::Ranking(r.name.name.clone());
                cite(&target, r.cite.as_ref());
                for key in &r.keys {
                    cite(&target, key.cite.as_ref());
                }
                if let Some((_, c)) = &r.ties_shared {
                    cite(&target, c.as_ref());
                }
                for (_, c) in &r.only_when {
                    cite(&target, c.as_ref());
                }
            }
            Item::Consequence(c) => {
                let target = Target::Consequence(c.name.name.clone());
                cite(&target, c.cite.as_ref());
                let kind = c.per.as_ref().map(|p| p.kind.name.as_str());
                let mut exprs: Vec<&Expr> = c.when.iter().collect();
                exprs.extend(c.steps.iter().map(|s| &s.when));
                if let Some(f) = c.per.as_ref().and_then(|p| p.filter.as_ref()) {
                    exprs.push(f);
                }
                let used = derives_used(ruleset, kind, &exprs);
                uses.entry(target).or_default().extend(used);
            }
            Item::Classify(c) => {
                let target = Target::Consequence(c.name.name.clone());
                cite(&target, c.cite.as_ref());
                let exprs: Vec<&Expr> = c.arms.iter().filter_map(|a| a.when.as_ref()).collect();
                let used = derives_used(ruleset, None, &exprs);
                uses.entry(target).or_default().extend(used);
            }
            Item::Quota(q) => {
                let target = Target::Consequence(q.name.name.clone());
                cite(&target, q.cite.as_ref());
                let exprs: Vec<&Expr> = q.requires.iter().map(|(e, _)| e).collect();
                let used = derives_used(ruleset, None, &exprs);
                uses.entry(target).or_default().extend(used);
            }
            // A measure feeds the scores: exercised with any expected total.
            Item::Measure(m) => cite(&Target::Score, m.cite.as_ref()),
            // An output is exercised by an expected `outputs.NAME`.
            Item::Output(o) => cite(&Target::Consequence(o.name.name.clone()), o.cite.as_ref()),
            // The working-day calendar (issue 13 §8) feeds the scores like a measure.
            Item::Calendar(c) => {
                cite(&Target::Score, c.cite.as_ref());
                for year in &c.years {
                    cite(&Target::Score, year.cite.as_ref());
                }
            }
            _ => {}
        }
    }
    Citations {
        by_target,
        uses,
        group_caps,
        versions,
    }
}

/// The derived attributes `exprs` use (and the derives those use), as targets.
fn derives_used(ruleset: &Ruleset, kind: Option<&str>, exprs: &[&Expr]) -> BTreeSet<Target> {
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    for e in exprs {
        walk(ruleset, kind, e, &mut found);
    }
    // Derives defined over other derives.
    let mut pending: Vec<(String, String)> = found.iter().cloned().collect();
    while let Some((k, d)) = pending.pop() {
        let Some(expr) = ruleset
            .record(&k)
            .and_then(|r| r.derived.iter().find(|x| x.name.name == d))
            .map(|x| &x.expr)
        else {
            continue;
        };
        let mut more = BTreeSet::new();
        walk(ruleset, Some(&k), expr, &mut more);
        for m in more {
            if found.insert(m.clone()) {
                pending.push(m);
            }
        }
    }
    found
        .into_iter()
        .map(|(k, d)| Target::Derive(k, d))
        .collect()
}

fn walk(ruleset: &Ruleset, kind: Option<&str>, expr: &Expr, out: &mut BTreeSet<(String, String)>) {
    match &expr.kind {
        ExprKind::Path(path) => {
            if let ([name], Some(k)) = (path.as_slice(), kind) {
                let derived = ruleset
                    .record(k)
                    .is_some_and(|r| r.derived.iter().any(|d| d.name.name == name.name));
                if derived {
                    out.insert((k.to_owned(), name.name.clone()));
                }
            }
        }
        ExprKind::Unary(_, e) => walk(ruleset, kind, e, out),
        ExprKind::Binary(_, a, b) => {
            walk(ruleset, kind, a, out);
            walk(ruleset, kind, b, out);
        }
        ExprKind::Bands { subject, .. } => walk(ruleset, kind, subject, out),
        ExprKind::Duration { amount, .. } => walk(ruleset, kind, amount, out),
        ExprKind::If(c, a, b) => {
            walk(ruleset, kind, c, out);
            walk(ruleset, kind, a, out);
            walk(ruleset, kind, b, out);
        }
        ExprKind::Count {
            kind: k,
            filter: Some(f),
            ..
        } => walk(ruleset, Some(&k.name), f, out),
        ExprKind::Sum {
            kind: k,
            value,
            filter,
            ..
        } => {
            walk(ruleset, Some(&k.name), value, out);
            if let Some(f) = filter {
                walk(ruleset, Some(&k.name), f, out);
            }
        }
        ExprKind::Call { args, .. } => {
            for a in args {
                walk(ruleset, kind, a, out);
            }
        }
        _ => {}
    }
}

/// Every clause id the ruleset cites, each with the places citing it.
pub fn cited_clauses(ruleset: &Ruleset) -> BTreeMap<String, Vec<CitedAt>> {
    let mut out: BTreeMap<String, Vec<CitedAt>> = BTreeMap::new();
    for (target, clauses) in citations(ruleset).by_target {
        for (clause, line) in clauses {
            out.entry(clause).or_default().push(CitedAt {
                line,
                what: target.describe(),
            });
        }
    }
    for places in out.values_mut() {
        places.sort_by_key(|p| p.line);
        places.dedup();
    }
    out
}

/// The cited clause ids not in `exercised`.
pub(crate) fn uncovered(ruleset: &Ruleset, exercised: &BTreeSet<String>) -> Vec<Uncovered> {
    cited_clauses(ruleset)
        .into_iter()
        .filter(|(clause, _)| !exercised.contains(clause))
        .map(|(clause, cited_at)| Uncovered { clause, cited_at })
        .collect()
}

/// The declared clauses nothing in the ruleset cites, in id order.
pub(crate) fn uncited(ruleset: &Ruleset) -> Vec<Uncited> {
    let cited = cited_clauses(ruleset);
    let mut out: Vec<Uncited> = ruleset
        .syntax()
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Clause(c) if !cited.contains_key(&c.id.id) => Some(Uncited {
                clause: c.id.id.clone(),
                line: ruleset.source().line_column(c.id.span.start).line,
            }),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| a.clause.cmp(&b.clause));
    out.dedup_by(|a, b| a.clause == b.clause);
    out
}

/// (unit, period) pairs into which a late record was carried.
fn carried(ruleset: &Ruleset, facts: &Facts) -> BTreeSet<(String, Period)> {
    let mut out = BTreeSet::new();
    let Some(decl) = ruleset.period() else {
        return out;
    };
    let (Some((days, _)), Some((LatePolicy::Carried, _, _))) = (&decl.seal, &decl.late) else {
        return out;
    };
    for record in &facts.records {
        if record.reported > record.period.seal_date(days.value) {
            let arrived = Period::containing(ruleset.period_unit(), record.reported);
            out.insert((record.unit.to_string(), arrived));
        }
    }
    out
}

/// Whether the period policy acted on `result`'s unit in its scope: a record
/// rejected, superseded or carried in.
fn policy_acted(
    evaluation: &Evaluation,
    carried: &BTreeSet<(String, Period)>,
    result: &UnitResult,
) -> bool {
    let in_scope = |p: Period| match result.period {
        Period::Year(y) => p.year() == y,
        scope => p == scope,
    };
    evaluation
        .rejected
        .iter()
        .any(|r| r.unit == result.unit && in_scope(r.record.period))
        || carried
            .iter()
            .any(|(u, p)| u == &result.unit && in_scope(*p))
}

/// The declarations the score lines of `result` depend on (non-zero lines only),
/// restricted to `category` when given.
fn line_targets(
    citations: &Citations,
    result: &UnitResult,
    category: Option<&str>,
    out: &mut BTreeSet<Target>,
) {
    for item in &result.items {
        if item.amount.is_zero() {
            continue;
        }
        if category.is_some() && item.category.as_deref() != category {
            continue;
        }
        let name = item.rule.as_deref().unwrap_or_default().to_owned();
        match item.kind {
            ItemKind::Base => {
                out.insert(Target::Score);
            }
            ItemKind::Deduction | ItemKind::Bonus | ItemKind::Adjustment => {
                out.extend(citations.rule_targets(&name, result.period));
            }
            ItemKind::Cap if citations.group_caps.contains(&name) => {
                out.insert(Target::GroupCap(name));
            }
            ItemKind::Cap => {
                out.insert(Target::BonusCap(name));
            }
            ItemKind::Floor => {
                out.insert(Target::Floor(name));
            }
            ItemKind::Average => {
                out.insert(Target::Average(name));
            }
        }
        if let Some(c) = &item.category {
            out.insert(Target::Category(c.to_string()));
        }
    }
}

/// The clause ids `expectations` exercise, given the evaluation they were checked against.
pub(super) fn exercised(
    ruleset: &Ruleset,
    facts: &Facts,
    evaluation: &Evaluation,
    expectations: &[Expectation],
) -> BTreeSet<String> {
    let citations = citations(ruleset);
    let carried = carried(ruleset, facts);
    let mut targets: BTreeSet<Target> = BTreeSet::new();
    for block in expectations {
        if block.rejected.is_some()
            && !super::compare::rejected_in(evaluation, block.scope).is_empty()
        {
            targets.insert(Target::PeriodPolicy);
        }
        for unit in &block.units {
            let Some(result) = find(evaluation, block.scope, &unit.unit) else {
                continue;
            };
            targets.insert(Target::Group(result.group.to_string()));
            if matches!(block.scope, Period::Year(_)) {
                targets.insert(Target::Annual);
            } else {
                targets.insert(Target::PeriodHead);
            }
            if unit.total.is_some() || unit.converted.is_some() || unit.rank.is_some() {
                targets.insert(Target::Score);
                line_targets(&citations, result, None, &mut targets);
                if policy_acted(evaluation, &carried, result) {
                    targets.insert(Target::PeriodPolicy);
                }
            }
            if unit.converted.is_some() {
                targets.insert(Target::Convert);
            }
            if unit.rank.is_some() {
                if let Some(r) = &result.ranking {
                    targets.insert(Target::Ranking(r.to_string()));
                }
            }
            for (category, _) in &unit.categories {
                targets.insert(Target::Category(category.clone()));
                line_targets(&citations, result, Some(category), &mut targets);
            }
            if let Some(names) = &unit.notices {
                for n in &result.notices {
                    if n.kind != NoticeKind::Class && names.contains(&n.name) {
                        targets.insert(Target::Consequence(n.name.clone()));
                    }
                }
            }
            for (output, _) in &unit.outputs {
                if result.outputs.iter().any(|o| o.output.as_str() == output) {
                    targets.insert(Target::Consequence(output.clone()));
                }
            }
            for (classification, _) in &unit.classes {
                let given = result
                    .notices
                    .iter()
                    .any(|n| n.class.is_some() && &n.name == classification);
                if given {
                    targets.insert(Target::Consequence(classification.clone()));
                }
            }
        }
    }
    let used: Vec<Target> = targets
        .iter()
        .filter_map(|t| citations.uses.get(t))
        .flatten()
        .cloned()
        .collect();
    targets.extend(used);
    targets
        .iter()
        .filter_map(|t| citations.by_target.get(t))
        .flatten()
        .map(|(clause, _)| clause.clone())
        .collect()
}
