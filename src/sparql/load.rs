//! `LOAD` from an allow-listed URL: fetched before the writer lock is taken.

use super::error::SparqlError;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad};

/// Fetches an allow-listed `LOAD` source (the caller checked the allow list) and parses
/// it: triple formats go into `destination`.
pub fn fetch_allowed(url: &str, destination: &GraphName) -> Result<Vec<Quad>, SparqlError> {
    use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
    let client = oxhttp::Client::new()
        .with_global_timeout(std::time::Duration::from_secs(60))
        .with_redirection_limit(0);
    let request = oxhttp::model::Request::builder()
        .uri(url)
        .header(ACCEPT, "text/turtle, application/n-triples, application/n-quads, application/trig, application/rdf+xml, application/ld+json;q=0.9")
        .body(())
        .map_err(|e| SparqlError::BadRequest(format!("LOAD <{url}>: {e}")))?;
    let response = client
        .request(request)
        .map_err(|e| SparqlError::Execution(format!("LOAD <{url}>: {e}")))?;
    if !response.status().is_success() {
        return Err(SparqlError::Execution(format!(
            "LOAD <{url}>: the server answered {}",
            response.status()
        )));
    }
    let media = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let format = RdfFormat::from_media_type(&media)
        .or_else(|| url.rsplit('.').next().and_then(RdfFormat::from_extension))
        .ok_or_else(|| {
            SparqlError::Execution(format!("LOAD <{url}>: unsupported content type {media:?}"))
        })?;
    let mut parser = RdfParser::from_format(format)
        .rename_blank_nodes()
        .with_base_iri(url)
        .map_err(|e| SparqlError::BadRequest(e.to_string()))?;
    if !format.supports_datasets() {
        parser = parser.with_default_graph(destination.clone());
    }
    parser
        .for_reader(response.into_body())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SparqlError::Execution(format!("LOAD <{url}>: {e}")))
}
