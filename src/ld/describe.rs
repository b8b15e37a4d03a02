//! A resource's description: its concise bounded description (its triples in the public
//! graphs, blank nodes expanded) plus the labels of the resources it links to, so a
//! client can show names without another request.

use crate::store::{Kg, StoreError};
use crate::vocab::{DCTERMS, FOAF, RDFS, SCHEMA, SKOS};
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, Triple};
use std::collections::{BTreeSet, HashSet};

/// The properties whose values name a resource, in order of preference.
pub const LABEL_PREDICATES: &[(&str, &str)] = &[
    (SKOS, "prefLabel"),
    (FOAF, "name"),
    (DCTERMS, "title"),
    (SCHEMA, "name"),
    (RDFS, "label"),
];

/// A description: the triples, and whether the resource had any of its own.
#[derive(Clone, Debug, Default)]
pub struct Description {
    /// The triples, without duplicates (a triple in two graphs appears once), in a
    /// stable order.
    pub triples: Vec<Triple>,
    /// How many of them have the resource itself as subject.
    pub own: usize,
}

/// Describes `iri` from the public store.
pub fn describe(kg: &Kg, iri: &str) -> Result<Description, StoreError> {
    let store = kg.public_store();
    let Ok(node) = NamedNodeRef::new(iri) else {
        return Ok(Description::default());
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut seen_blank = HashSet::new();
    let mut queue: Vec<NamedOrBlankNode> = vec![node.into_owned().into()];
    let mut linked = BTreeSet::new();
    let mut own = 0;
    while let Some(subject) = queue.pop() {
        for quad in store.quads_for_pattern(Some(subject.as_ref()), None, None, None) {
            let quad = quad?;
            match &quad.object {
                Term::BlankNode(b) if seen_blank.insert(b.clone()) => queue.push(b.clone().into()),
                Term::NamedNode(n) if n.as_str() != iri => {
                    linked.insert(n.clone());
                }
                _ => {}
            }
            let triple = Triple::new(quad.subject, quad.predicate, quad.object);
            if seen.insert(triple.clone()) {
                out.push(triple);
                if matches!(&subject, NamedOrBlankNode::NamedNode(_)) {
                    own += 1;
                }
            }
        }
    }
    for target in linked {
        for (ns, local) in LABEL_PREDICATES {
            let p = format!("{ns}{local}");
            let subject: NamedOrBlankNodeRef<'_> = target.as_ref().into();
            for quad in store.quads_for_pattern(
                Some(subject),
                Some(NamedNodeRef::new_unchecked(&p)),
                None,
                None,
            ) {
                let quad = quad?;
                if matches!(quad.object, Term::Literal(_)) {
                    let triple = Triple::new(quad.subject, quad.predicate, quad.object);
                    if seen.insert(triple.clone()) {
                        out.push(triple);
                    }
                }
            }
        }
    }
    Ok(Description { triples: out, own })
}
