//! Errors of SPARQL evaluation, each mapped to the HTTP status a client should see.

use crate::conneg::NotAcceptable;
use crate::store::StoreError;
use std::time::Duration;

/// What can go wrong running a SPARQL operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SparqlError {
    /// The query or update does not parse; the message has the position.
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    /// The request is not a valid SPARQL operation for this endpoint.
    #[error("{0}")]
    BadRequest(String),
    /// A well-formed operation that could not be carried out (a `DROP` of a graph that
    /// does not exist, a `LOAD` whose source cannot be fetched).
    #[error("{0}")]
    Execution(String),
    /// A `SERVICE` or `LOAD` target that is not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// No acceptable result format.
    #[error(transparent)]
    NotAcceptable(#[from] NotAcceptable),
    /// The operation ran past `--query-timeout` and was cancelled.
    #[error("the query ran longer than the {0:?} timeout (--query-timeout) and was cancelled")]
    Timeout(Duration),
    /// Evaluation failed on our side.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<oxigraph::sparql::QueryEvaluationError> for SparqlError {
    fn from(e: oxigraph::sparql::QueryEvaluationError) -> Self {
        use oxigraph::sparql::QueryEvaluationError as E;
        match e {
            E::Service(inner) if inner.is::<ServiceNotAllowed>() => {
                Self::Forbidden(inner.to_string())
            }
            // An allowed endpoint that failed: the query could not be carried out.
            E::Service(inner) => Self::Execution(format!("SERVICE call failed: {inner}")),
            e @ (E::UnsupportedCustomFunction(_)
            | E::UnsupportedCustomFunctionArity { .. }
            | E::UnboundService
            | E::InvalidServiceName(_)
            | E::UnsupportedService(_)
            | E::NotExistingSubstitutedVariable(_)) => Self::Execution(e.to_string()),
            E::Cancelled => Self::Timeout(Duration::ZERO),
            E::Dataset(inner) => Self::BadRequest(inner.to_string()),
            other => {
                let message = other.to_string();
                if message.contains("cancel") {
                    Self::Timeout(Duration::ZERO)
                } else {
                    Self::Store(StoreError::Evaluation(other))
                }
            }
        }
    }
}

impl From<oxigraph::store::StorageError> for SparqlError {
    fn from(e: oxigraph::store::StorageError) -> Self {
        Self::Store(StoreError::Storage(e))
    }
}

/// A `SERVICE` endpoint that is not on the `--service-allow` list (answered with 403).
#[derive(Debug, thiserror::Error)]
#[error("SERVICE <{0}> is not allowed: this endpoint calls only the endpoints given with --service-allow")]
pub struct ServiceNotAllowed(pub String);

impl SparqlError {
    /// Fills in the timeout of a [`SparqlError::Timeout`] raised from deep inside.
    pub fn with_timeout(self, timeout: Duration) -> Self {
        match self {
            Self::Timeout(_) => Self::Timeout(timeout),
            other => other,
        }
    }
}
