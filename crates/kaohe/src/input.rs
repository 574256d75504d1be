//! Sub-assessment results used as inputs of a main ruleset (issue 13 §11).
//!
//! A main ruleset declares `input petition "信访工作考核" from ruleset
//! "petition_2026" [EX-8]` and reads `petition.total` / `petition.rank` for the
//! unit in the evaluated period. The sub-assessment's result is supplied as
//! data — the documented evaluation JSON of the sub-ruleset (what
//! `rulec eval --format json` and [`Evaluation::to_json`](crate::eval::result::Evaluation::to_json)
//! print) — never as a hand-copied number, and its **provenance** is kept:
//! the sub-ruleset's id, title and hash, and its facts' hash, reported in the
//! main evaluation's `inputs` and on every line item that read it.
//!
//! [`Inputs::from_json`] checks what is supplied against the declarations:
//! every declared input supplied, none undeclared, each from the ruleset its
//! declaration names, each a well-formed evaluation. Errors are data
//! ([`InputError`]: a stable `code` `kaohe::input::<name>`, a JSON path
//! `$.inputs.petition.ruleset.id`, a message and a help), all of them at once.
//! A result the main evaluation needs and the input does not have (a unit or
//! period it does not cover) is an evaluation error at the expression that
//! reads it, naming the input, the unit and the period.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;

use crate::number::Number;
use crate::ruleset::Ruleset;
use crate::syntax::ast::{InputDecl, Item};

/// The provenance of one input: which evaluation of which ruleset it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputInfo {
    /// The input's name in the main ruleset (`petition`).
    pub input: String,
    /// The label of its declaration (`信访工作考核`).
    pub label: Option<String>,
    /// The sub-ruleset's id (`ruleset.id` of the supplied evaluation).
    pub ruleset: String,
    /// The sub-ruleset's title.
    pub title: String,
    /// `sha256:` digest of the sub-ruleset file.
    pub ruleset_hash: String,
    /// `sha256:` digest of the facts the sub-ruleset was evaluated on.
    pub facts_hash: String,
    /// The periods (and years) the supplied evaluation covers.
    pub periods: Vec<String>,
    /// The periods (and years) whose result the supplied evaluation marks
    /// provisional (`"provisional": true`, issue 12 §7): a main result that
    /// reads the input in one of them is provisional too. Left out of the
    /// JSON when none is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provisional: Vec<String>,
}

impl InputInfo {
    /// Whether a main result of `period` (a period, or a year) may rest on
    /// this input's provisional results: the input is provisional in that
    /// period, or — for a year, which also sums or pools its periods — in
    /// any period of that year. The explanation's provenance line says so
    /// for a period's line and for the year's alike.
    pub fn provisional_in(&self, period: crate::period::Period) -> bool {
        let label = period.to_string();
        self.provisional.iter().any(|p| {
            *p == label
                || matches!(period, crate::period::Period::Year(year)
                    if p.parse::<crate::period::Period>().is_ok_and(|q| q.year() == year))
        })
    }
}

/// One unit's result in one period of a sub-assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputResult {
    /// Its total (exact).
    pub total: Number,
    /// Its rank, if it was ranked.
    pub rank: Option<u32>,
    /// The rankings of the sub-assessment that rank the unit in the period:
    /// with more than one, `name.rank` would not say which (refused when
    /// read).
    pub ranked_in: u32,
    /// Whether the sub-assessment marks this result provisional (it may
    /// still change, issue 12 §7).
    pub provisional: bool,
}

/// One supplied input: provenance and results by (unit id, period label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where it comes from.
    pub info: InputInfo,
    results: BTreeMap<(String, String), InputResult>,
}

impl Input {
    /// The result of `unit` in `period` (`"2026-05"`, `"2026"` for a year).
    pub fn result(&self, unit: &str, period: &str) -> Option<InputResult> {
        self.results
            .get(&(unit.to_owned(), period.to_owned()))
            .copied()
    }
}

/// The inputs of one evaluation, by name, checked against the ruleset's
/// declarations. Empty for a ruleset without `input`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    by_name: BTreeMap<String, Input>,
}

/// What is wrong with a supplied input (`{"code": "kaohe::input::…", "path": …}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    /// `kaohe::input::missing`, `kaohe::input::undeclared`,
    /// `kaohe::input::wrong_ruleset`, `kaohe::input::malformed`.
    pub code: &'static str,
    /// Always `"error"`.
    pub severity: &'static str,
    /// What is wrong, lowercase, names in backticks.
    pub message: String,
    /// What to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Where, as a JSON path into the inputs (`$.inputs.petition.ruleset.id`).
    pub path: String,
}

fn error(code: &'static str, path: String, message: String, help: &str) -> InputError {
    InputError {
        code,
        severity: "error",
        message,
        help: Some(help.to_owned()),
        path,
    }
}

/// A number field of the evaluation JSON: `total` (a decimal string), or its
/// `total_exact` fraction (`"296/3"`) when it does not terminate.
fn number(result: &Json, field: &str) -> Option<Number> {
    let exact = format!("{field}_exact");
    if let Some(text) = result.get(&exact).and_then(Json::as_str) {
        let (p, q) = text.split_once('/')?;
        let p: rust_decimal::Decimal = p.trim().parse().ok()?;
        let q: rust_decimal::Decimal = q.trim().parse().ok()?;
        return Number::from(p).checked_div(Number::from(q));
    }
    let text = result.get(field)?.as_str()?;
    text.parse::<rust_decimal::Decimal>().ok().map(Number::from)
}

impl Inputs {
    /// No inputs.
    pub fn none() -> Inputs {
        Inputs::default()
    }

    /// The input named `name`.
    pub fn get(&self, name: &str) -> Option<&Input> {
        self.by_name.get(name)
    }

    /// The provenance of every input, by name.
    pub fn infos(&self) -> Vec<InputInfo> {
        self.by_name.values().map(|i| i.info.clone()).collect()
    }

    /// Whether a main result of `period` (a period, or a year) may rest on a
    /// provisional sub-result: some input is provisional in that period, or —
    /// for a year, which also sums or pools its periods — in any period of
    /// that year. A result built on a provisional input is provisional too
    /// (issue 13, breaker's item 1).
    pub fn provisional_in(&self, period: crate::period::Period) -> bool {
        self.by_name
            .values()
            .any(|input| input.info.provisional_in(period))
    }

    /// Checks `supplied` (input name → the sub-ruleset's evaluation JSON, as
    /// [`Evaluation::to_json`](crate::eval::result::Evaluation::to_json)
    /// prints it) against `ruleset`'s `input` declarations. Fails with every
    /// error found: an input declared and not supplied, supplied and not
    /// declared, from another ruleset than declared, or not an evaluation.
    pub fn from_json(
        ruleset: &Ruleset,
        supplied: &BTreeMap<String, Json>,
    ) -> Result<Inputs, Vec<InputError>> {
        let declared: Vec<&InputDecl> = ruleset
            .syntax()
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Input(d) => Some(d),
                _ => None,
            })
            .collect();
        let mut errors = Vec::new();
        let mut by_name = BTreeMap::new();
        for name in supplied.keys() {
            if !declared.iter().any(|d| &d.name.name == name) {
                errors.push(error(
                    "kaohe::input::undeclared",
                    crate::facts::member_path("$.inputs", name),
                    format!("input `{name}` is supplied but the ruleset declares no such input"),
                    "declare it (`input name \"…\" from ruleset \"<id>\" [clause]`) or leave it out",
                ));
            }
        }
        for decl in declared {
            let name = &decl.name.name;
            let path = format!("$.inputs.{name}");
            let Some(json) = supplied.get(name) else {
                errors.push(error(
                    "kaohe::input::missing",
                    path,
                    format!(
                        "input `{name}` (the result of ruleset `{}`) is not supplied",
                        decl.ruleset.text
                    ),
                    "evaluate the sub-ruleset on its facts and supply its evaluation JSON, e.g. `rulec eval --input name=sub.rules:sub-facts.json`",
                ));
                continue;
            };
            match Input::parse(decl, json, &path) {
                Ok(input) => {
                    by_name.insert(name.clone(), input);
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(Inputs { by_name })
        } else {
            Err(errors)
        }
    }
}

impl Input {
    fn parse(decl: &InputDecl, json: &Json, path: &str) -> Result<Input, InputError> {
        let malformed = |at: String, what: &str| {
            error(
                "kaohe::input::malformed",
                at,
                format!("input `{}` is not an evaluation: {what}", decl.name.name),
                "supply the JSON that `rulec eval --format json` prints for the sub-ruleset, unchanged",
            )
        };
        let text = |v: Option<&Json>| v.and_then(Json::as_str).map(str::to_owned);
        let id = text(json.pointer("/ruleset/id"))
            .ok_or_else(|| malformed(format!("{path}.ruleset.id"), "no `ruleset.id`"))?;
        if id != decl.ruleset.text {
            return Err(error(
                "kaohe::input::wrong_ruleset",
                format!("{path}.ruleset.id"),
                format!(
                    "input `{}` must be the result of ruleset `{}`, and this is the result of `{id}`",
                    decl.name.name, decl.ruleset.text
                ),
                "supply the evaluation of the ruleset the `input` declaration names",
            ));
        }
        let ruleset_hash = text(json.pointer("/ruleset/hash"))
            .ok_or_else(|| malformed(format!("{path}.ruleset.hash"), "no `ruleset.hash`"))?;
        let facts_hash = text(json.pointer("/facts/hash"))
            .ok_or_else(|| malformed(format!("{path}.facts.hash"), "no `facts.hash`"))?;
        let title = text(json.pointer("/ruleset/title")).unwrap_or_default();
        let results = json
            .get("results")
            .and_then(Json::as_array)
            .ok_or_else(|| malformed(format!("{path}.results"), "no `results` array"))?;
        // How many rankings rank each unit in each period.
        let mut ranked_in: BTreeMap<(String, String), u32> = BTreeMap::new();
        for ranking in json
            .get("rankings")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let period = match ranking.get("period") {
                Some(Json::String(p)) => p.clone(),
                Some(Json::Number(n)) => n.to_string(),
                _ => continue,
            };
            for entry in ranking
                .get("entries")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(unit) = text(entry.get("unit")) {
                    *ranked_in.entry((unit, period.clone())).or_default() += 1;
                }
            }
        }
        let mut by_unit = BTreeMap::new();
        let mut periods: Vec<String> = Vec::new();
        let mut provisional_periods: Vec<String> = Vec::new();
        for (i, result) in results.iter().enumerate() {
            let at = format!("{path}.results[{i}]");
            let unit = text(result.get("unit"))
                .ok_or_else(|| malformed(format!("{at}.unit"), "a result without `unit`"))?;
            let period = match result.get("period") {
                Some(Json::String(p)) => p.clone(),
                Some(Json::Number(n)) => n.to_string(),
                _ => {
                    return Err(malformed(
                        format!("{at}.period"),
                        "a result without `period`",
                    ))
                }
            };
            let total = number(result, "total")
                .ok_or_else(|| malformed(format!("{at}.total"), "a result without a `total`"))?;
            let rank = result
                .get("rank")
                .and_then(Json::as_u64)
                .and_then(|r| u32::try_from(r).ok());
            if !periods.contains(&period) {
                periods.push(period.clone());
            }
            // Anything but `true` (left out, `false`) is final: the JSON
            // leaves the field out for a final result.
            let provisional = result.get("provisional") == Some(&Json::Bool(true));
            if provisional && !provisional_periods.contains(&period) {
                provisional_periods.push(period.clone());
            }
            let ranked_in = ranked_in
                .get(&(unit.clone(), period.clone()))
                .copied()
                .unwrap_or(0);
            by_unit.insert(
                (unit, period),
                InputResult {
                    total,
                    rank,
                    ranked_in,
                    provisional,
                },
            );
        }
        Ok(Input {
            info: InputInfo {
                input: decl.name.name.clone(),
                label: decl.label.as_ref().map(|l| l.text.clone()),
                ruleset: id,
                title,
                ruleset_hash,
                facts_hash,
                periods,
                provisional: provisional_periods,
            },
            results: by_unit,
        })
    }
}

/// The inputs an expression reads (`petition` of `petition.total`), added to
/// `out` (for the provenance of the line items of a rule that reads them).
pub(crate) fn read_by(expr: &crate::syntax::ast::Expr, inputs: &[&str], out: &mut Vec<String>) {
    use crate::syntax::ast::ExprKind;
    let mut walk = |e: &crate::syntax::ast::Expr| read_by(e, inputs, out);
    match &expr.kind {
        ExprKind::Path(path) => {
            if let [qualifier, _] = path.as_slice() {
                if inputs.contains(&qualifier.name.as_str()) && !out.contains(&qualifier.name) {
                    out.push(qualifier.name.clone());
                }
            }
        }
        ExprKind::Unary(_, a) => walk(a),
        ExprKind::Binary(_, a, b) => {
            walk(a);
            walk(b);
        }
        ExprKind::If(a, b, c) => {
            walk(a);
            walk(b);
            walk(c);
        }
        ExprKind::Count {
            filter: Some(f), ..
        } => walk(f),
        ExprKind::Sum { value, filter, .. } => {
            walk(value);
            if let Some(f) = filter {
                walk(f);
            }
        }
        ExprKind::Call { args, .. } => args.iter().for_each(walk),
        ExprKind::Bands { subject, .. } => walk(subject),
        // Literals, `ranked …`, and constructs that read no input.
        #[allow(
            unreachable_patterns,
            reason = "the expression language grows; a new construct reads no input until it says so"
        )]
        _ => {}
    }
}
