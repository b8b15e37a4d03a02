//! The index never drifts from the store: random sequences of every write form through
//! `/update` and `/store` (LOAD from an allow-listed loopback URL included); after each,
//! the index's stored fields equal a SPARQL projection of the store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::http::{get, post, send, with_body};
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};

/// A small deterministic generator (no dependency, same sequence every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

type Projection = BTreeMap<String, (String, BTreeSet<String>, BTreeSet<String>, BTreeSet<String>)>;

/// (kind, labels, subjects, publisher names) per resource, from the index.
fn index_projection(kg: &chariot_kg::store::Kg) -> Projection {
    let search = kg
        .consumer::<chariot_kg::search::SearchIndex>("search")
        .unwrap();
    let mut out = Projection::new();
    for (iri, fields) in search.stored_documents().unwrap() {
        let get = |name: &str| {
            fields
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect::<BTreeSet<_>>()
        };
        let kind = get("kind").into_iter().next().unwrap_or_default();
        let labels_json = get("labels").into_iter().next().unwrap_or_default();
        let labels: BTreeMap<String, Vec<(String, String)>> =
            serde_json::from_str(&labels_json).unwrap_or_default();
        let shown: BTreeSet<String> = ["pref", "name"]
            .iter()
            .flat_map(|k| labels.get(*k).into_iter().flatten().map(|(_, v)| v.clone()))
            .collect();
        out.insert(iri, (kind, shown, get("subject"), get("publisher_name")));
    }
    out
}

/// The same, by SPARQL over the store.
fn sparql_projection(kg: &chariot_kg::store::Kg) -> Projection {
    let mut out = Projection::new();
    let rows = |q: &str| column(kg, q);
    for row in rows("SELECT ?r WHERE { ?c a skos:Concept OPTIONAL { ?c skos:prefLabel ?l } BIND(CONCAT(STR(?c), '\\t', COALESCE(STR(?l), '')) AS ?r) }") {
        let (iri, label) = row.split_once('\t').unwrap();
        let e = out.entry(iri.to_owned()).or_insert_with(|| ("concept".into(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new()));
        if !label.is_empty() {
            e.1.insert(label.to_owned());
        }
    }
    for row in rows("SELECT ?r WHERE { ?d a foaf:Document FILTER NOT EXISTS { ?d a skos:Concept } OPTIONAL { ?d dcterms:title ?t } OPTIONAL { ?d dcterms:subject ?s FILTER(isIRI(?s)) } OPTIONAL { ?d dcterms:publisher ?p FILTER(isIRI(?p)) OPTIONAL { ?p foaf:name ?pn } } BIND(CONCAT(STR(?d), '\\t', COALESCE(STR(?t), ''), '\\t', COALESCE(STR(?s), ''), '\\t', COALESCE(STR(?pn), '')) AS ?r) }") {
        let parts: Vec<&str> = row.split('\t').collect();
        let e = out.entry(parts[0].to_owned()).or_insert_with(|| ("document".into(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new()));
        for (set, value) in [(&mut e.1, parts[1]), (&mut e.2, parts[2]), (&mut e.3, parts[3])] {
            if !value.is_empty() {
                set.insert(value.to_owned());
            }
        }
    }
    for row in rows("SELECT ?r WHERE { ?o a foaf:Organization FILTER NOT EXISTS { ?o a skos:Concept } FILTER NOT EXISTS { ?o a foaf:Document } OPTIONAL { ?o foaf:name ?n } BIND(CONCAT(STR(?o), '\\t', COALESCE(STR(?n), '')) AS ?r) }") {
        let (iri, name) = row.split_once('\t').unwrap();
        let e = out.entry(iri.to_owned()).or_insert_with(|| ("organisation".into(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new()));
        if !name.is_empty() {
            e.1.insert(name.to_owned());
        }
    }
    out
}

/// Serves fixed Turtle files on loopback for LOAD.
fn load_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 2048];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let i: u32 = path
                .trim_start_matches("/data")
                .trim_end_matches(".ttl")
                .parse()
                .unwrap_or(0);
            let body = format!(
                "<http://kg.test/document/d{i}> a <http://xmlns.com/foaf/0.1/Document> ; <http://purl.org/dc/terms/title> \"loaded {i}\"@en ; <http://purl.org/dc/terms/subject> <http://kg.test/concept/risk-management> .\n<http://kg.test/concept/x{i}> a <http://www.w3.org/2004/02/skos/core#Concept> ; <http://www.w3.org/2004/02/skos/core#prefLabel> \"loaded concept {i}\"@en .\n"
            );
            let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/turtle\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    format!("http://{addr}/")
}

#[tokio::test]
async fn random_writes_of_every_form_keep_the_index_equal_to_the_store() {
    let prefix = load_server();
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |c| c.limits.load_allow = vec![prefix.clone()]);
    let mut rng = Rng(0x5eed);
    let words = [
        "alpha", "border", "customs", "delta", "echo", "freight", "gamma",
    ];
    let graph = |rng: &mut Rng| format!("http://kg.test/graph/g{}", rng.pick(4));
    let concept = |rng: &mut Rng| format!("http://kg.test/concept/x{}", rng.pick(6));
    let doc = |rng: &mut Rng| format!("http://kg.test/document/d{}", rng.pick(6));
    let org = |rng: &mut Rng| format!("http://kg.test/org/o{}", rng.pick(3));
    let mut forms = BTreeMap::<&str, usize>::new();
    for step in 0..90 {
        let w = words[rng.pick(words.len() as u64) as usize];
        let (g, g2, c, d, o) = (
            graph(&mut rng),
            graph(&mut rng),
            concept(&mut rng),
            doc(&mut rng),
            org(&mut rng),
        );
        let skos = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> ";
        let (form, request) = match rng.pick(15) {
            0 => ("insert-data concept", post("/update", "application/sparql-update", format!("{skos} INSERT DATA {{ GRAPH <{g}> {{ <{c}> a skos:Concept ; skos:prefLabel \"{w} {step}\"@en }} }}"), Some(TOKEN))),
            1 => ("insert-data document", post("/update", "application/sparql-update", format!("{skos} INSERT DATA {{ GRAPH <{g}> {{ <{d}> a foaf:Document ; dcterms:title \"{w} doc {step}\"@en ; dcterms:subject <{c}>, <http://kg.test/concept/risk-management> ; dcterms:publisher <{o}> }} }}"), Some(TOKEN))),
            2 => ("insert-data organisation", post("/update", "application/sparql-update", format!("{skos} INSERT DATA {{ GRAPH <{g}> {{ <{o}> a foaf:Organization ; foaf:name \"{w} org {step}\"@en }} }}"), Some(TOKEN))),
            3 => ("delete-data", post("/update", "application/sparql-update", format!("{skos} DELETE DATA {{ GRAPH <{g}> {{ <{d}> a foaf:Document }} }}"), Some(TOKEN))),
            4 => ("delete-insert-where", post("/update", "application/sparql-update", format!("{skos} DELETE {{ GRAPH ?g {{ ?o foaf:name ?n }} }} INSERT {{ GRAPH ?g {{ ?o foaf:name \"renamed {w} {step}\"@en }} }} WHERE {{ GRAPH ?g {{ ?o foaf:name ?n }} FILTER(?o = <{o}>) }}"), Some(TOKEN))),
            5 => ("delete-where-graph-var", post("/update", "application/sparql-update", format!("{skos} DELETE WHERE {{ GRAPH ?g {{ <{c}> ?p ?x }} }}"), Some(TOKEN))),
            6 => ("clear", post("/update", "application/sparql-update", format!("CLEAR SILENT GRAPH <{g}>"), Some(TOKEN))),
            7 => ("drop", post("/update", "application/sparql-update", format!("DROP SILENT GRAPH <{g}>"), Some(TOKEN))),
            8 if step % 30 == 29 => ("drop-all", post("/update", "application/sparql-update", "DROP ALL", Some(TOKEN))),
            8 | 9 => ("copy", post("/update", "application/sparql-update", format!("COPY SILENT <{g}> TO <{g2}>"), Some(TOKEN))),
            10 => ("move-add", post("/update", "application/sparql-update", format!("MOVE SILENT <{g}> TO <{g2}> ; ADD SILENT <{g2}> TO <{g}>"), Some(TOKEN))),
            11 => ("load", post("/update", "application/sparql-update", format!("LOAD <{prefix}data{}.ttl> INTO GRAPH <{g}>", rng.pick(6)), Some(TOKEN))),
            12 => ("store-put", with_body("PUT", &format!("/store?graph={g}"), "text/turtle", format!("<{d}> a <http://xmlns.com/foaf/0.1/Document> ; <http://purl.org/dc/terms/title> \"put {w} {step}\"@en ; <http://purl.org/dc/terms/publisher> <{o}> .\n<{o}> a <http://xmlns.com/foaf/0.1/Organization> ; <http://xmlns.com/foaf/0.1/name> \"put org {step}\"@en ."), Some(TOKEN))),
            13 => ("store-post", with_body("POST", &format!("/store?graph={g}"), "text/turtle", format!("<{c}> a <http://www.w3.org/2004/02/skos/core#Concept> ; <http://www.w3.org/2004/02/skos/core#prefLabel> \"posted {w} {step}\"@en ."), Some(TOKEN))),
            _ => ("store-delete", with_body("DELETE", &format!("/store?graph={g}"), "text/turtle", String::new(), Some(TOKEN))),
        };
        let r = send(&app, request).await;
        assert!(
            r.status.is_success() || r.status == 404,
            "step {step} {form}: {} {}",
            r.status,
            r.text()
        );
        *forms.entry(form).or_default() += 1;
        let (index, store) = (index_projection(&kg), sparql_projection(&kg));
        assert!(index == store, "step {step} after {form}: index and store differ\nonly in index: {:?}\nonly in store: {:?}",
            index.iter().filter(|(k, v)| store.get(*k) != Some(v)).collect::<Vec<_>>(),
            store.iter().filter(|(k, v)| index.get(*k) != Some(v)).collect::<Vec<_>>());
    }
    assert!(forms.len() >= 14, "every write form ran: {forms:?}");
    let health = send(&app, get("/health?check=true", None)).await.json();
    assert_eq!(health["search"]["differences"], serde_json::json!([]));
}
