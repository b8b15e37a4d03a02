//! In-process HTTP tests of the skeleton: `app(state)` driven with `oneshot`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chariot_kg::{app, AppState};
use common::*;
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

#[tokio::test]
async fn health_reports_generation_triples_and_base() {
    let t = TestDir::new();
    let kg = Arc::new(open_seeded(&t.data()));
    let resp = app(AppState::new(kg.clone()))
        .oneshot(Request::get("/health").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["generation"], 1);
    assert_eq!(json["triples"], quad_count(&kg));
    assert_eq!(json["base_iri"], BASE);
    assert_eq!(json["graphs"]["http://kg.test/graph/documents"], 9);
    assert_eq!(json["consumers"]["counts"], 1);
}

#[tokio::test]
async fn unknown_routes_are_404() {
    let t = TestDir::new();
    let kg = Arc::new(open_seeded(&t.data()));
    let resp = app(AppState::new(kg))
        .oneshot(Request::get("/no-such-route").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}
