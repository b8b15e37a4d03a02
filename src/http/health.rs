//! `GET /health`: whether the store answers, its generation and size, the version.

use super::{blocking, AppState};
use crate::error::AppError;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use std::collections::BTreeMap;

/// The body of `GET /health`.
#[derive(Debug, Serialize)]
pub struct Health {
    /// `ok` when the store answered.
    pub status: &'static str,
    /// `open` when the store answered a read.
    pub store: &'static str,
    /// The store's generation (number of committed writes).
    pub generation: u64,
    /// Triples in the public store.
    pub triples: u64,
    /// Triples per graph (`""` is the default graph).
    pub graphs: BTreeMap<String, u64>,
    /// The base IRI recorded for the store.
    pub base_iri: String,
    /// The generation each consumer of the journal has applied.
    pub consumers: BTreeMap<&'static str, u64>,
    /// The search index: its generation, documents, and how many writes it lags.
    pub search: Option<SearchHealth>,
    /// chariot-kg's version.
    pub version: &'static str,
}

/// The search index's part of `/health`.
#[derive(Debug, Serialize)]
pub struct SearchHealth {
    /// The generation it has applied.
    pub generation: u64,
    /// Indexed documents.
    pub documents: u64,
    /// Writes it has not applied yet (0 when in sync).
    pub lag: u64,
    /// With `?check=true`: every difference between index and store (empty when equal).
    pub differences: Option<Vec<String>>,
}

/// Reports the service's health.
pub async fn get_health(
    State(state): State<AppState>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Json<Health>, AppError> {
    let params = super::params::Params::from_query(raw.as_deref())?;
    let check = params
        .one("check")?
        .is_some_and(|v| v == "true" || v == "1");
    let kg = state.kg.clone();
    let search = state.search.clone();
    blocking(move || {
        use crate::store::Consumer;
        let search = match search {
            Some(s) => Some(SearchHealth {
                generation: s.generation(),
                documents: s.len(),
                lag: kg.generation().saturating_sub(s.generation()),
                differences: if check {
                    Some(s.check(kg.public_store())?)
                } else {
                    None
                },
            }),
            None => None,
        };
        // One real read, so that "open" means the store answers.
        if let Some(quad) = kg.public_store().iter().next() {
            quad.map_err(crate::store::StoreError::from)?;
        }
        Ok(Json(Health {
            status: "ok",
            store: "open",
            generation: kg.generation(),
            triples: kg.counts().total(),
            graphs: kg.counts().per_graph(),
            base_iri: kg.base().to_string(),
            consumers: kg.consumer_generations().into_iter().collect(),
            search,
            version: env!("CARGO_PKG_VERSION"),
        }))
    })
    .await
}
