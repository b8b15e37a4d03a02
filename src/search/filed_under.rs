//! A query for the documents filed under any of a set of concepts, answered from the
//! per-segment columns instead of the `subject` postings.
//!
//! Search widens a query that matches concept labels to what is filed under those
//! concepts or below them, and filters by concept or scheme the same way: sets of
//! hundreds or thousands of concepts. As a `TermSetQuery` each of them built a term
//! automaton, streamed the subject dictionary of every segment and decoded every
//! posting list; the columns already hold each concept's documents as a list of ids.

use super::facet_columns::SegmentFacets;
use crate::skos::ConceptId;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError};

/// Documents with a subject among `concepts` (constant score).
#[derive(Clone)]
pub(super) struct FiledUnder {
    pub(super) segments: Arc<HashMap<SegmentId, Arc<SegmentFacets>>>,
    pub(super) concepts: Arc<[ConceptId]>,
}

impl std::fmt::Debug for FiledUnder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FiledUnder({} concepts)", self.concepts.len())
    }
}

impl Query for FiledUnder {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for FiledUnder {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(columns) = self.segments.get(&reader.segment_id()) else {
            return Ok(Box::new(EmptyScorer));
        };
        let mut docs = BitSet::with_max_value(reader.max_doc());
        let mut any = false;
        for &c in self.concepts.iter() {
            for &doc in columns.filed_under(c) {
                docs.insert(doc);
                any = true;
            }
        }
        if !any {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("filed under a concept of the set", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document #{doc} is not filed under these concepts"
            )))
        }
    }
}
