//! `SERVICE ck:search { ?doc ck:query "text" ; ck:score ?s ; ck:snippet ?sn ; ck:type ?t ;
//! ck:limit 10 }`: ranked full-text search inside SPARQL, joined with ordinary patterns.
//!
//! Oxigraph evaluates a `SERVICE` once, with no bindings from outside it, and joins the
//! result: so the query text must be a constant string in the pattern. The service is on
//! even when `SERVICE` to other endpoints is off.

use crate::search::{SearchIndex, SearchRequest};
use crate::skos::TaxonomyCache;
use crate::store::Kg;
use crate::vocab::CK;
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::{QueryEvaluationError, QuerySolution, QuerySolutionIter, ServiceHandler};
use spargebra::algebra::GraphPattern;
use spargebra::term::{NamedNodePattern, TermPattern};
use std::sync::Arc;

/// The IRI of the search service, `ck:search`.
pub fn search_service_iri() -> NamedNode {
    NamedNode::new_unchecked(format!("{CK}search"))
}

/// The handler of `ck:search`. It reads the taxonomy view of the current generation only
/// when a query calls the service, so other queries never wait for a rebuilt view.
#[derive(Clone)]
pub struct SearchServiceHandler {
    search: Arc<SearchIndex>,
    taxonomy: Arc<TaxonomyCache>,
    kg: Arc<Kg>,
}

impl std::fmt::Debug for SearchServiceHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchServiceHandler")
    }
}

impl SearchServiceHandler {
    /// A handler over `search`, with the taxonomy view of `kg`'s current generation.
    pub fn new(search: Arc<SearchIndex>, taxonomy: Arc<TaxonomyCache>, kg: Arc<Kg>) -> Self {
        Self {
            search,
            taxonomy,
            kg,
        }
    }
}

fn err(message: impl Into<String>) -> QueryEvaluationError {
    QueryEvaluationError::Service(message.into().into())
}

impl ServiceHandler for SearchServiceHandler {
    type Error = QueryEvaluationError;

    fn handle(
        &self,
        pattern: &GraphPattern,
        _base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, Self::Error> {
        let GraphPattern::Bgp { patterns } = pattern else {
            return Err(err("SERVICE ck:search takes triple patterns only: ?resource ck:query \"text\" ; ck:score ?score …"));
        };
        let mut subject: Option<Variable> = None;
        let mut query: Option<String> = None;
        let (mut score, mut snippet, mut kind_var) = (None, None, None);
        let mut kind: Option<String> = None;
        let mut limit = 100usize;
        for t in patterns {
            match &t.subject {
                TermPattern::Variable(v) if subject.as_ref().is_none_or(|s| s == v) => subject = Some(v.clone()),
                _ => return Err(err("inside SERVICE ck:search every pattern has the same variable as subject (the matched resource)")),
            }
            let NamedNodePattern::NamedNode(p) = &t.predicate else {
                return Err(err("inside SERVICE ck:search the predicates are ck:query, ck:score, ck:snippet, ck:type and ck:limit"));
            };
            let local = p.as_str().strip_prefix(CK).unwrap_or("");
            match (local, &t.object) {
                ("query", TermPattern::Literal(l)) => query = Some(l.value().to_owned()),
                ("query", _) => {
                    return Err(err("ck:query must be a constant string: SERVICE ck:search is evaluated once, without bindings from the rest of the query"))
                }
                ("score", TermPattern::Variable(v)) => score = Some(v.clone()),
                ("snippet", TermPattern::Variable(v)) => snippet = Some(v.clone()),
                ("type", TermPattern::Variable(v)) => kind_var = Some(v.clone()),
                ("type", TermPattern::Literal(l)) => kind = Some(l.value().to_owned()),
                ("limit", TermPattern::Literal(l)) => {
                    limit = l.value().parse().map_err(|_| err(format!("ck:limit {} is not a number", l.value())))?;
                }
                _ => return Err(err(format!("SERVICE ck:search does not understand <{}> with that object", p.as_str()))),
            }
        }
        let subject = subject.ok_or_else(|| err("SERVICE ck:search needs a pattern"))?;
        let query =
            query.ok_or_else(|| err("SERVICE ck:search needs ?resource ck:query \"text\""))?;
        let taxonomy = self
            .taxonomy
            .get(&self.kg)
            .map_err(|e| err(e.to_string()))?;
        let results = self
            .search
            .search(
                &taxonomy,
                &SearchRequest {
                    q: query,
                    kind,
                    limit: limit.clamp(1, 10_000),
                    ..SearchRequest::default()
                },
            )
            .map_err(|e| err(e.to_string()))?;
        let mut variables = vec![subject];
        variables.extend(score.clone());
        variables.extend(snippet.clone());
        variables.extend(kind_var.clone());
        let variables: Arc<[Variable]> = variables.into();
        let vars = variables.clone();
        let rows = results.hits.into_iter().map(move |h| {
            let mut values: Vec<Option<Term>> = vec![Some(NamedNode::new_unchecked(h.iri).into())];
            if score.is_some() {
                values.push(Some(Literal::from(f64::from(h.score)).into()));
            }
            if snippet.is_some() {
                values.push(Some(Literal::new_simple_literal(h.snippet).into()));
            }
            if kind_var.is_some() {
                values.push(Some(Literal::new_simple_literal(h.kind).into()));
            }
            Ok(QuerySolution::from((vars.clone(), values)))
        });
        Ok(QuerySolutionIter::new(variables, Box::new(rows)))
    }
}
