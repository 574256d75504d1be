//! Errors over HTTP: a status and the contract's errors envelope,
//! `{"api_version":1,"errors":[…]}`, each error with its stable code.
//!
//! The contract's own errors keep their codes (`kaohe::facts::…`,
//! `kaohe::ledger::…`, the checker's `kaohe::<name>`) and are answered with
//! 422; faults of the request itself have codes `kaohe::http::<name>`
//! (`docs/errors.md#http`).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use kaohe::api::{ApiError, ApiErrors};

/// The codes of HTTP-level faults (`docs/errors.md#http`).
pub mod codes {
    /// No route has this path (404).
    pub const NOT_FOUND: &str = "kaohe::http::not_found";
    /// The path exists, not with this method (405).
    pub const METHOD_NOT_ALLOWED: &str = "kaohe::http::method_not_allowed";
    /// No ruleset with this id is loaded (404).
    pub const UNKNOWN_RULESET: &str = "kaohe::http::unknown_ruleset";
    /// The ruleset was found but has errors, so it is not served (409).
    pub const RULESET_NOT_SERVED: &str = "kaohe::http::ruleset_not_served";
    /// The body is larger than the limit (413).
    pub const BODY_TOO_LARGE: &str = "kaohe::http::body_too_large";
    /// The body cannot be read (400).
    pub const BAD_BODY: &str = "kaohe::http::bad_body";
    /// The body is not UTF-8 where text is expected (400).
    pub const NOT_UTF8: &str = "kaohe::http::not_utf8";
    /// A query parameter is unknown or has a bad value (400).
    pub const INVALID_QUERY: &str = "kaohe::http::invalid_query";
    /// Too many evaluations are running and waiting (503).
    pub const BUSY: &str = "kaohe::http::busy";
    /// The evaluation took longer than the limit (503).
    pub const TIMEOUT: &str = "kaohe::http::timeout";
    /// The token is missing or wrong (401), or no token is configured (403).
    pub const UNAUTHORIZED: &str = "kaohe::http::unauthorized";
    /// A large upload cannot be written to the service's temporary
    /// directory (`TMPDIR` missing, not writable or full) (503): the
    /// service's set-up, not the request nor a bug.
    pub const TEMPORARY_FILE: &str = "kaohe::http::temporary_file";
    /// A fault of the service itself (500): a bug, reported, never a crash.
    pub const INTERNAL: &str = "kaohe::http::internal";
}

/// A failed request: the status and every error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// The HTTP status (4xx for the request's faults, 503 for limits).
    pub status: StatusCode,
    /// The errors, as the contract gives them.
    pub errors: ApiErrors,
}

impl HttpError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> HttpError {
        HttpError {
            status,
            errors: ApiErrors::one(ApiError::new(code, message)),
        }
    }

    /// The same error with advice on its (first) error.
    pub fn with_help(mut self, help: impl Into<String>) -> HttpError {
        if let Some(first) = self.errors.errors.first_mut() {
            first.help = Some(help.into());
        }
        self
    }

    /// The contract's errors (a ruleset, facts, a ledger, options): 422.
    pub fn unprocessable(errors: ApiErrors) -> HttpError {
        HttpError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        }
    }

    /// 400 `kaohe::http::invalid_query` at the parameter `name`.
    pub fn invalid_query(name: &str, message: impl Into<String>) -> HttpError {
        let mut error = HttpError::new(StatusCode::BAD_REQUEST, codes::INVALID_QUERY, message);
        if let Some(first) = error.errors.errors.first_mut() {
            first.path = Some(format!("?{name}"));
        }
        error
    }

    /// 500 `kaohe::http::internal`: a fault of the service, not of the request.
    pub fn internal(message: impl Into<String>) -> HttpError {
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL, message)
            .with_help("this is a bug in kaohe; please report it with the request")
    }
}

impl From<ApiErrors> for HttpError {
    fn from(errors: ApiErrors) -> HttpError {
        HttpError::unprocessable(errors)
    }
}

impl IntoResponse for HttpError {
    /// The JSON envelope; the errors are also left in the response's
    /// extensions, so that the `language` middleware can give them in the
    /// request's language.
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            self.errors.to_json(),
        )
            .into_response();
        response.extensions_mut().insert(self.errors);
        response
    }
}
