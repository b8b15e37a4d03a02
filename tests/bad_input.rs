//! Bad input gives a clear error and leaves the store exactly as it was: for every format,
//! a file with 1,000 valid triples followed by a syntax error, and files that are not RDF.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::fmt::Write as _;
use std::path::Path;

const N: usize = 1_000;

fn turtle() -> String {
    let mut s = String::from("@prefix ex: <http://example.org/> .\n");
    for i in 0..N {
        writeln!(s, "ex:s{i} ex:p \"value {i}\" .").unwrap();
    }
    s.push_str("ex:broken ex:p .\n");
    s
}

fn ntriples() -> String {
    let mut s = String::new();
    for i in 0..N {
        writeln!(
            s,
            "<http://example.org/s{i}> <http://example.org/p> \"value {i}\" ."
        )
        .unwrap();
    }
    s.push_str("<http://example.org/broken> \"not a predicate\" <http://example.org/o> .\n");
    s
}

fn rdfxml() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:ex=\"http://example.org/\">\n",
    );
    for i in 0..N {
        writeln!(s, "<rdf:Description rdf:about=\"http://example.org/s{i}\"><ex:p>value {i}</ex:p></rdf:Description>").unwrap();
    }
    s.push_str("<rdf:Description rdf:about=\"http://example.org/broken\"><ex:p>oops</ex:q></rdf:Description>\n</rdf:RDF>\n");
    s
}

fn jsonld() -> String {
    let mut s = String::from("[\n");
    for i in 0..N {
        writeln!(
            s,
            "{{\"@id\": \"http://example.org/s{i}\", \"http://example.org/p\": \"value {i}\"}},"
        )
        .unwrap();
    }
    s.push_str("{\"@id\": \"http://example.org/broken\", \"http://example.org/p\": }\n]\n");
    s
}

/// Loads `file` into a seeded store; the load must fail with `expect` in its message and
/// the dump must not change.
fn refused_without_change(name: &str, content: &[u8], expect: &str) {
    let t = TestDir::new();
    drop(open_seeded(&t.data()));
    let before = dump_cli(&t.data());
    assert!(before.len() > 10_000);
    let file = t.path(name);
    std::fs::write(&file, content).unwrap();
    let out = run_kg(&t.data(), &["load", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{name} was accepted");
    assert!(
        stderr.contains(expect),
        "{name}: expected {expect:?} in {stderr}"
    );
    let after = dump_cli(&t.data());
    assert!(before == after, "{name}: the store changed");
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn turtle_with_a_late_syntax_error_writes_nothing() {
    refused_without_change(
        "bad.ttl",
        turtle().as_bytes(),
        &format!("{}:{}:", file_name("bad.ttl"), N + 2),
    );
}

#[test]
fn ntriples_with_a_late_syntax_error_writes_nothing() {
    refused_without_change(
        "bad.nt",
        ntriples().as_bytes(),
        &format!("bad.nt:{}:", N + 1),
    );
}

#[test]
fn rdfxml_with_a_late_syntax_error_writes_nothing() {
    refused_without_change("bad.rdf", rdfxml().as_bytes(), "bad.rdf");
}

#[test]
fn jsonld_with_a_late_syntax_error_writes_nothing() {
    refused_without_change("bad.jsonld", jsonld().as_bytes(), "bad.jsonld");
}

#[test]
fn gzipped_turtle_with_a_late_syntax_error_writes_nothing() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(turtle().as_bytes()).unwrap();
    refused_without_change(
        "bad.ttl.gz",
        &gz.finish().unwrap(),
        &format!("bad.ttl.gz:{}:", N + 2),
    );
}

#[test]
fn non_rdf_files_are_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    refused_without_change("picture.png", png, "cannot tell the RDF format");
    refused_without_change("picture.ttl", png, "picture.ttl");
    refused_without_change(
        "notes.nt",
        b"This is a plain text note, not N-Triples.\n",
        "notes.nt:1:",
    );
}

#[test]
fn valid_files_before_a_bad_one_are_not_written_either() {
    let t = TestDir::new();
    drop(open_seeded(&t.data()));
    let before = dump_cli(&t.data());
    let good = t.path("good.nt");
    std::fs::write(
        &good,
        "<http://example.org/a> <http://example.org/p> \"ok\" .\n",
    )
    .unwrap();
    let bad = t.path("bad.ttl");
    std::fs::write(&bad, turtle()).unwrap();
    let out = run_kg(
        &t.data(),
        &["load", good.to_str().unwrap(), bad.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert_eq!(before, dump_cli(&t.data()));
}

#[test]
fn graph_option_with_a_quad_format_is_an_error() {
    let t = TestDir::new();
    let file = t.path("data.nq");
    std::fs::write(
        &file,
        "<http://example.org/a> <http://example.org/p> \"ok\" <http://example.org/g> .\n",
    )
    .unwrap();
    let out = run_kg(
        &t.data(),
        &[
            "load",
            "--graph",
            "http://example.org/x",
            file.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--graph cannot be used"));
}
