//! kaohe (考核): a rules-as-data engine for the performance assessment that county
//! governments run on their units.
//!
//! A county's rulebook is a ruleset file in the kaohe rule language
//! (`docs/language.md`). This crate parses it, checks it, and reports every
//! problem with its location.
//!
//! ```
//! use kaohe::{check, SourceFile};
//!
//! let source = SourceFile::new("tiny.rules", r#"
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
//! "#);
//! let checked = check(&source);
//! assert!(checked.is_ok(), "{:?}", checked.diagnostics);
//! ```
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
pub mod cases;
pub mod check;
pub mod date;
pub mod diagnostics;
pub mod eval;
pub mod facts;
pub mod impact;
pub mod limits;
pub mod period;
pub mod ruleset;
pub mod schema;
pub mod source;
mod suggest;
pub mod syntax;
pub mod synth;
pub mod text;
pub mod value;

/// The embedding guide (`docs/embedding.md`); its example runs as a doctest.
#[doc = include_str!("../../../docs/embedding.md")]
pub mod embedding {}

pub use check::{check, Checked};
pub use diagnostics::{DiagnosticRecord, RulesetDiagnostic, Severity};
pub use eval::result::Evaluation;
pub use eval::{Detail, EvalError, EvalOptions};
pub use facts::{FactError, FactErrors, Facts};
pub use limits::Limits;
pub use period::Period;
pub use ruleset::{Ruleset, RulesetErrors};
pub use source::{SourceFile, Span};
