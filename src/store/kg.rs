//! [`Kg`]: opening the data directory and the one write path.

use super::change::Change;
use super::consumer::{catch_up, Consumer};
use super::counts::GraphCounts;
use super::datadir::{DataDir, Meta, SeedState, LAYOUT_VERSION};
use super::error::{Result, StoreError};
use super::journal::{Journal, JournalEntry};
use crate::fault;
use crate::iri::BaseIri;
use oxigraph::store::Store;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// Which graph a SPARQL query sees as its default graph.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DefaultGraph {
    /// The union of all graphs (the default).
    #[default]
    Union,
    /// The stored default graph only (for conformance runs).
    Stored,
}

/// How to open a data directory.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// The data directory.
    pub data_dir: PathBuf,
    /// `--base-iri`, if given: must match the recorded one.
    pub base_iri: Option<BaseIri>,
    /// The base IRI to record if this opens a new store and no `--base-iri` was given.
    pub base_iri_if_new: BaseIri,
    /// The command that opens it (recorded if it creates the store).
    pub command: &'static str,
    /// Whether a store created now is to be seeded (`serve` without `--no-seed`).
    pub seed_if_new: bool,
    /// The default graph of SPARQL queries.
    pub default_graph: DefaultGraph,
}

/// What a write did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteReport {
    /// The store's generation after the write (unchanged if nothing changed).
    pub generation: u64,
    /// Quads added.
    pub added: usize,
    /// Quads removed.
    pub removed: usize,
}

/// The open knowledge graph.
pub struct Kg {
    pub(super) dir: DataDir,
    meta: Mutex<Meta>,
    base: BaseIri,
    pub(super) public: Store,
    private: Store,
    /// The writer lock; holding it is holding the journal.
    pub(super) writer: Mutex<Journal>,
    generation: AtomicU64,
    counts: Arc<GraphCounts>,
    consumers: RwLock<Vec<Arc<dyn Consumer>>>,
    default_graph: DefaultGraph,
    /// The evaluator and parser with the base IRI already parsed, cloned per query.
    pub(super) sparql: super::read::SparqlDefaults,
}

impl std::fmt::Debug for Kg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kg")
            .field("dir", &self.dir.root())
            .field("base", &self.base)
            .field("generation", &self.generation())
            .finish_non_exhaustive()
    }
}

impl Kg {
    /// Opens (creating if needed) the data directory, checks the base IRI, and brings
    /// the triple counts in line with the journal.
    pub fn open(opts: &OpenOptions) -> Result<Self> {
        let dir = DataDir::lock(&opts.data_dir)?;
        let meta = match dir.read_meta()? {
            Some(meta) => {
                if let Some(given) = &opts.base_iri {
                    if given.as_str() != meta.base_iri {
                        return Err(StoreError::BaseIriMismatch {
                            dir: opts.data_dir.clone(),
                            recorded: meta.base_iri,
                            given: given.to_string(),
                        });
                    }
                }
                meta
            }
            None => {
                let base = opts.base_iri.as_ref().unwrap_or(&opts.base_iri_if_new);
                let meta = Meta {
                    layout: LAYOUT_VERSION,
                    base_iri: base.to_string(),
                    seed: if opts.seed_if_new {
                        SeedState::Pending
                    } else {
                        SeedState::Skipped
                    },
                    created_by: opts.command.to_owned(),
                    created_with: env!("CARGO_PKG_VERSION").to_owned(),
                };
                dir.write_meta(&meta)?;
                meta
            }
        };
        let base = BaseIri::parse(&meta.base_iri).map_err(|e| StoreError::Corrupt {
            path: dir.meta_path(),
            message: e.to_string(),
        })?;
        let public = Store::open(dir.public_store())?;
        let private = Store::open(dir.private_store())?;
        let journal = Journal::open(&dir.journal())?;
        let generation = journal.last_generation();
        let counts = Arc::new(GraphCounts::open(dir.consumer_state("counts")));
        catch_up(
            counts.as_ref(),
            &public,
            journal.entries_after(counts.generation()),
            generation,
        )?;
        Ok(Self {
            sparql: super::read::SparqlDefaults::new(base.as_str()),
            dir,
            meta: Mutex::new(meta),
            base,
            public,
            private,
            writer: Mutex::new(journal),
            generation: AtomicU64::new(generation),
            consumers: RwLock::new(vec![counts.clone() as Arc<dyn Consumer>]),
            counts,
            default_graph: opts.default_graph,
        })
    }

    /// Adds a consumer and brings it up to date from the journal.
    pub fn register_consumer(&self, consumer: Arc<dyn Consumer>) -> Result<()> {
        let journal = self.lock_writer();
        catch_up(
            consumer.as_ref(),
            &self.public,
            journal.entries_after(consumer.generation()),
            journal.last_generation(),
        )?;
        self.consumers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(consumer);
        Ok(())
    }

    /// Compacts the journal if every consumer has applied all of it. Call once all
    /// consumers are registered.
    pub fn compact_journal(&self) -> Result<()> {
        let mut journal = self.lock_writer();
        self.compact_if_caught_up(&mut journal, true)
    }

    fn compact_if_caught_up(&self, journal: &mut Journal, force: bool) -> Result<()> {
        if !(force || journal.wants_compaction()) {
            return Ok(());
        }
        let generation = journal.last_generation();
        let caught_up = self
            .consumers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .all(|c| c.generation() == generation);
        if caught_up {
            journal.compact()?;
        }
        Ok(())
    }

    pub(super) fn lock_writer(&self) -> std::sync::MutexGuard<'_, Journal> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The one write path. `f` makes its changes through the [`Change`] (inside one
    /// Oxigraph transaction, under the process-wide writer lock); if it fails, nothing is
    /// written. Otherwise the touched graphs and resources go to the journal (synced),
    /// the transaction commits, the generation goes up by one and every consumer applies
    /// the exact delta before this returns. A write that changes nothing is not journaled
    /// and leaves the generation as it was.
    pub fn write<E: From<StoreError>>(
        &self,
        kind: &str,
        f: impl FnOnce(&mut Change<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<WriteReport, E> {
        let mut journal = self.lock_writer();
        let mut change = Change::new(self.public.start_transaction().map_err(StoreError::from)?);
        f(&mut change)?;
        if change.is_empty() {
            return Ok(WriteReport {
                generation: self.generation(),
                added: 0,
                removed: 0,
            });
        }
        let (txn, delta) = change.finish();
        let entry = JournalEntry {
            generation: journal.last_generation() + 1,
            kind: kind.to_owned(),
            graphs: delta.graphs.clone(),
            resources: delta.resources.clone(),
        };
        journal.append(entry.clone())?;
        fault::point("after-journal-sync");
        txn.commit().map_err(StoreError::from)?;
        self.generation.store(entry.generation, Ordering::SeqCst);
        fault::point("after-store-commit");
        fault::pause("after-store-commit");
        for consumer in self
            .consumers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            if let Err(e) = consumer.apply(&self.public, &entry, &delta) {
                // The write is committed; the consumer catches up at the next start.
                tracing::error!(consumer = consumer.name(), error = %e, "consumer fell behind");
            }
        }
        self.compact_if_caught_up(&mut journal, false)?;
        Ok(WriteReport {
            generation: entry.generation,
            added: delta.added.len(),
            removed: delta.removed.len(),
        })
    }

    /// Runs a non-transactional bulk load (`load --bulk`). It is journaled first as
    /// touching "anything", so every consumer rebuilds at the next start, whatever
    /// happens during the load.
    pub fn bulk<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut journal = self.lock_writer();
        let entry = JournalEntry {
            generation: journal.last_generation() + 1,
            kind: "bulk".to_owned(),
            graphs: Vec::new(),
            resources: None,
        };
        journal.append(entry.clone())?;
        self.generation.store(entry.generation, Ordering::SeqCst);
        f(&self.public)
    }

    /// Loads the seed once, if this store was created to be seeded and has not been yet.
    /// `quads` is the seed; a crash before the commit leaves an empty store that the next
    /// start seeds again, a crash after it a seeded store that is never seeded twice.
    pub fn seed_if_pending(
        &self,
        quads: Vec<oxigraph::model::Quad>,
    ) -> Result<Option<WriteReport>> {
        let mut meta = self.meta.lock().unwrap_or_else(PoisonError::into_inner);
        if meta.seed != SeedState::Pending {
            return Ok(None);
        }
        let report = if self.public.is_empty()? {
            let half = quads.len() / 2;
            Some(self.write("seed", |change| {
                for (i, q) in quads.iter().enumerate() {
                    if i == half {
                        fault::point("mid-seed");
                    }
                    change.insert(q.as_ref())?;
                }
                Ok::<(), StoreError>(())
            })?)
        } else {
            None
        };
        meta.seed = SeedState::Done;
        self.dir.write_meta(&meta)?;
        Ok(report)
    }

    /// Whether the seed is still to be loaded.
    pub fn seed_pending(&self) -> bool {
        self.meta
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .seed
            == SeedState::Pending
    }

    /// The base IRI recorded for this store.
    pub fn base(&self) -> &BaseIri {
        &self.base
    }

    /// The current generation: the number of committed writes.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Triple counts per graph.
    pub fn counts(&self) -> &GraphCounts {
        &self.counts
    }

    /// The registered consumer called `name`, as its own type.
    pub fn consumer<T: Consumer + 'static>(&self, name: &str) -> Option<Arc<T>> {
        self.consumers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|c| c.name() == name)
            .and_then(|c| c.clone().into_any().downcast::<T>().ok())
    }

    /// The consumers and the generation each has applied.
    pub fn consumer_generations(&self) -> Vec<(&'static str, u64)> {
        self.consumers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|c| (c.name(), c.generation()))
            .collect()
    }

    /// The public store, for reads. Writes must go through [`Kg::write`].
    pub fn public_store(&self) -> &Store {
        &self.public
    }

    /// The private store: never reachable from a public route.
    pub fn private_store(&self) -> &Store {
        &self.private
    }

    /// The default graph of SPARQL queries.
    pub fn default_graph(&self) -> DefaultGraph {
        self.default_graph
    }

    /// The data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.root()
    }
}
