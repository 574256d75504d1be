//! The checker: one pass over a parsed ruleset that collects every error and
//! warning — unknown names (with did-you-mean), duplicates, type mismatches,
//! impossible caps, allotments that do not add up, caps and floors that never
//! bind, rankings that can end in silent ties, missing citations, unused inputs,
//! overlapping effective ranges.

mod dates;
mod expr;
mod facts;
mod matter;
mod period;
mod scoring;
mod structure;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{DuplicateName, RulesetDiagnostic};
use crate::limits::Limits;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{self, File, Item};
use crate::syntax::{self};

use expr::Scope;
pub use facts::{fact_warnings, FactWarning, UNUSED_DISCRETION};

/// The result of checking a ruleset file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The syntax tree, when the file follows the grammar.
    pub file: Option<File>,
    /// Every error and warning, in source order.
    pub diagnostics: Vec<RulesetDiagnostic>,
}

impl Checked {
    /// Whether the ruleset has no errors (it may have warnings).
    pub fn is_ok(&self) -> bool {
        self.file.is_some() && self.errors().next().is_none()
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &RulesetDiagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &RulesetDiagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }
}

/// Parses and checks a ruleset file within the default [`Limits`], collecting
/// all diagnostics.
pub fn check(source: &SourceFile) -> Checked {
    check_within(source, &Limits::default())
}

/// The built-in functions of expressions, each with a one-line signature and
/// meaning, e.g. `("min", "min(a, b, …): the smallest of two or more numbers")`
/// (for editors: completion and hover).
pub fn builtin_functions() -> &'static [(&'static str, &'static str)] {
    expr::FUNCTIONS
}

/// The names every expression may use (`as_of`, `period_start`, `period_end`).
pub fn builtin_names() -> &'static [&'static str] {
    expr::BUILTIN_NAMES
}

/// The names a consequence's condition may use besides (`total`, `rank`,
/// `previous_total`, `previous_rank`).
pub fn result_names() -> &'static [&'static str] {
    expr::RESULT_NAMES
}

/// Parses and checks a ruleset file within `limits`, collecting all diagnostics.
pub fn check_within(source: &SourceFile, limits: &Limits) -> Checked {
    let parsed = syntax::parse_within(source, limits);
    let Some(file) = parsed.file else {
        return Checked {
            file: None,
            diagnostics: parsed.diagnostics,
        };
    };
    let literal_errors = !parsed.diagnostics.is_empty();
    let mut checker = Checker::new(&file, source.text());
    checker.diagnostics = parsed.diagnostics;
    checker.run();
    let mut diagnostics = checker.diagnostics;
    if literal_errors {
        // A bad literal was replaced by a stand-in value; warnings computed from
        // it (allotments, caps) would be about the stand-in, not the file.
        diagnostics.retain(RulesetDiagnostic::is_error);
    }
    diagnostics.sort_by_key(|d| {
        let span = d.span();
        (span.start, span.end, !d.is_error(), d.code_str())
    });
    diagnostics.dedup();
    Checked {
        file: Some(file),
        diagnostics,
    }
}

/// The type of an expression or attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    /// A whole number.
    Int,
    /// A decimal number.
    Decimal,
    /// True or false.
    Bool,
    /// A calendar date.
    Date,
    /// Free text.
    Text,
    /// A value of a `levels` type.
    Level(String),
    /// Could not be determined (an error was already reported).
    Unknown,
}

impl Ty {
    /// Whether a value of this type may stand where `expected` is wanted.
    fn fits(&self, expected: &Ty) -> bool {
        match (self, expected) {
            (Ty::Unknown, _) | (_, Ty::Unknown) => true,
            (Ty::Int | Ty::Decimal, Ty::Int | Ty::Decimal) => true,
            (a, b) => a == b,
        }
    }

    /// The common type of two values, if they are comparable.
    fn unify(&self, other: &Ty) -> Option<Ty> {
        match (self, other) {
            (Ty::Unknown, t) | (t, Ty::Unknown) => Some(t.clone()),
            (Ty::Int, Ty::Int) => Some(Ty::Int),
            (Ty::Int | Ty::Decimal, Ty::Int | Ty::Decimal) => Some(Ty::Decimal),
            (a, b) if a == b => Some(a.clone()),
            _ => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Ty::Int | Ty::Decimal => "a number".to_owned(),
            Ty::Bool => "a condition (true/false)".to_owned(),
            Ty::Date => "a date".to_owned(),
            Ty::Text => "text".to_owned(),
            Ty::Level(name) => format!("a level of `{name}`"),
            Ty::Unknown => "an unknown type".to_owned(),
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Ty::Int | Ty::Decimal)
    }
}

/// A record kind and the types of its attributes (declared and derived).
pub(crate) struct RecordInfo<'a> {
    decl: &'a ast::RecordDecl,
    attributes: BTreeMap<&'a str, Ty>,
}

/// Every declared name, by namespace.
#[derive(Default)]
pub(crate) struct Symbols<'a> {
    levels: BTreeMap<&'a str, &'a ast::LevelsDecl>,
    records: BTreeMap<&'a str, RecordInfo<'a>>,
    groups: BTreeMap<&'a str, &'a ast::GroupDecl>,
    unit_attributes: BTreeMap<&'a str, (Ty, Span)>,
    rankings: BTreeMap<&'a str, &'a ast::RankingDecl>,
    measures: BTreeMap<&'a str, &'a ast::MeasureDecl>,
    rules: BTreeMap<&'a str, Vec<&'a ast::Rule>>,
    assumptions: BTreeMap<&'a str, &'a ast::Assumption>,
    clauses: BTreeMap<&'a str, &'a ast::ClauseDecl>,
    /// Sub-assessment results used as inputs (issue 13 §11).
    inputs: BTreeMap<&'a str, &'a ast::InputDecl>,
}

/// Attributes every record has, whatever its kind: when it was reported and
/// how many occurrences it stands for.
pub(crate) const BUILTIN_RECORD_FIELDS: &[(&str, Ty)] =
    &[("reported", Ty::Date), ("count", Ty::Int)];

/// The checker's state.
pub(crate) struct Checker<'a> {
    file: &'a File,
    /// The file's text, for quoting expressions in messages.
    text: &'a str,
    symbols: Symbols<'a>,
    diagnostics: Vec<RulesetDiagnostic>,
    used_records: BTreeSet<String>,
    used_attributes: BTreeSet<String>,
    used_levels: BTreeSet<String>,
    cited: BTreeSet<String>,
    /// Inside a `measure`'s value: the measure functions are refused there.
    in_measure: bool,
    /// Inside `count(…)`/`sum(…)`: the record kind `this.` refers to (the
    /// enclosing scope's; `Some(None)` when that scope has no record).
    this_kind: Option<Option<String>>,
}

impl<'a> Checker<'a> {
    fn new(file: &'a File, text: &'a str) -> Self {
        Checker {
            file,
            text,
            symbols: Symbols::default(),
            diagnostics: Vec::new(),
            used_records: BTreeSet::new(),
            used_attributes: BTreeSet::new(),
            used_levels: BTreeSet::new(),
            cited: BTreeSet::new(),
            in_measure: false,
            this_kind: None,
        }
    }

    pub(crate) fn push(&mut self, diagnostic: impl Into<RulesetDiagnostic>) {
        self.diagnostics.push(diagnostic.into());
    }

    fn run(&mut self) {
        self.declare();
        self.check_inputs();
        self.check_items();
        self.check_matter();
        self.check_period_kind();
        self.check_usage();
    }

    /// Collects declarations into the symbol tables, reporting duplicates.
    fn declare(&mut self) {
        let file = self.file;
        let mut outputs: BTreeMap<&str, Span> = BTreeMap::new();
        for item in &file.items {
            match item {
                Item::Levels(decl) => {
                    if let Some(first) = self.symbols.levels.get(decl.name.name.as_str()) {
                        let first = first.name.span;
                        self.duplicate("levels type", &decl.name, first);
                    } else {
                        self.symbols.levels.insert(&decl.name.name, decl);
                    }
                }
                Item::Record(decl) => {
                    if let Some(first) = self.symbols.records.get(decl.name.name.as_str()) {
                        let first = first.decl.name.span;
                        self.duplicate("record kind", &decl.name, first);
                    } else {
                        self.symbols.records.insert(
                            &decl.name.name,
                            RecordInfo {
                                decl,
                                attributes: BTreeMap::new(),
                            },
                        );
                    }
                }
                Item::Group(decl) => {
                    if let Some(first) = self.symbols.groups.get(decl.name.name.as_str()) {
                        let first = first.name.span;
                        self.duplicate("group", &decl.name, first);
                    } else {
                        self.symbols.groups.insert(&decl.name.name, decl);
                    }
                }
                Item::Ranking(decl) => {
                    if let Some(first) = self.symbols.rankings.get(decl.name.name.as_str()) {
                        let first = first.name.span;
                        self.duplicate("ranking", &decl.name, first);
                    } else {
                        self.symbols.rankings.insert(&decl.name.name, decl);
                    }
                }
                Item::Measure(decl) => {
                    if let Some(first) = self.symbols.measures.get(decl.name.name.as_str()) {
                        let first = first.name.span;
                        self.duplicate("measure", &decl.name, first);
                    } else {
                        self.symbols.measures.insert(&decl.name.name, decl);
                    }
                }
                Item::Assumption(decl) => {
                    if let Some(first) = self.symbols.assumptions.get(decl.id.id.as_str()) {
                        let first = first.id.span;
                        let name = ast::Ident {
                            name: decl.id.id.clone(),
                            span: decl.id.span,
                        };
                        self.duplicate("assumption", &name, first);
                    } else {
                        self.symbols.assumptions.insert(&decl.id.id, decl);
                    }
                }
                Item::Clause(decl) => {
                    let first = self
                        .symbols
                        .clauses
                        .get(decl.id.id.as_str())
                        .map(|first| first.id.span)
                        .or_else(|| {
                            self.symbols
                                .assumptions
                                .get(decl.id.id.as_str())
                                .map(|first| first.id.span)
                        });
                    if let Some(first) = first {
                        let name = ast::Ident {
                            name: decl.id.id.clone(),
                            span: decl.id.span,
                        };
                        self.duplicate("clause", &name, first);
                    } else {
                        self.symbols.clauses.insert(&decl.id.id, decl);
                    }
                }
                Item::Consequence(ast::ConsequenceDecl { name, .. })
                | Item::Classify(ast::ClassifyDecl { name, .. })
                | Item::Quota(ast::QuotaDecl { name, .. })
                | Item::Output(ast::OutputDecl { name, .. }) => {
                    if let Some(first) = outputs.get(name.name.as_str()) {
                        let first = *first;
                        self.duplicate("consequence", name, first);
                    } else {
                        outputs.insert(&name.name, name.span);
                    }
                }
                Item::Score(score) => {
                    for category in &score.categories {
                        for rule in &category.rules {
                            self.symbols
                                .rules
                                .entry(&rule.name.name)
                                .or_default()
                                .push(rule);
                        }
                    }
                }
                Item::Input(decl) => {
                    if let Some(first) = self.symbols.inputs.get(decl.name.name.as_str()) {
                        let first = first.name.span;
                        self.duplicate("input", &decl.name, first);
                    } else {
                        self.symbols.inputs.insert(&decl.name.name, decl);
                    }
                }
                Item::Header(_) | Item::Period(_) | Item::Annual(_) | Item::Calendar(_) => {}
            }
        }
    }

    fn duplicate(&mut self, kind: &str, name: &ast::Ident, first: Span) {
        self.push(DuplicateName {
            kind: kind.to_owned(),
            name: name.name.clone(),
            span: name.span.into(),
            first: first.into(),
        });
    }

    /// Resolves a declared type.
    fn resolve_type(&mut self, ty: &ast::TypeRef) -> Ty {
        match ty.name.name.as_str() {
            "integer" => Ty::Int,
            "decimal" => Ty::Decimal,
            "date" => Ty::Date,
            "text" => Ty::Text,
            "bool" => Ty::Bool,
            name if self.symbols.levels.contains_key(name) => {
                self.used_levels.insert(name.to_owned());
                Ty::Level(name.to_owned())
            }
            _ => {
                let mut names = vec!["integer", "decimal", "date", "text", "bool"];
                names.extend(self.symbols.levels.keys().copied());
                self.unknown("type", &ty.name, &names);
                Ty::Unknown
            }
        }
    }

    /// Types unit attributes and record attributes, then derived attributes.
    fn check_inputs(&mut self) {
        let file = self.file;
        for item in &file.items {
            match item {
                Item::Levels(decl) => {
                    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
                    for level in &decl.levels {
                        if let Some(first) = seen.get(level.name.name.as_str()) {
                            let first = *first;
                            self.duplicate("level", &level.name, first);
                        } else {
                            seen.insert(&level.name.name, level.name.span);
                        }
                    }
                    if decl.levels.is_empty() {
                        self.push(crate::diagnostics::MissingPart {
                            part: "levels".to_owned(),
                            within: format!("levels type `{}`", decl.name.name),
                            span: decl.name.span.into(),
                            help: Some(
                                "list the levels, highest first: `central \"中央\"`".to_owned(),
                            ),
                        });
                    }
                }
                Item::Group(decl) => {
                    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
                    for attribute in &decl.attributes {
                        let ty = self.resolve_type(&attribute.ty);
                        if let Some(first) = seen.get(attribute.name.name.as_str()) {
                            let first = *first;
                            self.duplicate("unit attribute", &attribute.name, first);
                            continue;
                        }
                        seen.insert(&attribute.name.name, attribute.name.span);
                        match self
                            .symbols
                            .unit_attributes
                            .get(attribute.name.name.as_str())
                        {
                            Some((other, _)) if *other != ty => {
                                self.push(crate::diagnostics::TypeMismatch {
                                    expected: other.describe(),
                                    found: ty.describe(),
                                    span: attribute.ty.name.span.into(),
                                    help: Some(format!(
                                        "unit attribute `{}` is declared with another type in another group",
                                        attribute.name.name
                                    )),
                                });
                            }
                            Some(_) => {}
                            None => {
                                self.symbols
                                    .unit_attributes
                                    .insert(&attribute.name.name, (ty, attribute.name.span));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for item in &file.items {
            let Item::Record(decl) = item else { continue };
            let mut attributes: BTreeMap<&str, Ty> = BTreeMap::new();
            let mut spans: BTreeMap<&str, Span> = BTreeMap::new();
            for field in &decl.fields {
                let ty = self.resolve_type(&field.ty);
                if BUILTIN_RECORD_FIELDS
                    .iter()
                    .any(|(n, _)| *n == field.name.name)
                {
                    // `reported` and `count` come with every record.
                    self.duplicate("built-in record attribute", &field.name, decl.name.span);
                    continue;
                }
                if let Some(first) = spans.get(field.name.name.as_str()) {
                    let first = *first;
                    self.duplicate("attribute", &field.name, first);
                    continue;
                }
                spans.insert(&field.name.name, field.name.span);
                attributes.insert(&field.name.name, ty);
            }
            for (name, ty) in BUILTIN_RECORD_FIELDS {
                attributes.insert(name, ty.clone());
            }
            if let Some(key) = &decl.key {
                if !attributes.contains_key(key.name.as_str()) {
                    let names = attributes.keys().copied().collect::<Vec<_>>();
                    self.unknown("attribute", key, &names);
                }
            }
            // Only the first declaration of a kind is in the table.
            let is_first = self
                .symbols
                .records
                .get(decl.name.name.as_str())
                .is_some_and(|r| std::ptr::eq(r.decl, decl));
            if is_first {
                if let Some(info) = self.symbols.records.get_mut(decl.name.name.as_str()) {
                    info.attributes = attributes;
                }
            }
            for derived in &decl.derived {
                let ty = self.expr(
                    &derived.expr,
                    Scope {
                        record: Some(&decl.name.name),
                        allow_ranked: false,
                        unit: false,
                        lenient: false,
                    },
                );
                self.cite(derived.cite.as_ref());
                if let Some(first) = spans.get(derived.name.name.as_str()) {
                    let first = *first;
                    self.duplicate("attribute", &derived.name, first);
                    continue;
                }
                spans.insert(&derived.name.name, derived.name.span);
                if is_first {
                    if let Some(info) = self.symbols.records.get_mut(decl.name.name.as_str()) {
                        info.attributes.insert(&derived.name.name, ty);
                    }
                }
            }
        }
    }

    /// Marks a citation's ids as cited and checks its assumption ids.
    pub(crate) fn cite(&mut self, cite: Option<&ast::Citation>) {
        let Some(cite) = cite else { return };
        for clause in &cite.clauses {
            self.cited.insert(clause.id.clone());
            if self.symbols.assumptions.contains_key(clause.id.as_str()) {
                continue;
            }
            if looks_like_assumption(&clause.id, self.symbols.assumptions.keys().copied()) {
                let ids = self.symbols.assumptions.keys().copied().collect::<Vec<_>>();
                self.push(crate::diagnostics::UnknownAssumption {
                    id: clause.id.clone(),
                    span: clause.span.into(),
                    help: crate::suggest::did_you_mean(&clause.id, ids.iter().copied()).or_else(
                        || Some(format!("declare it: `assumption [{}] \"…\"`", clause.id)),
                    ),
                });
                continue;
            }
            if !self.symbols.clauses.is_empty()
                && !self.symbols.clauses.contains_key(clause.id.as_str())
            {
                let ids = self.symbols.clauses.keys().copied().collect::<Vec<_>>();
                self.push(crate::diagnostics::UndeclaredClause {
                    id: clause.id.clone(),
                    span: clause.span.into(),
                    help: crate::suggest::did_you_mean(&clause.id, ids.iter().copied()).or_else(
                        || {
                            Some(format!(
                                "this ruleset declares its clauses: add `clause [{}] \"…\"` with the rulebook's wording, or cite a declared one",
                                clause.id
                            ))
                        },
                    ),
                });
            }
        }
    }

    fn per_period_rankings(&self) -> Vec<&'a str> {
        self.symbols
            .rankings
            .iter()
            .filter(|(_, r)| r.scope == ast::CapScope::Period)
            .map(|(name, _)| *name)
            .collect()
    }

    fn level_names(&self, levels: &str) -> Vec<String> {
        self.symbols
            .levels
            .get(levels)
            .map(|decl| decl.levels.iter().map(|l| l.name.name.clone()).collect())
            .unwrap_or_default()
    }
}

/// Whether `id` has the shape of an assumption id of this ruleset: a declared
/// assumption's prefix (`SD-A`) followed by digits.
fn looks_like_assumption<'s>(id: &str, declared: impl Iterator<Item = &'s str>) -> bool {
    fn prefix(id: &str) -> Option<&str> {
        let digits_start = id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let prefix = id.get(..digits_start)?;
        (digits_start < id.len() && prefix.ends_with("-A")).then_some(prefix)
    }
    let Some(p) = prefix(id) else { return false };
    declared.filter_map(prefix).any(|d| d == p)
}
