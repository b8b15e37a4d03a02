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
    /// chariot-kg's version.
    pub version: &'static str,
}

/// Reports the service's health.
pub async fn get_health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let kg = state.kg.clone();
    blocking(move || {
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
            version: env!("CARGO_PKG_VERSION"),
        }))
    })
    .await
}
