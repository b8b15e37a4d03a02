//! Errors of the store boundary: the data directory, the journal, the Oxigraph stores.

use std::path::PathBuf;

/// What can go wrong opening, reading or writing the knowledge graph's data directory.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file of the data directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Another process (a running `chariot-kg serve`, usually) holds the data directory.
    #[error(
        "the data directory {0} is in use by another chariot-kg process (is a server running on it?); stop it first"
    )]
    InUse(PathBuf),
    /// `--base-iri` differs from the base IRI recorded when the store was created.
    #[error(
        "the store in {dir} was created with base IRI <{recorded}>, not <{given}>; a store keeps its base IRI for life (omit --base-iri, or use another --data directory)"
    )]
    BaseIriMismatch {
        /// The data directory.
        dir: PathBuf,
        /// The base IRI recorded in it.
        recorded: String,
        /// The base IRI asked for.
        given: String,
    },
    /// A bookkeeping file (meta, counts, journal) is not what this version writes.
    #[error("{path}: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The Oxigraph storage failed.
    #[error(transparent)]
    Storage(#[from] oxigraph::store::StorageError),
    /// A SPARQL query did not parse.
    #[error(transparent)]
    Syntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    /// A SPARQL query failed while it was evaluated.
    #[error(transparent)]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    /// A consumer of the journal (the search index) failed.
    #[error("{name}: {message}")]
    Consumer {
        /// The consumer.
        name: &'static str,
        /// What failed.
        message: String,
    },
    /// Serialising data failed.
    #[error("serialisation failed: {0}")]
    Serialize(std::io::Error),
}

impl StoreError {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
