//! The endpoint's limits: timeout, result cap, concurrency, and what may leave the
//! machine (`SERVICE` endpoints, `LOAD` URL prefixes).

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Limits of the SPARQL endpoint (the `serve` flags).
#[derive(Clone, Debug)]
pub struct Limits {
    /// `--query-timeout`: a query (evaluation and serialisation) is cancelled after this.
    pub query_timeout: Duration,
    /// `--max-result-rows`: results are cut after this many rows (or triples).
    pub max_result_rows: usize,
    /// `--max-concurrent-queries`: queries beyond this get 503 at once.
    pub max_concurrent_queries: usize,
    /// `--service-allow`: the only `SERVICE` endpoints a query may call.
    pub service_allow: Vec<String>,
    /// `--load-allow`: `LOAD` only from URLs starting with one of these.
    pub load_allow: Vec<String>,
    /// The `ck:search` service, when a search index is open (wired in by the HTTP state).
    pub search: Option<super::SearchServiceHandler>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            query_timeout: Duration::from_secs(30),
            max_result_rows: 100_000,
            max_concurrent_queries: 8,
            service_allow: Vec::new(),
            load_allow: Vec::new(),
            search: None,
        }
    }
}

impl Limits {
    /// The evaluator every query and update `WHERE` runs with: the store's defaults,
    /// `SERVICE` only to allowed endpoints, `ck:search` when search is open, and `cancel`.
    pub fn evaluator(
        &self,
        kg: &crate::store::Kg,
        cancel: &oxigraph::sparql::CancellationToken,
    ) -> oxigraph::sparql::SparqlEvaluator {
        let mut evaluator = kg
            .evaluator()
            .with_default_service_handler(super::AllowListServiceHandler::new(&self.service_allow))
            .with_cancellation_token(cancel.clone());
        if let Some(search) = &self.search {
            evaluator = evaluator.with_service_handler(super::search_service_iri(), search.clone());
        }
        evaluator
    }

    /// Whether `LOAD <url>` is allowed.
    pub fn load_allowed(&self, url: &str) -> bool {
        self.load_allow
            .iter()
            .any(|p| !p.is_empty() && url.starts_with(p.as_str()))
    }
}

/// The query slots: a bounded number of queries run at once, the rest are refused (never
/// queued without bound).
#[derive(Clone, Debug)]
pub struct QuerySlots(Arc<Semaphore>);

impl QuerySlots {
    /// `n` slots.
    pub fn new(n: usize) -> Self {
        Self(Arc::new(Semaphore::new(n.max(1))))
    }

    /// A slot, or `None` if all are taken. The slot is held until the permit is dropped —
    /// by the blocking task that evaluates, so a cancelled client does not free it early.
    pub fn try_acquire(&self) -> Option<OwnedSemaphorePermit> {
        self.0.clone().try_acquire_owned().ok()
    }
}
