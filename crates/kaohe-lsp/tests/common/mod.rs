//! An LSP client for the tests: runs the server on an in-memory connection
//! (`lsp_server::Connection::memory()`) in a thread and speaks LSP to it.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

use kaohe_lsp::text::LineIndex;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::Position;
use serde_json::{json, Value};

/// How long the client waits for an answer before the test fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file of the workspace, as text.
pub fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace().join(relative)).expect(relative)
}

/// The URI the tests give a document.
pub fn uri(name: &str) -> String {
    format!("file:///work/{name}")
}

/// The LSP position of the `nth` (0-based) occurrence of `needle` in `text`,
/// plus `inside` bytes.
pub fn pos(text: &str, needle: &str, nth: usize, inside: usize) -> Position {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not in the text"))
        .0
        + inside;
    LineIndex::new(text).position(text, offset)
}

/// A client speaking to a server in a thread.
pub struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next_id: i32,
    /// Notifications received while waiting for answers.
    pub notifications: Vec<Notification>,
}

impl Client {
    /// Starts a server and initialises it.
    pub fn start() -> Client {
        Client::start_with(json!({ "capabilities": {}, "processId": null, "rootUri": null }))
    }

    /// Starts a server and initialises it with these `InitializeParams`
    /// (e.g. a `locale`).
    pub fn start_with(params: Value) -> Client {
        let (server, connection) = Connection::memory();
        let handle =
            std::thread::spawn(move || kaohe_lsp::serve(&server).map_err(|e| e.to_string()));
        let mut client = Client {
            connection,
            server: Some(handle),
            next_id: 0,
            notifications: Vec::new(),
        };
        let init = client.request("initialize", params);
        assert!(init.error.is_none(), "{init:?}");
        client.notify("initialized", json!({}));
        client
    }

    /// Sends a request and waits for its answer.
    pub fn request(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_owned(),
                params,
            )))
            .expect("send");
        loop {
            match self
                .connection
                .receiver
                .recv_timeout(PATIENCE)
                .expect("an answer")
            {
                Message::Response(response) if response.id == id => return response,
                Message::Notification(n) => self.notifications.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// Sends a request and returns its result (failing the test on an error).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.error.is_none(), "{method}: {:?}", response.error);
        response.result.unwrap_or(Value::Null)
    }

    /// Sends a notification.
    pub fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))
            .expect("send");
    }

    /// Waits for the next `textDocument/publishDiagnostics` and returns its params.
    pub fn diagnostics(&mut self) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n.method == "textDocument/publishDiagnostics")
        {
            return self.notifications.remove(i).params;
        }
        match self
            .connection
            .receiver
            .recv_timeout(PATIENCE)
            .expect("diagnostics")
        {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => n.params,
            other => panic!("unexpected {other:?}"),
        }
    }

    /// Opens a document and returns its diagnostics.
    pub fn open(&mut self, name: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(name), "languageId": "kaohe", "version": 1, "text": text } }),
        );
        self.diagnostics()
    }

    /// Replaces a document's text and returns its diagnostics.
    pub fn change(&mut self, name: &str, version: i32, text: &str) -> Value {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri(name), "version": version },
                    "contentChanges": [{ "text": text }] }),
        );
        self.diagnostics()
    }

    /// `{textDocument, position}` parameters.
    pub fn at(name: &str, position: Position) -> Value {
        json!({ "textDocument": { "uri": uri(name) }, "position": position })
    }

    /// Shuts the server down and checks that it ended cleanly.
    pub fn shutdown(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert!(response.error.is_none());
        self.notify("exit", Value::Null);
        let handle = self.server.take().expect("server");
        assert_eq!(
            handle.join().expect("the server thread did not panic"),
            Ok(())
        );
    }
}
