//! Real third-party SKOS vocabularies load with their exact triple counts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;

fn load_and_count(file: &str) -> (TestDir, u64) {
    let t = TestDir::new();
    let path = vocabulary(file);
    assert_ok(&run_kg(&t.data(), &["load", path.to_str().unwrap()]));
    let kg = open_unseeded(&t.data());
    let counted = count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    // The counts kept from the write deltas agree with a real count.
    assert_eq!(kg.counts().total(), counted);
    (t, counted)
}

#[test]
fn annif_yso_loads_1228_triples() {
    assert_eq!(load_and_count("annif-yso-archaeology.ttl").1, 1_228);
}

#[test]
fn skosmos_yso_loads_14087_triples() {
    assert_eq!(load_and_count("skosmos-test-yso.ttl").1, 14_087);
}

#[test]
fn stw_loads_109659_triples_with_relative_iris_resolved_against_its_base() {
    let (t, n) = load_and_count("stw-9.06-skos.ttl");
    assert_eq!(n, 109_659);
    let kg = open_unseeded(&t.data());
    assert!(ask(&kg, "ASK { <http://zbw.eu/stw> a skos:ConceptScheme }"));
    assert!(ask(
        &kg,
        "ASK { <http://zbw.eu/stw/descriptor/10000-1> skos:prefLabel ?l }"
    ));
    // No IRI was resolved against the service's base instead of the file's.
    assert_eq!(count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'http://kg.test/')) }"), 0);
}

#[test]
fn a_graph_option_puts_triples_into_that_graph() {
    let t = TestDir::new();
    let path = vocabulary("annif-yso-archaeology.ttl");
    assert_ok(&run_kg(
        &t.data(),
        &[
            "load",
            "--graph",
            "http://kg.test/graph/yso",
            path.to_str().unwrap(),
        ],
    ));
    let kg = open_unseeded(&t.data());
    assert_eq!(
        count(
            &kg,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://kg.test/graph/yso> { ?s ?p ?o } }"
        ),
        1_228
    );
    assert_eq!(
        kg.counts().per_graph().get("http://kg.test/graph/yso"),
        Some(&1_228)
    );
}
