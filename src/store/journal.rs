//! The write-ahead journal: what each write touched, synced to disk before the store
//! commit.
//!
//! Every write appends one JSON line — its generation, its kind, the graphs and the
//! resources it touched — and syncs it before the Oxigraph transaction commits. Consumers
//! (the triple counts, the search index) record the last generation they applied; at start
//! every entry after that is applied again from the store's current state, which is right
//! whether or not the store commit of that entry happened. The journal lives beside the
//! RDF store, never inside it, so no query sees it and no `DROP ALL` removes it.
//!
//! A line cut short by a crash is dropped at start (its write never committed). When every
//! consumer has caught up, the journal is compacted to one checkpoint line that keeps the
//! generation.

use super::datadir::write_atomic;
use super::error::{Result, StoreError};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// Compact the journal once it holds this many entries and every consumer caught up.
const COMPACT_AFTER: usize = 1024;

/// One write, as recorded before it commits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The generation this write creates.
    pub generation: u64,
    /// What kind of write it was (`seed`, `load`, `bulk`, `update`, …, or `checkpoint`).
    pub kind: String,
    /// The graphs it touched: `""` is the default graph, else the graph's IRI (or `_:id`).
    pub graphs: Vec<String>,
    /// The resources it touched (subjects and IRI or blank-node objects of the quads added
    /// or removed, as IRIs or `_:id`); `None` means "anything": consumers rebuild.
    pub resources: Option<Vec<String>>,
}

/// The open journal file.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    /// The generation of the checkpoint line the journal starts with (0 for none).
    base_generation: u64,
    entries: Vec<JournalEntry>,
    /// Whether the journal had a damaged line in its middle (consumers must rebuild).
    damaged: bool,
}

impl Journal {
    /// Opens (or creates) the journal, dropping a torn last line.
    pub fn open(path: &Path) -> Result<Self> {
        let mut entries = Vec::new();
        let mut good_len = 0u64;
        let mut damaged = false;
        let mut needs_truncate = false;
        if let Ok(file) = File::open(path) {
            let mut reader = BufReader::new(file);
            let mut line = String::new();
            loop {
                line.clear();
                let n = reader
                    .read_line(&mut line)
                    .map_err(|e| StoreError::io(path, e))?;
                if n == 0 {
                    break;
                }
                let complete = line.ends_with('\n');
                match serde_json::from_str::<JournalEntry>(line.trim_end()) {
                    Ok(entry) if complete => {
                        good_len += n as u64;
                        entries.push(entry);
                    }
                    _ => {
                        // A torn or unreadable line: everything from here on is dropped.
                        needs_truncate = true;
                        let mut rest = String::new();
                        let more = std::io::Read::read_to_string(&mut reader, &mut rest)
                            .map_err(|e| StoreError::io(path, e))?;
                        if more > 0 && !rest.trim().is_empty() {
                            damaged = true;
                        }
                        break;
                    }
                }
            }
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| StoreError::io(path, e))?;
        if needs_truncate {
            tracing::warn!(path = %path.display(), "dropping a torn journal line");
            file.set_len(good_len)
                .map_err(|e| StoreError::io(path, e))?;
            file.sync_all().map_err(|e| StoreError::io(path, e))?;
        }
        let base_generation = match entries.first() {
            Some(e) if e.kind == "checkpoint" => e.generation,
            _ => 0,
        };
        Ok(Self {
            path: path.to_owned(),
            file,
            base_generation,
            entries,
            damaged,
        })
    }

    /// The generation of the last entry (0 for an empty journal).
    pub fn last_generation(&self) -> u64 {
        self.entries
            .last()
            .map_or(self.base_generation, |e| e.generation)
    }

    /// The entries a consumer that applied `generation` still has to apply, or `None` if
    /// the journal no longer has them all (the consumer must rebuild).
    pub fn entries_after(&self, generation: u64) -> Option<Vec<&JournalEntry>> {
        if self.damaged || generation < self.base_generation || generation > self.last_generation()
        {
            return None;
        }
        Some(
            self.entries
                .iter()
                .filter(|e| e.generation > generation && e.kind != "checkpoint")
                .collect(),
        )
    }

    /// Appends `entry` and syncs it to disk.
    pub fn append(&mut self, entry: JournalEntry) -> Result<()> {
        let mut line = serde_json::to_vec(&entry).map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .and_then(|()| self.file.sync_data())
            .map_err(|e| StoreError::io(&self.path, e))?;
        self.entries.push(entry);
        Ok(())
    }

    /// Whether the journal is long enough to be worth compacting.
    pub fn wants_compaction(&self) -> bool {
        self.entries.len() > COMPACT_AFTER || self.damaged
    }

    /// Replaces the journal with one checkpoint line at the current generation. Only
    /// call this when every consumer has applied every entry.
    pub fn compact(&mut self) -> Result<()> {
        let checkpoint = JournalEntry {
            generation: self.last_generation(),
            kind: "checkpoint".to_owned(),
            graphs: Vec::new(),
            resources: Some(Vec::new()),
        };
        let mut line = serde_json::to_vec(&checkpoint).map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        line.push(b'\n');
        write_atomic(&self.path, &line, true)?;
        self.file = OpenOptions::new()
            .append(true)
            .open(&self.path)
            .map_err(|e| StoreError::io(&self.path, e))?;
        self.base_generation = checkpoint.generation;
        self.entries = vec![checkpoint];
        self.damaged = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(generation: u64) -> JournalEntry {
        JournalEntry {
            generation,
            kind: "load".into(),
            graphs: vec![String::new()],
            resources: Some(vec!["http://example.org/a".into()]),
        }
    }

    #[test]
    fn torn_last_line_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.log");
        let mut j = Journal::open(&path).unwrap();
        j.append(entry(1)).unwrap();
        j.append(entry(2)).unwrap();
        drop(j);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"generation":3,"kind":"lo"#).unwrap();
        drop(f);
        let mut j = Journal::open(&path).unwrap();
        assert_eq!(j.last_generation(), 2);
        assert_eq!(j.entries_after(0).unwrap().len(), 2);
        j.append(entry(3)).unwrap();
        drop(j);
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.last_generation(), 3);
    }

    #[test]
    fn compaction_keeps_generation_and_forces_rebuild_of_laggards() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.log");
        let mut j = Journal::open(&path).unwrap();
        for g in 1..=5 {
            j.append(entry(g)).unwrap();
        }
        assert_eq!(j.entries_after(3).unwrap().len(), 2);
        j.compact().unwrap();
        drop(j);
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.last_generation(), 5);
        assert_eq!(j.entries_after(5).unwrap().len(), 0);
        assert!(
            j.entries_after(4).is_none(),
            "entries 5 were compacted away"
        );
    }
}
