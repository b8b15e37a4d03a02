//! Serialising query results into a buffer, up to the row cap, checking the cancellation
//! token between rows so that a timeout also stops a long serialisation.

use super::error::SparqlError;
use crate::store::StoreError;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::{CancellationToken, QuerySolutionIter, QueryTripleIter};
use sparesults::{QueryResultsFormat, QueryResultsSerializer};

/// A serialised body, its media type, and whether it was cut at the row cap.
#[derive(Debug)]
pub struct Serialized {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Its media type.
    pub media_type: &'static str,
    /// Whether rows were left out because of `--max-result-rows`.
    pub truncated: bool,
}

fn io(e: std::io::Error) -> SparqlError {
    SparqlError::Store(StoreError::Serialize(e))
}

fn check(cancel: &CancellationToken) -> Result<(), SparqlError> {
    if cancel.is_cancelled() {
        Err(SparqlError::Timeout(std::time::Duration::ZERO))
    } else {
        Ok(())
    }
}

/// Serialises an ASK answer.
pub fn serialize_boolean(
    format: QueryResultsFormat,
    value: bool,
) -> Result<Serialized, SparqlError> {
    let bytes = QueryResultsSerializer::from_format(format)
        .serialize_boolean_to_writer(Vec::new(), value)
        .map_err(io)?;
    Ok(Serialized {
        bytes,
        media_type: format.media_type(),
        truncated: false,
    })
}

/// Serialises solutions, at most `cap` of them.
pub fn serialize_solutions(
    format: QueryResultsFormat,
    solutions: QuerySolutionIter<'_>,
    cap: usize,
    cancel: &CancellationToken,
) -> Result<Serialized, SparqlError> {
    let mut serializer = QueryResultsSerializer::from_format(format)
        .serialize_solutions_to_writer(Vec::new(), solutions.variables().to_vec())
        .map_err(io)?;
    let mut truncated = false;
    for (n, solution) in solutions.enumerate() {
        check(cancel)?;
        let solution = solution?;
        if n >= cap {
            truncated = true;
            break;
        }
        serializer.serialize(&solution).map_err(io)?;
    }
    Ok(Serialized {
        bytes: serializer.finish().map_err(io)?,
        media_type: format.media_type(),
        truncated,
    })
}

/// Serialises a CONSTRUCT or DESCRIBE graph, at most `cap` triples.
pub fn serialize_graph(
    format: RdfFormat,
    triples: QueryTripleIter<'_>,
    cap: usize,
    cancel: &CancellationToken,
) -> Result<Serialized, SparqlError> {
    let mut serializer = crate::vocab::rdf_serializer(format).for_writer(Vec::new());
    let mut truncated = false;
    for (n, triple) in triples.enumerate() {
        check(cancel)?;
        let triple = triple?;
        if n >= cap {
            truncated = true;
            break;
        }
        serializer.serialize_triple(&triple).map_err(io)?;
    }
    Ok(Serialized {
        bytes: serializer.finish().map_err(io)?,
        media_type: format.media_type(),
        truncated,
    })
}
