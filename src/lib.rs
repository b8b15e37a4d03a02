//! `chariot-kg`: the knowledge-graph and linked-data service behind the CHARIOT IoT
//! Search Index.
//!
//! The library holds everything; the binary (`src/main.rs`) only parses the command line
//! and calls in. The pieces, each in its own module:
//!
//! - [`store`]: the embedded Oxigraph stores (public and private), the data directory,
//!   the write-ahead journal and the one write path every change goes through;
//! - [`ingest`]: reading RDF files in every format Oxigraph parses (gzip too);
//! - [`shacl`]: SHACL validation against the shapes in `shapes/`;
//! - [`sparql`]: SPARQL queries with limits, updates through the write path;
//! - [`conneg`]: the one content-negotiation function;
//! - [`seed`]: the seed data (taxonomy, documents, ontology), embedded in the binary;
//! - [`http`]: the axum application, [`http::app`];
//! - [`server`]: binding, start-up and graceful shutdown of `serve`;
//! - [`cli`]: the command line, shared with `--help`.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod conneg;
pub mod error;
pub mod fault;
pub mod http;
pub mod ingest;
pub mod iri;
pub mod ld;
pub mod render;
pub mod search;
pub mod seed;
pub mod server;
pub mod shacl;
pub mod skos;
pub mod sparql;
pub mod store;
pub mod vocab;

pub use error::AppError;
pub use http::{app, AppState, HttpConfig};
