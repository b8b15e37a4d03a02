//! Instantiating update templates: `DELETE`/`INSERT` quad patterns with a solution's
//! bindings (fresh blank nodes per solution for `INSERT`), and the conversions from the
//! SPARQL algebra's terms to quads.

use oxigraph::model::{BlankNode, GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::QuerySolution;
use spargebra::term::{
    GraphNamePattern, GroundQuadPattern, GroundTerm, GroundTermPattern, NamedNodePattern,
    QuadPattern, TermPattern,
};
use std::collections::HashMap;

pub(super) fn graph_name(g: &spargebra::term::GraphName) -> GraphName {
    match g {
        spargebra::term::GraphName::NamedNode(n) => n.clone().into(),
        spargebra::term::GraphName::DefaultGraph => GraphName::DefaultGraph,
    }
}

pub(super) fn fresh(b: &BlankNode, map: &mut HashMap<BlankNode, BlankNode>) -> BlankNode {
    map.entry(b.clone()).or_default().clone()
}

pub(super) fn ground(term: &GroundTerm) -> Option<Term> {
    match term {
        GroundTerm::NamedNode(n) => Some(n.clone().into()),
        GroundTerm::Literal(l) => Some(l.clone().into()),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

pub(super) fn subject_of(term: Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

pub(super) fn named(p: &NamedNodePattern, s: &QuerySolution) -> Option<NamedNode> {
    match p {
        NamedNodePattern::NamedNode(n) => Some(n.clone()),
        NamedNodePattern::Variable(v) => match s.get(v) {
            Some(Term::NamedNode(n)) => Some(n.clone()),
            _ => None,
        },
    }
}

pub(super) fn graph(p: &GraphNamePattern, s: &QuerySolution) -> Option<GraphName> {
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

pub(super) fn term(
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

pub(super) fn ground_term(p: &GroundTermPattern, s: &QuerySolution) -> Option<Term> {
    match p {
        GroundTermPattern::NamedNode(n) => Some(n.clone().into()),
        GroundTermPattern::Literal(l) => Some(l.clone().into()),
        GroundTermPattern::Variable(v) => s.get(v).cloned(),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

pub(super) fn instantiate(
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

pub(super) fn instantiate_ground(t: &GroundQuadPattern, s: &QuerySolution) -> Option<Quad> {
    Some(Quad::new(
        subject_of(ground_term(&t.subject, s)?)?,
        named(&t.predicate, s)?,
        ground_term(&t.object, s)?,
        graph(&t.graph_name, s)?,
    ))
}
