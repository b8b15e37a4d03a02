//! Errors at the HTTP edge, and the error policy of the crate.
//!
//! The policy:
//!
//! - every boundary has its own error type (thiserror): [`crate::store::StoreError`] for
//!   the data directory and the Oxigraph stores, [`crate::ingest::IngestError`] for RDF
//!   files, [`crate::shacl::ShaclError`] for validation; `anyhow` appears only in
//!   `main.rs` and the command-line layer (`cli/`);
//! - handlers return `Result<_, AppError>`; an [`AppError`] maps to one HTTP status in one
//!   `match`, with a message a client can act on;
//! - server errors (5xx) are logged with their details here and answered with a generic
//!   message, so nothing internal leaks;
//! - no `unwrap`/`expect` on a request path (clippy denies them outside tests).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error answered to an HTTP client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The request is malformed (400).
    #[error("{0}")]
    BadRequest(String),
    /// Nothing is there (404).
    #[error("{0}")]
    NotFound(String),
    /// The service is overloaded or not ready (503).
    #[error("{0}")]
    Unavailable(String),
    /// Something failed on our side (500); the details are logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Internal(format!("blocking task failed: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = if status.is_server_error() {
            tracing::error!(status = status.as_u16(), error = %self, "request failed");
            match self {
                Self::Internal(_) => {
                    "internal server error (details are in the server log)\n".to_owned()
                }
                other => format!("{other}\n"),
            }
        } else {
            format!("{self}\n")
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        )
            .into_response()
    }
}
