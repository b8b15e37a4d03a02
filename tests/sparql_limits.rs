//! Limits that hold, against the real binary: a query past the timeout is cancelled (its
//! slot is free right after), the service keeps answering meanwhile, excess queries get
//! 503 at once; and a SIGTERM during a stream of writes loses no acknowledged write.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::time::{Duration, Instant};

/// Each of the five patterns joins on ?x: for `skos:Concept` alone that is 92^5 ≈ 6.6e9
/// solutions, every one of them produced by a read of the store — far beyond a second.
const SLOW: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p1 ?x . ?b ?p2 ?x . ?c ?p3 ?x . ?d ?p4 ?x . ?e ?p5 ?x }";

fn query(server: &Server, q: &str) -> (u16, String, Option<String>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .post(&server.url("/sparql"))
        .header("content-type", "application/sparql-query")
        .send(q)
        .unwrap();
    let retry = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        resp.status().as_u16(),
        resp.body_mut().read_to_string().unwrap(),
        retry,
    )
}

#[test]
fn a_query_past_the_timeout_is_cancelled_and_the_service_keeps_answering() {
    // Each connection on its own thread: the query runs inline there.
    past_the_timeout(&[]);
}

#[test]
fn a_query_past_the_timeout_is_cancelled_on_the_shared_threads_too() {
    // No connection threads: the query runs on the blocking pool.
    past_the_timeout(&["--connection-threads", "0"]);
}

fn past_the_timeout(extra: &[&str]) {
    let t = TestDir::new();
    let mut args = vec![
        "--base-iri",
        BASE,
        "--query-timeout",
        "1",
        "--max-concurrent-queries",
        "1",
    ];
    args.extend_from_slice(extra);
    let server = std::sync::Arc::new(Server::start(&t.data(), &args, &[]));
    let slow = {
        let server = server.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let answer = query(&server, SLOW);
            (answer, started.elapsed())
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    // Meanwhile: /health answers, and a second query finds the only slot taken.
    assert_eq!(server.get_json("/health")["status"], "ok");
    let (status, _, retry) = query(&server, "ASK {}");
    assert_eq!(status, 503);
    assert_eq!(retry.as_deref(), Some("1"));
    let ((status, body, _), elapsed) = slow.join().unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("timeout"), "{body}");
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    // The slot is free right after: the evaluation itself was cancelled.
    let (status, body, _) = query(&server, "ASK { ?s ?p ?o }");
    assert_eq!(status, 200, "{body}");
    let metrics = server.get_text("/metrics");
    assert!(
        metrics.contains("chariot_kg_sparql_timeouts_total 1"),
        "{metrics}"
    );
}

#[test]
fn sigterm_during_a_stream_of_writes_keeps_every_acknowledged_write() {
    let t = TestDir::new();
    let token = "sigterm-token";
    let server = Server::start(
        &t.data(),
        &["--base-iri", BASE, "--write-token", token],
        &[],
    );
    let url = server.url("/update");
    let writer = std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        let mut acknowledged = Vec::new();
        for i in 0..100_000u32 {
            let update = format!("INSERT DATA {{ GRAPH <http://e/stream> {{ <http://e/item/{i}> <http://e/n> {i} }} }}");
            match agent
                .post(&url)
                .header("authorization", &format!("Bearer {token}"))
                .header("content-type", "application/sparql-update")
                .send(update)
            {
                Ok(r) if r.status().is_success() => acknowledged.push(i),
                _ => break,
            }
        }
        acknowledged
    });
    std::thread::sleep(Duration::from_millis(1500));
    assert!(server.terminate().success());
    let acknowledged = writer.join().unwrap();
    assert!(
        acknowledged.len() > 10,
        "only {} writes before SIGTERM",
        acknowledged.len()
    );
    let kg = open_seeded(&t.data());
    for i in &acknowledged {
        assert!(
            ask(
                &kg,
                &format!(
                    "ASK {{ GRAPH <http://e/stream> {{ <http://e/item/{i}> <http://e/n> {i} }} }}"
                )
            ),
            "acknowledged write {i} is missing"
        );
    }
    assert_eq!(kg.counts().total(), quad_count(&kg));
}

#[test]
fn the_token_comes_from_a_file_and_bodies_over_the_limit_are_413() {
    let t = TestDir::new();
    let token_file = t.path("token");
    std::fs::write(&token_file, "file-token\n").unwrap();
    let server = Server::start(
        &t.data(),
        &[
            "--base-iri",
            BASE,
            "--write-token-file",
            token_file.to_str().unwrap(),
            "--max-body-bytes",
            "200",
        ],
        &[],
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let put = |body: String| {
        agent
            .put(&server.url("/store?graph=http://e/limited"))
            .header("authorization", "Bearer file-token")
            .header("content-type", "application/n-triples")
            .send(body)
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(put("<http://e/s> <http://e/p> \"small\" .\n".into()), 201);
    let big = "<http://e/s> <http://e/p> \"big\" .\n".repeat(20);
    assert!(big.len() > 200);
    assert_eq!(put(big), 413);
    let health = server.get_json("/health");
    assert_eq!(
        health["graphs"]["http://e/limited"], 1,
        "the refused body changed nothing"
    );
    assert!(server.terminate().success());
}

#[test]
fn a_query_timeout_that_is_not_a_duration_is_refused_at_start() {
    let t = TestDir::new();
    let data = t.data();
    for (value, message) in [
        ("0", "must be a positive number of seconds"),
        ("1e300", "--query-timeout is too large"),
    ] {
        let out = run(&[
            "--data",
            data.to_str().unwrap(),
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--query-timeout",
            value,
        ]);
        assert!(
            !out.status.success(),
            "--query-timeout {value} was accepted"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{stderr}");
    }
    // Nothing was created for a refused start.
    assert!(!data.join("meta.json").exists());
}
