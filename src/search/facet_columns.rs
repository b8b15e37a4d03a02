//! Per-segment facet columns: each document's kind, publishers, years and subjects as
//! small integers, built once per index segment and counted per query.
//!
//! Counting facets from tantivy's fast fields on every request means resolving term
//! ordinals and walking the hierarchy for every matching document; at a million documents
//! that alone took tens of milliseconds. Segments never change once written, so their
//! columns are built once, and a query only adds up integers.
//!
//! Concept counts roll up the hierarchy, a document counting once under each broader
//! concept even through two parents. Storing every document's whole upward closure made
//! rows of some 18 values, and counting a million-document result became memory-bound. A
//! row holds instead the document's direct subjects, plus a correction for each concept
//! that two of its subjects share above them (inclusion–exclusion: a concept reached from
//! `m` subjects is counted `m` times by the roll-up and corrected `m - 1` times). The
//! per-query roll-up then runs over concepts, not documents. Corrections depend on the
//! hierarchy, so the columns are keyed by its fingerprint: a write that moves a concept
//! rebuilds them, one that adds documents builds only the new segment's.
//!
//! The columns also list each concept's documents (see `filed_under`). Counting is in
//! `facet_count`.

use super::error::SearchError;
use super::facet_count::FacetCollector;
use super::facet_rows::{id, Lists, Rows};
use super::filed_under::FiledUnder;
use crate::skos::{ConceptId, Taxonomy};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SegmentReader};

/// One segment's columns: per document one row of facet values, in one value space —
/// the document's combination of kind, publishers and years first, then its direct
/// subjects (one value per concept) and its corrections (one per concept) — so that
/// counting a match reads one row and bumps one array; and per concept the documents
/// filed under it.
#[derive(Debug, Default)]
pub(super) struct SegmentFacets {
    pub(super) rows: Rows,
    by_concept: Lists,
    /// Each combination's values: kinds, then publishers (after the kinds), then years.
    combos: Lists,
    pub(super) kind_names: Vec<String>,
    pub(super) publisher_names: Vec<String>,
    pub(super) years: Vec<u64>,
}

/// A string fast field's term ordinals per document, and the ordinals' strings.
fn ordinals(
    column: Option<tantivy::columnar::StrColumn>,
    max_doc: DocId,
) -> Result<(Vec<Vec<u32>>, Vec<String>), SearchError> {
    let Some(col) = column else {
        return Ok((vec![Vec::new(); max_doc as usize], Vec::new()));
    };
    let rows = (0..max_doc)
        .map(|doc| {
            col.term_ords(doc)
                .map(|o| u32::try_from(o).unwrap_or(u32::MAX))
                .collect()
        })
        .collect();
    let mut names = Vec::new();
    let ords: Vec<u64> = (0..col.dictionary().num_terms() as u64).collect();
    col.dictionary()
        .sorted_ords_to_term_cb(&ords, |bytes| {
            names.push(String::from_utf8_lossy(bytes).into_owned())
        })
        .map_err(|e| SearchError::Io(e.to_string()))?;
    Ok((rows, names))
}

/// Every concept's upward closure (itself included), for one hierarchy.
#[derive(Debug, Default)]
pub(super) struct Ancestors {
    up: Lists,
}

impl Ancestors {
    fn new(tax: &Taxonomy) -> Self {
        // One flat list: the per-query roll-up reads them all in order.
        let mut up = Lists::default();
        let mut row = Vec::new();
        tax.for_each_upward_closure(|_, closure| {
            row.clear();
            row.extend(closure.iter().map(|&a| id(a)));
            up.push(&row);
        });
        Self { up }
    }

    /// The concepts at or above `c`.
    pub(super) fn of(&self, c: ConceptId) -> &[u32] {
        self.up.get(c)
    }

    /// How many concepts there are.
    pub(super) fn len(&self) -> usize {
        self.up.len()
    }
}

impl SegmentFacets {
    fn build(
        reader: &SegmentReader,
        tax: &Taxonomy,
        ancestors: &Ancestors,
    ) -> Result<Self, SearchError> {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        let (kinds, kind_names) = ordinals(ff.str("kind")?, max_doc)?;
        let (publishers, publisher_names) = ordinals(ff.str("publisher")?, max_doc)?;
        let (subjects, subject_iris) = ordinals(ff.str("subject")?, max_doc)?;
        let year_column = ff.u64("year").ok();
        let years_of = |doc: DocId| -> Vec<u64> {
            year_column
                .iter()
                .flat_map(|col| col.values_for_doc(doc))
                .collect()
        };
        let mut years: Vec<u64> = (0..max_doc).flat_map(years_of).collect();
        years.sort_unstable();
        years.dedup();
        let (k, p, n) = (kind_names.len(), publisher_names.len(), tax.concepts.len());
        // Documents share a handful of kind, publisher and year combinations: a row holds
        // the combination's number, one count instead of three or more.
        let mut combos = Lists::default();
        let mut combo_of: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut row = Vec::new();
        let doc_combos: Vec<u32> = (0..max_doc)
            .map(|doc| {
                row.clear();
                let d = doc as usize;
                row.extend(kinds[d].iter().copied());
                row.extend(publishers[d].iter().map(|&o| o.saturating_add(id(k))));
                for year in years_of(doc) {
                    if let Ok(i) = years.binary_search(&year) {
                        row.push(id(k + p + i));
                    }
                }
                *combo_of.entry(row.clone()).or_insert_with(|| {
                    combos.push(&row);
                    id(combos.len() - 1)
                })
            })
            .collect();
        let base = combos.len();
        let concept_of: Vec<Option<ConceptId>> =
            subject_iris.iter().map(|iri| tax.concept(iri)).collect();
        let mut rows = Lists::default();
        let mut direct = Vec::new();
        // How many of the current document's subjects reach each concept, and when the
        // entry was last reset (`stamp[c] == doc + 1`).
        let mut reached = vec![0u32; n];
        let mut stamp = vec![0u32; n];
        let mut shared = Vec::new();
        let mut filed: Vec<(u32, DocId)> = Vec::new();
        for doc in 0..max_doc {
            row.clear();
            let d = doc as usize;
            row.push(doc_combos[d]);
            direct.clear();
            direct.extend(
                subjects[d]
                    .iter()
                    .filter_map(|&ord| concept_of.get(ord as usize).copied().flatten()),
            );
            direct.sort_unstable();
            direct.dedup();
            row.extend(direct.iter().map(|&c| id(base + c)));
            filed.extend(direct.iter().map(|&c| (id(c), doc)));
            if direct.len() > 1 {
                shared.clear();
                for &s in &direct {
                    for &a in ancestors.of(s) {
                        let a = a as usize;
                        if stamp[a] != doc + 1 {
                            (stamp[a], reached[a]) = (doc + 1, 0);
                        }
                        reached[a] += 1;
                        if reached[a] == 2 {
                            shared.push(a);
                        }
                    }
                }
                for &a in &shared {
                    for _ in 1..reached[a] {
                        row.push(id(base + n + a));
                    }
                }
            }
            rows.push(&row);
        }
        filed.sort_unstable();
        let mut by_concept = Lists::default();
        let mut docs = filed.iter().peekable();
        for c in 0..id(n) {
            let mut row = Vec::new();
            while let Some(&(_, doc)) = docs.next_if(|(fc, _)| *fc == c) {
                row.push(doc);
            }
            by_concept.push(&row);
        }
        Ok(Self {
            rows: Rows::new(&rows, base + 2 * n),
            by_concept,
            combos,
            kind_names,
            publisher_names,
            years,
        })
    }

    /// How many combinations of kind, publishers and years there are.
    pub(super) fn combinations(&self) -> usize {
        self.combos.len()
    }

    /// The values of combination `i`: kinds, then publishers (after the kinds), then
    /// years (after both).
    pub(super) fn combination(&self, i: usize) -> &[u32] {
        self.combos.get(i)
    }

    /// The documents with `c` among their subjects, in increasing order.
    pub(super) fn filed_under(&self, c: ConceptId) -> &[DocId] {
        self.by_concept.get(c)
    }
}

/// The columns of the segments of the current searcher, for one hierarchy.
#[derive(Debug, Default)]
pub(super) struct FacetColumns {
    cached: Mutex<Columns>,
}

/// The columns of one searcher's segments, and the hierarchy they were built for.
#[derive(Clone, Debug, Default)]
pub(super) struct Columns {
    hierarchy: u64,
    ancestors: Arc<Ancestors>,
    segments: Arc<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetColumns {
    /// The columns of every segment of `searcher`, building the missing ones (and dropping
    /// those of merged-away segments, or of another hierarchy).
    pub(super) fn for_searcher(
        &self,
        searcher: &Searcher,
        tax: &Taxonomy,
    ) -> Result<Columns, SearchError> {
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        if cached.hierarchy != tax.hierarchy || cached.ancestors.len() != tax.concepts.len() {
            *cached = Columns {
                hierarchy: tax.hierarchy,
                ancestors: Arc::new(Ancestors::new(tax)),
                segments: Arc::default(),
            };
        }
        let readers = searcher.segment_readers();
        let current = readers.len() == cached.segments.len()
            && readers
                .iter()
                .all(|r| cached.segments.contains_key(&r.segment_id()));
        if !current {
            let mut segments = HashMap::new();
            for reader in readers {
                let id = reader.segment_id();
                let columns = match cached.segments.get(&id) {
                    Some(c) => c.clone(),
                    None => Arc::new(SegmentFacets::build(reader, tax, &cached.ancestors)?),
                };
                segments.insert(id, columns);
            }
            cached.segments = Arc::new(segments);
        }
        Ok(cached.clone())
    }
}

impl Columns {
    /// A collector counting the facets of a search's matches.
    pub(super) fn collector(&self) -> FacetCollector {
        FacetCollector {
            segments: self.segments.clone(),
            ancestors: self.ancestors.clone(),
        }
    }

    /// A query for the documents with a subject among `concepts`.
    pub(super) fn filed_under(&self, concepts: impl IntoIterator<Item = ConceptId>) -> FiledUnder {
        FiledUnder {
            segments: self.segments.clone(),
            concepts: concepts.into_iter().collect(),
        }
    }
}
