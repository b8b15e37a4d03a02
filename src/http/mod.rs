//! The HTTP application: [`app`] builds the router from the shared [`AppState`].
//!
//! Each resource has its own controller module; this one only wires them together and
//! adds the layers: request tracing, metrics, the body limit, CORS on `/sparql`. Store
//! calls are blocking and run through [`blocking`], off the shared async threads;
//! [`serve_connections`] gives each connection a thread of its own to run them on.

mod auth;
mod blocking_io;
mod browse;
mod cache;
mod connections;
mod deadline;
mod document_pages;
mod editor;
mod health;
mod lang;
mod metrics;
mod pages;
mod params;
mod resource;
mod search;
mod site;
mod sparql;
mod store;

pub use connections::{on_connection_thread, serve_connections};
pub use editor::example_queries;
pub use metrics::Metrics;

use crate::error::AppError;
use crate::render::Renderer;
use crate::skos::TaxonomyCache;
use crate::sparql::{Limits, QuerySlots, SearchServiceHandler};
use crate::store::Kg;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, Method};
use axum::routing::{any, get};
use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::trace::TraceLayer;

/// The HTTP configuration (the `serve` flags that concern requests).
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// SPARQL limits.
    pub limits: Limits,
    /// The bearer token writes need; `None` switches writes off.
    pub write_token: Option<String>,
    /// `--max-body-bytes`: the largest request body.
    pub max_body_bytes: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            write_token: None,
            max_body_bytes: 16 * 1024 * 1024,
        }
    }
}

/// What every handler shares: one `Arc`, so that the clones axum makes per request (for
/// the middleware and the handler) are a single reference count each.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The contents of [`AppState`].
#[derive(Debug)]
pub struct Shared {
    /// The knowledge graph.
    pub kg: Arc<Kg>,
    /// The configuration.
    pub config: Arc<HttpConfig>,
    /// The query slots (`--max-concurrent-queries`).
    pub slots: QuerySlots,
    /// The metrics.
    pub metrics: Arc<Metrics>,
    /// The HTML templates.
    pub renderer: Arc<Renderer>,
    /// The in-memory taxonomy view, rebuilt per generation.
    pub taxonomy: Arc<TaxonomyCache>,
    /// Rendered pages of the current generation.
    pub pages: Arc<cache::PageCache>,
    /// The search index, if the store has one attached.
    pub search: Option<Arc<crate::search::SearchIndex>>,
    /// The SPARQL limits with the `ck:search` service wired in (when search is open).
    pub limits: Arc<Limits>,
}

impl AppState {
    /// State over an open knowledge graph, with the default configuration (writes off).
    pub fn new(kg: Arc<Kg>) -> Self {
        Self::with_config(kg, HttpConfig::default())
    }

    /// State with a configuration.
    ///
    /// # Panics
    /// Never in a tested build: the embedded templates are checked by the tests.
    pub fn with_config(kg: Arc<Kg>, config: HttpConfig) -> Self {
        #[allow(clippy::expect_used)]
        let renderer = Renderer::new().expect("the embedded templates compile");
        let search = kg.consumer::<crate::search::SearchIndex>("search");
        let taxonomy = Arc::new(TaxonomyCache::default());
        let mut limits = config.limits.clone();
        limits.search = search
            .as_ref()
            .map(|index| SearchServiceHandler::new(index.clone(), taxonomy.clone(), kg.clone()));
        Self(Arc::new(Shared {
            slots: QuerySlots::new(config.limits.max_concurrent_queries),
            search,
            limits: Arc::new(limits),
            taxonomy,
            kg,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            renderer: Arc::new(renderer),
            pages: Arc::new(cache::PageCache::default()),
        }))
    }
}

/// The service's router.
pub fn app(state: AppState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::AUTHORIZATION])
        .expose_headers([header::HeaderName::from_static("x-result-truncated")]);
    let sparql = Router::new()
        .route("/sparql", get(sparql::get_sparql).post(sparql::post_sparql))
        .route("/update", get(sparql::get_update).post(sparql::post_update))
        .layer(cors);
    Router::new()
        .merge(sparql)
        .route("/store", any(store::handle_store))
        .route("/store/{*path}", any(store::handle_store_path))
        .route("/static/yasgui/{file}", get(editor::get_yasgui_asset))
        .route("/static/style.css", get(browse::get_style))
        .route("/", get(browse::get_landing))
        .route("/concepts", get(browse::get_concepts))
        .route("/schemes", get(browse::get_schemes))
        .route("/scheme/{slug}", get(resource::get_resource))
        .route("/concept/{slug}", get(resource::get_resource))
        .route("/document/{slug}", get(resource::get_resource))
        .route("/org/{slug}", get(resource::get_resource))
        .route("/graph/{slug}", get(resource::get_resource))
        .route("/data", get(resource::get_data_query))
        .route("/data/{*path}", get(resource::get_data_path))
        .route("/page", get(resource::get_page_query))
        .route("/page/{*path}", get(resource::get_page_path))
        .route("/search", get(search::get_search_page))
        .route("/api/search", get(search::get_api_search))
        .route("/api/suggest", get(search::get_suggest))
        .route("/resolve", get(search::get_resolve))
        .route("/health", get(health::get_health))
        .route("/metrics", get(metrics::get_metrics))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Runs blocking store work: inline on a connection's own thread (which serves nothing
/// else), otherwise on the blocking thread pool, never on the shared async threads.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    if on_connection_thread() {
        return f();
    }
    tokio::task::spawn_blocking(f).await?
}
