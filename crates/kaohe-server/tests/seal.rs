//! Sealed periods over HTTP (issue 17 §2), through the router without a
//! socket (`tower::ServiceExt::oneshot`): the token, sealing, refusals, the
//! audit, and an evaluation after a contradicting upload leaving the sealed
//! month as it was.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use axum::body::{to_bytes, Body};
use axum::http::{header, Method, Request, StatusCode};
use kaohe_server::{router, AppState, Limits, Rulesets, Token};
use serde_json::{json, Value};
use tower::ServiceExt;

const SEAL_APRIL: &str = "/v1/rulesets/miluo-2026/periods/2026-04/seal";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn may() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("rulesets/miluo-2026/examples/2026-05.json")).unwrap(),
    )
    .unwrap()
}

/// A state with the shipped rulesets, the token `s3cret` and a fresh data folder.
fn state(name: &str) -> AppState {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-server-seal-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut state = AppState::new(
        Rulesets::load(&root().join("rulesets")).unwrap(),
        Limits::default(),
    );
    state.token = Token::new("s3cret");
    state.data = Some(dir.join("data"));
    state
}

struct Answer {
    status: StatusCode,
    body: Value,
}

async fn send(
    state: &AppState,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: String,
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = router(state.clone())
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    Answer { status, body }
}

fn codes(answer: &Answer) -> Vec<&str> {
    answer.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {}", answer.body))
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect()
}

/// The April results and rankings of an evaluation JSON.
fn april(evaluation: &Value) -> (Vec<Value>, Vec<Value>) {
    let of = |key: &str| -> Vec<Value> {
        evaluation[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["period"] == "2026-04")
            .cloned()
            .collect()
    };
    (of("results"), of("rankings"))
}

#[tokio::test]
async fn a_bad_query_on_the_seal_endpoints_is_the_errors_envelope() {
    // Found by the breaker: `GET /v1/audit?x=1` and the seal with an unknown
    // or repeated parameter answered axum's plain text, not the envelope.
    let state = state("query");
    for (method, uri) in [
        (Method::GET, "/v1/audit?x=1"),
        (Method::GET, "/v1/audit?lang=zh&lang=en"),
        (
            Method::POST,
            "/v1/rulesets/miluo-2026/periods/2026-04/seal?x=1",
        ),
    ] {
        let answer = send(&state, method, uri, Some("s3cret"), may().to_string()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(codes(&answer), ["kaohe::http::invalid_query"], "{uri}");
    }
    // Nothing was sealed.
    let audit = send(&state, Method::GET, "/v1/audit", None, String::new()).await;
    assert_eq!(audit.body["seals"], json!([]));
}

#[tokio::test]
async fn sealing_needs_the_token() {
    let state = state("token");
    let body = may().to_string();
    let none = send(&state, Method::POST, SEAL_APRIL, None, body.clone()).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(codes(&none), ["kaohe::http::unauthorized"]);
    let wrong = send(
        &state,
        Method::POST,
        SEAL_APRIL,
        Some("guess"),
        body.clone(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let mut no_token = state.clone();
    no_token.token = None;
    let forbidden = send(
        &no_token,
        Method::POST,
        SEAL_APRIL,
        Some("s3cret"),
        body.clone(),
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    // Nothing was sealed by any of them.
    let audit = send(&state, Method::GET, "/v1/audit", None, String::new()).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert_eq!(audit.body["seals"], json!([]));
    let mut no_data = state.clone();
    no_data.data = None;
    let unconfigured = send(&no_data, Method::POST, SEAL_APRIL, Some("s3cret"), body).await;
    assert_eq!(unconfigured.status, StatusCode::CONFLICT);
    assert_eq!(codes(&unconfigured), ["kaohe::store::not_configured"]);
    let audit = send(&no_data, Method::GET, "/v1/audit", None, String::new()).await;
    assert_eq!(codes(&audit), ["kaohe::store::not_configured"]);
}

#[tokio::test]
async fn a_sealed_month_is_unchanged_after_a_contradicting_upload() {
    let state = state("contradict");
    let original = may();
    let evaluate = "/v1/rulesets/miluo-2026/evaluate";
    let before = send(&state, Method::POST, evaluate, None, original.to_string()).await;
    assert_eq!(before.status, StatusCode::OK);

    let sealed = send(
        &state,
        Method::POST,
        SEAL_APRIL,
        Some("s3cret"),
        original.to_string(),
    )
    .await;
    assert_eq!(sealed.status, StatusCode::OK, "{}", sealed.body);
    assert_eq!(sealed.body["seal"]["seq"], 1);
    assert_eq!(sealed.body["seal"]["period"], "2026-04");
    assert_eq!(sealed.body["rejected"], json!([]));
    let again = send(
        &state,
        Method::POST,
        SEAL_APRIL,
        Some("s3cret"),
        original.to_string(),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(codes(&again), ["kaohe::store::already_sealed"]);
    let may_too_early = send(
        &state,
        Method::POST,
        "/v1/rulesets/miluo-2026/periods/2026-05/seal",
        Some("s3cret"),
        original.to_string(),
    )
    .await;
    assert_eq!(codes(&may_too_early), ["kaohe::store::provisional"]);
    let year = send(
        &state,
        Method::POST,
        "/v1/rulesets/miluo-2026/periods/2026/seal",
        Some("s3cret"),
        original.to_string(),
    )
    .await;
    assert_eq!(year.status, StatusCode::BAD_REQUEST);

    // 教体局's April indicator, on target in a later upload.
    let mut changed = original.clone();
    for r in changed["records"].as_array_mut().unwrap() {
        if r["id"] == "jtj-p01-2026-04" {
            r["attributes"]["actual"] = json!(30);
        }
    }
    let mut no_store = state.clone();
    no_store.data = None;
    let without = send(&no_store, Method::POST, evaluate, None, changed.to_string()).await;
    assert_ne!(
        april(&without.body),
        april(&before.body),
        "the change matters without the store"
    );

    let after = send(&state, Method::POST, evaluate, None, changed.to_string()).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
    assert_eq!(
        april(&after.body),
        april(&before.body),
        "the sealed month never changes"
    );
    let rejected: Vec<&Value> = after.body["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["reason"]
                .as_str()
                .unwrap()
                .contains("contradicts seal #1")
        })
        .collect();
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(rejected[0]["unit"], "jtj");
    assert_eq!(rejected[0]["record"]["attributes"]["actual"], "30");
    // Other formats go through the store too.
    let csv = router(state.clone())
        .oneshot(
            Request::builder()
                .method(Method::POST)
                .uri(format!("{evaluate}?format=csv&period=2026-04"))
                .body(Body::from(changed.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);

    let audit = send(&state, Method::GET, "/v1/audit", None, String::new()).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert_eq!(audit.body["ok"], true, "{}", audit.body);
    assert_eq!(audit.body["file"], "kaohe.sqlite");
    assert_eq!(audit.body["seals"][0]["ok"], true);
    assert_eq!(audit.body["head"], sealed.body["seal"]["hash"]);
}

#[tokio::test]
async fn the_audit_reports_tampering() {
    let state = state("tamper");
    let sealed = send(
        &state,
        Method::POST,
        SEAL_APRIL,
        Some("s3cret"),
        may().to_string(),
    )
    .await;
    assert_eq!(sealed.status, StatusCode::OK, "{}", sealed.body);
    let db = state.data.as_ref().unwrap().join("kaohe.sqlite");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            r#"UPDATE seals SET results = replace(results, '"total":"95"', '"total":"99"')"#,
        )
        .unwrap();
    let audit = send(&state, Method::GET, "/v1/audit", None, String::new()).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert_eq!(audit.body["ok"], false);
    assert_eq!(audit.body["seals"][0]["ok"], false);
    let codes: Vec<&str> = audit.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"kaohe::store::tampered"), "{codes:?}");
    assert!(codes.contains(&"kaohe::store::results_differ"), "{codes:?}");
    assert_eq!(audit.body["errors"][0]["seal"], 1);
}

/// Where `value` does not match `schema` of the OpenAPI description `doc`:
/// `$ref`, `allOf`, `oneOf`/`anyOf`, `type`, `required`, `properties` and
/// `items`; an object's key the schema does not list is a mismatch too (the
/// description must say what the JSON really holds).
fn mismatches(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        let target = &doc["components"]["schemas"][name];
        assert!(!target.is_null(), "{r}");
        return mismatches(doc, target, value, at, out);
    }
    if let Some(all) = schema["allOf"].as_array() {
        // The parts describe one object together (a flattened struct): a
        // key is in the schema when a part lists it.
        let mut merged = json!({"type": "object", "required": [], "properties": {}});
        for part in all {
            let mut part = part;
            while let Some(r) = part["$ref"].as_str() {
                part =
                    &doc["components"]["schemas"][r.strip_prefix("#/components/schemas/").unwrap()];
                assert!(!part.is_null(), "{r}");
            }
            assert!(part.get("allOf").is_none(), "nested allOf at {at}");
            for key in part["required"].as_array().into_iter().flatten() {
                merged["required"].as_array_mut().unwrap().push(key.clone());
            }
            for (key, property) in part["properties"].as_object().into_iter().flatten() {
                merged["properties"][key] = property.clone();
            }
        }
        return mismatches(doc, &merged, value, at, out);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(any) = schema[key].as_array() {
            let fits = any.iter().any(|s| {
                let mut none = Vec::new();
                mismatches(doc, s, value, at, &mut none);
                none.is_empty()
            });
            if !fits {
                out.push(format!("{at}: fits none of {key} {any:?}"));
            }
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
        _ => Vec::new(),
    };
    let is = |t: &str| match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "null" => value.is_null(),
        other => panic!("type {other}"),
    };
    if !types.is_empty() && !types.iter().any(|t| is(t)) {
        out.push(format!("{at}: {value} is not {types:?}"));
        return;
    }
    if let Some(object) = value.as_object() {
        for key in schema["required"].as_array().into_iter().flatten() {
            if !object.contains_key(key.as_str().unwrap()) {
                out.push(format!("{at}: no required `{key}`"));
            }
        }
        if let Some(properties) = schema["properties"].as_object() {
            for (key, v) in object {
                match properties.get(key) {
                    Some(s) => mismatches(doc, s, v, &format!("{at}.{key}"), out),
                    None => out.push(format!("{at}: `{key}` is not in the schema")),
                }
            }
        }
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, v) in values.iter().enumerate() {
            mismatches(doc, items, v, &format!("{at}[{i}]"), out);
        }
    }
}

/// The 200 answer's schema of `method path` in the OpenAPI description.
fn answer_schema<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    let schema =
        &doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(!schema.is_null(), "{method} {path}");
    schema
}

/// The seal's and the audit's real answers (an intact store and a tampered
/// one, with errors located by seal) match their schemas in /openapi.json.
#[tokio::test]
async fn the_seal_and_audit_answers_match_the_openapi_description() {
    let state = state("openapi");
    let doc = send(&state, Method::GET, "/openapi.json", None, String::new())
        .await
        .body;
    let sealed = send(
        &state,
        Method::POST,
        SEAL_APRIL,
        Some("s3cret"),
        may().to_string(),
    )
    .await;
    assert_eq!(sealed.status, StatusCode::OK, "{}", sealed.body);
    let intact = send(&state, Method::GET, "/v1/audit", None, String::new()).await;
    assert_eq!(intact.body["seals"].as_array().unwrap().len(), 1);
    let db = state.data.as_ref().unwrap().join("kaohe.sqlite");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            r#"UPDATE seals SET results = replace(results, '"total":"95"', '"total":"99"')"#,
        )
        .unwrap();
    let tampered = send(&state, Method::GET, "/v1/audit", None, String::new()).await;
    assert!(!tampered.body["errors"].as_array().unwrap().is_empty());
    let seal_schema = answer_schema(&doc, "post", "/v1/rulesets/{id}/periods/{period}/seal");
    let audit_schema = answer_schema(&doc, "get", "/v1/audit");
    let mut out = Vec::new();
    mismatches(&doc, seal_schema, &sealed.body, "$seal", &mut out);
    mismatches(&doc, audit_schema, &intact.body, "$intact", &mut out);
    mismatches(&doc, audit_schema, &tampered.body, "$tampered", &mut out);
    assert_eq!(out, Vec::<String>::new());
    // The check can fail: the old, nested description of an audited seal.
    let nested = json!({"type": "object", "required": ["seal", "ok"],
        "properties": {"seal": {"type": "object"}, "ok": {"type": "boolean"}}});
    let mut out = Vec::new();
    mismatches(&doc, &nested, &intact.body["seals"][0], "$", &mut out);
    assert!(!out.is_empty());
}
