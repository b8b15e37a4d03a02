//! Search, suggest and resolve, in-process over the seed plus ~50 generated documents.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::http::{get, post, send};
use common::*;
use std::fmt::Write as _;

const C: &str = "http://kg.test/concept/";

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// ~50 documents: filler about logistics, and the ones each test looks for.
fn documents() -> String {
    let mut t = String::from("@prefix dcterms: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix schema: <https://schema.org/> .\n");
    t.push_str(
        "<http://kg.test/org/acme> a foaf:Organization ; foaf:name \"Acme Logistics\"@en .\n",
    );
    for i in 0..45 {
        writeln!(t, "<http://kg.test/document/filler-{i}> a foaf:Document ; dcterms:title \"Filler report {i}\"@en ; schema:text \"Warehouses, ports and freight in year {i}.\"@en ; dcterms:publisher <http://kg.test/org/acme> ; dcterms:issued \"20{:02}-01-01\" ; dcterms:subject <{C}ports-and-terminals> .", i % 20).unwrap();
    }
    t.push_str(&format!(
        "<http://kg.test/document/title-match> a foaf:Document ; dcterms:title \"Tachograph rules\"@en ; schema:text \"A short note.\"@en ; dcterms:subject <{C}road-transport> .
<http://kg.test/document/text-match> a foaf:Document ; dcterms:title \"Road notes\"@en ; schema:text \"The tachograph, the tachograph and again the tachograph: tachograph tachograph.\"@en ; dcterms:subject <{C}road-transport> .
<http://kg.test/document/siblings> a foaf:Document ; dcterms:title \"Zebra crossing access and security\"@en ; dcterms:subject <{C}access-management>, <{C}information-security> .
<http://kg.test/document/poly> a foaf:Document ; dcterms:title \"Zebra risk register\"@en ; dcterms:subject <{C}risk-management> .
<http://kg.test/document/highlight> a foaf:Document ; dcterms:title \"Notes\"@en ; schema:text \"Before the middle. Interoperability of customs declarations matters here. After the end.\"@en .
"
    ));
    t
}

fn app_with_documents(t: &TestDir) -> (std::sync::Arc<chariot_kg::store::Kg>, axum::Router) {
    let (kg, app) = writable_app(t, |_| {});
    let quads: Vec<_> = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .with_default_graph(
            oxigraph::model::NamedNode::new("http://kg.test/graph/test-documents").unwrap(),
        )
        .for_slice(documents().as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    let extra = chariot_kg::ingest::read_files(&[fixture("search-extra.ttl")], &Default::default())
        .unwrap();
    kg.write("test", |c| {
        for q in quads.iter().chain(&extra) {
            c.insert(q.as_ref())?;
        }
        Ok::<_, chariot_kg::store::StoreError>(())
    })
    .unwrap();
    (kg, app)
}

async fn search(app: &axum::Router, query: &str) -> serde_json::Value {
    let r = send(app, get(&format!("/api/search?{query}"), None)).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    r.json()
}

fn iris(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["iri"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_title_match_ranks_above_a_text_match_that_repeats_the_term() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    let r = search(&app, "q=tachograph").await;
    assert_eq!(r["total"], 2);
    assert_eq!(
        iris(&r),
        [
            "http://kg.test/document/title-match",
            "http://kg.test/document/text-match"
        ]
    );
}

#[tokio::test]
async fn snippets_and_highlights_point_at_the_query_terms() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    let r = search(&app, "q=customs+declarations&type=document").await;
    let hit = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["iri"] == "http://kg.test/document/highlight")
        .unwrap()
        .clone();
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    let marked: Vec<String> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let (s, e) = (
                h[0].as_u64().unwrap() as usize,
                h[1].as_u64().unwrap() as usize,
            );
            snippet[s..e].iter().collect::<String>().to_lowercase()
        })
        .collect();
    assert_eq!(marked, ["customs", "declarations"], "{hit}");
    // The HTML page marks them, escaped.
    let page = send(&app, get("/search?q=customs+declarations", None))
        .await
        .text();
    assert!(
        page.contains("<mark>customs</mark> <mark>declarations</mark>"),
        "{page}"
    );
    // Stemming: the plural finds the singular, and diacritics fold.
    assert!(
        search(&app, "q=declaration&type=document").await["total"]
            .as_u64()
            .unwrap()
            >= 1
    );
    assert_eq!(
        iris(&search(&app, "q=forderung&type=concept").await),
        ["http://other.test/a/forderung"]
    );
}

#[tokio::test]
async fn concept_facets_roll_up_once_per_value() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    let r = search(&app, "q=zebra").await;
    assert_eq!(r["total"], 2);
    let facets = &r["facets"]["concept"];
    let find = |label: &str| -> serde_json::Value {
        fn walk(nodes: &serde_json::Value, label: &str) -> Option<serde_json::Value> {
            nodes.as_array()?.iter().find_map(|n| {
                if n["label"] == label {
                    Some(n.clone())
                } else {
                    walk(&n["children"], label)
                }
            })
        }
        walk(facets, label).unwrap_or_else(|| panic!("no facet {label} in {facets}"))
    };
    // One document under two siblings counts once for their parent; the other, under
    // both parents of Risk Management, once for each parent.
    assert_eq!(find("Safety, Security and Privacy Systems")["count"], 2);
    assert_eq!(find("Access Management")["count"], 1);
    assert_eq!(find("Information Security")["count"], 1);
    assert_eq!(find("Risk Management")["count"], 1);
    assert_eq!(find("Supply Chain Management")["count"], 1);
    assert_eq!(r["facets"]["type"][0]["value"], "document");
    // concept= includes the narrower concepts.
    let r = search(
        &app,
        &format!(
            "q=zebra&concept={}",
            enc(&format!("{C}safety-security-and-privacy-systems"))
        ),
    )
    .await;
    assert_eq!(r["total"], 2);
    let r = search(
        &app,
        &format!("q=zebra&concept={}", enc(&format!("{C}access-management"))),
    )
    .await;
    assert_eq!(iris(&r), ["http://kg.test/document/siblings"]);
    // publisher and year facets and filters.
    let r = search(&app, "q=filler&limit=5").await;
    assert_eq!(r["total"], 45);
    assert_eq!(r["hits"].as_array().unwrap().len(), 5);
    assert_eq!(r["facets"]["publisher"][0]["label"], "Acme Logistics");
    assert_eq!(r["facets"]["publisher"][0]["count"], 45);
    let r = search(
        &app,
        &format!(
            "q=filler&publisher={}&year=2003",
            enc("http://kg.test/org/acme")
        ),
    )
    .await;
    assert_eq!(r["total"], 3, "years 2003 from i = 3, 23, 43");
}

#[tokio::test]
async fn a_query_matching_a_concept_label_finds_the_documents_under_it() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    // "information security" is not in the document's title or text, but is its topic.
    let r = search(&app, "q=information+security&type=document").await;
    assert_eq!(iris(&r), ["http://kg.test/document/siblings"]);
}

#[tokio::test]
async fn malformed_queries_are_400_never_500() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    for q in ["%22unclosed", "title:(", "nosuchfield:x", "AND"] {
        let r = send(&app, get(&format!("/api/search?q={q}"), None)).await;
        assert_eq!(r.status, 400, "{q}: {}", r.text());
        let r = send(&app, get(&format!("/search?q={q}"), None)).await;
        assert_eq!(r.status, 400, "{q} (page)");
    }
    assert_eq!(
        send(&app, get("/api/search?q=x&type=banana", None))
            .await
            .status,
        400
    );
    // Phrases, prefixes and fields work.
    assert_eq!(search(&app, "q=%22risk+register%22").await["total"], 1);
    assert!(search(&app, "q=tacho*").await["total"].as_u64().unwrap() >= 2);
    assert_eq!(search(&app, "q=pref_en:tachograph").await["total"], 1);
}

#[tokio::test]
async fn suggest_by_alt_and_hidden_label_shows_the_preferred_label() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    let r = send(&app, get("/api/suggest?q=smart+bo", None))
        .await
        .json();
    assert_eq!(r[0]["iri"], "http://other.test/a/containers");
    assert_eq!(r[0]["label"], "Intelligent Containers");
    assert_eq!(r[0]["matched"], "Smart Boxes");
    assert_eq!(r[0]["kind"], "alt");
    let r = send(&app, get("/api/suggest?q=secuirty", None))
        .await
        .json();
    assert_eq!(r[0]["label"], "IoT Security, Privacy and Safety Systems");
    assert_eq!(r[0]["kind"], "hidden");
    let r = send(&app, get("/api/suggest?q=bord", None)).await.json();
    assert_eq!(r[0]["label"], "Coordinated Border Management");
    assert_eq!(r[0]["kind"], "pref");
    assert_eq!(r[0]["scheme"], "http://kg.test/scheme/topics");
    let r = send(&app, get("/api/suggest?q=acme", None)).await.json();
    assert_eq!(r[0]["kind"], "name");
    let r = send(
        &app,
        get(
            &format!(
                "/api/suggest?q=digital&scheme={}",
                enc("http://other.test/scheme/b")
            ),
            None,
        ),
    )
    .await
    .json();
    assert_eq!(r.as_array().unwrap().len(), 1);
    assert_eq!(r[0]["iri"], "http://other.test/b/twin");
}

#[tokio::test]
async fn the_resolver_answers_303_300_and_404_with_stw_loaded() {
    let t = TestDir::new();
    let (kg, app) = app_with_documents(&t);
    let stw =
        chariot_kg::ingest::read_files(&[vocabulary("stw-9.06-skos.ttl")], &Default::default())
            .unwrap();
    kg.write("test", |c| {
        for q in &stw {
            c.insert(q.as_ref())?;
        }
        Ok::<_, chariot_kg::store::StoreError>(())
    })
    .unwrap();
    assert!(ask(&kg, "ASK { ?c skos:prefLabel ?l FILTER(STRSTARTS(STR(?c), 'http://zbw.eu/') && LCASE(STR(?l)) = 'risk management') }"), "STW has the label too");
    let resolve = |q: &str| get(&format!("/resolve?q={}", enc(q)), None);
    let r = send(&app, resolve("Risk Management")).await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("concept/risk-management"),
        "ours wins over STW"
    );
    let r = send(&app, resolve("  risk   MANAGEMENT ")).await;
    assert_eq!(
        r.header("location"),
        Some("concept/risk-management"),
        "normalised"
    );
    let r = send(&app, resolve("IoT Secuirty, Privacy and Safety Systems")).await;
    assert_eq!(
        r.header("location"),
        Some("concept/iot-security-privacy-and-safety-systems")
    );
    let r = send(&app, resolve("Smart Boxes")).await;
    assert_eq!(r.header("location"), Some("http://other.test/a/containers"));
    let r = send(&app, resolve("Digital Twins")).await;
    assert_eq!(r.status, 300);
    let candidates = r.json()["candidates"].as_array().unwrap().len();
    assert_eq!(candidates, 2);
    let r = send(
        &app,
        get(
            &format!(
                "/resolve?q={}&scheme={}",
                enc("Digital Twins"),
                enc("http://other.test/scheme/b")
            ),
            None,
        ),
    )
    .await;
    assert_eq!(r.header("location"), Some("http://other.test/b/twin"));
    let html = send(
        &app,
        axum::http::Request::get(format!("/resolve?q={}", enc("Digital Twins")))
            .header("accept", "text/html")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(html.status, 300);
    assert!(html.text().contains("<li>"));
    let r = send(&app, resolve("qqqzzz xxyyzz")).await;
    assert_eq!(r.status, 404);
    let r = send(&app, resolve("Tachograph rules and more")).await;
    assert_eq!(r.status, 404, "not every word matches");
    let r = send(&app, resolve("tachograph rules")).await;
    assert_eq!(r.status, 303, "the best search hit");
}

#[tokio::test]
async fn the_readme_service_example_and_a_join_with_broader_answer() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```sparql\n")
        .expect("a sparql block in the README")
        + 10;
    let example = &readme[start..start + readme[start..].find("```").unwrap()];
    let example = example.replace("http://127.0.0.1:8080/", BASE);
    let r = send(
        &app,
        post("/sparql", "application/sparql-query", example.clone(), None),
    )
    .await;
    assert_eq!(r.status, 200, "{example}: {}", r.text());
    let rows = r.json()["results"]["bindings"].as_array().unwrap().clone();
    assert!(!rows.is_empty(), "{example}");
    assert_eq!(
        rows[0]["doc"]["value"],
        "http://kg.test/document/coordinated-border-management"
    );
    let join = format!(
        "PREFIX ck: <https://w3id.org/chariot-kg/ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/>
         SELECT ?doc ?score WHERE {{ SERVICE ck:search {{ ?doc ck:query \"zebra\" ; ck:score ?score }}
           ?doc dcterms:subject/skos:broader* <{C}supply-chain-management> }} ORDER BY DESC(?score)"
    );
    let r = send(
        &app,
        post("/sparql", "application/sparql-query", join, None),
    )
    .await;
    let rows = r.json()["results"]["bindings"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["doc"]["value"], "http://kg.test/document/poly");
    let bad = "PREFIX ck: <https://w3id.org/chariot-kg/ns#> SELECT * WHERE { BIND(\"x\" AS ?q) SERVICE ck:search { ?doc ck:query ?q } }";
    let r = send(&app, post("/sparql", "application/sparql-query", bad, None)).await;
    assert!(r.text().contains("constant string"), "{}", r.text());
}

#[tokio::test]
async fn writes_are_searchable_when_acknowledged() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    let insert = "INSERT DATA { GRAPH <http://kg.test/graph/new> { <http://kg.test/document/fresh> a <http://xmlns.com/foaf/0.1/Document> ; <http://purl.org/dc/terms/title> \"Quokka handbook\"@en } }";
    assert_eq!(
        send(
            &app,
            post("/update", "application/sparql-update", insert, Some(TOKEN))
        )
        .await
        .status,
        204
    );
    assert_eq!(
        iris(&search(&app, "q=quokka").await),
        ["http://kg.test/document/fresh"]
    );
    let drop = "DROP GRAPH <http://kg.test/graph/new>";
    assert_eq!(
        send(
            &app,
            post("/update", "application/sparql-update", drop, Some(TOKEN))
        )
        .await
        .status,
        204
    );
    assert_eq!(search(&app, "q=quokka").await["total"], 0);
    let health = send(&app, get("/health?check=true", None)).await.json();
    assert_eq!(health["search"]["lag"], 0);
    assert_eq!(health["search"]["differences"], serde_json::json!([]));
}

/// An authorised SPARQL update that must succeed.
async fn update(app: &axum::Router, u: String) {
    let r = send(
        app,
        post("/update", "application/sparql-update", &u, Some(TOKEN)),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text());
}

/// Every node of a result's concept facet tree, depth first: (label, count).
fn concept_facets(r: &serde_json::Value) -> Vec<(String, u64)> {
    fn walk(nodes: &serde_json::Value, out: &mut Vec<(String, u64)>) {
        for n in nodes.as_array().into_iter().flatten() {
            let label = n["label"].as_str().unwrap().to_owned();
            out.push((label, n["count"].as_u64().unwrap()));
            walk(&n["children"], out);
        }
    }
    let mut out = Vec::new();
    walk(&r["facets"]["concept"], &mut out);
    out
}

/// Facets come from per-segment columns built once: a new document (a new segment) and a
/// moved concept (another hierarchy) must both show at once, without a reindex.
#[tokio::test]
async fn facets_follow_new_documents_and_a_moved_concept() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    let facet = |r: &serde_json::Value, label: &str| -> u64 {
        concept_facets(r)
            .into_iter()
            .find(|(l, _)| l == label)
            .map_or(0, |(_, n)| n)
    };
    let r = search(&app, "q=zebra").await;
    assert_eq!(facet(&r, "Safety, Security and Privacy Systems"), 2);
    assert_eq!(facet(&r, "Supply Chain Management"), 1);
    update(&app, format!("INSERT DATA {{ GRAPH <http://kg.test/graph/new> {{ <http://kg.test/document/gate> a <http://xmlns.com/foaf/0.1/Document> ; <http://purl.org/dc/terms/title> \"Zebra gate log\"@en ; <http://purl.org/dc/terms/subject> <{C}access-management> }} }}")).await;
    let r = search(&app, "q=zebra").await;
    assert_eq!(r["total"], 3);
    assert_eq!(facet(&r, "Safety, Security and Privacy Systems"), 3);
    assert_eq!(facet(&r, "Access Management"), 2);
    assert_eq!(facet(&r, "Supply Chain Management"), 1);
    // Access Management moves from Safety, Security and Privacy Systems to Supply Chain
    // Management: its two documents roll up under the new parent only.
    update(&app, format!("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        DELETE {{ GRAPH ?g {{ <{C}access-management> skos:broader ?b . ?b skos:narrower <{C}access-management> }} }}
        INSERT {{ GRAPH ?g {{ <{C}access-management> skos:broader <{C}supply-chain-management> . <{C}supply-chain-management> skos:narrower <{C}access-management> }} }}
        WHERE {{ GRAPH ?g {{ <{C}access-management> skos:broader ?b }} }}")).await;
    let r = search(&app, "q=zebra").await;
    assert_eq!(r["total"], 3);
    assert_eq!(facet(&r, "Access Management"), 2);
    assert_eq!(
        facet(&r, "Supply Chain Management"),
        3,
        "poly, siblings and gate"
    );
    assert_eq!(
        facet(&r, "Safety, Security and Privacy Systems"),
        2,
        "poly and siblings (via Information Security)"
    );
}

/// A document whose subjects share broader concepts (two siblings and their parent) counts
/// once under every concept above them: the facet columns count direct subjects and take
/// off what the roll-up counts twice.
#[tokio::test]
async fn a_document_under_a_concept_and_its_parent_counts_once_everywhere() {
    let t = TestDir::new();
    let (_, app) = app_with_documents(&t);
    let u = format!("INSERT DATA {{ GRAPH <http://kg.test/graph/new> {{ <http://kg.test/document/quokka> a <http://xmlns.com/foaf/0.1/Document> ; <http://purl.org/dc/terms/title> \"Quokka audit\"@en ; <http://purl.org/dc/terms/subject> <{C}access-management>, <{C}information-security>, <{C}safety-security-and-privacy-systems> }} }}");
    update(&app, u).await;
    let r = search(&app, "q=quokka").await;
    assert_eq!(r["total"], 1);
    let counts = concept_facets(&r);
    let labels: Vec<&str> = counts.iter().map(|(l, _)| l.as_str()).collect();
    for want in [
        "Safety, Security and Privacy Systems",
        "Access Management",
        "Information Security",
    ] {
        assert!(labels.contains(&want), "{want} missing from {counts:?}");
    }
    assert_eq!(counts.len(), 3, "{counts:?}");
    assert!(counts.iter().all(|(_, n)| *n == 1), "{counts:?}");
    // Filtering by the parent or by a sibling finds it once.
    for c in ["safety-security-and-privacy-systems", "access-management"] {
        let r = search(
            &app,
            &format!("q=quokka&concept={}", enc(&format!("{C}{c}"))),
        )
        .await;
        assert_eq!(r["total"], 1, "{c}");
    }
}
