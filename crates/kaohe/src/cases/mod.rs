//! Golden cases: a rule author's executable examples of what a ruleset must
//! give (`docs/cases.md`).
//!
//! A case is one TOML file. It names its ruleset (a path relative to the case
//! file), gives the facts inline (a `[facts]` table mirroring the fact JSON of
//! `docs/facts.md`) or by path, and states expectations per period or year:
//! per unit the total, the converted annual score, category subtotals, the rank,
//! the notices issued and the class given by each classification (the board
//! colour); per period the records not applied. Decimals compare exactly
//! (`"93.50"` equals `"93.5"`).
//!
//! ```
//! use kaohe::cases::{Case, Outcome};
//!
//! let dir = std::env::temp_dir().join(format!("kaohe-case-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! std::fs::write(dir.join("tiny.rules"), r#"
//! ruleset tiny {
//!   title "示例" issuer "示例专班" source "示例细则"
//!   effective 2026-01-01 to 2026-12-31
//! }
//! group lead "牵头单位" [X-1] {}
//! record late_report "迟报" {}
//! period month [X-1] { amendable [X-1] }
//! score [X-1] {
//!   base 100 [X-1]
//!   category daily "日常工作" [X-1] {
//!     deduct late "迟报" [X-2] { per late_report amount 2 }
//!   }
//! }
//! ranking monthly "月度排名" of lead [X-3] { by total desc ties shared [X-3] }
//! "#)?;
//! std::fs::write(dir.join("late.toml"), r#"
//! ruleset = "tiny.rules"
//! [facts]
//! as_of = "2026-02-10"
//! units = [{ id = "a", name = "甲", group = "lead" }, { id = "b", name = "乙", group = "lead" }]
//! records = [{ unit = "a", period = "2026-01", kind = "late_report", reported = "2026-01-20", count = 2 }]
//!
//! [[expect]]
//! period = "2026-01"
//! units.a = { total = "96.0", rank = 2 }
//! units.b = { total = 100, rank = 1 }
//! "#)?;
//!
//! let case = Case::load(&dir.join("late.toml"))?;
//! let ruleset = kaohe::cases::load_ruleset(&case.ruleset)?;
//! let run = case.run(&ruleset)?;
//! assert!(run.failures.is_empty());
//! // X-2 is exercised: the expected total of `a` depends on rule `late`.
//! assert!(run.exercised.contains("X-2"));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bless;
mod compare;
mod coverage;
mod discover;
mod file;
mod suite;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::eval::result::Evaluation;
use crate::eval::EvalError;
use crate::facts::{FactErrors, Facts};
use crate::period::Period;
use crate::ruleset::{Ruleset, RulesetErrors};
use crate::source::SourceFile;

pub use compare::{FieldDiff, UnitDiff};
pub use coverage::{cited_clauses, CitedAt, Uncited, Uncovered};
pub use discover::{discover, normalize, Discovered};
pub use suite::{run_suite, CaseReport, Outcome, RulesetCoverage, SuiteOptions, SuiteReport};

/// One case file, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The case file.
    pub path: PathBuf,
    /// What the case shows, for people.
    pub description: Option<String>,
    /// The ruleset file, resolved against the case file's folder.
    pub ruleset: PathBuf,
    /// The facts.
    pub facts: FactsSource,
    /// The expectations, in file order.
    pub expectations: Vec<Expectation>,
    /// The file's text, kept for `--bless`.
    text: String,
}

/// Where a case's facts come from.
#[derive(Debug, Clone, PartialEq)]
pub enum FactsSource {
    /// A fact file (JSON), resolved against the case file's folder.
    File(PathBuf),
    /// A `[facts]` table of the case file, as the equivalent fact JSON.
    Inline(serde_json::Value),
}

/// One `[[expect]]` block: what a period or year must give.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// The period (`2023-07`, `2027-Q2`) or year (`2023`: the annual assessment).
    pub scope: Period,
    /// Per-unit expectations, in file order.
    pub units: Vec<UnitExpectation>,
    /// The records not applied in the scope (`unit/kind` or `unit/kind#id`), when stated.
    pub rejected: Option<Vec<String>>,
}

/// What one unit must get in one period or year. Only what is stated is compared.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitExpectation {
    /// The unit, by id (or by name).
    pub unit: String,
    /// The total score.
    pub total: Option<Decimal>,
    /// The converted (折算) annual score.
    pub converted: Option<Decimal>,
    /// The rank in the unit's first ranking.
    pub rank: Option<u32>,
    /// Category subtotals: `allot − deductions + bonuses`, or `bonuses − deductions`
    /// for a category without `allot`.
    pub categories: Vec<(String, Decimal)>,
    /// Expected outputs that are not points (issue 13 §12), by output name.
    pub outputs: Vec<(String, Decimal)>,
    /// Every notice, flag and quota reminder issued, by name (a multiset), when stated.
    pub notices: Option<Vec<String>>,
    /// The class given by each named classification (`board = "red"`).
    pub classes: Vec<(String, String)>,
}

/// Why a case could not be run.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CaseError {
    /// A file could not be read or written.
    #[error("cannot {action} `{path}`: {message}")]
    Io {
        /// `read`, `write` or `list`.
        action: &'static str,
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
    /// The case file is not a valid case.
    #[error("{path}: {message}")]
    Format {
        /// The case file.
        path: String,
        /// What is wrong, with the line where the TOML parser knows it.
        message: String,
    },
    /// The ruleset has errors.
    #[error("{0}")]
    Ruleset(Box<RulesetErrors>),
    /// The facts do not fit the ruleset.
    #[error("the facts of `{case}` ({source_name}) do not fit the ruleset: {errors}")]
    Facts {
        /// The case file.
        case: String,
        /// The fact file, or `inline facts`.
        source_name: String,
        /// Every problem, with its JSON path.
        errors: FactErrors,
    },
    /// Evaluation failed.
    #[error("evaluation failed: {0}")]
    Eval(EvalError),
    /// An `[[expect]]` block states nothing to compare (only its `period` or
    /// `year`), so the case would pass whatever the ruleset gives. Code
    /// `kaohe::case::checks_nothing`. `--bless` fills such a block in instead.
    #[error("{path}: [[expect]] #{block} ({scope}): this expectation checks nothing; state a unit's `total`, `rank`, `categories`, `notices`, `classes` or `converted`, or the block's `rejected` (`rulec test --bless` fills the block in with the actual results)")]
    ChecksNothing {
        /// The case file.
        path: String,
        /// The block's number, 1-based, in file order.
        block: usize,
        /// Its period or year.
        scope: Period,
    },
}

impl CaseError {
    /// The stable code of [`CaseError::ChecksNothing`].
    pub const CHECKS_NOTHING: &'static str = "kaohe::case::checks_nothing";
}

impl Expectation {
    /// Whether the block states anything to compare: a unit's value, or
    /// `rejected`. A unit named with nothing stated (`a = {}`) checks nothing.
    pub fn checks_something(&self) -> bool {
        self.rejected.is_some() || self.units.iter().any(UnitExpectation::states_something)
    }
}

impl UnitExpectation {
    /// Whether any value is stated for the unit.
    pub fn states_something(&self) -> bool {
        self.total.is_some()
            || self.converted.is_some()
            || self.rank.is_some()
            || !self.categories.is_empty()
            || !self.outputs.is_empty()
            || self.notices.is_some()
            || !self.classes.is_empty()
    }
}

/// What running a case gave.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRun {
    /// The full evaluation.
    pub evaluation: Evaluation,
    /// Every expectation that does not hold, grouped by period and unit.
    pub failures: Vec<UnitDiff>,
    /// The clause ids the case's expectations exercise (see `docs/cases.md#coverage`).
    pub exercised: BTreeSet<String>,
}

/// Reads and checks a ruleset file.
pub fn load_ruleset(path: &Path) -> Result<Ruleset, CaseError> {
    let text = std::fs::read_to_string(path).map_err(|e| CaseError::Io {
        action: "read",
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    Ruleset::from_source(SourceFile::new(path.display().to_string(), text))
        .map_err(|e| CaseError::Ruleset(Box::new(e)))
}

impl Case {
    /// Reads and parses a case file.
    pub fn load(path: &Path) -> Result<Case, CaseError> {
        let text = std::fs::read_to_string(path).map_err(|e| CaseError::Io {
            action: "read",
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Case::parse(path, text)
    }

    /// Parses a case file's text; relative paths in it are resolved against
    /// `path`'s folder.
    pub fn parse(path: &Path, text: String) -> Result<Case, CaseError> {
        file::parse(path, text)
    }

    /// The file's text as read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Validates the case's facts against `ruleset`.
    pub fn facts(&self, ruleset: &Ruleset) -> Result<Facts, CaseError> {
        let (name, text) = match &self.facts {
            FactsSource::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| CaseError::Io {
                    action: "read",
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
                (path.display().to_string(), text)
            }
            FactsSource::Inline(json) => ("inline facts".to_owned(), json.to_string()),
        };
        Facts::from_json(ruleset, &text).map_err(|errors| CaseError::Facts {
            case: self.path.display().to_string(),
            source_name: name,
            errors,
        })
    }

    /// Evaluates the case's facts under `ruleset` and compares the result with
    /// the expectations.
    ///
    /// Fails with [`CaseError::ChecksNothing`] when an `[[expect]]` block
    /// states nothing (a case must be able to fail).
    pub fn run(&self, ruleset: &Ruleset) -> Result<CaseRun, CaseError> {
        if let Some((i, block)) = self
            .expectations
            .iter()
            .enumerate()
            .find(|(_, e)| !e.checks_something())
        {
            return Err(CaseError::ChecksNothing {
                path: self.path.display().to_string(),
                block: i + 1,
                scope: block.scope,
            });
        }
        self.run_for_bless(ruleset)
    }

    /// [`Case::run`] without refusing blocks that state nothing, for
    /// [`Case::bless`], which fills them in.
    pub fn run_for_bless(&self, ruleset: &Ruleset) -> Result<CaseRun, CaseError> {
        let facts = self.facts(ruleset)?;
        let evaluation = ruleset.evaluate(&facts).map_err(CaseError::Eval)?;
        let failures = compare::compare(&self.expectations, &evaluation);
        let exercised = coverage::exercised(ruleset, &facts, &evaluation, &self.expectations);
        Ok(CaseRun {
            evaluation,
            failures,
            exercised,
        })
    }

    /// The case file's text with the actual results written into its expected
    /// blocks (comments and layout kept), and how many values changed. A block
    /// without units is filled with every unit of its period.
    pub fn bless(&self, evaluation: &Evaluation) -> Result<(String, usize), CaseError> {
        bless::bless(self, evaluation).map_err(|message| CaseError::Format {
            path: self.path.display().to_string(),
            message,
        })
    }
}

pub(crate) use crate::eval::result::decimal_text;
