//! `GET /openapi.json`: the OpenAPI description generated from the handlers'
//! `#[utoipa::path]` attributes and the types of their bodies, so it cannot
//! drift from the code. A test checks that it lists every route.

use utoipa::{OpenApi, ToSchema};

/// The location of an error's span's end.
#[derive(Debug, ToSchema)]
pub struct EndDoc {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// One error (or warning) as data: `docs/api.md#error`.
#[derive(Debug, ToSchema)]
pub struct ErrorDoc {
    /// The stable code: `kaohe::http::unknown_ruleset`, `kaohe::facts::wrong_type` …
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    /// What is wrong.
    pub message: String,
    /// Advice.
    pub help: Option<String>,
    /// The ruleset file.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column.
    pub column: Option<u32>,
    /// Where the span ends.
    pub end: Option<EndDoc>,
    /// A JSON path into the facts, or the query parameter (`?period`).
    pub path: Option<String>,
    /// The ledger's sheet.
    pub sheet: Option<String>,
    /// The ledger's cell (`C14`).
    pub cell: Option<String>,
}

/// A failed request: `{"api_version": 1, "errors": [ … ]}`.
#[derive(Debug, ToSchema)]
pub struct ErrorsDoc {
    /// Always 1.
    pub api_version: u32,
    /// Every error found (never empty).
    pub errors: Vec<ErrorDoc>,
}

/// The result of a check: `docs/api.md#check-result`.
#[derive(Debug, ToSchema)]
pub struct CheckDoc {
    /// Always 1.
    pub api_version: u32,
    /// `false` when any diagnostic is an error.
    pub ok: bool,
    /// The errors and warnings, located in the file.
    pub diagnostics: Vec<ErrorDoc>,
}

/// The error answers the routes share, each defined once: a route lists
/// those it can give (`responses((status = 200, …), BadQuery, UnknownRuleset)`),
/// each with the errors envelope ([`ErrorsDoc`]) as its body.
pub mod answers {
    use super::ErrorsDoc;

    /// A bad query parameter: unknown, repeated or with a bad value
    /// (`kaohe::http::invalid_query`; `?period=`, `?detail=` and `?unit=`
    /// of an evaluation: `kaohe::api::invalid_options`).
    #[derive(Debug, utoipa::IntoResponses)]
    #[response(status = 400)]
    pub struct BadQuery(pub ErrorsDoc);

    /// A bad query parameter (`kaohe::http::invalid_query`), or a body that
    /// cannot be read, is not UTF-8 or is not the expected JSON
    /// (`kaohe::http::bad_body`, `kaohe::http::not_utf8`).
    #[derive(Debug, utoipa::IntoResponses)]
    #[response(status = 400)]
    pub struct BadRequest(pub ErrorsDoc);

    /// No ruleset has this id (`kaohe::http::unknown_ruleset`).
    #[derive(Debug, utoipa::IntoResponses)]
    #[response(status = 404)]
    pub struct UnknownRuleset(pub ErrorsDoc);

    /// The ruleset has errors and is not served
    /// (`kaohe::http::ruleset_not_served`, then the ruleset's own errors).
    #[derive(Debug, utoipa::IntoResponses)]
    #[response(status = 409)]
    pub struct NotServed(pub ErrorsDoc);

    /// The body is larger than the limit (`kaohe::http::body_too_large`).
    #[derive(Debug, utoipa::IntoResponses)]
    #[response(status = 413)]
    pub struct TooLarge(pub ErrorsDoc);

    /// The body is neither a fact file (JSON) nor an `.xlsx` ledger; the
    /// code names what it is (an `.xls`, HTML, CSV …).
    #[derive(Debug, utoipa::IntoResponses)]
    #[response(status = 415)]
    pub struct NotFacts(pub ErrorsDoc);

    /// What was sent has errors, every one with its code and location: the
    /// facts (`kaohe::facts::…`, a JSON path), a ledger (`kaohe::ledger::…`,
    /// sheet and cell), a ruleset (file, line, column); or the evaluation
    /// failed (`kaohe::eval::…`).
    #[derive(Debug, utoipa::IntoResponses)]
    #[response(status = 422)]
    pub struct Unprocessable(pub ErrorsDoc);

    /// Too many evaluations at once (`kaohe::http::busy`), one took longer
    /// than the limit (`kaohe::http::timeout`), or a large upload could not
    /// be written to the service's temporary directory
    /// (`kaohe::http::temporary_file`).
    #[derive(Debug, utoipa::IntoResponses)]
    #[response(status = 503)]
    pub struct Busy(pub ErrorsDoc);
}

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "kaohe",
        description = "County performance assessment (考核) as a service: the JSON contract of docs/api.md over HTTP (docs/service.md).",
        license(name = "MIT OR Apache-2.0"),
    ),
    paths(
        crate::routes::healthz,
        crate::routes::openapi_json,
        crate::routes::list_rulesets,
        crate::routes::get_ruleset,
        crate::routes::get_schema,
        crate::routes::get_template,
        crate::routes::post_check,
        crate::routes::post_evaluate,
        crate::routes::post_diff,
    ),
    components(schemas(
        ErrorsDoc, ErrorDoc, EndDoc, CheckDoc,
        crate::routes::Health,
        crate::routes::RulesetList, crate::routes::RulesetSummary,
        crate::routes::RulesetDetail, crate::routes::CategoryInfo, crate::routes::RuleInfo,
        crate::routes::ClauseInfo, crate::routes::Effective,
        crate::routes::DiffBody, crate::routes::DiffSide,
        crate::evaluate::Format, crate::extract::LangDoc,
    )),
    tags(
        (name = "rulesets", description = "the rulesets served, their rules, clauses, fact schema and ledger"),
        (name = "evaluate", description = "scores, ranks and explanations; the impact of a change"),
        (name = "service", description = "health and this description"),
    )
)]
pub struct ApiDoc;

/// The description of the whole service. The `seal` and `page` modules add
/// theirs here when they have endpoints.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::page::PageApi::openapi());
    doc.merge(crate::seal::SealApi::openapi());
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

/// [`openapi`] as JSON text.
pub fn openapi_json() -> String {
    openapi().to_json().unwrap_or_else(|e| {
        kaohe::api::ApiErrors::one(kaohe::api::ApiError::new(
            crate::error::codes::INTERNAL,
            format!("cannot write the OpenAPI description: {e}"),
        ))
        .to_json()
    })
}
