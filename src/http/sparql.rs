//! `/sparql` and `/update`: the SPARQL 1.1 Protocol.
//!
//! Queries by `GET ?query=`, `POST` form or `POST application/sparql-query`, with
//! `default-graph-uri`/`named-graph-uri`; updates by `POST` to `/update` (form or
//! `application/sparql-update`) or as a form `update=` to `/sparql`, token-protected.
//! An update sent with `GET` is refused. `GET /sparql` without a query is the service
//! description (or, for a browser, the query editor).

use super::params::{accept, content_type, utf8_body, Params};
use super::{auth, editor, AppState};
use crate::error::AppError;
use crate::sparql::{evaluate_query, execute_update, QueryRequest, SparqlError, UpdateRequest};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::sparql::CancellationToken;

const FORM: &str = "application/x-www-form-urlencoded";

/// How long after the timeout a query that has not noticed its cancellation is answered
/// anyway.
const GRACE: std::time::Duration = std::time::Duration::from_millis(250);

/// `GET /sparql`.
pub async fn get_sparql(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let params = Params::from_query(raw.as_deref())?;
    if params.has("update") {
        return Err(AppError::MethodNotAllowed {
            allow: "POST",
            message: "a SPARQL update must be sent with POST (to /update, or as update= in a form POSTed to /sparql)".into(),
        });
    }
    match params.one("query")? {
        Some(query) => run_query(&state, query_request(query, &params, &headers)?).await,
        None => editor::describe_service(&state, &headers, &params).await,
    }
}

/// `POST /sparql`: a query (form or direct) or a form update.
pub async fn post_sparql(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut params = Params::from_query(raw.as_deref())?;
    match content_type(&headers).as_deref() {
        Some(FORM) => {
            params.extend(Params::parse(&body)?);
            match (params.one("query")?, params.one("update")?) {
                (Some(_), Some(_)) => Err(AppError::BadRequest("a request has either query= or update=, not both".into())),
                (Some(query), None) => run_query(&state, query_request(query, &params, &headers)?).await,
                (None, Some(update)) => run_update(&state, &headers, update_request(update, &params)).await,
                (None, None) => Err(AppError::BadRequest("the form has neither query= nor update=".into())),
            }
        }
        Some("application/sparql-query") => {
            let query = utf8_body(&body)?;
            run_query(&state, query_request(query, &params, &headers)?).await
        }
        Some("application/sparql-update") => {
            let update = utf8_body(&body)?;
            run_update(&state, &headers, update_request(update, &params)).await
        }
        other => Err(unsupported(other, "application/sparql-query, application/sparql-update or application/x-www-form-urlencoded")),
    }
}

/// `POST /update`.
pub async fn post_update(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut params = Params::from_query(raw.as_deref())?;
    let update = match content_type(&headers).as_deref() {
        Some(FORM) => {
            params.extend(Params::parse(&body)?);
            params
                .one("update")?
                .ok_or_else(|| AppError::BadRequest("the form has no update=".into()))?
        }
        Some("application/sparql-update") => utf8_body(&body)?,
        other => {
            return Err(unsupported(
                other,
                "application/sparql-update or application/x-www-form-urlencoded",
            ))
        }
    };
    run_update(&state, &headers, update_request(update, &params)).await
}

/// `GET /update`: refused.
pub async fn get_update() -> AppError {
    AppError::MethodNotAllowed {
        allow: "POST",
        message: "a SPARQL update must be sent with POST".into(),
    }
}

fn unsupported(given: Option<&str>, expected: &str) -> AppError {
    match given {
        None => AppError::BadRequest(format!("the request needs a Content-Type: {expected}")),
        Some(t) => {
            AppError::UnsupportedMediaType(format!("unsupported Content-Type {t}: use {expected}"))
        }
    }
}

fn query_request(
    query: String,
    params: &Params,
    headers: &HeaderMap,
) -> Result<QueryRequest, AppError> {
    Ok(QueryRequest {
        query,
        default_graph_uris: params.all("default-graph-uri"),
        named_graph_uris: params.all("named-graph-uri"),
        accept: accept(headers),
        format: params.one("format")?,
    })
}

fn update_request(update: String, params: &Params) -> UpdateRequest {
    UpdateRequest {
        update,
        using_graph_uris: params.all("using-graph-uri"),
        using_named_graph_uris: params.all("using-named-graph-uri"),
    }
}

/// Runs `work` under a cancellation token that is cancelled when `timeout` passes, or
/// when the request ends (also when the client went away): Oxigraph checks the token as
/// it reads the store, so the evaluation itself stops.
///
/// On a connection's own thread the work runs inline and the deadline watcher cancels
/// the token; the answer comes when the evaluation notices. Elsewhere the work goes to
/// the blocking pool under the runtime's timer wheel (no task per query), and a stretch
/// of pure in-memory work that only notices the cancellation at its next read is
/// answered as a timeout `GRACE` later at the latest, while the task keeps what it holds
/// (its query slot) until it stops.
async fn with_deadline<T: Send + 'static>(
    timeout: std::time::Duration,
    work: impl FnOnce(CancellationToken) -> Result<T, SparqlError> + Send + 'static,
) -> Result<Result<T, SparqlError>, AppError> {
    let token = CancellationToken::new();
    let _cancel_on_drop = CancelOnDrop(token.clone());
    let evaluation = token.clone();
    let result = if super::on_connection_thread() {
        super::deadline::watcher().register(timeout, token);
        work(evaluation)
    } else {
        let mut task = tokio::task::spawn_blocking(move || work(evaluation));
        match tokio::time::timeout(timeout, &mut task).await {
            Ok(joined) => joined?,
            Err(_) => {
                token.cancel();
                match tokio::time::timeout(GRACE, task).await {
                    Ok(joined) => joined?,
                    Err(_) => Err(SparqlError::Timeout(timeout)),
                }
            }
        }
    };
    Ok(result.map_err(|e| e.with_timeout(timeout)))
}

/// Cancels the evaluation when the request ends, whichever way it ends.
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

fn outcome(result: &Result<impl Sized, SparqlError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(SparqlError::Timeout(_)) => "timeout",
        Err(SparqlError::Forbidden(_)) => "rejected",
        Err(_) => "error",
    }
}

async fn run_query(state: &AppState, request: QueryRequest) -> Result<Response, AppError> {
    let Some(permit) = state.slots.try_acquire() else {
        state.metrics.operation("query", "rejected");
        return Err(AppError::Overloaded(format!(
            "all {} query slots are busy (--max-concurrent-queries); retry shortly",
            state.config.limits.max_concurrent_queries
        )));
    };
    let st = state.clone();
    let result = with_deadline(state.limits.query_timeout, move |token| {
        let _permit = permit;
        evaluate_query(&st.kg, &request, &st.limits, token)
    })
    .await?;
    let form = result.as_ref().map_or("query", |a| a.form.name());
    state.metrics.operation(form, outcome(&result));
    let answer = result?;
    let mut response = (
        [(header::CONTENT_TYPE, answer.body.media_type)],
        answer.body.bytes,
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    if answer.body.truncated {
        h.insert("x-result-truncated", HeaderValue::from_static("true"));
    }
    Ok(response)
}

async fn run_update(
    state: &AppState,
    headers: &HeaderMap,
    request: UpdateRequest,
) -> Result<Response, AppError> {
    auth::authorize_write(state, headers)?;
    let st = state.clone();
    let result = with_deadline(state.limits.query_timeout, move |token| {
        execute_update(&st.kg, &request, &st.limits, token)
    })
    .await?;
    state.metrics.operation("update", outcome(&result));
    result?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
