//! The command line (clap derive; `--help` comes from these doc comments) and the
//! offline commands. This layer, with `main.rs`, is the only one that uses `anyhow`.
//!
//! Every global and `serve` option `--foo-bar` is also the environment variable
//! `CHARIOT_KG_FOO_BAR`; a flag wins over the environment, the environment over the
//! default. Options of the offline commands (`load`, `dump`, `backup`, `validate`) have
//! no environment form.

mod backup;
mod dump;
mod index;
mod load;
mod validate;

use crate::http::HttpConfig;
use crate::iri::BaseIri;
use crate::server::ServeOptions;
use crate::sparql::Limits;
use crate::store::{DefaultGraph, Kg, OpenOptions};
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The knowledge-graph and linked-data service of the CHARIOT IoT Search Index.
///
/// Without a subcommand, `chariot-kg` serves (see `chariot-kg serve --help`).
#[derive(Debug, Parser)]
#[command(name = "chariot-kg", version)]
pub struct Cli {
    /// Options every subcommand accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// `serve`'s options, when no subcommand is given.
    #[command(flatten)]
    pub serve: ServeArgs,
    /// The subcommand (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every subcommand accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The data directory: the stores, the journal and the metadata.
    #[arg(long, global = true, env = "CHARIOT_KG_DATA", default_value = "./data")]
    pub data: PathBuf,
    /// The public base IRI (must end with '/'). Recorded by the command that creates the
    /// store; a later command with a different one is refused. Default for a new store:
    /// for `serve` the bound address as http://127.0.0.1:PORT/, else http://127.0.0.1:8080/.
    #[arg(long, global = true, env = "CHARIOT_KG_BASE_IRI", value_parser = parse_base_iri)]
    pub base_iri: Option<BaseIri>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the knowledge graph over HTTP (the default). Seeds a new store on its first
    /// start.
    Serve(ServeArgs),
    /// Load RDF files into the store (stopped): Turtle, N-Triples, N-Quads, TriG,
    /// RDF/XML, JSON-LD, gzipped or not. Atomic: an error writes nothing.
    Load(load::LoadArgs),
    /// Write the public dataset (or one graph) as N-Quads or TriG.
    Dump(dump::DumpArgs),
    /// Copy the public and private stores and the journal into a new directory that can
    /// be served as a data directory.
    Backup(backup::BackupArgs),
    /// Validate RDF files (or, without files, the store) against the SHACL shapes; exit
    /// status 1 on violations.
    Validate(validate::ValidateArgs),
    /// Rebuild the search index of the stopped store from scratch.
    Reindex,
    /// Report every difference between the search index and the stopped store; exit
    /// status 1 if there is one.
    Check,
}

/// `serve`'s options.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0 picks a free port; the line `listening on
    /// http://ADDR/` on stdout says which).
    #[arg(long, env = "CHARIOT_KG_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The default graph of SPARQL queries: the union of all graphs, or the stored
    /// default graph (for conformance runs).
    #[arg(long, env = "CHARIOT_KG_DEFAULT_GRAPH", value_enum, default_value_t = DefaultGraph::Union)]
    pub default_graph: DefaultGraph,
    /// Do not seed a new store.
    #[arg(long, env = "CHARIOT_KG_NO_SEED")]
    pub no_seed: bool,
    /// The bearer token that SPARQL updates and Graph Store writes need. Without a token
    /// (here or in --write-token-file) writes are switched off.
    #[arg(long, env = "CHARIOT_KG_WRITE_TOKEN", hide_env_values = true)]
    pub write_token: Option<String>,
    /// A file holding the write token (its first line), instead of --write-token.
    #[arg(
        long,
        env = "CHARIOT_KG_WRITE_TOKEN_FILE",
        conflicts_with = "write_token"
    )]
    pub write_token_file: Option<PathBuf>,
    /// Seconds a query (evaluation and result serialisation) may run before it is
    /// cancelled.
    #[arg(long, env = "CHARIOT_KG_QUERY_TIMEOUT", default_value_t = 30.0)]
    pub query_timeout: f64,
    /// Rows (or triples) a query result may have; beyond, it is cut and the response says
    /// so with `X-Result-Truncated: true`.
    #[arg(long, env = "CHARIOT_KG_MAX_RESULT_ROWS", default_value_t = 100_000)]
    pub max_result_rows: usize,
    /// Largest request body, in bytes.
    #[arg(long, env = "CHARIOT_KG_MAX_BODY_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Queries evaluated at once; more get 503 with Retry-After.
    #[arg(long, env = "CHARIOT_KG_MAX_CONCURRENT_QUERIES", default_value_t = 16)]
    pub max_concurrent_queries: usize,
    /// Connections served each on a thread of its own, which reads, evaluates and writes
    /// (like `oxigraph serve`); beyond this many open at once, connections share the async
    /// threads and hand their store work to a blocking pool. 0 serves every connection
    /// that way.
    #[arg(long, env = "CHARIOT_KG_CONNECTION_THREADS", default_value_t = 128)]
    pub connection_threads: usize,
    /// A SPARQL endpoint that queries may call with SERVICE (repeatable; comma-separated
    /// in the environment). None by default: SERVICE to other endpoints is off.
    #[arg(long, env = "CHARIOT_KG_SERVICE_ALLOW", value_delimiter = ',')]
    pub service_allow: Vec<String>,
    /// A URL prefix that SPARQL LOAD may fetch from (repeatable; comma-separated in the
    /// environment). None by default: LOAD of a URL is refused.
    #[arg(long, env = "CHARIOT_KG_LOAD_ALLOW", value_delimiter = ',')]
    pub load_allow: Vec<String>,
}

fn parse_base_iri(s: &str) -> Result<BaseIri, String> {
    BaseIri::parse(s).map_err(|e| e.to_string())
}

impl ServeArgs {
    fn options(&self, global: &GlobalArgs) -> anyhow::Result<ServeOptions> {
        let write_token = match (&self.write_token, &self.write_token_file) {
            (Some(token), _) => Some(token.trim().to_owned()),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read --write-token-file {}", path.display())
                })?;
                Some(text.lines().next().unwrap_or_default().trim().to_owned())
            }
            (None, None) => None,
        };
        if write_token.as_deref() == Some("") {
            anyhow::bail!("the write token is empty");
        }
        anyhow::ensure!(
            self.query_timeout.is_finite() && self.query_timeout > 0.0,
            "--query-timeout must be a positive number of seconds"
        );
        Ok(ServeOptions {
            data_dir: global.data.clone(),
            base_iri: global.base_iri.clone(),
            bind: self.bind.clone(),
            default_graph: self.default_graph,
            no_seed: self.no_seed,
            http: HttpConfig {
                limits: Limits {
                    query_timeout: Duration::try_from_secs_f64(self.query_timeout)
                        .context("--query-timeout is too large")?,
                    max_result_rows: self.max_result_rows,
                    max_concurrent_queries: self.max_concurrent_queries.max(1),
                    service_allow: self.service_allow.clone(),
                    load_allow: self.load_allow.clone(),
                    search: None,
                },
                write_token,
                max_body_bytes: self.max_body_bytes,
            },
            connection_threads: self.connection_threads,
        })
    }
}

/// Opens the store for an offline command (never seeds).
fn open_offline(global: &GlobalArgs, command: &'static str) -> anyhow::Result<Kg> {
    Ok(Kg::open(&OpenOptions {
        data_dir: global.data.clone(),
        base_iri: global.base_iri.clone(),
        base_iri_if_new: BaseIri::default_offline(),
        command,
        seed_if_new: false,
        default_graph: DefaultGraph::Union,
    })?)
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => serve(cli.serve.options(&cli.global)?),
        Some(Command::Serve(args)) => serve(args.options(&cli.global)?),
        Some(Command::Load(args)) => load::run(&cli.global, &args),
        Some(Command::Dump(args)) => dump::run(&cli.global, &args),
        Some(Command::Backup(args)) => backup::run(&cli.global, &args),
        Some(Command::Validate(args)) => validate::run(&cli.global, &args),
        Some(Command::Reindex) => index::reindex(&cli.global),
        Some(Command::Check) => index::check(&cli.global),
    }
}

fn serve(opts: ServeOptions) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(crate::server::run(opts))?;
    Ok(ExitCode::SUCCESS)
}
