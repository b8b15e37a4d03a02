//! Consumers: derived state that follows the store through the journal.
//!
//! A consumer (the per-graph triple counts now; the search index later) keeps something
//! computed from the store and records the last generation it applied. The write path
//! calls [`Consumer::apply`] right after each commit, with the exact delta, before the
//! write is acknowledged (read-your-writes). At start, [`Consumer::recover`] gets the
//! journal entries it missed and re-reads what they touched from the store's current
//! state; when the journal no longer covers its gap it rebuilds from scratch.

use super::change::Delta;
use super::error::Result;
use super::journal::JournalEntry;
use oxigraph::store::Store;
use std::sync::Arc;

/// Derived state kept in line with the public store.
pub trait Consumer: Send + Sync {
    /// A short name (also the name of its bookkeeping file).
    fn name(&self) -> &'static str;

    /// The last generation this consumer has applied.
    fn generation(&self) -> u64;

    /// Applies one committed write, whose exact change is `delta`.
    fn apply(&self, store: &Store, entry: &JournalEntry, delta: &Delta) -> Result<()>;

    /// Brings the consumer up to date after a restart: `entries` are the journal entries
    /// after [`Consumer::generation`], already committed or not; their effect is read
    /// from `store` as it is now.
    fn recover(&self, store: &Store, entries: &[&JournalEntry], generation: u64) -> Result<()>;

    /// Rebuilds from the whole store, ending at `generation`.
    fn rebuild(&self, store: &Store, generation: u64) -> Result<()>;

    /// The consumer as `Any`, so that its owner can get its own type back from the
    /// registry (the store itself knows no consumer type).
    fn into_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync>;
}

/// Brings `consumer` in line with `store` at `generation`, from `entries` (the journal's
/// entries after the consumer's generation, or `None` if the journal lacks some of them).
pub fn catch_up(
    consumer: &dyn Consumer,
    store: &Store,
    entries: Option<Vec<&JournalEntry>>,
    generation: u64,
) -> Result<()> {
    let needs_rebuild = match &entries {
        None => true,
        Some(list) => list.iter().any(|e| e.resources.is_none()),
    };
    if needs_rebuild {
        tracing::info!(
            consumer = consumer.name(),
            generation,
            "rebuilding from the store"
        );
        consumer.rebuild(store, generation)
    } else if let Some(list) = entries {
        if !list.is_empty() || consumer.generation() != generation {
            tracing::info!(
                consumer = consumer.name(),
                entries = list.len(),
                "re-applying journal entries"
            );
            consumer.recover(store, &list, generation)?;
        }
        Ok(())
    } else {
        Ok(())
    }
}
