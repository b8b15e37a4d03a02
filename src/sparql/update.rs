//! SPARQL Update through the one write path.
//!
//! Oxigraph could run an update itself, but then nobody would know what it changed. So
//! every operation is evaluated here, against the write's own transaction (so each
//! operation sees the ones before it), and applied through [`Change`], which records the
//! exact delta: `INSERT DATA`/`DELETE DATA` directly, `DELETE/INSERT … WHERE` by evaluating
//! the `WHERE` and instantiating the templates, `CLEAR`/`DROP`/`CREATE` on graphs, and
//! `ADD`/`MOVE`/`COPY` as the parser expands them into those. `LOAD` is allowed only from
//! `--load-allow` prefixes, checked on the parsed update before anything is fetched.

use super::error::SparqlError;
use super::limits::Limits;
use super::load::fetch_allowed;
use super::template::{fresh, graph_name, ground, instantiate, instantiate_ground};
use crate::store::{Change, DefaultGraph, Kg, WriteReport};
use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{CancellationToken, QueryResults, QuerySolution};
use spargebra::algebra::{GraphTarget, QueryDataset};
use spargebra::GraphUpdateOperation;
use std::collections::HashMap;

/// An update as the protocol gives it.
#[derive(Clone, Debug, Default)]
pub struct UpdateRequest {
    /// The update text.
    pub update: String,
    /// `using-graph-uri` parameters.
    pub using_graph_uris: Vec<String>,
    /// `using-named-graph-uri` parameters.
    pub using_named_graph_uris: Vec<String>,
}

/// Runs an update atomically: all its operations in one write, or nothing.
pub fn execute_update(
    kg: &Kg,
    request: &UpdateRequest,
    limits: &Limits,
    cancel: CancellationToken,
) -> Result<WriteReport, SparqlError> {
    let update = kg
        .sparql_parser()
        .parse_update(&request.update)
        .map_err(|e| SparqlError::Syntax(e.to_string()))?;
    let protocol_dataset =
        if request.using_graph_uris.is_empty() && request.using_named_graph_uris.is_empty() {
            None
        } else {
            let named =
                super::query::graph_iris(&request.using_named_graph_uris, "using-named-graph-uri")?;
            Some(QueryDataset {
                default: super::query::graph_iris(&request.using_graph_uris, "using-graph-uri")?,
                named: if named.is_empty() { None } else { Some(named) },
            })
        };
    if protocol_dataset.is_some()
        && update.operations.iter().any(|op| {
            matches!(
                op,
                GraphUpdateOperation::DeleteInsert { using: Some(_), .. }
            )
        })
    {
        return Err(SparqlError::BadRequest(
            "using-graph-uri and using-named-graph-uri cannot be combined with USING, USING NAMED or WITH in the update".into(),
        ));
    }
    // LOAD sources are checked, then fetched, before the writer lock is taken.
    let mut loaded = Vec::new();
    for op in &update.operations {
        if let GraphUpdateOperation::Load {
            silent,
            source,
            destination,
        } = op
        {
            let quads = if !limits.load_allowed(source.as_str()) {
                if *silent {
                    None
                } else {
                    return Err(SparqlError::Forbidden(format!(
                        "LOAD <{}> is not allowed: this endpoint loads only from URLs starting with a --load-allow prefix",
                        source.as_str()
                    )));
                }
            } else {
                match fetch_allowed(source.as_str(), &graph_name(destination)) {
                    Ok(quads) => Some(quads),
                    Err(_) if *silent => None,
                    Err(e) => return Err(e),
                }
            };
            loaded.push(quads);
        }
    }
    let mut loaded = loaded.into_iter();
    kg.write("update", |change| {
        for op in &update.operations {
            apply(
                kg,
                change,
                op,
                protocol_dataset.as_ref(),
                limits,
                &cancel,
                &mut loaded,
            )?;
        }
        Ok(())
    })
    .map_err(|e: SparqlError| e.with_timeout(limits.query_timeout))
}

fn apply(
    kg: &Kg,
    change: &mut Change<'_>,
    op: &GraphUpdateOperation,
    protocol_dataset: Option<&QueryDataset>,
    limits: &Limits,
    cancel: &CancellationToken,
    loaded: &mut impl Iterator<Item = Option<Vec<Quad>>>,
) -> Result<(), SparqlError> {
    match op {
        GraphUpdateOperation::InsertData { data } => {
            let mut bnodes = HashMap::new();
            for q in data {
                let subject = match &q.subject {
                    NamedOrBlankNode::BlankNode(b) => {
                        NamedOrBlankNode::BlankNode(fresh(b, &mut bnodes))
                    }
                    other => other.clone(),
                };
                let object = match &q.object {
                    Term::BlankNode(b) => Term::BlankNode(fresh(b, &mut bnodes)),
                    other => other.clone(),
                };
                let quad = Quad::new(
                    subject,
                    q.predicate.clone(),
                    object,
                    graph_name(&q.graph_name),
                );
                change.insert(quad.as_ref())?;
            }
        }
        GraphUpdateOperation::DeleteData { data } => {
            for q in data {
                if let Some(object) = ground(&q.object) {
                    let quad = Quad::new(
                        q.subject.clone(),
                        q.predicate.clone(),
                        object,
                        graph_name(&q.graph_name),
                    );
                    change.remove(quad.as_ref())?;
                }
            }
        }
        GraphUpdateOperation::DeleteInsert {
            delete,
            insert,
            using,
            pattern,
        } => {
            let dataset = using.as_ref().or(protocol_dataset);
            let solutions = evaluate_where(kg, change, pattern, dataset, limits, cancel)?;
            let mut removals = Vec::new();
            let mut inserts = Vec::new();
            for solution in &solutions {
                removals.extend(
                    delete
                        .iter()
                        .filter_map(|t| instantiate_ground(t, solution)),
                );
                let mut bnodes = HashMap::new();
                inserts.extend(
                    insert
                        .iter()
                        .filter_map(|t| instantiate(t, solution, &mut bnodes)),
                );
            }
            for q in &removals {
                change.remove(q.as_ref())?;
            }
            for q in &inserts {
                change.insert(q.as_ref())?;
            }
        }
        GraphUpdateOperation::Load { .. } => {
            if let Some(Some(quads)) = loaded.next() {
                for q in &quads {
                    change.insert(q.as_ref())?;
                }
            }
        }
        GraphUpdateOperation::Clear { silent, graph } => match graph {
            GraphTarget::NamedNode(g) => {
                if change.transaction().contains_named_graph(g)? {
                    change.clear_graph(g.as_ref().into())?;
                } else if !silent {
                    return Err(SparqlError::Execution(format!(
                        "CLEAR: the graph <{}> does not exist",
                        g.as_str()
                    )));
                }
            }
            GraphTarget::DefaultGraph => {
                change.clear_graph(GraphNameRef::DefaultGraph)?;
            }
            GraphTarget::NamedGraphs | GraphTarget::AllGraphs => {
                if matches!(graph, GraphTarget::AllGraphs) {
                    change.clear_graph(GraphNameRef::DefaultGraph)?;
                }
                for g in change.named_graphs()? {
                    change.clear_graph(g.as_ref().into())?;
                }
            }
        },
        GraphUpdateOperation::Create { silent, graph } => {
            if !change.create_named_graph(graph.as_ref().into())? && !silent {
                return Err(SparqlError::Execution(format!(
                    "CREATE: the graph <{}> already exists",
                    graph.as_str()
                )));
            }
        }
        GraphUpdateOperation::Drop { silent, graph } => match graph {
            GraphTarget::NamedNode(g) => {
                if !change.drop_named_graph(g.as_ref().into())? && !silent {
                    return Err(SparqlError::Execution(format!(
                        "DROP: the graph <{}> does not exist",
                        g.as_str()
                    )));
                }
            }
            GraphTarget::DefaultGraph => {
                change.clear_graph(GraphNameRef::DefaultGraph)?;
            }
            GraphTarget::NamedGraphs | GraphTarget::AllGraphs => {
                if matches!(graph, GraphTarget::AllGraphs) {
                    change.clear_graph(GraphNameRef::DefaultGraph)?;
                }
                for g in change.named_graphs()? {
                    change.drop_named_graph(g.as_ref())?;
                }
            }
        },
    }
    Ok(())
}

fn evaluate_where(
    kg: &Kg,
    change: &Change<'_>,
    pattern: &spargebra::algebra::GraphPattern,
    dataset: Option<&QueryDataset>,
    limits: &Limits,
    cancel: &CancellationToken,
) -> Result<Vec<QuerySolution>, SparqlError> {
    let query = spargebra::Query::Select {
        dataset: dataset.cloned(),
        pattern: pattern.clone(),
        base_iri: None,
    };
    let mut prepared = limits.evaluator(kg, cancel).for_query(query);
    if dataset.is_none() && kg.default_graph() == DefaultGraph::Union {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    match prepared.on_transaction(change.transaction()).execute()? {
        QueryResults::Solutions(solutions) => Ok(solutions.collect::<Result<Vec<_>, _>>()?),
        _ => Err(SparqlError::BadRequest(
            "the WHERE clause did not give solutions".into(),
        )),
    }
}
