//! The API's handlers: rulesets, check, evaluate, diff, the OpenAPI
//! description, health. Each is documented for `GET /openapi.json` with
//! `#[utoipa::path]`; the shapes are described in `docs/service.md`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use kaohe::api::{ApiError, Compiled};
use kaohe::syntax::ast::{self, Item};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{codes, HttpError};
use crate::evaluate::{self, EvaluateQuery, Output, XLSX};
use crate::extract::{Body, Lang, Query, RequestLang};
use crate::openapi::answers::{
    BadQuery, BadRequest, Busy, NotFacts, NotServed, TooLarge, UnknownRuleset, Unprocessable,
};
use crate::openapi::CheckDoc;
use crate::state::AppState;
use crate::upload::Received;

/// A small ruleset, the example of `/v1/check` and `/v1/diff` in the OpenAPI description.
const EXAMPLE_RULESET: &str = r#"ruleset tiny {
  title "示例" issuer "示例专班" source "示例细则"
  effective 2026-01-01 to 2026-12-31
}
group lead "牵头单位" [X-1] {}
record late_report "迟报" {}
period month [X-1] { amendable [X-1] }
score [X-1] {
  base 100 [X-1]
  category daily "日常工作" [X-1] {
    deduct late "迟报" [X-2] { per late_report amount 10 }
  }
}
ranking monthly "月度排名" of lead [X-3] { by total desc ties shared [X-3] }
"#;

/// A small fact file for Miluo's ruleset (and [`EXAMPLE_RULESET`]), the
/// example of the evaluate and diff bodies.
fn example_facts() -> serde_json::Value {
    serde_json::json!({
        "as_of": "2026-06-10",
        "units": [{"id": "jtj", "name": "教体局", "group": "lead"}],
        "periods": ["2026-04"],
        "records": [],
    })
}

/// The API's routes (without the page's and the seal's).
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi_json))
        .route("/v1/rulesets", get(list_rulesets))
        .route("/v1/rulesets/{id}", get(get_ruleset))
        .route("/v1/rulesets/{id}/schema", get(get_schema))
        .route("/v1/rulesets/{id}/template", get(get_template))
        .route("/v1/rulesets/{id}/evaluate", post(post_evaluate))
        .route("/v1/check", post(post_check))
        .route("/v1/diff", post(post_diff))
}

/// A ruleset id from the path; one that cannot be decoded (not UTF-8) names
/// no ruleset (404 `kaohe::http::unknown_ruleset`).
#[derive(Debug, Clone)]
pub struct Id(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Id {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, HttpError> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(Id(id)),
            Err(rejection) => Err(HttpError::new(
                StatusCode::NOT_FOUND,
                codes::UNKNOWN_RULESET,
                format!(
                    "no ruleset is served at this path: {}",
                    rejection.body_text()
                ),
            )),
        }
    }
}

/// Only `?lang=`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// The language of messages (`zh` or `en`; else `Accept-Language`).
    #[param(value_type = Option<crate::extract::LangDoc>)]
    pub lang: Option<Lang>,
}

/// The answer of `GET /healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` while the service answers.
    pub status: &'static str,
    /// The engine, `kaohe 0.1.0`.
    pub engine: String,
    /// How many rulesets are served (without errors).
    pub rulesets: usize,
}

/// Whether the service is up.
#[utoipa::path(get, path = "/healthz", tag = "service", params(LangQuery),
    responses((status = 200, description = "the service answers", body = Health),
        BadQuery))]
pub async fn healthz(
    State(state): State<AppState>,
    Query(_lang): Query<LangQuery>,
) -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok",
        engine: format!("kaohe {}", env!("CARGO_PKG_VERSION")),
        rulesets: state.rulesets.iter().filter(|r| r.compiled.is_ok()).count(),
    })
}

/// The OpenAPI 3.1 description of this service, generated from the code.
#[utoipa::path(get, path = "/openapi.json", tag = "service", params(LangQuery),
    responses((status = 200, description = "the OpenAPI description", content_type = "application/json", body = Object),
        BadQuery))]
pub async fn openapi_json(Query(_lang): Query<LangQuery>) -> Response {
    json(crate::openapi::openapi_json())
}

/// A JSON body with status 200.
fn json(body: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// One ruleset in `GET /v1/rulesets`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesetSummary {
    /// The id in URLs: the name of its directory (`shaodong-2023`).
    pub id: String,
    /// Whether it is served; `false` when it has errors (then only `id` and `errors`).
    pub ok: bool,
    /// `title` of the ruleset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `issuer` of the ruleset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `month` or `quarter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<&'static str>,
    /// `sealed` (past periods are sealed some days after their end) or
    /// `amendable` (amended facts change past periods).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sealing: Option<&'static str>,
    /// Why it is not served: the checker's errors (and warnings), located in its file.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub errors: Option<Vec<ApiError>>,
}

/// The answer of `GET /v1/rulesets`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesetList {
    /// Every ruleset found at start, sorted by id (those with errors too).
    pub rulesets: Vec<RulesetSummary>,
}

fn period_of(compiled: &Compiled) -> &'static str {
    compiled.ruleset().period_unit().keyword()
}

fn sealing_of(compiled: &Compiled) -> &'static str {
    let amendable = compiled.ruleset().syntax().items.iter().any(|i| match i {
        Item::Period(p) => p.amendable.is_some(),
        _ => false,
    });
    if amendable {
        "amendable"
    } else {
        "sealed"
    }
}

fn summary(id: &str, compiled: &Result<Arc<Compiled>, kaohe::api::ApiErrors>) -> RulesetSummary {
    match compiled {
        Ok(c) => RulesetSummary {
            id: id.to_owned(),
            ok: true,
            title: Some(c.ruleset().title().to_owned()),
            issuer: c.ruleset().meta(ast::MetaKey::Issuer).map(str::to_owned),
            period: Some(period_of(c)),
            sealing: Some(sealing_of(c)),
            errors: None,
        },
        Err(e) => RulesetSummary {
            id: id.to_owned(),
            ok: false,
            title: None,
            issuer: None,
            period: None,
            sealing: None,
            errors: Some(e.errors.clone()),
        },
    }
}

/// The rulesets found at start, with those that have errors (not served).
#[utoipa::path(get, path = "/v1/rulesets", tag = "rulesets", params(LangQuery),
    responses((status = 200, description = "every ruleset found", body = RulesetList),
        BadQuery))]
pub async fn list_rulesets(
    State(state): State<AppState>,
    Query(_lang): Query<LangQuery>,
) -> axum::Json<RulesetList> {
    axum::Json(RulesetList {
        rulesets: state
            .rulesets
            .iter()
            .map(|r| summary(&r.id, &r.compiled))
            .collect(),
    })
}

/// A rule in `GET /v1/rulesets/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleInfo {
    /// The rule's name in the ruleset (`late_report`).
    pub name: String,
    /// Its label (`迟报`), if it has one.
    pub label: Option<String>,
    /// `deduct`, `bonus` or `adjust`.
    pub kind: &'static str,
    /// The clauses it cites (`["SD-2.1", "SD-A9"]`).
    pub clauses: Vec<String>,
    /// The record kind it counts (`per late_report`), if any.
    pub per: Option<String>,
}

/// A category in `GET /v1/rulesets/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryInfo {
    /// The category's name (`daily`).
    pub name: String,
    /// Its label (`日常工作`), if it has one.
    pub label: Option<String>,
    /// The points allotted to it (an exact decimal), if any.
    pub allot: Option<String>,
    /// The clauses it cites.
    pub clauses: Vec<String>,
    /// Its rules, in the ruleset's order.
    pub rules: Vec<RuleInfo>,
}

/// A clause in `GET /v1/rulesets/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClauseInfo {
    /// Its id (`SD-2.1`).
    pub id: String,
    /// `clause` (the source document's text) or `assumption` (the
    /// interpretation the ruleset's authors made).
    pub kind: &'static str,
    /// Its text; `null` when the ruleset cites the id without declaring its text.
    pub text: Option<String>,
}

/// The answer of `GET /v1/rulesets/{id}`: metadata, rules by category, clause texts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesetDetail {
    /// The id in URLs (its directory).
    pub id: String,
    /// The id the ruleset declares (`ruleset shaodong_2023 { … }`).
    pub ruleset: String,
    /// `title`.
    pub title: String,
    /// `issuer`, if declared.
    pub issuer: Option<String>,
    /// `source`, if declared.
    pub source: Option<String>,
    /// The first and last day it is in force (`YYYY-MM-DD`), if declared.
    pub effective: Option<Effective>,
    /// `month` or `quarter`.
    pub period: &'static str,
    /// `sealed` or `amendable`.
    pub sealing: &'static str,
    /// `sha256:` and the hex SHA-256 of its text (as in evaluations).
    pub hash: String,
    /// The base points (exact decimals), in declaration order.
    pub base: Vec<String>,
    /// The categories and their rules, in the ruleset's order.
    pub categories: Vec<CategoryInfo>,
    /// The clauses and assumptions it declares, in declaration order, then
    /// those it cites without declaring (text `null`), sorted.
    pub clauses: Vec<ClauseInfo>,
    /// The checker's warnings, as the contract gives them.
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<ApiError>,
}

/// When a ruleset is in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Effective {
    /// The first day, `YYYY-MM-DD`.
    pub from: String,
    /// The last day, `YYYY-MM-DD`.
    pub to: String,
}

fn cited(cite: Option<&ast::Citation>) -> Vec<String> {
    cite.map(|c| c.clauses.iter().map(|r| r.id.clone()).collect())
        .unwrap_or_default()
}

/// The description of a compiled ruleset.
pub fn describe(id: &str, compiled: &Compiled) -> RulesetDetail {
    let ruleset = compiled.ruleset();
    let mut clauses: Vec<ClauseInfo> = Vec::new();
    let mut categories = Vec::new();
    let mut base = Vec::new();
    for item in &ruleset.syntax().items {
        match item {
            Item::Clause(c) => clauses.push(ClauseInfo {
                id: c.id.id.clone(),
                kind: "clause",
                text: Some(c.text.text.clone()),
            }),
            Item::Assumption(a) => clauses.push(ClauseInfo {
                id: a.id.id.clone(),
                kind: "assumption",
                text: Some(a.text.text.clone()),
            }),
            Item::Score(score) => {
                base = score
                    .base
                    .iter()
                    .map(|(n, _)| n.value.normalize().to_string())
                    .collect();
                for category in &score.categories {
                    categories.push(CategoryInfo {
                        name: category.name.name.clone(),
                        label: category.label.as_ref().map(|l| l.text.clone()),
                        allot: category
                            .allot
                            .as_ref()
                            .map(|n| n.value.normalize().to_string()),
                        clauses: cited(category.cite.as_ref()),
                        rules: category
                            .rules
                            .iter()
                            .map(|rule| RuleInfo {
                                name: rule.name.name.clone(),
                                label: rule.label.as_ref().map(|l| l.text.clone()),
                                kind: rule.kind.keyword(),
                                clauses: cited(rule.cite.as_ref()),
                                per: rule.per.as_ref().map(|p| p.kind.name.clone()),
                            })
                            .collect(),
                    });
                }
            }
            _ => {}
        }
    }
    let mut undeclared: Vec<String> = categories
        .iter()
        .flat_map(|c: &CategoryInfo| {
            c.clauses
                .iter()
                .chain(c.rules.iter().flat_map(|r| r.clauses.iter()))
        })
        .filter(|id| !clauses.iter().any(|c| &c.id == *id))
        .cloned()
        .collect();
    undeclared.sort();
    undeclared.dedup();
    clauses.extend(undeclared.into_iter().map(|id| ClauseInfo {
        id,
        kind: "clause",
        text: None,
    }));
    RulesetDetail {
        id: id.to_owned(),
        ruleset: ruleset.id().to_owned(),
        title: ruleset.title().to_owned(),
        issuer: ruleset.meta(ast::MetaKey::Issuer).map(str::to_owned),
        source: ruleset.meta(ast::MetaKey::Source).map(str::to_owned),
        effective: ruleset.effective().map(|(from, to)| Effective {
            from: from.to_string(),
            to: to.to_string(),
        }),
        period: period_of(compiled),
        sealing: sealing_of(compiled),
        hash: ruleset.hash().to_owned(),
        base,
        categories,
        clauses,
        warnings: ruleset
            .warnings()
            .iter()
            .map(|d| ApiError::from(d.record(ruleset.source())))
            .collect(),
    }
}

/// A served ruleset: metadata, its rules grouped by category with the
/// clauses they cite, and the clause texts.
#[utoipa::path(get, path = "/v1/rulesets/{id}", tag = "rulesets",
    params(("id" = String, Path, description = "the ruleset's id, as listed by GET /v1/rulesets", example = "miluo-2026"), LangQuery),
    responses((status = 200, description = "the ruleset", body = RulesetDetail),
        BadQuery, UnknownRuleset, NotServed))]
pub async fn get_ruleset(
    State(state): State<AppState>,
    Id(id): Id,
    Query(_lang): Query<LangQuery>,
) -> Result<axum::Json<RulesetDetail>, HttpError> {
    let compiled = state.ruleset(&id)?;
    Ok(axum::Json(describe(&id, &compiled)))
}

/// The JSON Schema of the ruleset's fact files (as `rulec schema`).
#[utoipa::path(get, path = "/v1/rulesets/{id}/schema", tag = "rulesets",
    params(("id" = String, Path, description = "the ruleset's id", example = "miluo-2026"), LangQuery),
    responses((status = 200, description = "a JSON Schema (draft 2020-12)", content_type = "application/json", body = Object),
        BadQuery, UnknownRuleset, NotServed))]
pub async fn get_schema(
    State(state): State<AppState>,
    Id(id): Id,
    Query(_lang): Query<LangQuery>,
) -> Result<Response, HttpError> {
    let compiled = state.ruleset(&id)?;
    Ok(json(kaohe::api::schema(&compiled)))
}

/// The blank Excel ledger (台账) of the ruleset (as `rulec template`).
#[utoipa::path(get, path = "/v1/rulesets/{id}/template", tag = "rulesets",
    params(("id" = String, Path, description = "the ruleset's id", example = "miluo-2026"), LangQuery),
    responses((status = 200, description = "the .xlsx workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        BadQuery, UnknownRuleset, NotServed))]
pub async fn get_template(
    State(state): State<AppState>,
    Id(id): Id,
    Query(_lang): Query<LangQuery>,
) -> Result<Output, HttpError> {
    let compiled = state.ruleset(&id)?;
    let body = kaohe_office::template(compiled.ruleset())
        .map_err(|e| HttpError::internal(format!("cannot write the ledger: {e}")))?;
    Ok(Output {
        content_type: XLSX,
        filename: Some(format!("{id}-ledger.xlsx")),
        body,
    })
}

/// The query of `POST /v1/check`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// The file name diagnostics are reported against (default `ruleset.rules`).
    pub name: Option<String>,
    /// The language of messages (`zh` or `en`).
    #[param(value_type = Option<crate::extract::LangDoc>)]
    pub lang: Option<Lang>,
}

/// Checks a ruleset's text: the diagnostics (never a failure: a ruleset
/// with errors is `"ok": false`).
#[utoipa::path(post, path = "/v1/check", tag = "rulesets", params(CheckQuery),
    request_body(content = String, content_type = "text/plain", description = "the ruleset's text (UTF-8)",
        example = json!(EXAMPLE_RULESET)),
    responses((status = 200, description = "the check result (docs/api.md#check-result)", body = CheckDoc),
        BadRequest, TooLarge, Busy))]
pub async fn post_check(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Query(query): Query<CheckQuery>,
    body: Body,
) -> Result<Response, HttpError> {
    let name = query.name.unwrap_or_else(|| "ruleset.rules".to_owned());
    let text = body.text("a ruleset")?.to_owned();
    let catalog = Arc::clone(&state.catalog);
    let result = blocking(&state, move || {
        Ok(kaohe::api::check_with(&name, &text, lang, &catalog))
    })
    .await?;
    Ok(json(result))
}

/// Evaluates facts under a served ruleset: a fact file (JSON) or a filled-in
/// ledger (`.xlsx`), told apart by content.
#[utoipa::path(post, path = "/v1/rulesets/{id}/evaluate", tag = "evaluate",
    params(("id" = String, Path, description = "the ruleset's id", example = "miluo-2026"), EvaluateQuery),
    request_body(description = "the facts: a fact file (docs/facts.md) or an .xlsx ledger (docs/office.md)",
        content((Object = "application/json", example = json!(example_facts())), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, description = "the evaluation, in the format asked",
            content((Object = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/html"))),
        BadRequest, UnknownRuleset, NotServed, TooLarge, NotFacts, Unprocessable, Busy))]
pub async fn post_evaluate(
    State(state): State<AppState>,
    Id(id): Id,
    RequestLang(lang): RequestLang,
    Query(mut query): Query<EvaluateQuery>,
    request: axum::extract::Request,
) -> Result<Output, HttpError> {
    query.lang = Some(lang);
    let deadline = deadline(&state);
    let compiled = state.ruleset(&id)?;
    let (parts, body) = request.into_parts();
    let body = receive(&state, deadline, &parts.headers, body).await?;
    let inner = state.clone();
    blocking_until(&state, deadline, move || {
        evaluate::evaluate(&inner, &id, &compiled, body, &query)
    })
    .await
}

/// Receives a body for an evaluation ([`Received::receive`]) before the
/// `deadline` the whole request must end by (else 503 `kaohe::http::timeout`):
/// a slow upload holds no evaluation slot while it arrives.
pub async fn receive(
    state: &AppState,
    deadline: tokio::time::Instant,
    headers: &axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Received, HttpError> {
    tokio::time::timeout_at(
        deadline,
        Received::receive(headers, body, state.limits.body_bytes),
    )
    .await
    .unwrap_or_else(|_| Err(timed_out(state)))
}

/// One side of `POST /v1/diff`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffSide {
    /// The file name its diagnostics are reported against.
    pub name: String,
    /// The ruleset's text.
    pub text: String,
}

/// The body of `POST /v1/diff`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffBody {
    /// The ruleset before the change.
    pub old: DiffSide,
    /// The ruleset after the change.
    pub new: DiffSide,
    /// The fact file: a JSON object, or its text as a string.
    #[schema(value_type = Object)]
    pub facts: serde_json::Value,
}

/// The impact of a rule change on every unit (as `rulec diff --format json`).
#[utoipa::path(post, path = "/v1/diff", tag = "evaluate", params(LangQuery),
    request_body(content = DiffBody, content_type = "application/json", example = json!({
        "old": {"name": "old.rules", "text": EXAMPLE_RULESET},
        "new": {"name": "new.rules", "text": EXAMPLE_RULESET.replace("amount 10", "amount 20")},
        "facts": example_facts(),
    })),
    responses((status = 200, description = "the impact (docs/cases.md#impact-of-a-change-rulec-diff)", content_type = "application/json", body = Object),
        BadRequest, TooLarge, Unprocessable, Busy))]
pub async fn post_diff(
    State(state): State<AppState>,
    Query(_lang): Query<LangQuery>,
    body: Body,
) -> Result<Response, HttpError> {
    let text = body.text("the diff request")?;
    let request: DiffBody = serde_json::from_str(text).map_err(|e| {
        let mut error = HttpError::new(StatusCode::BAD_REQUEST, codes::BAD_BODY, format!("the diff request: {e}"))
            .with_help(r#"send {"old": {"name": …, "text": …}, "new": {"name": …, "text": …}, "facts": {…} or "…"}"#);
        if let Some(first) = error.errors.errors.first_mut() {
            first.line = Some(e.line());
            first.column = Some(e.column());
        }
        error
    })?;
    let facts = match request.facts {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    };
    let impact = blocking(&state, move || {
        kaohe::api::diff(
            (&request.old.name, &request.old.text),
            (&request.new.name, &request.new.text),
            &facts,
        )
        .map_err(HttpError::from)
    })
    .await?;
    Ok(json(impact))
}

/// Runs `work` on the blocking pool within the limits: it waits for an
/// evaluation slot ([`AppState::evaluation_slot`]), and the whole (waiting
/// included) must end within [`Limits::evaluation_time`](crate::Limits),
/// else 503 `kaohe::http::timeout`. A panic in `work` is a 500, never a crash.
pub async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    blocking_until(state, deadline(state), work).await
}

/// When a request that came in now must end: within
/// [`Limits::evaluation_time`](crate::Limits) (a limit too far to count
/// in, a year).
pub fn deadline(state: &AppState) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(state.limits.evaluation_time)
        .or_else(|| now.checked_add(std::time::Duration::from_secs(365 * 24 * 3600)))
        .unwrap_or(now)
}

/// [`blocking`], to end by `deadline` (the request's, set when it came in).
pub async fn blocking_until<T: Send + 'static>(
    state: &AppState,
    deadline: tokio::time::Instant,
    work: impl FnOnce() -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    let run = async {
        let permit = state.evaluation_slot().await?;
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|e| HttpError::internal(format!("the evaluation failed: {e}")))?
    };
    tokio::time::timeout_at(deadline, run)
        .await
        .unwrap_or_else(|_| Err(timed_out(state)))
}

/// 503 `kaohe::http::timeout`.
fn timed_out(state: &AppState) -> HttpError {
    HttpError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        codes::TIMEOUT,
        format!(
            "the evaluation did not end within the limit of {} s",
            state.limits.evaluation_time.as_secs_f64()
        ),
    )
    .with_help("the limit is set with `rulec serve --max-eval-seconds N`")
}

/// The answer to a path no route has: 404 `kaohe::http::not_found`.
pub async fn not_found(uri: Uri) -> HttpError {
    HttpError::new(
        StatusCode::NOT_FOUND,
        codes::NOT_FOUND,
        format!("no endpoint at `{}`", crate::state::escape(uri.path())),
    )
    .with_help("the endpoints are listed in GET /openapi.json")
}

/// The answer to a method a route does not take: 405 `kaohe::http::method_not_allowed`.
pub async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> HttpError {
    HttpError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        format!(
            "`{}` does not take {method}",
            crate::state::escape(uri.path())
        ),
    )
    .with_help("the endpoints and their methods are listed in GET /openapi.json")
}
