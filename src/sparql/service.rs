//! `SERVICE` calls: refused unless the endpoint is listed with `--service-allow`; an
//! allowed endpoint is queried over HTTP (SPARQL protocol, JSON or XML results).
//!
//! Oxigraph's own HTTP service handler is switched off (the SHACL crate turns on its HTTP
//! client, so it would otherwise be live); this handler replaces it as the default.

use super::error::ServiceNotAllowed;
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
use oxhttp::model::{Method, Request};
use oxigraph::model::NamedNode;
use oxigraph::sparql::{DefaultServiceHandler, QueryEvaluationError, QuerySolutionIter};
use sparesults::{QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput};
use spargebra::algebra::GraphPattern;
use std::sync::Arc;
use std::time::Duration;

/// The default `SERVICE` handler: only allow-listed endpoints, over HTTP.
#[derive(Clone)]
pub struct AllowListServiceHandler {
    allowed: Arc<[String]>,
}

impl AllowListServiceHandler {
    /// A handler that calls only the endpoints in `allowed` (exact IRIs).
    pub fn new(allowed: &[String]) -> Self {
        Self {
            allowed: allowed.into(),
        }
    }
}

fn service_error(message: String) -> QueryEvaluationError {
    QueryEvaluationError::Service(message.into())
}

impl DefaultServiceHandler for AllowListServiceHandler {
    type Error = QueryEvaluationError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, Self::Error> {
        if !self.allowed.iter().any(|a| a == service_name.as_str()) {
            return Err(QueryEvaluationError::Service(Box::new(ServiceNotAllowed(
                service_name.as_str().to_owned(),
            ))));
        }
        let query = spargebra::Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        }
        .to_string();
        let client = oxhttp::Client::new()
            .with_global_timeout(Duration::from_secs(60))
            .with_redirection_limit(0);
        let request = Request::builder()
            .method(Method::POST)
            .uri(service_name.as_str())
            .header(
                ACCEPT,
                "application/sparql-results+json, application/sparql-results+xml",
            )
            .header(CONTENT_TYPE, "application/sparql-query")
            .body(query.into_bytes())
            .map_err(|e| service_error(e.to_string()))?;
        let response = client
            .request(request)
            .map_err(|e| QueryEvaluationError::Service(Box::new(e)))?;
        if !response.status().is_success() {
            return Err(service_error(format!(
                "SERVICE <{}> answered {}",
                service_name.as_str(),
                response.status()
            )));
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let format = QueryResultsFormat::from_media_type(&content_type).ok_or_else(|| {
            service_error(format!(
                "SERVICE <{}> answered with unsupported Content-Type {content_type:?}",
                service_name.as_str()
            ))
        })?;
        let ReaderQueryResultsParserOutput::Solutions(reader) =
            QueryResultsParser::from_format(format)
                .for_reader(response.into_body())
                .map_err(|e| QueryEvaluationError::Service(Box::new(e)))?
        else {
            return Err(service_error(format!(
                "SERVICE <{}> did not answer with solutions",
                service_name.as_str()
            )));
        };
        Ok(QuerySolutionIter::new(
            reader.variables().into(),
            Box::new(reader.map(|s| s.map_err(|e| QueryEvaluationError::Service(Box::new(e))))),
        ))
    }
}
