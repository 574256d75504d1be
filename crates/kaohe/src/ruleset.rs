//! A checked ruleset, ready to evaluate: the syntax tree of a file without
//! errors, with lookups by name and the warnings the checker gave.

use std::collections::BTreeMap;
use std::fmt;

use sha2::{Digest, Sha256};

use crate::check::check_within;
use crate::date::Date;
use crate::diagnostics::RulesetDiagnostic;
use crate::eval::texts::ScoreTexts;
use crate::limits::Limits;
use crate::source::SourceFile;
use crate::syntax::ast::{self, Item};
use crate::text::Text;

/// A ruleset that passed the checker.
///
/// Build one with [`Ruleset::from_source`]; evaluate facts with
/// [`Ruleset::evaluate`](crate::Ruleset::evaluate).
#[derive(Debug, Clone)]
pub struct Ruleset {
    source: SourceFile,
    file: ast::File,
    warnings: Vec<RulesetDiagnostic>,
    hash: String,
    /// Declarations by name → index in `file.items`, for lookups during evaluation.
    index: [BTreeMap<String, usize>; 3],
    /// Each score block's names, labels and citations, shared by every line
    /// item, in the order of the blocks (issue 13 §10: one block per group).
    score_texts: Vec<ScoreTexts>,
    /// The record kinds in declaration order; validated records share these texts.
    kinds: Vec<Text>,
    /// For each of `kinds`, its declaration's index in `file.items`.
    kind_items: Vec<usize>,
    /// The working-day calendar of `calendar …` (issue 13 §8): the shipped
    /// one with the ruleset's own years, built when the ruleset is checked.
    calendar: Option<crate::calendar::Calendar>,
}

/// The namespaces looked up by name during evaluation (indexes into `Ruleset::index`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Namespace {
    Levels = 0,
    Group = 1,
    Record = 2,
}

/// A ruleset file that has errors: every diagnostic the checker found.
#[derive(Debug, Clone)]
pub struct RulesetErrors {
    /// The file, to render the diagnostics against.
    pub source: SourceFile,
    /// Errors and warnings, in source order (at least one error).
    pub diagnostics: Vec<RulesetDiagnostic>,
}

impl fmt::Display for RulesetErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors: Vec<_> = self.diagnostics.iter().filter(|d| d.is_error()).collect();
        write!(
            f,
            "ruleset `{}` has {} error(s)",
            self.source.name(),
            errors.len()
        )?;
        for d in errors {
            let at = self.source.line_column(d.span().start);
            write!(
                f,
                "\n  {}:{}:{}: {d}",
                self.source.name(),
                at.line,
                at.column
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for RulesetErrors {}

impl Ruleset {
    /// Parses and checks a ruleset file within the default [`Limits`]; fails
    /// with every diagnostic if any is an error.
    pub fn from_source(source: SourceFile) -> Result<Ruleset, RulesetErrors> {
        Ruleset::from_source_within(source, &Limits::default())
    }

    /// Parses and checks a ruleset file within `limits`.
    pub fn from_source_within(
        source: SourceFile,
        limits: &Limits,
    ) -> Result<Ruleset, RulesetErrors> {
        let checked = check_within(&source, limits);
        let ok = checked.is_ok();
        match checked.file {
            Some(file) if ok => {
                let hash = sha256_hex(source.text().as_bytes());
                let mut index: [BTreeMap<String, usize>; 3] = Default::default();
                for (i, item) in file.items.iter().enumerate() {
                    let (namespace, name) = match item {
                        Item::Levels(l) => (Namespace::Levels, &l.name.name),
                        Item::Group(g) => (Namespace::Group, &g.name.name),
                        Item::Record(r) => (Namespace::Record, &r.name.name),
                        _ => continue,
                    };
                    if let Some(map) = index.get_mut(namespace as usize) {
                        map.entry(name.clone()).or_insert(i);
                    }
                }
                let (kinds, kind_items): (Vec<Text>, Vec<usize>) = file
                    .items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| match item {
                        Item::Record(r) => Some((Text::from(r.name.name.as_str()), i)),
                        _ => None,
                    })
                    .unzip();
                let kind_of = |name: &str| kinds.iter().position(|k| k.as_str() == name);
                let inputs: Vec<&str> = file
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Input(d) => Some(d.name.name.as_str()),
                        _ => None,
                    })
                    .collect();
                let score_texts = file
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Score(s) => Some(ScoreTexts::of(s, kind_of, &inputs)),
                        _ => None,
                    })
                    .collect();
                let calendar = file.items.iter().find_map(|i| match i {
                    Item::Calendar(c) => Some(build_calendar(c)),
                    _ => None,
                });
                Ok(Ruleset {
                    source,
                    calendar,
                    score_texts,
                    kinds,
                    kind_items,
                    file,
                    warnings: checked.diagnostics,
                    hash,
                    index,
                })
            }
            _ => Err(RulesetErrors {
                source,
                diagnostics: checked.diagnostics,
            }),
        }
    }

    /// The working-day calendar the ruleset declares (`calendar cn`), with
    /// the years it adds or replaces (issue 13 §8); `None` without one.
    pub fn calendar(&self) -> Option<&crate::calendar::Calendar> {
        self.calendar.as_ref()
    }

    /// The source file.
    pub fn source(&self) -> &SourceFile {
        &self.source
    }

    /// The checker's warnings.
    pub fn warnings(&self) -> &[RulesetDiagnostic] {
        &self.warnings
    }

    /// `sha256:` and the hex SHA-256 of the file's text.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The syntax tree.
    pub fn syntax(&self) -> &ast::File {
        &self.file
    }

    pub(crate) fn header(&self) -> Option<&ast::Header> {
        self.file.items.iter().find_map(|i| match i {
            Item::Header(h) => Some(h),
            _ => None,
        })
    }

    /// The ruleset's id.
    pub fn id(&self) -> &str {
        self.header().map_or("", |h| h.id.name.as_str())
    }

    /// A metadata field (`title`, `issuer`, `source`).
    pub fn meta(&self, key: ast::MetaKey) -> Option<&str> {
        self.header()?
            .fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.text.as_str())
    }

    /// The title.
    pub fn title(&self) -> &str {
        self.meta(ast::MetaKey::Title).unwrap_or("")
    }

    /// The clause texts the ruleset declares (`clause [SD-3.1.1①] "…"`), by id.
    /// Empty when the ruleset declares none; its citations are then unchecked ids.
    pub fn clauses(&self) -> BTreeMap<&str, &str> {
        self.file
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Clause(c) => Some((c.id.id.as_str(), c.text.text.as_str())),
                _ => None,
            })
            .collect()
    }

    /// The first and last day the ruleset is in force.
    pub fn effective(&self) -> Option<(Date, Date)> {
        self.header()?.effective.first().map(|r| (r.from, r.to))
    }

    fn indexed(&self, namespace: Namespace, name: &str) -> Option<&Item> {
        self.index
            .get(namespace as usize)?
            .get(name)
            .and_then(|i| self.file.items.get(*i))
    }

    pub(crate) fn levels(&self, name: &str) -> Option<&ast::LevelsDecl> {
        match self.indexed(Namespace::Levels, name)? {
            Item::Levels(l) => Some(l),
            _ => None,
        }
    }

    /// The unit groups, in declaration order.
    pub fn groups(&self) -> impl Iterator<Item = &ast::GroupDecl> {
        self.file.items.iter().filter_map(|i| match i {
            Item::Group(g) => Some(g),
            _ => None,
        })
    }

    pub(crate) fn group(&self, name: &str) -> Option<&ast::GroupDecl> {
        match self.indexed(Namespace::Group, name)? {
            Item::Group(g) => Some(g),
            _ => None,
        }
    }

    /// The record kinds, in declaration order.
    pub fn records(&self) -> impl Iterator<Item = &ast::RecordDecl> {
        self.file.items.iter().filter_map(|i| match i {
            Item::Record(r) => Some(r),
            _ => None,
        })
    }

    pub(crate) fn record(&self, name: &str) -> Option<&ast::RecordDecl> {
        match self.indexed(Namespace::Record, name)? {
            Item::Record(r) => Some(r),
            _ => None,
        }
    }

    pub(crate) fn period(&self) -> Option<&ast::PeriodDecl> {
        self.file.items.iter().find_map(|i| match i {
            Item::Period(p) => Some(p),
            _ => None,
        })
    }

    /// Month or quarter.
    pub fn period_unit(&self) -> ast::PeriodUnit {
        self.period().map_or(ast::PeriodUnit::Month, |p| p.unit)
    }

    /// The record kinds, in declaration order.
    pub(crate) fn kinds(&self) -> &[Text] {
        &self.kinds
    }

    /// The index of a record kind among [`Ruleset::kinds`]: by pointer for
    /// the texts of validated records, by name otherwise.
    pub(crate) fn kind_index(&self, kind: &Text) -> Option<usize> {
        self.kinds
            .iter()
            .position(|k| k.same(kind))
            .or_else(|| self.kind_index_by_name(kind))
    }

    /// The declaration of a record's kind, found by [`Ruleset::kind_index`].
    pub(crate) fn record_of_kind(&self, kind: &Text) -> Option<&ast::RecordDecl> {
        let item = self.kind_index(kind).and_then(|i| self.kind_items.get(i))?;
        match self.file.items.get(*item)? {
            Item::Record(r) => Some(r),
            _ => None,
        }
    }

    /// The index of the record kind `name` among [`Ruleset::kinds`].
    pub(crate) fn kind_index_by_name(&self, name: &str) -> Option<usize> {
        self.kinds.iter().position(|k| k.as_str() == name)
    }

    /// The score block that scores the units of `group`, with its texts: the
    /// block naming the group in `score of`, or the one block without `of`.
    pub(crate) fn score_with_texts(&self, group: &str) -> Option<(&ast::ScoreDecl, &ScoreTexts)> {
        self.scores()
            .zip(&self.score_texts)
            .find(|(block, _)| block.scores(group))
    }

    /// The `score` blocks, in order: one, or one per set of groups (issue 13 §10).
    pub fn scores(&self) -> impl Iterator<Item = &ast::ScoreDecl> {
        self.file.items.iter().filter_map(|i| match i {
            Item::Score(s) => Some(s),
            _ => None,
        })
    }

    /// The rules counted `per kind` whose amount is the office's decision
    /// within a range (`amount discretion 5 to 10`, issue 13 §6), with the
    /// range: what a record's `decided` value is checked against.
    pub fn discretion_rules<'a>(
        &'a self,
        kind: &'a str,
    ) -> impl Iterator<Item = (&'a ast::Rule, &'a ast::Number, &'a ast::Number)> + 'a {
        self.file
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Score(s) => Some(s),
                _ => None,
            })
            .flat_map(|s| s.categories.iter())
            .flat_map(|c| c.rules.iter())
            .filter(move |r| r.per.as_ref().is_some_and(|p| p.kind.name == kind))
            .filter_map(|r| match r.amount.first() {
                Some((ast::Amount::Discretion { from, to }, _)) => Some((r, from, to)),
                _ => None,
            })
    }

    /// Whether every record of `kind` must carry the office's decision
    /// (`decided`): in every score block, a discretionary rule counts every
    /// record of the kind in every period (no `where` filter, no `when`, no
    /// `effective` range). With `score of` blocks that differ, a unit's group
    /// decides, and records a discretionary rule counts without a decision
    /// are refused at evaluation, naming the record and the rule.
    pub fn decision_required(&self, kind: &str) -> bool {
        let counts_every = |rule: &ast::Rule| {
            rule.per
                .as_ref()
                .is_some_and(|p| p.kind.name == kind && p.filter.is_none())
                && matches!(
                    rule.amount.first(),
                    Some((ast::Amount::Discretion { .. }, _))
                )
                && rule.when.is_empty()
                && rule.effective.is_empty()
        };
        let mut blocks = self.scores().peekable();
        blocks.peek().is_some()
            && blocks.all(|s| {
                s.categories
                    .iter()
                    .flat_map(|c| c.rules.iter())
                    .any(counts_every)
            })
    }

    pub(crate) fn annual(&self) -> Option<&ast::AnnualDecl> {
        self.file.items.iter().find_map(|i| match i {
            Item::Annual(a) => Some(a),
            _ => None,
        })
    }

    pub(crate) fn rankings(&self) -> impl Iterator<Item = &ast::RankingDecl> {
        self.file.items.iter().filter_map(|i| match i {
            Item::Ranking(r) => Some(r),
            _ => None,
        })
    }
}

/// `sha256:` followed by the lowercase hex digest.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex_digest(&Sha256::digest(bytes))
}

/// `sha256:` followed by the lowercase hex of a digest.
pub(crate) fn hex_digest(digest: &[u8]) -> String {
    let mut out = String::with_capacity(7 + 2 * digest.len());
    out.push_str("sha256:");
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// The calendar a checked `calendar` declaration stands for: the shipped
/// one, each `year` block replacing (or adding) its year.
fn build_calendar(decl: &ast::CalendarDecl) -> crate::calendar::Calendar {
    use crate::calendar::{Calendar, DayLine, Year};
    let mut calendar = match Calendar::shipped(&decl.name.name) {
        Some(Ok(calendar)) => calendar,
        // The checker refused both already.
        _ => Calendar::empty(&decl.name.name),
    };
    for year in &decl.years {
        let lines: Vec<DayLine> = year
            .days
            .iter()
            .map(|d| match d.kind {
                ast::DayKind::Holiday => DayLine::Holiday(d.from, d.to),
                ast::DayKind::Workday => DayLine::Workday(d.from, d.to),
            })
            .collect();
        let source = year
            .cite
            .as_ref()
            .or(decl.cite.as_ref())
            .map(|c| {
                c.clauses
                    .iter()
                    .map(|clause| clause.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let number = i32::try_from(year.year.value).unwrap_or(i32::MAX);
        calendar.set_year(number, Year::from_lines(&lines, source));
    }
    calendar
}
