//! SPARQL over the knowledge graph: queries with limits that hold, updates through the
//! one write path, and the safety rules for `SERVICE` and `LOAD`.
//!
//! This module knows nothing of HTTP: `http::sparql` and `http::store` parse requests and
//! call in here; everything here is blocking and runs on the blocking pool.

mod error;
mod limits;
mod load;
mod query;
mod results;
mod search_service;
mod service;
mod template;
mod update;

pub use error::SparqlError;
pub use limits::{Limits, QuerySlots};
pub use load::fetch_allowed;
pub use query::{evaluate_query, parse_query, QueryAnswer, QueryForm, QueryRequest};
pub use results::Serialized;
pub use search_service::{search_service_iri, SearchServiceHandler};
pub use service::AllowListServiceHandler;
pub use update::{execute_update, UpdateRequest};
