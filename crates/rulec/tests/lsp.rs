//! `rulec lsp` over real standard input and output: the built binary is
//! started, spoken to in LSP's framing (`Content-Length` headers), and must
//! publish the diagnostics of a broken ruleset and of its fix, answer hover,
//! definition, completion, rename and formatting, and end with exit code 0
//! after `shutdown` and `exit`. (The features themselves are
//! tested in `crates/kaohe-lsp/tests/` on an in-memory connection.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

fn send(stdin: &mut impl Write, message: &Value) {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

fn receive(stdout: &mut impl BufRead) -> Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the server closed its output"
        );
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    stdout.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[test]
fn rulec_lsp_speaks_lsp_over_stdio() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(["lsp", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rulec lsp");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());

    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }),
    );
    let init = receive(&mut stdout);
    assert_eq!(init["id"], 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "rulec lsp");
    assert_eq!(init["result"]["capabilities"]["textDocumentSync"], 1);
    assert_eq!(init["result"]["capabilities"]["hoverProvider"], true);
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    );

    // A broken ruleset: the unknown record kind after Chinese text on its line.
    let text = "group lead \"牵头单位\" {}\nrecord late \"迟报\" {}\nscore { category c \"日常\" { deduct d \"迟报\" [X-1] { per lat amount 2 } } }\n";
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": { "textDocument": { "uri": "file:///tmp/broken.rules", "languageId": "kaohe", "version": 1, "text": text } } }),
    );
    let published = receive(&mut stdout);
    assert_eq!(published["method"], "textDocument/publishDiagnostics");
    let unknown = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "kaohe::unknown_name")
        .expect("the unknown name is reported");
    // `score { category c "日常" { deduct d "迟报" { per ` is 52 UTF-16 units (60 bytes).
    assert_eq!(
        unknown["range"]["start"],
        json!({ "line": 2, "character": 52 })
    );
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `late`?"));

    // Hover over the keyword `per`.
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
        "params": { "textDocument": { "uri": "file:///tmp/broken.rules" }, "position": { "line": 2, "character": 49 } } }),
    );
    let hover = receive(&mut stdout);
    assert_eq!(hover["id"], 2);
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("keyword `per`"));

    // Fix the name: the unknown name is gone.
    let fixed = text.replace("per lat ", "per late ");
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": { "textDocument": { "uri": "file:///tmp/broken.rules", "version": 2 },
                    "contentChanges": [{ "text": fixed }] } }),
    );
    let published = receive(&mut stdout);
    assert_eq!(published["params"]["version"], 2);
    assert!(published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["code"] != "kaohe::unknown_name"));
    let at = |line: u32, character: u32| json!({ "textDocument": { "uri": "file:///tmp/broken.rules" }, "position": { "line": line, "character": character } });

    // Definition of `late` in `per late`: the record's declaration on line 1.
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 4, "method": "textDocument/definition", "params": at(2, 53) }),
    );
    let definition = receive(&mut stdout);
    assert_eq!(
        definition["result"][0]["range"]["start"],
        json!({ "line": 1, "character": 7 })
    );

    // Completion after `per `: the record kinds.
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 5, "method": "textDocument/completion", "params": at(2, 52) }),
    );
    let completion = receive(&mut stdout);
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["late"]);

    // Rename `late` to `late_report`: the declaration and the use.
    let mut rename = at(1, 8);
    rename["newName"] = json!("late_report");
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 6, "method": "textDocument/rename", "params": rename }),
    );
    let rename = receive(&mut stdout);
    assert_eq!(
        rename["result"]["changes"]["file:///tmp/broken.rules"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Formatting: `rulec fmt`'s layout, one edit of the whole text.
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 7, "method": "textDocument/formatting",
        "params": { "textDocument": { "uri": "file:///tmp/broken.rules" }, "options": { "tabSize": 2, "insertSpaces": true } } }),
    );
    let formatting = receive(&mut stdout);
    let formatted = formatting["result"][0]["newText"].as_str().unwrap();
    assert!(
        formatted
            .contains("\n  category c \"日常\" {\n    deduct d \"迟报\" [X-1] {\n      per late\n"),
        "{formatted}"
    );

    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 3, "method": "shutdown" }),
    );
    assert_eq!(receive(&mut stdout)["id"], 3);
    send(&mut stdin, &json!({ "jsonrpc": "2.0", "method": "exit" }));
    drop(stdin);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
}
