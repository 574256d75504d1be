//! Running every case under some paths (what `rulec test` does): load each
//! case and its ruleset (once per ruleset), compare, optionally bless, and
//! optionally report the clause coverage of every ruleset involved.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{coverage, discover, load_ruleset, Case, CaseError, Uncited, Uncovered, UnitDiff};
use crate::ruleset::Ruleset;

/// What `run_suite` does besides comparing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuiteOptions {
    /// Write the actual results into the cases' expected blocks.
    pub bless: bool,
    /// Report the cited clause ids no case exercises, per ruleset.
    pub coverage: bool,
}

/// Everything a run found.
#[derive(Debug, Clone)]
pub struct SuiteReport {
    /// One report per case file, in path order.
    pub cases: Vec<CaseReport>,
    /// With `coverage`: one entry per ruleset found or used, in path order.
    pub coverage: Vec<RulesetCoverage>,
}

impl SuiteReport {
    /// Whether every case passed (or was blessed) and, with coverage, every
    /// ruleset is fully covered.
    pub fn passed(&self) -> bool {
        self.cases.iter().all(|c| c.outcome.passed()) && self.coverage.iter().all(|c| c.gaps() == 0)
    }
}

/// One case's outcome.
#[derive(Debug, Clone)]
pub struct CaseReport {
    /// The case file, as found.
    pub path: PathBuf,
    /// Its description.
    pub description: Option<String>,
    /// The ruleset it runs, when the case could be read.
    pub ruleset: Option<PathBuf>,
    /// What happened.
    pub outcome: Outcome,
}

/// What happened to a case.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Every expectation holds.
    Passed,
    /// Some expectations do not hold.
    Failed(Vec<UnitDiff>),
    /// The actual results were written into the file; `values` of them changed.
    Blessed {
        /// How many values were written.
        values: usize,
    },
    /// The case could not be run.
    Error(CaseError),
}

impl Outcome {
    /// Passed or blessed.
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Passed | Outcome::Blessed { .. })
    }
}

/// The clause coverage of one ruleset.
#[derive(Debug, Clone)]
pub struct RulesetCoverage {
    /// The ruleset file.
    pub ruleset: PathBuf,
    /// How many cases run it.
    pub cases: usize,
    /// How many distinct clause ids it cites.
    pub cited: usize,
    /// The cited clause ids no passing or failing case exercises.
    pub uncovered: Vec<Uncovered>,
    /// The clauses the ruleset declares (`clause [id] "…"`) that no rule,
    /// statement or declaration cites: rulebook text the ruleset does not encode.
    pub uncited: Vec<Uncited>,
    /// The ruleset could not be loaded.
    pub error: Option<CaseError>,
}

impl RulesetCoverage {
    /// How many gaps fail `--coverage`: unexercised cited ids, declared clauses
    /// never cited, and 1 when the ruleset cannot be loaded.
    pub fn gaps(&self) -> usize {
        self.uncovered.len() + self.uncited.len() + usize::from(self.error.is_some())
    }
}

/// The identity of a file: its canonical path, or the normalised one.
fn identity(path: &Path) -> PathBuf {
    path.canonicalize()
        .unwrap_or_else(|_| discover::normalize(path))
}

struct Loaded {
    shown: PathBuf,
    ruleset: Result<Ruleset, CaseError>,
    cases: usize,
    exercised: BTreeSet<String>,
}

/// Runs every case found under `paths`.
///
/// Fails only when a path does not exist or a folder cannot be listed; a case
/// that cannot be read or run is reported as [`Outcome::Error`].
pub fn run_suite(paths: &[PathBuf], options: &SuiteOptions) -> Result<SuiteReport, CaseError> {
    let found = discover::discover(paths)?;
    let mut rulesets: BTreeMap<PathBuf, Loaded> = BTreeMap::new();
    let load = |path: &Path, rulesets: &mut BTreeMap<PathBuf, Loaded>| {
        let id = identity(path);
        rulesets.entry(id.clone()).or_insert_with(|| Loaded {
            shown: discover::normalize(path),
            ruleset: load_ruleset(path),
            cases: 0,
            exercised: BTreeSet::new(),
        });
        id
    };
    if options.coverage {
        for path in &found.rulesets {
            load(path, &mut rulesets);
        }
    }
    let mut cases = Vec::new();
    for path in &found.cases {
        let case = match Case::load(path) {
            Ok(case) => case,
            Err(error) => {
                cases.push(CaseReport {
                    path: path.clone(),
                    description: None,
                    ruleset: None,
                    outcome: Outcome::Error(error),
                });
                continue;
            }
        };
        let id = load(&case.ruleset, &mut rulesets);
        let Some(loaded) = rulesets.get_mut(&id) else {
            continue;
        };
        loaded.cases += 1;
        let outcome = match &loaded.ruleset {
            Err(error) => Outcome::Error(error.clone()),
            Ok(ruleset) => match if options.bless {
                case.run_for_bless(ruleset)
            } else {
                case.run(ruleset)
            } {
                Err(error) => Outcome::Error(error),
                Ok(run) => {
                    loaded.exercised.extend(run.exercised.iter().cloned());
                    if options.bless {
                        bless(&case, &run)
                    } else if run.failures.is_empty() {
                        Outcome::Passed
                    } else {
                        Outcome::Failed(run.failures)
                    }
                }
            },
        };
        cases.push(CaseReport {
            path: path.clone(),
            description: case.description.clone(),
            ruleset: Some(loaded.shown.clone()),
            outcome,
        });
    }
    let coverage = if options.coverage {
        rulesets
            .into_values()
            .map(|loaded| match &loaded.ruleset {
                Ok(ruleset) => RulesetCoverage {
                    ruleset: loaded.shown.clone(),
                    cases: loaded.cases,
                    cited: coverage::cited_clauses(ruleset).len(),
                    uncovered: coverage::uncovered(ruleset, &loaded.exercised),
                    uncited: coverage::uncited(ruleset),
                    error: None,
                },
                Err(error) => RulesetCoverage {
                    ruleset: loaded.shown.clone(),
                    cases: loaded.cases,
                    cited: 0,
                    uncovered: Vec::new(),
                    uncited: Vec::new(),
                    error: Some(error.clone()),
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(SuiteReport { cases, coverage })
}

/// Writes the actual results into the case file. Expectations that cannot be
/// blessed (a unit without a result) stay failures.
fn bless(case: &Case, run: &super::CaseRun) -> Outcome {
    let (text, values) = match case.bless(&run.evaluation) {
        Ok(done) => done,
        Err(error) => return Outcome::Error(error),
    };
    if text != case.text() {
        if let Err(e) = std::fs::write(&case.path, &text) {
            return Outcome::Error(CaseError::Io {
                action: "write",
                path: case.path.display().to_string(),
                message: e.to_string(),
            });
        }
    }
    let unfixable: Vec<UnitDiff> = run
        .failures
        .iter()
        .filter(|d| {
            d.fields
                .iter()
                .any(|f| f.field == "result" || f.field == "period")
        })
        .cloned()
        .collect();
    if unfixable.is_empty() {
        Outcome::Blessed { values }
    } else {
        Outcome::Failed(unfixable)
    }
}
