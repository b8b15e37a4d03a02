//! Namespaces and terms the service reads and writes.
//!
//! One place for the IRIs of the standard vocabularies and of the project's own
//! vocabulary (`ontology/chariot.ttl`), so that no module spells an IRI by hand.

/// The project's own vocabulary. Fixed: it does not depend on a deployment's base IRI.
pub const CK: &str = "https://w3id.org/chariot-kg/ns#";
/// SKOS core.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// DCMI terms.
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
/// FOAF.
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
/// schema.org.
pub const SCHEMA: &str = "https://schema.org/";
/// DCAT.
pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
/// RDF.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// RDFS.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// OWL.
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";

/// The prefixes every generated query and serialisation may use.
pub const PREFIXES: &[(&str, &str)] = &[
    ("skos", SKOS),
    ("dcterms", DCTERMS),
    ("foaf", FOAF),
    ("schema", SCHEMA),
    ("dcat", DCAT),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("owl", OWL),
    ("ck", CK),
];

/// `PREFIX` declarations for [`PREFIXES`], to put in front of a SPARQL query.
pub fn sparql_prefixes() -> String {
    PREFIXES
        .iter()
        .map(|(p, ns)| format!("PREFIX {p}: <{ns}>\n"))
        .collect()
}

/// An RDF serialiser for `format` that declares [`PREFIXES`] (where the format has
/// prefixes).
pub fn rdf_serializer(format: oxigraph::io::RdfFormat) -> oxigraph::io::RdfSerializer {
    let mut serializer = oxigraph::io::RdfSerializer::from_format(format);
    for (prefix, ns) in PREFIXES {
        // The namespaces are constants that parse; a failure would keep the serialiser
        // without that prefix, which is still correct output.
        if let Ok(with) = serializer.clone().with_prefix(*prefix, *ns) {
            serializer = with;
        }
    }
    serializer
}
