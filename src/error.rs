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

use crate::conneg::NotAcceptable;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error answered to an HTTP client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The request is malformed (400).
    #[error("{0}")]
    BadRequest(String),
    /// No or a wrong bearer token on a write (401, with `WWW-Authenticate`).
    #[error("{0}")]
    Unauthorized(String),
    /// The operation is not allowed here (403): writes switched off, a `SERVICE` or
    /// `LOAD` target that is not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// Nothing is there (404).
    #[error("{0}")]
    NotFound(String),
    /// The method is not allowed on this route (405, with `Allow`).
    #[error("{message}")]
    MethodNotAllowed {
        /// The methods that are.
        allow: &'static str,
        /// What to do instead.
        message: String,
    },
    /// No acceptable representation (406); the message names the acceptable types.
    #[error(transparent)]
    NotAcceptable(#[from] NotAcceptable),
    /// The body is larger than `--max-body-bytes` (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body's media type is not one this route reads (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Every query slot is taken (503, with `Retry-After`).
    #[error("{0}")]
    Overloaded(String),
    /// The operation ran past its timeout and was cancelled (503).
    #[error("{0}")]
    Timeout(String),
    /// The service is not ready (503).
    #[error("{0}")]
    Unavailable(String),
    /// A well-formed SPARQL operation that could not be carried out (500, with the
    /// reason: the SPARQL Protocol answers failed execution with 500, not 400).
    #[error("{0}")]
    ExecutionFailed(String),
    /// Something failed on our side (500); the details are logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Overloaded(_) | Self::Timeout(_) | Self::Unavailable(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Internal(_) | Self::ExecutionFailed(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<crate::sparql::SparqlError> for AppError {
    fn from(e: crate::sparql::SparqlError) -> Self {
        use crate::sparql::SparqlError as S;
        match e {
            e @ S::Syntax(_) => Self::BadRequest(e.to_string()),
            S::BadRequest(m) => Self::BadRequest(m),
            S::Forbidden(m) => Self::Forbidden(m),
            S::Execution(m) => Self::ExecutionFailed(m),
            S::NotAcceptable(n) => Self::NotAcceptable(n),
            e @ S::Timeout(_) => Self::Timeout(e.to_string()),
            S::Store(e) => e.into(),
        }
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
                ref other => format!("{other}\n"),
            }
        } else {
            format!("{self}\n")
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        )
            .into_response();
        let headers = response.headers_mut();
        match &self {
            Self::Unauthorized(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"chariot-kg\""),
                );
            }
            Self::MethodNotAllowed { allow, .. } => {
                headers.insert(header::ALLOW, HeaderValue::from_static(allow));
            }
            Self::Overloaded(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}
