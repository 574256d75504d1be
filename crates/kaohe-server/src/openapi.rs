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
