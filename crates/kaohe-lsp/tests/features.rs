//! The features of `rulec lsp` on the shipped rulesets and on broken ones,
//! spoken over LSP to the server on an in-memory connection; answers pinned
//! by snapshots (`tests/snapshots/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{pos, read, uri, Client};
use serde_json::{json, Value};

const SHAODONG: &str = "rulesets/shaodong-2023/shaodong-2023.rules";

fn shaodong(client: &mut Client) -> String {
    let text = read(SHAODONG);
    let diagnostics = client.open("shaodong.rules", &text);
    assert_eq!(
        diagnostics["diagnostics"],
        json!([]),
        "the shipped ruleset checks clean"
    );
    text
}

/// The text a range of `text` covers.
fn covered(text: &str, range: &Value) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let (sl, sc) = (
        range["start"]["line"].as_u64().unwrap() as usize,
        range["start"]["character"].as_u64().unwrap() as usize,
    );
    let (el, ec) = (
        range["end"]["line"].as_u64().unwrap() as usize,
        range["end"]["character"].as_u64().unwrap() as usize,
    );
    let utf16_to_byte = |line: &str, col: usize| {
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= col {
                return i;
            }
            units += c.len_utf16();
        }
        line.len()
    };
    if sl == el {
        let line = lines[sl];
        line[utf16_to_byte(line, sc)..utf16_to_byte(line, ec)].to_owned()
    } else {
        format!("{}…", &lines[sl][utf16_to_byte(lines[sl], sc)..])
    }
}

/// `line:col text` for each location (0-based line and UTF-16 column, as sent).
fn places(text: &str, locations: &Value) -> Vec<String> {
    locations
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let r = &l["range"];
            format!(
                "{}:{} {}",
                r["start"]["line"],
                r["start"]["character"],
                covered(text, r)
            )
        })
        .collect()
}

#[test]
fn hover_on_names_clause_ids_and_keywords() {
    let mut client = Client::start();
    let text = shaodong(&mut client);
    let mut answers = serde_json::Map::new();
    for (what, position) in [
        (
            "record kind in `per`",
            pos(&text, "per behind_schedule", 0, 4),
        ),
        ("level in a table", pos(&text, "central: 3", 0, 0)),
        ("level compared", pos(&text, "tier == central", 0, 9)),
        ("record attribute", pos(&text, "once per work", 0, 9)),
        (
            "unit attribute in a ranking key",
            pos(&text, "by indicators", 0, 4),
        ),
        ("group", pos(&text, "of lead [SD-3.2.1", 0, 3)),
        ("ranking in `ranked`", pos(&text, "in monthly", 0, 3)),
        ("rule declaration", pos(&text, "deduct behind", 0, 8)),
        ("clause id", pos(&text, "[SD-3.1.1①, SD-2.2", 0, 1)),
        ("assumption id", pos(&text, "SD-A5]", 0, 0)),
        ("keyword", pos(&text, "once per work", 0, 1)),
        ("built-in function", pos(&text, "overdue(", 0, 2)),
        ("discretion", pos(&text, "by discretion", 0, 4)),
        ("label: nothing", pos(&text, "\"指标未按序时进度\"", 0, 3)),
    ] {
        let hover = client.call("textDocument/hover", Client::at("shaodong.rules", position));
        let shown = if hover.is_null() {
            Value::Null
        } else {
            json!({ "over": covered(&text, &hover["range"]), "contents": hover["contents"]["value"] })
        };
        answers.insert(what.to_owned(), shown);
    }
    insta::assert_json_snapshot!(answers);
    client.shutdown();
}

#[test]
fn definition_and_references() {
    let mut client = Client::start();
    let text = shaodong(&mut client);
    let mut answers = serde_json::Map::new();
    for (what, position) in [
        ("record kind", pos(&text, "per media_report", 0, 4)),
        ("level", pos(&text, "tier == provincial", 0, 9)),
        ("record attribute", pos(&text, "tier: ", 0, 0)),
        ("group", pos(&text, "of lead", 0, 3)),
        ("clause id", pos(&text, "SD-A5", 1, 0)),
        ("ranking", pos(&text, "in monthly", 0, 3)),
    ] {
        let definition = client.call(
            "textDocument/definition",
            Client::at("shaodong.rules", position),
        );
        let mut params = Client::at("shaodong.rules", position);
        params["context"] = json!({ "includeDeclaration": true });
        let references = client.call("textDocument/references", params);
        answers.insert(
            what.to_owned(),
            json!({ "definition": places(&text, &definition), "references": places(&text, &references) }),
        );
    }
    insta::assert_json_snapshot!(answers);
    // Without the declaration.
    let mut params = Client::at("shaodong.rules", pos(&text, "per media_report", 0, 4));
    params["context"] = json!({ "includeDeclaration": false });
    let references = client.call("textDocument/references", params);
    assert!(places(&text, &references)
        .iter()
        .all(|p| !p.starts_with("124:")));
    // On nothing: null.
    let nothing = client.call(
        "textDocument/definition",
        Client::at("shaodong.rules", pos(&text, "base 100", 0, 1)),
    );
    assert_eq!(nothing, Value::Null);
    client.shutdown();
}

#[test]
fn rename_a_declared_name_and_refuse_the_rest() {
    let mut client = Client::start();
    let text = shaodong(&mut client);
    let position = pos(&text, "record media_report", 0, 8);
    let prepared = client.call(
        "textDocument/prepareRename",
        Client::at("shaodong.rules", position),
    );
    assert_eq!(prepared["placeholder"], "media_report");
    let mut params = Client::at("shaodong.rules", position);
    params["newName"] = json!("press_report");
    let edit = client.call("textDocument/rename", params);
    let edits = edit["changes"][uri("shaodong.rules")]
        .as_array()
        .unwrap()
        .clone();
    let renamed: Vec<String> = edits
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["range"]["start"]["line"],
                covered(&text, &e["range"])
            )
        })
        .collect();
    insta::assert_json_snapshot!(renamed);
    // Applying the edits gives a ruleset that still checks clean.
    let lines_index = kaohe_lsp::text::LineIndex::new(&text);
    let mut offsets: Vec<(usize, usize)> = edits
        .iter()
        .map(|e| {
            let p = |v: &Value| {
                lsp_types::Position::new(
                    v["line"].as_u64().unwrap() as u32,
                    v["character"].as_u64().unwrap() as u32,
                )
            };
            (
                lines_index.offset(&text, p(&e["range"]["start"])),
                lines_index.offset(&text, p(&e["range"]["end"])),
            )
        })
        .collect();
    offsets.sort();
    let mut renamed_text = text.clone();
    for (start, end) in offsets.into_iter().rev() {
        renamed_text.replace_range(start..end, "press_report");
    }
    let diagnostics = client.change("shaodong.rules", 2, &renamed_text);
    assert_eq!(diagnostics["diagnostics"], json!([]));
    assert!(!renamed_text.contains("media_report"));

    let mut refusals = serde_json::Map::new();
    for (what, position, new_name) in [
        (
            "keyword",
            pos(&renamed_text, "per press_report", 0, 1),
            "each",
        ),
        ("label", pos(&renamed_text, "\"正面媒体报道\"", 0, 3), "x"),
        ("clause id", pos(&renamed_text, "SD-A5]", 0, 0), "SD-A55"),
        (
            "reserved word",
            pos(&renamed_text, "per press_report", 0, 5),
            "where",
        ),
        (
            "not a name",
            pos(&renamed_text, "per press_report", 0, 5),
            "新闻",
        ),
        (
            "name taken",
            pos(&renamed_text, "per press_report", 0, 5),
            "instruction",
        ),
    ] {
        let mut params = Client::at("shaodong.rules", position);
        params["newName"] = json!(new_name);
        let response = client.request("textDocument/rename", params);
        let error = response.error.expect(what);
        assert_eq!(error.code, -32803);
        refusals.insert(what.to_owned(), json!(error.message));
    }
    insta::assert_json_snapshot!(refusals);
    client.shutdown();
}

#[test]
fn completion_in_context() {
    let mut client = Client::start();
    let text = shaodong(&mut client);
    let labels = |client: &mut Client, name: &str, position| -> Vec<String> {
        let items = client.call("textDocument/completion", Client::at(name, position));
        let mut labels: Vec<String> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect();
        labels.sort();
        labels
    };
    let mut answers = serde_json::Map::new();
    // Statements of a rule's block, on an empty line inside `deduct behind`.
    let inside_rule = text.replace(
        "      per behind_schedule\n",
        "      per behind_schedule\n      \n",
    );
    client.change("shaodong.rules", 2, &inside_rule);
    answers.insert(
        "statement of a rule".into(),
        json!(labels(
            &mut client,
            "shaodong.rules",
            pos(&inside_rule, "per behind_schedule\n      \n", 0, 26)
        )),
    );
    // After `per `: record kinds (the text is half-typed: the names are those of the last parse).
    let half = text.replace("      per behind_schedule\n", "      per \n");
    client.change("shaodong.rules", 3, &half);
    answers.insert(
        "after per".into(),
        json!(labels(
            &mut client,
            "shaodong.rules",
            pos(&half, "per \n", 0, 4)
        )),
    );
    // After `media_report.`: its attributes; after `unit.`: unit attributes.
    let dotted = text.replace("where adopted)", "where media_report.)");
    client.change("shaodong.rules", 4, &dotted);
    answers.insert(
        "after a record kind and a dot".into(),
        json!(labels(
            &mut client,
            "shaodong.rules",
            pos(&dotted, "media_report.)", 0, 13)
        )),
    );
    let unit = text.replace("where adopted)", "where unit.)");
    client.change("shaodong.rules", 5, &unit);
    answers.insert(
        "after unit and a dot".into(),
        json!(labels(
            &mut client,
            "shaodong.rules",
            pos(&unit, "unit.)", 0, 5)
        )),
    );
    // In an `amount by tier { … }` table: the levels of `tier`'s type.
    let table = text.replace(
        "{ central: 3, provincial: 2, city: 1, county: 0.5 }",
        "{ central: 3,  }",
    );
    client.change("shaodong.rules", 6, &table);
    answers.insert(
        "in a level table".into(),
        json!(labels(
            &mut client,
            "shaodong.rules",
            pos(&table, "central: 3,  }", 0, 13)
        )),
    );
    // Top level, after the last declaration.
    let end = format!("{text}\n");
    client.change("shaodong.rules", 7, &end);
    let lines = end.split('\n').count() as u32;
    answers.insert(
        "top level".into(),
        json!(labels(
            &mut client,
            "shaodong.rules",
            lsp_types::Position::new(lines - 1, 0)
        )),
    );
    insta::assert_json_snapshot!(answers);
    // In an expression: attributes of the record kind in scope, functions, built-ins.
    let expr = text.replace("      per report where late\n", "      per report where \n");
    client.change("shaodong.rules", 8, &expr);
    let in_expr = labels(
        &mut client,
        "shaodong.rules",
        pos(&expr, "per report where \n", 0, 17),
    );
    for expected in [
        "late",
        "submitted",
        "due",
        "overdue",
        "as_of",
        "count",
        "indicators",
        "central",
    ] {
        assert!(
            in_expr.contains(&expected.to_owned()),
            "{expected} in {in_expr:?}"
        );
    }
    // After `of` in a ranking's head: the groups; in `by rank r of`: the record's attributes.
    let ranking = text.replace(
        "ranking monthly \"月度排名\" of lead",
        "ranking monthly \"月度排名\" of ",
    );
    client.change("shaodong.rules", 9, &ranking);
    let needle = "\"月度排名\" of ";
    assert_eq!(
        labels(
            &mut client,
            "shaodong.rules",
            pos(&ranking, needle, 0, needle.len())
        ),
        ["lead", "township"]
    );
    let rank_table = text.replace("by rank rank of ranked {", "by rank rank of  {");
    client.change("shaodong.rules", 10, &rank_table);
    assert_eq!(
        labels(
            &mut client,
            "shaodong.rules",
            pos(&rank_table, "rank of  {", 0, 8)
        ),
        ["project", "rank", "ranked"]
    );
    // After `name:` in a record: the types.
    let typed = text.replace("  reason: text \"事由\"", "  reason: ");
    client.change("shaodong.rules", 11, &typed);
    let types = labels(&mut client, "shaodong.rules", pos(&typed, "reason: ", 0, 8));
    assert_eq!(
        types,
        [
            "bool",
            "date",
            "decimal",
            "integer",
            "leader",
            "media_tier",
            "report_type",
            "text"
        ]
    );
    // In a string or comment: nothing.
    let none = client.call(
        "textDocument/completion",
        Client::at("shaodong.rules", pos(&expr, "\"媒体级别\"", 0, 2)),
    );
    assert_eq!(none, Value::Null);
    client.shutdown();
}

#[test]
fn symbols_folding_and_formatting() {
    let mut client = Client::start();
    let text = shaodong(&mut client);
    let document = json!({ "textDocument": { "uri": uri("shaodong.rules") } });
    let symbols = client.call("textDocument/documentSymbol", document.clone());
    // The outline: name, kind and children's names, top level and the score's categories.
    let outline: Vec<String> = symbols
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] != 15)
        .map(|s| {
            let children: Vec<&str> = s["children"]
                .as_array()
                .map(|c| c.iter().map(|c| c["name"].as_str().unwrap()).collect())
                .unwrap_or_default();
            format!(
                "{} ({}) {}",
                s["name"].as_str().unwrap(),
                s["kind"],
                children.join(" ")
            )
        })
        .collect();
    insta::assert_json_snapshot!(outline);
    let folding = client.call("textDocument/foldingRange", document.clone());
    let folds: Vec<String> = folding
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}-{}{}",
                f["startLine"],
                f["endLine"],
                if f["kind"].is_null() {
                    String::new()
                } else {
                    format!(" {}", f["kind"].as_str().unwrap())
                }
            )
        })
        .collect();
    insta::assert_json_snapshot!(folds);
    // Formatting a formatted file changes nothing; an unformatted one gets `rulec fmt`'s text.
    let formatting = json!({ "textDocument": { "uri": uri("shaodong.rules") }, "options": { "tabSize": 2, "insertSpaces": true } });
    assert_eq!(
        client.call("textDocument/formatting", formatting.clone()),
        json!([])
    );
    let messy = text.replace("  base 100 [SD-3.0]", "base    100[SD-3.0]");
    client.change("shaodong.rules", 2, &messy);
    let edits = client.call("textDocument/formatting", formatting.clone());
    assert_eq!(edits[0]["newText"].as_str().unwrap(), text);
    assert_eq!(
        edits[0]["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );
    // A file with a syntax error: no edits.
    client.change("shaodong.rules", 3, "score {");
    assert_eq!(
        client.call("textDocument/formatting", formatting),
        Value::Null
    );
    client.shutdown();
}

#[test]
fn diagnostics_of_a_broken_ruleset_with_cjk_before_the_error() {
    let mut client = Client::start();
    // The unknown name comes after Chinese text on its line: its columns are UTF-16.
    let text = read(SHAODONG).replace(
        "deduct not_done \"布置工作不落实\" [SD-3.1.2①] {\n      per task_not_done",
        "deduct not_done \"布置工作不落实\" [SD-3.1.2①] {\n      per task_not_dnoe",
    );
    let text = text.replace(
        "record idle_project \"后续管理不到位致项目不能正常运行\" {",
        "record idle_project \"后续管理不到位致项目不能正常运行\" { oops",
    );
    let diagnostics = client.open("broken.rules", &text);
    insta::assert_json_snapshot!(diagnostics);
    let text = read(SHAODONG).replace("per task_not_done", "per task_not_dnoe").replace(
        "  category daily \"日常工作\" [SD-3.0] {",
        "  category daily \"日常工作\" [SD-3.0] { deduct x \"重复\" [SD-2.2] { per report amount 1 amount 2 }",
    );
    let diagnostics = client.change("broken.rules", 2, &text);
    let found: Vec<String> = diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{} {:?} related {} — {}",
                d["severity"],
                d["code"].as_str().unwrap(),
                d["range"]["start"]["line"],
                d["range"]["start"]["character"],
                covered(&text, &d["range"]),
                d["relatedInformation"]
                    .as_array()
                    .map(|r| places(
                        &text,
                        &json!(r.iter().map(|r| r["location"].clone()).collect::<Vec<_>>())
                    )
                    .join(", "))
                    .unwrap_or_default(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_json_snapshot!(found);
    client.shutdown();
}

#[test]
fn diagnostics_in_the_client_s_locale() {
    // A misspelt name (with help) and a duplicate rule (with a related label).
    let text = read(SHAODONG).replace("per task_not_done", "per task_not_dnoe").replace(
        "  category daily \"日常工作\" [SD-3.0] {",
        "  category daily \"日常工作\" [SD-3.0] { deduct x \"重复\" [SD-2.2] { per report amount 1 amount 2 }",
    );
    let mut english = Client::start();
    let en = english.open("broken.rules", &text);
    english.shutdown();
    // VS Code sends its display language as `locale`.
    let mut chinese = Client::start_with(
        json!({ "capabilities": {}, "processId": null, "rootUri": null, "locale": "zh-cn" }),
    );
    let zh = chinese.open("broken.rules", &text);
    chinese.shutdown();
    let en = en["diagnostics"].as_array().unwrap();
    let zh = zh["diagnostics"].as_array().unwrap();
    assert!(!zh.is_empty());
    assert_eq!(en.len(), zh.len());
    let chinese_char = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for (en, zh) in en.iter().zip(zh) {
        // The same code, range, severity and related places; other words.
        for key in ["code", "range", "severity", "source"] {
            assert_eq!(en[key], zh[key], "{key}");
        }
        let places = |d: &Value| -> Vec<Value> {
            d["relatedInformation"]
                .as_array()
                .map(|r| r.iter().map(|r| r["location"].clone()).collect())
                .unwrap_or_default()
        };
        assert_eq!(places(en), places(zh));
        let message = zh["message"].as_str().unwrap();
        assert_ne!(en["message"], zh["message"]);
        let first_line = message.lines().next().unwrap();
        assert!(chinese_char(first_line), "{message}");
        assert!(!message.contains("help:"), "{message}");
        if en["message"].as_str().unwrap().contains("\nhelp: ") {
            assert!(message.contains("\n提示: "), "{message}");
        }
        for related in zh["relatedInformation"].as_array().into_iter().flatten() {
            let label = related["message"].as_str().unwrap();
            assert!(chinese_char(label), "{label}");
        }
    }
    let messages: Vec<&str> = zh.iter().map(|d| d["message"].as_str().unwrap()).collect();
    insta::assert_json_snapshot!(messages);
    // A locale that is not Chinese is English.
    let mut other = Client::start_with(
        json!({ "capabilities": {}, "processId": null, "rootUri": null, "locale": "en-us" }),
    );
    let again = other.open("broken.rules", &text);
    other.shutdown();
    assert_eq!(again["diagnostics"].as_array().unwrap(), en);
}
