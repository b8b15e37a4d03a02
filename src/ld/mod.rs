//! Linked-data descriptions of resources: what a dereference of an IRI returns, in every
//! RDF format, and the compaction that makes our JSON-LD readable.

mod describe;
mod jsonld;

pub use describe::{describe, Description, LABEL_PREDICATES};
pub use jsonld::compact_jsonld;
