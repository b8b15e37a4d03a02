//! The knowledge graph's storage: two embedded Oxigraph stores in one data directory,
//! the write-ahead journal, and the one write path.
//!
//! [`Kg`] is the handle everything else holds. Reads go straight to the public Oxigraph
//! store (snapshots, no lock). Every write goes through [`Kg::write`], which serialises
//! writers, computes the exact change, journals it durably, commits it in one transaction
//! and then lets the consumers ([`Consumer`]) catch up before the write is acknowledged.
//! Private data (contact messages, users) lives in a second store that no public route
//! reads.

mod backup;
mod change;
mod consumer;
mod counts;
mod datadir;
mod error;
mod journal;
mod kg;
mod read;

pub use change::{graph_from_key, graph_key, Change, Delta};
pub use consumer::Consumer;
pub use counts::GraphCounts;
pub use datadir::{read_meta, Meta, SeedState};
pub use error::{Result, StoreError};
pub use journal::JournalEntry;
pub use kg::{DefaultGraph, Kg, OpenOptions, WriteReport};
