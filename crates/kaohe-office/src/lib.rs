//! kaohe-office: kaohe where county offices work — in Excel/WPS and in the
//! bulletins they forward.
//!
//! - [`template`]: the blank ledger (台账) of a ruleset, an `.xlsx` workbook
//!   generated from its input declarations.
//! - [`import`]: a filled-in ledger read back into facts, every bad cell
//!   reported as `sheet!CELL: expected …, found …`; what cannot be read right
//!   (a percent-formatted number, a merged cell, look-alike characters …) is
//!   refused, never guessed. Errors serialise as data (`docs/errors.md`).
//! - [`sniff()`]: what a file is by its content (`.xlsx`, `.xls`, JSON, CSV …),
//!   for choosing a reader whatever the file's name.
//! - [`bulletin_xlsx`]: the results as a workbook (ranking, explanation, notices).
//! - [`bulletin_html`]: the results as one self-contained web page styled like
//!   an official bulletin (工作专报), with the red/yellow/green board and each
//!   unit's score over the months as an inline SVG chart.
//! - [`ranking`]: the ranking table's cells and the table as CSV, the one
//!   renderer of `rulec eval` and `rulec serve`.
//!
//! The ledger's layout is in [`layout`]; `docs/office.md` describes the monthly
//! routine. The core `kaohe` crate does not depend on this one.
//!
//! ```
//! use kaohe::{Ruleset, SourceFile};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rulesets/miluo-2026/miluo-2026.rules");
//! let ruleset = Ruleset::from_source(SourceFile::new("miluo-2026.rules", std::fs::read_to_string(path)?))?;
//! let blank: Vec<u8> = kaohe_office::template(&ruleset)?; // the bytes of an .xlsx file
//!
//! // Read back as it is, the ledger lacks its evaluation date; the error names the cell.
//! match kaohe_office::import(&ruleset, &blank) {
//!     Err(kaohe_office::ImportError::Ledger(errors)) => assert_eq!(
//!         errors[0].to_string(),
//!         "说明!B3: expected the evaluation date, a date YYYY-MM-DD, found an empty cell"
//!     ),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bulletin;
pub mod bulletin_html;
pub mod bulletin_xlsx;
pub mod csv;
mod guard;
pub mod import;
pub mod layout;
mod lookalike;
mod numfmt;
pub mod ranking;
pub mod sniff;
pub mod template;

pub use bulletin::Scope;
pub use bulletin_html::bulletin_html;
pub use bulletin_xlsx::{bulletin_xlsx, BulletinError};
pub use import::{import, ImportError, Imported, LedgerError};
pub use layout::Layout;
pub use sniff::{sniff, InputKind};
pub use template::{template, TemplateError};
