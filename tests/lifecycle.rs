//! The store's life: seeded once and never twice, crash-safe seeding and writes, the base
//! IRI kept for life, dump/load and backup round trips.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use oxigraph::model::{GraphNameRef, NamedNodeRef, QuadRef};

fn seed_quad_count() -> u64 {
    chariot_kg::seed::seed_quads(&base()).unwrap().len() as u64
}

#[test]
fn never_seeded_twice_a_deleted_seed_triple_stays_deleted() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    assert_eq!(kg.counts().total(), seed_quad_count());
    let label = QuadRef::new(
        NamedNodeRef::new("http://kg.test/concept/devices").unwrap(),
        NamedNodeRef::new("http://www.w3.org/2004/02/skos/core#prefLabel").unwrap(),
        oxigraph::model::LiteralRef::new_language_tagged_literal_unchecked("Devices", "en"),
        GraphNameRef::NamedNode(NamedNodeRef::new("http://kg.test/graph/taxonomy").unwrap()),
    );
    let report = kg.write("test", |c| c.remove(label).map(|_| ())).unwrap();
    assert_eq!(report.removed, 1);
    drop(kg);
    let kg = open_seeded(&t.data());
    assert!(!kg.public_store().contains(label).unwrap());
    assert_eq!(kg.counts().total(), seed_quad_count() - 1);
    assert_eq!(kg.generation(), 2);
}

#[test]
fn killed_mid_seed_the_next_start_ends_with_exactly_the_seed() {
    let reference = TestDir::new();
    let expected = dump_bytes(&open_seeded(&reference.data()));
    for fault in ["mid-seed", "after-journal-sync"] {
        let t = TestDir::new();
        let out = std::process::Command::new(bin())
            .args([
                "--data",
                t.data().to_str().unwrap(),
                "--base-iri",
                BASE,
                "serve",
                "--bind",
                "127.0.0.1:0",
            ])
            .env("CHARIOT_KG_FAULT", fault)
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "{fault}: the fault point was not reached"
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(&format!("fault point {fault} reached"))
        );
        let kg = open_seeded(&t.data());
        assert_eq!(dump_bytes(&kg), expected, "{fault}: not exactly the seed");
        assert_eq!(kg.counts().total(), seed_quad_count());
    }
}

#[test]
fn a_different_base_iri_is_refused_and_health_reports_the_recorded_one() {
    let t = TestDir::new();
    drop(open_seeded(&t.data()));
    let out = run(&[
        "--data",
        t.data().to_str().unwrap(),
        "--base-iri",
        "http://other.test/",
        "dump",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("created with base IRI <http://kg.test/>"),
        "{stderr}"
    );
    let server = Server::start(&t.data(), &[], &[]);
    assert_eq!(server.get_json("/health")["base_iri"], BASE);
    assert!(server.terminate().success());
    let refused = Server::try_start_with_base(&t.data(), "http://other.test/");
    assert!(refused.contains("created with base IRI"), "{refused}");
}

#[test]
fn a_new_store_served_without_base_iri_records_the_bound_address() {
    let t = TestDir::new();
    let server = Server::start(&t.data(), &[], &[]);
    let health = server.get_json("/health");
    assert_eq!(health["base_iri"], format!("http://{}/", server.addr));
    assert!(server.addr.starts_with("127.0.0.1:") && !server.addr.ends_with(":0"));
    assert!(server.terminate().success());
}

#[test]
fn dump_then_load_into_a_fresh_store_is_isomorphic() {
    let t = TestDir::new();
    let kg = open_seeded(&t.data());
    let yso = chariot_kg::ingest::read_files(
        &[vocabulary("annif-yso-archaeology.ttl")],
        &Default::default(),
    )
    .unwrap();
    kg.write("test", |c| {
        for q in &yso {
            c.insert(q.as_ref())?;
        }
        Ok::<_, chariot_kg::store::StoreError>(())
    })
    .unwrap();
    let original = dump_bytes(&kg);
    drop(kg);
    for format in ["nquads", "trig"] {
        let file = t.path(&format!(
            "dump.{}",
            if format == "nquads" { "nq" } else { "trig" }
        ));
        assert_ok(&run_kg(
            &t.data(),
            &[
                "dump",
                "--format",
                format,
                "--output",
                file.to_str().unwrap(),
            ],
        ));
        let fresh = TestDir::new();
        assert_ok(&run_kg(&fresh.data(), &["load", file.to_str().unwrap()]));
        let reloaded = dump_bytes(&open_unseeded(&fresh.data()));
        assert!(
            canonical(&original) == canonical(&reloaded),
            "{format} round trip differs"
        );
    }
}

#[test]
fn dump_of_one_graph_has_only_that_graph() {
    let t = TestDir::new();
    drop(open_seeded(&t.data()));
    let out = run_kg(
        &t.data(),
        &["dump", "--graph", "http://kg.test/graph/documents"],
    );
    assert_ok(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 9);
    assert!(text
        .lines()
        .all(|l| l.ends_with("<http://kg.test/graph/documents> .")));
}

#[test]
fn backup_restores_to_an_identical_store() {
    let t = TestDir::new();
    drop(open_seeded(&t.data()));
    let backup = t.path("backup");
    assert_ok(&run_kg(&t.data(), &["backup", backup.to_str().unwrap()]));
    assert_eq!(dump_cli(&t.data()), dump_cli(&backup));
    let original = open_seeded(&t.data());
    let restored = open_seeded(&backup);
    assert_eq!(original.generation(), restored.generation());
    assert_eq!(original.counts().per_graph(), restored.counts().per_graph());
    assert!(!restored.seed_pending());
    // A backup never overwrites.
    drop((original, restored));
    let again = run_kg(&t.data(), &["backup", backup.to_str().unwrap()]);
    assert!(!again.status.success());
}

#[test]
fn a_write_interrupted_between_journal_sync_and_commit_is_reconciled() {
    let t = TestDir::new();
    drop(open_seeded(&t.data()));
    let before = dump_cli(&t.data());
    let file = t.path("more.nt");
    std::fs::write(&file, "<http://example.org/a> <http://example.org/p> \"1\" .\n<http://example.org/b> <http://example.org/p> \"2\" .\n").unwrap();
    let out = std::process::Command::new(bin())
        .args([
            "--data",
            t.data().to_str().unwrap(),
            "load",
            file.to_str().unwrap(),
        ])
        .env("CHARIOT_KG_FAULT", "after-journal-sync")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let journal = std::fs::read_to_string(t.data().join("journal.log")).unwrap();
    assert!(
        journal.contains("\"kind\":\"load\""),
        "the entry was journaled: {journal}"
    );
    // The write was not acknowledged and did not commit; the next start agrees with the
    // store about everything, and the generation has moved past the journaled entry.
    let kg = open_seeded(&t.data());
    assert_eq!(kg.generation(), 2);
    assert_eq!(kg.counts().total(), quad_count(&kg));
    assert_eq!(kg.counts().total(), seed_quad_count());
    assert_eq!(kg.consumer_generations(), [("counts", 2), ("search", 2)]);
    drop(kg);
    assert_eq!(before, dump_cli(&t.data()));
    // Interrupted after the commit instead: the data is there and the counts catch up.
    let out = std::process::Command::new(bin())
        .args([
            "--data",
            t.data().to_str().unwrap(),
            "load",
            file.to_str().unwrap(),
        ])
        .env("CHARIOT_KG_FAULT", "after-store-commit")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let kg = open_seeded(&t.data());
    assert_eq!(kg.generation(), 3);
    assert_eq!(kg.counts().total(), seed_quad_count() + 2);
    assert_eq!(kg.counts().per_graph().get(""), Some(&2));
}

#[test]
fn offline_commands_refuse_a_store_a_server_holds() {
    let t = TestDir::new();
    let server = Server::start(&t.data(), &["--no-seed"], &[]);
    for args in [
        vec!["dump"],
        vec!["backup", "/tmp/never-created-backup"],
        vec!["validate"],
    ] {
        let out = run_kg(&t.data(), &args);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("in use by another chariot-kg process"),
            "{args:?}: {stderr}"
        );
    }
    assert!(server.terminate().success());
}

#[test]
fn bulk_load_marks_counts_stale_and_the_next_start_rebuilds_them() {
    let t = TestDir::new();
    drop(open_seeded(&t.data()));
    let file = vocabulary("skosmos-test-yso.ttl");
    let out = run_kg(&t.data(), &["load", "--bulk", file.to_str().unwrap()]);
    assert_ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 statement(s) skipped"));
    let kg = open_seeded(&t.data());
    assert_eq!(kg.counts().total(), seed_quad_count() + 14_087);
    assert_eq!(kg.counts().total(), quad_count(&kg));
}
