//! The negotiation table: fixed Accept headers of real clients and their fixed answers.

use super::formats::{GRAPH_OFFERS, JSON_LD, RESULTS_OFFERS};
use super::negotiate;
use oxigraph::io::RdfFormat;
use sparesults::QueryResultsFormat;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Page {
    Html,
    Rdf(RdfFormat),
}

const PAGE_OFFERS: &[(Page, &[&str])] = &[
    (Page::Html, &["text/html", "application/xhtml+xml"]),
    (
        Page::Rdf(RdfFormat::Turtle),
        &["text/turtle", "application/x-turtle"],
    ),
    (Page::Rdf(JSON_LD), &["application/ld+json"]),
    (
        Page::Rdf(RdfFormat::NTriples),
        &["application/n-triples", "text/plain"],
    ),
    (
        Page::Rdf(RdfFormat::RdfXml),
        &["application/rdf+xml", "application/xml", "text/xml"],
    ),
];

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
const RDFLIB: &str = "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, application/n-quads, application/trix, application/trig";
const RAPPER: &str = "application/rdf+xml, text/rdf;q=0.6, application/n-triples, text/plain;q=0.1, text/turtle, application/x-turtle, application/turtle, text/n3;q=0.3, application/rdf+json;q=0.8, text/html;q=0.2, application/xhtml+xml;q=0.4, text/html;q=0.6, application/xhtml+xml;q=0.8, application/rss+xml;q=0.8, application/atom+xml;q=0.8, */*;q=0.1";
const SPARQLWRAPPER_JSON: &str =
    "application/sparql-results+json,application/json,text/javascript,application/javascript";
const SPARQLWRAPPER_XML: &str = "application/sparql-results+xml";

#[test]
fn pages_table() {
    let table: &[(Option<&str>, Option<Page>)] = &[
        (Some(BROWSER), Some(Page::Html)),
        (Some(RDFLIB), Some(Page::Rdf(RdfFormat::Turtle))),
        (Some(RAPPER), Some(Page::Rdf(RdfFormat::Turtle))),
        (Some("*/*"), Some(Page::Html)),
        (None, Some(Page::Html)),
        (Some(""), Some(Page::Html)),
        (Some("text/turtle"), Some(Page::Rdf(RdfFormat::Turtle))),
        (
            Some("text/turtle;charset=utf-8"),
            Some(Page::Rdf(RdfFormat::Turtle)),
        ),
        (Some("application/ld+json"), Some(Page::Rdf(JSON_LD))),
        (
            Some("application/ld+json;profile=\"http://www.w3.org/ns/json-ld#compacted\""),
            Some(Page::Rdf(JSON_LD)),
        ),
        (
            Some("application/n-triples"),
            Some(Page::Rdf(RdfFormat::NTriples)),
        ),
        (
            Some("application/rdf+xml"),
            Some(Page::Rdf(RdfFormat::RdfXml)),
        ),
        (Some("text/*"), Some(Page::Html)),
        (
            Some("text/*;q=0.5, text/turtle"),
            Some(Page::Rdf(RdfFormat::Turtle)),
        ),
        (
            Some("text/html;q=0.5, application/ld+json;q=0.6"),
            Some(Page::Rdf(JSON_LD)),
        ),
        (
            Some("text/html;q=0, */*"),
            Some(Page::Rdf(RdfFormat::Turtle)),
        ),
        (Some("application/*"), Some(Page::Rdf(JSON_LD))),
        (Some("image/png"), None),
        (Some("text/turtle;q=0"), None),
        (Some("garbage"), None),
    ];
    for (accept, expected) in table {
        let got = negotiate(*accept, PAGE_OFFERS).ok().copied();
        assert_eq!(got, *expected, "Accept: {accept:?}");
    }
}

#[test]
fn query_results_table() {
    let table: &[(Option<&str>, Option<QueryResultsFormat>)] = &[
        (Some("*/*"), Some(QueryResultsFormat::Json)),
        (None, Some(QueryResultsFormat::Json)),
        (Some(SPARQLWRAPPER_JSON), Some(QueryResultsFormat::Json)),
        (Some(SPARQLWRAPPER_XML), Some(QueryResultsFormat::Xml)),
        (Some("application/json"), Some(QueryResultsFormat::Json)),
        (Some("text/csv"), Some(QueryResultsFormat::Csv)),
        (
            Some("text/tab-separated-values"),
            Some(QueryResultsFormat::Tsv),
        ),
        (
            Some("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.8"),
            Some(QueryResultsFormat::Xml),
        ),
        (Some(BROWSER), Some(QueryResultsFormat::Xml)),
        (Some("image/png"), None),
    ];
    for (accept, expected) in table {
        assert_eq!(
            negotiate(*accept, RESULTS_OFFERS).ok().copied(),
            *expected,
            "Accept: {accept:?}"
        );
    }
}

#[test]
fn graph_results_table() {
    let table: &[(Option<&str>, Option<RdfFormat>)] = &[
        (Some("*/*"), Some(RdfFormat::Turtle)),
        (None, Some(RdfFormat::Turtle)),
        (Some(RDFLIB), Some(RdfFormat::Turtle)),
        (Some(RAPPER), Some(RdfFormat::Turtle)),
        (Some("application/n-quads"), Some(RdfFormat::NQuads)),
        (Some("application/trig"), Some(RdfFormat::TriG)),
        (
            Some("application/ld+json, application/rdf+xml"),
            Some(JSON_LD),
        ),
        (
            Some("application/rdf+xml, application/ld+json;q=0.5"),
            Some(RdfFormat::RdfXml),
        ),
        (Some("image/png"), None),
    ];
    for (accept, expected) in table {
        assert_eq!(
            negotiate(*accept, GRAPH_OFFERS).ok().copied(),
            *expected,
            "Accept: {accept:?}"
        );
    }
}

#[test]
fn not_acceptable_names_the_acceptable_types() {
    let err = negotiate(Some("image/png"), GRAPH_OFFERS).unwrap_err();
    assert!(err.to_string().contains("text/turtle"));
    assert!(err.to_string().contains("application/ld+json"));
}
