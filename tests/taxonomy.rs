//! The seeded taxonomy is exactly the reading of the seed README, checked by SPARQL over
//! a seeded store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;

const T: &str = "GRAPH <http://kg.test/graph/taxonomy>";

#[test]
fn taxonomy_has_92_concepts_15_top_concepts_79_broader_links() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    assert_eq!(
        count(
            &kg,
            &format!("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {T} {{ ?c a skos:Concept }} }}")
        ),
        92
    );
    // Every concept in the scheme, with an English preferred label.
    assert_eq!(count(&kg, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a skos:Concept ; skos:inScheme <http://kg.test/scheme/topics> ; skos:prefLabel ?l FILTER(lang(?l) = 'en') }"), 92);
    assert_eq!(count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?c a skos:Concept FILTER NOT EXISTS { ?c skos:inScheme ?s } }"), 0);
    // Top concepts, both directions.
    assert_eq!(count(&kg, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c skos:topConceptOf <http://kg.test/scheme/topics> }"), 15);
    assert_eq!(count(&kg, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { <http://kg.test/scheme/topics> skos:hasTopConcept ?c }"), 15);
    assert_eq!(count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?c skos:topConceptOf ?s FILTER NOT EXISTS { ?s skos:hasTopConcept ?c } }"), 0);
    assert_eq!(count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?s skos:hasTopConcept ?c FILTER NOT EXISTS { ?c skos:topConceptOf ?s } }"), 0);
    // Broader links, each mirrored by narrower, and nothing else.
    assert_eq!(
        count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?a skos:broader ?b }"),
        79
    );
    assert_eq!(
        count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?a skos:narrower ?b }"),
        79
    );
    assert_eq!(count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?a skos:broader ?b FILTER NOT EXISTS { ?b skos:narrower ?a } }"), 0);
    // Two levels: every broader concept is a top concept, every top concept has children.
    assert_eq!(count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?a skos:broader ?b FILTER NOT EXISTS { ?b skos:topConceptOf ?s } }"), 0);
    assert_eq!(count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?t skos:topConceptOf ?s FILTER NOT EXISTS { ?c skos:broader ?t } }"), 0);
    // 89 distinct labels on the page + 3 inferred headings.
    assert_eq!(
        count(
            &kg,
            "SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?c a skos:Concept ; skos:prefLabel ?l }"
        ),
        92
    );
}

#[test]
fn polyhierarchy_concepts_have_two_broader_concepts() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    let two = column(
        &kg,
        "SELECT ?l WHERE { ?c skos:prefLabel ?l ; skos:broader ?b } GROUP BY ?l HAVING (COUNT(?b) = 2) ORDER BY ?l",
    );
    assert_eq!(
        two,
        [
            "Business Models, Process Improvement, Contract Management, KPIs and Benchmarking Indexes",
            "Risk Management"
        ]
    );
    let parents = column(
        &kg,
        "SELECT ?pl WHERE { ?c skos:prefLabel 'Risk Management'@en ; skos:broader ?p . ?p skos:prefLabel ?pl } ORDER BY ?pl",
    );
    assert_eq!(
        parents,
        [
            "Safety, Security and Privacy Systems",
            "Supply Chain Management"
        ]
    );
    let parents = column(
        &kg,
        "SELECT ?pl WHERE { ?c skos:prefLabel 'Business Models, Process Improvement, Contract Management, KPIs and Benchmarking Indexes'@en ; skos:broader ?p . ?p skos:prefLabel ?pl } ORDER BY ?pl",
    );
    assert_eq!(
        parents,
        [
            "Collaborative Classification and Models",
            "Supply Chain Management"
        ]
    );
}

#[test]
fn typos_are_corrected_with_hidden_labels_and_notes() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    let hidden = column(
        &kg,
        "SELECT ?pair WHERE { ?c skos:hiddenLabel ?h ; skos:prefLabel ?p ; skos:editorialNote ?note FILTER(CONTAINS(?note, ?h)) BIND(CONCAT(?h, ' -> ', ?p) AS ?pair) } ORDER BY ?pair",
    );
    assert_eq!(
        hidden,
        [
            "Custom Authorities -> Customs Authorities",
            "IoT Secuirty, Privacy and Safety Systems -> IoT Security, Privacy and Safety Systems",
            "Trusties and other Intermediary Organizations -> Trustees and other Intermediary Organizations",
        ]
    );
    assert_eq!(
        count(
            &kg,
            "SELECT (COUNT(*) AS ?n) WHERE { ?c skos:hiddenLabel ?h }"
        ),
        3
    );
    // Punctuation kept.
    assert!(ask(
        &kg,
        "ASK { ?c skos:prefLabel 'Customs & Regulatory Compliance'@en ; skos:broader ?b }"
    ));
    assert!(ask(
        &kg,
        "ASK { ?c skos:prefLabel 'Technologies (Bluetooth, Ethernet, Wifi)'@en }"
    ));
}

#[test]
fn three_inferred_headings_say_so() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    let inferred = column(
        &kg,
        "SELECT ?l WHERE { ?c skos:topConceptOf ?s ; skos:prefLabel ?l ; skos:editorialNote ?n FILTER(CONTAINS(?n, 'inferred')) } ORDER BY ?l",
    );
    assert_eq!(inferred, ["Devices", "Standards", "Technologies"]);
    // Their children are the groups the README names.
    let devices = column(
        &kg,
        "SELECT ?l WHERE { ?c skos:broader/skos:prefLabel 'Devices'@en ; skos:prefLabel ?l } ORDER BY ?l",
    );
    assert_eq!(
        devices,
        [
            "IoT Controllers",
            "IoT Gateways",
            "IoT Sensors",
            "Tracking Sensors"
        ]
    );
    assert_eq!(
        count(
            &kg,
            "SELECT (COUNT(*) AS ?n) WHERE { ?c skos:broader/skos:prefLabel 'Technologies'@en }"
        ),
        11
    );
    assert_eq!(
        count(
            &kg,
            "SELECT (COUNT(*) AS ?n) WHERE { ?c skos:broader/skos:prefLabel 'Standards'@en }"
        ),
        4
    );
}

#[test]
fn wco_concept_focuses_on_the_publisher_organisation() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    assert!(ask(
        &kg,
        "ASK { GRAPH <http://kg.test/graph/taxonomy> { <http://kg.test/concept/world-customs-organization-wco> skos:prefLabel 'World Customs Organization (WCO)'@en ; foaf:focus <http://kg.test/org/world-customs-organization> }
               GRAPH <http://kg.test/graph/documents> { <http://kg.test/org/world-customs-organization> a foaf:Organization ; foaf:name 'World Customs Organization'@en } }"
    ));
}

#[test]
fn the_document_is_a_separate_resource_about_the_concept() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    let d = "<http://kg.test/document/coordinated-border-management>";
    assert!(ask(
        &kg,
        &format!(
            "ASK {{ {d} a foaf:Document ; dcterms:title 'Coordinated Border Management'@en ;
               dcterms:publisher <http://kg.test/org/world-customs-organization> ;
               dcterms:subject <http://kg.test/concept/coordinated-border-management> ;
               dcterms:type ck:Publication .
               <http://kg.test/concept/coordinated-border-management> a skos:Concept }}"
        )
    ));
    let text = column(&kg, &format!("SELECT ?t WHERE {{ {d} schema:text ?t }}"));
    assert_eq!(text.len(), 1);
    let text = &text[0];
    // Verbatim, paragraphs kept, typos kept.
    assert_eq!(text.split("\n\n").count(), 5);
    assert!(text.starts_with("1.1. Coordinated Border Management – A New, Old Concept?\n\n"));
    assert!(text.contains("in favuor of the former name"));
    // Checked against a copy of the source page (shared/seed/), kept in the fixtures.
    let source = std::fs::read_to_string(fixture("chariot-iot-search-index.txt")).unwrap();
    for para in text.split("\n\n") {
        assert!(
            source.lines().any(|l| l == para),
            "paragraph not verbatim: {para}"
        );
    }
    // No invented targets for the reference link and the attachments.
    assert_eq!(
        count(
            &kg,
            "SELECT (COUNT(*) AS ?n) WHERE { ?d ck:referenceLink|ck:attachment ?x }"
        ),
        0
    );
    // The document type is not a subject.
    assert_eq!(
        count(
            &kg,
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ {d} dcterms:subject ?s }}")
        ),
        1
    );
}

#[test]
fn seed_iris_resolve_against_the_recorded_base() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    assert_eq!(count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!STRSTARTS(STR(?g), 'http://kg.test/graph/')) }"), 0);
    assert_eq!(count(&kg, "SELECT (COUNT(*) AS ?n) WHERE { ?s a skos:Concept FILTER(!STRSTARTS(STR(?s), 'http://kg.test/concept/')) }"), 0);
    // Slugs are valid and none is a reserved route prefix.
    for iri in column(
        &kg,
        "SELECT ?s WHERE { ?s a ?t FILTER(STRSTARTS(STR(?s), 'http://kg.test/')) }",
    ) {
        let rel = iri.strip_prefix("http://kg.test/").unwrap();
        let (kind, slug) = rel.split_once('/').unwrap();
        assert!(chariot_kg::iri::RESOURCE_KINDS.contains(&kind), "{iri}");
        assert!(chariot_kg::iri::is_valid_slug(slug), "{iri}");
    }
}
