//! Per-graph triple counts, kept from the write deltas instead of by scanning.
//!
//! `Store::len` walks the whole store; `/health`, the service description and later the
//! VoID description need the counts on every request. They are a journal consumer: each
//! write adds and subtracts its exact delta; a restart after a crash recounts only the
//! graphs named by the journal entries the counts missed; a bulk load (which journals
//! "anything") makes the next start recount everything.

use super::change::{graph_from_key, graph_key, Delta};
use super::consumer::Consumer;
use super::datadir::write_atomic;
use super::error::{Result, StoreError};
use super::journal::JournalEntry;
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::RwLock;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct CountsFile {
    generation: u64,
    graphs: BTreeMap<String, u64>,
}

/// Triple counts per graph (`""` is the default graph).
#[derive(Debug)]
pub struct GraphCounts {
    path: PathBuf,
    state: RwLock<CountsFile>,
}

impl GraphCounts {
    /// Loads the counts file; a missing or unreadable one starts at generation 0 with
    /// nothing counted, which the journal or a rebuild then corrects.
    pub fn open(path: PathBuf) -> Self {
        let state = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<CountsFile>(&b).ok())
            .unwrap_or_default();
        Self {
            path,
            state: RwLock::new(state),
        }
    }

    /// Total number of triples in the public store.
    pub fn total(&self) -> u64 {
        self.read().graphs.values().sum()
    }

    /// Triples per graph key, without empty graphs.
    pub fn per_graph(&self) -> BTreeMap<String, u64> {
        self.read().graphs.clone()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, CountsFile> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut CountsFile)) -> Result<()> {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        f(&mut state);
        state.graphs.retain(|_, n| *n > 0);
        let bytes = serde_json::to_vec(&*state).map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        // Not synced: after a power cut the journal tells what to recount.
        write_atomic(&self.path, &bytes, false)
    }
}

fn count_graph(store: &Store, key: &str) -> Result<u64> {
    let graph = graph_from_key(key);
    let mut n = 0u64;
    for q in store.quads_for_pattern(None, None, None, Some(graph.as_ref())) {
        q?;
        n += 1;
    }
    Ok(n)
}

impl Consumer for GraphCounts {
    fn name(&self) -> &'static str {
        "counts"
    }

    fn generation(&self) -> u64 {
        self.read().generation
    }

    fn apply(&self, _store: &Store, entry: &JournalEntry, delta: &Delta) -> Result<()> {
        self.update(|s| {
            for q in &delta.added {
                *s.graphs
                    .entry(graph_key(q.graph_name.as_ref()))
                    .or_default() += 1;
            }
            for q in &delta.removed {
                let n = s
                    .graphs
                    .entry(graph_key(q.graph_name.as_ref()))
                    .or_default();
                *n = n.saturating_sub(1);
            }
            s.generation = entry.generation;
        })
    }

    fn recover(&self, store: &Store, entries: &[&JournalEntry], generation: u64) -> Result<()> {
        let mut recounted = BTreeMap::new();
        for key in entries.iter().flat_map(|e| e.graphs.iter()) {
            if !recounted.contains_key(key) {
                recounted.insert(key.clone(), count_graph(store, key)?);
            }
        }
        self.update(|s| {
            s.graphs.extend(recounted);
            s.generation = generation;
        })
    }

    fn into_any(self: std::sync::Arc<Self>) -> std::sync::Arc<dyn std::any::Any + Send + Sync> {
        self
    }

    fn rebuild(&self, store: &Store, generation: u64) -> Result<()> {
        let mut graphs = BTreeMap::<String, u64>::new();
        for q in store.iter() {
            *graphs.entry(graph_key(q?.graph_name.as_ref())).or_default() += 1;
        }
        self.update(|s| {
            s.graphs = graphs;
            s.generation = generation;
        })
    }
}
