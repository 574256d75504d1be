//! The workbench page (issue 17 §3): replaced by the `page` work; until then no routes.

use axum::Router;

use crate::state::AppState;

/// The page's routes (none yet).
pub fn routes() -> Router<AppState> {
    Router::new()
}
