//! The data directory: its layout, its process lock and its `meta.json`.
//!
//! One directory holds everything a deployment keeps: the public RDF store, the private
//! store, the write-ahead journal and the consumers' bookkeeping. `meta.json` records the
//! base IRI chosen by whichever command created the store, and whether the seed is still
//! to be loaded; it is written atomically (temporary file, sync, rename). The `lock` file is
//! held for the life of the process, so that an offline command never opens a store a
//! server is using.

use super::error::{Result, StoreError};
use crate::iri::BaseIri;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Version of the on-disk layout this build writes and reads.
pub const LAYOUT_VERSION: u32 = 1;

/// Whether the seed still has to be loaded into this store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeedState {
    /// Created by `serve`: the seed goes in at this or the next start.
    Pending,
    /// The seed was committed.
    Done,
    /// Created by another command or with `--no-seed`: never seeded.
    Skipped,
}

/// The contents of `meta.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Meta {
    /// On-disk layout version.
    pub layout: u32,
    /// The base IRI recorded at creation.
    pub base_iri: String,
    /// Seed state.
    pub seed: SeedState,
    /// The command that created the store.
    pub created_by: String,
    /// The version of chariot-kg that created the store.
    pub created_with: String,
}

/// An open, locked data directory.
#[derive(Debug)]
pub struct DataDir {
    root: PathBuf,
    _lock: File,
}

impl DataDir {
    /// Creates the directory if needed and takes its lock, or fails with
    /// [`StoreError::InUse`] if another process holds it.
    pub fn lock(root: &Path) -> Result<Self> {
        fs::create_dir_all(root).map_err(|e| StoreError::io(root, e))?;
        let lock_path = root.join("lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| StoreError::io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(StoreError::InUse(root.to_owned())),
            Err(fs::TryLockError::Error(e)) => return Err(StoreError::io(&lock_path, e)),
        }
        Ok(Self {
            root: root.to_owned(),
            _lock: lock,
        })
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The public Oxigraph store.
    pub fn public_store(&self) -> PathBuf {
        self.root.join("store")
    }

    /// The private Oxigraph store (never read by a public route).
    pub fn private_store(&self) -> PathBuf {
        self.root.join("private")
    }

    /// The write-ahead journal.
    pub fn journal(&self) -> PathBuf {
        self.root.join("journal.log")
    }

    /// The bookkeeping file of the consumer called `name`.
    pub fn consumer_state(&self, name: &str) -> PathBuf {
        self.root.join(format!("{name}.json"))
    }

    /// `meta.json`.
    pub fn meta_path(&self) -> PathBuf {
        self.root.join("meta.json")
    }

    /// Reads `meta.json`, if the store was created already.
    pub fn read_meta(&self) -> Result<Option<Meta>> {
        read_meta(&self.root)
    }

    /// Writes `meta.json` atomically.
    pub fn write_meta(&self, meta: &Meta) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(meta).map_err(|e| StoreError::Corrupt {
            path: self.meta_path(),
            message: e.to_string(),
        })?;
        write_atomic(&self.meta_path(), &bytes, true)
    }
}

/// Reads `meta.json` from a data directory without locking it (for commands that only
/// need the recorded base IRI).
pub fn read_meta(root: &Path) -> Result<Option<Meta>> {
    let path = root.join("meta.json");
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    let meta: Meta = serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if meta.layout != LAYOUT_VERSION {
        return Err(StoreError::Corrupt {
            path,
            message: format!(
                "layout version {} (this chariot-kg reads {LAYOUT_VERSION})",
                meta.layout
            ),
        });
    }
    BaseIri::parse(&meta.base_iri).map_err(|e| StoreError::Corrupt {
        path: root.join("meta.json"),
        message: e.to_string(),
    })?;
    Ok(Some(meta))
}

/// Writes `bytes` to `path` through a temporary file and a rename; with `durable`, syncs
/// the file and its directory so the new content survives a power cut.
pub fn write_atomic(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = File::create(&tmp).map_err(|e| StoreError::io(&tmp, e))?;
    file.write_all(bytes).map_err(|e| StoreError::io(&tmp, e))?;
    if durable {
        file.sync_all().map_err(|e| StoreError::io(&tmp, e))?;
    }
    drop(file);
    fs::rename(&tmp, path).map_err(|e| StoreError::io(path, e))?;
    if durable {
        if let Some(dir) = path.parent() {
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| StoreError::io(dir, e))?;
        }
    }
    Ok(())
}
