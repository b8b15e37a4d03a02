//! The HTTP application: [`app`] builds the router from the shared [`AppState`].
//!
//! Each resource has its own controller module; this one only wires them together and
//! adds the layers (request tracing). Store calls are blocking and run through
//! [`blocking`], off the async threads.

mod health;

use crate::error::AppError;
use crate::store::Kg;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

/// What every handler shares: cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The knowledge graph.
    pub kg: Arc<Kg>,
}

impl AppState {
    /// State over an open knowledge graph.
    pub fn new(kg: Arc<Kg>) -> Self {
        Self { kg }
    }
}

/// The service's router.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::get_health))
        .with_state(state)
        .layer(TraceLayer::new_for_http())
}

/// Runs blocking store work on the blocking thread pool.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f).await?
}
