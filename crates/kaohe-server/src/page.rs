//! The workbench page (工作台, issue 17 §3): one page in Chinese, served at
//! `/`, through which an office chooses a ruleset, reads its rules and clauses,
//! uploads a ledger or fact file and reads the ranking with every point
//! explained, edits a ruleset with diagnostics as it types, compares two
//! versions on the uploaded facts, and seals a period.
//!
//! The page is plain HTML, CSS and JavaScript embedded in the binary
//! (`include_str!`): no build step, nothing fetched from elsewhere (the
//! `Content-Security-Policy` header forbids it), so it works on a machine
//! without Internet access. It only calls the service's own `/v1/…` endpoints
//! (docs/service.md); the layout and behaviour are described in docs/office.md
//! ("The workbench page").
//!
//! Two endpoints exist for the page and are part of the API like the others
//! (listed in `/openapi.json` through [`PageApi`]): `GET
//! /v1/rulesets/{id}/text` (the ruleset's text, for the editor and the diff)
//! and `POST /v1/rulesets/{id}/import` (a ledger read into a fact file, as
//! `rulec import`: `POST /v1/diff` takes a fact file).

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use kaohe::api::{ApiError, ApiErrors};

use crate::error::HttpError;
use crate::extract::{Body, Query};
use crate::openapi::answers::{
    BadQuery, BadRequest, Busy, NotServed, TooLarge, UnknownRuleset, Unprocessable,
};
use crate::routes::{blocking, Id, LangQuery};
use crate::state::AppState;

/// The page's HTML.
const INDEX_HTML: &str = include_str!("../assets/index.html");
/// The page's script (the whole client: fetches, tables, the SVG chart, the editor).
const APP_JS: &str = include_str!("../assets/app.js");
/// The page's style sheet.
const STYLE_CSS: &str = include_str!("../assets/style.css");

/// Only the page's own origin: no CDN, no web font, no inline script; inline
/// styles are allowed for the bar lengths and colours the script sets.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; \
                   base-uri 'none'; frame-ancestors 'none'";

/// The routes of the page: `GET /` (also `/index.html`), `GET /assets/app.js`
/// and `GET /assets/style.css`, and the two endpoints it needs besides the
/// service's: `GET /v1/rulesets/{id}/text` and `POST /v1/rulesets/{id}/import`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index_html))
        .route("/assets/app.js", get(app_js))
        .route("/assets/style.css", get(style_css))
        .route("/v1/rulesets/{id}/text", get(get_text))
        .route("/v1/rulesets/{id}/import", post(post_import))
}

/// The OpenAPI description of the page's endpoints, merged into the
/// service's by [`crate::openapi::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(index, index_html, app_js, style_css, get_text, post_import),
    tags((name = "page", description = "the workbench page (in Chinese) and its assets"))
)]
pub struct PageApi;

/// The ruleset's text, exactly as served (UTF-8), for the page's editor and
/// the old side of its diff.
#[utoipa::path(get, path = "/v1/rulesets/{id}/text", tag = "rulesets",
    params(("id" = String, Path, description = "the ruleset's id, as listed by GET /v1/rulesets"), LangQuery),
    responses((status = 200, description = "the ruleset's text", content_type = "text/plain; charset=utf-8", body = String),
        BadQuery, UnknownRuleset, NotServed))]
pub async fn get_text(
    State(state): State<AppState>,
    Id(id): Id,
    Query(_lang): Query<LangQuery>,
) -> Result<Response, HttpError> {
    let compiled = state.ruleset(&id)?;
    let text = compiled.ruleset().source().text().to_owned();
    Ok((
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response())
}

/// A filled-in ledger (`.xlsx` bytes) read into the fact file (JSON, as
/// `rulec import`): every problem at once with its sheet and cell (422,
/// `kaohe::ledger::…`), and no facts while there is any. Anything that is
/// not an `.xlsx` workbook is refused naming what it is.
#[utoipa::path(post, path = "/v1/rulesets/{id}/import", tag = "rulesets",
    params(("id" = String, Path, description = "the ruleset's id"), LangQuery),
    request_body(description = "the filled-in ledger (told by content; the content type is not looked at)",
        content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (Vec<u8> = "application/octet-stream"))),
    responses((status = 200, description = "the fact file (docs/facts.md)", content_type = "application/json", body = Object),
        BadRequest, UnknownRuleset, NotServed, TooLarge, Unprocessable, Busy))]
pub async fn post_import(
    State(state): State<AppState>,
    Id(id): Id,
    Query(_lang): Query<LangQuery>,
    body: Body,
) -> Result<Response, HttpError> {
    let compiled = state.ruleset(&id)?;
    let json = blocking(&state, move || {
        let imported = kaohe_office::import(compiled.ruleset(), &body.0)
            .map_err(|e| HttpError::unprocessable(ledger_errors(e.errors())))?;
        serde_json::to_string(&imported.json)
            .map_err(|e| HttpError::internal(format!("cannot write the fact file: {e}")))
    })
    .await?;
    Ok((
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        json,
    )
        .into_response())
}

/// The ledger's errors in the contract's shape (code, message, help, sheet, cell).
fn ledger_errors(errors: &[kaohe_office::LedgerError]) -> ApiErrors {
    ApiErrors::new(
        errors
            .iter()
            .map(|l| {
                let mut out = ApiError::new(l.code, l.message.clone());
                out.help.clone_from(&l.help);
                out.sheet.clone_from(&l.sheet);
                out.cell.clone_from(&l.cell);
                out
            })
            .collect(),
    )
}

/// An embedded asset with its content type; `no-cache` so that a new binary's
/// page is never mixed with an old script from the browser's cache.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)),
        ],
        body,
    )
        .into_response()
}

/// The page's query: `?lang=` and `?ruleset=`, the ruleset the page opens on
/// (read by its script: a link to the page on one ruleset). Anything else is
/// refused like on every route.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The language of messages (`zh` or `en`; else `Accept-Language`).
    #[param(value_type = Option<crate::extract::LangDoc>)]
    pub lang: Option<crate::extract::Lang>,
    /// The id of the ruleset the page opens on.
    pub ruleset: Option<String>,
}

/// The workbench page (HTML, in Chinese); also at `/index.html`.
#[utoipa::path(get, path = "/", tag = "page", params(PageQuery),
    responses((status = 200, description = "the page", content_type = "text/html; charset=utf-8", body = String),
        BadQuery))]
pub async fn index(Query(_query): Query<PageQuery>) -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

/// The workbench page again, for links that name the file.
#[utoipa::path(get, path = "/index.html", tag = "page", params(PageQuery),
    responses((status = 200, description = "the page", content_type = "text/html; charset=utf-8", body = String),
        BadQuery))]
pub async fn index_html(Query(_query): Query<PageQuery>) -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

/// The page's script.
#[utoipa::path(get, path = "/assets/app.js", tag = "page", params(LangQuery),
    responses((status = 200, description = "the page's script", content_type = "text/javascript; charset=utf-8", body = String),
        BadQuery))]
pub async fn app_js(Query(_lang): Query<LangQuery>) -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

/// The page's style sheet.
#[utoipa::path(get, path = "/assets/style.css", tag = "page", params(LangQuery),
    responses((status = 200, description = "the page's style sheet", content_type = "text/css; charset=utf-8", body = String),
        BadQuery))]
pub async fn style_css(Query(_lang): Query<LangQuery>) -> Response {
    asset("text/css; charset=utf-8", STYLE_CSS)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    fn test_state() -> AppState {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulesets");
        AppState::load(&crate::Config::new(dir)).unwrap()
    }

    async fn get_path(path: &str) -> (StatusCode, String, String, String) {
        let response = crate::router(test_state())
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let header = |name| {
            headers
                .get(name)
                .map(|v: &HeaderValue| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let content_type = header(CONTENT_TYPE);
        let csp = header(CONTENT_SECURITY_POLICY);
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            content_type,
            csp,
            String::from_utf8(bytes.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn serves_the_page_and_its_assets() {
        let (status, ty, csp, body) = get_path("/").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ty, "text/html; charset=utf-8");
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(body.contains("<html lang=\"zh-CN\">"), "{body}");
        assert!(body.contains("/assets/app.js"));
        assert!(body.contains("/assets/style.css"));
        let (status, ty, _, body) = get_path("/assets/app.js").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ty, "text/javascript; charset=utf-8");
        assert_eq!(body, APP_JS);
        let (status, ty, _, body) = get_path("/assets/style.css").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ty, "text/css; charset=utf-8");
        assert_eq!(body, STYLE_CSS);
        let (status, _, _, _) = get_path("/assets/nothing.js").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn request(request: Request<Body>) -> (StatusCode, String, String) {
        let response = crate::router(test_state()).oneshot(request).await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            content_type,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    #[tokio::test]
    async fn the_ruleset_text_is_the_file() {
        let (status, ty, body) = request(
            Request::get("/v1/rulesets/shaodong-2023/text?lang=zh")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ty, "text/plain; charset=utf-8");
        let file = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../rulesets/shaodong-2023/shaodong-2023.rules"),
        )
        .unwrap();
        assert_eq!(body, file);
        let (status, _, body) = request(
            Request::get("/v1/rulesets/..%2f..%2fetc%2fpasswd/text")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("kaohe::http::unknown_ruleset"), "{body}");
    }

    #[tokio::test]
    async fn import_reads_a_ledger_into_facts_and_refuses_the_rest() {
        let ruleset = test_state().ruleset("shaodong-2023").unwrap();
        let template = kaohe_office::template(ruleset.ruleset()).unwrap();
        // The blank template: its one error is the missing evaluation date.
        let (status, _, body) = request(
            Request::post("/v1/rulesets/shaodong-2023/import")
                .body(Body::from(template))
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        let errors = json["errors"].as_array().unwrap();
        assert!(!errors.is_empty());
        assert!(
            errors
                .iter()
                .any(|e| e["sheet"] == "说明" && e["cell"] == "B3"),
            "{body}"
        );
        // A fact file is not a ledger: refused, naming what it is.
        let (status, _, body) = request(
            Request::post("/v1/rulesets/shaodong-2023/import")
                .body(Body::from("{\"as_of\": \"2024-01-10\"}"))
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("kaohe::ledger::"), "{body}");
        assert!(body.contains("JSON"), "{body}");
    }

    #[test]
    fn openapi_lists_the_page_endpoints() {
        let doc = crate::openapi::openapi_json();
        assert!(doc.contains("/v1/rulesets/{id}/text"));
        assert!(doc.contains("/v1/rulesets/{id}/import"));
    }

    /// Self-contained: nothing in the page or its assets refers to another
    /// origin (no CDN, no web font), so it works offline.
    #[test]
    fn refers_to_no_other_origin() {
        for (name, text) in [
            ("index.html", INDEX_HTML),
            ("app.js", APP_JS),
            ("style.css", STYLE_CSS),
        ] {
            // The SVG namespace is a name, not an address that is fetched.
            let text = text.replace("http://www.w3.org/2000/svg", "");
            for needle in ["http://", "https://", "//cdn", "@import", "url("] {
                assert!(!text.contains(needle), "{name} contains `{needle}`");
            }
        }
    }
}
