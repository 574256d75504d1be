//! The language server for `.rules` files (issue 16 §1), spoken over stdio by
//! `rulec lsp`.
//!
//! Built on `lsp-server` (the transport and message loop of rust-analyzer) and
//! `lsp-types`. Every answer is computed by the `kaohe` library: diagnostics
//! are exactly those of `rulec check`, formatting is `rulec fmt`. What the
//! server offers (docs/editor.md, "The language server"):
//!
//! - diagnostics when a document is opened or changed (full-text sync),
//! - hover, go to definition, find references and rename for declared names
//!   and clause/assumption ids ([`index`]),
//! - completion of keywords in context, declared names, attributes after
//!   `kind.` / `unit.`, and levels in `amount by` tables,
//! - the outline (document symbols), folding ranges and formatting.
//!
//! Nothing the client sends can stop the server other than `shutdown`/`exit`
//! or the end of its input: a request it cannot read is answered with an
//! error, a notification it cannot read is ignored, and every feature works on
//! any text (a file that does not parse still gets its syntax error, folding
//! and completion; what needs the syntax tree answers nothing).
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod complete;
mod diagnostics;
mod features;
pub mod index;
mod keywords;
mod messages;
mod state;
pub mod text;

use kaohe::i18n::Lang;
use lsp_server::{Connection, Message};
use lsp_types::{
    CompletionOptions, FoldingRangeProviderCapability, HoverProviderCapability, OneOf,
    RenameOptions, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    WorkDoneProgressOptions,
};

pub use state::State;

/// Why the server stopped other than by `shutdown` and `exit`.
pub type ServeError = Box<dyn std::error::Error + Send + Sync>;

/// What the server can do, as announced in its `initialize` answer.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_owned()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        ..ServerCapabilities::default()
    }
}

/// Runs the server over standard input and output until the client sends
/// `shutdown` and `exit`, or closes the input.
///
/// # Errors
///
/// When the client breaks the protocol during initialisation or shutdown, or
/// the transport fails (standard input or output closed while writing).
pub fn run_stdio() -> Result<(), ServeError> {
    run_stdio_in(Lang::En)
}

/// [`run_stdio`], the diagnostics in `fallback` when the client sends no
/// `locale` (see [`serve_in`]).
///
/// # Errors
///
/// As [`run_stdio`].
pub fn run_stdio_in(fallback: Lang) -> Result<(), ServeError> {
    let (connection, io_threads) = Connection::stdio();
    serve_in(&connection, fallback)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// Runs the server on a connection (stdio, or `Connection::memory()` in
/// tests): the `initialize` handshake, then every message until `shutdown`
/// and `exit`, or until the other side hangs up.
///
/// # Errors
///
/// When the client breaks the protocol during initialisation or shutdown, or
/// the other side of the connection is gone while the server answers.
pub fn serve(connection: &Connection) -> Result<(), ServeError> {
    serve_in(connection, Lang::En)
}

/// [`serve`], the diagnostics in the language of the client's
/// `InitializeParams.locale` (`zh-cn` → Chinese, any other → English), else
/// in `fallback` (issue 16 §3).
///
/// # Errors
///
/// As [`serve`].
pub fn serve_in(connection: &Connection, fallback: Lang) -> Result<(), ServeError> {
    let capabilities = serde_json::to_value(capabilities())?;
    let (id, params) = connection.initialize_start()?;
    let locale = params.get("locale").and_then(serde_json::Value::as_str);
    let lang = messages::Speech::lang_of(locale, fallback);
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": { "name": "rulec lsp", "version": env!("CARGO_PKG_VERSION") },
        }),
    )?;
    let mut state = State::new(lang);
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                connection
                    .sender
                    .send(Message::Response(state.request(request)))?;
            }
            Message::Notification(notification) => {
                if notification.method == "exit" {
                    return Ok(());
                }
                for out in state.notify(notification) {
                    connection.sender.send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}
