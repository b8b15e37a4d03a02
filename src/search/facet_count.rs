//! Counting the facet values of a search's matches from the per-segment columns, in the
//! same pass that ranks them.
//!
//! The collector only notes each segment's matches while tantivy scores them, and counts
//! them in one tight loop at the end: there the rows of matches further on can be
//! requested from memory while one is counted (at a million documents each row is a cache
//! miss, and counting inside the scoring loop waited for each in turn). Concept counts are
//! rolled up the hierarchy once per query, over concepts rather than documents, and
//! corrected for documents whose subjects share broader concepts (see `facet_columns`).

use super::facet_columns::{Ancestors, SegmentFacets};
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentReader};

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
    pub(super) segments: Arc<HashMap<SegmentId, Arc<SegmentFacets>>>,
    pub(super) ancestors: Arc<Ancestors>,
}

/// The per-segment side of [`FacetCollector`].
pub(super) struct SegmentFacetCounter {
    columns: Arc<SegmentFacets>,
    matches: Vec<DocId>,
    counts: Vec<u32>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = SegmentFacetCounter;

    fn for_segment(&self, _ord: u32, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let columns = self
            .segments
            .get(&reader.segment_id())
            .cloned()
            .unwrap_or_default();
        Ok(SegmentFacetCounter {
            counts: vec![0; columns.rows.counters()],
            matches: Vec::new(),
            columns,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacetCounter>) -> tantivy::Result<FacetCounts> {
        let n = self.ancestors.len();
        let mut out = FacetCounts::default();
        let (mut direct, mut corrections) = (vec![0usize; n], vec![0usize; n]);
        for f in fruits {
            let c = &f.columns;
            let (k, p) = (c.kind_names.len(), c.publisher_names.len());
            let (combos, rest) = f.counts.split_at(c.combinations().min(f.counts.len()));
            let (subjects, shared) = rest.split_at(n.min(rest.len()));
            let mut tags = vec![0usize; k + p + c.years.len()];
            for (i, m) in combos.iter().enumerate().filter(|(_, m)| **m > 0) {
                for &v in c.combination(i) {
                    if let Some(t) = tags.get_mut(v as usize) {
                        *t += *m as usize;
                    }
                }
            }
            let (kinds, rest) = tags.split_at(k);
            let (publishers, years) = rest.split_at(p);
            let named = |counts: &[usize], names: &[String], into: &mut HashMap<String, usize>| {
                for (m, name) in counts.iter().zip(names).filter(|(m, _)| **m > 0) {
                    *into.entry(name.clone()).or_default() += *m;
                }
            };
            named(kinds, &c.kind_names, &mut out.kinds);
            named(publishers, &c.publisher_names, &mut out.publishers);
            for (m, year) in years.iter().zip(&c.years).filter(|(m, _)| **m > 0) {
                *out.years.entry(*year).or_default() += *m;
            }
            for (total, n) in direct.iter_mut().zip(subjects) {
                *total += *n as usize;
            }
            for (total, n) in corrections.iter_mut().zip(shared) {
                *total += *n as usize;
            }
        }
        // Roll the direct counts up, then take off what documents with several subjects
        // were counted too often.
        let mut concepts = vec![0usize; n];
        for (c, &m) in direct.iter().enumerate().filter(|(_, m)| **m > 0) {
            for &a in self.ancestors.of(c) {
                concepts[a as usize] += m;
            }
        }
        for (total, extra) in concepts.iter_mut().zip(corrections) {
            *total = total.saturating_sub(extra);
        }
        out.concepts = concepts;
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Self;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.matches.push(doc);
    }

    fn harvest(mut self) -> Self {
        self.columns.rows.count(&self.matches, &mut self.counts);
        self
    }
}

/// Hints the CPU to start loading the cache line at `p`; it reads nothing.
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch is only a hint: it never dereferences `p`, faults on no
        // address, and SSE is part of every x86_64 target.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// How many matches ahead the counting loop asks for a row.
const PREFETCH_DISTANCE: usize = 16;

/// Adds one to `counts[v]` for each value `v` in the rows of the documents `docs` (in
/// increasing order): `values[doc * width..][..width]`, then the document's entry in
/// `overflow` if it has one.
pub(super) fn count_rows<T: Copy + Into<u32>>(
    values: &[T],
    width: usize,
    overflow: &[(DocId, Vec<u32>)],
    docs: &[DocId],
    counts: &mut [u32],
) {
    let mut bump = |v: u32| {
        if let Some(n) = counts.get_mut(v as usize) {
            *n += 1;
        }
    };
    let mut extra = overflow.iter().peekable();
    for (i, &doc) in docs.iter().enumerate() {
        if let Some(&ahead) = docs.get(i + PREFETCH_DISTANCE) {
            prefetch(values.as_ptr().wrapping_add(ahead as usize * width));
        }
        let at = doc as usize * width;
        for &v in values.get(at..at + width).unwrap_or(&[]) {
            bump(v.into());
        }
        while extra.next_if(|(d, _)| *d < doc).is_some() {}
        if let Some((_, rest)) = extra.next_if(|(d, _)| *d == doc) {
            rest.iter().for_each(|&v| bump(v));
        }
    }
}
