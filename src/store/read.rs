//! Reading the public store: SPARQL evaluation with the service's safety defaults, and
//! dumps.

use super::error::{Result, StoreError};
use super::kg::{DefaultGraph, Kg};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::GraphNameRef;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::io::Write;

impl Kg {
    /// A SPARQL evaluator with the service's defaults: relative IRIs resolve against the
    /// base IRI, and no `SERVICE` call leaves the machine (Oxigraph's HTTP service handler
    /// is off; handlers for allowed endpoints are added by the SPARQL layer).
    pub fn evaluator(&self) -> SparqlEvaluator {
        self.sparql.evaluator.clone()
    }

    /// A SPARQL parser that resolves relative IRIs against the base IRI.
    pub fn sparql_parser(&self) -> spargebra::SparqlParser {
        self.sparql.parser.clone()
    }

    /// Evaluates a SPARQL query over the public store, with the configured default graph.
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>> {
        let mut prepared = self.evaluator().parse_query(sparql)?;
        if self.default_graph() == DefaultGraph::Union && prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        Ok(prepared.on_store(self.public_store()).execute()?)
    }

    /// Writes the public dataset (or one graph of it) as N-Quads or TriG.
    pub fn dump(
        &self,
        format: RdfFormat,
        graph: Option<GraphNameRef<'_>>,
        out: impl Write,
    ) -> Result<()> {
        let mut serializer = RdfSerializer::from_format(format).for_writer(out);
        let quads = self
            .public_store()
            .quads_for_pattern(None, None, None, graph);
        for quad in quads {
            serializer
                .serialize_quad(&quad?)
                .map_err(StoreError::Serialize)?;
        }
        serializer.finish().map_err(StoreError::Serialize)?;
        Ok(())
    }
}

/// The SPARQL evaluator and parser every query starts from: built once per store, so
/// that a query does not parse the base IRI again.
pub(super) struct SparqlDefaults {
    evaluator: SparqlEvaluator,
    parser: spargebra::SparqlParser,
}

impl SparqlDefaults {
    pub(super) fn new(base: &str) -> Self {
        let evaluator = SparqlEvaluator::new().without_default_http_service_handler();
        let parser = spargebra::SparqlParser::new();
        Self {
            evaluator: evaluator.clone().with_base_iri(base).unwrap_or(evaluator),
            parser: parser.clone().with_base_iri(base).unwrap_or(parser),
        }
    }
}
