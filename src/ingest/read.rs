//! Parsing files into quads, with a progress bar on a terminal.

use super::error::IngestError;
use super::format::detect_format;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How to read files.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// `--format`: overrides the file names.
    pub format: Option<RdfFormat>,
    /// `--graph`: the graph triple formats go into (else the default graph).
    pub graph: Option<NamedNode>,
    /// The base IRI of relative IRIs when the file declares none (`--base`, else the
    /// service's base IRI).
    pub base: Option<String>,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
}

/// Opens a file, decompressing it if it starts with the gzip magic bytes.
pub fn open_source(path: &Path, progress: &ProgressBar) -> Result<Box<dyn Read>, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let mut reader = BufReader::new(progress.wrap_read(file));
    let is_gzip = reader.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]);
    Ok(if is_gzip {
        Box::new(flate2::read::MultiGzDecoder::new(reader))
    } else {
        Box::new(reader)
    })
}

/// The parser for one file: blank nodes renamed (so two files never share one), relative
/// IRIs against the file's own base, else `opts.base`; triple formats into `opts.graph`.
pub fn parser_for(path: &Path, opts: &ReadOptions) -> Result<RdfParser, IngestError> {
    let format = detect_format(path, opts.format)?;
    let mut parser = RdfParser::from_format(format).rename_blank_nodes();
    if let Some(base) = &opts.base {
        parser = parser
            .with_base_iri(base.as_str())
            .map_err(|e| IngestError::BadIri {
                iri: base.clone(),
                message: e.to_string(),
            })?;
    }
    if format.supports_datasets() {
        if opts.graph.is_some() {
            return Err(IngestError::GraphWithQuads {
                path: path.to_owned(),
                format: format.name().to_owned(),
            });
        }
    } else {
        let graph = opts
            .graph
            .clone()
            .map_or(GraphName::DefaultGraph, GraphName::NamedNode);
        parser = parser.with_default_graph(graph);
    }
    Ok(parser)
}

/// Turns a parse error into an [`IngestError`] that names the file, line and column.
pub fn syntax_error(path: &Path, error: RdfParseError) -> IngestError {
    match error {
        RdfParseError::Syntax(e) => match e.location() {
            Some(range) => IngestError::Syntax {
                path: path.to_owned(),
                line: range.start.line + 1,
                column: range.start.column + 1,
                message: e.to_string(),
            },
            None => IngestError::Invalid {
                path: path.to_owned(),
                message: e.to_string(),
            },
        },
        RdfParseError::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            IngestError::Invalid {
                path: path.to_owned(),
                message: e.to_string(),
            }
        }
        RdfParseError::Io(source) => IngestError::Io {
            path: path.to_owned(),
            source,
        },
    }
}

/// A progress bar over a file's bytes, drawn only when stderr is a terminal.
pub fn progress_bar(path: &Path, show: bool) -> ProgressBar {
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let bar = ProgressBar::with_draw_target(
        Some(len),
        if show {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    if let Ok(style) =
        ProgressStyle::with_template("{prefix} [{bar:30}] {bytes}/{total_bytes} {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(path.display().to_string());
    bar
}

/// Parses every file completely into memory; the first error stops everything.
pub fn read_files(paths: &[PathBuf], opts: &ReadOptions) -> Result<Vec<Quad>, IngestError> {
    let mut quads = Vec::new();
    for path in paths {
        let parser = parser_for(path, opts)?;
        let bar = progress_bar(path, opts.progress);
        let reader = open_source(path, &bar)?;
        let start = Instant::now();
        let mut n = 0u64;
        for quad in parser.for_reader(reader) {
            quads.push(quad.map_err(|e| syntax_error(path, e))?);
            n += 1;
            if n.is_multiple_of(10_000) {
                let rate = n as f64 / start.elapsed().as_secs_f64().max(1e-6);
                bar.set_message(format!("{n} triples, {rate:.0} triples/s"));
            }
        }
        bar.finish_and_clear();
    }
    Ok(quads)
}
