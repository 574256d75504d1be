//! The server never stops on any text: the parser robustness corpus (the
//! invalid-ruleset corpus `tests/check/`, the construct rulesets, the shipped
//! rulesets, the fuzz corpus and regressions when present, pathological
//! inputs) and every half-typed prefix of the shipped rulesets are replayed
//! through it, with every feature asked at many points of each text. And
//! its diagnostics are exactly those of `rulec check` (the library's
//! `kaohe::check`), code, message, severity and place.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use common::{read, uri, workspace, Client};
use kaohe_lsp::text::LineIndex;
use serde_json::{json, Value};

/// Every `.rules` file under the folders of the corpus, and every file of
/// the fuzz corpus and regressions of the ruleset targets when present.
fn corpus() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let root = workspace();
    let mut folders = vec![
        root.join("tests/check"),
        root.join("tests/check/base"),
        root.join("rulesets"),
    ];
    for parent in ["tests/constructs", "rulesets"] {
        for entry in std::fs::read_dir(root.join(parent)).unwrap() {
            folders.push(entry.unwrap().path());
        }
    }
    for target in ["check_ruleset", "format_roundtrip"] {
        folders.push(root.join("fuzz/corpus").join(target));
        folders.push(root.join("fuzz/regressions").join(target));
    }
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            let fuzz = folder.starts_with(root.join("fuzz"));
            if !fuzz && path.extension().is_none_or(|e| e != "rules") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            files.push((
                display(&root, &path),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    files
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Asks every feature at `points` byte offsets of the open document `name`;
/// each answer is a result or an error, and the server keeps answering.
fn ask_everything(client: &mut Client, name: &str, text: &str, points: usize) {
    let lines = LineIndex::new(text);
    let document = json!({ "textDocument": { "uri": uri(name) } });
    for method in ["textDocument/documentSymbol", "textDocument/foldingRange"] {
        client.call(method, document.clone());
    }
    let mut formatting = document.clone();
    formatting["options"] = json!({ "tabSize": 2, "insertSpaces": true });
    client.call("textDocument/formatting", formatting);
    let step = (text.len() / points.max(1)).max(1);
    for offset in (0..=text.len()).step_by(step) {
        let at = Client::at(name, lines.position(text, offset));
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
        ] {
            client.call(method, at.clone());
        }
        let mut references = at.clone();
        references["context"] = json!({ "includeDeclaration": true });
        client.call("textDocument/references", references);
        // Rename answers a workspace edit or refuses; both are fine.
        let mut rename = at.clone();
        rename["newName"] = json!("renamed");
        client.request("textDocument/rename", rename);
        client.request("textDocument/prepareRename", at);
    }
}

#[test]
fn the_robustness_corpus_through_the_server() {
    let mut client = Client::start();
    let files = corpus();
    assert!(files.len() > 70, "the corpus is there: {}", files.len());
    for (i, (name, text)) in files.iter().enumerate() {
        let document = format!("corpus{i}.rules");
        client.open(&document, text);
        ask_everything(&mut client, &document, text, 20);
        let _ = name;
    }
    client.shutdown();
}

#[test]
fn pathological_texts_through_the_server() {
    let mut client = Client::start();
    let texts = [
        String::new(),
        "\u{feff}".to_owned(),
        "\"".to_owned(),
        "score { category c { deduct d { amount \"unclosed".to_owned(),
        "(".repeat(100_000),
        format!("score {}{}", "{".repeat(50_000), "}".repeat(50_000)),
        format!("score {{ category c {{ deduct d [X] {{ amount {} }} }} }}", vec!["1"; 20_000].join(" + ")),
        format!("score {{ category c {{ deduct d [X] {{ amount {}1 }} }} }}", "not ".repeat(20_000)),
        "record r { a: integer } score { category c { deduct d { per r where r.".to_owned(),
        "　，：（）、；".to_owned(),
        "\0\u{1}\u{7f}\u{10ffff}𝄞".to_owned(),
        "clause [] \"\"\nassumption [X-A1] \"\\\"".to_owned(),
        "levels l { a b } record r { x: l } score { category c { deduct d { per r amount by x { a: 1, b: } } } }".to_owned(),
    ];
    for (i, text) in texts.iter().enumerate() {
        let name = format!("weird{i}.rules");
        client.open(&name, text);
        ask_everything(&mut client, &name, text, 12);
    }
    client.shutdown();
}

#[test]
fn every_half_typed_prefix_of_the_shipped_rulesets() {
    let mut client = Client::start();
    for ruleset in [
        "rulesets/shaodong-2023/shaodong-2023.rules",
        "rulesets/example-county/example-county.rules",
    ] {
        let text = read(ruleset);
        client.open("typing.rules", "");
        let mut version = 1;
        // Every 97th byte (on a character boundary), as if typed up to there.
        let cuts: Vec<usize> = (0..text.len())
            .step_by(97)
            .filter(|c| text.is_char_boundary(*c))
            .collect();
        for cut in cuts {
            version += 1;
            let prefix = &text[..cut];
            client.change("typing.rules", version, prefix);
            let lines = LineIndex::new(prefix);
            let end = Client::at("typing.rules", lines.position(prefix, prefix.len()));
            client.call("textDocument/completion", end.clone());
            client.call("textDocument/hover", end);
        }
        // And with one character left out, every 211th.
        for cut in (0..text.len())
            .step_by(211)
            .filter(|c| text.is_char_boundary(*c))
        {
            let mut broken = text.clone();
            if let Some(c) = broken[cut..].chars().next() {
                broken.replace_range(cut..cut + c.len_utf8(), "");
            }
            version += 1;
            client.change("typing.rules", version, &broken);
            ask_everything(&mut client, "typing.rules", &broken, 3);
        }
    }
    client.shutdown();
}

#[test]
fn bad_messages_are_answered_not_fatal() {
    let mut client = Client::start();
    // A request with parameters of the wrong shape: an error answer.
    let response = client.request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(response.error.unwrap().code, -32602);
    // A method the server does not know: an error answer.
    let response = client.request("textDocument/codeLens", json!({}));
    assert_eq!(response.error.unwrap().code, -32601);
    // A notification it cannot read, or does not know: ignored.
    client.notify("textDocument/didOpen", json!({ "textDocument": 5 }));
    client.notify("$/cancelRequest", json!({ "id": 1 }));
    // A document that is not open: no answer, not an error.
    let at = Client::at("never-opened.rules", lsp_types::Position::new(0, 0));
    assert_eq!(client.call("textDocument/hover", at), Value::Null);
    // A position far past the end of the text.
    client.open("short.rules", "score {");
    let far = Client::at("short.rules", lsp_types::Position::new(9_999, 9_999));
    client.call("textDocument/completion", far.clone());
    client.call("textDocument/hover", far);
    // An incremental change whose range lies past the end.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri("short.rules"), "version": 2 },
                "contentChanges": [{ "range": { "start": { "line": 50, "character": 3 }, "end": { "line": 2, "character": 0 } }, "text": "}" }] }),
    );
    let diagnostics = client.diagnostics();
    assert_eq!(diagnostics["version"], 2);
    // Closing clears the document's diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri("short.rules") } }),
    );
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    client.shutdown();
}

#[test]
fn diagnostics_are_exactly_those_of_rulec_check() {
    let mut client = Client::start();
    let files = corpus();
    let mut compared = 0;
    for (i, (name, text)) in files.iter().enumerate() {
        let document = format!("check{i}.rules");
        let published = client.open(&document, text);
        let source = kaohe::SourceFile::new(name.as_str(), text.as_str());
        let expected: Vec<Value> = kaohe::check(&source)
            .diagnostics
            .iter()
            .map(|d| {
                let r = d.record(&source);
                // The library's columns count characters from 1; LSP's count
                // UTF-16 units from 0.
                let line_text = text.split('\n').nth(r.start.line - 1).unwrap_or("");
                let column: usize = line_text
                    .chars()
                    .take(r.start.column - 1)
                    .map(char::len_utf16)
                    .sum();
                json!([
                    r.code,
                    if r.severity == kaohe::Severity::Error {
                        1
                    } else {
                        2
                    },
                    r.start.line - 1,
                    column,
                    r.message
                ])
            })
            .collect();
        let got: Vec<Value> = published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let message = d["message"]
                    .as_str()
                    .unwrap()
                    .split('\n')
                    .next()
                    .unwrap()
                    .to_owned();
                json!([
                    d["code"],
                    d["severity"],
                    d["range"]["start"]["line"],
                    d["range"]["start"]["character"],
                    message
                ])
            })
            .collect();
        assert_eq!(got, expected, "{name}");
        compared += expected.len();
    }
    assert!(compared > 60, "diagnostics compared: {compared}");
    client.shutdown();
}
