//! `backup`: a consistent copy of a data directory that can be used as one.

use super::error::{Result, StoreError};
use super::kg::Kg;
use std::fs;
use std::path::Path;

impl Kg {
    /// Copies the public and private stores (RocksDB checkpoints), the journal, the
    /// metadata and the consumers' bookkeeping into `target`, which must not exist. The
    /// writer lock is held throughout, so the copy is of one generation.
    pub fn backup(&self, target: &Path) -> Result<()> {
        if target.exists() {
            return Err(StoreError::io(
                target,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "the backup directory must not exist yet",
                ),
            ));
        }
        let _journal = self.lock_writer();
        fs::create_dir_all(target).map_err(|e| StoreError::io(target, e))?;
        self.public_store().flush()?;
        self.private_store().flush()?;
        self.public_store().backup(target.join("store"))?;
        self.private_store().backup(target.join("private"))?;
        let entries =
            fs::read_dir(self.dir.root()).map_err(|e| StoreError::io(self.dir.root(), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| StoreError::io(self.dir.root(), e))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".json") || name == "journal.log" {
                fs::copy(entry.path(), target.join(&*name))
                    .map_err(|e| StoreError::io(entry.path(), e))?;
            }
        }
        Ok(())
    }
}
