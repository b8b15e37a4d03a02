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
use super::service::AllowListServiceHandler;
use crate::store::{Change, DefaultGraph, Kg, WriteReport};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term,
};
use oxigraph::sparql::{CancellationToken, QueryResults, QuerySolution};
use spargebra::algebra::{GraphTarget, QueryDataset};
use spargebra::term::{
    GraphNamePattern, GroundQuadPattern, GroundTerm, GroundTermPattern, NamedNodePattern,
    QuadPattern, TermPattern,
};
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

fn iris(list: &[String], param: &str) -> Result<Vec<NamedNode>, SparqlError> {
    list.iter()
        .map(|i| {
            NamedNode::new(i.as_str())
                .map_err(|e| SparqlError::BadRequest(format!("{param} <{i}>: {e}")))
        })
        .collect()
}

/// Runs an update atomically: all its operations in one write, or nothing.
pub fn execute_update(
    kg: &Kg,
    request: &UpdateRequest,
    limits: &Limits,
    cancel: CancellationToken,
) -> Result<WriteReport, SparqlError> {
    let update = spargebra::SparqlParser::new()
        .with_base_iri(kg.base().as_str())
        .map_err(|e| SparqlError::BadRequest(e.to_string()))?
        .parse_update(&request.update)
        .map_err(|e| SparqlError::Syntax(e.to_string()))?;
    let protocol_dataset =
        if request.using_graph_uris.is_empty() && request.using_named_graph_uris.is_empty() {
            None
        } else {
            let named = iris(&request.using_named_graph_uris, "using-named-graph-uri")?;
            Some(QueryDataset {
                default: iris(&request.using_graph_uris, "using-graph-uri")?,
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
    let mut evaluator = kg
        .evaluator()
        .with_default_service_handler(AllowListServiceHandler::new(&limits.service_allow))
        .with_cancellation_token(cancel.clone());
    if let Some(search) = &limits.search {
        evaluator = evaluator.with_service_handler(super::search_service_iri(), search.clone());
    }
    let mut prepared = evaluator.for_query(query);
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

fn graph_name(g: &spargebra::term::GraphName) -> GraphName {
    match g {
        spargebra::term::GraphName::NamedNode(n) => n.clone().into(),
        spargebra::term::GraphName::DefaultGraph => GraphName::DefaultGraph,
    }
}

fn fresh(b: &BlankNode, map: &mut HashMap<BlankNode, BlankNode>) -> BlankNode {
    map.entry(b.clone()).or_default().clone()
}

fn ground(term: &GroundTerm) -> Option<Term> {
    match term {
        GroundTerm::NamedNode(n) => Some(n.clone().into()),
        GroundTerm::Literal(l) => Some(l.clone().into()),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn subject_of(term: Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

fn named(p: &NamedNodePattern, s: &QuerySolution) -> Option<NamedNode> {
    match p {
        NamedNodePattern::NamedNode(n) => Some(n.clone()),
        NamedNodePattern::Variable(v) => match s.get(v) {
            Some(Term::NamedNode(n)) => Some(n.clone()),
            _ => None,
        },
    }
}

fn graph(p: &GraphNamePattern, s: &QuerySolution) -> Option<GraphName> {
    match p {
        GraphNamePattern::DefaultGraph => Some(GraphName::DefaultGraph),
        GraphNamePattern::NamedNode(n) => Some(n.clone().into()),
        GraphNamePattern::Variable(v) => match s.get(v) {
            Some(Term::NamedNode(n)) => Some(n.clone().into()),
            Some(Term::BlankNode(b)) => Some(b.clone().into()),
            _ => None,
        },
    }
}

fn term(
    p: &TermPattern,
    s: &QuerySolution,
    bnodes: &mut HashMap<BlankNode, BlankNode>,
) -> Option<Term> {
    match p {
        TermPattern::NamedNode(n) => Some(n.clone().into()),
        TermPattern::BlankNode(b) => Some(fresh(b, bnodes).into()),
        TermPattern::Literal(l) => Some(l.clone().into()),
        TermPattern::Variable(v) => s.get(v).cloned(),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn ground_term(p: &GroundTermPattern, s: &QuerySolution) -> Option<Term> {
    match p {
        GroundTermPattern::NamedNode(n) => Some(n.clone().into()),
        GroundTermPattern::Literal(l) => Some(l.clone().into()),
        GroundTermPattern::Variable(v) => s.get(v).cloned(),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn instantiate(
    t: &QuadPattern,
    s: &QuerySolution,
    bnodes: &mut HashMap<BlankNode, BlankNode>,
) -> Option<Quad> {
    Some(Quad::new(
        subject_of(term(&t.subject, s, bnodes)?)?,
        named(&t.predicate, s)?,
        term(&t.object, s, bnodes)?,
        graph(&t.graph_name, s)?,
    ))
}

fn instantiate_ground(t: &GroundQuadPattern, s: &QuerySolution) -> Option<Quad> {
    Some(Quad::new(
        subject_of(ground_term(&t.subject, s)?)?,
        named(&t.predicate, s)?,
        ground_term(&t.object, s)?,
        graph(&t.graph_name, s)?,
    ))
}

/// Fetches an allow-listed `LOAD` source (the caller checked the allow list) and parses
/// it: triple formats go into `destination`.
pub fn fetch_allowed(url: &str, destination: &GraphName) -> Result<Vec<Quad>, SparqlError> {
    use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
    let client = oxhttp::Client::new()
        .with_global_timeout(std::time::Duration::from_secs(60))
        .with_redirection_limit(0);
    let request = oxhttp::model::Request::builder()
        .uri(url)
        .header(ACCEPT, "text/turtle, application/n-triples, application/n-quads, application/trig, application/rdf+xml, application/ld+json;q=0.9")
        .body(())
        .map_err(|e| SparqlError::BadRequest(format!("LOAD <{url}>: {e}")))?;
    let response = client
        .request(request)
        .map_err(|e| SparqlError::Execution(format!("LOAD <{url}>: {e}")))?;
    if !response.status().is_success() {
        return Err(SparqlError::Execution(format!(
            "LOAD <{url}>: the server answered {}",
            response.status()
        )));
    }
    let media = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let format = RdfFormat::from_media_type(&media)
        .or_else(|| url.rsplit('.').next().and_then(RdfFormat::from_extension))
        .ok_or_else(|| {
            SparqlError::Execution(format!("LOAD <{url}>: unsupported content type {media:?}"))
        })?;
    let mut parser = RdfParser::from_format(format)
        .rename_blank_nodes()
        .with_base_iri(url)
        .map_err(|e| SparqlError::BadRequest(e.to_string()))?;
    if !format.supports_datasets() {
        parser = parser.with_default_graph(destination.clone());
    }
    parser
        .for_reader(response.into_body())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SparqlError::Execution(format!("LOAD <{url}>: {e}")))
}
