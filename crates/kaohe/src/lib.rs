//! kaohe (考核): a rules-as-data engine for the performance assessment that county
//! governments run on their units.
//!
//! A county's rulebook is a ruleset file in the kaohe rule language
//! ([language reference](guide::language)). This crate parses and checks it
//! (every problem reported with its location), validates fact files against it
//! ([fact files](guide::facts)), and evaluates: scores, ranks and consequences,
//! every point explained by the rule and clause that produced it, with exact
//! decimals and byte-identical output for the same inputs.
//!
//! Load → evaluate → explain:
//!
//! ```
//! use kaohe::rust_decimal::Decimal;
//! use kaohe::{Facts, Ruleset, SourceFile};
//!
//! // 1. Load a ruleset: parsed and checked; every error at once, located.
//! let ruleset = Ruleset::from_source(SourceFile::new("tiny.rules", r#"
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
//!     deduct late "迟报" [X-2] { per late_report amount 2.5 }
//!   }
//! }
//! ranking monthly "月度排名" of lead [X-3] { by total desc ties shared [X-3] }
//! "#))?;
//!
//! // 2. Validate facts against it (every error with its JSON path) and evaluate.
//! let facts = Facts::from_json(&ruleset, r#"{
//!   "as_of": "2026-05-10",
//!   "units": [{"id": "jtj", "name": "教体局", "group": "lead"},
//!             {"id": "wjj", "name": "卫健局", "group": "lead"}],
//!   "records": [
//!     {"unit": "jtj", "period": "2026-04", "kind": "late_report", "reported": "2026-04-20", "attributes": {}},
//!     {"unit": "jtj", "period": "2026-04", "kind": "late_report", "reported": "2026-04-28", "attributes": {}}
//!   ]
//! }"#)?;
//! let evaluation = ruleset.evaluate(&facts)?;
//!
//! // 3. Explain: a unit's total, rank, and the line items that make it up.
//! let jtj = evaluation.results.iter().find(|r| r.unit == "jtj").unwrap();
//! assert_eq!(jtj.total, Decimal::from(95));
//! assert_eq!(jtj.rank, Some(2));
//! let late = jtj.items.iter().find(|i| i.rule.as_deref() == Some("late")).unwrap();
//! assert_eq!((late.count, late.amount), (2, Decimal::from(-5).into()));
//! assert_eq!(late.clauses, ["X-2"]);
//! assert_eq!(late.records.len(), 2);
//! // The whole result as the stable JSON format.
//! assert!(evaluation.to_json().contains(r#""format_version": 1"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Scores are exact [`number::Number`]s: a decimal while the value terminates,
//! an exact fraction (`1/3`) only when it does not, so no rounding ever creates
//! or breaks a tie. They compare with [`rust_decimal::Decimal`] (re-exported as
//! [`rust_decimal`]) and print normalised (`99.25`, not `99.250`; a
//! non-terminating value as `≈0.3333`); [`number::Number::to_decimal`] gives
//! the decimal when there is one. Errors a caller can
//! receive are data as well as text: [`error::ToErrorRecords`] gives each a
//! stable code and its location ([the error codes](guide::errors)).
//!
//! The guides, also in the repository's `docs/` folder:
//! [embedding] (a Rust program using kaohe),
//! [the rule language](guide::language), [fact files](guide::facts),
//! [golden cases and rule-change impact](guide::cases),
//! [error codes](guide::errors), [a new county, step by step](guide::new_county).
#![warn(missing_docs)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod api;
pub mod calendar;
pub mod cases;
pub mod check;
pub mod date;
pub mod diagnostics;
pub mod error;
pub mod eval;
pub mod facts;
pub mod i18n;
pub mod impact;
pub mod input;
pub mod limits;
pub mod number;
pub mod period;
pub mod ruleset;
pub mod schema;
pub mod source;
mod suggest;
pub mod syntax;
pub mod synth;
pub mod text;
pub mod threads;
pub mod value;

/// The embedding guide (`docs/embedding.md`); its example runs as a doctest.
/// The guides are included as `build.rs` prepared them: links between guides
/// become links between these modules, links to other files of the repository
/// its addresses, so they resolve in the rendered documentation too.
#[doc = include_str!(concat!(env!("OUT_DIR"), "/embedding.md"))]
pub mod embedding {}

/// The user guides of `docs/`, included so that they are read with the API
/// (links between them resolve here; see [`embedding`]). Their code blocks are shell
/// sessions, JSON and rule text, so they are not collected as doctests
/// (`cfg(doctest)`); the embedding guide's are, and run.
pub mod guide {
    /// The rule language (`docs/language.md`).
    #[cfg_attr(not(doctest), doc = include_str!(concat!(env!("OUT_DIR"), "/language.md")))]
    pub mod language {}
    /// Fact files (`docs/facts.md`).
    #[cfg_attr(not(doctest), doc = include_str!(concat!(env!("OUT_DIR"), "/facts.md")))]
    pub mod facts {}
    /// Golden cases and rule-change impact (`docs/cases.md`).
    #[cfg_attr(not(doctest), doc = include_str!(concat!(env!("OUT_DIR"), "/cases.md")))]
    pub mod cases {}
    /// Every error code (`docs/errors.md`).
    #[cfg_attr(not(doctest), doc = include_str!(concat!(env!("OUT_DIR"), "/errors.md")))]
    pub mod errors {}
    /// A new county, step by step (`docs/new-county.md`).
    #[cfg_attr(not(doctest), doc = include_str!(concat!(env!("OUT_DIR"), "/new-county.md")))]
    pub mod new_county {}
    /// The JSON contract every binding shares (`docs/api.md`).
    #[cfg_attr(not(doctest), doc = include_str!(concat!(env!("OUT_DIR"), "/api.md")))]
    pub mod api {}
    /// In the office: the Excel ledger and the bulletins (`docs/office.md`).
    #[cfg_attr(not(doctest), doc = include_str!(concat!(env!("OUT_DIR"), "/office.md")))]
    pub mod office {}
    /// The two seed rulebooks clause by clause, with the decisions each
    /// ruleset records as assumptions (`docs/rules-digest.md`).
    #[cfg_attr(not(doctest), doc = include_str!(concat!(env!("OUT_DIR"), "/rules-digest.md")))]
    pub mod rules_digest {}
}

pub use check::{check, Checked};
pub use diagnostics::{DiagnosticRecord, RulesetDiagnostic, Severity};
pub use error::{ErrorList, ErrorRecord, ToErrorRecords};
pub use eval::result::Evaluation;
pub use eval::{Detail, EvalError, EvalOptions, FactsHash};
pub use facts::{FactError, FactErrors, Facts};
pub use limits::Limits;
pub use period::Period;
pub use ruleset::{Ruleset, RulesetErrors};
/// The decimal type of every score and amount, re-exported so callers need
/// no dependency of their own (`kaohe::rust_decimal::Decimal`).
pub use rust_decimal;
pub use source::{SourceFile, SourceRange, Span};
pub use threads::Threads;
