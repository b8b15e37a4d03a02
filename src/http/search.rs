//! Search: `GET /api/search` (JSON), `GET /search` (the HTML page, with highlighted
//! snippets, paging and facets), `GET /api/suggest` (autocomplete) and `GET /resolve`
//! (a label or phrase to its IRI: 303, 300 or 404).

use super::lang::reader_languages;
use super::params::{accept, Params};
use super::site::Site;
use super::{blocking, AppState};
use crate::conneg::negotiate;
use crate::error::AppError;
use crate::render::PageFrame;
use crate::search::{Resolution, SearchIndex, SearchRequest};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Json, Response};
use serde_json::{json, Value};
use std::sync::Arc;

fn index(state: &AppState) -> Result<Arc<SearchIndex>, AppError> {
    state
        .search
        .clone()
        .ok_or_else(|| AppError::Unavailable("the search index is not open".into()))
}

fn request(params: &Params) -> Result<SearchRequest, AppError> {
    let number = |key: &str, default: usize| -> Result<usize, AppError> {
        params.one(key)?.map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| AppError::BadRequest(format!("{key}={v} is not a number")))
        })
    };
    Ok(SearchRequest {
        q: params.one("q")?.unwrap_or_default(),
        kind: params.one("type")?.filter(|v| !v.is_empty()),
        concept: params.one("concept")?.filter(|v| !v.is_empty()),
        publisher: params.one("publisher")?.filter(|v| !v.is_empty()),
        year: params
            .one("year")?
            .filter(|v| !v.is_empty())
            .map(|y| {
                y.parse()
                    .map_err(|_| AppError::BadRequest(format!("year={y} is not a year")))
            })
            .transpose()?,
        scheme: params.one("scheme")?.filter(|v| !v.is_empty()),
        lang: params.one("lang")?.filter(|v| !v.is_empty()),
        limit: number("limit", 20)?,
        offset: number("offset", 0)?,
    })
}

/// `GET /api/search`.
pub async fn get_api_search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params = Params::from_query(raw.as_deref())?;
    let req = request(&params)?;
    let (search, st) = (index(&state)?, state.clone());
    let results = blocking(move || {
        let tax = st.taxonomy.get(&st.kg)?;
        Ok(search.search(&tax, &req)?)
    })
    .await?;
    Ok(Json(results).into_response())
}

/// `GET /search`: the results page.
pub async fn get_search_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let params = Params::from_query(raw.as_deref())?;
    let req = request(&params)?;
    let langs = reader_languages(&headers, req.lang.as_deref());
    let (search, st) = (index(&state)?, state.clone());
    let result = blocking(move || {
        let tax = st.taxonomy.get(&st.kg)?;
        let site = Site { kg: &st.kg, tax: &tax, langs: &langs, root: String::new() };
        let (results, error) = if req.q.trim().is_empty() && req.concept.is_none() {
            (None, None)
        } else {
            match search.search(&tax, &req) {
                Ok(r) => (Some(r), None),
                Err(e @ crate::search::SearchError::BadQuery(_)) => (None, Some(e.to_string())),
                Err(e) => return Err(e.into()),
            }
        };
        let hits: Vec<Value> = results
            .iter()
            .flat_map(|r| r.hits.iter())
            .map(|h| {
                json!({"href": site.href(&h.iri), "label": h.label, "lang": h.lang, "type": h.kind, "parts": marked(&h.snippet, &h.highlights)})
            })
            .collect();
        let filters: String = [("type", &req.kind), ("concept", &req.concept), ("publisher", &req.publisher), ("scheme", &req.scheme)]
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("&{k}={}", super::site::enc(v))))
            .collect();
        let (prev, next) = match &results {
            Some(r) => (
                (r.offset > 0).then(|| r.offset.saturating_sub(r.limit)),
                (r.offset + r.limit < r.total).then_some(r.offset + r.limit),
            ),
            None => (None, None),
        };
        let island = json!({"@context": "https://schema.org", "@type": "SearchResultsPage", "name": format!("Search: {}", req.q)});
        let frame = PageFrame {
            base: st.kg.base().to_string(),
            title: format!("Search: {}", req.q),
            lang: langs[0].clone(),
            jsonld: Some(crate::render::escape_json_for_script(&island)),
            ..PageFrame::default()
        };
        let mut context = json!({"q": req.q, "results": results, "hits": hits, "error": error, "filters": filters, "prev": prev, "next": next});
        if let (Value::Object(c), Ok(Value::Object(f))) = (&mut context, serde_json::to_value(frame)) {
            for (k, v) in f {
                c.entry(k).or_insert(v);
            }
        }
        let bad = error.is_some();
        let html = st.renderer.render("search.html", context).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok((bad, html))
    })
    .await?;
    let (bad, html) = result;
    let status = if bad {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, Html(html)).into_response())
}

/// The snippet cut into plain and marked parts at the highlight offsets (characters).
fn marked(snippet: &str, highlights: &[[usize; 2]]) -> Vec<Value> {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for [start, end] in highlights {
        let (start, end) = ((*start).min(chars.len()), (*end).min(chars.len()));
        if start < at {
            continue;
        }
        out.push(json!({"text": chars[at..start].iter().collect::<String>(), "mark": false}));
        out.push(json!({"text": chars[start..end].iter().collect::<String>(), "mark": true}));
        at = end;
    }
    out.push(json!({"text": chars[at..].iter().collect::<String>(), "mark": false}));
    out
}

/// `GET /api/suggest?q=&scheme=&lang=&limit=`.
pub async fn get_suggest(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params = Params::from_query(raw.as_deref())?;
    let q = params.one("q")?.unwrap_or_default();
    let scheme = params.one("scheme")?.filter(|s| !s.is_empty());
    let lang = params.one("lang")?.filter(|s| !s.is_empty());
    let limit = params.one("limit")?.map_or(Ok(10), |v| {
        v.parse()
            .map_err(|_| AppError::BadRequest(format!("limit={v} is not a number")))
    })?;
    let search = index(&state)?;
    let suggestions =
        blocking(move || Ok(search.suggest(&q, scheme.as_deref(), lang.as_deref(), limit)?))
            .await?;
    Ok(Json(suggestions).into_response())
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    Html,
}

/// `GET /resolve?q=&scheme=`.
pub async fn get_resolve(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let params = Params::from_query(raw.as_deref())?;
    let q = params
        .one("q")?
        .ok_or_else(|| AppError::BadRequest("give the label as ?q=".into()))?;
    let scheme = params.one("scheme")?.filter(|s| !s.is_empty());
    let format = *negotiate(
        accept(&headers).as_deref(),
        &[
            (Format::Json, &["application/json"][..]),
            (Format::Html, &["text/html"][..]),
        ],
    )
    .unwrap_or(&Format::Json);
    let search = index(&state)?;
    let ours = state.kg.base().topics_scheme().as_str().to_owned();
    let resolution = blocking(move || Ok(search.resolve(&q, scheme.as_deref(), &ours)?)).await?;
    let site_href = |iri: &str| match state.kg.base().relative(iri) {
        Some(rel) => rel.to_owned(),
        None => iri.to_owned(),
    };
    Ok(match resolution {
        Resolution::Found(c) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, site_href(&c.iri))],
        )
            .into_response(),
        Resolution::Multiple(candidates) => match format {
            Format::Json => (
                StatusCode::MULTIPLE_CHOICES,
                Json(json!({ "candidates": candidates })),
            )
                .into_response(),
            Format::Html => {
                let items: String = candidates
                    .iter()
                    .map(|c| {
                        format!(
                            "<li><a href=\"{}\">{}</a> <code>{}</code></li>",
                            escape(&site_href(&c.iri)),
                            escape(&c.label),
                            escape(c.scheme.as_deref().unwrap_or(""))
                        )
                    })
                    .collect();
                (StatusCode::MULTIPLE_CHOICES, Html(format!("<!doctype html><title>Several matches</title><h1>Several matches</h1><ul>{items}</ul>"))).into_response()
            }
        },
        Resolution::NotFound(suggestions) => (
            StatusCode::NOT_FOUND,
            Json(json!({ "candidates": [], "suggestions": suggestions })),
        )
            .into_response(),
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
