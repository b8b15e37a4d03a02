//! `serve`: bind, open (and on first start seed) the store, announce the address, answer
//! until SIGTERM or Ctrl-C, then shut down gracefully.
//!
//! The address is bound before the store is opened because a new store records the
//! bound address as its base IRI when no `--base-iri` is given.

use crate::http::{app, AppState, HttpConfig};
use crate::iri::BaseIri;
use crate::store::{DefaultGraph, Kg, OpenOptions, StoreError};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// What `serve` needs.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The data directory.
    pub data_dir: PathBuf,
    /// `--base-iri`.
    pub base_iri: Option<BaseIri>,
    /// `--bind`.
    pub bind: String,
    /// `--default-graph`.
    pub default_graph: DefaultGraph,
    /// `--no-seed`.
    pub no_seed: bool,
    /// Request handling: limits, write token, body size.
    pub http: HttpConfig,
    /// `--connection-threads`: connections served each on a thread of its own; beyond
    /// this many at once, on the shared async threads.
    pub connection_threads: usize,
}

/// Why `serve` stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The store could not be opened or seeded.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The search index could not be opened.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// The seed did not parse (a build defect).
    #[error(transparent)]
    Seed(#[from] crate::seed::SeedError),
    /// Serving failed.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
    /// A blocking task panicked.
    #[error("start-up task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// Opens the store for serving, seeding it on its first start.
pub fn open_for_serving(
    opts: &ServeOptions,
    bound: std::net::SocketAddr,
) -> Result<Kg, ServeError> {
    let kg = Kg::open(&OpenOptions {
        data_dir: opts.data_dir.clone(),
        base_iri: opts.base_iri.clone(),
        base_iri_if_new: BaseIri::for_bound_address(bound),
        command: "serve",
        seed_if_new: !opts.no_seed,
        default_graph: opts.default_graph,
    })?;
    crate::search::attach(&kg)?;
    if kg.seed_pending() {
        let quads = crate::seed::seed_quads(kg.base())?;
        if let Some(report) = kg.seed_if_pending(quads)? {
            tracing::info!(quads = report.added, "seeded the new store");
        }
    }
    kg.compact_journal()?;
    Ok(kg)
}

/// Runs the server until a shutdown signal.
pub async fn run(opts: ServeOptions) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(&opts.bind)
        .await
        .map_err(|source| ServeError::Bind {
            addr: opts.bind.clone(),
            source,
        })?;
    let addr = listener.local_addr()?;
    let kg = {
        let opts = opts.clone();
        tokio::task::spawn_blocking(move || open_for_serving(&opts, addr)).await??
    };
    let kg = Arc::new(kg);
    tracing::info!(base_iri = %kg.base(), data = %kg.data_dir().display(), "store open");
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{addr}/")?;
        stdout.flush()?;
    }
    let state = AppState::with_config(kg.clone(), opts.http.clone());
    warm_up(&state);
    let metrics = state.metrics.clone();
    crate::http::serve_connections(
        listener,
        app(state),
        opts.connection_threads,
        metrics,
        shutdown_signal(),
    )
    .await;
    tracing::info!("shutting down");
    // Close the stores off the async threads (RocksDB flushes on drop).
    tokio::task::spawn_blocking(move || drop(kg)).await?;
    Ok(())
}

/// Builds the taxonomy view and the search facet columns in the background, so that the
/// first search after a start does not wait for them (under 2 s at a million documents).
/// Requests that come earlier build what they need themselves. The documents per concept
/// that the pages count are left to the first page that needs them: reading them takes
/// about 40 s of one core at a million documents, which would compete with the first
/// requests.
fn warm_up(state: &AppState) {
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let taxonomy = match state.taxonomy.get(&state.kg) {
            Ok(t) => t,
            Err(e) => return tracing::warn!(error = %e, "warm-up: taxonomy view"),
        };
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "taxonomy view built"
        );
        if let Some(search) = &state.search {
            if let Err(e) = search.warm(&taxonomy) {
                return tracing::warn!(error = %e, "warm-up: search facets");
            }
        }
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "warmed up"
        );
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
