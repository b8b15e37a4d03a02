//! The real binary: start on port 0, announce the address, answer /health, stop cleanly on
//! SIGTERM; options from the environment; no outbound connections.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[test]
fn binary_starts_on_port_0_reports_health_and_stops_on_sigterm() {
    let t = TestDir::new();
    let server = Server::start(&t.data(), &["--base-iri", BASE], &[]);
    let health = server.get_json("/health");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["store"], "open");
    assert_eq!(health["generation"], 1);
    let seed = chariot_kg::seed::seed_quads(&base()).unwrap().len() as u64;
    assert_eq!(health["triples"], seed);
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    let status = server.terminate();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn global_and_serve_options_come_from_the_environment() {
    let t = TestDir::new();
    let data = t.data();
    let mut child = std::process::Command::new(bin())
        .env("CHARIOT_KG_DATA", &data)
        .env("CHARIOT_KG_BASE_IRI", "http://env.test/")
        .env("CHARIOT_KG_BIND", "127.0.0.1:0")
        .env("CHARIOT_KG_NO_SEED", "true")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let mut resp = ureq::get(&format!("http://{addr}/health")).call().unwrap();
    let health: serde_json::Value =
        serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(health["base_iri"], "http://env.test/");
    assert_eq!(health["triples"], 0, "CHARIOT_KG_NO_SEED=true was ignored");
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(data.join("meta.json").exists());
}

/// A loopback listener that counts the connections made to it.
struct Listener {
    port: u16,
    connections: Arc<AtomicUsize>,
}

impl Listener {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                counter.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        Self { port, connections }
    }
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
    fn count(&self) -> usize {
        std::thread::sleep(Duration::from_millis(200));
        self.connections.load(Ordering::SeqCst)
    }
}

#[test]
fn nothing_opens_an_outbound_connection() {
    let listener = Listener::start();
    let t = TestDir::new();
    // Seeding, serving and /health.
    let server = Server::start(&t.data(), &["--base-iri", BASE], &[]);
    server.get_json("/health");
    assert!(server.terminate().success());
    // Loading files whose content points at the listener: a remote JSON-LD context, an
    // external XML entity, plain IRIs.
    let jsonld = t.path("remote-context.jsonld");
    std::fs::write(
        &jsonld,
        format!(
            r#"{{"@context": "{}", "@id": "http://example.org/a", "name": "x"}}"#,
            listener.url("/context.jsonld")
        ),
    )
    .unwrap();
    let out = run_kg(&t.data(), &["load", jsonld.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "a remote context cannot be resolved without fetching it"
    );
    let rdfxml = t.path("entity.rdf");
    std::fs::write(
        &rdfxml,
        format!(
            r#"<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "{}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="{}"><ex:p>&ext;</ex:p></rdf:Description>
</rdf:RDF>"#,
            listener.url("/entity"),
            listener.url("/resource")
        ),
    )
    .unwrap();
    let _ = run_kg(&t.data(), &["load", rdfxml.to_str().unwrap()]);
    let turtle = t.path("imports.ttl");
    std::fs::write(
        &turtle,
        format!(
            "<{}> <http://www.w3.org/2002/07/owl#imports> <{}> .\n",
            listener.url("/me"),
            listener.url("/ontology")
        ),
    )
    .unwrap();
    assert_ok(&run_kg(&t.data(), &["load", turtle.to_str().unwrap()]));
    // SHACL validation of data with owl:imports.
    let _ = run_kg(&t.data(), &["validate", turtle.to_str().unwrap()]);
    // A SPARQL SERVICE call through the service's evaluator.
    let kg = open_seeded(&t.data());
    let q = format!(
        "SELECT * WHERE {{ SERVICE <{}> {{ ?s ?p ?o }} }}",
        listener.url("/sparql")
    );
    let result = kg.query(&q).and_then(|r| match r {
        oxigraph::sparql::QueryResults::Solutions(s) => s
            .collect::<Result<Vec<_>, _>>()
            .map(|_| ())
            .map_err(Into::into),
        _ => Ok(()),
    });
    assert!(result.is_err(), "SERVICE must be refused");
    assert_eq!(
        listener.count(),
        0,
        "a connection was opened to the listener"
    );
}
