//! The open documents and the dispatch of requests and notifications to the
//! features.

use std::collections::HashMap;

use kaohe::SourceFile;
use lsp_server::{ErrorCode, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, FoldingRangeRequest, Formatting, GotoDefinition,
    HoverRequest, PrepareRenameRequest, References, Rename, Request as _,
};
use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    PublishDiagnosticsParams, Uri,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::features;
use crate::index::Index;
use crate::messages::Speech;
use crate::text::LineIndex;
use kaohe::i18n::Lang;

/// One open document and what was computed from its text.
#[derive(Debug, Clone)]
pub struct Document {
    /// The text as the editor holds it.
    pub text: String,
    /// Its lines, for positions.
    pub lines: LineIndex,
    /// The symbol table of this text, when it parses.
    pub index: Option<Index>,
    /// The symbol table of the last text of this document that parsed: the
    /// names completion offers while the text is half-typed.
    pub names: Index,
    /// The LSP form of the checker's diagnostics of this text.
    pub diagnostics: Vec<lsp_types::Diagnostic>,
}

impl Document {
    /// Checks `text` (the document at `uri`), keeping `names` from an earlier
    /// text when this one does not parse.
    fn new(uri: &Uri, text: String, names: Option<Index>, speech: &Speech) -> Document {
        let source = SourceFile::new(uri.as_str(), text.as_str());
        let checked = kaohe::check(&source);
        let lines = LineIndex::new(&text);
        let index = checked.file.as_ref().map(Index::new);
        let diagnostics =
            crate::diagnostics::to_lsp(uri, &source, &lines, &checked.diagnostics, speech);
        let names = index.clone().or(names).unwrap_or_default();
        Document {
            text,
            lines,
            index,
            names,
            diagnostics,
        }
    }
}

/// The server's state: the open documents by URI, and the language of the
/// diagnostics (English by default).
#[derive(Debug, Default)]
pub struct State {
    documents: HashMap<String, Document>,
    speech: Speech,
}

/// A request's failure, sent back as an LSP error.
pub struct Failure {
    /// The LSP error code.
    pub code: i32,
    /// What went wrong, for the user.
    pub message: String,
}

impl Failure {
    /// A request the server refuses (e.g. renaming a keyword): LSP `RequestFailed`.
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure {
            code: -32803,
            message: message.into(),
        }
    }
}

impl State {
    /// A state with no document, its diagnostics in `lang`.
    pub fn new(lang: Lang) -> State {
        State {
            documents: HashMap::new(),
            speech: Speech::new(lang),
        }
    }

    /// The open document at `uri`.
    pub fn document(&self, uri: &Uri) -> Option<&Document> {
        self.documents.get(uri.as_str())
    }

    /// The answer to a request.
    pub fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match request.method.as_str() {
            HoverRequest::METHOD => self.answer(id, request, features::hover),
            GotoDefinition::METHOD => self.answer(id, request, features::definition),
            References::METHOD => self.answer(id, request, features::references),
            Completion::METHOD => self.answer(id, request, crate::complete::completion),
            Rename::METHOD => self.answer(id, request, features::rename),
            PrepareRenameRequest::METHOD => self.answer(id, request, features::prepare_rename),
            Formatting::METHOD => self.answer(id, request, features::formatting),
            DocumentSymbolRequest::METHOD => self.answer(id, request, features::symbols),
            FoldingRangeRequest::METHOD => self.answer(id, request, features::folding),
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("`{}` is not supported by `rulec lsp`", request.method),
            ),
        }
    }

    fn answer<P: DeserializeOwned, R: Serialize>(
        &self,
        id: RequestId,
        request: Request,
        feature: impl Fn(&State, P) -> Result<R, Failure>,
    ) -> Response {
        let params = match serde_json::from_value::<P>(request.params) {
            Ok(params) => params,
            Err(error) => {
                return Response::new_err(
                    id,
                    ErrorCode::InvalidParams as i32,
                    format!("invalid parameters of `{}`: {error}", request.method),
                )
            }
        };
        match feature(self, params) {
            Ok(result) => match serde_json::to_value(result) {
                Ok(value) => Response {
                    id,
                    result: Some(value),
                    error: None,
                },
                Err(error) => Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("cannot write the answer: {error}"),
                ),
            },
            Err(failure) => Response::new_err(id, failure.code, failure.message),
        }
    }

    /// Handles a notification; returns the notifications to send back
    /// (diagnostics). One that cannot be read is ignored.
    pub fn notify(&mut self, notification: Notification) -> Vec<Notification> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<DidOpenTextDocumentParams>(notification.params)
                else {
                    return Vec::new();
                };
                let doc = params.text_document;
                self.update(doc.uri, doc.text, Some(doc.version))
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<DidChangeTextDocumentParams>(notification.params)
                else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                let mut text = self
                    .document(&uri)
                    .map(|d| d.text.clone())
                    .unwrap_or_default();
                for change in params.content_changes {
                    match change.range {
                        None => text = change.text,
                        Some(range) => {
                            let lines = LineIndex::new(&text);
                            let start = lines.offset(&text, range.start);
                            let end = lines.offset(&text, range.end).max(start);
                            text.replace_range(start..end, &change.text);
                        }
                    }
                }
                self.update(uri, text, Some(params.text_document.version))
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<DidCloseTextDocumentParams>(notification.params)
                else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                self.documents.remove(uri.as_str());
                vec![publish(uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    fn update(&mut self, uri: Uri, text: String, version: Option<i32>) -> Vec<Notification> {
        let names = self.documents.remove(uri.as_str()).map(|d| d.names);
        let document = Document::new(&uri, text, names, &self.speech);
        let diagnostics = document.diagnostics.clone();
        self.documents.insert(uri.as_str().to_owned(), document);
        vec![publish(uri, diagnostics, version)]
    }
}

fn publish(
    uri: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Notification {
    Notification::new(
        PublishDiagnostics::METHOD.to_owned(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
}
