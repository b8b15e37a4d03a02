//! Facets of a search: counts by kind, publisher and year, and by concept rolled up the
//! hierarchy (a document counts once for each broader concept, even through two parents).

use super::error::SearchError;
use super::facet_count::FacetCounts;
use super::query::term_query;
use super::query::{ConceptFacet, Facets, PublisherFacet, ValueCount};
use super::SearchIndex;
use crate::skos::{ConceptId, Taxonomy};
use std::collections::{BTreeMap, HashMap};
use std::sync::PoisonError;
use tantivy::collector::TopDocs;
use tantivy::schema::document::Value as _;
use tantivy::TantivyDocument;

impl SearchIndex {
    /// The facets of a result from what its matches added up to.
    pub(super) fn facets(
        &self,
        tax: &Taxonomy,
        counted: FacetCounts,
        langs: &[String],
    ) -> Result<Facets, SearchError> {
        let FacetCounts {
            kinds,
            publishers,
            years,
            concepts: counts,
        } = counted;
        let years: BTreeMap<u64, usize> = years.into_iter().collect();
        let label = |c: ConceptId| {
            let concept = &tax.concepts[c];
            concept
                .display_labels()
                .best(langs)
                .map_or(concept.iri.as_str(), |(_, v)| v)
        };
        let counted = |c: &ConceptId| counts.get(*c).is_some_and(|n| *n > 0);
        // The roots: counted concepts without a counted broader concept, the most
        // frequent first, labels ordering ties. Only the roots that can be shown are
        // sorted (a large result has thousands, most of them counted once).
        let mut roots: Vec<ConceptId> = (0..counts.len())
            .filter(|c| counted(c) && !tax.concepts[*c].broader.iter().any(counted))
            .collect();
        if roots.len() > FACET_VALUES {
            roots.select_nth_unstable_by_key(FACET_VALUES - 1, |&c| std::cmp::Reverse(counts[c]));
            let least = counts[roots[FACET_VALUES - 1]];
            roots.retain(|&c| counts[c] >= least);
        }
        roots.sort_by(|&a, &b| {
            counts[b]
                .cmp(&counts[a])
                .then_with(|| label(a).cmp(label(b)))
        });
        let concept = roots
            .into_iter()
            .take(FACET_VALUES)
            .map(|c| facet_tree(tax, c, &counts, &label, &mut Vec::new()))
            .collect();
        let mut kind: Vec<ValueCount> = kinds
            .into_iter()
            .map(|(value, count)| ValueCount { value, count })
            .collect();
        kind.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        let mut publishers: Vec<(String, usize)> = publishers.into_iter().collect();
        publishers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let publisher: Vec<PublisherFacet> = publishers
            .into_iter()
            .take(FACET_VALUES * 2)
            .map(|(iri, count)| PublisherFacet {
                label: self.name_of(&iri).unwrap_or_else(|| iri.clone()),
                iri,
                count,
            })
            .collect();
        let year = years
            .into_iter()
            .rev()
            .map(|(y, count)| ValueCount {
                value: y.to_string(),
                count,
            })
            .collect();
        Ok(Facets {
            concept,
            kind,
            publisher,
            year,
        })
    }

    /// The name of the organisation `iri`, remembered for the current index generation.
    fn name_of(&self, iri: &str) -> Option<String> {
        let generation = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        {
            let names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
            if names.0 == generation {
                if let Some(name) = names.1.get(iri) {
                    return name.clone();
                }
            }
        }
        let name = self.find_name(iri);
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        if names.0 != generation {
            *names = (generation, HashMap::new());
        }
        names.1.insert(iri.to_owned(), name.clone());
        name
    }

    fn find_name(&self, iri: &str) -> Option<String> {
        let searcher = self.reader().searcher();
        let found = searcher
            .search(
                &*term_query(self.fields().iri, iri),
                &TopDocs::with_limit(1).order_by_score(),
            )
            .ok()?;
        let (_, addr) = found.first()?;
        let doc: TantivyDocument = searcher.doc(*addr).ok()?;
        let labels: BTreeMap<String, Vec<(String, String)>> =
            serde_json::from_str(doc.get_first(self.fields().labels)?.as_str()?).ok()?;
        labels
            .get("name")
            .or_else(|| labels.get("pref"))?
            .first()
            .map(|(_, v)| v.clone())
    }
}

/// Facet values shown per level (the most frequent first), and levels shown.
const FACET_VALUES: usize = 12;
const FACET_DEPTH: usize = 3;

fn facet_tree<'a>(
    tax: &'a Taxonomy,
    c: ConceptId,
    counts: &[usize],
    label: &dyn Fn(ConceptId) -> &'a str,
    path: &mut Vec<ConceptId>,
) -> ConceptFacet {
    let count = |n: ConceptId| counts.get(n).copied().unwrap_or(0);
    path.push(c);
    let mut below: Vec<ConceptId> = if path.len() < FACET_DEPTH {
        tax.concepts[c]
            .narrower
            .iter()
            .copied()
            .filter(|&n| count(n) > 0 && !path.contains(&n))
            .collect()
    } else {
        Vec::new()
    };
    below.sort_by_key(|&n| std::cmp::Reverse(count(n)));
    let children = below
        .into_iter()
        .take(FACET_VALUES)
        .map(|n| facet_tree(tax, n, counts, label, path))
        .collect();
    path.pop();
    ConceptFacet {
        iri: tax.concepts[c].iri.clone(),
        label: label(c).to_owned(),
        count: count(c),
        children,
    }
}
