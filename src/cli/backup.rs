//! `backup`: a consistent copy of the stopped store.

use super::{open_offline, GlobalArgs};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// `backup`'s options.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The directory to create (must not exist); serve it later with `--data DIR`.
    pub dir: PathBuf,
}

/// Runs `backup`.
pub fn run(global: &GlobalArgs, args: &BackupArgs) -> anyhow::Result<ExitCode> {
    let kg = open_offline(global, "backup")?;
    kg.backup(&args.dir)?;
    println!(
        "backed up {} (generation {}) to {}",
        global.data.display(),
        kg.generation(),
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
