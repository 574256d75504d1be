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

use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

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
/// and `GET /assets/style.css`. Generic over the router's state so that the
/// service mounts it into its own `Router<AppState>` with `merge`; the page
/// needs no state of its own.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route("/assets/app.js", get(app_js))
        .route("/assets/style.css", get(style_css))
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

async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

async fn app_js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

async fn style_css() -> Response {
    asset("text/css; charset=utf-8", STYLE_CSS)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    async fn get_path(path: &str) -> (StatusCode, String, String, String) {
        let response = routes::<()>()
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
