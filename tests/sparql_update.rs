//! SPARQL Update and the Graph Store Protocol, in-process: token rules on every write
//! route, atomicity, every update form through the one write path, graph store statuses,
//! and private data that no route reaches.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::http::{form, get, post, q, send, with_body};
use common::*;

const UPD: &str = "application/sparql-update";
const FORM: &str = "application/x-www-form-urlencoded";

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Every write route, as (method, uri, content type, body).
fn write_routes() -> Vec<(&'static str, &'static str, &'static str, String)> {
    vec![
        (
            "POST",
            "/update",
            UPD,
            "INSERT DATA { <http://e/s> <http://e/p> 1 }".into(),
        ),
        (
            "POST",
            "/update",
            FORM,
            form(&[("update", "INSERT DATA { <http://e/s> <http://e/p> 1 }")]),
        ),
        (
            "POST",
            "/sparql",
            FORM,
            form(&[("update", "INSERT DATA { <http://e/s> <http://e/p> 1 }")]),
        ),
        (
            "POST",
            "/sparql",
            UPD,
            "INSERT DATA { <http://e/s> <http://e/p> 1 }".into(),
        ),
        (
            "PUT",
            "/store?graph=http://e/g",
            "text/turtle",
            "<http://e/s> <http://e/p> 1 .".into(),
        ),
        (
            "POST",
            "/store?graph=http://e/g",
            "text/turtle",
            "<http://e/s> <http://e/p> 1 .".into(),
        ),
        (
            "POST",
            "/store",
            "text/turtle",
            "<http://e/s> <http://e/p> 1 .".into(),
        ),
        (
            "PUT",
            "/store/mine",
            "text/turtle",
            "<http://e/s> <http://e/p> 1 .".into(),
        ),
        (
            "DELETE",
            "/store?graph=http://kg.test/graph/documents",
            "text/turtle",
            String::new(),
        ),
        ("DELETE", "/store?default", "text/turtle", String::new()),
    ]
}

#[tokio::test]
async fn every_write_route_needs_the_token_and_refuses_a_wrong_one() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let before = dump_bytes(&kg);
    for (method, uri, ct, body) in write_routes() {
        let r = send(&app, with_body(method, uri, ct, body.clone(), None)).await;
        assert_eq!(r.status, 401, "{method} {uri} without token");
        assert_eq!(
            r.header("www-authenticate"),
            Some("Bearer realm=\"chariot-kg\"")
        );
        let r = send(&app, with_body(method, uri, ct, body, Some("wrong"))).await;
        assert_eq!(r.status, 401, "{method} {uri} with a wrong token");
    }
    assert_eq!(before, dump_bytes(&kg));
}

#[tokio::test]
async fn without_a_configured_token_writes_are_off_and_say_so() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |c| c.write_token = None);
    let before = dump_bytes(&kg);
    for (method, uri, ct, body) in write_routes() {
        let r = send(&app, with_body(method, uri, ct, body, Some(TOKEN))).await;
        assert_eq!(r.status, 403, "{method} {uri}");
        assert!(r.text().contains("--write-token"), "{}", r.text());
    }
    assert_eq!(before, dump_bytes(&kg));
}

#[tokio::test]
async fn an_update_sent_with_get_is_refused() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let before = dump_bytes(&kg);
    let r = send(
        &app,
        get(&format!("/sparql?update={}", enc("DROP ALL")), None),
    )
    .await;
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
    let r = send(
        &app,
        get(&format!("/update?update={}", enc("DROP ALL")), None),
    )
    .await;
    assert_eq!(r.status, 405);
    assert_eq!(before, dump_bytes(&kg));
}

#[tokio::test]
async fn an_authorised_update_is_applied_and_counted() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let r = send(
        &app,
        post(
            "/update",
            UPD,
            "INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> \"x\" , \"y\" } }",
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(kg.generation(), 2);
    assert_eq!(kg.counts().per_graph().get("http://e/g"), Some(&2));
    assert_eq!(kg.counts().total(), quad_count(&kg));
}

#[tokio::test]
async fn a_failing_update_changes_nothing() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let before = dump_bytes(&kg);
    // The first operation would succeed; the second fails: nothing is written.
    for (update, status) in [
        // Well-formed but failing: 500 with the reason (SPARQL 1.1 Protocol §2.2.4).
        (
            "INSERT DATA { <http://e/a> <http://e/p> 1 } ; DROP GRAPH <http://e/does-not-exist>",
            500,
        ),
        (
            "DELETE WHERE { ?s ?p ?o } ; CREATE GRAPH <http://kg.test/graph/taxonomy>",
            500,
        ),
        (
            "INSERT DATA { <http://e/a> <http://e/p> 1 } ; LOAD <http://127.0.0.1:9/x.ttl>",
            403,
        ),
        ("INSERT DATA { <http://e/a> <http://e/p> ", 400),
    ] {
        let r = send(&app, post("/update", UPD, update, Some(TOKEN))).await;
        assert_eq!(r.status, status, "{update}: {}", r.text());
        assert!(
            !r.text().contains("internal server error"),
            "the reason is given: {}",
            r.text()
        );
        assert_eq!(before, dump_bytes(&kg), "{update}");
    }
    assert_eq!(kg.generation(), 1);
}

#[tokio::test]
async fn every_update_form_changes_exactly_what_it_says() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let run = |u: &'static str| {
        let app = app.clone();
        async move {
            let r = send(&app, post("/update", UPD, u, Some(TOKEN))).await;
            assert_eq!(r.status, 204, "{u}: {}", r.text());
        }
    };
    let n =
        |kg: &chariot_kg::store::Kg, g: &str| kg.counts().per_graph().get(g).copied().unwrap_or(0);
    run("INSERT DATA { GRAPH <http://e/a> { <http://e/1> <http://e/p> 1, 2, 3 . _:b <http://e/p> 4 } }").await;
    assert_eq!(n(&kg, "http://e/a"), 4);
    run("DELETE DATA { GRAPH <http://e/a> { <http://e/1> <http://e/p> 3 } }").await;
    assert_eq!(n(&kg, "http://e/a"), 3);
    run("DELETE { GRAPH <http://e/a> { ?s ?p 2 } } INSERT { GRAPH <http://e/a> { ?s ?p 20 } } WHERE { GRAPH <http://e/a> { ?s ?p 2 } }").await;
    assert!(ask(&kg, "ASK { GRAPH <http://e/a> { <http://e/1> <http://e/p> 20 } FILTER NOT EXISTS { GRAPH <http://e/a> { <http://e/1> <http://e/p> 2 } } }"));
    run("COPY <http://e/a> TO <http://e/b>").await;
    assert_eq!(n(&kg, "http://e/b"), 3);
    run("ADD <http://e/a> TO <http://e/c>").await;
    run("MOVE <http://e/b> TO <http://e/d>").await;
    assert_eq!((n(&kg, "http://e/b"), n(&kg, "http://e/d")), (0, 3));
    run("DELETE WHERE { GRAPH ?g { ?s <http://e/p> 1 } }").await;
    assert_eq!(
        n(&kg, "http://e/a") + n(&kg, "http://e/c") + n(&kg, "http://e/d"),
        6
    );
    run("CLEAR GRAPH <http://e/c>").await;
    run("CREATE GRAPH <http://e/empty>").await;
    run("DROP GRAPH <http://e/d>").await;
    assert_eq!(
        count(
            &kg,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://e/a> { ?s ?p ?o } }"
        ),
        2
    );
    assert_eq!(kg.counts().total(), quad_count(&kg));
    run("WITH <http://e/a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").await;
    assert_eq!(n(&kg, "http://e/a"), 0);
    run("DROP ALL").await;
    assert_eq!(quad_count(&kg), 0);
    assert_eq!(kg.counts().total(), 0);
    assert_eq!(kg.counts().per_graph().len(), 0);
}

#[tokio::test]
async fn using_parameters_and_a_conflicting_using_clause() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let update = "INSERT { GRAPH <http://e/out> { ?s a <http://e/Doc> } } WHERE { ?s a <http://xmlns.com/foaf/0.1/Document> }";
    let body = form(&[
        ("update", update),
        ("using-graph-uri", "http://kg.test/graph/taxonomy"),
    ]);
    assert_eq!(
        send(&app, post("/update", FORM, body, Some(TOKEN)))
            .await
            .status,
        204
    );
    assert_eq!(
        kg.counts().per_graph().get("http://e/out"),
        None,
        "no document in the taxonomy graph"
    );
    let body = form(&[
        ("update", update),
        ("using-graph-uri", "http://kg.test/graph/documents"),
    ]);
    assert_eq!(
        send(&app, post("/update", FORM, body, Some(TOKEN)))
            .await
            .status,
        204
    );
    assert_eq!(kg.counts().per_graph().get("http://e/out"), Some(&1));
    let conflict = form(&[
        (
            "update",
            "INSERT { <http://e/x> <http://e/p> 1 } USING <http://e/g> WHERE { }",
        ),
        ("using-graph-uri", "http://e/h"),
    ]);
    assert_eq!(
        send(&app, post("/update", FORM, conflict, Some(TOKEN)))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn load_outside_the_allow_list_is_refused_without_a_connection() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/data.ttl", listener.local_addr().unwrap());
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |c| {
        c.limits.load_allow = vec!["http://127.0.0.1:1/".into()]
    });
    let before = dump_bytes(&kg);
    let r = send(
        &app,
        post("/update", UPD, format!("LOAD <{url}>"), Some(TOKEN)),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("--load-allow"));
    let r = send(
        &app,
        post(
            "/update",
            UPD,
            format!("LOAD SILENT <{url}> INTO GRAPH <http://e/g>"),
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(r.status, 204);
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(listener.accept().is_err(), "a connection was opened");
    assert_eq!(before, dump_bytes(&kg));
}

#[tokio::test]
async fn load_from_an_allowed_prefix_is_fetched_and_written() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let body = "<http://e/loaded> <http://e/p> \"from LOAD\" .\n";
            let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/turtle\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    let t = TestDir::new();
    let prefix = format!("http://{addr}/");
    let (kg, app) = writable_app(&t, |c| c.limits.load_allow = vec![prefix.clone()]);
    let r = send(
        &app,
        post(
            "/update",
            UPD,
            format!("LOAD <{prefix}data.ttl> INTO GRAPH <http://e/loaded>"),
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(kg.counts().per_graph().get("http://e/loaded"), Some(&1));
}

#[tokio::test]
async fn graph_store_statuses_follow_the_protocol() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let ttl = "text/turtle";
    let put = |uri: &str, body: &str| with_body("PUT", uri, ttl, body.to_owned(), Some(TOKEN));
    assert_eq!(
        send(
            &app,
            put("/store?graph=http://e/g", "<http://e/s> <http://e/p> 1 .")
        )
        .await
        .status,
        201
    );
    assert_eq!(
        send(
            &app,
            put("/store?graph=http://e/g", "<http://e/s> <http://e/p> 2 .")
        )
        .await
        .status,
        204
    );
    assert_eq!(
        kg.counts().per_graph().get("http://e/g"),
        Some(&1),
        "PUT replaces"
    );
    assert_eq!(
        send(
            &app,
            post(
                "/store?graph=http://e/g",
                ttl,
                "<http://e/s> <http://e/p> 3 .",
                Some(TOKEN)
            )
        )
        .await
        .status,
        204
    );
    assert_eq!(
        kg.counts().per_graph().get("http://e/g"),
        Some(&2),
        "POST merges"
    );
    let got = send(
        &app,
        get("/store?graph=http://e/g", Some("application/n-triples")),
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), Some("application/n-triples"));
    assert_eq!(got.text().lines().count(), 2);
    // HEAD has GET's headers, Content-Type included, and no body.
    let head = send(
        &app,
        axum::http::Request::head("/store?graph=http://e/g")
            .header("accept", "text/turtle")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/turtle"));
    assert!(head.body.is_empty());
    let missing = axum::http::Request::head("/store?graph=http://e/none")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(send(&app, missing).await.status, 404);
    assert_eq!(
        send(&app, get("/store?graph=http://e/none", None))
            .await
            .status,
        404
    );
    // Default graph.
    assert_eq!(
        send(&app, put("/store?default", "<http://e/d> <http://e/p> 1 ."))
            .await
            .status,
        204
    );
    assert_eq!(kg.counts().per_graph().get(""), Some(&1));
    // Direct identification names B store/{path}.
    assert_eq!(
        send(
            &app,
            put("/store/my/graph", "<http://e/s> <http://e/p> 1 .")
        )
        .await
        .status,
        201
    );
    assert!(kg
        .counts()
        .per_graph()
        .contains_key("http://kg.test/store/my/graph"));
    assert_eq!(
        send(
            &app,
            get("/store?graph=http://kg.test/store/my/graph", None)
        )
        .await
        .status,
        200
    );
    // POST to the store itself mints a graph and says where.
    let created = send(
        &app,
        post(
            "/store",
            ttl,
            "<http://e/new> <http://e/p> 1 .",
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(created.status, 201);
    let location = created.header("location").unwrap().to_owned();
    assert!(location.starts_with("store/"), "{location}");
    let again = send(
        &app,
        get(&format!("/{location}"), Some("application/n-triples")),
    )
    .await;
    assert_eq!(again.status, 200);
    assert!(again.text().contains("<http://e/new>"));
    // DELETE.
    let del = |uri: &str| with_body("DELETE", uri, ttl, String::new(), Some(TOKEN));
    assert_eq!(send(&app, del("/store?graph=http://e/g")).await.status, 204);
    assert_eq!(send(&app, del("/store?graph=http://e/g")).await.status, 404);
    assert_eq!(kg.counts().total(), quad_count(&kg));
    // The whole dataset.
    let all = send(&app, get("/store", Some("application/n-quads"))).await;
    assert_eq!(all.text().lines().count() as u64, quad_count(&kg));
}

#[tokio::test]
async fn multipart_post_adds_every_part() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let boundary = "XBOUNDARYX";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.ttl\"\r\nContent-Type: text/turtle\r\n\r\n<http://e/a> <http://e/p> 1 .\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b.nt\"\r\n\r\n<http://e/b> <http://e/p> \"2\" .\r\n--{boundary}--\r\n"
    );
    let r = send(
        &app,
        post(
            "/store?graph=http://e/multi",
            &format!("multipart/form-data; boundary={boundary}"),
            body,
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(kg.counts().per_graph().get("http://e/multi"), Some(&2));
}

#[tokio::test]
async fn bad_rdf_in_a_put_or_post_is_400_and_changes_nothing() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let before = dump_bytes(&kg);
    for (method, ct, body) in [
        ("PUT", "text/turtle", "<http://e/s> <http://e/p> ."),
        ("POST", "text/turtle", "<http://e/s> <http://e/p> 1 . <oops"),
        ("PUT", "application/ld+json", "{\"@id\": "),
        ("PUT", "application/rdf+xml", "<rdf:RDF"),
    ] {
        let r = send(
            &app,
            with_body(
                method,
                "/store?graph=http://kg.test/graph/documents",
                ct,
                body.to_owned(),
                Some(TOKEN),
            ),
        )
        .await;
        assert_eq!(r.status, 400, "{method} {ct}");
    }
    let r = send(
        &app,
        with_body(
            "PUT",
            "/store?graph=http://kg.test/graph/documents",
            "image/png",
            "x".to_owned(),
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(r.status, 415);
    assert_eq!(before, dump_bytes(&kg));
}

#[tokio::test]
async fn a_marker_in_the_private_store_is_reachable_by_no_public_route() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    let marker = oxigraph::model::Quad::new(
        oxigraph::model::NamedNode::new("http://private.test/marker").unwrap(),
        oxigraph::model::NamedNode::new("http://private.test/p").unwrap(),
        oxigraph::model::Literal::new_simple_literal("PRIVATE-MARKER-7f3a"),
        oxigraph::model::NamedNode::new("http://private.test/graph").unwrap(),
    );
    kg.private_store().insert(&marker).unwrap();
    // The marker's literal and subject; a graph IRI the request itself names may echo back.
    let found = |r: &common::http::Reply| {
        r.text().contains("PRIVATE-MARKER-7f3a") || r.text().contains("private.test/marker")
    };
    for query in [
        "SELECT * WHERE { ?s ?p ?o }",
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * FROM <http://private.test/graph> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://private.test/graph> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DESCRIBE <http://private.test/marker>",
    ] {
        let r = send(&app, post("/sparql", FORM, q(query), None)).await;
        assert_eq!(r.status, 200, "{query}");
        assert!(!found(&r), "{query} found the marker");
        let r = send(
            &app,
            get(
                &format!(
                    "/sparql?query={}&named-graph-uri={}&default-graph-uri={}",
                    enc(query),
                    enc("http://private.test/graph"),
                    enc("http://private.test/graph")
                ),
                None,
            ),
        )
        .await;
        assert!(
            !found(&r),
            "{query} with dataset parameters found the marker"
        );
    }
    assert_eq!(
        send(&app, get("/store?graph=http://private.test/graph", None))
            .await
            .status,
        404
    );
    assert!(!found(
        &send(&app, get("/store", Some("application/n-quads"))).await
    ));
    assert!(!String::from_utf8_lossy(&dump_bytes(&kg)).contains("private.test"));
    let health = send(&app, get("/health", None)).await;
    assert!(!found(&health));
    assert_eq!(health.json()["triples"], 560);
    assert!(!found(
        &send(&app, get("/sparql", Some("text/turtle"))).await
    ));
}
