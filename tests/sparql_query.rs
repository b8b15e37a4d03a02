//! The SPARQL query endpoint, in-process: the three ways to send a query, the dataset
//! parameters, result formats by negotiation and `format=`, errors, limits, the service
//! description and the editor.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::http::{get, post, q, send};
use common::*;

const TOP: &str = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?c WHERE { <http://kg.test/scheme/topics> skos:hasTopConcept ?c }";
const BROADER: &str = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> CONSTRUCT { ?a skos:broader ?b } WHERE { ?a skos:broader ?b }";

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn rows(reply: &common::http::Reply) -> usize {
    reply.json()["results"]["bindings"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_query_by_get_form_and_direct_post_gives_the_same_15_top_concepts() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let by_get = send(&app, get(&format!("/sparql?query={}", enc(TOP)), None)).await;
    assert_eq!(by_get.status, 200, "{}", by_get.text());
    assert_eq!(
        by_get.header("content-type"),
        Some("application/sparql-results+json")
    );
    assert_eq!(by_get.header("vary"), Some("Accept"));
    assert_eq!(rows(&by_get), 15);
    let by_form = send(
        &app,
        post("/sparql", "application/x-www-form-urlencoded", q(TOP), None),
    )
    .await;
    assert_eq!(rows(&by_form), 15);
    let direct = send(&app, post("/sparql", "application/sparql-query", TOP, None)).await;
    assert_eq!(rows(&direct), 15);
}

#[tokio::test]
async fn results_come_in_every_format_by_accept_or_format_parameter() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let cases = [
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        ("text/csv", "text/csv; charset=utf-8"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
        ),
        ("*/*", "application/sparql-results+json"),
    ];
    for (accept, expected) in cases {
        let r = send(
            &app,
            get(&format!("/sparql?query={}", enc(TOP)), Some(accept)),
        )
        .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some(expected), "Accept {accept}");
    }
    let csv = send(
        &app,
        get(&format!("/sparql?query={}", enc(TOP)), Some("text/csv")),
    )
    .await;
    assert_eq!(csv.text().lines().count(), 16, "header + 15 rows");
    // format= wins over Accept.
    let r = send(
        &app,
        get(
            &format!("/sparql?query={}&format=xml", enc(TOP)),
            Some("application/json"),
        ),
    )
    .await;
    assert_eq!(
        r.header("content-type"),
        Some("application/sparql-results+xml")
    );
    // Graphs: Turtle for */*, the others by Accept and format=.
    for (accept, format, expected) in [
        ("*/*", None, "text/turtle"),
        ("application/n-triples", None, "application/n-triples"),
        ("application/ld+json", None, "application/ld+json"),
        ("application/rdf+xml", None, "application/rdf+xml"),
        ("*/*", Some("nq"), "application/n-quads"),
        ("*/*", Some("trig"), "application/trig"),
        ("*/*", Some("nt"), "application/n-triples"),
    ] {
        let uri = match format {
            Some(f) => format!("/sparql?query={}&format={f}", enc(BROADER)),
            None => format!("/sparql?query={}", enc(BROADER)),
        };
        let r = send(&app, get(&uri, Some(accept))).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(
            r.header("content-type")
                .map(|c| c.split(';').next().unwrap()),
            Some(expected)
        );
    }
    let nt = send(
        &app,
        get(
            &format!("/sparql?query={}", enc(BROADER)),
            Some("application/n-triples"),
        ),
    )
    .await;
    assert_eq!(nt.text().lines().count(), 79);
    // ASK.
    let ask = send(
        &app,
        get(&format!("/sparql?query={}", enc("ASK { ?s ?p ?o }")), None),
    )
    .await;
    assert_eq!(ask.json()["boolean"], true);
}

#[tokio::test]
async fn unacceptable_formats_are_406_naming_what_is_acceptable() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let r = send(
        &app,
        get(&format!("/sparql?query={}", enc(TOP)), Some("image/png")),
    )
    .await;
    assert_eq!(r.status, 406);
    assert!(
        r.text().contains("application/sparql-results+json"),
        "{}",
        r.text()
    );
    let r = send(
        &app,
        get(
            &format!("/sparql?query={}", enc(BROADER)),
            Some("image/png"),
        ),
    )
    .await;
    assert_eq!(r.status, 406);
    assert!(r.text().contains("text/turtle"));
    let r = send(
        &app,
        get(&format!("/sparql?query={}&format=png", enc(TOP)), None),
    )
    .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn a_syntax_error_is_400_with_the_parser_message_and_position() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let r = send(
        &app,
        get(
            &format!("/sparql?query={}", enc("SELECT * WHERE { ?s ?p }")),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.text().contains("SPARQL syntax error"), "{}", r.text());
    assert!(r.text().contains("1:"), "no position in {}", r.text());
    let r = send(&app, get("/sparql?query=SELECT&query=ASK", None)).await;
    assert_eq!(r.status, 400, "two queries");
    let r = send(&app, get("/sparql?query=%FF%FE", None)).await;
    assert_eq!(r.status, 400, "not UTF-8");
    let r = send(&app, post("/sparql", "text/plain", TOP, None)).await;
    assert_eq!(r.status, 415);
}

#[tokio::test]
async fn dataset_parameters_choose_the_graphs() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let n = |r: &common::http::Reply| {
        r.json()["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let union = send(&app, get(&format!("/sparql?query={}", enc(count)), None)).await;
    assert_eq!(n(&union), "560");
    let docs = send(
        &app,
        get(
            &format!(
                "/sparql?query={}&default-graph-uri={}",
                enc(count),
                enc("http://kg.test/graph/documents")
            ),
            None,
        ),
    )
    .await;
    assert_eq!(n(&docs), "9");
    let two = send(
        &app,
        get(
            &format!(
                "/sparql?query={}&default-graph-uri={}&default-graph-uri={}",
                enc(count),
                enc("http://kg.test/graph/documents"),
                enc("http://kg.test/graph/ontology")
            ),
            None,
        ),
    )
    .await;
    assert_eq!(n(&two), "82");
    let named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }";
    let r = send(
        &app,
        get(
            &format!(
                "/sparql?query={}&named-graph-uri={}",
                enc(named),
                enc("http://kg.test/graph/taxonomy")
            ),
            None,
        ),
    )
    .await;
    assert_eq!(rows(&r), 1);
    // FROM in the query.
    let from = "SELECT (COUNT(*) AS ?n) FROM <http://kg.test/graph/documents> WHERE { ?s ?p ?o }";
    assert_eq!(
        n(&send(&app, get(&format!("/sparql?query={}", enc(from)), None)).await),
        "9"
    );
}

#[tokio::test]
async fn results_beyond_the_row_cap_are_cut_and_say_so() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |c| c.limits.max_result_rows = 10);
    let all = "SELECT * WHERE { ?s ?p ?o }";
    let r = send(&app, get(&format!("/sparql?query={}", enc(all)), None)).await;
    assert_eq!(rows(&r), 10);
    assert_eq!(r.header("x-result-truncated"), Some("true"));
    let r = send(
        &app,
        get(
            &format!("/sparql?query={}", enc(BROADER)),
            Some("application/n-triples"),
        ),
    )
    .await;
    assert_eq!(r.text().lines().count(), 10);
    assert_eq!(r.header("x-result-truncated"), Some("true"));
    let r = send(&app, get(&format!("/sparql?query={}", enc(TOP)), None)).await;
    assert_eq!(
        r.header("x-result-truncated"),
        Some("true"),
        "15 top concepts, cap 10"
    );
    let r = send(
        &app,
        get(&format!("/sparql?query={}", enc("ASK { ?s ?p ?o }")), None),
    )
    .await;
    assert_eq!(r.header("x-result-truncated"), None);
}

#[tokio::test]
async fn service_to_an_endpoint_not_allowed_is_refused() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }";
    let r = send(&app, get(&format!("/sparql?query={}", enc(query)), None)).await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("--service-allow"));
}

#[tokio::test]
async fn get_without_a_query_is_the_service_description_or_the_editor() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let sd = send(&app, get("/sparql", Some("text/turtle"))).await;
    assert_eq!(sd.status, 200);
    assert_eq!(sd.header("content-type"), Some("text/turtle"));
    let quads: Vec<oxigraph::model::Quad> =
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
            .for_slice(&sd.body)
            .collect::<Result<_, _>>()
            .unwrap();
    let text = sd.text();
    assert!(
        text.contains("sd:Service") && text.contains("<http://kg.test/sparql>"),
        "{text}"
    );
    assert!(quads.len() > 10);
    let jsonld = send(&app, get("/sparql", Some("application/ld+json"))).await;
    assert_eq!(jsonld.header("content-type"), Some("application/ld+json"));
    let editor = send(
        &app,
        get(
            "/sparql",
            Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ),
    )
    .await;
    assert_eq!(editor.status, 200);
    let html = editor.text();
    assert!(html.contains("static/yasgui/yasgui.min.js"));
    assert!(
        html.contains("Top concepts")
            && html.contains("Narrower tree")
            && html.contains("Documents under a topic")
    );
    assert!(
        !html.contains("//cdn") && !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no CDN"
    );
    let js = send(&app, get("/static/yasgui/yasgui.min.js", None)).await;
    assert_eq!(js.status, 200);
    assert!(js.body.len() > 100_000);
    assert_eq!(
        send(&app, get("/static/yasgui/nope.js", None)).await.status,
        404
    );
}

#[tokio::test]
async fn the_editor_example_queries_answer_over_the_seed() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    // 1 top concept + 8 children, one of which (Risk Management) has two broader concepts.
    let expected = [1, 15, 10, 1];
    for ((name, query), n) in chariot_kg::http::example_queries(BASE)
        .into_iter()
        .zip(expected)
    {
        let r = send(
            &app,
            post("/sparql", "application/sparql-query", query, None),
        )
        .await;
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        assert_eq!(rows(&r), n, "{name}");
    }
}

#[tokio::test]
async fn cors_allows_browser_clients_elsewhere() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let preflight = axum::http::Request::builder()
        .method("OPTIONS")
        .uri("/sparql")
        .header("origin", "https://yasgui.example")
        .header("access-control-request-method", "POST")
        .body(axum::body::Body::empty())
        .unwrap();
    let r = send(&app, preflight).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
}

#[tokio::test]
async fn metrics_count_requests_queries_and_report_the_store() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    send(&app, get(&format!("/sparql?query={}", enc(TOP)), None)).await;
    send(&app, get(&format!("/sparql?query={}", enc("SELECT")), None)).await;
    let m = send(&app, get("/metrics", None)).await;
    assert_eq!(m.status, 200);
    let text = m.text();
    assert!(
        text.contains(
            "chariot_kg_http_requests_total{route=\"/sparql\",method=\"GET\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("chariot_kg_sparql_operations_total{form=\"select\",outcome=\"ok\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("chariot_kg_sparql_operations_total{form=\"query\",outcome=\"error\"} 1"),
        "{text}"
    );
    assert!(text.contains("chariot_kg_store_triples 560"), "{text}");
    assert!(text.contains("chariot_kg_store_generation 1"), "{text}");
    assert!(text.contains("chariot_kg_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn a_failing_allowed_service_or_an_unknown_function_is_500_with_the_reason() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |c| {
        c.limits.service_allow = vec!["http://127.0.0.1:1/sparql".into()]
    });
    let query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }";
    let r = send(&app, get(&format!("/sparql?query={}", enc(query)), None)).await;
    assert_eq!(r.status, 500, "{}", r.text());
    assert!(r.text().contains("SERVICE call failed"), "{}", r.text());
    let query = "SELECT (<http://example.org/no-such-function>(1) AS ?x) WHERE {}";
    let r = send(&app, get(&format!("/sparql?query={}", enc(query)), None)).await;
    assert_eq!(r.status, 500);
    assert!(r.text().contains("no-such-function"), "{}", r.text());
}
