//! What every page needs to name and link resources: hrefs relative to the page, labels
//! in the reader's language, links to the data formats.

use crate::ld::LABEL_PREDICATES;
use crate::render::{Alternate, Link};
use crate::skos::{ConceptId, LabelSet, Taxonomy};
use crate::store::Kg;
use oxigraph::model::{NamedNodeRef, Term};

/// Percent-encodes a query parameter value.
pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The data formats of a resource, with their extension.
pub const DATA_FORMATS: &[(&str, &str, &str)] = &[
    ("ttl", "text/turtle", "Turtle"),
    ("jsonld", "application/ld+json", "JSON-LD"),
    ("nt", "application/n-triples", "N-Triples"),
    ("rdf", "application/rdf+xml", "RDF/XML"),
];

/// The page-building context.
pub struct Site<'a> {
    /// The knowledge graph.
    pub kg: &'a Kg,
    /// The taxonomy view.
    pub tax: &'a Taxonomy,
    /// The reader's languages, best first.
    pub langs: &'a [String],
    /// The relative path from the page to the root.
    pub root: String,
}

impl Site<'_> {
    /// The relative path under the base, if `iri` is one of ours with a page route.
    pub fn local_path<'i>(&self, iri: &'i str) -> Option<&'i str> {
        let rel = self.kg.base().relative(iri)?;
        let (kind, slug) = rel.split_once('/')?;
        (crate::iri::RESOURCE_KINDS.contains(&kind) && !slug.is_empty() && !slug.contains('/'))
            .then_some(rel)
    }

    /// The page of `iri`.
    pub fn href(&self, iri: &str) -> String {
        match self.local_path(iri) {
            Some(rel) => format!("{}page/{rel}", self.root),
            None => format!("{}page?iri={}", self.root, enc(iri)),
        }
    }

    /// The data links of `iri`, the HTML page first.
    pub fn alternates(&self, iri: &str) -> Vec<Alternate> {
        let mut out = vec![Alternate {
            media: "text/html",
            name: "HTML",
            href: self.href(iri),
        }];
        for (ext, media, name) in DATA_FORMATS {
            let href = match self.local_path(iri) {
                Some(rel) => format!("{}data/{rel}.{ext}", self.root),
                None => format!("{}data?iri={}&format={ext}", self.root, enc(iri)),
            };
            out.push(Alternate { media, name, href });
        }
        out
    }

    /// The best label of `set`.
    pub fn best(&self, set: &LabelSet) -> Option<(String, String)> {
        set.best(self.langs)
            .map(|(l, v)| (l.to_owned(), v.to_owned()))
    }

    /// The label of any resource: the taxonomy's, else a naming property's, else the
    /// end of its IRI.
    pub fn label_of(&self, iri: &str) -> (String, Option<String>) {
        if let Some(c) = self.tax.concept(iri) {
            if let Some((l, v)) = self.best(self.tax.concepts[c].display_labels()) {
                return (v, Some(l).filter(|l| !l.is_empty()));
            }
        }
        if let Some(s) = self.tax.scheme(iri) {
            if let Some((l, v)) = self.best(&self.tax.schemes[s].labels) {
                return (v, Some(l).filter(|l| !l.is_empty()));
            }
        }
        if let Some((l, v)) = self.best(&self.stored_labels(iri)) {
            return (v, Some(l).filter(|l| !l.is_empty()));
        }
        (local_name(iri).to_owned(), None)
    }

    /// The naming-property labels of `iri` in the store.
    pub fn stored_labels(&self, iri: &str) -> LabelSet {
        let mut set = LabelSet::default();
        let Ok(node) = NamedNodeRef::new(iri) else {
            return set;
        };
        for (ns, local) in LABEL_PREDICATES {
            let p = format!("{ns}{local}");
            for quad in self
                .kg
                .public_store()
                .quads_for_pattern(
                    Some(node.into()),
                    Some(NamedNodeRef::new_unchecked(&p)),
                    None,
                    None,
                )
                .flatten()
            {
                if let Term::Literal(l) = quad.object {
                    set.push(l.language().unwrap_or(""), l.value());
                }
            }
            if !set.is_empty() {
                break;
            }
        }
        set
    }

    /// A link to any resource.
    pub fn link(&self, iri: &str) -> Link {
        if let Some(c) = self.tax.concept(iri) {
            return self.concept_link(c);
        }
        let (label, lang) = self.label_of(iri);
        Link {
            href: self.href(iri),
            label,
            lang,
            ..Link::default()
        }
    }

    /// A link to a concept.
    pub fn concept_link(&self, id: ConceptId) -> Link {
        let c = &self.tax.concepts[id];
        let (label, lang) = match self.best(c.display_labels()) {
            Some((l, v)) => (v, Some(l).filter(|l| !l.is_empty())),
            None => (local_name(&c.iri).to_owned(), None),
        };
        Link {
            href: self.href(&c.iri),
            label,
            lang,
            deprecated: c.deprecated,
            ..Link::default()
        }
    }

    /// The concept tree below `ids`, with document counts; `depth` levels open to build
    /// (each node once per path, cycles cut).
    pub fn tree(&self, ids: &[ConceptId], depth: usize, path: &mut Vec<ConceptId>) -> Vec<Link> {
        let counts = self.tax.subtree_document_counts();
        let ids: Vec<ConceptId> = ids
            .iter()
            .copied()
            .filter(|id| !path.contains(id))
            .collect();
        ids.into_iter()
            .map(|id| {
                let mut link = self.concept_link(id);
                link.count = Some(counts[id]).filter(|n| *n > 0);
                if depth > 0 {
                    path.push(id);
                    link.children = self.tree(&self.tax.concepts[id].narrower, depth - 1, path);
                    path.pop();
                }
                link
            })
            .collect()
    }
}

/// The last segment of an IRI, for resources with no label.
pub fn local_name(iri: &str) -> &str {
    let trimmed = iri.trim_end_matches(['/', '#']);
    trimmed
        .rsplit(['/', '#'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(iri)
}
