//! `reindex` and `check`: the search index against the stopped store.

use super::{open_offline, GlobalArgs};
use crate::store::Consumer;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Runs `reindex`: rebuilds the search index from scratch.
pub fn reindex(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let kg = open_offline(global, "reindex")?;
    // Opened without catching up from the journal: it is rebuilt from scratch anyway.
    let index = std::sync::Arc::new(crate::search::SearchIndex::open(
        &kg.data_dir().join("search"),
    )?);
    let bar = ProgressBar::with_draw_target(
        None,
        if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    if let Ok(style) =
        ProgressStyle::with_template("reindex [{bar:30}] {pos}/{len} resources {per_sec}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let started = std::time::Instant::now();
    let indexed = index.rebuild_from(kg.public_store(), kg.generation(), &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    kg.register_consumer(index.clone())?;
    println!(
        "reindexed {indexed} resources in {:.1} s (generation {})",
        started.elapsed().as_secs_f64(),
        index.generation()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `check`: reports every difference between the search index and the store.
pub fn check(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let kg = open_offline(global, "check")?;
    let index = crate::search::attach(&kg)?;
    let differences = index.check(kg.public_store())?;
    for d in &differences {
        println!("{d}");
    }
    if differences.is_empty() {
        println!(
            "the search index agrees with the store: {} documents, generation {}",
            index.len(),
            index.generation()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{} difference(s) between the search index and the store",
            differences.len()
        );
        Ok(ExitCode::from(1))
    }
}
