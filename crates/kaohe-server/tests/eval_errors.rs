//! `POST /v1/rulesets/{id}/evaluate` answers a failed evaluation with every
//! error (principle 3, issue 13 follow-up), in JSON and in the other formats,
//! not only the first.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use axum::body::{to_bytes, Body};
use axum::http::{Method, Request, StatusCode};
use kaohe_server::{router, AppState, Limits, Rulesets};
use serde_json::Value;
use tower::ServiceExt;

/// `10 / count(late_report)` fails for every unit without a late report.
const RULES: &str = include_str!("../../../tests/eval-errors/tiny.rules");

const FACTS: &str = r#"{"as_of": "2026-05-10", "periods": ["2026-04"],
  "units": [{"id": "b", "name": "乙", "group": "lead"}, {"id": "a", "name": "甲", "group": "lead"}],
  "records": []}"#;

fn state() -> AppState {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-server-eval-errors-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tiny")).unwrap();
    std::fs::write(dir.join("tiny/tiny.rules"), RULES).unwrap();
    AppState::new(Rulesets::load(&dir).unwrap(), Limits::default())
}

async fn evaluate(query: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/v1/rulesets/tiny/evaluate{query}"))
        .body(Body::from(FACTS))
        .unwrap();
    let response = router(state()).oneshot(request).await.unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}

#[tokio::test]
async fn every_evaluation_error_is_answered() {
    for query in ["", "?format=csv", "?detail=totals&format=json"] {
        let (status, json) = evaluate(query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {json}");
        let messages: Vec<&str> = json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["message"].as_str().unwrap())
            .collect();
        assert_eq!(
            messages,
            [
                "division by zero (unit `a`, period 2026-04)",
                "division by zero (unit `b`, period 2026-04)"
            ],
            "{query}"
        );
        for e in json["errors"].as_array().unwrap() {
            assert_eq!(e["code"], "kaohe::eval::failed");
            assert_eq!(
                e["line"], 16,
                "the amount's line of tests/eval-errors/tiny.rules"
            );
        }
    }
}
