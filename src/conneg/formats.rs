//! The formats the service answers in, as offers for [`super::negotiate`], and the
//! `format=` parameter that overrides `Accept`.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use sparesults::QueryResultsFormat;

/// JSON-LD as Oxigraph names it.
pub const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};

/// RDF graph formats in our order of preference: Turtle, JSON-LD, N-Triples, RDF/XML,
/// then the dataset formats (a graph is a dataset with only a default graph).
pub const GRAPH_OFFERS: &[(RdfFormat, &[&str])] = &[
    (RdfFormat::Turtle, &["text/turtle", "application/x-turtle"]),
    (JSON_LD, &["application/ld+json"]),
    (
        RdfFormat::NTriples,
        &["application/n-triples", "text/plain"],
    ),
    (
        RdfFormat::RdfXml,
        &["application/rdf+xml", "application/xml", "text/xml"],
    ),
    (RdfFormat::NQuads, &["application/n-quads"]),
    (RdfFormat::TriG, &["application/trig"]),
];

/// RDF dataset formats (several graphs), for whole-dataset answers.
pub const DATASET_OFFERS: &[(RdfFormat, &[&str])] = &[
    (RdfFormat::TriG, &["application/trig"]),
    (RdfFormat::NQuads, &["application/n-quads", "text/x-nquads"]),
];

/// SPARQL results formats for SELECT and ASK, in our order of preference.
pub const RESULTS_OFFERS: &[(QueryResultsFormat, &[&str])] = &[
    (
        QueryResultsFormat::Json,
        &[
            "application/sparql-results+json",
            "application/json",
            "text/javascript",
            "application/javascript",
        ],
    ),
    (
        QueryResultsFormat::Xml,
        &[
            "application/sparql-results+xml",
            "application/xml",
            "text/xml",
        ],
    ),
    (QueryResultsFormat::Csv, &["text/csv"]),
    (QueryResultsFormat::Tsv, &["text/tab-separated-values"]),
];

/// The media type a `format=` value names, if it is one of ours.
pub fn format_param_media_type(value: &str) -> Option<&'static str> {
    Some(match value.to_ascii_lowercase().as_str() {
        "json" => "application/sparql-results+json",
        "xml" => "application/sparql-results+xml",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "ttl" | "turtle" => "text/turtle",
        "nt" | "ntriples" => "application/n-triples",
        "jsonld" | "json-ld" => "application/ld+json",
        "rdf" | "rdfxml" | "xml-rdf" => "application/rdf+xml",
        "nq" | "nquads" => "application/n-quads",
        "trig" => "application/trig",
        "html" => "text/html",
        _ => return None,
    })
}

/// The media type to serve an RDF format with.
pub fn rdf_media_type(format: RdfFormat) -> &'static str {
    format.media_type()
}

/// The file extension used in `data/` URLs for an RDF format.
pub fn rdf_extension(format: RdfFormat) -> &'static str {
    match format {
        RdfFormat::Turtle => "ttl",
        RdfFormat::NTriples => "nt",
        RdfFormat::RdfXml => "rdf",
        RdfFormat::NQuads => "nq",
        RdfFormat::TriG => "trig",
        RdfFormat::N3 => "n3",
        _ => "jsonld",
    }
}
