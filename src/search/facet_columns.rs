//! Per-segment facet columns: each document's kind, publishers, years and rolled-up
//! concepts as small integers, built once per index segment and counted per query.
//!
//! Counting facets from tantivy's fast fields on every request means resolving term
//! ordinals and walking the hierarchy for every matching document; at a million documents
//! that alone took tens of milliseconds. Segments never change once written, so their
//! columns are built once (the concept part once per hierarchy: documents keep only their
//! direct subjects, and the broader closure comes from the taxonomy view, so a write that
//! moves a concept rebuilds the columns, one that adds a document builds only the new
//! segment's). A query then only adds up integers while tantivy iterates its matches.

use super::error::SearchError;
use crate::skos::{ConceptId, RollUp, Taxonomy};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentReader};

/// Values per document, in compressed-row form: `values[start[d]..start[d + 1]]`.
#[derive(Debug, Default)]
struct Rows {
    start: Vec<u32>,
    values: Vec<u32>,
}

impl Rows {
    fn of(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        match (self.start.get(d), self.start.get(d + 1)) {
            (Some(&a), Some(&b)) => self.values.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn push_row(&mut self, values: &[u32]) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        self.values.extend_from_slice(values);
        self.start
            .push(u32::try_from(self.values.len()).unwrap_or(u32::MAX));
    }
}

/// One segment's columns: per document one row of facet values, in one value space —
/// kinds first, then publishers, years and the rolled-up concepts — so that counting a
/// match reads one row and bumps one array.
#[derive(Debug, Default)]
pub(super) struct SegmentFacets {
    rows: Rows,
    kind_names: Vec<String>,
    publisher_names: Vec<String>,
    years: Vec<u64>,
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

fn id(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl SegmentFacets {
    fn build(reader: &SegmentReader, tax: &Taxonomy) -> Result<Self, SearchError> {
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
        let (k, p, y) = (kind_names.len(), publisher_names.len(), years.len());
        let concept_of: Vec<Option<ConceptId>> =
            subject_iris.iter().map(|iri| tax.concept(iri)).collect();
        let mut roll_up = RollUp::new(tax);
        let mut rows = Rows::default();
        let mut row = Vec::new();
        for doc in 0..max_doc {
            row.clear();
            let d = doc as usize;
            row.extend(kinds[d].iter().copied());
            row.extend(publishers[d].iter().map(|&o| o.saturating_add(id(k))));
            for year in years_of(doc) {
                if let Ok(i) = years.binary_search(&year) {
                    row.push(id(k + p + i));
                }
            }
            for &ord in &subjects[d] {
                let Some(c) = concept_of.get(ord as usize).copied().flatten() else {
                    continue;
                };
                roll_up.visit(doc, c, |a| row.push(id(k + p + y + a)));
            }
            rows.push_row(&row);
        }
        Ok(Self {
            rows,
            kind_names,
            publisher_names,
            years,
        })
    }

    /// The size of the value space: kinds, publishers, years, then `concepts` concepts.
    fn width(&self, concepts: usize) -> usize {
        self.kind_names.len() + self.publisher_names.len() + self.years.len() + concepts
    }
}

/// The columns of the segments of the current searcher, for one hierarchy.
#[derive(Debug, Default)]
pub(super) struct FacetColumns {
    cached: Mutex<(u64, HashMap<SegmentId, Arc<SegmentFacets>>)>,
}

impl FacetColumns {
    /// The columns of every segment of `searcher`, building the missing ones (and dropping
    /// those of merged-away segments, or of another hierarchy).
    pub(super) fn for_searcher(
        &self,
        searcher: &Searcher,
        tax: &Taxonomy,
    ) -> Result<HashMap<SegmentId, Arc<SegmentFacets>>, SearchError> {
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        if cached.0 != tax.hierarchy {
            *cached = (tax.hierarchy, HashMap::new());
        }
        let mut out = HashMap::new();
        for reader in searcher.segment_readers() {
            let id = reader.segment_id();
            let columns = match cached.1.get(&id) {
                Some(c) => c.clone(),
                None => Arc::new(SegmentFacets::build(reader, tax)?),
            };
            out.insert(id, columns);
        }
        cached.1 = out.clone();
        Ok(out)
    }
}

/// What one query's matches add up to.
#[derive(Debug, Default)]
pub(super) struct FacetCounts {
    /// Per kind name.
    pub kinds: HashMap<String, usize>,
    /// Per publisher IRI.
    pub publishers: HashMap<String, usize>,
    /// Per year.
    pub years: HashMap<u64, usize>,
    /// Per concept id (rolled up).
    pub concepts: Vec<usize>,
}

/// A collector that counts the facet values of every match.
pub(super) struct FacetCollector {
    pub columns: HashMap<SegmentId, Arc<SegmentFacets>>,
    pub concepts: usize,
}

/// The per-segment counting side of [`FacetCollector`].
pub(super) struct SegmentFacetCounter {
    columns: Arc<SegmentFacets>,
    counts: Vec<u32>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = SegmentFacetCounter;

    fn for_segment(&self, _ord: u32, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let columns = self
            .columns
            .get(&reader.segment_id())
            .cloned()
            .unwrap_or_default();
        Ok(SegmentFacetCounter {
            counts: vec![0; columns.width(self.concepts)],
            columns,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacetCounter>) -> tantivy::Result<FacetCounts> {
        let mut out = FacetCounts {
            concepts: vec![0; self.concepts],
            ..FacetCounts::default()
        };
        for f in fruits {
            let c = &f.columns;
            let (k, p, y) = (c.kind_names.len(), c.publisher_names.len(), c.years.len());
            let named = |counts: &[u32], names: &[String], into: &mut HashMap<String, usize>| {
                for (n, name) in counts.iter().zip(names).filter(|(n, _)| **n > 0) {
                    *into.entry(name.clone()).or_default() += *n as usize;
                }
            };
            let (kinds, rest) = f.counts.split_at(k.min(f.counts.len()));
            let (publishers, rest) = rest.split_at(p.min(rest.len()));
            let (years, concepts) = rest.split_at(y.min(rest.len()));
            named(kinds, &c.kind_names, &mut out.kinds);
            named(publishers, &c.publisher_names, &mut out.publishers);
            for (n, year) in years.iter().zip(&c.years).filter(|(n, _)| **n > 0) {
                *out.years.entry(*year).or_default() += *n as usize;
            }
            for (total, n) in out.concepts.iter_mut().zip(concepts) {
                *total += *n as usize;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Self;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for &v in self.columns.rows.of(doc) {
            if let Some(n) = self.counts.get_mut(v as usize) {
                *n += 1;
            }
        }
    }

    fn harvest(self) -> Self {
        self
    }
}
