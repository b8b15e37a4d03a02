//! HTTP caching of representations: a weak `ETag` per representation that changes with
//! the store's generation, `If-None-Match` → 304, `Cache-Control`, and the `Vary` that
//! tells caches what the representation depends on.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::hash::{Hash, Hasher};

/// What every representation of a resource varies on.
pub const VARY: &str = "Accept, Accept-Encoding, Accept-Language";

/// The weak ETag of a representation: the generation and a hash of what picked it (path,
/// query, media type, language). Weak, because compression changes the bytes but not the
/// meaning.
pub fn etag(generation: u64, parts: &[&str]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    format!("W/\"g{generation}-{:016x}\"", h.finish())
}

/// Whether the request's `If-None-Match` already has `etag`.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| {
            t == "*" || t == etag || t.trim_start_matches("W/") == etag.trim_start_matches("W/")
        })
}

/// 304 with the validators.
pub fn not_modified_response(etag: &str) -> Response {
    let mut r = StatusCode::NOT_MODIFIED.into_response();
    add_headers(&mut r, etag);
    r
}

/// Adds `ETag`, `Cache-Control` and `Vary`.
pub fn add_headers(response: &mut Response, etag: &str) {
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    h.insert(header::VARY, HeaderValue::from_static(VARY));
}

/// Rendered pages, by ETag (which names the generation, the path, the query and the
/// languages), so that a warm page costs a lookup. Emptied when the generation moves on
/// and when it grows past a bound.
#[derive(Debug, Default)]
pub struct PageCache {
    entries: std::sync::Mutex<(
        u64,
        std::collections::HashMap<String, std::sync::Arc<String>>,
    )>,
}

/// Pages kept at most.
const PAGE_CACHE_ENTRIES: usize = 512;

impl PageCache {
    /// The page rendered for `etag` at `generation`, if any.
    pub fn get(&self, generation: u64, etag: &str) -> Option<std::sync::Arc<String>> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (entries.0 == generation)
            .then(|| entries.1.get(etag).cloned())
            .flatten()
    }

    /// Keeps a rendered page.
    pub fn put(&self, generation: u64, etag: &str, page: std::sync::Arc<String>) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.0 != generation || entries.1.len() >= PAGE_CACHE_ENTRIES {
            entries.1.clear();
            entries.0 = generation;
        }
        entries.1.insert(etag.to_owned(), page);
    }
}

/// The cached page for `etag`, as a response with the validators.
pub fn cached_page(pages: &PageCache, generation: u64, etag: &str) -> Option<Response> {
    let html = pages.get(generation, etag)?;
    let mut response = axum::response::Html(html.as_str().to_owned()).into_response();
    add_headers(&mut response, etag);
    Some(response)
}

/// Keeps a freshly rendered page and answers it with the validators.
pub fn keep_page(pages: &PageCache, generation: u64, etag: &str, html: String) -> Response {
    pages.put(generation, etag, std::sync::Arc::new(html.clone()));
    let mut response = axum::response::Html(html).into_response();
    add_headers(&mut response, etag);
    response
}
