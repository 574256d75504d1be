//! The symbol table of one ruleset file: every declared name with its spans,
//! and every place a name or a clause id is used, resolved to the
//! declarations it means. Built from the syntax tree
//! ([`kaohe::syntax::ast::File`]) of a file that parses; hover, go to
//! definition, references, rename, the outline and completion read it.
//!
//! Names resolve as the checker resolves them (docs/language.md §17): a bare
//! name in an expression is an attribute of the record kind in scope (`per`,
//! `count(kind …)`, `sum(kind, …)`, a `derive`), else a unit attribute of the
//! group in scope (all groups when none is named), else — compared with a
//! level-typed attribute — a level of that type. A name the checker would
//! report as unknown resolves to nothing here.

use std::collections::HashMap;

use kaohe::syntax::ast::{
    Amount, BinaryOp, Citation, ConsequenceKind, Expr, ExprKind, File, Ident, Item, Label, Per,
    TypeRef,
};
use kaohe::Span;

/// What a declared name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The ruleset's id.
    Ruleset,
    /// `assumption [ID] "…"`.
    Assumption,
    /// `clause [ID] "…"`.
    Clause,
    /// `levels name { … }`.
    Levels,
    /// A level of a `levels` type.
    Level,
    /// `group name { … }`.
    Group,
    /// `attribute name: type` of a group.
    UnitAttribute,
    /// `record name { … }`.
    Record,
    /// `name: type` of a record.
    RecordAttribute,
    /// `derive name = …` of a record.
    Derived,
    /// `category name { … }`.
    Category,
    /// `deduct|bonus|adjust name { … }`.
    Rule,
    /// `cap name N on rules`.
    GroupCap,
    /// `ranking name of group { … }`.
    Ranking,
    /// `notice name { … }`.
    Notice,
    /// `flag name { … }`.
    Flag,
    /// `classify name { … }`.
    Classify,
    /// A class of a `classify`.
    Class,
    /// `quota name { … }`.
    Quota,
}

impl Kind {
    /// How the kind is called in hover texts.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Ruleset => "ruleset",
            Kind::Assumption => "assumption",
            Kind::Clause => "clause",
            Kind::Levels => "levels type",
            Kind::Level => "level",
            Kind::Group => "group",
            Kind::UnitAttribute => "unit attribute",
            Kind::Record => "record kind",
            Kind::RecordAttribute => "record attribute",
            Kind::Derived => "derived attribute",
            Kind::Category => "category",
            Kind::Rule => "rule",
            Kind::GroupCap => "group cap",
            Kind::Ranking => "ranking",
            Kind::Notice => "notice",
            Kind::Flag => "flag",
            Kind::Classify => "classification",
            Kind::Class => "class",
            Kind::Quota => "quota",
        }
    }

    /// Whether the name is a clause or assumption id (the rulebook's
    /// numbering, not a name of the ruleset's own).
    pub fn is_clause_id(self) -> bool {
        matches!(self, Kind::Assumption | Kind::Clause)
    }
}

/// One declaration.
#[derive(Debug, Clone)]
pub struct Decl {
    /// What it declares.
    pub kind: Kind,
    /// The name (or the clause id).
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// Its label (for clauses and assumptions: their text).
    pub label: Option<String>,
    /// The declaration it belongs to (a level's type, an attribute's record, a rule's category).
    pub parent: Option<usize>,
    /// An attribute's type as written (`media_tier`, `date?`).
    pub ty: Option<String>,
}

/// A place where a declared name (or clause id) is written: at its
/// declaration or where it is used.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// Where.
    pub span: Span,
    /// The declarations it means (several for versions of a rule, or a unit
    /// attribute that several groups declare).
    pub targets: Vec<usize>,
    /// Whether this is the declaration itself.
    pub is_decl: bool,
}

/// One citation `[A, B]` and the declaration it belongs to.
#[derive(Debug, Clone)]
pub struct CitationUse {
    /// The declaration that carries it (a rule, category, ranking, …), if any.
    pub owner: Option<usize>,
    /// What carries it, when not a named declaration (`period`, `score`, `annual`).
    pub owner_word: &'static str,
    /// The ids cited.
    pub ids: Vec<String>,
}

/// The symbol table of one file.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Declarations in source order.
    pub decls: Vec<Decl>,
    /// Occurrences in the order found.
    pub occurrences: Vec<Occurrence>,
    /// Every citation.
    pub citations: Vec<CitationUse>,
}

/// Built-in attribute types.
pub const BUILTIN_TYPES: &[&str] = &["integer", "decimal", "date", "text", "bool"];

impl Index {
    /// The symbol table of a parsed file.
    pub fn new(file: &File) -> Index {
        let mut builder = Builder::default();
        builder.declare(file);
        builder.resolve(file);
        builder.index
    }

    /// The occurrence at byte `offset` (the innermost when several touch it).
    pub fn occurrence_at(&self, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .filter(|o| o.span.start <= offset && offset <= o.span.end)
            .min_by_key(|o| (o.span.len(), o.span.start))
    }

    /// The declaration with this number.
    pub fn decl(&self, id: usize) -> Option<&Decl> {
        self.decls.get(id)
    }

    /// Declarations of a kind with a name.
    pub fn find(&self, kind: Kind, name: &str) -> Vec<usize> {
        self.ids(|d| d.kind == kind && d.name == name)
    }

    /// Declarations of a kind whose parent is `parent`.
    pub fn children(&self, kind: Kind, parent: usize) -> Vec<usize> {
        self.ids(|d| d.kind == kind && d.parent == Some(parent))
    }

    /// Declarations of a kind.
    pub fn all(&self, kind: Kind) -> Vec<usize> {
        self.ids(|d| d.kind == kind)
    }

    fn ids(&self, keep: impl Fn(&Decl) -> bool) -> Vec<usize> {
        self.decls
            .iter()
            .enumerate()
            .filter(|(_, d)| keep(d))
            .map(|(i, _)| i)
            .collect()
    }

    /// Every declaration that is the same symbol as one of `ids`: the same
    /// kind and name under a parent of the same name (versions of a rule,
    /// a clause id declared twice).
    pub fn same_symbol(&self, ids: &[usize]) -> Vec<usize> {
        let key = |d: &Decl| {
            (
                d.kind,
                d.name.clone(),
                d.parent
                    .and_then(|p| self.decls.get(p))
                    .map(|p| p.name.clone()),
            )
        };
        let keys: Vec<_> = ids
            .iter()
            .filter_map(|i| self.decls.get(*i))
            .map(key)
            .collect();
        self.ids(|d| keys.contains(&key(d)))
    }

    /// Every occurrence of the symbols `ids` (declarations included).
    pub fn occurrences_of(&self, ids: &[usize]) -> Vec<&Occurrence> {
        let mut found: Vec<&Occurrence> = self
            .occurrences
            .iter()
            .filter(|o| o.targets.iter().any(|t| ids.contains(t)))
            .collect();
        found.sort_by_key(|o| (o.span.start, o.span.end));
        found.dedup_by_key(|o| o.span);
        found
    }

    /// The levels type an attribute's type names, if it names one.
    pub fn levels_of(&self, attribute: usize) -> Option<usize> {
        let ty = self.decls.get(attribute)?.ty.as_deref()?;
        let ty = ty.trim_end_matches('?');
        self.find(Kind::Levels, ty).first().copied()
    }
}

/// Which names an expression sees.
#[derive(Debug, Clone, Default)]
struct Scope {
    /// Record kinds whose attributes are in scope.
    records: Vec<usize>,
    /// Groups whose unit attributes are in scope (all when empty).
    groups: Vec<usize>,
}

#[derive(Default)]
struct Builder {
    index: Index,
    by_span: HashMap<Span, usize>,
}

impl Builder {
    fn add(
        &mut self,
        kind: Kind,
        name: &Ident,
        span: Span,
        label: Option<&Label>,
        parent: Option<usize>,
    ) -> usize {
        self.add_named(kind, &name.name, name.span, span, label, parent)
    }

    fn add_named(
        &mut self,
        kind: Kind,
        name: &str,
        name_span: Span,
        span: Span,
        label: Option<&Label>,
        parent: Option<usize>,
    ) -> usize {
        let id = self.index.decls.len();
        self.index.decls.push(Decl {
            kind,
            name: name.to_owned(),
            name_span,
            span,
            label: label.map(|l| l.text.clone()),
            parent,
            ty: None,
        });
        self.by_span.insert(name_span, id);
        self.index.occurrences.push(Occurrence {
            span: name_span,
            targets: vec![id],
            is_decl: true,
        });
        id
    }

    fn add_typed(
        &mut self,
        kind: Kind,
        name: &Ident,
        ty: &TypeRef,
        label: Option<&Label>,
        parent: usize,
    ) {
        let span = name.span.join(ty.name.span);
        let span = label.map_or(span, |l| span.join(l.span));
        let id = self.add(kind, name, span, label, Some(parent));
        if let Some(decl) = self.index.decls.get_mut(id) {
            let optional = if ty.optional { "?" } else { "" };
            decl.ty = Some(format!("{}{optional}", ty.name.name));
        }
    }

    /// Pass 1: every declaration.
    fn declare(&mut self, file: &File) {
        for item in &file.items {
            match item {
                Item::Header(h) => {
                    self.add(Kind::Ruleset, &h.id, h.span, None, None);
                }
                Item::Assumption(a) => {
                    self.add_named(
                        Kind::Assumption,
                        &a.id.id,
                        a.id.span,
                        a.span,
                        Some(&a.text),
                        None,
                    );
                }
                Item::Clause(c) => {
                    self.add_named(
                        Kind::Clause,
                        &c.id.id,
                        c.id.span,
                        c.span,
                        Some(&c.text),
                        None,
                    );
                }
                Item::Levels(l) => {
                    let parent = self.add(Kind::Levels, &l.name, l.span, l.label.as_ref(), None);
                    for level in &l.levels {
                        let span = level
                            .label
                            .as_ref()
                            .map_or(level.name.span, |lab| level.name.span.join(lab.span));
                        self.add(
                            Kind::Level,
                            &level.name,
                            span,
                            level.label.as_ref(),
                            Some(parent),
                        );
                    }
                }
                Item::Group(g) => {
                    let parent = self.add(Kind::Group, &g.name, g.span, g.label.as_ref(), None);
                    for f in &g.attributes {
                        self.add_typed(
                            Kind::UnitAttribute,
                            &f.name,
                            &f.ty,
                            f.label.as_ref(),
                            parent,
                        );
                    }
                }
                Item::Record(r) => {
                    let parent = self.add(Kind::Record, &r.name, r.span, r.label.as_ref(), None);
                    for f in &r.fields {
                        self.add_typed(
                            Kind::RecordAttribute,
                            &f.name,
                            &f.ty,
                            f.label.as_ref(),
                            parent,
                        );
                    }
                    for d in &r.derived {
                        let span = d.name.span.join(d.expr.span);
                        self.add(Kind::Derived, &d.name, span, None, Some(parent));
                    }
                }
                Item::Score(s) => {
                    for c in &s.categories {
                        let parent =
                            self.add(Kind::Category, &c.name, c.span, c.label.as_ref(), None);
                        for r in &c.rules {
                            self.add(Kind::Rule, &r.name, r.span, r.label.as_ref(), Some(parent));
                        }
                    }
                    for cap in &s.group_caps {
                        self.add(
                            Kind::GroupCap,
                            &cap.name,
                            cap.span,
                            cap.label.as_ref(),
                            None,
                        );
                    }
                }
                Item::Ranking(r) => {
                    self.add(Kind::Ranking, &r.name, r.span, r.label.as_ref(), None);
                }
                Item::Consequence(c) => {
                    let kind = match c.kind {
                        ConsequenceKind::Notice => Kind::Notice,
                        ConsequenceKind::Flag => Kind::Flag,
                    };
                    self.add(kind, &c.name, c.span, c.label.as_ref(), None);
                }
                Item::Classify(c) => {
                    let parent = self.add(Kind::Classify, &c.name, c.span, c.label.as_ref(), None);
                    for arm in &c.arms {
                        self.add(
                            Kind::Class,
                            &arm.name,
                            arm.span,
                            arm.label.as_ref(),
                            Some(parent),
                        );
                    }
                }
                Item::Quota(q) => {
                    self.add(Kind::Quota, &q.name, q.span, q.label.as_ref(), None);
                }
                Item::Period(_) | Item::Annual(_) => {}
                // A construct this table does not know yet declares nothing
                // here (its names are not offered); see docs/editor.md.
                #[allow(
                    unreachable_patterns,
                    reason = "the syntax tree grows with the language"
                )]
                _ => {}
            }
        }
    }

    fn decl_of(&self, name: &Ident) -> Option<usize> {
        self.by_span.get(&name.span).copied()
    }

    fn refer(&mut self, span: Span, targets: Vec<usize>) {
        if !targets.is_empty() {
            self.index.occurrences.push(Occurrence {
                span,
                targets,
                is_decl: false,
            });
        }
    }

    fn cite(&mut self, cite: Option<&Citation>, owner: Option<usize>, owner_word: &'static str) {
        let Some(cite) = cite else { return };
        for clause in &cite.clauses {
            let mut targets = self.index.find(Kind::Clause, &clause.id);
            targets.extend(self.index.find(Kind::Assumption, &clause.id));
            self.refer(clause.span, targets);
        }
        self.index.citations.push(CitationUse {
            owner,
            owner_word,
            ids: cite.clauses.iter().map(|c| c.id.clone()).collect(),
        });
    }

    /// A group name; returns the group.
    fn group(&mut self, name: Option<&Ident>) -> Vec<usize> {
        let Some(name) = name else { return Vec::new() };
        let found = self.index.find(Kind::Group, &name.name);
        self.refer(name.span, found.clone());
        found
    }

    /// A record kind's name; returns the kind.
    fn record(&mut self, name: &Ident) -> Vec<usize> {
        let found = self.index.find(Kind::Record, &name.name);
        self.refer(name.span, found.clone());
        found
    }

    /// Attributes (and derives) named `name` of the record kinds `records`.
    fn record_attributes(&self, records: &[usize], name: &str) -> Vec<usize> {
        self.index.ids(|d| {
            matches!(d.kind, Kind::RecordAttribute | Kind::Derived)
                && d.name == name
                && d.parent.is_some_and(|p| records.contains(&p))
        })
    }

    /// Unit attributes named `name` of `groups` (of every group when empty).
    fn unit_attributes(&self, groups: &[usize], name: &str) -> Vec<usize> {
        self.index.ids(|d| {
            d.kind == Kind::UnitAttribute
                && d.name == name
                && (groups.is_empty() || d.parent.is_some_and(|p| groups.contains(&p)))
        })
    }

    fn type_ref(&mut self, ty: &TypeRef) {
        let found = self.index.find(Kind::Levels, &ty.name.name);
        self.refer(ty.name.span, found);
    }

    fn per(&mut self, per: Option<&Per>, groups: &[usize]) -> Scope {
        let mut scope = Scope {
            records: Vec::new(),
            groups: groups.to_vec(),
        };
        if let Some(per) = per {
            scope.records = self.record(&per.kind);
            if let Some(filter) = &per.filter {
                self.expr(filter, &scope);
            }
        }
        scope
    }

    /// Pass 2: every use of a name.
    fn resolve(&mut self, file: &File) {
        for item in &file.items {
            match item {
                Item::Header(_) | Item::Assumption(_) | Item::Clause(_) | Item::Levels(_) => {}
                Item::Group(g) => {
                    let own = self.decl_of(&g.name);
                    self.cite(g.cite.as_ref(), own, "group");
                    for f in &g.attributes {
                        self.type_ref(&f.ty);
                    }
                    if let Some((expr, cite)) = &g.average_when {
                        let scope = Scope {
                            records: Vec::new(),
                            groups: own.into_iter().collect(),
                        };
                        self.expr(expr, &scope);
                        self.cite(cite.as_ref(), own, "group");
                    }
                }
                Item::Record(r) => {
                    let own: Vec<usize> = self.decl_of(&r.name).into_iter().collect();
                    for f in &r.fields {
                        self.type_ref(&f.ty);
                    }
                    let scope = Scope {
                        records: own.clone(),
                        groups: Vec::new(),
                    };
                    for d in &r.derived {
                        self.expr(&d.expr, &scope);
                        self.cite(d.cite.as_ref(), self.decl_of(&d.name), "derive");
                    }
                    if let Some(key) = &r.key {
                        let found = self.record_attributes(&own, &key.name);
                        self.refer(key.span, found);
                    }
                }
                Item::Period(p) => {
                    self.cite(p.cite.as_ref(), None, "period");
                    if let Some((_, cite)) = &p.seal {
                        self.cite(cite.as_ref(), None, "period");
                    }
                    if let Some((_, _, cite)) = &p.late {
                        self.cite(cite.as_ref(), None, "period");
                    }
                    if let Some((_, cite)) = &p.amendable {
                        self.cite(cite.as_ref(), None, "period");
                    }
                }
                Item::Score(s) => self.score(s),
                Item::Annual(a) => {
                    self.cite(a.cite.as_ref(), None, "annual");
                    for (_, _, cite) in &a.source {
                        self.cite(cite.as_ref(), None, "annual");
                    }
                    if let Some(convert) = &a.convert {
                        self.cite(convert.cite.as_ref(), None, "annual");
                    }
                }
                Item::Ranking(r) => {
                    let own = self.decl_of(&r.name);
                    let groups = self.group(Some(&r.group));
                    if let Some(within) = &r.within {
                        let found = self.unit_attributes(&groups, &within.name);
                        self.refer(within.span, found);
                    }
                    self.cite(r.cite.as_ref(), own, "ranking");
                    for key in &r.keys {
                        let found = self.unit_attributes(&groups, &key.key.name);
                        self.refer(key.key.span, found);
                        self.cite(key.cite.as_ref(), own, "ranking");
                    }
                    if let Some((_, cite)) = &r.ties_shared {
                        self.cite(cite.as_ref(), own, "ranking");
                    }
                }
                Item::Consequence(c) => {
                    let own = self.decl_of(&c.name);
                    let groups = self.group(c.target.as_ref());
                    self.cite(c.cite.as_ref(), own, "consequence");
                    let scope = self.per(c.per.as_ref(), &groups);
                    for when in &c.when {
                        self.expr(when, &scope);
                    }
                }
                Item::Classify(c) => {
                    let own = self.decl_of(&c.name);
                    let groups = self.group(c.target.as_ref());
                    self.cite(c.cite.as_ref(), own, "classify");
                    let scope = Scope {
                        records: Vec::new(),
                        groups,
                    };
                    for arm in &c.arms {
                        if let Some(when) = &arm.when {
                            self.expr(when, &scope);
                        }
                    }
                }
                Item::Quota(q) => {
                    let own = self.decl_of(&q.name);
                    let groups = self.group(q.target.as_ref());
                    self.cite(q.cite.as_ref(), own, "quota");
                    let scope = Scope {
                        records: Vec::new(),
                        groups,
                    };
                    for (require, _) in &q.requires {
                        self.expr(require, &scope);
                    }
                }
                #[allow(
                    unreachable_patterns,
                    reason = "the syntax tree grows with the language"
                )]
                _ => {}
            }
        }
    }

    fn score(&mut self, s: &kaohe::syntax::ast::ScoreDecl) {
        self.cite(s.cite.as_ref(), None, "score");
        for (_, cite) in &s.base {
            self.cite(cite.as_ref(), None, "score");
        }
        for c in &s.categories {
            let own = self.decl_of(&c.name);
            self.cite(c.cite.as_ref(), own, "category");
            if let Some((_, cite)) = &c.floor {
                self.cite(cite.as_ref(), own, "category");
            }
            if let Some((_, _, cite)) = &c.bonus_cap {
                self.cite(cite.as_ref(), own, "category");
            }
            for r in &c.rules {
                let own = self.decl_of(&r.name);
                self.cite(r.cite.as_ref(), own, "rule");
                let scope = self.per(r.per.as_ref(), &[]);
                for when in &r.when {
                    self.expr(when, &scope);
                }
                for (amount, _) in &r.amount {
                    self.amount(amount, &scope);
                }
                if let Some((attr, cite, _)) = &r.once_per {
                    let found = self.record_attributes(&scope.records, &attr.name);
                    self.refer(attr.span, found);
                    self.cite(cite.as_ref(), own, "rule");
                }
                for times in &r.times {
                    self.expr(&times.factor, &scope);
                    self.expr(&times.when, &scope);
                    self.cite(times.cite.as_ref(), own, "rule");
                }
                for (_, _, cite) in &r.caps {
                    self.cite(cite.as_ref(), own, "rule");
                }
            }
        }
        for cap in &s.group_caps {
            let own = self.decl_of(&cap.name);
            for rule in &cap.rules {
                let found = self.index.find(Kind::Rule, &rule.name);
                self.refer(rule.span, found);
            }
            self.cite(cap.cite.as_ref(), own, "cap");
        }
    }

    fn amount(&mut self, amount: &Amount, scope: &Scope) {
        match amount {
            Amount::Expr(expr) => self.expr(expr, scope),
            Amount::ByLevel { attribute, entries } => {
                let found = self.record_attributes(&scope.records, &attribute.name);
                let levels: Vec<usize> = found
                    .iter()
                    .filter_map(|a| self.index.levels_of(*a))
                    .collect();
                self.refer(attribute.span, found);
                for (level, _) in entries {
                    let targets = self.index.ids(|d| {
                        d.kind == Kind::Level
                            && d.name == level.name
                            && d.parent.is_some_and(|p| levels.contains(&p))
                    });
                    self.refer(level.span, targets);
                }
            }
            Amount::ByRank { rank, of, .. } => {
                for name in [rank, of] {
                    let found = self.record_attributes(&scope.records, &name.name);
                    self.refer(name.span, found);
                }
            }
            // The office's decision is in the facts: no name to refer to.
            Amount::Discretion { .. } => {}
        }
    }

    /// The attributes a bare name or `unit.name` / `kind.name` means.
    fn path(&mut self, path: &[Ident], scope: &Scope) -> Vec<usize> {
        match path {
            [name] => {
                let mut found = self.record_attributes(&scope.records, &name.name);
                if found.is_empty() {
                    found = self.unit_attributes(&scope.groups, &name.name);
                }
                self.refer(name.span, found.clone());
                found
            }
            [head, name] => {
                let found = if head.name == "unit" {
                    self.unit_attributes(&scope.groups, &name.name)
                } else {
                    let records = self.record(head);
                    self.record_attributes(&records, &name.name)
                };
                self.refer(name.span, found.clone());
                found
            }
            _ => Vec::new(),
        }
    }

    /// A bare name compared with a level-typed expression: the level.
    fn level_operand(&mut self, operand: &Expr, other: &[usize]) {
        let ExprKind::Path(path) = &operand.kind else {
            return;
        };
        let [name] = path.as_slice() else { return };
        let levels: Vec<usize> = other
            .iter()
            .filter_map(|a| self.index.levels_of(*a))
            .collect();
        if levels.is_empty() {
            return;
        }
        let targets = self.index.ids(|d| {
            d.kind == Kind::Level
                && d.name == name.name
                && d.parent.is_some_and(|p| levels.contains(&p))
        });
        self.refer(name.span, targets);
    }

    fn expr(&mut self, expr: &Expr, scope: &Scope) {
        match &expr.kind {
            ExprKind::Number(_) | ExprKind::Date(_) | ExprKind::Text(_) | ExprKind::Bool(_) => {}
            ExprKind::Path(path) => {
                self.path(path, scope);
            }
            ExprKind::Unary(_, e) => self.expr(e, scope),
            ExprKind::Binary(op, left, right) => {
                let left_found = match &left.kind {
                    ExprKind::Path(path) => self.path(path, scope),
                    _ => {
                        self.expr(left, scope);
                        Vec::new()
                    }
                };
                let right_found = match &right.kind {
                    ExprKind::Path(path) => self.path(path, scope),
                    _ => {
                        self.expr(right, scope);
                        Vec::new()
                    }
                };
                if matches!(op, BinaryOp::Eq | BinaryOp::Ne) {
                    if right_found.is_empty() {
                        self.level_operand(right, &left_found);
                    }
                    if left_found.is_empty() {
                        self.level_operand(left, &right_found);
                    }
                }
            }
            ExprKind::If(c, a, b) => {
                self.expr(c, scope);
                self.expr(a, scope);
                self.expr(b, scope);
            }
            ExprKind::Count { kind, filter, .. } => {
                let inner = Scope {
                    records: self.record(kind),
                    groups: scope.groups.clone(),
                };
                if let Some(filter) = filter {
                    self.expr(filter, &inner);
                }
            }
            ExprKind::Sum {
                kind,
                value,
                filter,
                ..
            } => {
                let inner = Scope {
                    records: self.record(kind),
                    groups: scope.groups.clone(),
                };
                self.expr(value, &inner);
                if let Some(filter) = filter {
                    self.expr(filter, &inner);
                }
            }
            ExprKind::Call { args, .. } => {
                for arg in args {
                    self.expr(arg, scope);
                }
            }
            ExprKind::Ranked {
                ranking: Some(ranking),
                ..
            } => {
                let found = self.index.find(Kind::Ranking, &ranking.name);
                self.refer(ranking.span, found);
            }
            ExprKind::Ranked { ranking: None, .. } => {}
            // `due + n days` (issue 13 §8): `n` is a name like any other.
            ExprKind::Duration { amount, .. } => self.expr(amount, scope),
            #[allow(
                unreachable_patterns,
                reason = "the syntax tree grows with the language"
            )]
            _ => {}
        }
    }
}
