//! The native module `kaohe._native` of the Python package (issue 14 §5):
//! the JSON contract of `kaohe::api` and `kaohe_ffi::ledger`, one function
//! or method per operation, with the interpreter released while kaohe works.
//!
//! The idiomatic API (`kaohe.Ruleset`, dicts with `decimal.Decimal` scores,
//! `kaohe.RulesetError`/`kaohe.FactError`) is the Python layer in
//! `python/kaohe/__init__.py`. A failed operation raises `NativeError` whose
//! single argument is the `{"api_version":1,"errors":[…]}` JSON; the Python
//! layer turns it into the right exception.

mod objects;

use kaohe::api::{self, ApiErrors, Compiled};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

create_exception!(
    _native,
    NativeError,
    PyException,
    "A failed operation; its argument is the errors JSON."
);

fn failed(e: ApiErrors) -> PyErr {
    NativeError::new_err(e.to_json())
}

/// A compiled ruleset; immutable, so any number of threads may use it.
#[pyclass(frozen, module = "kaohe._native", name = "Compiled")]
struct PyCompiled(Compiled);

#[pymethods]
impl PyCompiled {
    /// The checker's warnings: `{"api_version":1,"ok":true,"diagnostics":[…]}`.
    fn warnings(&self) -> String {
        self.0.warnings_json()
    }

    /// The evaluation JSON of a fact file (JSON text) with options (JSON text).
    fn evaluate(&self, py: Python<'_>, facts: String, options: String) -> PyResult<String> {
        py.detach(|| api::evaluate(&self.0, &facts, &options))
            .map_err(failed)
    }

    /// The evaluation JSON of a fact file given as UTF-8 bytes, as UTF-8
    /// bytes: the fast path (no `str` is decoded or encoded on either side;
    /// the facts are read in place). Facts that are not UTF-8 fail with
    /// `kaohe::facts::not_utf8` (or `utf16`), located.
    fn evaluate_utf8<'py>(
        &self,
        py: Python<'py>,
        facts: &[u8],
        options: &str,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let json = py
            .detach(|| evaluate_bytes(&self.0, facts, options))
            .map_err(failed)?;
        let bytes = PyBytes::new(py, json.as_bytes());
        py.detach(move || drop(json));
        Ok(bytes)
    }

    /// The evaluation of a fact file (JSON text) with options (JSON text) as
    /// Python objects: dicts, lists and `decimal.Decimal` scores, built from
    /// the Rust result without JSON text in between (`objects`). The
    /// interpreter is released while kaohe evaluates and while the Rust
    /// result is dropped.
    fn evaluate_objects<'py>(
        &self,
        py: Python<'py>,
        facts: String,
        options: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let evaluation = py
            .detach(|| api::evaluation(&self.0, &facts, &options))
            .map_err(failed)?;
        let objects = objects::Builder::new(py)?.build(&evaluation);
        py.detach(move || drop(evaluation));
        objects
    }

    /// The evaluation JSON of a filled-in ledger (the bytes of an .xlsx file).
    fn evaluate_ledger(
        &self,
        py: Python<'_>,
        ledger: Vec<u8>,
        options: String,
    ) -> PyResult<String> {
        py.detach(|| kaohe_ffi::ledger::evaluate_ledger(&self.0, &ledger, &options))
            .map_err(failed)
    }

    /// For the bench (`benches/bench.py`): the same evaluation as `evaluate`,
    /// timed inside Rust (nanoseconds), after the arguments have crossed
    /// the boundary; the result is dropped. The baseline the binding's
    /// overhead is measured against, in the same process.
    fn _bench_rust_evaluate(&self, facts: String, options: String) -> PyResult<u64> {
        let start = std::time::Instant::now();
        let json = api::evaluate(&self.0, &facts, &options).map_err(failed)?;
        let nanos = start.elapsed().as_nanos();
        drop(json);
        Ok(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// The ruleset's source text.
    fn source(&self) -> String {
        self.0.ruleset().source().text().to_owned()
    }

    /// The JSON Schema of the ruleset's fact files.
    fn schema(&self) -> String {
        api::schema(&self.0)
    }

    /// The blank Excel ledger, as bytes.
    fn template<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = py
            .detach(|| kaohe_ffi::ledger::template(&self.0))
            .map_err(failed)?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A filled-in ledger (bytes) read into a fact file (JSON text); options
    /// (JSON text) as the contract's: `{"lang":"zh"}` gives its errors in Chinese.
    #[pyo3(signature = (ledger, options = String::new()))]
    fn import_ledger(&self, py: Python<'_>, ledger: Vec<u8>, options: String) -> PyResult<String> {
        py.detach(|| kaohe_ffi::ledger::import_with(&self.0, &ledger, &options))
            .map_err(failed)
    }
}

/// [`api::evaluate`] of facts given as bytes: the located
/// `kaohe::facts::not_utf8` (or `utf16`) error of the fact reader when they
/// are not UTF-8.
fn evaluate_bytes(compiled: &Compiled, facts: &[u8], options: &str) -> Result<String, ApiErrors> {
    match std::str::from_utf8(facts) {
        Ok(text) => api::evaluate(compiled, text, options),
        Err(_) => {
            let errors = match kaohe::Facts::from_reader(compiled.ruleset(), facts) {
                Err(e) => e.errors.iter().map(api::ApiError::from).collect(),
                Ok(_) => Vec::new(),
            };
            if errors.is_empty() {
                Err(ApiErrors::one(
                    api::ApiError::new("kaohe::facts::not_utf8", "the facts are not UTF-8")
                        .at_path("$"),
                ))
            } else {
                Err(ApiErrors::new(errors))
            }
        }
    }
}

/// `{"api_version":1,"ok":bool,"diagnostics":[…]}` for a ruleset's source.
#[pyfunction]
fn check(py: Python<'_>, name: String, text: String) -> String {
    py.detach(|| api::check(&name, &text))
}

/// Compiles a ruleset; raises `NativeError` with every diagnostic.
#[pyfunction]
fn compile(py: Python<'_>, name: String, text: String) -> PyResult<PyCompiled> {
    py.detach(|| api::compile(&name, &text))
        .map(PyCompiled)
        .map_err(failed)
}

/// The impact JSON of a change of ruleset on a fact file.
#[pyfunction]
fn diff(
    py: Python<'_>,
    old_name: String,
    old_text: String,
    new_name: String,
    new_text: String,
    facts: String,
) -> PyResult<String> {
    py.detach(|| api::diff((&old_name, &old_text), (&new_name, &new_text), &facts))
        .map_err(failed)
}

/// `{"api_version":1,"format_version":1,"engine":"kaohe …"}`.
#[pyfunction]
fn version() -> String {
    api::version()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("API_VERSION", api::API_VERSION)?;
    m.add("DECIMAL_KEYS", PyTuple::new(m.py(), objects::DECIMAL_KEYS)?)?;
    m.add_class::<PyCompiled>()?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(compile, m)?)?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
