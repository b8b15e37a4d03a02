//! Errors of reading RDF files.

use std::path::PathBuf;

/// What can go wrong reading an RDF file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The format could not be told from the file name and no `--format` was given.
    #[error("{path}: cannot tell the RDF format from the file name; give it with --format (ttl, nt, nq, trig, rdf, jsonld)")]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// `--format` names no RDF format.
    #[error("unknown RDF format {0:?}: use ttl, nt, nq, trig, rdf or jsonld (or a media type)")]
    BadFormatName(String),
    /// `--graph` was given for a format that carries its own graphs.
    #[error("{path}: --graph cannot be used with {format}, which keeps its own graphs")]
    GraphWithQuads {
        /// The file.
        path: PathBuf,
        /// The format's name.
        format: String,
    },
    /// An IRI option is not a valid IRI.
    #[error("invalid IRI <{iri}>: {message}")]
    BadIri {
        /// The IRI.
        iri: String,
        /// Why.
        message: String,
    },
    /// The file is not valid RDF in its format.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: u64,
        /// 1-based column of the error.
        column: u64,
        /// The parser's message.
        message: String,
    },
    /// The file is not valid RDF and the parser gave no position.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
}
