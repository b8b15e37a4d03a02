//! Dereferenceable IRIs: `B {kind}/{slug}` answers 303 to its data (`B data/{kind}/{slug}.ttl`
//! …) or its page (`B page/{kind}/{slug}`) by `Accept`; `/data/{*path}` and `/page/{*path}`
//! serve them; `/data?iri=` and `/page?iri=` do the same for resources outside our base.
//! Every representation has `Vary`, `Content-Location`, `Link: rel="alternate"`, an `ETag`
//! that follows the store's generation, and 304 for a matching `If-None-Match`.

use super::cache::{
    add_headers, cached_page, etag, keep_page, not_modified, not_modified_response,
};
use super::lang::reader_languages;
use super::params::{accept, Params};
use super::site::{enc, Site, DATA_FORMATS};
use super::{blocking, pages, AppState};
use crate::conneg::formats::JSON_LD;
use crate::conneg::negotiate;
use crate::error::AppError;
use crate::ld::{compact_jsonld, describe};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use oxigraph::io::RdfFormat;

/// A representation of a resource.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Representation {
    /// The HTML page.
    Html,
    /// RDF.
    Rdf(RdfFormat),
}

/// Pages and data, in our order of preference among equals (HTML first for `*/*`).
pub const OFFERS: &[(Representation, &[&str])] = &[
    (
        Representation::Html,
        &["text/html", "application/xhtml+xml"],
    ),
    (
        Representation::Rdf(RdfFormat::Turtle),
        &["text/turtle", "application/x-turtle"],
    ),
    (Representation::Rdf(JSON_LD), &["application/ld+json"]),
    (
        Representation::Rdf(RdfFormat::NTriples),
        &["application/n-triples", "text/plain"],
    ),
    (
        Representation::Rdf(RdfFormat::RdfXml),
        &["application/rdf+xml", "application/xml", "text/xml"],
    ),
];

fn extension(format: RdfFormat) -> &'static str {
    crate::conneg::formats::rdf_extension(format)
}

fn format_of_extension(ext: &str) -> Option<RdfFormat> {
    match ext {
        "ttl" => Some(RdfFormat::Turtle),
        "jsonld" => Some(JSON_LD),
        "nt" => Some(RdfFormat::NTriples),
        "rdf" => Some(RdfFormat::RdfXml),
        _ => None,
    }
}

fn vary(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static(super::cache::VARY));
}

/// `GET /{kind}/{slug}`: 303 to the data or the page.
pub async fn get_resource(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let rel = uri.path().trim_start_matches('/').to_owned();
    let iri = state.kg.base().join(&rel);
    let slug = rel.rsplit('/').next().unwrap_or_default().to_owned();
    let chosen = *negotiate(accept(&headers).as_deref(), OFFERS)?;
    let (kg, check) = (state.kg.clone(), iri.clone());
    let exists = blocking(move || Ok(describe(&kg, &check)?.own > 0)).await?;
    if !exists {
        return not_found(&state, &headers, &iri, "../").await;
    }
    let location = match chosen {
        Representation::Html => format!("../page/{rel}"),
        Representation::Rdf(f) => format!("../data/{rel}.{}", extension(f)),
    };
    let _ = slug;
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    vary(&mut response);
    Ok(response)
}

/// `GET /data/{*path}`.
pub async fn get_data_path(
    State(state): State<AppState>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (rel, format) = match path
        .rsplit_once('.')
        .and_then(|(r, e)| format_of_extension(e).map(|f| (r.to_owned(), Some(f))))
    {
        Some(found) => found,
        None => (path.clone(), None),
    };
    let format = match format {
        Some(f) => f,
        None => rdf_only(&headers)?,
    };
    let iri = state.kg.base().join(&rel);
    let last = rel.rsplit('/').next().unwrap_or_default().to_owned();
    let depth = rel.matches('/').count() + 1;
    let root = "../".repeat(depth);
    let self_name = format!("{last}.{}", extension(format));
    let mut links: Vec<String> = DATA_FORMATS
        .iter()
        .filter(|(ext, _, _)| *ext != extension(format))
        .map(|(ext, media, _)| format!("<{last}.{ext}>; rel=\"alternate\"; type=\"{media}\""))
        .collect();
    links.push(format!(
        "<{root}page/{rel}>; rel=\"alternate\"; type=\"text/html\""
    ));
    serve_data(
        &state,
        &headers,
        iri,
        format,
        self_name,
        links,
        &format!("data/{path}"),
    )
    .await
}

/// The `iri` parameter of `/data` and `/page`.
fn iri_param(params: &Params) -> Result<String, AppError> {
    params
        .one("iri")?
        .ok_or_else(|| AppError::BadRequest("give the resource as ?iri=".into()))
}

/// `GET /data?iri=IRI&format=ttl|jsonld|nt|rdf`.
pub async fn get_data_query(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let params = Params::from_query(raw.as_deref())?;
    let iri = iri_param(&params)?;
    let format = match params.one("format")? {
        Some(f) => format_of_extension(&f).ok_or_else(|| {
            AppError::BadRequest(format!("unknown format={f}: use ttl, jsonld, nt or rdf"))
        })?,
        None => rdf_only(&headers)?,
    };
    let self_name = format!("data?iri={}&format={}", enc(&iri), extension(format));
    let mut links: Vec<String> = DATA_FORMATS
        .iter()
        .filter(|(ext, _, _)| *ext != extension(format))
        .map(|(ext, media, _)| {
            format!(
                "<data?iri={}&format={ext}>; rel=\"alternate\"; type=\"{media}\"",
                enc(&iri)
            )
        })
        .collect();
    links.push(format!(
        "<page?iri={}>; rel=\"alternate\"; type=\"text/html\"",
        enc(&iri)
    ));
    let key = format!("data?{}", raw.unwrap_or_default());
    serve_data(&state, &headers, iri, format, self_name, links, &key).await
}

fn rdf_only(headers: &HeaderMap) -> Result<RdfFormat, AppError> {
    Ok(*negotiate(
        accept(headers).as_deref(),
        &OFFERS[1..]
            .iter()
            .map(|(r, m)| match r {
                Representation::Rdf(f) => (*f, *m),
                Representation::Html => (RdfFormat::Turtle, *m),
            })
            .collect::<Vec<_>>(),
    )?)
}

async fn serve_data(
    state: &AppState,
    headers: &HeaderMap,
    iri: String,
    format: RdfFormat,
    content_location: String,
    links: Vec<String>,
    key: &str,
) -> Result<Response, AppError> {
    let tag = etag(state.kg.generation(), &[key, format.media_type()]);
    if not_modified(headers, &tag) {
        return Ok(not_modified_response(&tag));
    }
    let kg = state.kg.clone();
    let target = iri.clone();
    let body = blocking(move || {
        let desc = describe(&kg, &target)?;
        if desc.own == 0 {
            return Ok(None);
        }
        let serializer = crate::vocab::rdf_serializer(format);
        let mut writer = serializer.for_writer(Vec::new());
        for t in &desc.triples {
            writer
                .serialize_triple(t)
                .map_err(|e| AppError::Internal(e.to_string()))?;
        }
        let bytes = writer
            .finish()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(Some(if matches!(format, RdfFormat::JsonLd { .. }) {
            compact_jsonld(&bytes)
        } else {
            bytes
        }))
    })
    .await?;
    let Some(body) = body else {
        return not_found(state, headers, &iri, "").await;
    };
    let mut response = ([(header::CONTENT_TYPE, format.media_type())], body).into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_location) {
        h.insert(header::CONTENT_LOCATION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
        h.insert(header::LINK, v);
    }
    add_headers(&mut response, &tag);
    Ok(response)
}

/// `GET /page/{*path}`.
pub async fn get_page_path(
    State(state): State<AppState>,
    Path(path): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let iri = state.kg.base().join(&path);
    let root = "../".repeat(path.matches('/').count() + 1);
    serve_page(&state, &headers, iri, root, raw, &format!("page/{path}")).await
}

/// `GET /page?iri=IRI`.
pub async fn get_page_query(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let params = Params::from_query(raw.as_deref())?;
    let iri = iri_param(&params)?;
    serve_page(&state, &headers, iri, String::new(), raw, "page").await
}

async fn serve_page(
    state: &AppState,
    headers: &HeaderMap,
    iri: String,
    root: String,
    raw: Option<String>,
    key: &str,
) -> Result<Response, AppError> {
    let params = Params::from_query(raw.as_deref())?;
    let langs = reader_languages(headers, params.one("lang")?.as_deref());
    let generation = state.kg.generation();
    let tag = etag(
        generation,
        &[
            key,
            raw.as_deref().unwrap_or(""),
            "text/html",
            &langs.join(","),
        ],
    );
    if not_modified(headers, &tag) {
        return Ok(not_modified_response(&tag));
    }
    if let Some(response) = cached_page(&state.pages, generation, &tag) {
        return Ok(response);
    }
    let st = state.clone();
    let (target, page_root) = (iri.clone(), root.clone());
    let html = blocking(move || {
        let desc = describe(&st.kg, &target)?;
        let tax = st.taxonomy.get(&st.kg)?;
        if desc.own == 0 && tax.concept(&target).is_none() && tax.scheme(&target).is_none() {
            return Ok(None);
        }
        let site = Site {
            kg: &st.kg,
            tax: &tax,
            langs: &langs,
            root: page_root,
        };
        let page = pages::resource_page(&site, &target, &desc);
        Ok(Some(
            st.renderer
                .render(page.template, page.context)
                .map_err(|e| AppError::Internal(e.to_string()))?,
        ))
    })
    .await?;
    let Some(html) = html else {
        return not_found(state, headers, &iri, &root).await;
    };
    Ok(keep_page(&state.pages, generation, &tag, html))
}

/// 404 for an unknown IRI, as a page that offers a search, or as RDF (a Turtle comment).
pub async fn not_found(
    state: &AppState,
    headers: &HeaderMap,
    iri: &str,
    root: &str,
) -> Result<Response, AppError> {
    let chosen = negotiate(accept(headers).as_deref(), OFFERS)
        .copied()
        .unwrap_or(Representation::Html);
    let query = super::site::local_name(iri).replace('-', " ");
    let mut response = match chosen {
        Representation::Html => {
            let context = serde_json::json!({
                "root": root, "base": state.kg.base().to_string(), "title": "Not found",
                "iri": iri, "query": query, "alternates": [], "lang": "en",
                "jsonld": crate::render::escape_json_for_script(&serde_json::json!({"@context": "https://schema.org", "@type": "WebPage", "name": "Not found"})),
            });
            let html = state
                .renderer
                .render("notfound.html", context)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            (StatusCode::NOT_FOUND, Html(html)).into_response()
        }
        Representation::Rdf(_) => {
            let body = format!(
                "# Nothing is known about <{iri}>.\n# Search: {root}search?q={}\n",
                enc(&query)
            );
            (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/turtle")],
                body,
            )
                .into_response()
        }
    };
    vary(&mut response);
    Ok(response)
}
