//! An in-memory view of every SKOS vocabulary in the store: concepts, their labels by
//! language, the hierarchy (from `skos:broader` and `skos:narrower` both), schemes (typed
//! ones and every `skos:inScheme` object), top concepts, deprecation, and which documents
//! are about which concept.
//!
//! Pages (and later search) need the hierarchy on every request; walking it through
//! SPARQL each time is what makes other browsers slow on big vocabularies. The view is
//! built from the store in one pass over the SKOS predicates and cached per generation:
//! the first read after a write rebuilds it. Which documents are filed under which
//! concept is read on first use only (the pages need it, search does not): at a million
//! documents it is most of the cost.

mod build;
mod labels;

pub use labels::{parse_accept_language, LabelSet};

use crate::store::Kg;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Index of a concept in [`Taxonomy::concepts`].
pub type ConceptId = usize;
/// Index of a scheme in [`Taxonomy::schemes`].
pub type SchemeId = usize;
/// Index of a document IRI in the view (see [`Taxonomy::document_iri`]).
pub type DocumentId = u32;

/// A concept.
#[derive(Clone, Debug, Default)]
pub struct Concept {
    /// Its IRI.
    pub iri: String,
    /// `skos:prefLabel`s.
    pub pref: LabelSet,
    /// `skos:altLabel`s.
    pub alt: LabelSet,
    /// `skos:hiddenLabel`s (never shown).
    pub hidden: LabelSet,
    /// `rdfs:label`s (deprecated STW concepts have only these).
    pub rdfs: LabelSet,
    /// Broader concepts (`skos:broader`, and the inverse of `skos:narrower`).
    pub broader: Vec<ConceptId>,
    /// Narrower concepts (both directions, likewise).
    pub narrower: Vec<ConceptId>,
    /// `skos:related`, both directions.
    pub related: Vec<ConceptId>,
    /// Schemes it is in (`skos:inScheme`).
    pub schemes: Vec<SchemeId>,
    /// `owl:deprecated true`.
    pub deprecated: bool,
    /// `dcterms:isReplacedBy` targets.
    pub replaced_by: Vec<String>,
}

impl Concept {
    /// The labels to display: preferred ones, else `rdfs:label`s.
    pub fn display_labels(&self) -> &LabelSet {
        if self.pref.is_empty() {
            &self.rdfs
        } else {
            &self.pref
        }
    }
}

/// A concept scheme.
#[derive(Clone, Debug, Default)]
pub struct Scheme {
    /// Its IRI.
    pub iri: String,
    /// Its labels (`skos:prefLabel`, `dcterms:title`, `rdfs:label`).
    pub labels: LabelSet,
    /// Whether it is typed `skos:ConceptScheme` (else only named by `skos:inScheme`).
    pub typed: bool,
    /// Its members (`skos:inScheme`).
    pub members: Vec<ConceptId>,
    /// Its top concepts: the declared ones, else members without a broader member.
    pub top: Vec<ConceptId>,
}

/// The documents filed under each concept.
#[derive(Debug, Default)]
struct Documents {
    /// Document IRIs by [`DocumentId`].
    iris: Vec<String>,
    /// Per concept, its documents, sorted, each once.
    by_concept: Vec<Vec<DocumentId>>,
}

/// Rolls documents' subjects up the hierarchy: for each document, every concept at or
/// above its subjects, once, even through two parents. Feed one document's subjects
/// together (documents numbered below `u32::MAX`); ancestors are computed once per
/// concept.
struct RollUp<'a> {
    tax: &'a Taxonomy,
    up: Vec<Option<Vec<ConceptId>>>,
    stamp: Vec<u32>,
}

impl<'a> RollUp<'a> {
    /// A roll-up over `tax`.
    pub fn new(tax: &'a Taxonomy) -> Self {
        Self {
            tax,
            up: vec![None; tax.concepts.len()],
            stamp: vec![u32::MAX; tax.concepts.len()],
        }
    }

    /// Calls `f` with each concept at or above `subject` not yet seen for `doc`.
    pub fn visit(&mut self, doc: u32, subject: ConceptId, mut f: impl FnMut(ConceptId)) {
        let tax = self.tax;
        let Some(up) = self.up.get_mut(subject) else {
            return;
        };
        for &a in up.get_or_insert_with(|| tax.ancestors(subject)).iter() {
            if self.stamp[a] != doc {
                self.stamp[a] = doc;
                f(a);
            }
        }
    }
}

/// The view.
#[derive(Default)]
pub struct Taxonomy {
    /// The store generation it was built at.
    pub generation: u64,
    /// Every concept.
    pub concepts: Vec<Concept>,
    /// Every scheme, sorted by IRI.
    pub schemes: Vec<Scheme>,
    by_iri: HashMap<String, ConceptId>,
    scheme_by_iri: HashMap<String, SchemeId>,
    /// A fingerprint of the concepts and their broader links (equal across writes that
    /// leave every concept and the hierarchy as they were).
    pub hierarchy: u64,
    /// Which documents are filed under which concept, read from the store on first use:
    /// at a million documents that is most of the view's cost, and search never needs it.
    documents: std::sync::OnceLock<Documents>,
    /// The store the view was read from, for the documents.
    store: Option<oxigraph::store::Store>,
    /// Transitive document counts, computed on first use.
    subtree_documents: std::sync::OnceLock<Vec<usize>>,
}

impl std::fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Taxonomy")
            .field("generation", &self.generation)
            .field("concepts", &self.concepts.len())
            .field("schemes", &self.schemes.len())
            .finish_non_exhaustive()
    }
}

impl Taxonomy {
    fn documents(&self) -> &Documents {
        self.documents.get_or_init(|| {
            let Some(store) = &self.store else {
                return Documents::default();
            };
            build::documents(store, self).unwrap_or_else(|e| {
                tracing::error!(error = %e, "reading the documents of the taxonomy view failed");
                Documents::default()
            })
        })
    }

    /// The documents whose `dcterms:subject` concept `id` is, sorted, each once.
    pub fn documents_of(&self, id: ConceptId) -> &[DocumentId] {
        self.documents()
            .by_concept
            .get(id)
            .map_or(&[], Vec::as_slice)
    }

    /// The concept with this IRI.
    pub fn concept(&self, iri: &str) -> Option<ConceptId> {
        self.by_iri.get(iri).copied()
    }

    /// The scheme with this IRI.
    pub fn scheme(&self, iri: &str) -> Option<SchemeId> {
        self.scheme_by_iri.get(iri).copied()
    }

    /// `id` and every concept below it (each once, cycles tolerated).
    pub fn descendants(&self, id: ConceptId) -> Vec<ConceptId> {
        self.closure(id, |c| &c.narrower)
    }

    /// `id` and every concept above it (each once, cycles tolerated).
    pub fn ancestors(&self, id: ConceptId) -> Vec<ConceptId> {
        self.closure(id, |c| &c.broader)
    }

    /// Calls `f` with every concept and the concepts at or above it (itself included, each
    /// once), walking the hierarchy with one "seen" array for all of them: calling
    /// [`Self::ancestors`] per concept would clear one per call, the square of a large
    /// vocabulary's size.
    pub fn for_each_upward_closure(&self, mut f: impl FnMut(ConceptId, &[ConceptId])) {
        let n = self.concepts.len();
        let mut seen = vec![usize::MAX; n];
        let (mut stack, mut up) = (Vec::new(), Vec::new());
        for c in 0..n {
            up.clear();
            stack.push(c);
            while let Some(a) = stack.pop() {
                if std::mem::replace(&mut seen[a], c) != c {
                    up.push(a);
                    stack.extend(self.concepts[a].broader.iter().copied());
                }
            }
            f(c, &up);
        }
    }

    /// `id` and every concept reachable from it through `next`, each once.
    fn closure(&self, id: ConceptId, next: fn(&Concept) -> &Vec<ConceptId>) -> Vec<ConceptId> {
        let mut seen = vec![false; self.concepts.len()];
        let mut stack = vec![id];
        let mut out = Vec::new();
        while let Some(c) = stack.pop() {
            if std::mem::replace(&mut seen[c], true) {
                continue;
            }
            out.push(c);
            stack.extend(next(&self.concepts[c]).iter().copied());
        }
        out
    }

    /// The IRI of a document.
    pub fn document_iri(&self, id: DocumentId) -> &str {
        self.documents()
            .iris
            .get(id as usize)
            .map_or("", String::as_str)
    }

    /// The distinct documents about `id` or a concept below it, sorted.
    pub fn documents_below(&self, id: ConceptId) -> Vec<DocumentId> {
        let mut docs: Vec<DocumentId> = self
            .descendants(id)
            .into_iter()
            .flat_map(|c| self.documents_of(c).iter().copied())
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    /// The number of distinct documents about each concept or a concept below it. One
    /// pass over the (document, concept) pairs: each document counts once for every
    /// concept above its subjects, even through two parents.
    pub fn subtree_document_counts(&self) -> &[usize] {
        self.subtree_documents.get_or_init(|| {
            let n = self.concepts.len();
            let mut pairs: Vec<(DocumentId, ConceptId)> = Vec::new();
            for (c, docs) in self.documents().by_concept.iter().enumerate() {
                pairs.extend(docs.iter().map(|&d| (d, c)));
            }
            pairs.sort_unstable();
            let mut roll_up = RollUp::new(self);
            let mut counts = vec![0usize; n];
            for (d, c) in pairs {
                roll_up.visit(d, c, |a| counts[a] += 1);
            }
            counts
        })
    }

    /// Every path from a top concept (one without broader concepts) down to `id`, each
    /// listed top first; at most `limit` paths.
    pub fn paths_to(&self, id: ConceptId, limit: usize) -> Vec<Vec<ConceptId>> {
        let mut out = Vec::new();
        let mut path = vec![id];
        self.walk_up(id, &mut path, &mut out, limit);
        out
    }

    fn walk_up(
        &self,
        id: ConceptId,
        path: &mut Vec<ConceptId>,
        out: &mut Vec<Vec<ConceptId>>,
        limit: usize,
    ) {
        if out.len() >= limit {
            return;
        }
        let parents: Vec<_> = self.concepts[id]
            .broader
            .iter()
            .copied()
            .filter(|p| !path.contains(p))
            .collect();
        if parents.is_empty() {
            out.push(path.iter().rev().copied().collect());
            return;
        }
        for p in parents {
            path.push(p);
            self.walk_up(p, path, out, limit);
            path.pop();
        }
    }
}

/// The view, rebuilt at most once per generation.
#[derive(Debug, Default)]
pub struct TaxonomyCache {
    current: Mutex<Option<Arc<Taxonomy>>>,
}

impl TaxonomyCache {
    /// The view at the store's current generation (building it if needed). Blocking.
    pub fn get(&self, kg: &Kg) -> Result<Arc<Taxonomy>, crate::store::StoreError> {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        let generation = kg.generation();
        if let Some(t) = current.as_ref() {
            if t.generation == generation {
                return Ok(t.clone());
            }
        }
        let built = Arc::new(build::build(kg.public_store(), generation)?);
        *current = Some(built.clone());
        Ok(built)
    }
}
