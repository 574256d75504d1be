//! Sealed periods over HTTP (issue 17 §2, `docs/seals.md`): with `--data DIR`
//! the service keeps a store of sealed periods in `DIR/kaohe.sqlite`
//! (`kaohe_store`).
//!
//! - `POST /v1/rulesets/{id}/periods/{period}/seal` seals a period with the
//!   facts in the body (a fact file or a ledger, as for evaluate); it needs
//!   the token of `--token-file` as `Authorization: Bearer …` (401 without
//!   or with another, 403 when the service has no token file).
//! - `GET /v1/audit` re-checks the whole store (as `rulec verify`): the chain
//!   and every sealed period re-evaluated, with every problem found.
//! - Evaluations (`POST /v1/rulesets/{id}/evaluate`) go through the store
//!   ([`evaluate_sealed`]): sealed periods keep their results, and submitted
//!   records contradicting a seal are listed in `rejected`.

use std::path::PathBuf;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use kaohe::api::{ApiError, ApiErrors, Compiled};
use kaohe::Facts;
use kaohe_store::{Store, StoreFailure};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::error::{codes, HttpError};
use crate::evaluate::{evaluate_facts_by, receive_facts, EvaluateQuery, Output};
use crate::extract::Lang;
use crate::openapi::answers::{BadQuery, Busy, NotFacts, TooLarge, UnknownRuleset, Unprocessable};
use crate::routes::{blocking, blocking_until};
use crate::state::AppState;

/// The code of a seal or audit asked of a service started without `--data`.
pub const NOT_CONFIGURED: &str = "kaohe::store::not_configured";

/// The seal's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/rulesets/{id}/periods/{period}/seal", post(post_seal))
        .route("/v1/audit", get(get_audit))
}

/// The seal's part of the OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    paths(post_seal, get_audit),
    components(schemas(
        SealedAnswer, AuditAnswer,
        kaohe_store::SealInfo, kaohe_store::Audit, kaohe_store::AuditedSeal, kaohe_store::StoreError,
        crate::openapi::ErrorsDoc, crate::openapi::ErrorDoc, crate::openapi::EndDoc,
    )),
    tags((name = "seal", description = "sealed periods: seal a period, audit the store (docs/seals.md)"))
)]
pub struct SealApi;

/// The answer of a seal. The seal is the store's own type
/// ([`kaohe_store::SealInfo`], described from it: the `openapi` feature of
/// `kaohe-store`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SealedAnswer<'a> {
    /// Always 1.
    pub api_version: u32,
    /// The new seal.
    pub seal: &'a kaohe_store::SealInfo,
    /// Submitted records contradicting earlier seals, not applied (the
    /// evaluation's `rejected` entries naming a seal).
    #[schema(value_type = Vec<Object>)]
    pub rejected: Vec<&'a kaohe::eval::result::RejectedRecord>,
}

/// The answer of `GET /v1/audit` (as `rulec verify --format json`): the
/// store's [`kaohe_store::Audit`] with the envelope's `api_version` and `ok`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditAnswer {
    /// Always 1.
    pub api_version: u32,
    /// `true` when no problem was found.
    pub ok: bool,
    /// The database (`kaohe.sqlite`), every seal in chain order (each
    /// seal's fields and `ok`, flat), the last seal's hash, every problem.
    #[serde(flatten)]
    pub audit: kaohe_store::Audit,
}

/// Only `?lang=`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SealQuery {
    /// The language of messages (`zh` or `en`).
    #[param(value_type = Option<crate::extract::LangDoc>)]
    pub lang: Option<Lang>,
}

/// The store file of the service (`DIR/kaohe.sqlite`), or 409 when it keeps none.
fn store_path(state: &AppState) -> Result<PathBuf, HttpError> {
    state
        .data
        .as_ref()
        .map(|dir| dir.join("kaohe.sqlite"))
        .ok_or_else(|| {
            HttpError::new(
                StatusCode::CONFLICT,
                NOT_CONFIGURED,
                "the service keeps no store of sealed periods",
            )
            .with_help("start it with `rulec serve --data DIR` (the store is DIR/kaohe.sqlite)")
        })
}

/// Opens the store, creating its folder when missing.
fn open(path: &std::path::Path) -> Result<Store, HttpError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            HttpError::internal(format!("cannot create the data folder: {e}"))
                .with_help("check `--data`: the service must be able to write there")
        })?;
    }
    Store::open(path).map_err(|f| to_http(&f))
}

/// A store's failure as an answer: 422 for an evaluation error, 500 when the
/// database cannot be used, 409 for a refusal (already sealed, out of
/// order, provisional, contradicting a seal …).
pub fn to_http(failure: &StoreFailure) -> HttpError {
    match failure {
        StoreFailure::Eval(e) => {
            HttpError::unprocessable(ApiErrors::new(crate::evaluate::eval_errors(e)))
        }
        StoreFailure::Store(errors) => {
            let io = errors.iter().any(|e| e.code == "kaohe::store::io");
            HttpError {
                status: if io {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::CONFLICT
                },
                errors: ApiErrors::new(
                    errors
                        .iter()
                        .map(|e| {
                            let mut out = ApiError::new(e.code, e.message.clone());
                            out.help.clone_from(&e.help);
                            out.path.clone_from(&e.path);
                            out
                        })
                        .collect(),
                ),
            }
        }
    }
}

/// 403 when no token is configured; 401 without `Authorization: Bearer`
/// or with another token.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), HttpError> {
    let Some(token) = &state.token else {
        return Err(HttpError::new(
            StatusCode::FORBIDDEN,
            codes::UNAUTHORIZED,
            "sealing is not enabled: the service has no token",
        )
        .with_help("start it with `rulec serve --token-file FILE` (the file holds the token)"));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(given) if token.matches(given) => Ok(()),
        Some(_) => Err(HttpError::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            "the token is not the service's",
        )
        .with_help(
            "send the content of the service's token file as `Authorization: Bearer TOKEN`",
        )),
        None => Err(HttpError::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            "sealing needs the service's token",
        )
        .with_help("send it as `Authorization: Bearer TOKEN`")),
    }
}

/// An answer as JSON, its members in the order of their names (as
/// `serde_json::Value` writes them).
fn answer_json(answer: &impl Serialize) -> Result<Response, HttpError> {
    let value = serde_json::to_value(answer)
        .map_err(|e| HttpError::internal(format!("cannot serialise the answer: {e}")))?;
    Ok(json(&value))
}

fn json(body: &serde_json::Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Seals a period of a served ruleset with the facts in the body (a fact
/// file or a filled-in ledger, told apart by content): one transaction; a
/// sealed period never changes (docs/seals.md).
#[utoipa::path(post, path = "/v1/rulesets/{id}/periods/{period}/seal", tag = "seal",
    params(("id" = String, Path, description = "the ruleset's id"),
        ("period" = String, Path, description = "the month or quarter: 2026-04, 2026-Q1"), SealQuery),
    request_body(description = "the facts: a fact file (docs/facts.md) or an .xlsx ledger (docs/office.md)",
        content((Object = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, description = "sealed", body = SealedAnswer),
        (status = 400, description = "a bad query parameter (kaohe::http::invalid_query), or the period is not a period of the ruleset that can be sealed (kaohe::store::wrong_period)", body = crate::openapi::ErrorsDoc),
        (status = 401, description = "no token, or another one (kaohe::http::unauthorized)", body = crate::openapi::ErrorsDoc),
        (status = 403, description = "the service has no token file", body = crate::openapi::ErrorsDoc),
        (status = 409, description = "refused: already sealed, out of order, provisional, no store (kaohe::store::…), or the ruleset has errors (kaohe::http::ruleset_not_served)", body = crate::openapi::ErrorsDoc),
        UnknownRuleset, TooLarge, NotFacts, Unprocessable, Busy))]
pub async fn post_seal(
    State(state): State<AppState>,
    Path((id, period)): Path<(String, String)>,
    crate::extract::Query(_lang): crate::extract::Query<SealQuery>,
    request: axum::extract::Request,
) -> Result<Response, HttpError> {
    let (parts, body) = request.into_parts();
    authorize(&state, &parts.headers)?;
    let path = store_path(&state)?;
    let compiled = state.ruleset(&id)?;
    let period = match period.parse::<kaohe::Period>() {
        Ok(p)
            if !matches!(p, kaohe::Period::Year(_))
                || p.is_unit(compiled.ruleset().period_unit()) =>
        {
            p
        }
        _ => {
            return Err(HttpError::new(
                StatusCode::BAD_REQUEST,
                "kaohe::store::wrong_period",
                format!(
                    "`{}` is not a period that can be sealed (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-Wnn; a year YYYY only under `period year`)",
                    crate::state::escape(&period)
                ),
            ))
        }
    };
    let deadline = crate::routes::deadline(&state);
    let body = crate::routes::receive(&state, deadline, &parts.headers, body).await?;
    blocking_until(&state, deadline, move || {
        let facts = receive_facts(&compiled, body)?;
        let mut store = open(&path)?;
        let sealed = store
            .seal(compiled.ruleset(), &facts, period)
            .map_err(|f| to_http(&f))?;
        let answer = SealedAnswer {
            api_version: 1,
            seal: &sealed.seal,
            rejected: sealed
                .evaluation
                .rejected
                .iter()
                .filter(|r| r.reason.contains("seal #"))
                .collect(),
        };
        answer_json(&answer)
    })
    .await
}

/// Re-checks the whole store (as `rulec verify`): the SHA-256 chain, each
/// seal's hash, and each sealed period re-evaluated from its stored records.
/// Problems are listed, located by seal (`ok` is then `false`).
#[utoipa::path(get, path = "/v1/audit", tag = "seal", params(SealQuery),
    responses((status = 200, description = "the chain and the verification result", body = AuditAnswer),
        BadQuery,
        (status = 409, description = "the service keeps no store (kaohe::store::not_configured)", body = crate::openapi::ErrorsDoc),
        Busy))]
pub async fn get_audit(
    State(state): State<AppState>,
    crate::extract::Query(_lang): crate::extract::Query<SealQuery>,
) -> Result<Response, HttpError> {
    let path = store_path(&state)?;
    blocking(&state, move || {
        let store = open(&path)?;
        let mut audit = store.audit();
        // The server's folders are nobody's business: the file by its name.
        audit.file = "kaohe.sqlite".to_owned();
        for e in &mut audit.errors {
            e.file = "kaohe.sqlite".to_owned();
        }
        answer_json(&AuditAnswer {
            api_version: 1,
            ok: audit.errors.is_empty(),
            audit,
        })
    })
    .await
}

/// Evaluates through the store (the service was started with `--data`):
/// the sealed periods keep their results, contradicting records are
/// rejected, and the answer is rendered as any evaluation. Blocking.
pub fn evaluate_sealed(
    state: &AppState,
    id: &str,
    compiled: &Compiled,
    facts: &Facts,
    query: &EvaluateQuery,
) -> Result<Output, HttpError> {
    let store = open(&store_path(state)?)?;
    let by = |options: &kaohe::EvalOptions| {
        store
            .evaluate_with(compiled.ruleset(), facts, options)
            .map_err(|f| to_http(&f))
    };
    evaluate_facts_by(id, compiled, facts, query, &state.catalog, Some(&by))
}
