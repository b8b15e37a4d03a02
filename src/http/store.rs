//! The SPARQL 1.1 Graph Store HTTP Protocol: `/store?graph=IRI`, `/store?default` and
//! `/store/{*path}` (the graph `B store/{path}`).
//!
//! GET and HEAD read a graph (or, without parameters, the whole public dataset); PUT
//! replaces, POST merges (`multipart/form-data` too), DELETE drops. POST to `/store`
//! itself creates a graph with a new IRI and answers 201 with its `Location`. Writes are
//! token-protected, go through the one write path, and parse the whole body first: bad
//! RDF is a 400 that leaves the graph as it was.

use super::params::{accept, content_type, Params};
use super::{auth, blocking, AppState};
use crate::conneg::formats::{DATASET_OFFERS, GRAPH_OFFERS};
use crate::conneg::negotiate;
use crate::error::AppError;
use crate::store::StoreError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, GraphName, GraphNameRef, NamedNode, Quad};

/// What a Graph Store request addresses.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    /// The stored default graph.
    Default,
    /// A named graph.
    Named(NamedNode),
    /// The whole store (no `graph` or `default` parameter).
    Store,
}

impl Target {
    fn graph(&self) -> Option<GraphName> {
        match self {
            Self::Default => Some(GraphName::DefaultGraph),
            Self::Named(n) => Some(n.clone().into()),
            Self::Store => None,
        }
    }
}

fn indirect_target(state: &AppState, raw: Option<&str>) -> Result<Target, AppError> {
    let params = Params::from_query(raw)?;
    match (params.has("default"), params.one("graph")?) {
        (true, Some(_)) => Err(AppError::BadRequest(
            "give either ?default or ?graph=IRI, not both".into(),
        )),
        (true, None) => Ok(Target::Default),
        (false, Some(iri)) => {
            let resolved = oxiri::Iri::parse(state.kg.base().as_str())
                .and_then(|b| b.resolve(&iri))
                .map_err(|e| AppError::BadRequest(format!("?graph=<{iri}> is not an IRI: {e}")))?;
            Ok(Target::Named(NamedNode::new_unchecked(
                resolved.into_inner(),
            )))
        }
        (false, None) => Ok(Target::Store),
    }
}

fn direct_target(state: &AppState, path: &str) -> Result<Target, AppError> {
    NamedNode::new(state.kg.base().join(&format!("store/{path}")))
        .map(Target::Named)
        .map_err(|e| AppError::BadRequest(format!("/store/{path} does not name a graph: {e}")))
}

/// `/store` (indirect identification).
pub async fn handle_store(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    request: Request,
) -> Result<Response, AppError> {
    let target = indirect_target(&state, raw.as_deref())?;
    handle(state, target, request).await
}

/// `/store/{*path}` (direct identification).
pub async fn handle_store_path(
    State(state): State<AppState>,
    Path(path): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let target = direct_target(&state, &path)?;
    handle(state, target, request).await
}

async fn handle(state: AppState, target: Target, request: Request) -> Result<Response, AppError> {
    let method = request.method().clone();
    let headers = request.headers().clone();
    if method == Method::GET || method == Method::HEAD {
        return read(state, target, &headers).await;
    }
    if !matches!(method, Method::PUT | Method::POST | Method::DELETE) {
        return Err(AppError::MethodNotAllowed {
            allow: "GET, HEAD, PUT, POST, DELETE",
            message: format!("{method} is not a Graph Store Protocol method"),
        });
    }
    auth::authorize_write(&state, &headers)?;
    if method == Method::DELETE {
        return delete(state, target).await;
    }
    let (graph, created_location) = match &target {
        Target::Store if method == Method::POST => {
            let id = BlankNode::default();
            let path = format!("store/{}", id.as_str());
            (
                GraphName::NamedNode(state.kg.base().node(&path)),
                Some(path),
            )
        }
        Target::Store => {
            return Err(AppError::BadRequest(
                "PUT needs ?graph=IRI or ?default".into(),
            ))
        }
        other => (other.graph().unwrap_or_default(), None),
    };
    let quads = read_body(&state, request, &headers, &graph).await?;
    let replace = method == Method::PUT;
    let kg = state.kg.clone();
    let target_graph = graph.clone();
    let existed = blocking(move || {
        let mut existed = true;
        kg.write("graph-store", |change| {
            if let GraphName::NamedNode(g) = &target_graph {
                existed = change.transaction().contains_named_graph(g)?;
            }
            if replace {
                change.clear_graph(target_graph.as_ref())?;
            }
            if let GraphName::NamedNode(g) = &target_graph {
                change.create_named_graph(g.as_ref().into())?;
            }
            for q in &quads {
                change.insert(q.as_ref())?;
            }
            Ok::<(), StoreError>(())
        })?;
        Ok(existed)
    })
    .await?;
    let mut response = if existed {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::CREATED
    }
    .into_response();
    if let Some(path) = created_location {
        // Relative to the request URL `…/store`, so it holds behind a proxy too.
        if let Ok(v) = HeaderValue::from_str(&path) {
            response.headers_mut().insert(header::LOCATION, v);
        }
    }
    Ok(response)
}

async fn read(state: AppState, target: Target, headers: &HeaderMap) -> Result<Response, AppError> {
    let accept = accept(headers);
    let format = match &target {
        Target::Store => *negotiate(accept.as_deref(), DATASET_OFFERS)?,
        _ => *negotiate(accept.as_deref(), GRAPH_OFFERS)?,
    };
    let kg = state.kg.clone();
    let body = blocking(move || {
        let store = kg.public_store();
        let graph = target.graph();
        if let Some(GraphName::NamedNode(g)) = &graph {
            if !store.contains_named_graph(g).map_err(StoreError::from)? {
                return Ok(None);
            }
        }
        let serializer = crate::vocab::rdf_serializer(format);
        let mut serializer = serializer.for_writer(Vec::new());
        let ser = |e: std::io::Error| AppError::from(StoreError::Serialize(e));
        for quad in store.quads_for_pattern(None, None, None, graph.as_ref().map(GraphName::as_ref))
        {
            let quad = quad.map_err(StoreError::from)?;
            if format.supports_datasets() && graph.is_some() {
                serializer
                    .serialize_quad(oxigraph::model::QuadRef::new(
                        &quad.subject,
                        &quad.predicate,
                        &quad.object,
                        GraphNameRef::DefaultGraph,
                    ))
                    .map_err(ser)?;
            } else if format.supports_datasets() {
                serializer.serialize_quad(&quad).map_err(ser)?;
            } else {
                serializer.serialize_triple(quad.as_ref()).map_err(ser)?;
            }
        }
        Ok(Some(serializer.finish().map_err(ser)?))
    })
    .await?;
    let Some(body) = body else {
        return Err(AppError::NotFound("no such graph in the store".into()));
    };
    let mut response = ([(header::CONTENT_TYPE, format.media_type())], body).into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

async fn delete(state: AppState, target: Target) -> Result<Response, AppError> {
    let kg = state.kg.clone();
    let found = blocking(move || {
        let mut found = true;
        kg.write("graph-store", |change| {
            match &target {
                Target::Default => {
                    change.clear_graph(GraphNameRef::DefaultGraph)?;
                }
                Target::Named(g) => found = change.drop_named_graph(g.as_ref().into())?,
                Target::Store => found = false,
            }
            Ok::<(), StoreError>(())
        })?;
        Ok(found)
    })
    .await?;
    if found {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AppError::NotFound("no such graph in the store".into()))
    }
}

/// The body's quads, all into `graph`: one RDF document, or the parts of a
/// `multipart/form-data` body.
async fn read_body(
    state: &AppState,
    request: Request,
    headers: &HeaderMap,
    graph: &GraphName,
) -> Result<Vec<Quad>, AppError> {
    let base = match graph {
        GraphName::NamedNode(g) => g.as_str().to_owned(),
        _ => state.kg.base().as_str().to_owned(),
    };
    if content_type(headers).as_deref() == Some("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        let mut quads = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| AppError::BadRequest(e.to_string()))?
        {
            let format = field
                .content_type()
                .and_then(RdfFormat::from_media_type)
                .or_else(|| {
                    field
                        .file_name()
                        .and_then(|n| n.rsplit('.').next())
                        .and_then(RdfFormat::from_extension)
                })
                .ok_or_else(|| {
                    AppError::UnsupportedMediaType(
                        "a multipart part has no RDF media type or file extension".into(),
                    )
                })?;
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            quads.extend(parse_graph(&bytes, format, &base, graph)?);
        }
        return Ok(quads);
    }
    let media = content_type(headers).ok_or_else(|| {
        AppError::UnsupportedMediaType(
            "the request needs a Content-Type naming an RDF format".into(),
        )
    })?;
    let format = RdfFormat::from_media_type(&media)
        .ok_or_else(|| AppError::UnsupportedMediaType(format!("unsupported Content-Type {media}: use Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads or TriG")))?;
    let body = Bytes::from_request(request, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge(e.body_text())
        } else {
            AppError::BadRequest(e.body_text())
        }
    })?;
    parse_graph(&body, format, &base, graph)
}

fn parse_graph(
    bytes: &[u8],
    format: RdfFormat,
    base: &str,
    graph: &GraphName,
) -> Result<Vec<Quad>, AppError> {
    let parser = RdfParser::from_format(format)
        .rename_blank_nodes()
        .with_base_iri(base)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let parsed: Vec<Quad> = parser
        .for_slice(bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| {
            AppError::BadRequest(format!("the body is not valid {}: {e}", format.name()))
        })?;
    // Everything goes into the addressed graph, whatever graph a dataset format named.
    Ok(parsed
        .into_iter()
        .map(|q| Quad::new(q.subject, q.predicate, q.object, graph.clone()))
        .collect())
}
