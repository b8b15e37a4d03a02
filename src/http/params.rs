//! Strict `application/x-www-form-urlencoded` parsing for query strings and form bodies:
//! repeated keys are kept (the SPARQL protocol repeats `default-graph-uri`), and a value
//! that is not UTF-8 is a 400, not silently replaced.

use crate::error::AppError;
use axum::http::{header, HeaderMap};
use percent_encoding::percent_decode;

/// Decoded `key=value` pairs, in order.
#[derive(Clone, Debug, Default)]
pub struct Params(pub Vec<(String, String)>);

fn decode(raw: &[u8]) -> Result<String, AppError> {
    let plus: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    let bytes: Vec<u8> = percent_decode(&plus).collect();
    String::from_utf8(bytes)
        .map_err(|_| AppError::BadRequest("a parameter is not valid UTF-8".into()))
}

impl Params {
    /// Parses a query string or a form body.
    pub fn parse(raw: &[u8]) -> Result<Self, AppError> {
        let mut out = Vec::new();
        for pair in raw.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            let (k, v) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &[][..]),
            };
            out.push((decode(k)?, decode(v)?));
        }
        Ok(Self(out))
    }

    /// Parses an optional raw query string.
    pub fn from_query(raw: Option<&str>) -> Result<Self, AppError> {
        Self::parse(raw.unwrap_or_default().as_bytes())
    }

    /// Every value of `key`.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The one value of `key`: `None` if absent, an error if repeated.
    pub fn one(&self, key: &str) -> Result<Option<String>, AppError> {
        let mut values = self.0.iter().filter(|(k, _)| k == key);
        let first = values.next().map(|(_, v)| v.clone());
        if values.next().is_some() {
            return Err(AppError::BadRequest(format!(
                "the parameter {key} is given more than once"
            )));
        }
        Ok(first)
    }

    /// Whether `key` is present.
    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Appends another set of parameters.
    pub fn extend(&mut self, other: Params) {
        self.0.extend(other.0);
    }
}

/// The request's media type, lower-case and without parameters.
pub fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
}

/// The `Accept` header.
pub fn accept(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A UTF-8 body.
pub fn utf8_body(body: &[u8]) -> Result<String, AppError> {
    String::from_utf8(body.to_vec())
        .map_err(|_| AppError::BadRequest("the request body is not valid UTF-8".into()))
}
