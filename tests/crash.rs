//! Crash safety of the store and the index together: the real binary under a stream of
//! writes, killed with SIGKILL at random moments 20 times, with a pause widening the
//! window between the store commit and the index commit. After each restart SPARQL and
//! search agree and no acknowledged write is missing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_write_and_search_agrees() {
    let t = TestDir::new();
    let token = "crash-token";
    let next = Arc::new(AtomicU32::new(0));
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let mut seed = 0x2545f4914f6cdd1du64;
    for round in 0..20 {
        let server = Server::start(
            &t.data(),
            &["--base-iri", BASE, "--write-token", token],
            &[
                ("CHARIOT_KG_PAUSE", "after-store-commit"),
                ("CHARIOT_KG_PAUSE_MS", "25"),
            ],
        );
        // After each restart: nothing the store has is missing from search, and back.
        let health = server.get_json("/health?check=true");
        assert_eq!(health["search"]["lag"], 0, "round {round}: {health}");
        assert_eq!(
            health["search"]["differences"],
            serde_json::json!([]),
            "round {round}"
        );
        let q = "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?d WHERE { ?d dcterms:title ?t FILTER(STRSTARTS(STR(?t), \"crashitem\")) }";
        let mut resp = agent()
            .post(&server.url("/sparql"))
            .header("content-type", "application/sparql-query")
            .header("accept", "text/csv")
            .send(q)
            .unwrap();
        let in_store: BTreeSet<String> = resp
            .body_mut()
            .read_to_string()
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.trim().to_owned())
            .collect();
        let mut found = agent()
            .get(&server.url("/api/search?q=crashitem*&type=document&limit=1000"))
            .call()
            .unwrap();
        let found: serde_json::Value =
            serde_json::from_str(&found.body_mut().read_to_string().unwrap()).unwrap();
        let in_search: BTreeSet<String> = found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["iri"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            in_store, in_search,
            "round {round}: SPARQL and search disagree"
        );
        for n in acknowledged.lock().unwrap().iter() {
            assert!(
                in_store.contains(&format!("http://kg.test/document/crash-{n}")),
                "round {round}: acknowledged write {n} is missing"
            );
        }
        // A stream of writes, then SIGKILL at a random moment.
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (url, next, acknowledged, stop) = (
                server.url("/update"),
                next.clone(),
                acknowledged.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                let agent = agent();
                while !stop.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    let update = format!("INSERT DATA {{ GRAPH <http://kg.test/graph/crash> {{ <http://kg.test/document/crash-{n}> a <http://xmlns.com/foaf/0.1/Document> ; <http://purl.org/dc/terms/title> \"crashitem{n}\"@en }} }}");
                    match agent
                        .post(&url)
                        .header("authorization", &format!("Bearer {token}"))
                        .header("content-type", "application/sparql-update")
                        .send(update)
                    {
                        Ok(r) if r.status().is_success() => {
                            acknowledged.lock().unwrap().insert(n);
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            })
        };
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(40 + seed % 300));
        let pid = server.child.id().to_string();
        std::process::Command::new("kill")
            .args(["-KILL", &pid])
            .status()
            .unwrap();
        stop.store(true, Ordering::SeqCst);
        writer.join().unwrap();
        drop(server);
    }
    assert!(
        acknowledged.lock().unwrap().len() > 20,
        "too few writes were acknowledged to mean anything"
    );
}
