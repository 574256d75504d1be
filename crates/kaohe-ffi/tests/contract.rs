//! The JSON contract as documented: every JSON Schema in `docs/api.md` is
//! read from the page and real outputs of every operation are checked against
//! it (success and failure, every shipped ruleset and example, all three
//! levels of detail, a filled-in ledger). Also: each per-language example in
//! `docs/embedding.md` is the file CI runs, verbatim.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

// The ledger helpers of kaohe-office's tests (fill a template from facts).
#[path = "../../kaohe-office/tests/common/mod.rs"]
mod office;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kaohe::api;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// The schemas of docs/api.md by name (`<!-- schema: NAME -->` before a json block),
/// and by `$id` for `$ref`.
struct Schemas {
    by_name: BTreeMap<String, Value>,
    by_id: BTreeMap<String, Value>,
}

fn schemas() -> Schemas {
    let page = read("docs/api.md");
    let mut by_name = BTreeMap::new();
    let mut by_id = BTreeMap::new();
    let mut rest = page.as_str();
    while let Some(at) = rest.find("<!-- schema: ") {
        rest = &rest[at + "<!-- schema: ".len()..];
        let name = rest[..rest.find(" -->").unwrap()].to_owned();
        let start = rest.find("```json\n").unwrap() + "```json\n".len();
        let end = start + rest[start..].find("\n```").unwrap();
        let schema: Value = serde_json::from_str(&rest[start..end])
            .unwrap_or_else(|e| panic!("schema {name} in docs/api.md is not JSON: {e}"));
        if let Some(id) = schema["$id"].as_str() {
            by_id.insert(id.to_owned(), schema.clone());
        }
        by_name.insert(name, schema);
        rest = &rest[end..];
    }
    Schemas { by_name, by_id }
}

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        other => panic!("the validator does not know type {other}"),
    }
}

impl Schemas {
    /// Every violation of `schema` by `value`, with its JSON path.
    fn violations(&self, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
        let keywords = schema.as_object().unwrap();
        for (keyword, arg) in keywords {
            match keyword.as_str() {
                "$id" | "description" => {}
                "$ref" => {
                    let target = &self.by_id[arg.as_str().unwrap()];
                    self.violations(target, value, path, out);
                }
                "type" => {
                    let ok = match arg {
                        Value::String(t) => type_matches(t, value),
                        Value::Array(ts) => {
                            ts.iter().any(|t| type_matches(t.as_str().unwrap(), value))
                        }
                        _ => panic!("bad type keyword"),
                    };
                    if !ok {
                        out.push(format!("{path}: expected type {arg}, found {value}"));
                    }
                }
                "const" if value != arg => {
                    out.push(format!("{path}: expected {arg}, found {value}"))
                }
                "const" => {}
                "enum" => {
                    if !arg.as_array().unwrap().contains(value) {
                        out.push(format!("{path}: expected one of {arg}, found {value}"));
                    }
                }
                "required" => {
                    if let Some(object) = value.as_object() {
                        for field in arg.as_array().unwrap() {
                            if !object.contains_key(field.as_str().unwrap()) {
                                out.push(format!("{path}: missing {field}"));
                            }
                        }
                    }
                }
                "properties" => {
                    if let Some(object) = value.as_object() {
                        for (field, sub) in arg.as_object().unwrap() {
                            if let Some(v) = object.get(field) {
                                self.violations(sub, v, &format!("{path}.{field}"), out);
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    assert_eq!(arg, &Value::Bool(false), "only `false` is supported");
                    let known = keywords["properties"].as_object().unwrap();
                    if let Some(object) = value.as_object() {
                        for field in object.keys().filter(|k| !known.contains_key(*k)) {
                            out.push(format!("{path}: field {field} is not in the schema"));
                        }
                    }
                }
                "items" => {
                    if let Some(items) = value.as_array() {
                        for (i, item) in items.iter().enumerate() {
                            self.violations(arg, item, &format!("{path}[{i}]"), out);
                        }
                    }
                }
                "minItems" => {
                    if value
                        .as_array()
                        .is_some_and(|a| (a.len() as u64) < arg.as_u64().unwrap())
                    {
                        out.push(format!("{path}: fewer than {arg} items"));
                    }
                }
                other => panic!("the validator does not know keyword {other}"),
            }
        }
    }

    fn assert_valid(&self, name: &str, json: &str) -> Value {
        let value: Value = serde_json::from_str(json).unwrap();
        let schema = self
            .by_name
            .get(name)
            .unwrap_or_else(|| panic!("no schema {name}"));
        let mut out = Vec::new();
        self.violations(schema, &value, "$", &mut out);
        assert!(
            out.is_empty(),
            "{name}: {out:#?}\n{}",
            &json[..json.len().min(2000)]
        );
        value
    }
}

#[test]
fn the_validator_fails_on_what_the_schemas_forbid() {
    let s = schemas();
    let mut out = Vec::new();
    let bad =
        serde_json::json!({"api_version": 2, "errors": [{"code": 1, "severity": "fatal", "x": 0}]});
    s.violations(&s.by_name["errors"], &bad, "$", &mut out);
    for expected in [
        "$.api_version: expected 1",
        "$.errors[0]: missing \"message\"",
        "$.errors[0].code: expected type",
        "$.errors[0].severity: expected one of",
        "$.errors[0]: field x is not in the schema",
    ] {
        assert!(
            out.iter().any(|o| o.starts_with(expected)),
            "{expected} not in {out:#?}"
        );
    }
}

#[test]
fn every_documented_schema_is_checked_here() {
    let names: Vec<_> = schemas().by_name.keys().cloned().collect();
    assert_eq!(
        names,
        [
            "check",
            "diff",
            "error",
            "errors",
            "evaluation",
            "facts",
            "template",
            "version"
        ]
    );
}

#[test]
fn outputs_of_every_operation_match_their_schemas() {
    let s = schemas();
    s.assert_valid("version", &api::version());

    let bad = "ruleset x {\n  title 1\n}";
    let checked = s.assert_valid("check", &api::check("bad.rules", bad));
    assert_eq!(checked["ok"], false);
    let failure = api::compile("bad.rules", bad).unwrap_err().to_json();
    let errors = s.assert_valid("errors", &failure);
    assert!(errors["errors"][0].get("file").is_some());

    for (name, examples) in [
        ("miluo-2026", vec!["2026-04.json", "2026-05.json"]),
        ("shaodong-2023", vec!["2023-h2.json"]),
        ("example-county", vec!["2027.json"]),
    ] {
        let rules = read(&format!("rulesets/{name}/{name}.rules"));
        let compiled = api::compile(&format!("{name}.rules"), &rules).unwrap();
        s.assert_valid("check", &compiled.warnings_json());
        let schema: Value = serde_json::from_str(&api::schema(&compiled)).unwrap();
        assert_eq!(schema["type"], "object");
        for example in examples {
            let facts = read(&format!("rulesets/{name}/examples/{example}"));
            for detail in ["full", "items", "totals"] {
                let options = format!(r#"{{"detail":"{detail}"}}"#);
                s.assert_valid(
                    "evaluation",
                    &api::evaluate(&compiled, &facts, &options).unwrap(),
                );
            }
            s.assert_valid(
                "diff",
                &api::diff(
                    (&format!("{name}.rules"), &rules),
                    ("new.rules", &rules),
                    &facts,
                )
                .unwrap(),
            );
        }
        let e = api::evaluate(&compiled, r#"{"units": 1}"#, "").unwrap_err();
        let v = s.assert_valid("errors", &e.to_json());
        assert!(v["errors"][0]["path"].as_str().unwrap().starts_with('$'));
        let e = api::evaluate(&compiled, "{}", r#"{"detail": 3}"#).unwrap_err();
        s.assert_valid("errors", &e.to_json());
        let e = kaohe_ffi::ledger::import(&compiled, b"junk").unwrap_err();
        s.assert_valid("errors", &e.to_json());
        let blank = kaohe_ffi::ledger::template(&compiled).unwrap();
        let e = kaohe_ffi::ledger::import(&compiled, &blank).unwrap_err();
        let v = s.assert_valid("errors", &e.to_json());
        assert!(v["errors"][0]["sheet"].is_string() && v["errors"][0]["cell"].is_string());
    }
}

#[test]
fn a_filled_ledger_imports_and_evaluates_as_its_facts() {
    let s = schemas();
    let rules = read("rulesets/miluo-2026/miluo-2026.rules");
    let compiled = api::compile("miluo-2026.rules", &rules).unwrap();
    let text = read("rulesets/miluo-2026/examples/2026-04.json");
    let json: Value = serde_json::from_str(&text).unwrap();
    let blank = kaohe_ffi::ledger::template(&compiled).unwrap();
    let filled = office::write(
        &blank,
        &office::ledger_from_facts(compiled.ruleset(), &blank, &json),
    );
    let facts = kaohe_ffi::ledger::import(&compiled, &filled).unwrap();
    s.assert_valid("facts", &facts);
    let from_ledger = kaohe_ffi::ledger::evaluate_ledger(&compiled, &filled, "").unwrap();
    let from_json = api::evaluate(&compiled, &text, "").unwrap();
    let a: Value = serde_json::from_str(&from_ledger).unwrap();
    let b: Value = serde_json::from_str(&from_json).unwrap();
    assert_eq!(a["results"], b["results"]);
    assert_eq!(a["rankings"], b["rankings"]);
}

/// Each language's example in docs/embedding.md is, verbatim, the file CI runs.
#[test]
fn the_embedding_guide_shows_the_examples_ci_runs() {
    let guide = read("docs/embedding.md");
    let readme = read("bindings/python/README.md");
    for (file, fence, page, page_name) in [
        ("tests/ffi/example.c", "```c\n", &guide, "docs/embedding.md"),
        (
            "bindings/python/examples/example.py",
            "```python\n",
            &guide,
            "docs/embedding.md",
        ),
        (
            "bindings/java/java/example/Example.java",
            "```java\n",
            &guide,
            "docs/embedding.md",
        ),
        (
            "bindings/python/examples/example.py",
            "```python\n",
            &readme,
            "bindings/python/README.md",
        ),
        (
            "bindings/python/examples/fanout.py",
            "```python\n",
            &readme,
            "bindings/python/README.md",
        ),
    ] {
        let block = format!("{fence}{}```\n", read(file));
        assert!(
            page.contains(&block),
            "{page_name} does not show {file} verbatim"
        );
    }
}

/// Every `kaohe::<area>::<name>` code written in the contract's sources has a
/// row in docs/errors.md.
#[test]
fn every_contract_code_is_listed_in_errors_md() {
    let listed = read("docs/errors.md");
    let mut codes = std::collections::BTreeSet::new();
    for file in [
        "crates/kaohe/src/api.rs",
        "crates/kaohe-ffi/src/lib.rs",
        "crates/kaohe-ffi/src/ledger.rs",
        "bindings/java/src/lib.rs",
        "bindings/python/src/lib.rs",
    ] {
        let text = read(file);
        for (at, _) in text.match_indices("\"kaohe::") {
            let rest = &text[at + 1..];
            let code: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            // A prefix (`"kaohe::facts::"` in a `starts_with`) is no code.
            if code.matches("::").count() == 2 && !code.ends_with(':') {
                codes.insert(code);
            }
        }
    }
    assert!(codes.len() >= 6, "{codes:?}");
    let missing: Vec<_> = codes
        .iter()
        .filter(|c| !listed.contains(&format!("| `{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a row in docs/errors.md: {missing:?}"
    );
}

/// The ledger operations take the contract's `lang` option (issue 16 §3):
/// a blank ledger's errors in Chinese, with the same codes, sheets and cells
/// as in English; a bad `lang` is refused as in `evaluate`.
#[test]
fn ledger_errors_follow_the_lang_option() {
    let rules = read("rulesets/miluo-2026/miluo-2026.rules");
    let compiled = api::compile("miluo-2026.rules", &rules).unwrap();
    let blank = kaohe_ffi::ledger::template(&compiled).unwrap();
    let strip = |e: &api::ApiErrors| -> Vec<Value> {
        let v: Value = serde_json::from_str(&e.to_json()).unwrap();
        v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.as_object_mut().unwrap().remove("message");
                e.as_object_mut().unwrap().remove("help");
                e
            })
            .collect()
    };
    let chinese = |e: &api::ApiErrors| {
        e.errors.iter().all(|e| {
            e.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        })
    };
    let en = kaohe_ffi::ledger::import(&compiled, &blank).unwrap_err();
    let zh = kaohe_ffi::ledger::import_with(&compiled, &blank, r#"{"lang":"zh"}"#).unwrap_err();
    assert_eq!(strip(&zh), strip(&en));
    assert!(chinese(&zh), "{}", zh.to_json());
    assert!(!chinese(&en), "{}", en.to_json());
    let zh = kaohe_ffi::ledger::evaluate_ledger(&compiled, &blank, r#"{"lang":"zh"}"#).unwrap_err();
    assert_eq!(strip(&zh), strip(&en));
    assert!(chinese(&zh), "{}", zh.to_json());
    let zh = kaohe_ffi::ledger::import_with(&compiled, b"junk", r#"{"lang":"zh"}"#).unwrap_err();
    assert!(chinese(&zh), "{}", zh.to_json());
    let wrong = kaohe_ffi::ledger::import_with(&compiled, &blank, r#"{"lang":"fr"}"#).unwrap_err();
    assert_eq!(wrong.errors[0].path.as_deref(), Some("$.lang"));
}
