//! Who may write: a bearer token compared in constant time.
//!
//! No token configured means writes are off (403, saying how to turn them on); a missing
//! or wrong token is 401 with `WWW-Authenticate: Bearer`.

use super::AppState;
use crate::error::AppError;
use axum::http::{header, HeaderMap};
use subtle::ConstantTimeEq;

/// Checks that the request carries the write token.
pub fn authorize_write(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(expected) = state.config.write_token.as_deref() else {
        return Err(AppError::Forbidden(
            "writes are switched off on this endpoint: start the server with --write-token or --write-token-file to allow them".into(),
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match given {
        None => Err(AppError::Unauthorized(
            "this write needs an Authorization: Bearer <token> header".into(),
        )),
        Some(token) if bool::from(token.as_bytes().ct_eq(expected.as_bytes())) => Ok(()),
        Some(_) => Err(AppError::Unauthorized(
            "the bearer token is not valid".into(),
        )),
    }
}
