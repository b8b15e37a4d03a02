//! Errors of the search boundary.

/// What can go wrong searching.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// The query does not parse (a 400).
    #[error("the search query is not valid: {0}")]
    BadQuery(String),
    /// A parameter is not valid (a 400).
    #[error("{0}")]
    BadParameter(String),
    /// The index failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index directory failed.
    #[error("search index directory: {0}")]
    Io(String),
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl From<SearchError> for crate::error::AppError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::BadQuery(_) | SearchError::BadParameter(_) => {
                Self::BadRequest(e.to_string())
            }
            other => Self::Internal(other.to_string()),
        }
    }
}
