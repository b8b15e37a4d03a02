//! The IRI scheme of the service: one base IRI and the paths minted under it.
//!
//! These are contracts (the foundation issue): the scheme is `B scheme/topics`, concepts
//! `B concept/{slug}`, documents `B document/{slug}`, organisations `B org/{slug}`, and the
//! named graphs `B graph/taxonomy` and `B graph/documents`. Route prefixes are reserved
//! and never used as slugs. Everything that needs one of these IRIs asks [`BaseIri`].

use std::fmt;

/// Route prefixes that are never slugs, so that resource IRIs and service routes cannot
/// collide.
pub const RESERVED_PREFIXES: &[&str] = &[
    "sparql",
    "update",
    "store",
    "search",
    "api",
    "resolve",
    "page",
    "data",
    "static",
    "health",
    "metrics",
    "schemes",
    "concepts",
    "contact",
    "admin",
    "oai",
    "fragments",
    "rest",
    "dumps",
    ".well-known",
    "sitemap.xml",
    "robots.txt",
];

/// The resource kinds minted under the base IRI, as their path segment.
pub const RESOURCE_KINDS: &[&str] = &["scheme", "concept", "document", "org", "graph"];

/// The public base IRI `B` of a deployment: absolute, `http` or `https`, ending with `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseIri(String);

/// Why a string is not a usable base IRI.
#[derive(Debug, thiserror::Error)]
#[error("invalid base IRI <{iri}>: {reason}")]
pub struct BaseIriError {
    iri: String,
    reason: String,
}

impl BaseIri {
    /// Checks and wraps a base IRI.
    pub fn parse(iri: &str) -> Result<Self, BaseIriError> {
        let err = |reason: &str| BaseIriError {
            iri: iri.to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = oxrdf::NamedNode::new(iri).map_err(|e| err(&e.to_string()))?;
        let s = parsed.as_str();
        if !(s.starts_with("http://") || s.starts_with("https://")) {
            return Err(err("it must be an http:// or https:// IRI"));
        }
        if !s.ends_with('/') {
            return Err(err("it must end with '/'"));
        }
        if s.contains('?') || s.contains('#') {
            return Err(err("it must not have a query or a fragment"));
        }
        Ok(Self(s.to_owned()))
    }

    /// The base IRI for a server bound to `addr` when none was given: always a loopback
    /// address a client can reach (never `0.0.0.0` or port 0).
    pub fn for_bound_address(addr: std::net::SocketAddr) -> Self {
        let host = match addr.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_owned(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            std::net::IpAddr::V4(ip) => ip.to_string(),
        };
        Self(format!("http://{host}:{}/", addr.port()))
    }

    /// The default base IRI when nothing else decides it.
    pub fn default_offline() -> Self {
        Self("http://127.0.0.1:8080/".to_owned())
    }

    /// The base IRI as a string (ends with `/`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `B {path}` as a string.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.0, path.trim_start_matches('/'))
    }

    /// `B {path}` as a named node. `path` must be IRI-safe (slugs are).
    pub fn node(&self, path: &str) -> oxrdf::NamedNode {
        oxrdf::NamedNode::new_unchecked(self.join(path))
    }

    /// The topic scheme, `B scheme/topics`.
    pub fn topics_scheme(&self) -> oxrdf::NamedNode {
        self.node("scheme/topics")
    }

    /// The named graph of the taxonomy, `B graph/taxonomy`.
    pub fn taxonomy_graph(&self) -> oxrdf::NamedNode {
        self.node("graph/taxonomy")
    }

    /// The named graph of the documents and organisations, `B graph/documents`.
    pub fn documents_graph(&self) -> oxrdf::NamedNode {
        self.node("graph/documents")
    }

    /// The named graph of the project's vocabulary, `B graph/ontology`.
    pub fn ontology_graph(&self) -> oxrdf::NamedNode {
        self.node("graph/ontology")
    }

    /// The path of `iri` relative to the base (`concept/x` for `B concept/x`), if it is
    /// under the base.
    pub fn relative<'a>(&self, iri: &'a str) -> Option<&'a str> {
        iri.strip_prefix(self.0.as_str())
    }
}

impl fmt::Display for BaseIri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `slug` may be used as a slug: not empty, lower-case ASCII letters, digits and
/// `-`, and not a reserved route prefix.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !RESERVED_PREFIXES.contains(&slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_iri_must_end_with_slash_and_be_http() {
        assert!(BaseIri::parse("http://example.org/kg/").is_ok());
        assert!(BaseIri::parse("http://example.org/kg").is_err());
        assert!(BaseIri::parse("ftp://example.org/").is_err());
        assert!(BaseIri::parse("not an iri/").is_err());
        assert!(BaseIri::parse("http://example.org/?a=/").is_err());
    }

    #[test]
    fn bound_address_never_gives_unspecified_host() {
        let b = BaseIri::for_bound_address("0.0.0.0:4000".parse().unwrap());
        assert_eq!(b.as_str(), "http://127.0.0.1:4000/");
        let b = BaseIri::for_bound_address("[::1]:4000".parse().unwrap());
        assert_eq!(b.as_str(), "http://[::1]:4000/");
    }

    #[test]
    fn reserved_prefixes_are_not_slugs() {
        assert!(is_valid_slug("coordinated-border-management"));
        assert!(!is_valid_slug("sparql"));
        assert!(!is_valid_slug("Upper"));
        assert!(!is_valid_slug(""));
    }
}
