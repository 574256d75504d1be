//! Reading requests: the body (within the size limit), query parameters,
//! and the language the answer is asked in; every rejection is a JSON error
//! with a `kaohe::http::…` code, never axum's plain-text one.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query as AxumQuery, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{codes, HttpError};
use crate::state::AppState;

/// The language answers are asked in: `?lang=zh|en`, else the first of
/// `Accept-Language` that is Chinese or English, else English. Kept in the
/// request's extensions by [`language`]; messages are English until they
/// are localised (issue 16 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Chinese (简体中文).
    Zh,
}

impl Lang {
    /// The language of `?lang=` (which wins) or `Accept-Language`.
    pub fn of(uri: &Uri, accept_language: Option<&str>) -> Result<Lang, HttpError> {
        #[derive(Deserialize)]
        struct LangQuery {
            lang: Option<String>,
        }
        if let Ok(AxumQuery(LangQuery { lang: Some(lang) })) =
            AxumQuery::<LangQuery>::try_from_uri(uri)
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
        Ok(accept_language.map_or(Lang::En, Lang::accepted))
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

/// Middleware: decides the [`Lang`] of the request and keeps it in its
/// extensions; a bad `?lang=` is a 400.
pub async fn language(mut request: Request, next: Next) -> Response {
    let accept = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    match Lang::of(request.uri(), accept.as_deref()) {
        Ok(lang) => {
            request.extensions_mut().insert(lang);
            next.run(request).await
        }
        Err(error) => error.into_response(),
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
        assert_eq!(Lang::accepted("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh);
        assert_eq!(Lang::accepted("en-US,en;q=0.9,zh-CN;q=0.8"), Lang::En);
        assert_eq!(Lang::accepted("fr, zh;q=0.5, en;q=0.4"), Lang::Zh);
        assert_eq!(Lang::accepted("en;q=0.4, zh;q=0.5"), Lang::Zh);
        assert_eq!(Lang::accepted("zh;q=0, en;q=0.1"), Lang::En);
        assert_eq!(Lang::accepted("fr"), Lang::En);
        assert_eq!(Lang::accepted(""), Lang::En);
        assert_eq!(Lang::accepted("zh;q=abc"), Lang::En);
    }

    #[test]
    fn lang_query_wins_and_bad_values_are_refused() {
        let uri: Uri = "/v1/rulesets?lang=zh".parse().unwrap();
        assert_eq!(Lang::of(&uri, Some("en")).unwrap(), Lang::Zh);
        let uri: Uri = "/v1/rulesets".parse().unwrap();
        assert_eq!(Lang::of(&uri, Some("zh-TW")).unwrap(), Lang::Zh);
        let uri: Uri = "/v1/rulesets?lang=fr".parse().unwrap();
        let e = Lang::of(&uri, None).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.errors.errors[0].code, codes::INVALID_QUERY);
    }
}
