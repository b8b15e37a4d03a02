//! `GET /metrics` in the Prometheus text format, and the middleware that counts requests.
//!
//! Requests and their latency by route (the matched route pattern, so resource IRIs do not
//! explode the label set) and status class; SPARQL operations by form and outcome;
//! timeouts; and, read at scrape time, the store's triples and generation.

use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LatencyLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConnectionLabels {
    served_on: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    form: String,
    outcome: String,
}

/// The service's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RouteLabels, Counter>,
    latency: Family<LatencyLabels, Histogram>,
    operations: Family<OperationLabels, Counter>,
    timeouts: Counter,
    triples: Gauge<u64, AtomicU64>,
    generation: Gauge<u64, AtomicU64>,
    connections: Family<ConnectionLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("chariot_kg");
        let requests = Family::<RouteLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        let latency = Family::<LatencyLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        let operations = Family::<OperationLabels, Counter>::default();
        registry.register(
            "sparql_operations",
            "SPARQL queries and updates by form and outcome",
            operations.clone(),
        );
        let timeouts = Counter::default();
        registry.register(
            "sparql_timeouts",
            "SPARQL operations cancelled at the timeout",
            timeouts.clone(),
        );
        let triples = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "store_triples",
            "Triples in the public store",
            triples.clone(),
        );
        let generation = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "store_generation",
            "The store's generation (committed writes)",
            generation.clone(),
        );
        let connections = Family::<ConnectionLabels, Gauge>::default();
        registry.register(
            "http_connections",
            "Open connections, by where they are served (own_thread, shared)",
            connections.clone(),
        );
        Self {
            connections,
            registry,
            requests,
            latency,
            operations,
            timeouts,
            triples,
            generation,
        }
    }
}

impl Metrics {
    /// Counts an open connection until the returned guard is dropped; `own_thread` tells
    /// a connection thread from one on the shared runtime.
    pub fn connection(&self, own_thread: bool) -> ConnectionGauge {
        let gauge = self
            .connections
            .get_or_create(&ConnectionLabels {
                served_on: if own_thread { "own_thread" } else { "shared" },
            })
            .clone();
        gauge.inc();
        ConnectionGauge(gauge)
    }

    /// Counts a SPARQL operation (`form`: select, ask, construct, describe, update;
    /// `outcome`: ok, error, timeout, rejected).
    pub fn operation(&self, form: &str, outcome: &str) {
        self.operations
            .get_or_create(&OperationLabels {
                form: form.to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc();
        if outcome == "timeout" {
            self.timeouts.inc();
        }
    }
}

/// An open connection, counted in `chariot_kg_http_connections` until dropped.
#[derive(Debug)]
pub struct ConnectionGauge(Gauge);

impl Drop for ConnectionGauge {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Middleware: counts every request and its latency by matched route.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let metrics = &state.metrics;
    metrics
        .requests
        .get_or_create(&RouteLabels {
            route: route.clone(),
            method,
            status: response.status().as_u16(),
        })
        .inc();
    metrics
        .latency
        .get_or_create(&LatencyLabels { route })
        .observe(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`.
pub async fn get_metrics(State(state): State<AppState>) -> Response {
    let metrics = &state.metrics;
    metrics.triples.set(state.kg.counts().total());
    metrics.generation.set(state.kg.generation());
    let mut body = String::new();
    if let Err(e) = encode(&mut body, &metrics.registry) {
        return crate::error::AppError::Internal(format!("metrics encoding failed: {e}"))
            .into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
