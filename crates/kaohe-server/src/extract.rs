//! Reading requests: the body (within the size limit), query parameters,
//! and the language the answer is asked in (and giving error answers in it); every rejection is a JSON error
//! with a `kaohe::http::…` code, never axum's plain-text one.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query as AxumQuery, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kaohe::api::ApiErrors;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{codes, HttpError};
use crate::state::AppState;

pub use kaohe::i18n::Lang;

/// The language answers are asked in, as the OpenAPI description shows it
/// (the handlers use [`kaohe::i18n::Lang`], which serialises the same way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Lang)]
pub enum LangDoc {
    /// English (the default).
    #[default]
    En,
    /// Chinese (简体中文).
    Zh,
}

/// The language of a request: `?lang=zh|en` (which wins), else the first of
/// `Accept-Language` that is Chinese or English, else English. A bad
/// `?lang=` is 400 `kaohe::http::invalid_query`.
pub fn lang_of(uri: &Uri, accept_language: Option<&str>) -> Result<Lang, HttpError> {
    #[derive(Deserialize)]
    struct LangQuery {
        lang: Option<String>,
    }
    if let Ok(AxumQuery(LangQuery { lang: Some(lang) })) = AxumQuery::<LangQuery>::try_from_uri(uri)
    {
        return match lang.as_str() {
            "en" => Ok(Lang::En),
            "zh" => Ok(Lang::Zh),
            other => Err(HttpError::invalid_query(
                "lang",
                format!(
                    "expected `zh` or `en`, found `{}`",
                    crate::state::escape(other)
                ),
            )),
        };
    }
    Ok(accept_language.map_or(Lang::En, accepted))
}

/// The first language of an `Accept-Language` header (by its `q`
/// weights, then its order) that is Chinese or English; English if none.
pub fn accepted(header: &str) -> Lang {
    let mut choices: Vec<(u16, usize, Lang)> = Vec::new();
    for (i, part) in header.split(',').enumerate() {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .next()
            .map_or(1000, quality);
        let primary = tag.split('-').next().unwrap_or("");
        let lang = match primary {
            "zh" => Lang::Zh,
            "en" => Lang::En,
            _ => continue,
        };
        if q > 0 {
            choices.push((q, i, lang));
        }
    }
    choices.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    choices.first().map_or(Lang::En, |c| c.2)
}

/// The language [`language`] decided for this request (English when the
/// middleware did not run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestLang(
            parts.extensions.get::<Lang>().copied().unwrap_or_default(),
        ))
    }
}

/// A `q` weight in thousandths (`0.8` → 800); a bad one counts as 0.
fn quality(text: &str) -> u16 {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return 0,
    };
    let mut digits = fraction.chars();
    let mut thousandths = 0u16;
    for scale in [100u16, 10, 1] {
        match digits.next() {
            Some(d) => match d.to_digit(10).and_then(|d| u16::try_from(d).ok()) {
                Some(d) => thousandths += d * scale,
                None => return 0,
            },
            None => break,
        }
    }
    (whole + thousandths).min(1000)
}

/// Middleware: decides the [`Lang`] of the request ([`lang_of`]) and keeps
/// it in its extensions; a bad `?lang=` is a 400. Every error answer
/// ([`HttpError`], which leaves its errors in the response's extensions) is
/// given in that language with the service's one [`Catalog`](kaohe::i18n::Catalog)
/// (`AppState::catalog`): codes, statuses and locations unchanged; a message
/// the catalog does not know stays English.
pub async fn language(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let accept = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let lang = match lang_of(request.uri(), accept.as_deref()) {
        Ok(lang) => lang,
        Err(error) => return error.into_response(),
    };
    request.extensions_mut().insert(lang);
    let mut response = next.run(request).await;
    if lang == Lang::En {
        return response;
    }
    match response.extensions_mut().remove::<ApiErrors>() {
        Some(errors) => {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = errors.in_lang(lang, &state.catalog).to_json();
            Response::from_parts(parts, axum::body::Body::from(body))
        }
        None => response,
    }
}

/// Query parameters of type `T` (unknown ones refused: a misspelt
/// `?perod=` must not silently give every period); a rejection is 400
/// `kaohe::http::invalid_query`.
#[derive(Debug, Clone)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, HttpError> {
        match AxumQuery::<T>::from_request_parts(parts, state).await {
            Ok(AxumQuery(value)) => Ok(Query(value)),
            Err(rejection) => Err(HttpError::new(
                StatusCode::BAD_REQUEST,
                codes::INVALID_QUERY,
                rejection
                    .body_text()
                    .replace("Failed to deserialize query string: ", "bad query string: "),
            )
            .with_help("see GET /openapi.json for each endpoint's parameters")),
        }
    }
}

/// The request body, read whole within the size limit
/// ([`Limits::body_bytes`](crate::Limits)); larger → 413
/// `kaohe::http::body_too_large`.
#[derive(Debug, Clone)]
pub struct Body(pub Bytes);

impl FromRequest<AppState> for Body {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, HttpError> {
        match Bytes::from_request(request, state).await {
            Ok(bytes) => Ok(Body(bytes)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(HttpError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    codes::BODY_TOO_LARGE,
                    format!(
                        "the body is larger than the limit of {} bytes",
                        state.limits.body_bytes
                    ),
                )
                .with_help("the limit is set with `rulec serve --max-body BYTES`"))
            }
            Err(rejection) => Err(HttpError::new(
                StatusCode::BAD_REQUEST,
                codes::BAD_BODY,
                format!("cannot read the body: {}", rejection.body_text()),
            )),
        }
    }
}

impl Body {
    /// The body as UTF-8 text (a byte-order mark removed); 400
    /// `kaohe::http::not_utf8` otherwise.
    pub fn text(&self, what: &str) -> Result<&str, HttpError> {
        let bytes = self.0.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&self.0);
        std::str::from_utf8(bytes).map_err(|e| {
            HttpError::new(
                StatusCode::BAD_REQUEST,
                codes::NOT_UTF8,
                format!(
                    "the body ({what}) is not UTF-8: invalid byte at offset {}",
                    e.valid_up_to()
                ),
            )
            .with_help("send it as UTF-8")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_by_weight_then_order() {
        assert_eq!(accepted("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh);
        assert_eq!(accepted("en-US,en;q=0.9,zh-CN;q=0.8"), Lang::En);
        assert_eq!(accepted("fr, zh;q=0.5, en;q=0.4"), Lang::Zh);
        assert_eq!(accepted("en;q=0.4, zh;q=0.5"), Lang::Zh);
        assert_eq!(accepted("zh;q=0, en;q=0.1"), Lang::En);
        assert_eq!(accepted("fr"), Lang::En);
        assert_eq!(accepted(""), Lang::En);
        assert_eq!(accepted("zh;q=abc"), Lang::En);
    }

    #[test]
    fn lang_query_wins_and_bad_values_are_refused() {
        let uri: Uri = "/v1/rulesets?lang=zh".parse().unwrap();
        assert_eq!(lang_of(&uri, Some("en")).unwrap(), Lang::Zh);
        let uri: Uri = "/v1/rulesets".parse().unwrap();
        assert_eq!(lang_of(&uri, Some("zh-TW")).unwrap(), Lang::Zh);
        let uri: Uri = "/v1/rulesets?lang=fr".parse().unwrap();
        let e = lang_of(&uri, None).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.errors.errors[0].code, codes::INVALID_QUERY);
    }
}
