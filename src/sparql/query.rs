//! Query evaluation: parse, set the dataset (protocol parameters, `FROM`, or the
//! configured default graph), negotiate the result format, evaluate under a cancellation
//! token and serialise up to the row cap.

use super::error::SparqlError;
use super::limits::Limits;
use super::results::{serialize_boolean, serialize_graph, serialize_solutions, Serialized};
use crate::conneg::formats::{format_param_media_type, GRAPH_OFFERS, RESULTS_OFFERS};
use crate::conneg::negotiate;
use crate::store::{DefaultGraph, Kg};
use oxigraph::model::{GraphName, NamedNode};
use oxigraph::sparql::{CancellationToken, QueryResults};
use std::time::Instant;

/// The four query forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryForm {
    /// SELECT
    Select,
    /// ASK
    Ask,
    /// CONSTRUCT
    Construct,
    /// DESCRIBE
    Describe,
}

impl QueryForm {
    /// Lower-case name, for metrics.
    pub fn name(self) -> &'static str {
        match self {
            Self::Select => "select",
            Self::Ask => "ask",
            Self::Construct => "construct",
            Self::Describe => "describe",
        }
    }

    fn of(query: &spargebra::Query) -> Self {
        match query {
            spargebra::Query::Select { .. } => Self::Select,
            spargebra::Query::Ask { .. } => Self::Ask,
            spargebra::Query::Construct { .. } => Self::Construct,
            spargebra::Query::Describe { .. } => Self::Describe,
        }
    }
}

/// A query as the protocol gives it.
#[derive(Clone, Debug, Default)]
pub struct QueryRequest {
    /// The query text.
    pub query: String,
    /// `default-graph-uri` parameters.
    pub default_graph_uris: Vec<String>,
    /// `named-graph-uri` parameters.
    pub named_graph_uris: Vec<String>,
    /// The `Accept` header.
    pub accept: Option<String>,
    /// The `format` parameter (overrides `Accept`).
    pub format: Option<String>,
}

/// A serialised query answer.
#[derive(Debug)]
pub struct QueryAnswer {
    /// The query's form.
    pub form: QueryForm,
    /// The body and its media type.
    pub body: Serialized,
}

/// Parses a query against the store's base IRI.
pub fn parse_query(kg: &Kg, query: &str) -> Result<spargebra::Query, SparqlError> {
    kg.sparql_parser()
        .parse_query(query)
        .map_err(|e| SparqlError::Syntax(e.to_string()))
}

pub(super) fn graph_iris(iris: &[String], param: &str) -> Result<Vec<NamedNode>, SparqlError> {
    iris.iter()
        .map(|i| {
            NamedNode::new(i.as_str())
                .map_err(|e| SparqlError::BadRequest(format!("{param} <{i}> is not an IRI: {e}")))
        })
        .collect()
}

/// Evaluates a query with the endpoint's limits. `cancel` is cancelled by the caller's
/// timer when the timeout passes; evaluation and serialisation both stop then.
pub fn evaluate_query(
    kg: &Kg,
    request: &QueryRequest,
    limits: &Limits,
    cancel: CancellationToken,
) -> Result<QueryAnswer, SparqlError> {
    let started = Instant::now();
    let parsed = parse_query(kg, &request.query)?;
    let form = QueryForm::of(&parsed);
    let accept = match request.format.as_deref() {
        Some(f) => Some(
            format_param_media_type(f)
                .ok_or_else(|| SparqlError::BadRequest(format!("unknown format={f}: use json, xml, csv, tsv, ttl, nt, jsonld, rdf, nq or trig")))?
                .to_owned(),
        ),
        None => request.accept.clone(),
    };
    let mut prepared = limits.evaluator(kg, &cancel).for_query(parsed);
    let default = graph_iris(&request.default_graph_uris, "default-graph-uri")?;
    let named = graph_iris(&request.named_graph_uris, "named-graph-uri")?;
    if !default.is_empty() || !named.is_empty() {
        let dataset = prepared.dataset_mut();
        dataset.set_default_graph(default.into_iter().map(GraphName::from).collect());
        dataset.set_available_named_graphs(named.into_iter().map(Into::into).collect());
    } else if kg.default_graph() == DefaultGraph::Union && prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    let timed_out = |e: SparqlError| e.with_timeout(limits.query_timeout);
    let body = match form {
        QueryForm::Select | QueryForm::Ask => {
            let format = *negotiate(accept.as_deref(), RESULTS_OFFERS)?;
            match prepared
                .on_store(kg.public_store())
                .execute()
                .map_err(SparqlError::from)
                .map_err(timed_out)?
            {
                QueryResults::Boolean(b) => serialize_boolean(format, b)?,
                QueryResults::Solutions(solutions) => {
                    serialize_solutions(format, solutions, limits.max_result_rows, &cancel)
                        .map_err(timed_out)?
                }
                QueryResults::Graph(_) => {
                    return Err(SparqlError::BadRequest("unexpected graph result".into()))
                }
            }
        }
        QueryForm::Construct | QueryForm::Describe => {
            let format = *negotiate(accept.as_deref(), GRAPH_OFFERS)?;
            match prepared
                .on_store(kg.public_store())
                .execute()
                .map_err(SparqlError::from)
                .map_err(timed_out)?
            {
                QueryResults::Graph(triples) => {
                    serialize_graph(format, triples, limits.max_result_rows, &cancel)
                        .map_err(timed_out)?
                }
                _ => {
                    return Err(SparqlError::BadRequest(
                        "unexpected non-graph result".into(),
                    ))
                }
            }
        }
    };
    tracing::debug!(
        form = form.name(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        truncated = body.truncated,
        "query evaluated"
    );
    Ok(QueryAnswer { form, body })
}
