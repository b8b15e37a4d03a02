//! `dump`: the public dataset, or one graph of it, as N-Quads or TriG.

use super::{open_offline, GlobalArgs};
use anyhow::Context;
use clap::{Args, ValueEnum};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// A dump format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DumpFormat {
    /// N-Quads.
    Nquads,
    /// TriG.
    Trig,
}

/// `dump`'s options.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// The format.
    #[arg(long, value_enum, default_value_t = DumpFormat::Nquads)]
    pub format: DumpFormat,
    /// Only this graph (an IRI, or `default` for the stored default graph).
    #[arg(long)]
    pub graph: Option<String>,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Runs `dump`.
pub fn run(global: &GlobalArgs, args: &DumpArgs) -> anyhow::Result<ExitCode> {
    let kg = open_offline(global, "dump")?;
    let format = match args.format {
        DumpFormat::Nquads => RdfFormat::NQuads,
        DumpFormat::Trig => RdfFormat::TriG,
    };
    let graph = match args.graph.as_deref() {
        None => None,
        Some("default") => Some(GraphName::DefaultGraph),
        Some(iri) => Some(GraphName::NamedNode(
            NamedNode::new(iri).with_context(|| format!("--graph <{iri}> is not an IRI"))?,
        )),
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    kg.dump(format, graph.as_ref().map(GraphName::as_ref), &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
