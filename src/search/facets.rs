//! Facets of a search: counts by kind, publisher and year, and by concept rolled up the
//! hierarchy (a document counts once for each broader concept, even through two parents).

use super::error::SearchError;
use super::query::term_query;
use super::query::{ConceptFacet, Facets, PublisherFacet, ValueCount};
use super::SearchIndex;
use crate::skos::{ConceptId, Taxonomy};
use std::collections::{BTreeMap, HashMap, HashSet};
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::Query;
use tantivy::schema::document::Value as _;
use tantivy::{Searcher, TantivyDocument};

impl SearchIndex {
    pub(super) fn facets(
        &self,
        tax: &Taxonomy,
        searcher: &Searcher,
        query: &dyn Query,
        langs: &[String],
    ) -> Result<Facets, SearchError> {
        let by_segment = searcher.search(query, &DocIds)?;
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        let mut publishers: BTreeMap<String, usize> = BTreeMap::new();
        let mut years: BTreeMap<u64, usize> = BTreeMap::new();
        // Per-concept counters with a stamp per document, instead of a set per document.
        let mut counts = vec![0usize; tax.concepts.len()];
        let mut stamp = vec![usize::MAX; tax.concepts.len()];
        let mut serial = 0usize;
        let mut buf = String::new();
        // Count by term ordinal first and turn each distinct ordinal into its string once:
        // dictionary lookups are the expensive part.
        let mut ancestor_cache: Vec<Option<Vec<ConceptId>>> = vec![None; tax.concepts.len()];
        for (segment_ord, docs) in by_segment {
            let reader = searcher.segment_reader(segment_ord);
            let ff = reader.fast_fields();
            let count_ords = |column: &Option<tantivy::columnar::StrColumn>,
                              out: &mut BTreeMap<String, usize>,
                              buf: &mut String| {
                let Some(col) = column else { return };
                let mut by_ord: HashMap<u64, usize> = HashMap::new();
                for &doc in &docs {
                    for ord in col.term_ords(doc) {
                        *by_ord.entry(ord).or_default() += 1;
                    }
                }
                let _ = buf;
                for (text, n) in resolve_ords(col, by_ord.keys().copied())
                    .into_iter()
                    .zip_counts(&by_ord)
                {
                    *out.entry(text).or_default() += n;
                }
            };
            count_ords(&ff.str("kind")?, &mut kinds, &mut buf);
            count_ords(&ff.str("publisher")?, &mut publishers, &mut buf);
            if let Ok(col) = ff.u64("year") {
                for &doc in &docs {
                    for y in col.values_for_doc(doc) {
                        *years.entry(y).or_default() += 1;
                    }
                }
            }
            if let Some(col) = ff.str("subject")? {
                let concept_of: HashMap<u64, Option<ConceptId>> =
                    resolve_ords(&col, docs.iter().flat_map(|&d| col.term_ords(d)))
                        .into_iter()
                        .map(|(ord, iri)| (ord, tax.concept(&iri)))
                        .collect();
                for &doc in &docs {
                    serial += 1;
                    for ord in col.term_ords(doc) {
                        let Some(c) = concept_of.get(&ord).copied().flatten() else {
                            continue;
                        };
                        let up = ancestor_cache[c].get_or_insert_with(|| {
                            let mut set = HashSet::new();
                            ancestors(tax, c, &mut set);
                            set.into_iter().collect()
                        });
                        for &a in up.iter() {
                            if stamp[a] != serial {
                                stamp[a] = serial;
                                counts[a] += 1;
                            }
                        }
                    }
                }
            }
        }
        let concept_counts: HashMap<ConceptId, usize> = counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| (c, *n))
            .collect();
        let label = |c: ConceptId| {
            tax.concepts[c]
                .display_labels()
                .best(langs)
                .map(|(_, v)| v.to_owned())
                .unwrap_or_else(|| tax.concepts[c].iri.clone())
        };
        let roots: Vec<ConceptId> = {
            let mut r: Vec<ConceptId> = concept_counts
                .keys()
                .copied()
                .filter(|&c| {
                    !tax.concepts[c]
                        .broader
                        .iter()
                        .any(|b| concept_counts.contains_key(b))
                })
                .collect();
            r.sort_by_key(|&c| (std::cmp::Reverse(concept_counts[&c]), label(c)));
            r
        };
        let concept = roots
            .into_iter()
            .take(FACET_VALUES)
            .map(|c| facet_tree(tax, c, &concept_counts, &label, &mut Vec::new()))
            .collect();
        let mut kind: Vec<ValueCount> = kinds
            .into_iter()
            .map(|(value, count)| ValueCount { value, count })
            .collect();
        kind.sort_by_key(|v| std::cmp::Reverse(v.count));
        let mut publishers: Vec<(String, usize)> = publishers.into_iter().collect();
        publishers.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
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

    fn name_of(&self, iri: &str) -> Option<String> {
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

/// The strings of term ordinals, decoded in one sorted pass over the dictionary.
fn resolve_ords(
    col: &tantivy::columnar::StrColumn,
    ords: impl Iterator<Item = u64>,
) -> Vec<(u64, String)> {
    let mut sorted: Vec<u64> = ords.collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut texts = Vec::with_capacity(sorted.len());
    let _ = col.dictionary().sorted_ords_to_term_cb(&sorted, |bytes| {
        texts.push(String::from_utf8_lossy(bytes).into_owned())
    });
    sorted.into_iter().zip(texts).collect()
}

/// Pairs resolved ordinals with their counts.
trait ZipCounts {
    fn zip_counts(self, counts: &HashMap<u64, usize>) -> Vec<(String, usize)>;
}

impl ZipCounts for std::vec::IntoIter<(u64, String)> {
    fn zip_counts(self, counts: &HashMap<u64, usize>) -> Vec<(String, usize)> {
        self.map(|(ord, text)| (text, counts.get(&ord).copied().unwrap_or(0)))
            .collect()
    }
}

fn ancestors(tax: &Taxonomy, c: ConceptId, seen: &mut HashSet<ConceptId>) {
    if seen.insert(c) {
        for &b in &tax.concepts[c].broader {
            ancestors(tax, b, seen);
        }
    }
}

/// Facet values shown per level (the most frequent first), and levels shown.
const FACET_VALUES: usize = 12;
const FACET_DEPTH: usize = 3;

fn facet_tree(
    tax: &Taxonomy,
    c: ConceptId,
    counts: &HashMap<ConceptId, usize>,
    label: &dyn Fn(ConceptId) -> String,
    path: &mut Vec<ConceptId>,
) -> ConceptFacet {
    path.push(c);
    let mut below: Vec<ConceptId> = if path.len() < FACET_DEPTH {
        tax.concepts[c]
            .narrower
            .iter()
            .copied()
            .filter(|n| counts.contains_key(n) && !path.contains(n))
            .collect()
    } else {
        Vec::new()
    };
    below.sort_by_key(|n| std::cmp::Reverse(counts[n]));
    let children = below
        .into_iter()
        .take(FACET_VALUES)
        .map(|n| facet_tree(tax, n, counts, label, path))
        .collect();
    path.pop();
    ConceptFacet {
        iri: tax.concepts[c].iri.clone(),
        label: label(c),
        count: counts[&c],
        children,
    }
}

/// Collects the matching document ids per segment (in order), for facet counting.
struct DocIds;

struct SegmentDocIds(u32, Vec<u32>);

impl Collector for DocIds {
    type Fruit = Vec<(u32, Vec<u32>)>;
    type Child = SegmentDocIds;

    fn for_segment(
        &self,
        segment_ord: u32,
        _reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentDocIds(segment_ord, Vec::new()))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(u32, Vec<u32>)>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits
            .into_iter()
            .filter(|(_, docs)| !docs.is_empty())
            .collect())
    }
}

impl SegmentCollector for SegmentDocIds {
    type Fruit = (u32, Vec<u32>);

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        self.1.push(doc);
    }

    fn harvest(self) -> Self::Fruit {
        (self.0, self.1)
    }
}
