//! The ledger operations of the JSON contract (issue 14 §3): the blank Excel
//! ledger (台账) of a compiled ruleset, and a filled-in one read back into a
//! fact file or evaluated directly.
//!
//! They live here rather than in `kaohe::api` because the ledger is
//! `kaohe-office`, which depends on `kaohe`. The C ABI, the Python package and
//! the Java binding all call these functions, so this is the one place.

use kaohe::api::{evaluate_facts, ApiError, ApiErrors, Compiled, Options};
use kaohe::i18n::{Catalog, Lang};
use kaohe_office::{ImportError, LedgerError};

/// A ledger error in the contract's shape: its own code (`kaohe::ledger::…`),
/// help, sheet and cell.
fn ledger_error(e: &LedgerError) -> ApiError {
    let mut out = ApiError::new(e.code, e.message.clone());
    out.help = e.help.clone();
    out.sheet = e.sheet.clone();
    out.cell = e.cell.clone();
    out
}

fn import_errors(e: ImportError) -> ApiErrors {
    ApiErrors::new(e.errors().iter().map(ledger_error).collect())
}

/// The blank ledger of the ruleset: the bytes of an `.xlsx` workbook
/// (`docs/office.md`). Fails only if the workbook writer fails
/// (`kaohe::ledger::template_failed`).
pub fn template(compiled: &Compiled) -> Result<Vec<u8>, ApiErrors> {
    kaohe_office::template(compiled.ruleset()).map_err(|e| {
        ApiErrors::one(ApiError::new(
            "kaohe::ledger::template_failed",
            e.to_string(),
        ))
    })
}

/// Reads a filled-in ledger (the bytes of an `.xlsx` file) into a fact file:
/// the compact JSON that `rulec import` writes. Fails with every bad cell
/// (each with its own `kaohe::ledger::…` code, `sheet` and `cell`) or with
/// a `kaohe::ledger::…` error naming the format when the bytes are no `.xlsx` workbook.
pub fn import(compiled: &Compiled, bytes: &[u8]) -> Result<String, ApiErrors> {
    import_with(compiled, bytes, "")
}

/// [`import`] with options, the JSON of [`kaohe::api::evaluate`]'s options
/// (`{"lang": "zh"}`; empty text: none): the ledger's errors in the
/// language of `lang` (issue 16 §3), with the same codes, sheets and
/// cells. Options an import does not use (`detail`, `period`, `unit`) are
/// checked and ignored.
pub fn import_with(compiled: &Compiled, bytes: &[u8], options: &str) -> Result<String, ApiErrors> {
    let options = Options::from_json(options)?;
    let imported = kaohe_office::import(compiled.ruleset(), bytes)
        .map_err(|e| in_lang(import_errors(e), &options))?;
    serde_json::to_string(&imported.json).map_err(|e| {
        ApiErrors::one(ApiError::new(
            "kaohe::api::internal",
            format!("cannot serialise: {e}"),
        ))
    })
}

/// Reads a filled-in ledger and evaluates it with `options` (as
/// [`kaohe::api::evaluate`]): the evaluation JSON, or the ledger's errors.
pub fn evaluate_ledger(
    compiled: &Compiled,
    bytes: &[u8],
    options: &str,
) -> Result<String, ApiErrors> {
    let options = Options::from_json(options)?;
    let imported = kaohe_office::import(compiled.ruleset(), bytes)
        .map_err(|e| in_lang(import_errors(e), &options))?;
    evaluate_facts(compiled, &imported.facts, &options).map_err(|e| in_lang(e, &options))
}

/// Errors in the language the options ask for.
fn in_lang(errors: ApiErrors, options: &Options) -> ApiErrors {
    match options.lang {
        Lang::En => errors,
        lang => errors.in_lang(lang, &Catalog::new()),
    }
}
