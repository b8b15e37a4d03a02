//! Full-text search on tantivy, kept equal to the store as a consumer of the journal.
//!
//! Every write's touched resources are re-read from the store and their index documents
//! replaced before the write is acknowledged (commit and reader reload), so search
//! reflects each acknowledged write. The index commits the last generation it applied as
//! its commit payload; at start the journal entries after it are applied again from the
//! store's current state, which converges without a full reindex after a crash at any
//! point. `chariot-kg reindex` rebuilds from scratch; `chariot-kg check` and `/health`
//! report differences.

mod error;
mod facet_columns;
mod facet_count;
mod facet_rows;
mod facets;
mod filed_under;
mod indexer;
mod query;
mod schema;
mod snippets;
mod suggest;

pub use error::SearchError;
pub use indexer::Kind;
pub use query::{Facets, Hit, SearchRequest, SearchResults};
pub use suggest::{Candidate, Resolution, Suggestion};

use crate::store::{Consumer, Delta, JournalEntry, StoreError};
use indexer::{build_document, concept_classes, dependents};
use oxigraph::model::NamedOrBlankNode;
use oxigraph::store::Store;
use schema::{build_schema, register_tokenizers, Fields};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::schema::Field;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

/// Opens the search index of `kg`'s data directory (`search/`) and registers it as a
/// consumer of the journal, which brings it up to date. Call before the journal is
/// compacted.
pub fn attach(kg: &crate::store::Kg) -> Result<Arc<SearchIndex>, SearchError> {
    let index = Arc::new(SearchIndex::open(&kg.data_dir().join("search"))?);
    kg.register_consumer(index.clone())?;
    Ok(index)
}

/// The search index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    generation: AtomicU64,
    facet_columns: facet_columns::FacetColumns,
    /// Organisation names by IRI, for the publisher facet, at one index generation.
    names: Mutex<(u64, std::collections::HashMap<String, Option<String>>)>,
    /// The text fields some segment has terms in, at one searcher generation.
    indexed: Mutex<Option<(u64, Arc<HashSet<Field>>)>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("generation", &self.generation())
            .finish_non_exhaustive()
    }
}

fn consumer_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Consumer {
        name: "search",
        message: e.to_string(),
    }
}

impl SearchIndex {
    /// Opens (or creates) the index in `dir`.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Io(format!("{}: {e}", dir.display())))?;
        let (schema, fields) = build_schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| SearchError::Io(e.to_string()))?;
        let mut index = Index::open_or_create(directory, schema)?;
        // A search's segments are collected in parallel, one thread per core: a query
        // with hundreds of thousands of matches answers in half the time on an idle
        // two-core machine, and under load the cores are shared as before.
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        register_tokenizers(&index);
        let generation = index
            .load_metas()?
            .payload
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(0);
        let writer = index.writer(64 * 1024 * 1024)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            generation: AtomicU64::new(generation),
            facet_columns: facet_columns::FacetColumns::default(),
            names: Mutex::default(),
            indexed: Mutex::default(),
        })
    }

    /// The fields with terms in some segment of the current searcher.
    fn indexed_fields(&self) -> Arc<HashSet<Field>> {
        let searcher = self.reader().searcher();
        let generation = searcher.generation().generation_id();
        let mut cached = self.indexed.lock().unwrap_or_else(PoisonError::into_inner);
        match &*cached {
            Some((g, fields)) if *g == generation => fields.clone(),
            _ => {
                let fields: Arc<HashSet<Field>> = Arc::new(
                    self.index()
                        .schema()
                        .fields()
                        .map(|(field, _)| field)
                        .filter(|&field| {
                            searcher.segment_readers().iter().any(|r| {
                                r.inverted_index(field)
                                    .is_ok_and(|i| i.terms().num_terms() > 0)
                            })
                        })
                        .collect(),
                );
                *cached = Some((generation, fields.clone()));
                fields
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn commit(&self, writer: &mut IndexWriter, generation: u64) -> Result<(), StoreError> {
        let mut prepared = writer.prepare_commit().map_err(consumer_error)?;
        prepared.set_payload(&generation.to_string());
        prepared.commit().map_err(consumer_error)?;
        self.reader.reload().map_err(consumer_error)?;
        self.generation.store(generation, Ordering::SeqCst);
        Ok(())
    }

    /// Replaces the documents of `resources` (and of what depends on them) with what the
    /// store says now, and commits at `generation`.
    fn reindex(
        &self,
        store: &Store,
        resources: &[String],
        generation: u64,
    ) -> Result<(), StoreError> {
        let classes = concept_classes(store)?;
        let mut iris = BTreeSet::new();
        for r in resources {
            iris.extend(dependents(store, r)?);
        }
        let mut writer = self.lock();
        for iri in &iris {
            writer.delete_term(tantivy::Term::from_field_text(self.fields.iri, iri));
            if let Some((_, doc)) = build_document(store, &self.fields, iri, &classes)? {
                writer.add_document(doc).map_err(consumer_error)?;
            }
        }
        self.commit(&mut writer, generation)
    }

    /// Every IRI the store has that could be indexed.
    fn candidates(store: &Store) -> Result<BTreeSet<String>, StoreError> {
        let mut out = BTreeSet::new();
        for quad in store.iter() {
            if let NamedOrBlankNode::NamedNode(s) = quad?.subject {
                out.insert(s.as_str().to_owned());
            }
        }
        Ok(out)
    }

    /// Rebuilds the whole index from the store; `progress` is told each resource.
    pub fn rebuild_from(
        &self,
        store: &Store,
        generation: u64,
        progress: &dyn Fn(u64, u64),
    ) -> Result<u64, StoreError> {
        let classes = concept_classes(store)?;
        let candidates = Self::candidates(store)?;
        let total = candidates.len() as u64;
        let mut writer = self.lock();
        writer.delete_all_documents().map_err(consumer_error)?;
        let mut indexed = 0;
        for (i, iri) in candidates.iter().enumerate() {
            if let Some((_, doc)) = build_document(store, &self.fields, iri, &classes)? {
                writer.add_document(doc).map_err(consumer_error)?;
                indexed += 1;
            }
            if i % 1000 == 0 {
                progress(i as u64, total);
            }
        }
        progress(total, total);
        self.commit(&mut writer, generation)?;
        Ok(indexed)
    }

    /// The differences between the index and the store: resources missing from the index,
    /// indexed resources the store no longer has, and resources whose stored fields differ.
    pub fn check(&self, store: &Store) -> Result<Vec<String>, SearchError> {
        let classes = concept_classes(store)?;
        let mut expected = BTreeMap::new();
        for iri in Self::candidates(store)? {
            if let Some((_, doc)) = build_document(store, &self.fields, &iri, &classes)? {
                expected.insert(iri, self.stored_projection(&doc));
            }
        }
        let actual = self.stored_documents()?;
        let mut differences = Vec::new();
        for (iri, fields) in &expected {
            match actual.get(iri) {
                None => differences.push(format!("missing from the index: <{iri}>")),
                Some(a) if a != fields => {
                    differences.push(format!("differs: <{iri}>: index {a:?}, store {fields:?}"))
                }
                _ => {}
            }
        }
        for iri in actual.keys().filter(|i| !expected.contains_key(*i)) {
            differences.push(format!("in the index, not in the store: <{iri}>"));
        }
        Ok(differences)
    }

    /// Every indexed document's stored fields, by IRI (duplicates show as a difference).
    pub fn stored_documents(&self) -> Result<BTreeMap<String, Vec<(String, String)>>, SearchError> {
        let searcher = self.reader.searcher();
        let mut out = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(64)
                .map_err(|e| SearchError::Io(e.to_string()))?;
            for doc_id in 0..segment.max_doc() {
                if segment.is_deleted(doc_id) {
                    continue;
                }
                let doc: TantivyDocument = store.get(doc_id)?;
                let projection = self.stored_projection(&doc);
                let iri = projection
                    .iter()
                    .find(|(k, _)| k == "iri")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                if out.insert(iri.clone(), projection).is_some() {
                    out.insert(format!("{iri} (duplicate)"), Vec::new());
                }
            }
        }
        Ok(out)
    }

    /// The stored fields of a document, sorted, as (field name, value) pairs.
    pub fn stored_projection(&self, doc: &TantivyDocument) -> Vec<(String, String)> {
        use tantivy::schema::document::Value as _;
        let schema = self.index.schema();
        let mut out: Vec<(String, String)> = doc
            .field_values()
            .filter(|(f, _)| schema.get_field_entry(*f).is_stored())
            .map(|(f, v)| {
                let value = v
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| v.as_u64().map(|n| n.to_string()))
                    .unwrap_or_default();
                (schema.get_field_name(f).to_owned(), value)
            })
            .collect();
        out.sort();
        out
    }

    /// The number of indexed documents.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn reader(&self) -> &IndexReader {
        &self.reader
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }
}

impl Consumer for SearchIndex {
    fn name(&self) -> &'static str {
        "search"
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn apply(&self, store: &Store, entry: &JournalEntry, _delta: &Delta) -> Result<(), StoreError> {
        match &entry.resources {
            Some(resources) => self.reindex(store, resources, entry.generation),
            None => self
                .rebuild_from(store, entry.generation, &|_, _| {})
                .map(|_| ()),
        }
    }

    fn recover(
        &self,
        store: &Store,
        entries: &[&JournalEntry],
        generation: u64,
    ) -> Result<(), StoreError> {
        let resources: Vec<String> = entries
            .iter()
            .flat_map(|e| e.resources.iter().flatten().cloned())
            .collect();
        self.reindex(store, &resources, generation)
    }

    fn rebuild(&self, store: &Store, generation: u64) -> Result<(), StoreError> {
        self.rebuild_from(store, generation, &|_, _| {}).map(|_| ())
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync> {
        self
    }
}
