//! The seed: the topic taxonomy, the document page and the project's vocabulary, embedded
//! in the binary so that `serve` seeds from anywhere.
//!
//! The seed files use relative IRIs (no `@base`); they are resolved against the store's
//! recorded base IRI, so the same binary seeds correctly under any deployment's base.

use crate::iri::BaseIri;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Quad};

/// One embedded seed file.
#[derive(Clone, Copy, Debug)]
pub struct SeedFile {
    /// Its path in the repository.
    pub path: &'static str,
    /// The path, under the base IRI, of the named graph it goes into.
    pub graph: &'static str,
    /// Its Turtle text.
    pub turtle: &'static str,
}

/// The seed, in load order.
pub const SEED_FILES: &[SeedFile] = &[
    SeedFile {
        path: "ontology/chariot.ttl",
        graph: "graph/ontology",
        turtle: include_str!("../ontology/chariot.ttl"),
    },
    SeedFile {
        path: "seed-ttl/taxonomy.ttl",
        graph: "graph/taxonomy",
        turtle: include_str!("../seed-ttl/taxonomy.ttl"),
    },
    SeedFile {
        path: "seed-ttl/documents.ttl",
        graph: "graph/documents",
        turtle: include_str!("../seed-ttl/documents.ttl"),
    },
];

/// Parses one seed file into quads of its graph, relative IRIs resolved against `base`.
pub fn parse_seed_file(file: &SeedFile, base: &BaseIri) -> Result<Vec<Quad>, SeedError> {
    let graph = NamedNode::new_unchecked(base.join(file.graph));
    RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(base.as_str())
        .map_err(|e| SeedError(format!("{}: {e}", file.path)))?
        .with_default_graph(graph)
        .for_slice(file.turtle.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SeedError(format!("{}: {e}", file.path)))
}

/// The embedded seed does not parse (a build defect, caught by the tests).
#[derive(Debug, thiserror::Error)]
#[error("the embedded seed does not parse: {0}")]
pub struct SeedError(String);

/// The whole seed as quads, relative IRIs resolved against `base`.
pub fn seed_quads(base: &BaseIri) -> Result<Vec<Quad>, SeedError> {
    let mut out = Vec::new();
    for file in SEED_FILES {
        out.extend(parse_seed_file(file, base)?);
    }
    Ok(out)
}
