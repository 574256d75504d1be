//! kaohe as an HTTP service (issue 17): the JSON contract of `kaohe::api`
//! over HTTP, the workbench page, and sealed periods kept in `kaohe-store`.
//!
//! - [`router`] builds the whole service as an [`axum::Router`] from an
//!   [`AppState`]; tests call it with `tower::ServiceExt::oneshot`, without a
//!   socket.
//! - [`Server::bind`] and [`Server::run`] (or [`serve`]) listen on an address
//!   and serve until a shutdown signal (Ctrl-C for `rulec serve`).
//!
//! The endpoints, their bodies, limits and error codes are described in
//! `docs/service.md`; `GET /openapi.json` is generated from this code
//! ([`openapi::openapi`]). The library prints nothing and installs no
//! `tracing` subscriber: requests are logged through `tracing`, and the
//! binary (`rulec serve`) decides where that goes.
//!
//! ```
//! # async fn run() -> Result<(), kaohe_server::ServeError> {
//! let config = kaohe_server::Config::new("rulesets");
//! let server = kaohe_server::Server::bind(config).await?;
//! let address = server.local_addr(); // e.g. 127.0.0.1:8080
//! server.run(async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```
#![warn(missing_docs)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod config;
pub mod error;
pub mod evaluate;
pub mod extract;
pub mod openapi;
pub mod page;
pub mod routes;
pub mod seal;
pub mod state;
pub mod upload;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;

pub use config::{Config, Limits};
pub use error::HttpError;
pub use extract::Lang;
pub use state::{AppState, LoadedRuleset, Rulesets, Token};

/// The whole service: the API under `/v1`, `/openapi.json`, `/healthz`, and
/// what the `page` and `seal` modules add; unknown paths and methods answer
/// with a JSON error (`kaohe::http::not_found`, `kaohe::http::method_not_allowed`).
pub fn router(state: AppState) -> Router {
    routes::api()
        .merge(seal::routes())
        .merge(page::routes())
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            extract::language,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.limits.body_bytes,
        ))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(
                    tower_http::trace::DefaultMakeSpan::new().level(tracing::Level::INFO),
                )
                .on_response(
                    tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                ),
        )
        .with_state(state)
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The rulesets directory cannot be read.
    #[error("cannot read the rulesets directory `{path}`: {source}")]
    Rulesets {
        /// The directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The token file cannot be read, or is empty.
    #[error("cannot use the token file `{path}`: {reason}")]
    Token {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The address cannot be bound.
    #[error("cannot listen on `{addr}`: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// A service bound to its address, not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: tokio::net::TcpListener,
    address: SocketAddr,
    state: AppState,
}

impl Server {
    /// Loads and compiles the rulesets of `config.rulesets`, reads the token
    /// file if any, and binds `config.addr` (port 0: any free port).
    pub async fn bind(config: Config) -> Result<Server, ServeError> {
        let state = AppState::load(&config)?;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.addr,
                source,
            })?;
        let address = listener.local_addr()?;
        Ok(Server {
            listener,
            address,
            state,
        })
    }

    /// The address it listens on (with the port chosen when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The state the service answers from (the rulesets loaded, their errors).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then stops accepting connections
    /// and lets the requests under way finish (graceful shutdown).
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        axum::serve(self.listener, router(self.state))
            .with_graceful_shutdown(shutdown)
            .await?;
        Ok(())
    }
}

/// Binds `config.addr` and serves until Ctrl-C.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    Server::bind(config)
        .await?
        .run(async {
            // A failure to install the handler means no Ctrl-C: serve on.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
}
