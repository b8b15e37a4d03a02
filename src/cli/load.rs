//! `load`: RDF files into the stopped store, through the one write path.

use super::{open_offline, GlobalArgs};
use crate::ingest::{self, parse_format_name, ReadOptions};
use anyhow::Context;
use clap::Args;
use oxigraph::model::NamedNode;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// `load`'s options.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// The files (format from the extension, `.gz` looked through, or --format).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The graph IRI triple formats go into (default: the stored default graph). Not
    /// allowed with N-Quads or TriG, which keep their own graphs.
    #[arg(long)]
    pub graph: Option<String>,
    /// The format of every file: ttl, nt, nq, trig, rdf, jsonld, or a media type.
    #[arg(long)]
    pub format: Option<String>,
    /// The base IRI of relative IRIs in files that declare none (default: the service's
    /// base IRI).
    #[arg(long)]
    pub base: Option<String>,
    /// Use Oxigraph's bulk loader: much faster for big files, insert-only and not atomic
    /// (a failure leaves part of the data); skips unparsable statements and says which.
    /// The triple counts and the other consumers are rebuilt at the next start.
    #[arg(long)]
    pub bulk: bool,
}

/// Runs `load`.
pub fn run(global: &GlobalArgs, args: &LoadArgs) -> anyhow::Result<ExitCode> {
    let kg = open_offline(global, "load")?;
    let graph = args
        .graph
        .as_deref()
        .map(|g| NamedNode::new(g).with_context(|| format!("--graph <{g}> is not an IRI")))
        .transpose()?;
    let opts = ReadOptions {
        format: args.format.as_deref().map(parse_format_name).transpose()?,
        graph,
        base: Some(args.base.clone().unwrap_or_else(|| kg.base().to_string())),
        progress: std::io::stderr().is_terminal(),
    };
    if args.bulk {
        return bulk(&kg, &args.files, &opts);
    }
    // Keep the search index in line with this write too.
    crate::search::attach(&kg)?;
    let quads = ingest::read_files(&args.files, &opts)?;
    let parsed = quads.len();
    let report = kg.write("load", |change| {
        for q in &quads {
            change.insert(q.as_ref())?;
        }
        Ok::<(), crate::store::StoreError>(())
    })?;
    println!(
        "loaded {} file(s): {parsed} statements read, {} new; generation {}",
        args.files.len(),
        report.added,
        report.generation
    );
    Ok(ExitCode::SUCCESS)
}

fn bulk(kg: &crate::store::Kg, files: &[PathBuf], opts: &ReadOptions) -> anyhow::Result<ExitCode> {
    let skipped = Arc::new(AtomicUsize::new(0));
    kg.bulk(|store| -> anyhow::Result<()> {
        for path in files {
            let parser = ingest::parser_for(path, opts)?;
            let bar = ingest::progress_bar(path, opts.progress);
            let reader = ingest::open_source(path, &bar)?;
            let counter = skipped.clone();
            let name = path.display().to_string();
            let mut loader = store.bulk_loader().on_parse_error(move |e| {
                counter.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "skipped: {}",
                    ingest::syntax_error(std::path::Path::new(&name), e)
                );
                Ok(())
            });
            loader
                .load_from_reader(parser, reader)
                .with_context(|| format!("bulk load of {} failed", path.display()))?;
            loader.commit()?;
            bar.finish_and_clear();
        }
        Ok(())
    })?;
    println!(
        "bulk-loaded {} file(s); {} statement(s) skipped; triple counts and other consumers are rebuilt at the next start",
        files.len(),
        skipped.load(Ordering::Relaxed)
    );
    Ok(ExitCode::SUCCESS)
}
