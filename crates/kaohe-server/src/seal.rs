//! Sealed periods (issue 17 §2): replaced by the `seal` work; until then no routes.

use axum::Router;

use crate::state::AppState;

/// The seal's routes (none yet).
pub fn routes() -> Router<AppState> {
    Router::new()
}
