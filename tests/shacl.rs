//! Our graphs conform to `shapes/`; broken fixtures do not, with the expected focus nodes
//! and paths. Checked with the real SHACL engine, in-process and through `validate`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use chariot_kg::shacl::Shapes;
use common::*;

fn fixture_quads(name: &str) -> Vec<oxigraph::model::Quad> {
    chariot_kg::ingest::read_files(&[fixture(name)], &Default::default()).unwrap()
}

#[test]
fn seeded_graphs_conform() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    let quads: Vec<_> = kg.public_store().iter().map(Result::unwrap).collect();
    assert!(quads.len() > 500);
    let report = Shapes::embedded().unwrap().validate(quads.iter()).unwrap();
    assert!(report.conforms(), "{:#?}", report.findings);
    assert_eq!(report.findings, []);
}

#[test]
fn document_without_title_is_a_violation_on_its_title() {
    let report = Shapes::embedded()
        .unwrap()
        .validate(fixture_quads("shacl/document-without-title.ttl").iter())
        .unwrap();
    assert!(!report.conforms());
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.focus.as_str(), f.path.as_deref(), f.severity.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "http://kg.test/document/untitled",
            Some("http://purl.org/dc/terms/title"),
            "Violation"
        )]
    );
    // rudof names the constraint by its parameter (sh:minCount), not the component IRI.
    assert_eq!(
        report.findings[0].component,
        "http://www.w3.org/ns/shacl#minCount"
    );
}

#[test]
fn subject_that_is_not_a_concept_is_a_violation_on_the_subject() {
    let report = Shapes::embedded()
        .unwrap()
        .validate(fixture_quads("shacl/subject-not-a-concept.ttl").iter())
        .unwrap();
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.focus.as_str(), f.path.as_deref(), f.value.as_deref()))
        .collect();
    assert_eq!(
        found,
        [(
            "http://kg.test/document/misfiled",
            Some("http://purl.org/dc/terms/subject"),
            Some("http://kg.test/org/some-publisher")
        )]
    );
    assert_eq!(
        report.findings[0].component,
        "http://www.w3.org/ns/shacl#class"
    );
}

#[test]
fn validate_command_exit_status_follows_the_report() {
    let t = TestDir::new();
    let data = t.data();
    let data = data.to_str().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let seed: Vec<String> = [
        "ontology/chariot.ttl",
        "seed-ttl/taxonomy.ttl",
        "seed-ttl/documents.ttl",
    ]
    .iter()
    .map(|f| format!("{root}/{f}"))
    .collect();
    let mut args = vec!["--data", data, "validate"];
    args.extend(seed.iter().map(String::as_str));
    let ok = run(&args);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("conforms"));
    let bad_file = fixture("shacl/subject-not-a-concept.ttl");
    let bad = run(&["--data", data, "validate", bad_file.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(out.contains("http://kg.test/document/misfiled"), "{out}");
    assert!(out.contains("does not conform: 1 violation"), "{out}");
}

#[test]
fn third_party_vocabulary_is_reported_not_refused() {
    // The Annif YSO file has concepts whose schemes are not described: the report may
    // have findings, but loading it never depends on validation.
    let t = TestDir::new();
    let data = t.data();
    let file = vocabulary("annif-yso-archaeology.ttl");
    assert_ok(&run_kg(&data, &["load", file.to_str().unwrap()]));
    let report = run_kg(&data, &["validate", file.to_str().unwrap()]);
    assert!(report.status.code() == Some(0) || report.status.code() == Some(1));
    let kg = open_unseeded(&data);
    assert_eq!(kg.counts().total(), 1228);
}
