//! Random valid rulesets: a [`Spec`] built from [`Choices`], rendered as ruleset
//! text by [`Spec::render`].
//!
//! What a spec holds (every part of the language a ruleset can use, see
//! `docs/language.md`): a header with an effective range (a whole year, a part
//! of one, or across a year's end); assumptions, cited; 0–2 `levels` types;
//! 1–2 groups with integer attributes (some optional; the second group may be
//! `assessed annually` with `average when`); 1–4 record kinds with fields of
//! every type (some optional), `derive`s and `key`s; a monthly, quarterly,
//! half-yearly, weekly (ISO 8601) or yearly period (with `period year` no
//! `annual`, `assessed annually` or `per year` ranking), amendable or sealed (`late rejected`, `late carried` or the
//! default); a score block with a base and 1–3 categories (allotments adding up
//! to the base, floors, `cap bonuses … per period|year`) holding 1–6 rules of
//! every kind (`deduct`, `bonus`, `adjust`) with `per … where …`, `when`,
//! constant or computed amounts, level tables, rank tables, `times … when …`,
//! `once per … keep highest` (by a field or by `unit`), `cap N per period|year`, `effective` ranges and
//! rule versions; group caps; per-period and per-year rankings by total,
//! attributes and discretion with `ties shared`, some `within` an attribute;
//! notices, flags, classifications
//! and quotas (with `ranked …`, `previous(…)`, `count`, `sum`); an `annual` block
//! (pooled or summed, with `convert … round …`).
//!
//! Expressions use every operator, `if`, `count`, `sum`, `min`, `max`, `abs`,
//! `overdue`, `present`, `previous`, `ranked`, `as_of`, `period_start`,
//! `period_end`, bare level names and `unit.` attributes.
//!
//! Generated rulesets check without errors *and without warnings*: every rule
//! cites a clause, every input is used, every limit can bind. A safe spec
//! (the default) also never makes evaluation fail: it does no arithmetic on
//! optional values, divides only by non-zero constants, computes deductions and
//! bonuses that cannot be negative, and uses in a rule only unit attributes that
//! every group declares. A *risky* spec ([`Spec::generate`] with `risky`) drops
//! these precautions, so evaluation may fail — but only for the causes
//! `docs/embedding.md` documents.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Choices, Day, Per, PerKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    Integer,
    Decimal,
    Date,
    Text,
    Bool,
    Levels(usize),
}

impl Ty {
    fn numeric(&self) -> bool {
        matches!(self, Ty::Integer | Ty::Decimal)
    }
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub ty: Ty,
    pub optional: bool,
}

#[derive(Clone, Debug)]
pub struct Derive {
    pub name: String,
    pub expr: String,
    /// `Bool` or `Decimal`.
    pub ty: Ty,
}

#[derive(Clone, Debug)]
pub struct Kind {
    pub name: String,
    pub label: String,
    pub fields: Vec<Field>,
    pub derives: Vec<Derive>,
    pub key: Option<String>,
    pub braces: bool,
}

#[derive(Clone, Debug)]
pub struct Levels {
    pub name: String,
    pub label: Option<String>,
    /// Names and labels, highest first.
    pub levels: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug)]
pub struct Attr {
    pub name: String,
    pub optional: bool,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub name: String,
    pub label: String,
    pub attrs: Vec<Attr>,
    pub annually: bool,
    pub average_when: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Late {
    Default,
    Rejected,
    Carried,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Amendable,
    Sealed { days: u32, late: Late },
}

/// The scope of a cap; `Implicit` is written without `per …` and means a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Implicit,
    Period,
    Year,
}

impl Scope {
    pub fn is_year(self) -> bool {
        self == Scope::Year
    }

    fn render(self) -> &'static str {
        match self {
            Scope::Implicit => "",
            Scope::Period => " per period",
            Scope::Year => " per year",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Deduct,
    Bonus,
    Adjust,
}

impl RuleKind {
    fn keyword(self) -> &'static str {
        match self {
            RuleKind::Deduct => "deduct",
            RuleKind::Bonus => "bonus",
            RuleKind::Adjust => "adjust",
        }
    }
}

#[derive(Clone, Debug)]
pub enum Amount {
    Expr(String),
    ByLevel {
        field: String,
        entries: Vec<(String, String)>,
    },
    ByRank {
        rank: String,
        of: String,
        top: Vec<String>,
        bottom: Vec<String>,
        overlap: Option<&'static str>,
    },
    /// `amount discretion F to T` (issue 13 §6); F is 1 or 2 and T 5 or 10,
    /// so the ranges of several rules over one kind always overlap and the
    /// generated facts decide the largest F.
    Discretion(u32, u32),
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub kind: RuleKind,
    pub name: String,
    pub label: String,
    pub cite: String,
    /// Record kind (index into `Spec::kinds`) and filter.
    pub per: Option<(usize, Option<String>)>,
    pub when: Vec<String>,
    pub amount: Amount,
    /// Factor, condition, citation.
    pub times: Vec<(String, String, Option<String>)>,
    pub once_per: Option<String>,
    pub caps: Vec<(u32, Scope)>,
    pub effective: Option<(Day, Day)>,
}

impl Rule {
    /// Whether the amount is a bare number (the checker's "constant amount").
    fn constant_amount(&self) -> Option<f64> {
        match &self.amount {
            Amount::Expr(e) => e.parse().ok(),
            _ => None,
        }
    }

    pub fn in_force(&self, period: Per) -> bool {
        self.effective
            .is_none_or(|(from, to)| period.end() >= from && period.start() <= to)
    }
}

#[derive(Clone, Debug)]
pub struct Category {
    pub name: String,
    pub label: String,
    pub allot: Option<i64>,
    pub floor: Option<i64>,
    pub bonus_cap: Option<(u32, Scope)>,
    pub rules: Vec<Rule>,
    /// `outside total` (issue 13 §10): reported on its own, never in the total.
    pub outside: bool,
}

impl Category {
    fn can_deduct(&self) -> bool {
        self.rules
            .iter()
            .any(|r| matches!(r.kind, RuleKind::Deduct | RuleKind::Adjust))
    }

    fn can_add(&self) -> bool {
        self.rules
            .iter()
            .any(|r| matches!(r.kind, RuleKind::Bonus | RuleKind::Adjust))
    }
}

#[derive(Clone, Debug)]
pub struct GroupCap {
    pub name: String,
    pub label: String,
    pub limit: u32,
    pub scope: Scope,
    pub rules: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Omitted,
    Desc,
    Asc,
}

#[derive(Clone, Debug)]
pub struct Ranking {
    pub name: String,
    pub label: String,
    pub group: usize,
    pub per_year: bool,
    /// `within attr`: one ranking per value of the attribute.
    pub within: Option<String>,
    /// `total`, `discretion` or an attribute, with its direction.
    pub keys: Vec<(String, Dir)>,
    /// `only when attr >= n` (issue 13 §3): only units whose attribute is
    /// present and at least `n` are ranked.
    pub only: Option<(String, i64)>,
}

#[derive(Clone, Debug)]
pub struct Annual {
    pub pooled: bool,
    pub convert: Option<(String, Option<(u32, &'static str)>)>,
}

#[derive(Clone, Debug)]
pub struct Spec {
    pub id: String,
    pub from: Day,
    pub to: Day,
    pub unit: PerKind,
    pub assumptions: Vec<String>,
    /// Whether the ruleset declares the texts of the clauses it cites
    /// (`clause [T-1] "…"`), which makes the checker require every cited id to be declared.
    pub clause_texts: bool,
    pub levels: Vec<Levels>,
    pub groups: Vec<Group>,
    pub kinds: Vec<Kind>,
    pub policy: Policy,
    pub base: i64,
    /// `score of g0, g1, …` naming every group (issue 13 §10) instead of `score`.
    pub score_of: bool,
    /// `allotments sum N`: the allotments of the categories in the total add
    /// up to N, not to the base (issue 13 §10).
    pub allotments: Option<i64>,
    /// An `input` declaration (issue 13 §11). Declared only: reading it
    /// needs a sub-assessment's result, which the properties do not supply
    /// (tests/inputs.rs covers reading).
    pub input: bool,
    pub categories: Vec<Category>,
    pub group_caps: Vec<GroupCap>,
    pub annual: Option<Annual>,
    pub rankings: Vec<Ranking>,
    /// Rendered notices, flags, classifications and quotas.
    pub consequences: Vec<String>,
    /// Rendered `measure` declarations (issue 13 §4).
    pub measures: Vec<String>,
    /// Whether the spec may make evaluation fail (see the module docs).
    pub risky: bool,
}

const LABELS: &[&str] = &[
    "重点工作",
    "日常工作",
    "个性化考核",
    "数据报送",
    "指标进度",
    "媒体报道",
    "质量问题",
    "批示\\\"表扬\\\"",
];
const TEXTS: &[&str] = &["甲", "乙", "丙丁", "a b"];
const LEVEL_NAMES: &[&str] = &["central", "provincial", "city", "county", "town"];
const LEVEL_LABELS: &[&str] = &["中央", "省级", "市级", "县级", "乡镇"];
const ATTRS: &[&str] = &["staff", "tasks", "indicators", "size"];
const CLAUSES: &[&str] = &["T-1", "T-2.1", "T-3.1①", "T-3.2②", "T-4", "T-5.1"];
const OPS: &[&str] = &["==", "!=", "<", "<=", ">", ">="];

/// What expressions in one place can see.
#[derive(Clone, Debug)]
struct Sc {
    /// The record kind in scope.
    record: Option<usize>,
    /// Unit attributes an expression may use without failing.
    attrs: Vec<Attr>,
    /// Whether `ranked …` is allowed (consequences only).
    ranked: bool,
    /// Whether `previous(…)` is allowed (a record with a key).
    previous: bool,
}

/// The generator's state while building a spec.
struct Gen<'c> {
    c: &'c mut Choices,
    risky: bool,
    from: Day,
    to: Day,
    unit: PerKind,
    levels: Vec<Levels>,
    groups: Vec<Group>,
    kinds: Vec<Kind>,
    used_kinds: BTreeSet<usize>,
    used_attrs: BTreeSet<String>,
    period_rankings: Vec<String>,
    /// Declared measures (`q0`, `q1`, …) that expressions may read.
    measures: Vec<String>,
}

fn paren(s: String) -> String {
    format!("({s})")
}

impl Gen<'_> {
    fn label(&mut self) -> String {
        (*self.c.pick(LABELS)).to_owned()
    }

    fn cite(&mut self, assumptions: &[String]) -> String {
        let mut ids = vec![(*self.c.pick(CLAUSES)).to_owned()];
        if self.c.chance(30) {
            ids.push((*self.c.pick(CLAUSES)).to_owned());
        }
        if !assumptions.is_empty() && self.c.chance(30) {
            ids.push(self.c.pick(assumptions).clone());
        }
        format!("[{}]", ids.join(", "))
    }

    /// A small number literal (never negative).
    fn lit(&mut self) -> String {
        (*self
            .c
            .pick(&["1", "2", "0", "3", "5", "0.5", "10", "2.5", "12", "1.25"]))
        .to_owned()
    }

    fn pos_lit(&mut self) -> String {
        (*self
            .c
            .pick(&["1", "2", "3", "5", "0.5", "10", "2.5", "1.25"]))
        .to_owned()
    }

    fn date_lit(&mut self) -> String {
        let span = (self.to.0 - self.from.0).max(0);
        self.from.add(self.c.between(-20, span + 20)).to_string()
    }

    /// Fields of kind `k` (and derives) usable as names: (name, type, optional).
    fn names_of(&self, k: usize) -> Vec<(String, Ty, bool)> {
        let kind = &self.kinds[k];
        let mut out: Vec<(String, Ty, bool)> = kind
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone(), f.optional))
            .collect();
        out.extend(
            kind.derives
                .iter()
                .map(|d| (d.name.clone(), d.ty.clone(), false)),
        );
        out
    }

    fn level_of(&mut self, levels: usize) -> String {
        let names: Vec<String> = self.levels[levels]
            .levels
            .iter()
            .map(|(n, _)| n.clone())
            .collect();
        self.c.pick(&names).clone()
    }

    // -------------------------------------------------------------- conditions

    fn cond(&mut self, s: &Sc, depth: u32) -> String {
        if depth > 0 {
            match self.c.below(14) {
                9 | 10 => {
                    let a = self.cond_operand(s, depth - 1);
                    let b = self.cond_operand(s, depth - 1);
                    return format!("{a} and {b}");
                }
                11 => {
                    let a = self.cond_operand(s, depth - 1);
                    let b = self.cond_operand(s, depth - 1);
                    return format!("{a} or {b}");
                }
                12 => {
                    let a = self.cond(s, depth - 1);
                    return format!("not {}", paren(a));
                }
                13 => {
                    let a = self.cond(s, depth - 1);
                    let b = self.cond(s, depth - 1);
                    let e = self.cond(s, depth - 1);
                    return format!("if {a} then {b} else {e}");
                }
                _ => {}
            }
        }
        self.atom(s)
    }

    fn cond_operand(&mut self, s: &Sc, depth: u32) -> String {
        let c = self.cond(s, depth);
        if c.contains(" and ") || c.contains(" or ") || c.starts_with("if ") {
            paren(c)
        } else {
            c
        }
    }

    fn atom(&mut self, s: &Sc) -> String {
        // Which atom families are available here.
        let mut families: Vec<u8> = Vec::new();
        if s.record.is_some() {
            families.extend([0, 0, 0, 0]);
        }
        if !s.attrs.is_empty() {
            families.push(1);
        }
        families.push(2); // count / sum
        families.push(3); // constants and built-ins
        if s.ranked && !self.period_rankings.is_empty() {
            families.push(4);
        }
        if s.previous {
            families.push(5);
        }
        match *self.c.pick(&families) {
            0 => {
                let k = s.record.unwrap_or(0);
                self.field_atom(k)
            }
            1 => {
                let attr = self.c.pick(&s.attrs).clone();
                self.used_attrs.insert(attr.name.clone());
                let name = if self.c.chance(50) {
                    format!("unit.{}", attr.name)
                } else {
                    attr.name.clone()
                };
                if attr.optional && self.c.chance(30) {
                    return format!("present({name})");
                }
                let op = self.c.pick(OPS);
                let n = self.c.between(0, 4);
                format!("{name} {op} {n}")
            }
            2 => {
                // Sometimes the scope's own kind, related to the scored record
                // with `this.` (issue 13 §5).
                let k = match s.record {
                    Some(outer) if self.c.chance(40) => outer,
                    _ => self.c.below(self.kinds.len()),
                };
                self.used_kinds.insert(k);
                let inner = Sc {
                    record: Some(k),
                    attrs: s.attrs.clone(),
                    ranked: false,
                    previous: false,
                };
                let same: Vec<String> = if s.record == Some(k) {
                    self.kinds[k]
                        .fields
                        .iter()
                        .filter(|f| !f.optional)
                        .map(|f| f.name.clone())
                        .collect()
                } else {
                    Vec::new()
                };
                let mut filter = if !same.is_empty() && self.c.chance(60) {
                    let f = self.c.pick(&same).clone();
                    format!(" where {f} == this.{f}")
                } else if self.c.chance(50) {
                    format!(" where {}", self.cond(&inner, 1))
                } else {
                    String::new()
                };
                if self.c.chance(20) {
                    // The periods before the evaluated one.
                    filter.push_str(&format!(" in previous {} periods", self.c.between(1, 3)));
                }
                let op = self.c.pick(OPS);
                if self.c.chance(25) {
                    let value = self.num(&inner, 1, false);
                    let n = self.c.between(-2, 20);
                    format!("sum({}, {value}{filter}) {op} {n}", self.kinds[k].name)
                } else {
                    let n = self.c.between(0, 3);
                    // `count(…) < 0` never holds (`kaohe::never_holds`).
                    let n = if *op == "<" { n.max(1) } else { n };
                    format!("count({}{filter}) {op} {n}", self.kinds[k].name)
                }
            }
            3 => {
                let choice = self.c.below(4);
                match choice {
                    // Always true and always false, in forms the checker's
                    // contradiction analysis does not see through (a literal
                    // `false` draws `kaohe::never_holds`).
                    0 => "as_of >= 1900-01-01".to_owned(),
                    1 => "as_of < 1900-01-01".to_owned(),
                    2 => {
                        let d = self.date_lit();
                        let op = self.c.pick(OPS);
                        format!("as_of {op} {d}")
                    }
                    _ => {
                        let d = self.date_lit();
                        let which = self.c.pick(&["period_start", "period_end"]);
                        let op = self.c.pick(OPS);
                        format!("{which} {op} {d}")
                    }
                }
            }
            4 => {
                if self.c.chance(25) {
                    // The unit's results, this period and the one before (issue 13 §13).
                    let n = self.c.between(0, 6);
                    return match self.c.below(4) {
                        0 => "rank < previous_rank".to_owned(),
                        1 => "(present(previous_rank) and previous_rank <= rank)".to_owned(),
                        // A category's subtotal (issue 13 §10); absent, and the
                        // comparison false, when `c0` has none.
                        2 => format!("subtotal(c0) >= {n}"),
                        _ => format!("(present(previous_total) and previous_total - total >= {n})"),
                    };
                }
                let side = self.c.pick(&["bottom", "top"]);
                let n = self.c.between(1, 3);
                let k = self.c.between(1, 3);
                let in_ranking = if self.period_rankings.len() == 1 && self.c.chance(50) {
                    String::new()
                } else {
                    format!(" in {}", self.c.pick(&self.period_rankings.clone()))
                };
                let ties = if self.c.chance(25) {
                    " ties straddling"
                } else {
                    ""
                };
                if self.c.chance(15) {
                    // The evaluated period only (a list such as 红榜前5名).
                    format!("ranked {side} {n}{in_ranking}{ties}")
                } else if self.c.chance(30) {
                    // A count within the calendar year (issue 13 §1); a year
                    // has only 2 half-years, and 1 year.
                    let k = match self.unit {
                        PerKind::Half => k.min(2),
                        PerKind::Year => 1,
                        _ => k,
                    };
                    format!("ranked {side} {n} in {k} periods this year{in_ranking}{ties}")
                } else {
                    format!("ranked {side} {n} for {k} consecutive periods{in_ranking}{ties}")
                }
            }
            _ => {
                let k = s.record.unwrap_or(0);
                let names = self.names_of(k);
                let (name, ty, _) = self.c.pick(&names).clone();
                match ty {
                    Ty::Bool => format!("previous({name})"),
                    Ty::Integer | Ty::Decimal => {
                        let op = self.c.pick(OPS);
                        let n = self.c.between(0, 20);
                        format!("previous({name}) {op} {n}")
                    }
                    Ty::Levels(l) => {
                        // `previous(x) == level` does not check (the bare level
                        // name is not resolved against `previous`'s type).
                        let level = self.level_of(l);
                        format!("previous({name} == {level})")
                    }
                    Ty::Text => {
                        let t = self.c.pick(TEXTS);
                        format!("previous({name}) != \"{t}\"")
                    }
                    Ty::Date => format!("previous({name}) <= as_of"),
                }
            }
        }
    }

    /// A condition on one attribute of record kind `k`.
    fn field_atom(&mut self, k: usize) -> String {
        let names = self.names_of(k);
        if names.is_empty() {
            return self.pick_bool_literal();
        }
        let (name, ty, optional) = self.c.pick(&names).clone();
        if optional && self.c.chance(20) {
            return if self.c.chance(50) {
                format!("present({name})")
            } else {
                format!("not present({name})")
            };
        }
        match ty {
            Ty::Integer | Ty::Decimal => {
                let op = self.c.pick(OPS);
                let others: Vec<String> = names
                    .iter()
                    .filter(|(n, t, _)| t.numeric() && *n != name)
                    .map(|(n, _, _)| n.clone())
                    .collect();
                if !others.is_empty() && self.c.chance(25) {
                    let other = self.c.pick(&others).clone();
                    format!("{name} {op} {other}")
                } else {
                    let n = self.c.between(-1, 15);
                    let frac = if self.c.chance(20) { ".5" } else { "" };
                    if n < 0 {
                        format!("{name} {op} -1{frac}")
                    } else {
                        format!("{name} {op} {n}{frac}")
                    }
                }
            }
            Ty::Date => {
                let others: Vec<String> = names
                    .iter()
                    .filter(|(n, t, _)| *t == Ty::Date && *n != name)
                    .map(|(n, _, _)| n.clone())
                    .collect();
                match self.c.below(5) {
                    0 => {
                        let op = self.c.pick(OPS);
                        let d = self.date_lit();
                        format!("{name} {op} {d}")
                    }
                    1 => {
                        let op = self.c.pick(OPS);
                        let b = self.c.pick(&["as_of", "period_start", "period_end"]);
                        format!("{name} {op} {b}")
                    }
                    2 if !others.is_empty() => {
                        let other = self.c.pick(&others).clone();
                        format!("overdue({name}, {other})")
                    }
                    3 if !others.is_empty() => {
                        let other = self.c.pick(&others).clone();
                        let op = self.c.pick(OPS);
                        format!("{name} {op} {other}")
                    }
                    4 if self.c.chance(70) => self.date_arithmetic(&name, &others),
                    _ => format!("{name} <= as_of"),
                }
            }
            Ty::Text => {
                let op = self.c.pick(&["==", "!="]);
                let t = self.c.pick(TEXTS);
                format!("{name} {op} \"{t}\"")
            }
            Ty::Bool => match self.c.below(3) {
                0 => name,
                1 => format!("not {name}"),
                _ => format!("{name} == true"),
            },
            Ty::Levels(l) => {
                let level = self.level_of(l);
                let op = self.c.pick(&["==", "!="]);
                if self.c.chance(20) {
                    format!("{level} {op} {name}")
                } else {
                    format!("{name} {op} {level}")
                }
            }
        }
    }

    /// Date arithmetic (issue 13 §8): a date moved by days, months or
    /// working days, and the days between two dates. Working days make the
    /// ruleset declare `calendar cn` (see [`Spec::render`]).
    fn date_arithmetic(&mut self, name: &str, others: &[String]) -> String {
        let op = self.c.pick(OPS);
        let n = self.c.between(0, 10);
        let other = if others.is_empty() || self.c.chance(30) {
            self.date_lit()
        } else {
            self.c.pick(others).clone()
        };
        match self.c.below(5) {
            0 => format!("{name} + {n} days {op} {other}"),
            1 => format!("{name} - {n} months {op} {other}"),
            2 => format!("{name} + {n} working days {op} {other}"),
            3 => format!("days_between({name}, {other}) {op} {n}"),
            _ => format!("working_days_between({other}, {name}) {op} {n}"),
        }
    }

    fn pick_bool_literal(&mut self) -> String {
        // See `atom`: no boolean literals (`kaohe::never_holds`).
        (*self.c.pick(&["as_of >= 1900-01-01", "as_of < 1900-01-01"])).to_owned()
    }

    // -------------------------------------------------------------- numbers

    /// A record kind other than the scope's own record kind (any kind outside
    /// a record scope), or `None` when there is no other.
    fn other_kind(&mut self, s: &Sc) -> Option<usize> {
        let choices: Vec<usize> = (0..self.kinds.len())
            .filter(|k| s.record != Some(*k))
            .collect();
        if choices.is_empty() {
            None
        } else {
            Some(*self.c.pick(&choices))
        }
    }

    /// A number expression. With `nonneg` it is never negative; a safe spec's
    /// numbers never fail to evaluate.
    fn num(&mut self, s: &Sc, depth: u32, nonneg: bool) -> String {
        if self.risky && depth > 0 && self.c.chance(20) {
            // A division by a value that may well be zero.
            let a = self.num(s, depth - 1, nonneg);
            let other = self.other_kind(s);
            let b = if let (true, Some(k)) = (self.c.chance(50), other) {
                self.used_kinds.insert(k);
                format!("count({})", self.kinds[k].name)
            } else {
                self.num(s, 0, true)
            };
            return paren(format!("{a} / {b}"));
        }
        let pick = if depth == 0 {
            self.c.below(5)
        } else {
            self.c.below(12)
        };
        match pick {
            0 | 1 => {
                if !nonneg && self.c.chance(25) {
                    format!("-{}", self.pos_lit())
                } else {
                    self.lit()
                }
            }
            2 => {
                // A numeric record attribute.
                let Some(k) = s.record else {
                    return self.lit();
                };
                let numeric: Vec<(String, bool)> = self
                    .names_of(k)
                    .into_iter()
                    .filter(|(_, t, optional)| t.numeric() && (!optional || self.risky))
                    .map(|(n, _, o)| (n, o))
                    .collect();
                if numeric.is_empty() {
                    return self.lit();
                }
                let (name, _) = self.c.pick(&numeric).clone();
                if nonneg {
                    if self.c.chance(50) {
                        format!("abs({name})")
                    } else {
                        format!("max(0, {name})")
                    }
                } else {
                    name
                }
            }
            3 => {
                // A unit attribute (values are never negative).
                let attrs: Vec<Attr> = s
                    .attrs
                    .iter()
                    .filter(|a| !a.optional || self.risky)
                    .cloned()
                    .collect();
                if attrs.is_empty() {
                    return self.lit();
                }
                let attr = self.c.pick(&attrs).clone();
                self.used_attrs.insert(attr.name.clone());
                format!("unit.{}", attr.name)
            }
            4 => {
                // Never an aggregate over the scope's own record kind: in a
                // `per K` amount that counts every record again for each one
                // (`kaohe::count_in_amount`).
                let Some(k) = self.other_kind(s) else {
                    return self.lit();
                };
                self.used_kinds.insert(k);
                let inner = Sc {
                    record: Some(k),
                    attrs: s.attrs.clone(),
                    ranked: false,
                    previous: false,
                };
                let filter = if self.c.chance(40) {
                    format!(" where {}", self.cond(&inner, 0))
                } else {
                    String::new()
                };
                if self.c.chance(40) {
                    let value = self.num(&inner, 0, nonneg);
                    format!("sum({}, {value}{filter})", self.kinds[k].name)
                } else {
                    format!("count({}{filter})", self.kinds[k].name)
                }
            }
            5 | 6 => {
                let a = self.num(s, depth - 1, nonneg);
                let b = self.num(s, depth - 1, nonneg);
                let op = self.c.pick(&["+", "*"]);
                paren(format!("{a} {op} {b}"))
            }
            7 => {
                let a = self.num(s, depth - 1, false);
                let b = self.num(s, depth - 1, false);
                if nonneg {
                    if self.c.chance(50) {
                        format!("abs({a} - {b})")
                    } else {
                        format!("max(0, {a} - {b})")
                    }
                } else {
                    paren(format!("{a} - {b}"))
                }
            }
            8 => {
                let a = self.num(s, depth - 1, nonneg);
                if self.risky && self.c.chance(30) {
                    // May divide by zero.
                    let b = self.num(s, depth - 1, true);
                    paren(format!("{a} / {b}"))
                } else {
                    // Terminating divisors keep a safe spec's values decimal
                    // (the properties compare them as decimals); a risky one
                    // also divides by 3 (an exact fraction).
                    let divisors: &[&str] = if self.risky {
                        &["2", "4", "5", "10", "3"]
                    } else {
                        &["2", "4", "5", "10"]
                    };
                    let d = self.c.pick(divisors);
                    paren(format!("{a} / {d}"))
                }
            }
            9 => {
                let f = self.c.pick(&["min", "max"]);
                let a = self.num(s, depth - 1, nonneg);
                let b = self.num(s, depth - 1, nonneg);
                if self.c.chance(30) {
                    let e = self.num(s, depth - 1, nonneg);
                    format!("{f}({a}, {b}, {e})")
                } else {
                    format!("{f}({a}, {b})")
                }
            }
            10 if !self.measures.is_empty() && self.c.chance(60) => {
                // A measure: its peers, or the unit's place (absent for a
                // unit of another group, hence guarded). Every group has a
                // unit in generated facts: peers never fail.
                let m = self.c.pick(&self.measures.clone()).clone();
                match self.c.below(7) {
                    0 => format!("(if present(place({m})) then place({m}) else 0)"),
                    1 => format!("(if present(measure({m})) then measure({m}) else 1)"),
                    2 => format!("peer_max({m})"),
                    3 => format!("peer_min({m})"),
                    4 => format!("peer_average({m})"),
                    5 => format!("peer_sum({m})"),
                    _ => format!("peer_count({m})"),
                }
            }
            10 if self.c.chance(40) => {
                // Bands and steps (issue 13 §4, §7).
                let a = self.num(s, depth - 1, false);
                match self.c.below(3) {
                    0 => format!("bands({a}, upto 1: 2, upto 5: 1)"),
                    1 => format!("bands({a}, from 10: 3, from 2: 1, else: 0.5)"),
                    _ => format!("steps({a}, {})", self.c.pick(&["1", "2", "0.5"])),
                }
            }
            10 => {
                if self.c.chance(70) {
                    let a = self.num(s, depth - 1, false);
                    format!("abs({a})")
                } else {
                    // Declared rounding of a quotient that need not terminate:
                    // the result terminates, so even a safe spec may use it.
                    let a = self.num(s, depth - 1, nonneg);
                    let d = self.c.pick(&["3", "7"]);
                    match self.c.below(3) {
                        0 => {
                            let places = self.c.between(0, 2);
                            let mode = self.c.pick(&["half_up", "half_even", "down", "up"]);
                            format!("round({a} / {d}, {places}, {mode})")
                        }
                        1 => format!("floor({a} / {d})"),
                        _ => format!("ceil({a} / {d})"),
                    }
                }
            }
            _ => {
                let c = self.cond(s, 1);
                let a = self.num(s, depth - 1, nonneg);
                let b = self.num(s, depth - 1, nonneg);
                paren(format!("if {c} then {a} else {b}"))
            }
        }
    }

    // -------------------------------------------------------------- inputs

    fn field(&mut self, name: String) -> Field {
        let mut types = vec![Ty::Integer, Ty::Decimal, Ty::Date, Ty::Text, Ty::Bool];
        types.extend((0..self.levels.len()).map(Ty::Levels));
        let ty = self.c.pick(&types).clone();
        let label = self.label();
        Field {
            name,
            label,
            ty,
            optional: self.c.chance(30),
        }
    }

    fn kind(&mut self, k: usize) -> Kind {
        let n = self.c.below(5);
        let mut fields: Vec<Field> = (0..n).map(|i| self.field(format!("f{k}_{i}"))).collect();
        // Rank tables want two integer fields now and then.
        if self.c.chance(15) {
            for (i, name) in ["rank", "ranked"].iter().enumerate() {
                let _ = i;
                fields.push(Field {
                    name: format!("{name}{k}"),
                    label: "名次".to_owned(),
                    ty: Ty::Integer,
                    optional: false,
                });
            }
        }
        let label = self.label();
        let mut kind = Kind {
            name: format!("k{k}"),
            label,
            fields,
            derives: Vec::new(),
            key: None,
            braces: self.c.chance(50),
        };
        // A derive over two fields of one type, or over a number.
        if self.c.chance(35) {
            let numeric: Vec<&Field> = kind.fields.iter().filter(|f| f.ty.numeric()).collect();
            let dates: Vec<&Field> = kind.fields.iter().filter(|f| f.ty == Ty::Date).collect();
            let name = format!("d{k}");
            if dates.len() >= 2 && self.c.chance(60) {
                let a = dates[0].name.clone();
                let b = dates[1].name.clone();
                let op = self.c.pick(OPS);
                kind.derives.push(Derive {
                    name,
                    expr: format!("{a} {op} {b}"),
                    ty: Ty::Bool,
                });
            } else if let Some(f) = numeric.first() {
                let f = f.name.clone();
                let optional = kind.fields.iter().any(|x| x.name == f && x.optional);
                if optional || self.c.chance(50) {
                    let op = self.c.pick(OPS);
                    let n = self.c.between(0, 10);
                    kind.derives.push(Derive {
                        name,
                        expr: format!("{f} {op} {n}"),
                        ty: Ty::Bool,
                    });
                } else {
                    let n = self.pos_lit();
                    kind.derives.push(Derive {
                        name,
                        expr: format!("{f} - {n}"),
                        ty: Ty::Decimal,
                    });
                }
            }
        }
        // A key for `previous(…)`: a required text or levels field.
        let keys: Vec<String> = kind
            .fields
            .iter()
            .filter(|f| !f.optional && matches!(f.ty, Ty::Text | Ty::Levels(_)))
            .map(|f| f.name.clone())
            .collect();
        if !keys.is_empty() && self.c.chance(40) {
            kind.key = Some(self.c.pick(&keys).clone());
        }
        if !kind.fields.is_empty() || !kind.derives.is_empty() || kind.key.is_some() {
            kind.braces = true;
        }
        kind
    }

    /// Unit attributes every group declares (safe to use in any rule).
    fn common_attrs(&self) -> Vec<Attr> {
        let Some(first) = self.groups.first() else {
            return Vec::new();
        };
        first
            .attrs
            .iter()
            .filter(|a| {
                self.groups
                    .iter()
                    .all(|g| g.attrs.iter().any(|b| b.name == a.name))
            })
            .cloned()
            .collect()
    }

    /// Unit attributes a rule may use: in a risky spec, any declared one.
    fn rule_attrs(&self) -> Vec<Attr> {
        if self.risky {
            let mut all: Vec<Attr> = Vec::new();
            for g in &self.groups {
                for a in &g.attrs {
                    if !all.iter().any(|b| b.name == a.name) {
                        all.push(a.clone());
                    }
                }
            }
            all
        } else {
            self.common_attrs()
        }
    }

    // -------------------------------------------------------------- rules

    fn rule(&mut self, kind: RuleKind, name: String, assumptions: &[String]) -> Rule {
        let label = self.label();
        let cite = self.cite(assumptions);
        let attrs = self.rule_attrs();
        let per = if self.c.chance(85) || self.c.below(2) == 0 {
            let k = self.c.below(self.kinds.len());
            self.used_kinds.insert(k);
            let scope = Sc {
                record: Some(k),
                attrs: attrs.clone(),
                ranked: false,
                previous: false,
            };
            let filter = if self.c.chance(60) {
                Some(self.cond(&scope, 2))
            } else {
                None
            };
            Some((k, filter))
        } else {
            None
        };
        let scope = Sc {
            record: per.as_ref().map(|(k, _)| *k),
            attrs,
            ranked: false,
            previous: false,
        };
        let mut when = Vec::new();
        while when.len() < 2 && self.c.chance(20) {
            when.push(self.cond(&scope, 1));
        }
        let amount = self.amount(kind, &scope);
        let mut times = Vec::new();
        while times.len() < 2 && self.c.chance(25) {
            let factor = if self.c.chance(80) {
                (*self.c.pick(&["2", "3", "0.5", "1.5", "0"])).to_owned()
            } else {
                self.num(&scope, 1, kind != RuleKind::Adjust)
            };
            let condition = self.cond(&scope, 1);
            let cite = if self.c.chance(50) {
                Some(self.cite(assumptions))
            } else {
                None
            };
            times.push((factor, condition, cite));
        }
        let once_per = match per {
            Some((k, _)) if self.c.chance(25) && !self.kinds[k].fields.is_empty() => {
                let mut names: Vec<String> = self.kinds[k]
                    .fields
                    .iter()
                    .map(|f| f.name.clone())
                    .collect();
                // `once per unit`: the unit's best single record.
                names.push("unit".to_owned());
                Some(self.c.pick(&names).clone())
            }
            _ => None,
        };
        let mut rule = Rule {
            kind,
            name,
            label,
            cite,
            per,
            when,
            amount,
            times,
            once_per,
            caps: Vec::new(),
            effective: None,
        };
        while rule.caps.len() < 2 && self.c.chance(if rule.caps.is_empty() { 35 } else { 20 }) {
            let n = u32::try_from(self.c.between(1, 12)).unwrap_or(1);
            let scope = *self.c.pick(&[Scope::Implicit, Scope::Period, Scope::Year]);
            // A per-period cap on a rule that fires once with a constant amount
            // never binds (the checker warns): keep those out.
            let once_constant = rule.per.is_none()
                && rule.times.is_empty()
                && rule.constant_amount().is_some_and(|a| a <= f64::from(n));
            if once_constant && !scope.is_year() {
                continue;
            }
            rule.caps.push((n, scope));
        }
        if self.c.chance(12) {
            // An effective range inside the ruleset's, on period boundaries.
            let periods = periods_between(self.unit, self.from, self.to);
            if periods.len() >= 2 {
                let a = self.c.below(periods.len());
                let b = a + self.c.below(periods.len() - a);
                let from = periods[a].start().max(self.from);
                let to = periods[b].end().min(self.to);
                rule.effective = Some((from, to));
            }
        }
        rule
    }

    fn amount(&mut self, kind: RuleKind, s: &Sc) -> Amount {
        let signed = kind == RuleKind::Adjust;
        let fields: Vec<Field> = s
            .record
            .map(|k| self.kinds[k].fields.clone())
            .unwrap_or_default();
        let level_fields: Vec<&Field> = fields
            .iter()
            .filter(|f| matches!(f.ty, Ty::Levels(_)))
            .collect();
        let int_fields: Vec<&Field> = fields.iter().filter(|f| f.ty == Ty::Integer).collect();
        let entry = |g: &mut Self| -> String {
            if signed && g.c.chance(40) {
                format!("-{}", g.pos_lit())
            } else {
                g.lit()
            }
        };
        match self.c.below(8) {
            3 | 4 if !level_fields.is_empty() => {
                let field = (*self.c.pick(&level_fields)).clone();
                let Ty::Levels(l) = field.ty else {
                    unreachable!()
                };
                let names: Vec<String> = self.levels[l]
                    .levels
                    .iter()
                    .map(|(n, _)| n.clone())
                    .collect();
                let order = self.c.permutation(names.len());
                let entries = order
                    .into_iter()
                    .map(|i| (names[i].clone(), entry(self)))
                    .collect();
                Amount::ByLevel {
                    field: field.name,
                    entries,
                }
            }
            5 if !int_fields.is_empty() => {
                let rank = self.c.pick(&int_fields).name.clone();
                let of = self.c.pick(&int_fields).name.clone();
                let list = |g: &mut Self, negative: bool| -> Vec<String> {
                    let n = 1 + g.c.below(3);
                    (0..n)
                        .map(|_| {
                            if negative && signed {
                                format!("-{}", g.pos_lit())
                            } else {
                                g.lit()
                            }
                        })
                        .collect()
                };
                let (top, bottom) = match self.c.below(5) {
                    3 => (list(self, false), Vec::new()),
                    4 => (Vec::new(), list(self, true)),
                    _ => (list(self, false), list(self, true)),
                };
                let overlap = *self.c.pick(&[None, Some("top"), Some("bottom")]);
                Amount::ByRank {
                    rank,
                    of,
                    top,
                    bottom,
                    overlap,
                }
            }
            6 | 7 => {
                let nonneg = !(signed || self.risky && self.c.chance(30));
                let e = self.num(s, 2, nonneg);
                match e.strip_prefix('-') {
                    // A negative constant deduction or bonus is a checker error;
                    // a risky spec computes it instead.
                    Some(n) if !signed => Amount::Expr(format!("(0 - {n})")),
                    _ => Amount::Expr(e),
                }
            }
            2 if s.record.is_some() && self.c.chance(50) => {
                Amount::Discretion(1 + self.c.below(2) as u32, 5 * (1 + self.c.below(2) as u32))
            }
            _ => Amount::Expr(entry(self)),
        }
    }

    // -------------------------------------------------------------- consequences

    /// `output oN "…" [of g] [per year] [T-5] = …` (issue 13 §12): a number
    /// that reads the unit's total.
    fn output(&mut self, index: usize, annual: bool) -> String {
        let target = if self.c.chance(50) {
            Some(self.c.below(self.groups.len()))
        } else {
            None
        };
        let attrs = match target {
            Some(g) => self.groups[g].attrs.clone(),
            None => self.rule_attrs(),
        };
        let of = target
            .map(|g| format!(" of {}", self.groups[g].name))
            .unwrap_or_default();
        let scope = if annual && self.c.chance(25) {
            " per year"
        } else {
            ""
        };
        let s = Sc {
            record: None,
            attrs,
            ranked: false,
            previous: false,
        };
        let value = self.num(&s, 2, false);
        format!("output o{index} \"产出\"{of}{scope} [T-5] = {value} + total / 10\n")
    }

    fn consequence(&mut self, index: usize, assumptions: &[String], annual: bool) -> String {
        let group_count = self.groups.len();
        let target = if self.c.chance(50) {
            Some(self.c.below(group_count))
        } else {
            None
        };
        let attrs = match target {
            Some(g) => self.groups[g].attrs.clone(),
            None => self.rule_attrs(),
        };
        let of = target
            .map(|g| format!(" of {}", self.groups[g].name))
            .unwrap_or_default();
        let per_year = annual && self.c.chance(25);
        let scope = if per_year {
            " per year"
        } else if self.c.chance(20) {
            " per period"
        } else {
            ""
        };
        let label = self.label();
        let cite = self.cite(assumptions);
        let base = Sc {
            record: None,
            attrs,
            ranked: !per_year,
            previous: false,
        };
        let mut out = String::new();
        match self.c.below(4) {
            0 | 1 => {
                let word = if self.c.chance(50) { "flag" } else { "notice" };
                let _ = writeln!(out, "{word} c{index} \"{label}\"{of}{scope} {cite} {{");
                let per = if self.c.chance(60) {
                    let k = self.c.below(self.kinds.len());
                    self.used_kinds.insert(k);
                    let s = Sc {
                        record: Some(k),
                        previous: self.kinds[k].key.is_some(),
                        ..base.clone()
                    };
                    let filter = if self.c.chance(60) {
                        format!(" where {}", self.cond(&s, 1))
                    } else {
                        String::new()
                    };
                    let _ = writeln!(out, "  per {}{filter}", self.kinds[k].name);
                    Some(s)
                } else {
                    None
                };
                let s = per.clone().unwrap_or(base);
                // An escalation ladder (issue 13 §2): steps, some for one group.
                let ladder = per.is_none() && self.c.chance(40);
                if (per.is_none() && !ladder) || self.c.chance(30) {
                    let _ = writeln!(out, "  when {}", self.cond(&s, 1));
                }
                if ladder {
                    let mut written: Vec<(usize, Option<usize>)> = Vec::new();
                    for _ in 0..1 + self.c.below(4) {
                        let step = self.c.below(3);
                        let group = match target {
                            Some(g) if self.c.chance(40) => Some(g),
                            None if self.c.chance(40) => Some(self.c.below(group_count)),
                            _ => None,
                        };
                        if written.contains(&(step, group)) {
                            continue;
                        }
                        written.push((step, group));
                        let of = group
                            .map(|g| format!(" of {}", self.groups[g].name))
                            .unwrap_or_default();
                        let (name, text) = [
                            ("oral", "口头检查"),
                            ("interview", "约谈"),
                            ("criticise", "通报批评"),
                        ][step];
                        let _ = writeln!(
                            out,
                            "  step {name} \"{text}\"{of} when {}",
                            self.cond(&s, 1)
                        );
                    }
                }
                for _ in 0..self.c.below(3) {
                    let _ = writeln!(out, "  action \"{}\"", self.label());
                }
            }
            2 => {
                let _ = writeln!(out, "classify c{index} \"{label}\"{of}{scope} {cite} {{");
                let arms = 1 + self.c.below(3);
                for (i, (name, text)) in [("red", "红"), ("yellow", "黄"), ("blue", "蓝")]
                    .iter()
                    .enumerate()
                    .take(arms)
                {
                    let _ = i;
                    let _ = writeln!(out, "  {name} \"{text}\" when {}", self.cond(&base, 1));
                }
                let _ = writeln!(out, "  green \"绿\" otherwise");
            }
            _ => {
                let _ = writeln!(out, "quota c{index} \"{label}\"{of}{scope} {cite} {{");
                for _ in 0..1 + self.c.below(3) {
                    let k = self.c.below(self.kinds.len());
                    self.used_kinds.insert(k);
                    let n = self.c.between(1, 3);
                    let text = self.label();
                    let _ = writeln!(
                        out,
                        "  require count({}) >= {n} \"{text}\"",
                        self.kinds[k].name
                    );
                }
                if self.c.chance(70) {
                    let _ = writeln!(out, "  action \"{}\"", self.label());
                }
            }
        }
        out.push('}');
        out
    }
}

/// The periods overlapping `from ..= to`.
pub fn periods_between(unit: PerKind, from: Day, to: Day) -> Vec<Per> {
    let mut out = Vec::new();
    let mut p = Per::containing(unit, from);
    while p.start() <= to {
        out.push(p);
        p = p.next();
    }
    out
}

impl Spec {
    /// A random valid ruleset.
    pub fn generate(c: &mut Choices, risky: bool) -> Spec {
        let year = 2024 + c.between(0, 3);
        let (from, to) = match c.below(5) {
            3 => (Day::ymd(year, 7, 13), Day::ymd(year, 12, 31)),
            4 => (Day::ymd(year, 7, 1), Day::ymd(year + 1, 6, 30)),
            _ => (Day::ymd(year, 1, 1), Day::ymd(year, 12, 31)),
        };
        // Mostly months; quarters, half-years and ISO weeks (issue 13 §9) now and then.
        let unit = match c.below(20) {
            0..=2 => PerKind::Quarter,
            3 => PerKind::Half,
            4 => PerKind::Week,
            5 => PerKind::Year,
            _ => PerKind::Month,
        };
        let mut g = Gen {
            c,
            risky,
            from,
            to,
            unit,
            levels: Vec::new(),
            groups: Vec::new(),
            kinds: Vec::new(),
            measures: Vec::new(),
            used_kinds: BTreeSet::new(),
            used_attrs: BTreeSet::new(),
            period_rankings: Vec::new(),
        };
        let assumptions: Vec<String> = (0..g.c.below(3)).map(|i| format!("T-A{}", i + 1)).collect();

        // Levels types.
        for t in 0..g.c.below(3) {
            let n = 2 + g.c.below(3);
            let start = g.c.below(LEVEL_NAMES.len() - n + 1);
            let labelled = g.c.chance(70);
            let levels = (start..start + n)
                .map(|i| {
                    (
                        LEVEL_NAMES[i].to_owned(),
                        labelled.then(|| format!("{}{t}", LEVEL_LABELS[i])),
                    )
                })
                .collect();
            let label = g.c.chance(70).then(|| "级别".to_owned());
            g.levels.push(Levels {
                name: format!("t{t}"),
                label,
                levels,
            });
        }

        // Groups.
        let group_count = 1 + g.c.below(2);
        for gi in 0..group_count {
            let mut attrs: Vec<Attr> = Vec::new();
            for _ in 0..g.c.below(3) {
                let name = (*g.c.pick(ATTRS)).to_owned();
                if attrs.iter().any(|a| a.name == name) {
                    continue;
                }
                // One attribute name, one declaration shape in every group.
                let optional = name == "size";
                attrs.push(Attr { name, optional });
            }
            // Under `period year` no group is `assessed annually` (refused there).
            let annually = gi == 1 && g.c.chance(30) && g.unit != PerKind::Year;
            let average_when = if annually {
                attrs
                    .iter()
                    .find(|a| !a.optional)
                    .filter(|_| g.c.chance(60))
                    .map(|a| format!("{} == 0", a.name))
            } else {
                None
            };
            if let Some(w) = &average_when {
                if let Some(name) = w.split(' ').next() {
                    g.used_attrs.insert(name.to_owned());
                }
            }
            let label = (*g.c.pick(&["牵头单位", "乡镇（街道）", "责任单位"])).to_owned();
            g.groups.push(Group {
                name: format!("g{gi}"),
                label,
                attrs,
                annually,
                average_when,
            });
        }

        // Record kinds; every levels type is some field's type.
        let kind_count = 1 + g.c.below(4);
        for k in 0..kind_count {
            let kind = g.kind(k);
            g.kinds.push(kind);
        }
        for l in 0..g.levels.len() {
            let used = g
                .kinds
                .iter()
                .any(|k| k.fields.iter().any(|f| f.ty == Ty::Levels(l)));
            if !used {
                let k = g.c.below(g.kinds.len());
                let kind = &mut g.kinds[k];
                let name = format!("f{k}_l{l}");
                kind.fields.push(Field {
                    name,
                    label: "级别".to_owned(),
                    ty: Ty::Levels(l),
                    optional: false,
                });
                kind.braces = true;
            }
        }

        // Measures (issue 13 §4): a count or sum of a kind per unit of a group.
        let mut measures = Vec::new();
        if g.c.chance(40) {
            for i in 0..1 + g.c.below(2) {
                let gi = g.c.below(g.groups.len());
                let k = g.c.below(g.kinds.len());
                g.used_kinds.insert(k);
                let kind = g.kinds[k].name.clone();
                let value = if g.c.chance(50) {
                    format!("count({kind})")
                } else {
                    format!("sum({kind}, 2) / 3")
                };
                measures.push(format!(
                    "measure q{i} \"指标\" of {} [T-5] = {value}\n",
                    g.groups[gi].name
                ));
                g.measures.push(format!("q{i}"));
            }
        }

        // Period.
        let policy = if g.c.chance(60) {
            Policy::Sealed {
                days: u32::try_from(g.c.between(0, 20)).unwrap_or(0),
                late: *g.c.pick(&[Late::Rejected, Late::Default, Late::Carried]),
            }
        } else {
            Policy::Amendable
        };

        // Annual block and rankings' names (consequences may use `ranked`).
        let needs_annual = g.groups.iter().any(|gr| gr.annually);
        // Under `period year` the period is the year: no `annual` (refused there).
        let annual = if g.unit != PerKind::Year && (needs_annual || g.c.below(7) != 0) {
            let pooled = g.c.chance(50);
            let convert = if g.c.chance(30) {
                let weight = (*g.c.pick(&["10", "50", "100", "7.5"])).to_owned();
                let rounding = if g.c.chance(60) {
                    let places = u32::try_from(g.c.between(0, 2)).unwrap_or(0);
                    let mode = *g.c.pick(&["half_up", "half_even", "down", "up"]);
                    Some((places, mode))
                } else {
                    None
                };
                Some((weight, rounding))
            } else {
                None
            };
            Some(Annual { pooled, convert })
        } else {
            None
        };
        let mut rankings: Vec<Ranking> = Vec::new();
        for gi in 0..g.groups.len() {
            if !g.groups[gi].annually {
                rankings.push(Ranking {
                    name: format!("m{gi}"),
                    label: "月度排名".to_owned(),
                    group: gi,
                    per_year: false,
                    within: None,
                    keys: Vec::new(),
                    only: None,
                });
            }
            if annual.is_some() && (g.groups[gi].annually || g.c.chance(40)) {
                rankings.push(Ranking {
                    name: format!("y{gi}"),
                    label: "年度排名".to_owned(),
                    group: gi,
                    per_year: true,
                    within: None,
                    keys: Vec::new(),
                    only: None,
                });
            }
        }
        g.period_rankings = rankings
            .iter()
            .filter(|r| !r.per_year)
            .map(|r| r.name.clone())
            .collect();

        // Score.
        let base = *g.c.pick(&[100, 60, 120, 80, 10]);
        let category_count = 1 + g.c.below(3);
        let allotted: Vec<bool> = match g.c.below(5) {
            0 | 1 => vec![true; category_count],
            2 | 3 => vec![false; category_count],
            _ => (0..category_count).map(|_| g.c.chance(50)).collect(),
        };
        let shares = split(g.c, base, allotted.iter().filter(|a| **a).count());
        let mut share = shares.into_iter();
        let mut categories: Vec<Category> = (0..category_count)
            .map(|i| Category {
                name: format!("c{i}"),
                label: String::new(),
                allot: if allotted[i] { share.next() } else { None },
                floor: None,
                bonus_cap: None,
                rules: Vec::new(),
                outside: false,
            })
            .collect();
        for category in &mut categories {
            category.label = (*g.c.pick(LABELS)).to_owned();
        }
        let rule_count = 1 + g.c.below(6);
        for r in 0..rule_count {
            let kind = *g.c.pick(&[
                RuleKind::Deduct,
                RuleKind::Bonus,
                RuleKind::Deduct,
                RuleKind::Adjust,
                RuleKind::Bonus,
            ]);
            let rule = g.rule(kind, format!("r{r}"), &assumptions);
            let c = g.c.below(category_count);
            // Now and then a second version of the rule with a disjoint range.
            let periods = periods_between(unit, from, to);
            if rule.effective.is_none() && periods.len() >= 2 && g.c.chance(8) {
                let split_at = 1 + g.c.below(periods.len() - 1);
                let mut first = rule.clone();
                first.effective = Some((from, periods[split_at].start().add(-1)));
                let mut second = g.rule(kind, format!("r{r}"), &assumptions);
                second.effective = Some((periods[split_at].start(), to));
                categories[c].rules.push(first);
                categories[c].rules.push(second);
            } else {
                categories[c].rules.push(rule);
            }
        }
        for category in &mut categories {
            if let Some(allot) = category.allot {
                if category.can_deduct() && g.c.chance(70) && allot >= 1 {
                    category.floor = Some(g.c.between(0, allot - 1));
                }
            }
            if category.can_add() && g.c.chance(40) {
                let n = u32::try_from(g.c.between(1, 15)).unwrap_or(1);
                let scope = *g.c.pick(&[Scope::Implicit, Scope::Period, Scope::Year]);
                category.bonus_cap = Some((n, scope));
            }
        }
        // Now and then the last category is kept outside the total (issue 13
        // §10); the allotments left in the total then need not add up to the base.
        if category_count >= 2 && g.c.chance(25) {
            if let Some(last) = categories.last_mut() {
                last.outside = true;
            }
        }
        let in_total: Vec<i64> = categories
            .iter()
            .filter(|c| !c.outside)
            .filter_map(|c| c.allot)
            .collect();
        let allotments = (!in_total.is_empty() && in_total.iter().sum::<i64>() != base)
            .then(|| in_total.iter().sum::<i64>());
        let score_of = g.c.chance(30);
        let input = g.c.chance(20);
        let mut group_caps = Vec::new();
        for i in 0..2 {
            if !g.c.chance(if i == 0 { 30 } else { 10 }) {
                break;
            }
            // A cap's rules are in one category (kaohe::cap_across_categories).
            let category = &categories[g.c.below(category_count)];
            let mut names: Vec<String> = category.rules.iter().map(|r| r.name.clone()).collect();
            names.dedup();
            if names.is_empty() {
                continue;
            }
            let order = g.c.permutation(names.len());
            let take = 1 + g.c.below(names.len().min(3));
            let mut members: Vec<String> =
                order[..take].iter().map(|j| names[*j].clone()).collect();
            members.sort();
            group_caps.push(GroupCap {
                name: format!("gc{i}"),
                label: "合计".to_owned(),
                limit: u32::try_from(g.c.between(1, 12)).unwrap_or(1),
                scope: *g.c.pick(&[Scope::Implicit, Scope::Period, Scope::Year]),
                rules: members,
            });
        }

        // Ranking keys.
        for ranking in &mut rankings {
            let group = &g.groups[ranking.group];
            let attrs: Vec<String> = group.attrs.iter().map(|a| a.name.clone()).collect();
            let dir = |g: &mut Gen<'_>| *g.c.pick(&[Dir::Omitted, Dir::Desc, Dir::Asc, Dir::Desc]);
            let first = match g.c.below(8) {
                6 if !attrs.is_empty() => g.c.pick(&attrs).clone(),
                7 => "discretion".to_owned(),
                _ => "total".to_owned(),
            };
            let d = if first == "discretion" {
                Dir::Omitted
            } else {
                dir(&mut g)
            };
            ranking.keys.push((first, d));
            if !attrs.is_empty() && g.c.chance(15) {
                // Who is ranked (issue 13 §3).
                let attr = g.c.pick(&attrs).clone();
                g.used_attrs.insert(attr.clone());
                ranking.only = Some((attr, g.c.between(0, 6)));
            }
            if !attrs.is_empty() && g.c.chance(15) {
                let within = g.c.pick(&attrs).clone();
                g.used_attrs.insert(within.clone());
                ranking.within = Some(within);
            }
            let mut candidates = attrs.clone();
            candidates.push("discretion".to_owned());
            candidates.push("total".to_owned());
            for key in candidates {
                if ranking.keys.iter().any(|(k, _)| *k == key) || !g.c.chance(40) {
                    continue;
                }
                let d = if key == "discretion" {
                    Dir::Omitted
                } else {
                    dir(&mut g)
                };
                ranking.keys.push((key, d));
            }
            for (key, _) in &ranking.keys {
                if key != "total" && key != "discretion" {
                    g.used_attrs.insert(key.clone());
                }
            }
        }

        // Consequences.
        let mut consequences = Vec::new();
        for i in 0..g.c.below(4) {
            let text = g.consequence(i, &assumptions, annual.is_some());
            consequences.push(text);
            if g.c.chance(25) {
                let text = g.output(i, annual.is_some());
                consequences.push(text);
            }
        }

        // Every input used: record kinds through a flag, attributes as ranking keys.
        for k in 0..g.kinds.len() {
            if !g.used_kinds.contains(&k) {
                g.used_kinds.insert(k);
                consequences.push(format!(
                    "flag uses_k{k} \"{}\" [T-6] {{\n  per k{k}\n}}",
                    g.kinds[k].label
                ));
            }
        }
        for gi in 0..g.groups.len() {
            for attr in g.groups[gi].attrs.clone() {
                if g.used_attrs.contains(&attr.name) {
                    continue;
                }
                g.used_attrs.insert(attr.name.clone());
                match rankings.iter_mut().find(|r| r.group == gi) {
                    Some(r) => r.keys.push((attr.name.clone(), Dir::Omitted)),
                    None => rankings.push(Ranking {
                        name: format!("y{gi}"),
                        label: "年度排名".to_owned(),
                        group: gi,
                        per_year: true,
                        within: None,
                        keys: vec![
                            ("total".to_owned(), Dir::Omitted),
                            (attr.name.clone(), Dir::Desc),
                        ],
                        only: None,
                    }),
                }
            }
        }

        let clause_texts = g.c.chance(40);
        let mut spec = Spec {
            id: format!("gen_{year}"),
            from,
            to,
            unit,
            assumptions,
            clause_texts,
            levels: g.levels,
            groups: g.groups,
            kinds: g.kinds,
            policy,
            base,
            score_of,
            allotments,
            input,
            categories,
            group_caps,
            annual,
            rankings,
            consequences,
            measures,
            risky,
        };
        spec.finalize();
        spec
    }

    /// Adds a record kind `kx` that no other part of the ruleset refers to, and
    /// a rule on it of the given kind in a random category (sometimes within a
    /// group cap): adding a `kx` record can only change the score through this
    /// rule. Returns the rule's name and a way to build a record that matches
    /// its filter.
    pub fn add_target(&mut self, c: &mut Choices, kind: RuleKind, negative: bool) -> Target {
        let k = self.kinds.len();
        let mut fields = Vec::new();
        let mut witness: Vec<(String, Witness)> = Vec::new();
        let mut filters: Vec<String> = Vec::new();
        let levels_count = self.levels.len();
        for i in 0..c.below(4) {
            let name = format!("x_{i}");
            let mut types = vec![Ty::Integer, Ty::Decimal, Ty::Date, Ty::Text, Ty::Bool];
            types.extend((0..levels_count).map(Ty::Levels));
            let ty = c.pick(&types).clone();
            let optional = c.chance(25);
            // A filter atom on this field, and a value that satisfies it.
            if c.chance(60) {
                match &ty {
                    Ty::Integer | Ty::Decimal => {
                        let n = c.between(0, 10);
                        filters.push(format!("{name} >= {n}"));
                        witness.push((name.clone(), Witness::AtLeast(n)));
                    }
                    Ty::Date => {
                        filters.push(format!("{name} <= as_of"));
                        witness.push((name.clone(), Witness::DateNotAfterAsOf));
                    }
                    Ty::Text => {
                        let t = (*c.pick(TEXTS)).to_owned();
                        filters.push(format!("{name} == \"{t}\""));
                        witness.push((name.clone(), Witness::Text(t)));
                    }
                    Ty::Bool => {
                        filters.push(name.clone());
                        witness.push((name.clone(), Witness::True));
                    }
                    Ty::Levels(l) => {
                        let levels = &self.levels[*l].levels;
                        let level = levels[c.below(levels.len())].0.clone();
                        filters.push(format!("{name} == {level}"));
                        witness.push((name.clone(), Witness::Level(level)));
                    }
                }
                if optional && c.chance(50) {
                    filters.pop();
                    filters.push(format!("present({name})"));
                    witness.pop();
                    witness.push((name.clone(), Witness::Present));
                }
            }
            fields.push(Field {
                name,
                label: "字段".to_owned(),
                ty,
                optional,
            });
        }
        let rank_fields = c.chance(25);
        if rank_fields {
            for name in ["x_rank", "x_of"] {
                fields.push(Field {
                    name: name.to_owned(),
                    label: "名次".to_owned(),
                    ty: Ty::Integer,
                    optional: false,
                });
            }
        }
        self.kinds.push(Kind {
            name: "kx".to_owned(),
            label: "目标记录".to_owned(),
            braces: !fields.is_empty(),
            fields,
            derives: Vec::new(),
            key: None,
        });
        let sign = if negative { "-" } else { "" };
        let lit = |c: &mut Choices| (*c.pick(&["1", "2", "3", "0.5", "5", "10", "2.5"])).to_owned();
        let amount = match c.below(5) {
            3 if rank_fields => {
                let top: Vec<String> = (0..1 + c.below(3))
                    .map(|_| format!("{sign}{}", lit(c)))
                    .collect();
                let bottom: Vec<String> = (0..1 + c.below(3))
                    .map(|_| format!("{sign}{}", lit(c)))
                    .collect();
                Amount::ByRank {
                    rank: "x_rank".to_owned(),
                    of: "x_of".to_owned(),
                    top,
                    bottom,
                    overlap: *c.pick(&[None, Some("top"), Some("bottom")]),
                }
            }
            4 => {
                let numeric: Vec<String> = self.kinds[k]
                    .fields
                    .iter()
                    .filter(|f| f.ty.numeric() && !f.optional)
                    .map(|f| f.name.clone())
                    .collect();
                match numeric.first() {
                    Some(f) if !negative => Amount::Expr(format!("min({}, abs({f}) + 1)", lit(c))),
                    Some(f) => Amount::Expr(format!("-min({}, abs({f}) + 1)", lit(c))),
                    None => Amount::Expr(format!("{sign}{}", lit(c))),
                }
            }
            _ => Amount::Expr(format!("{sign}{}", lit(c))),
        };
        let filter = if filters.is_empty() {
            None
        } else {
            Some(filters.join(" and "))
        };
        let times = if c.chance(25) {
            vec![(
                (*c.pick(&["2", "0.5", "3"])).to_owned(),
                "true".to_owned(),
                None,
            )]
        } else {
            Vec::new()
        };
        let once_per = if c.chance(25) {
            self.kinds[k].fields.first().map(|f| f.name.clone())
        } else {
            None
        };
        let mut caps = Vec::new();
        if c.chance(40) {
            caps.push((
                u32::try_from(c.between(1, 12)).unwrap_or(1),
                *c.pick(&[Scope::Implicit, Scope::Period, Scope::Year]),
            ));
        }
        let rule = Rule {
            kind,
            name: "rx".to_owned(),
            label: "目标规则".to_owned(),
            cite: "[T-9]".to_owned(),
            per: Some((k, filter)),
            when: Vec::new(),
            amount,
            times,
            once_per,
            caps,
            effective: None,
        };
        // A category in the total: one outside it never moves the total.
        let in_total: Vec<usize> = (0..self.categories.len())
            .filter(|i| !self.categories[*i].outside)
            .collect();
        let category = in_total[c.below(in_total.len())];
        self.categories[category].rules.push(rule);
        // It may join a cap over rules of its own category.
        let own: Vec<usize> = (0..self.group_caps.len())
            .filter(|&i| {
                self.group_caps[i]
                    .rules
                    .iter()
                    .all(|r| self.categories[category].rules.iter().any(|x| &x.name == r))
            })
            .collect();
        if !own.is_empty() && c.chance(50) {
            let i = *c.pick(&own);
            self.group_caps[i].rules.push("rx".to_owned());
        }
        self.finalize();
        Target {
            rule: "rx".to_owned(),
            kind: k,
            witness,
        }
    }

    /// Keeps every limit able to bind (no `never_binds` warning): floors only in
    /// categories that deduct, bonus caps only where there are bonuses, group
    /// caps below the sum of their rules' own caps. Also: `cap bonuses` below
    /// what its rules' own caps allow, one label per rule within a category, and
    /// under a pooled annual score rule versions that change only at a year's
    /// start (the checker's `never_binds`, `duplicate_label`,
    /// `effective_splits_period`).
    pub fn finalize(&mut self) {
        let (from, to) = (self.from, self.to);
        let pooled = self.annual.as_ref().is_some_and(|a| a.pooled);
        // A rule worth 0 points draws the checker's `zero_amount` warning.
        let zero = |s: &String| s.trim().parse::<f64>().is_ok_and(|v| v == 0.0);
        for rule in self.categories.iter_mut().flat_map(|c| c.rules.iter_mut()) {
            match &mut rule.amount {
                Amount::Expr(e) if zero(e) => *e = "1".to_owned(),
                Amount::ByLevel { entries, .. } if entries.iter().all(|(_, v)| zero(v)) => {
                    if let Some((_, v)) = entries.first_mut() {
                        *v = "1".to_owned();
                    }
                }
                Amount::ByRank { top, bottom, .. } if top.iter().chain(bottom.iter()).all(zero) => {
                    if let Some(v) = top.first_mut().or(bottom.first_mut()) {
                        *v = "1".to_owned();
                    }
                }
                _ => {}
            }
        }
        for category in &mut self.categories {
            if !category.can_deduct() {
                category.floor = None;
            }
            if !category.can_add() {
                category.bonus_cap = None;
            }
            if pooled {
                // The pooled year is one period: a version boundary inside it
                // is refused (`kaohe::effective_splits_period`), so such a
                // rule is in force all along, and a later version becomes a
                // rule of its own.
                let year_start = |d: Day| d == from || d.civil().1 == 1 && d.civil().2 == 1;
                let year_end = |d: Day| d == to || d.civil().1 == 12 && d.civil().2 == 31;
                let mut cleared: Vec<String> = Vec::new();
                for rule in &mut category.rules {
                    if cleared.contains(&rule.name) {
                        rule.name = format!("{}b", rule.name);
                        rule.effective = None;
                        continue;
                    }
                    if let Some((a, b)) = rule.effective {
                        if !year_start(a) || !year_end(b) {
                            rule.effective = None;
                            cleared.push(rule.name.clone());
                        }
                    }
                }
            }
            if let Some((n, scope)) = category.bonus_cap {
                // The checker's bound: each bonus rule's own caps (per period:
                // any cap; per year: the per-year caps), or the constant amount
                // of a rule that applies at most once per period.
                let mut sum: Option<u32> = Some(0);
                for rule in category
                    .rules
                    .iter()
                    .filter(|r| matches!(r.kind, RuleKind::Bonus | RuleKind::Adjust))
                {
                    let caps = rule
                        .caps
                        .iter()
                        .filter(|(_, s)| !scope.is_year() || s.is_year())
                        .map(|(n, _)| *n)
                        .min();
                    let once = (!scope.is_year() && rule.per.is_none() && rule.times.is_empty())
                        .then(|| rule.constant_amount())
                        .flatten()
                        .map(|a| a.max(0.0).floor() as u32);
                    let own = match (caps, once) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    sum = match (sum, own) {
                        (Some(s), Some(o)) => Some(s + o),
                        _ => None,
                    };
                }
                match sum {
                    Some(s) if s <= n && s >= 2 => category.bonus_cap = Some((s - 1, scope)),
                    Some(s) if s <= n => category.bonus_cap = None,
                    _ => {}
                }
            }
            let mut labels: Vec<(String, String)> = Vec::new();
            for rule in &mut category.rules {
                if labels
                    .iter()
                    .any(|(label, name)| *label == rule.label && *name != rule.name)
                {
                    rule.label = format!("{}{}", rule.label, rule.name);
                }
                labels.push((rule.label.clone(), rule.name.clone()));
            }
        }
        let rules: Vec<Rule> = self
            .categories
            .iter()
            .flat_map(|c| c.rules.iter().cloned())
            .collect();
        self.group_caps.retain_mut(|cap| {
            // The checker's sum: each rule's largest first cap of the same scope
            // (over its versions); none if any version has no such cap.
            let mut sum: Option<u32> = Some(0);
            for name in &cap.rules {
                let own: Option<u32> = rules
                    .iter()
                    .filter(|r| &r.name == name)
                    .map(|r| {
                        r.caps
                            .first()
                            .filter(|(_, s)| same_scope(*s, cap.scope))
                            .map(|(n, _)| *n)
                    })
                    .collect::<Option<Vec<u32>>>()
                    .and_then(|v| v.into_iter().max());
                sum = match (sum, own) {
                    (Some(s), Some(o)) => Some(s + o),
                    _ => None,
                };
            }
            match sum {
                Some(s) if s <= cap.limit => {
                    if s >= 2 {
                        cap.limit = s - 1;
                        true
                    } else {
                        false
                    }
                }
                _ => true,
            }
        });
        self.drop_contradictions();
    }

    /// Random conditions may contradict each other (`f == a` in `where`,
    /// `f != a` in `when`): the checker warns (`kaohe::never_holds`), and a
    /// generated ruleset must check clean. Such a rule's conditions, or such a
    /// class's, get `or as_of < 1900-01-01`: the same meaning (never true), in a
    /// form the checker's analysis does not see through.
    fn drop_contradictions(&mut self) {
        const FALSE: &str = "as_of < 1900-01-01";
        for _ in 0..4 {
            let checked = kaohe::check::check(&kaohe::SourceFile::new("g.rules", self.render()));
            let messages: Vec<String> = checked
                .diagnostics
                .iter()
                .filter(|d| d.code_str() == "kaohe::never_holds")
                .map(|d| d.to_string())
                .collect();
            if messages.is_empty() {
                return;
            }
            let quoted = |message: &str, prefix: &str| -> Option<String> {
                let rest = message.strip_prefix(prefix)?;
                Some(rest.split('`').next()?.to_owned())
            };
            let names: Vec<String> = messages
                .iter()
                .filter_map(|m| quoted(m, "rule `"))
                .collect();
            // `class `blue` of `c0` can never apply`: drop the arm.
            for message in &messages {
                let (Some(class), Some(decl)) = (
                    quoted(message, "class `"),
                    message
                        .split_once(" of `")
                        .and_then(|(_, rest)| rest.split('`').next()),
                ) else {
                    continue;
                };
                let header = format!("classify {decl} ");
                for text in &mut self.consequences {
                    if text.starts_with(&header) {
                        let arm = format!("  {class} \"");
                        *text = text
                            .lines()
                            .map(|line| match line.split_once(" when ") {
                                Some((head, condition)) if line.starts_with(&arm) => {
                                    format!("{head} when ({condition}) or {FALSE}\n")
                                }
                                _ => format!("{line}\n"),
                            })
                            .collect();
                    }
                }
            }
            for rule in self.categories.iter_mut().flat_map(|c| c.rules.iter_mut()) {
                if names.contains(&rule.name) {
                    for condition in &mut rule.when {
                        *condition = format!("({condition}) or {FALSE}");
                    }
                    if let Some((_, Some(filter))) = &mut rule.per {
                        *filter = format!("({filter}) or {FALSE}");
                    }
                }
            }
        }
    }

    /// The rules, in declaration order (versions separately).
    /// The office's decision a generated record of kind `k` carries: the
    /// largest `from` of the discretionary rules counting the kind, if any.
    pub fn decided(&self, k: usize) -> Option<u32> {
        self.rules()
            .filter(|(_, r)| r.per.as_ref().is_some_and(|(kind, _)| *kind == k))
            .filter_map(|(_, r)| match r.amount {
                Amount::Discretion(from, _) => Some(from),
                _ => None,
            })
            .max()
    }

    pub fn rules(&self) -> impl Iterator<Item = (&Category, &Rule)> {
        self.categories
            .iter()
            .flat_map(|c| c.rules.iter().map(move |r| (c, r)))
    }

    /// The ruleset's text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "// A generated ruleset (tests/properties.rs).");
        let _ = writeln!(out, "ruleset {} {{", self.id);
        let _ = writeln!(out, "  title \"生成的考核细则\"");
        let _ = writeln!(out, "  issuer \"测试专班\"");
        let _ = writeln!(out, "  source \"tests/properties.rs\"");
        let _ = writeln!(out, "  effective {} to {}", self.from, self.to);
        let _ = writeln!(out, "}}\n");
        let header_end = out.len();
        for a in &self.assumptions {
            let _ = writeln!(out, "assumption [{a}] \"生成的假设 {a}\"");
        }
        for l in &self.levels {
            let label = l
                .label
                .as_ref()
                .map(|t| format!(" \"{t}\""))
                .unwrap_or_default();
            let _ = writeln!(out, "levels {}{label} {{", l.name);
            for (name, label) in &l.levels {
                let label = label
                    .as_ref()
                    .map(|t| format!(" \"{t}\""))
                    .unwrap_or_default();
                let _ = writeln!(out, "  {name}{label}");
            }
            let _ = writeln!(out, "}}");
        }
        for g in &self.groups {
            let _ = writeln!(out, "group {} \"{}\" [T-0] {{", g.name, g.label);
            for a in &g.attrs {
                let q = if a.optional { "?" } else { "" };
                let _ = writeln!(out, "  attribute {}: integer{q} \"属性\"", a.name);
            }
            if g.annually {
                let _ = writeln!(out, "  assessed annually [T-0]");
            }
            if let Some(w) = &g.average_when {
                let _ = writeln!(out, "  average when {w} [T-0]");
            }
            let _ = writeln!(out, "}}");
        }
        for k in &self.kinds {
            if !k.braces {
                let _ = writeln!(out, "record {} \"{}\"", k.name, k.label);
                continue;
            }
            let _ = writeln!(out, "record {} \"{}\" {{", k.name, k.label);
            if let Some(key) = &k.key {
                let _ = writeln!(out, "  key {key}");
            }
            for f in &k.fields {
                let ty = match &f.ty {
                    Ty::Integer => "integer".to_owned(),
                    Ty::Decimal => "decimal".to_owned(),
                    Ty::Date => "date".to_owned(),
                    Ty::Text => "text".to_owned(),
                    Ty::Bool => "bool".to_owned(),
                    Ty::Levels(l) => self.levels[*l].name.clone(),
                };
                let q = if f.optional { "?" } else { "" };
                let _ = writeln!(out, "  {}: {ty}{q} \"{}\"", f.name, f.label);
            }
            for d in &k.derives {
                let _ = writeln!(out, "  derive {} = {} [T-0]", d.name, d.expr);
            }
            let _ = writeln!(out, "}}");
        }
        let unit = self.unit.keyword();
        let _ = writeln!(out, "\nperiod {unit} [T-2] {{");
        match self.policy {
            Policy::Amendable => {
                let _ = writeln!(out, "  amendable [T-2]");
            }
            Policy::Sealed { days, late } => {
                let _ = writeln!(out, "  seal {days} days after end [T-2]");
                match late {
                    Late::Default => {}
                    Late::Rejected => {
                        let _ = writeln!(out, "  late rejected [T-2]");
                    }
                    Late::Carried => {
                        let _ = writeln!(out, "  late carried");
                    }
                }
            }
        }
        let _ = writeln!(out, "}}\n");
        let mut score_cite = vec!["T-3".to_owned()];
        score_cite.extend(self.assumptions.iter().cloned());
        if self.input {
            let _ = writeln!(
                out,
                "input sub \"子考核\" from ruleset \"sub_2024\" [T-3]\n"
            );
        }
        let of = if self.score_of {
            let names: Vec<&str> = self.groups.iter().map(|g| g.name.as_str()).collect();
            format!(" of {}", names.join(", "))
        } else {
            String::new()
        };
        let _ = writeln!(out, "score{of} [{}] {{", score_cite.join(", "));
        let _ = writeln!(out, "  base {} [T-3]", self.base);
        if let Some(sum) = self.allotments {
            let _ = writeln!(out, "  allotments sum {sum} [T-3]");
        }
        for c in &self.categories {
            let outside = if c.outside { " outside total" } else { "" };
            let _ = writeln!(
                out,
                "  category {} \"{}\"{outside} [T-3] {{",
                c.name, c.label
            );
            if let Some(allot) = c.allot {
                let _ = writeln!(out, "    allot {allot}");
            }
            if let Some(floor) = c.floor {
                let _ = writeln!(out, "    floor {floor} [T-3]");
            }
            if let Some((n, scope)) = c.bonus_cap {
                let _ = writeln!(out, "    cap bonuses {n}{}", scope.render());
            }
            for r in &c.rules {
                render_rule(&mut out, self, r);
            }
            let _ = writeln!(out, "  }}");
        }
        for cap in &self.group_caps {
            let _ = writeln!(
                out,
                "  cap {} \"{}\" {}{} on {} [T-3.9]",
                cap.name,
                cap.label,
                cap.limit,
                cap.scope.render(),
                cap.rules.join(", ")
            );
        }
        let _ = writeln!(out, "}}\n");
        if let Some(a) = &self.annual {
            let _ = writeln!(out, "annual [T-4] {{");
            let from = if a.pooled {
                "pooled records"
            } else {
                "sum of periods"
            };
            let _ = writeln!(out, "  from {from} [T-4]");
            if let Some((weight, rounding)) = &a.convert {
                let round = rounding
                    .map(|(p, m)| format!(" round {p} {m}"))
                    .unwrap_or_default();
                let _ = writeln!(out, "  convert weight {weight}{round}");
            }
            let _ = writeln!(out, "}}\n");
        }
        for r in &self.rankings {
            let scope = if r.per_year { " per year" } else { "" };
            let within = r
                .within
                .as_ref()
                .map(|w| format!(" within {w}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "ranking {} \"{}\" of {}{within}{scope} [T-5] {{",
                r.name, r.label, self.groups[r.group].name
            );
            for (key, dir) in &r.keys {
                let dir = match dir {
                    Dir::Omitted => "",
                    Dir::Desc => " desc",
                    Dir::Asc => " asc",
                };
                let _ = writeln!(out, "  by {key}{dir}");
            }
            if let Some((attr, n)) = &r.only {
                let _ = writeln!(out, "  only when {attr} >= {n} [T-5]");
            }
            let _ = writeln!(out, "  ties shared [T-5]");
            let _ = writeln!(out, "}}");
        }
        for c in &self.consequences {
            let _ = writeln!(out, "{c}");
        }
        for m in &self.measures {
            let _ = writeln!(out, "{m}");
        }
        if self.clause_texts {
            // Declare every clause id the text cites (assumption ids aside),
            // after their use: declarations may come in any order.
            let _ = writeln!(out);
            for id in cited_clause_ids(&out) {
                let _ = writeln!(out, "clause [{id}] \"生成的条款 {id}\"");
            }
        }
        if out.contains("working days") || out.contains("working_days_between(") {
            // Working days need a calendar (issue 13 §8). The generated
            // dates reach 2028: the shipped `cn` covers 2023–2026, the
            // ruleset adds 2027 and 2028 (made-up days, never a guess).
            // Each written year cites its source, as a shipped year does;
            // the clause is declared where the ruleset declares its clauses.
            let declared = if self.clause_texts {
                "clause [GEN-CAL] \"生成的放假安排（虚构）\"\n\n"
            } else {
                ""
            };
            out.insert_str(
                header_end,
                &format!("{declared}calendar cn {{\n  year 2027 [GEN-CAL] {{\n    holiday 2027-01-01\n    workday 2027-02-06 to 2027-02-07\n  }}\n  year 2028 [GEN-CAL] {{\n    holiday 2028-01-03 to 2028-01-04\n  }}\n}}\n\n"),
            );
        }
        out
    }
}

/// The clause ids cited in a rendered ruleset (`[T-1, T-A2]` → `T-1`), assumption ids left out.
fn cited_clause_ids(text: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (start, _) in text.match_indices('[') {
        let Some(end) = text[start..].find(']') else {
            continue;
        };
        let inside = &text[start + 1..start + end];
        let pieces: Vec<&str> = inside.split(',').map(str::trim).collect();
        if pieces.iter().all(|p| p.starts_with("T-")) {
            ids.extend(
                pieces
                    .into_iter()
                    .filter(|p| !p.starts_with("T-A"))
                    .map(str::to_owned),
            );
        }
    }
    ids
}

/// Whether two cap scopes mean the same (an implicit scope is a period).
pub fn same_scope(a: Scope, b: Scope) -> bool {
    a.is_year() == b.is_year()
}

fn render_rule(out: &mut String, spec: &Spec, r: &Rule) {
    let _ = writeln!(
        out,
        "    {} {} \"{}\" {} {{",
        r.kind.keyword(),
        r.name,
        r.label,
        r.cite
    );
    if let Some((k, filter)) = &r.per {
        let filter = filter
            .as_ref()
            .map(|f| format!(" where {f}"))
            .unwrap_or_default();
        let _ = writeln!(out, "      per {}{filter}", spec.kinds[*k].name);
    }
    for w in &r.when {
        let _ = writeln!(out, "      when {w}");
    }
    match &r.amount {
        Amount::Expr(e) => {
            let _ = writeln!(out, "      amount {e}");
        }
        Amount::ByLevel { field, entries } => {
            let entries: Vec<String> = entries.iter().map(|(l, n)| format!("{l}: {n}")).collect();
            let _ = writeln!(out, "      amount by {field} {{ {} }}", entries.join(", "));
        }
        Amount::ByRank {
            rank,
            of,
            top,
            bottom,
            overlap,
        } => {
            let _ = writeln!(out, "      amount by rank {rank} of {of} {{");
            if !top.is_empty() {
                let _ = writeln!(out, "        top {}", top.join(", "));
            }
            if !bottom.is_empty() {
                let _ = writeln!(out, "        bottom {}", bottom.join(", "));
            }
            if let Some(side) = overlap {
                let _ = writeln!(out, "        overlap {side}");
            }
            let _ = writeln!(out, "      }}");
        }
        Amount::Discretion(from, to) => {
            let _ = writeln!(out, "      amount discretion {from} to {to}");
        }
    }
    for (factor, when, cite) in &r.times {
        let cite = cite.as_ref().map(|c| format!(" {c}")).unwrap_or_default();
        let _ = writeln!(out, "      times {factor} when {when}{cite}");
    }
    if let Some(attr) = &r.once_per {
        let _ = writeln!(out, "      once per {attr} keep highest [T-3.5]");
    }
    for (n, scope) in &r.caps {
        let _ = writeln!(out, "      cap {n}{}", scope.render());
    }
    if let Some((from, to)) = r.effective {
        let _ = writeln!(out, "      effective {from} to {to}");
    }
    let _ = writeln!(out, "    }}");
}

/// Splits `total` into `n` positive whole parts (no parts for `n == 0`).
fn split(c: &mut Choices, total: i64, n: usize) -> Vec<i64> {
    if n == 0 {
        return Vec::new();
    }
    let mut cuts: Vec<i64> = (1..n).map(|_| c.between(1, total - 1)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut parts = Vec::new();
    let mut last = 0;
    for cut in cuts {
        parts.push(cut - last);
        last = cut;
    }
    parts.push(total - last);
    // Fewer distinct cuts than wanted: pad by splitting the largest part.
    while parts.len() < n {
        let (i, largest) = parts
            .iter()
            .copied()
            .enumerate()
            .max_by_key(|(_, p)| *p)
            .unwrap_or((0, 1));
        if largest < 2 {
            break;
        }
        parts[i] = largest - largest / 2;
        parts.push(largest / 2);
    }
    parts
}

/// How to make a value satisfy one atom of the target rule's filter.
#[derive(Clone, Debug)]
pub enum Witness {
    AtLeast(i64),
    DateNotAfterAsOf,
    Text(String),
    True,
    Level(String),
    Present,
}

/// The rule added by [`Spec::add_target`].
#[derive(Clone, Debug)]
pub struct Target {
    pub rule: String,
    pub kind: usize,
    pub witness: Vec<(String, Witness)>,
}
