//! The exact change a write makes, built while it runs inside one Oxigraph transaction.
//!
//! Every write path hands its operations to a [`Change`]: an insert of a quad that is
//! already there, or a removal of one that is not, changes nothing and is not recorded; a
//! quad removed and inserted again in the same write cancels out. What remains is the
//! exact delta — the quads added and removed — from which the triple counts are kept and
//! the touched resources are journaled.

use super::error::Result;
use oxigraph::model::{
    GraphName, GraphNameRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, QuadRef, Term,
};
use oxigraph::store::Transaction;
use std::collections::{BTreeSet, HashSet};

/// Above this many touched resources a journal entry says "anything" instead of listing
/// them, and consumers rebuild.
const MAX_LISTED_RESOURCES: usize = 100_000;

/// A write in progress: an open transaction plus the exact delta so far.
pub struct Change<'a> {
    txn: Transaction<'a>,
    added: HashSet<Quad>,
    removed: HashSet<Quad>,
    graphs: BTreeSet<String>,
}

impl<'a> Change<'a> {
    pub(super) fn new(txn: Transaction<'a>) -> Self {
        Self {
            txn,
            added: HashSet::new(),
            removed: HashSet::new(),
            graphs: BTreeSet::new(),
        }
    }

    /// The transaction, to read the store as this write has changed it so far (for
    /// example to evaluate the `WHERE` of an update).
    pub fn transaction(&self) -> &Transaction<'a> {
        &self.txn
    }

    /// Inserts a quad; returns whether it was new.
    pub fn insert(&mut self, quad: QuadRef<'_>) -> Result<bool> {
        if self.txn.contains(quad)? {
            return Ok(false);
        }
        let owned = quad.into_owned();
        self.graphs.insert(graph_key(quad.graph_name));
        if !self.removed.remove(&owned) {
            self.added.insert(owned);
        }
        self.txn.insert(quad);
        Ok(true)
    }

    /// Removes a quad; returns whether it was there.
    pub fn remove(&mut self, quad: QuadRef<'_>) -> Result<bool> {
        if !self.txn.contains(quad)? {
            return Ok(false);
        }
        let owned = quad.into_owned();
        self.graphs.insert(graph_key(quad.graph_name));
        if !self.added.remove(&owned) {
            self.removed.insert(owned);
        }
        self.txn.remove(quad);
        Ok(true)
    }

    /// Removes every quad of `graph` (the named graph itself stays, if it is one).
    pub fn clear_graph(&mut self, graph: GraphNameRef<'_>) -> Result<usize> {
        let quads = self
            .txn
            .quads_for_pattern(None, None, None, Some(graph))
            .collect::<Result<Vec<_>, _>>()?;
        for q in &quads {
            self.remove(q.as_ref())?;
        }
        self.graphs.insert(graph_key(graph));
        Ok(quads.len())
    }

    /// Declares an (empty) named graph.
    pub fn create_named_graph(&mut self, graph: NamedOrBlankNodeRef<'_>) -> Result<bool> {
        if self.txn.contains_named_graph(graph)? {
            return Ok(false);
        }
        self.graphs.insert(graph.to_string_key());
        self.txn.insert_named_graph(graph);
        Ok(true)
    }

    /// Removes a named graph and all its quads; returns whether it existed.
    pub fn drop_named_graph(&mut self, graph: NamedOrBlankNodeRef<'_>) -> Result<bool> {
        let existed = self.txn.contains_named_graph(graph)?;
        self.clear_graph(GraphNameRef::from(graph))?;
        if existed {
            self.txn.remove_named_graph(graph)?;
        }
        Ok(existed)
    }

    /// The named graphs of the store as this write sees it.
    pub fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>> {
        Ok(self.txn.named_graphs().collect::<Result<Vec<_>, _>>()?)
    }

    /// Whether nothing changed (no quad added or removed, no graph created or dropped).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.graphs.is_empty()
    }

    pub(super) fn finish(self) -> (Transaction<'a>, Delta) {
        let resources = touched_resources(self.added.iter().chain(self.removed.iter()));
        (
            self.txn,
            Delta {
                added: self.added.into_iter().collect(),
                removed: self.removed.into_iter().collect(),
                graphs: self.graphs.into_iter().collect(),
                resources,
            },
        )
    }
}

/// The net effect of one write.
#[derive(Clone, Debug, Default)]
pub struct Delta {
    /// Quads that were not there before and are now.
    pub added: Vec<Quad>,
    /// Quads that were there before and are not now.
    pub removed: Vec<Quad>,
    /// Graph keys ([`graph_key`]) touched.
    pub graphs: Vec<String>,
    /// Resources touched, or `None` if there were too many to list.
    pub resources: Option<Vec<String>>,
}

/// The journal's name of a graph: `""` for the default graph, else its IRI or `_:id`.
pub fn graph_key(graph: GraphNameRef<'_>) -> String {
    match graph {
        GraphNameRef::DefaultGraph => String::new(),
        GraphNameRef::NamedNode(n) => n.as_str().to_owned(),
        GraphNameRef::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// The graph a [`graph_key`] names.
pub fn graph_from_key(key: &str) -> GraphName {
    if key.is_empty() {
        GraphName::DefaultGraph
    } else if let Some(id) = key.strip_prefix("_:") {
        GraphName::BlankNode(oxigraph::model::BlankNode::new_unchecked(id))
    } else {
        GraphName::NamedNode(oxigraph::model::NamedNode::new_unchecked(key))
    }
}

trait ToStringKey {
    fn to_string_key(&self) -> String;
}

impl ToStringKey for NamedOrBlankNodeRef<'_> {
    fn to_string_key(&self) -> String {
        graph_key(GraphNameRef::from(*self))
    }
}

fn touched_resources<'q>(quads: impl Iterator<Item = &'q Quad>) -> Option<Vec<String>> {
    let mut out = BTreeSet::new();
    for q in quads {
        out.insert(match &q.subject {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
        });
        match &q.object {
            Term::NamedNode(n) => {
                out.insert(n.as_str().to_owned());
            }
            Term::BlankNode(b) => {
                out.insert(format!("_:{}", b.as_str()));
            }
            _ => {}
        }
        if out.len() > MAX_LISTED_RESOURCES {
            return None;
        }
    }
    Some(out.into_iter().collect())
}
