//! The HTTP API on the shipped rulesets, through the router without a
//! socket (`tower::ServiceExt::oneshot`): every endpoint with golden bodies,
//! the error paths, the limits (413, 503), path traversal, the OpenAPI
//! description, and evaluation over HTTP byte-identical to `kaohe::api`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

// The ledger helpers of kaohe-office's tests (fill a template from facts).
#[path = "../../kaohe-office/tests/common/mod.rs"]
mod office;

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use kaohe::api;
use kaohe_server::{router, AppState, Limits, Rulesets};
use serde_json::Value;
use tower::ServiceExt;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

fn shipped() -> Rulesets {
    Rulesets::load(&root().join("rulesets")).unwrap()
}

fn state() -> AppState {
    AppState::new(shipped(), Limits::default())
}

fn compiled(id: &str) -> api::Compiled {
    api::compile(
        &format!("{id}.rules"),
        &read(&format!("rulesets/{id}/{id}.rules")),
    )
    .unwrap()
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
    }

    /// The codes of an error answer, which must be the errors envelope.
    fn codes(&self) -> Vec<String> {
        assert_eq!(self.content_type(), "application/json", "{}", self.text());
        let v = self.json();
        assert_eq!(v["api_version"], 1, "{v}");
        let errors = v["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors: {v}"));
        assert!(!errors.is_empty());
        errors
            .iter()
            .map(|e| e["code"].as_str().unwrap().to_owned())
            .collect()
    }
}

async fn send_to(state: AppState, method: Method, uri: &str, body: impl Into<Body>) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(body.into())
        .unwrap();
    let response = router(state).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(uri: &str) -> Answer {
    send_to(state(), Method::GET, uri, Body::empty()).await
}

async fn post(uri: &str, body: impl Into<Body>) -> Answer {
    send_to(state(), Method::POST, uri, body).await
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

const IDS: [&str; 3] = ["example-county", "miluo-2026", "shaodong-2023"];

/// Every shipped example fact file, by ruleset.
fn examples() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for id in IDS {
        let dir = root().join(format!("rulesets/{id}/examples"));
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for f in files {
            out.push((id, std::fs::read_to_string(f).unwrap()));
        }
    }
    out
}

/// Two workbooks with the same sheets and the same cells (the files differ
/// in their creation time).
fn same_workbook(a: &[u8], b: &[u8]) {
    assert!(a.starts_with(b"PK"), "not a zip");
    let names = office::sheet_names(a);
    assert_eq!(names, office::sheet_names(b));
    assert!(!names.is_empty());
    for name in names {
        let part = office::sheet_part(a, &name);
        assert!(entry(a, &part) == entry(b, &part), "sheet {name} differs");
    }
    assert!(entry(a, "xl/sharedStrings.xml") == entry(b, "xl/sharedStrings.xml"));
}

fn entry(xlsx: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[tokio::test]
async fn health_and_the_list_of_rulesets() {
    let a = get("/healthz").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["status"], "ok");
    assert_eq!(a.json()["rulesets"], 4);
    let a = get("/v1/rulesets").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type(), "application/json");
    insta::assert_snapshot!("rulesets", pretty(&a.json()));
}

#[tokio::test]
async fn each_ruleset_with_its_rules_by_category_and_clause_texts() {
    for id in IDS {
        let a = get(&format!("/v1/rulesets/{id}")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let v = a.json();
        // Every clause a rule cites is listed once, with its text when declared.
        for category in v["categories"].as_array().unwrap() {
            for rule in category["rules"].as_array().unwrap() {
                for clause in rule["clauses"].as_array().unwrap() {
                    let listed = v["clauses"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|c| c["id"] == *clause)
                        .count();
                    assert_eq!(listed, 1, "{id}: {clause}");
                }
            }
        }
        insta::assert_snapshot!(format!("ruleset-{id}"), pretty(&v));
    }
}

#[tokio::test]
async fn schema_is_the_contract_s() {
    for id in IDS {
        let a = get(&format!("/v1/rulesets/{id}/schema")).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.content_type(), "application/json");
        assert_eq!(a.text(), api::schema(&compiled(id)));
    }
}

#[tokio::test]
async fn template_is_the_ledger_as_a_download() {
    let a = get("/v1/rulesets/shaodong-2023/template").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.content_type(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        a.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"shaodong-2023-ledger.xlsx\""
    );
    let expected = kaohe_office::template(compiled("shaodong-2023").ruleset()).unwrap();
    same_workbook(&a.body, &expected);
}

#[tokio::test]
async fn check_gives_the_diagnostics() {
    let text = read("rulesets/miluo-2026/miluo-2026.rules");
    let a = post("/v1/check?name=miluo-2026.rules", text.clone()).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.text(), api::check("miluo-2026.rules", &text));
    assert_eq!(a.json()["ok"], true);
    let broken = text.replacen("category", "categroy", 1);
    let a = post("/v1/check?name=typo.rules", broken.clone()).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "a ruleset with errors is a result, not a failure"
    );
    assert_eq!(a.text(), api::check("typo.rules", &broken));
    insta::assert_snapshot!("check-typo", pretty(&a.json()));
    // The default name.
    let a = post("/v1/check", "ruleset x {").await;
    assert_eq!(a.json()["diagnostics"][0]["file"], "ruleset.rules");
    // Not UTF-8.
    let a = post("/v1/check", vec![0xff, 0xfe, 0x00]).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.codes(), ["kaohe::http::not_utf8"]);
}

#[tokio::test]
async fn evaluate_json_is_byte_identical_to_the_contract() {
    for (id, facts) in examples() {
        let c = compiled(id);
        let a = post(&format!("/v1/rulesets/{id}/evaluate"), facts.clone()).await;
        assert_eq!(a.status, StatusCode::OK, "{id}: {}", a.text());
        assert_eq!(a.content_type(), "application/json");
        assert_eq!(a.text(), api::evaluate(&c, &facts, "").unwrap(), "{id}");
        let a = post(
            &format!("/v1/rulesets/{id}/evaluate?detail=totals&format=json"),
            facts.clone(),
        )
        .await;
        assert_eq!(
            a.text(),
            api::evaluate(&c, &facts, r#"{"detail":"totals"}"#).unwrap(),
            "{id}"
        );
    }
    let facts = read("rulesets/shaodong-2023/examples/2023-h2.json");
    let c = compiled("shaodong-2023");
    let a = post(
        "/v1/rulesets/shaodong-2023/evaluate?period=2023-10&unit=wjj&detail=items",
        facts.clone(),
    )
    .await;
    assert_eq!(
        a.text(),
        api::evaluate(
            &c,
            &facts,
            r#"{"period":"2023-10","unit":"wjj","detail":"items"}"#
        )
        .unwrap()
    );
    let results = a.json()["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["period"], "2023-10");
}

#[tokio::test]
async fn a_filled_ledger_evaluates_as_its_facts() {
    let c = compiled("shaodong-2023");
    let text = read("rulesets/shaodong-2023/examples/2023-h2.json");
    let json: Value = serde_json::from_str(&text).unwrap();
    let blank = kaohe_office::template(c.ruleset()).unwrap();
    let filled = office::write(
        &blank,
        &office::ledger_from_facts(c.ruleset(), &blank, &json),
    );
    let a = post("/v1/rulesets/shaodong-2023/evaluate?detail=totals", filled).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let from_json = api::evaluate(&c, &text, r#"{"detail":"totals"}"#).unwrap();
    let b: Value = serde_json::from_str(&from_json).unwrap();
    assert_eq!(a.json()["results"], b["results"]);
    assert_eq!(a.json()["rankings"], b["rankings"]);
    // The blank ledger: its errors with their sheets and cells.
    let a = post("/v1/rulesets/shaodong-2023/evaluate", blank).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = a.json();
    assert_eq!(v["errors"][0]["sheet"], "说明");
    assert_eq!(v["errors"][0]["cell"], "B3");
    assert!(a.codes().iter().all(|c| c.starts_with("kaohe::ledger::")));
}

#[tokio::test]
async fn evaluate_as_csv_xlsx_and_html() {
    let facts = read("rulesets/shaodong-2023/examples/2023-h2.json");
    let a = post(
        "/v1/rulesets/shaodong-2023/evaluate?format=csv&period=2023-10",
        facts.clone(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type(), "text/csv; charset=utf-8");
    let text = a.text();
    assert!(
        text.starts_with('\u{FEFF}'),
        "Excel reads a CSV with a byte-order mark as UTF-8"
    );
    insta::assert_snapshot!("evaluate-csv-2023-10", text.trim_start_matches('\u{FEFF}'));

    let c = compiled("shaodong-2023");
    let f = kaohe::Facts::from_json(c.ruleset(), &facts).unwrap();
    let evaluation = c.ruleset().evaluate(&f).unwrap();
    let a = post(
        "/v1/rulesets/shaodong-2023/evaluate?format=html&period=2023-10",
        facts.clone(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type(), "text/html; charset=utf-8");
    let period = Some("2023-10".parse().unwrap());
    let scope = kaohe_office::Scope { period };
    assert_eq!(
        a.text(),
        kaohe_office::bulletin_html(c.ruleset(), &evaluation, &scope)
    );

    let a = post(
        "/v1/rulesets/shaodong-2023/evaluate?format=xlsx",
        facts.clone(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.content_type(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        a.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"shaodong-2023-bulletin.xlsx\""
    );
    let expected = kaohe_office::bulletin_xlsx(
        c.ruleset(),
        &evaluation,
        &kaohe_office::Scope { period: None },
    )
    .unwrap();
    same_workbook(&a.body, &expected);

    // A bulletin shows every unit: `unit` and `detail` do not apply.
    let a = post(
        "/v1/rulesets/shaodong-2023/evaluate?format=html&unit=wjj",
        facts.clone(),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.codes(), ["kaohe::http::invalid_query"]);
    let a = post(
        "/v1/rulesets/shaodong-2023/evaluate?format=xlsx&period=2024-01",
        facts,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["errors"][0]["path"], "?period");
}

#[tokio::test]
async fn evaluate_refuses_bad_facts_bodies_and_queries() {
    let uri = "/v1/rulesets/miluo-2026/evaluate";
    // Fact errors keep their codes and JSON paths.
    let a = post(
        uri,
        r#"{"as_of":"2026-06-10","units":[],"records":[{"unit":1}]}"#,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.codes().iter().all(|c| c.starts_with("kaohe::facts::")));
    insta::assert_snapshot!("evaluate-fact-errors", pretty(&a.json()));
    // Not JSON at all, empty, an old .xls, a CSV.
    let a = post(uri, "{").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = post(uri, "").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.codes()[0].starts_with("kaohe::facts::"));
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.resize(600, 0);
    let a = post(uri, xls).await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(a.codes(), [kaohe_office::InputKind::Xls.code()]);
    let a = post(uri, "unit,period,kind\njtj,2026-04,x\n").await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Bad options: each with the parameter it is in.
    let facts = read("rulesets/miluo-2026/examples/2026-04.json");
    let a = post(&format!("{uri}?detail=some&period=2026-13"), facts.clone()).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.codes(),
        ["kaohe::api::invalid_options", "kaohe::api::invalid_options"]
    );
    let paths: Vec<_> = a.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].clone())
        .collect();
    assert_eq!(paths, ["?detail", "?period"]);
    // A period the facts do not evaluate, a unit they do not have: refused
    // in every format, never an empty success.
    for query in [
        "unit=nope",
        "period=2026-Q2",
        "period=2026-07",
        "period=2026-07&format=csv",
        "unit=nope&format=csv",
        "period=2026-07&format=html",
        "period=1999&format=xlsx",
    ] {
        let a = post(&format!("{uri}?{query}"), facts.clone()).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{query}: {}", a.text());
        assert_eq!(a.codes(), ["kaohe::api::invalid_options"], "{query}");
        let path = &a.json()["errors"][0]["path"];
        assert!(
            query.starts_with(&path.as_str().unwrap()[1..]),
            "{query}: {path}"
        );
    }
    // Unknown and malformed parameters: a misspelt one must not be ignored.
    for query in [
        "perod=2026-04",
        "format=pdf",
        "lang=fr",
        "period=2026-04&period=2026-05",
    ] {
        let a = post(&format!("{uri}?{query}"), facts.clone()).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{query}: {}", a.text());
        assert_eq!(a.codes(), ["kaohe::http::invalid_query"], "{query}");
    }
}

#[tokio::test]
async fn diff_gives_the_impact() {
    let old = read("rulesets/miluo-2026/miluo-2026.rules");
    let new = old.replacen("seal 15 days", "seal 20 days", 1);
    let facts = read("rulesets/miluo-2026/examples/2026-04.json");
    let expected = api::diff(("old.rules", &old), ("new.rules", &new), &facts).unwrap();
    let body = serde_json::json!({
        "old": {"name": "old.rules", "text": old},
        "new": {"name": "new.rules", "text": new},
        "facts": facts,
    });
    let a = post("/v1/diff", body.to_string()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.text(), expected);
    // The facts as an object: the same impact.
    let mut as_object = body.clone();
    as_object["facts"] = serde_json::from_str(&facts).unwrap();
    let a = post("/v1/diff", as_object.to_string()).await;
    let (x, y): (Value, Value) = (a.json(), serde_json::from_str(&expected).unwrap());
    assert_eq!(x["summary"], y["summary"]);
    assert_eq!(x["changes"], y["changes"]);
    // A ruleset with errors: 422 with its located errors.
    let mut broken = body.clone();
    broken["new"]["text"] = Value::String("ruleset x {".to_owned());
    let a = post("/v1/diff", broken.to_string()).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["errors"][0]["file"], "new.rules");
    // Not the expected JSON.
    for bad in [
        "",
        "[]",
        "{\"old\": 1}",
        r#"{"old":{"name":"a","text":""},"new":{"name":"b","text":""},"facts":{},"x":1}"#,
    ] {
        let a = post("/v1/diff", bad).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(a.codes(), ["kaohe::http::bad_body"]);
    }
}

#[tokio::test]
async fn unknown_paths_methods_and_rulesets_are_json_errors() {
    let a = get("/v1/nothing").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.codes(), ["kaohe::http::not_found"]);
    let a = send_to(state(), Method::DELETE, "/v1/rulesets", Body::empty()).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.codes(), ["kaohe::http::method_not_allowed"]);
    let a = get("/v1/rulesets/shaodong-2024").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.codes(), ["kaohe::http::unknown_ruleset"]);
    insta::assert_snapshot!("unknown-ruleset", pretty(&a.json()));
}

/// Ids are looked up among the rulesets loaded at start, never used as a
/// path: nothing outside `--rulesets` can be reached.
#[tokio::test]
async fn ruleset_ids_cannot_escape_the_rulesets_directory() {
    let ids = [
        "..%2f..%2fetc%2fpasswd",
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2f%2e%2e%2fCargo.toml",
        "..",
        "%2e%2e",
        ".",
        "%00",
        "shaodong-2023%00",
        "shaodong-2023%2f..%2fmiluo-2026",
        "%2fetc%2fpasswd",
        "%2Fwork",
        "C:%5CWindows",
        "..%5C..%5Cetc",
        "%E9%82%B5%E4%B8%9C",
        "%FF%FE",
        "SHAODONG-2023",
        "shaodong-2023%20",
        "%EF%BC%8E%EF%BC%8E%EF%BC%8Fetc",
    ];
    for id in ids {
        for suffix in ["", "/schema", "/template"] {
            let a = get(&format!("/v1/rulesets/{id}{suffix}")).await;
            assert!(a.status.is_client_error(), "{id}{suffix}: {}", a.status);
            assert!(!a.body.starts_with(b"PK"), "{id}{suffix}");
            assert_eq!(a.codes(), ["kaohe::http::unknown_ruleset"], "{id}{suffix}");
        }
        let a = post(&format!("/v1/rulesets/{id}/evaluate"), "{}").await;
        assert_eq!(a.codes(), ["kaohe::http::unknown_ruleset"], "{id}");
    }
    // Paths that are not routes at all.
    for path in [
        "/v1/rulesets/../../etc/passwd",
        "/v1/rulesets//etc/passwd",
        "/v1/rulesets/a/b/schema",
        "/../Cargo.toml",
    ] {
        let a = get(path).await;
        assert!(a.status.is_client_error(), "{path}");
        assert!(
            !a.text().contains("[workspace]") && !a.text().contains("root:"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_ruleset_with_errors_is_listed_not_served() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-broken-rulesets");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("broken")).unwrap();
    std::fs::write(
        dir.join("broken/broken.rules"),
        "ruleset broken {\n  title \"x\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("miluo-2026")).unwrap();
    std::fs::write(
        dir.join("miluo-2026/miluo-2026.rules"),
        read("rulesets/miluo-2026/miluo-2026.rules"),
    )
    .unwrap();
    // Not rulesets: a directory without its file, a hidden one, a file.
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    std::fs::write(dir.join(".hidden/.hidden.rules"), "x").unwrap();
    std::fs::write(dir.join("loose.rules"), "x").unwrap();
    let state = AppState::new(Rulesets::load(&dir).unwrap(), Limits::default());
    let a = send_to(state.clone(), Method::GET, "/v1/rulesets", Body::empty()).await;
    let v = a.json();
    let ids: Vec<_> = v["rulesets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids, ["broken", "miluo-2026"]);
    assert_eq!(v["rulesets"][0]["ok"], false);
    assert_eq!(v["rulesets"][0]["errors"][0]["file"], "broken.rules");
    assert_eq!(v["rulesets"][1]["ok"], true);
    for suffix in ["", "/schema", "/template"] {
        let a = send_to(
            state.clone(),
            Method::GET,
            &format!("/v1/rulesets/broken{suffix}"),
            Body::empty(),
        )
        .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        let codes = a.codes();
        assert_eq!(codes[0], "kaohe::http::ruleset_not_served");
        assert!(codes.len() > 1, "the ruleset's own errors follow");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let limits = Limits {
        body_bytes: 1000,
        ..Limits::default()
    };
    let state = AppState::new(shipped(), limits);
    let facts = read("rulesets/miluo-2026/examples/2026-04.json");
    assert!(facts.len() > 1000);
    for uri in ["/v1/rulesets/miluo-2026/evaluate", "/v1/check", "/v1/diff"] {
        let a = send_to(state.clone(), Method::POST, uri, facts.clone()).await;
        assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
        assert_eq!(a.codes(), ["kaohe::http::body_too_large"]);
    }
    // Within the limit it is read.
    let a = send_to(state, Method::POST, "/v1/check", "ruleset x {").await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn evaluations_over_the_concurrency_limit_are_503() {
    let facts = read("rulesets/miluo-2026/examples/2026-04.json");
    let uri = "/v1/rulesets/miluo-2026/evaluate?detail=totals";
    // One evaluation at a time, none waiting: while one runs (its slot
    // held here), the next is refused at once.
    let limits = Limits {
        concurrent_evaluations: 1,
        queued_evaluations: 0,
        ..Limits::default()
    };
    let state = AppState::new(shipped(), limits);
    let running = state.evaluations.clone().acquire_owned().await.unwrap();
    let a = send_to(state.clone(), Method::POST, uri, facts.clone()).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.codes(), ["kaohe::http::busy"]);
    drop(running);
    let a = send_to(state.clone(), Method::POST, uri, facts.clone()).await;
    assert_eq!(a.status, StatusCode::OK);

    // One running, one may wait: the waiting one times out after the limit.
    let limits = Limits {
        concurrent_evaluations: 1,
        queued_evaluations: 1,
        evaluation_time: Duration::from_millis(200),
        ..Limits::default()
    };
    let state = AppState::new(shipped(), limits);
    let running = state.evaluations.clone().acquire_owned().await.unwrap();
    let a = send_to(state.clone(), Method::POST, uri, facts.clone()).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.codes(), ["kaohe::http::timeout"]);
    // A waiting one gets its turn when the running one ends.
    let waiting = tokio::spawn(send_to(
        state.clone(),
        Method::POST,
        "/v1/rulesets/miluo-2026/evaluate?detail=totals",
        facts.clone(),
    ));
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(running);
    let a = waiting.await.unwrap();
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
}

#[tokio::test]
async fn lang_is_accepted_everywhere_and_checked() {
    for uri in [
        "/v1/rulesets?lang=zh",
        "/v1/rulesets/miluo-2026?lang=en",
        "/healthz?lang=zh",
    ] {
        assert_eq!(get(uri).await.status, StatusCode::OK, "{uri}");
    }
    let a = get("/v1/rulesets?lang=de").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["errors"][0]["path"], "?lang");
}

/// Whether a text holds a Chinese character.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Each error or diagnostic without its message and help: what must be the
/// same in every language.
fn without_text(list: &Value) -> Vec<Value> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut e = e.clone();
            let object = e.as_object_mut().unwrap();
            object.remove("message");
            object.remove("help");
            object.remove("labels");
            e
        })
        .collect()
}

#[tokio::test]
async fn check_and_errors_answer_in_the_asked_language() {
    // POST /v1/check?lang=zh (what the page's editor sends as you type):
    // the contract's Chinese check, the same codes and locations as English.
    let broken = read("rulesets/miluo-2026/miluo-2026.rules").replacen("category", "categroy", 1);
    let en = post("/v1/check?name=typo.rules", broken.clone()).await;
    let zh = post("/v1/check?name=typo.rules&lang=zh", broken.clone()).await;
    assert_eq!(zh.status, StatusCode::OK);
    assert_eq!(
        zh.text(),
        api::check_in("typo.rules", &broken, kaohe::i18n::Lang::Zh)
    );
    assert_eq!(
        without_text(&zh.json()["diagnostics"]),
        without_text(&en.json()["diagnostics"])
    );
    let message = zh.json()["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(has_chinese(&message), "{message}");
    // Accept-Language alone chooses Chinese too; ?lang=en wins over it.
    let request = |uri: &str| {
        Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9,en;q=0.8")
            .body(Body::from(broken.clone()))
            .unwrap()
    };
    let answer = router(state())
        .oneshot(request("/v1/check?name=typo.rules"))
        .await
        .unwrap();
    let body = to_bytes(answer.into_body(), usize::MAX).await.unwrap();
    assert_eq!(body, zh.body);
    let answer = router(state())
        .oneshot(request("/v1/check?name=typo.rules&lang=en"))
        .await
        .unwrap();
    let body = to_bytes(answer.into_body(), usize::MAX).await.unwrap();
    assert_eq!(body, en.body);

    // An evaluation's errors: as the contract's `"lang": "zh"` gives them.
    let uri = "/v1/rulesets/miluo-2026/evaluate";
    let facts = r#"{"as_of":"2026-06-10","units":[],"records":[{"unit":1}]}"#;
    let en = post(uri, facts).await;
    let zh = post(&format!("{uri}?lang=zh"), facts).await;
    assert_eq!(zh.status, StatusCode::UNPROCESSABLE_ENTITY);
    let contract = api::evaluate(&compiled("miluo-2026"), facts, r#"{"lang":"zh"}"#).unwrap_err();
    assert_eq!(zh.text(), contract.to_json());
    assert_eq!(
        without_text(&zh.json()["errors"]),
        without_text(&en.json()["errors"])
    );
    assert_ne!(zh.text(), en.text());
    for error in zh.json()["errors"].as_array().unwrap() {
        assert!(has_chinese(error["message"].as_str().unwrap()), "{error}");
    }
    // A ruleset with errors (409): its checker errors in Chinese, the status kept.
    let a = send_to(
        broken_state(),
        Method::POST,
        "/v1/rulesets/broken/evaluate?lang=zh",
        facts,
    )
    .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    let errors = a.json()["errors"].as_array().unwrap().clone();
    assert!(
        errors
            .iter()
            .all(|e| has_chinese(e["message"].as_str().unwrap())),
        "{errors:?}"
    );
}

/// The shipped rulesets and `broken`, a ruleset with a typo.
fn broken_state() -> AppState {
    let mut rulesets = shipped();
    let text = read("rulesets/miluo-2026/miluo-2026.rules").replacen("category", "categroy", 1);
    rulesets.insert(kaohe_server::LoadedRuleset {
        id: "broken".to_owned(),
        file: PathBuf::from("broken.rules"),
        compiled: api::compile("broken.rules", &text).map(std::sync::Arc::new),
    });
    AppState::new(rulesets, Limits::default())
}

/// The routes written in the router's source, as `(method, path)`.
fn routes_in_source() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in [
        "crates/kaohe-server/src/routes.rs",
        "crates/kaohe-server/src/seal.rs",
        "crates/kaohe-server/src/page.rs",
    ] {
        let text = read(file);
        for (at, _) in text.match_indices(".route(\"") {
            let rest = &text[at + 8..];
            let path = &rest[..rest.find('"').unwrap()];
            let call = &rest[..rest.find(')').unwrap()];
            for method in ["get", "post", "put", "delete", "patch"] {
                if call.contains(&format!("{method}(")) {
                    out.push((method.to_owned(), path.to_owned()));
                }
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn openapi_lists_every_route_and_its_references_resolve() {
    let a = get("/openapi.json").await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            documented.push((method.clone(), path.clone()));
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("200"), "{method} {path}");
        }
    }
    documented.sort();
    let routes = routes_in_source();
    assert!(routes.len() >= 9, "{routes:?}");
    assert_eq!(documented, routes);
    // Every $ref points at a component that exists.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "$ref" {
                        out.push(v.as_str().unwrap().to_owned());
                    } else {
                        refs(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        assert!(doc["components"]["schemas"].get(name).is_some(), "{r}");
    }
    // Each documented error status is answered with the errors envelope.
    let errors = &doc["components"]["schemas"]["ErrorsDoc"];
    assert_eq!(
        errors["required"],
        serde_json::json!(["api_version", "errors"])
    );
}

/// Every `kaohe::http::…` code of the service has a row in docs/errors.md.
#[test]
fn every_http_code_is_listed_in_errors_md() {
    let listed = read("docs/errors.md");
    let source = read("crates/kaohe-server/src/error.rs");
    let codes: Vec<&str> = source
        .match_indices("\"kaohe::http::")
        .map(|(at, _)| {
            let rest = &source[at + 1..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert!(codes.len() >= 10);
    for code in codes {
        assert!(
            listed.contains(&format!("| `{code}`")),
            "{code} has no row in docs/errors.md"
        );
    }
}

/// The examples in the OpenAPI description (what schemathesis starts from)
/// are valid requests.
#[tokio::test]
async fn the_openapi_examples_are_accepted() {
    let doc = get("/openapi.json").await.json();
    let body = |path: &str, content: &str| {
        doc["paths"][path]["post"]["requestBody"]["content"][content]["example"].clone()
    };
    let text = body("/v1/check", "text/plain");
    let a = post("/v1/check", text.as_str().unwrap().to_owned()).await;
    assert_eq!(a.json()["ok"], true, "{}", a.text());
    assert_eq!(a.json()["diagnostics"], serde_json::json!([]));
    let facts = body("/v1/rulesets/{id}/evaluate", "application/json");
    let id = doc["paths"]["/v1/rulesets/{id}/evaluate"]["post"]["parameters"][0]["example"].clone();
    let a = post(
        &format!("/v1/rulesets/{}/evaluate", id.as_str().unwrap()),
        facts.to_string(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let diff = body("/v1/diff", "application/json");
    let a = post("/v1/diff", diff.to_string()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
}

/// Every `kaohe::http::…` answer in the asked language (issue 16 §3):
/// message and help in Chinese under `?lang=zh`, with the same code,
/// status and location as in English.
#[tokio::test]
async fn http_errors_answer_in_the_asked_language() {
    let facts = read("rulesets/miluo-2026/examples/2026-04.json");
    let requests: Vec<(AppState, Method, &str, String)> = vec![
        (state(), Method::GET, "/v1/nothing", String::new()),
        (state(), Method::DELETE, "/v1/rulesets", String::new()),
        (state(), Method::GET, "/v1/rulesets/nope", String::new()),
        (
            broken_state(),
            Method::POST,
            "/v1/rulesets/broken/evaluate",
            facts.clone(),
        ),
        (state(), Method::POST, "/v1/diff", "[]".to_owned()),
        (
            state(),
            Method::POST,
            "/v1/rulesets/miluo-2026/evaluate?format=html&unit=jtj",
            facts.clone(),
        ),
        (
            state(),
            Method::POST,
            "/v1/rulesets/miluo-2026/evaluate?perod=2026-04",
            facts.clone(),
        ),
        (
            state(),
            Method::POST,
            "/v1/rulesets/miluo-2026/periods/2026-04/seal",
            facts.clone(),
        ),
    ];
    let mut codes = std::collections::BTreeSet::new();
    for (state, method, uri, body) in requests {
        let sep = if uri.contains('?') { '&' } else { '?' };
        let zh = send_to(
            state.clone(),
            method.clone(),
            &format!("{uri}{sep}lang=zh"),
            body.clone(),
        )
        .await;
        let en = send_to(state, method, uri, body).await;
        assert_eq!(zh.status, en.status, "{uri}");
        let (zh, en) = (zh.json(), en.json());
        assert_eq!(
            without_text(&zh["errors"]),
            without_text(&en["errors"]),
            "{uri}"
        );
        let first = &zh["errors"][0];
        codes.insert(first["code"].as_str().unwrap().to_owned());
        for field in ["message", "help"] {
            if let Some(text) = first[field].as_str() {
                assert!(has_chinese(text), "{uri}: {field} {text:?}");
                assert_ne!(Some(text), en["errors"][0][field].as_str(), "{uri}");
            }
        }
    }
    assert!(codes.len() >= 6, "{codes:?}");
}

/// Every route refuses a query parameter it does not take with a 400 JSON
/// error (`kaohe::http::invalid_query`), also the routes that take none but
/// `?lang=`: `/healthz?x=1`, `/openapi.json?x=1`, the page and its assets.
/// The routes are those of the source, so a route added later is checked too.
#[tokio::test]
async fn every_route_refuses_unknown_query_parameters() {
    let routes = routes_in_source();
    assert!(routes.len() >= 17, "{routes:?}");
    for (method, path) in routes {
        let path = path
            .replace("{id}", "shaodong-2023")
            .replace("{period}", "2023-10");
        let method = match method.as_str() {
            "get" => Method::GET,
            "post" => Method::POST,
            other => panic!("{other}"),
        };
        for query in ["x=1", "lang=zh&x=1", "lang=en&lang=zh"] {
            let uri = format!("{path}?{query}");
            let a = send_to(state(), method.clone(), &uri, "").await;
            assert_eq!(
                a.status,
                StatusCode::BAD_REQUEST,
                "{method} {uri}: {}",
                a.text()
            );
            assert_eq!(a.content_type(), "application/json", "{method} {uri}");
            assert_eq!(a.codes(), ["kaohe::http::invalid_query"], "{method} {uri}");
        }
        // `?lang=` alone is taken everywhere.
        if method == Method::GET && !path.contains("audit") {
            let uri = format!("{path}?lang=zh");
            let a = send_to(state(), method.clone(), &uri, "").await;
            assert_eq!(a.status, StatusCode::OK, "{method} {uri}: {}", a.text());
        }
    }
}

/// The CSV is `kaohe_office::ranking::csv` (the renderer `rulec eval` uses),
/// its headers in the request's language: `?lang=zh` or `Accept-Language`.
#[tokio::test]
async fn csv_headers_are_in_the_request_s_language() {
    let facts = read("rulesets/shaodong-2023/examples/2023-h2.json");
    let c = compiled("shaodong-2023");
    let f = kaohe::Facts::from_json(c.ruleset(), &facts).unwrap();
    let evaluation = c
        .ruleset()
        .evaluate_with(
            &f,
            &kaohe::EvalOptions {
                detail: kaohe::Detail::Totals,
                ..kaohe::EvalOptions::default()
            },
        )
        .unwrap();
    let period = Some("2023-10".parse().unwrap());
    let selected = evaluation.select(&kaohe::eval::result::Selection { period, unit: None });
    let catalog = kaohe::i18n::Catalog::new();
    for (lang, words) in [
        (kaohe::i18n::Lang::En, ["rank", "total", "notices"]),
        (kaohe::i18n::Lang::Zh, ["名次", "得分", "预警通知"]),
    ] {
        let mut expected = "\u{FEFF}".as_bytes().to_vec();
        let headers = kaohe_office::ranking::Headers::new(&catalog, lang);
        kaohe_office::ranking::csv(&selected, &headers, &mut expected).unwrap();
        let expected = String::from_utf8(expected).unwrap();
        let uri = "/v1/rulesets/shaodong-2023/evaluate?format=csv&period=2023-10";
        let by_query = post(&format!("{uri}&lang={}", lang.tag()), facts.clone()).await;
        assert_eq!(by_query.status, StatusCode::OK);
        assert_eq!(by_query.text(), expected, "{lang:?}");
        let header = expected
            .lines()
            .next()
            .unwrap()
            .trim_start_matches('\u{FEFF}');
        for word in words {
            assert!(header.split(',').any(|h| h == word), "{lang:?}: {header}");
        }
        let request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::ACCEPT_LANGUAGE, format!("{};q=0.9", lang.tag()))
            .body(Body::from(facts.clone()))
            .unwrap();
        let response = router(state()).oneshot(request).await.unwrap();
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(
            String::from_utf8(body.to_vec()).unwrap(),
            expected,
            "{lang:?}"
        );
    }
}

/// Two units with one name: evaluated (ids are the key), with the warning
/// and both JSON paths in the evaluation's `facts.warnings`.
#[tokio::test]
async fn two_units_with_one_name_are_answered_with_a_warning() {
    let mut facts: Value =
        serde_json::from_str(&read("rulesets/miluo-2026/examples/2026-04.json")).unwrap();
    let units = facts["units"].as_array_mut().unwrap();
    let name = units[0]["name"].clone();
    units[3]["name"] = name.clone();
    let first = units[0]["id"].as_str().unwrap().to_owned();
    let fourth = units[3]["id"].as_str().unwrap().to_owned();
    let a = post("/v1/rulesets/miluo-2026/evaluate", facts.to_string()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let warnings = a.json()["facts"]["warnings"].clone();
    assert_eq!(warnings.as_array().unwrap().len(), 1, "{warnings}");
    let w = &warnings[0];
    assert_eq!(w["code"], "kaohe::facts::duplicate_name");
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["path"], "$.units[3].name");
    let message = w["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("`{first}` ($.units[0].name)")),
        "{message}"
    );
    assert!(
        message.contains(&format!("`{fourth}` ($.units[3].name)")),
        "{message}"
    );
    assert!(
        message.contains(&format!("`{}`", name.as_str().unwrap())),
        "{message}"
    );
    // Without the twin, no warnings at all.
    let a = post(
        "/v1/rulesets/miluo-2026/evaluate",
        read("rulesets/miluo-2026/examples/2026-04.json"),
    )
    .await;
    assert!(a.json()["facts"].get("warnings").is_none());
}

/// The page opens on a ruleset named in its address (`/?ruleset=…`, read by
/// its script): that parameter is the page's own, so it is taken, and any
/// other is still refused.
#[tokio::test]
async fn the_page_takes_its_ruleset_parameter() {
    for uri in [
        "/?ruleset=shaodong-2023",
        "/index.html?ruleset=shaodong-2023&lang=zh",
    ] {
        let a = send_to(state(), Method::GET, uri, "").await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.text());
    }
    let a = send_to(state(), Method::GET, "/?ruleset=x&x=1", "").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

/// A body over 1 MiB (`kaohe_server::upload::WHOLE_BYTES`) takes the other
/// path — spooled to a temporary file as it arrives and read in chunks —
/// and must answer exactly as the same facts received whole: the same
/// evaluation, and for a broken file the same errors.
#[tokio::test]
async fn a_large_upload_answers_as_the_same_facts_received_whole() {
    let uri = "/v1/rulesets/miluo-2026/evaluate";
    let facts = read("rulesets/miluo-2026/examples/2026-04.json");
    // Trailing whitespace: no line or column of the file moves.
    let padding = " ".repeat(kaohe_server::upload::WHOLE_BYTES + 4096);
    let whole = post(uri, facts.clone()).await;
    let large = post(uri, format!("{facts}{padding}")).await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.text());
    assert_eq!(large.status, StatusCode::OK, "{}", large.text());
    assert!(
        whole.body == large.body,
        "the spooled upload evaluated differently"
    );

    let broken = facts.replacen("\"records\": [", "\"records\": [{\"unit\": 1}, ", 1);
    assert_ne!(broken, facts, "the example's records array was not found");
    let whole = post(uri, broken.clone()).await;
    let large = post(uri, format!("{broken}{padding}")).await;
    assert_eq!(whole.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(large.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(whole
        .codes()
        .iter()
        .all(|c| c.starts_with("kaohe::facts::")));
    assert_eq!(whole.json(), large.json());
}
