//! Linked-data pages, in-process: dereferencing with 303 in four RDF formats compared with
//! expectations not computed by the code under test, caching, breadcrumbs, documents under
//! a topic, escaping, and third-party vocabularies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::http::{get, send, Reply};
use common::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Dataset, Graph, Quad, Triple};

fn load_into(kg: &chariot_kg::store::Kg, file: &std::path::Path) {
    let quads = chariot_kg::ingest::read_files(&[file.to_owned()], &Default::default()).unwrap();
    kg.write("test", |c| {
        for q in &quads {
            c.insert(q.as_ref())?;
        }
        Ok::<_, chariot_kg::store::StoreError>(())
    })
    .unwrap();
}

fn parse(format: RdfFormat, body: &[u8]) -> Graph {
    RdfParser::from_format(format)
        .for_slice(body)
        .map(|q| {
            let q: Quad = q.unwrap();
            Triple::new(q.subject, q.predicate, q.object)
        })
        .collect()
}

fn canonical(g: &Graph) -> Dataset {
    let mut ds: Dataset = g
        .iter()
        .map(|t| {
            t.into_owned()
                .in_graph(oxigraph::model::GraphNameRef::DefaultGraph)
        })
        .collect();
    ds.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    ds
}

fn resolve(from: &str, location: &str) -> String {
    let base = oxiri::Iri::parse(format!("http://kg.test{from}")).unwrap();
    let target = base.resolve(location).unwrap();
    target
        .as_str()
        .strip_prefix("http://kg.test")
        .unwrap()
        .to_owned()
}

async fn construct(app: &axum::Router, query: &str) -> Graph {
    let r = send(
        app,
        common::http::post("/sparql", "application/sparql-query", query, None),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    parse(
        RdfFormat::NTriples,
        &send(
            app,
            get(
                &format!(
                    "/sparql?query={}&format=nt",
                    form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
                ),
                None,
            ),
        )
        .await
        .body,
    )
}

fn labels_construct(iri: &str) -> String {
    format!(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         CONSTRUCT {{ <{iri}> ?p ?o . ?o ?lp ?l }} WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ <{iri}> ?p ?o . ?o ?lp ?l FILTER(isLiteral(?l) && ?lp IN (skos:prefLabel, foaf:name, dcterms:title, schema:name, rdfs:label) && ?o != <{iri}>) }} }}"
    )
}

#[tokio::test]
async fn every_resource_dereferences_in_four_formats_to_its_description() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let file = |name: &str| std::fs::read(fixture(&format!("ld/{name}"))).unwrap();
    let expected = [
        (
            "/concept/risk-management",
            parse(RdfFormat::Turtle, &file("concept-risk-management.ttl")),
        ),
        (
            "/document/coordinated-border-management",
            parse(
                RdfFormat::Turtle,
                &file("document-coordinated-border-management.ttl"),
            ),
        ),
        (
            "/scheme/topics",
            construct(&app, &labels_construct("http://kg.test/scheme/topics")).await,
        ),
        (
            "/org/world-customs-organization",
            construct(
                &app,
                &labels_construct("http://kg.test/org/world-customs-organization"),
            )
            .await,
        ),
    ];
    let formats = [
        ("text/turtle", RdfFormat::Turtle, ".ttl"),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            ".jsonld",
        ),
        ("application/n-triples", RdfFormat::NTriples, ".nt"),
        ("application/rdf+xml", RdfFormat::RdfXml, ".rdf"),
    ];
    for (path, graph) in &expected {
        assert!(graph.len() >= 2, "{path}: expectation too small");
        for (accept, format, ext) in &formats {
            let r = send(&app, get(path, Some(accept))).await;
            assert_eq!(r.status, 303, "{path} {accept}");
            let location = r.header("location").unwrap();
            assert!(
                location.starts_with("../data/"),
                "relative Location: {location}"
            );
            assert!(location.ends_with(ext));
            let data_path = resolve(path, location);
            let body = send(&app, get(&data_path, None)).await;
            assert_eq!(body.status, 200, "{data_path}");
            assert_eq!(body.header("content-type"), Some(*accept));
            assert!(body.header("vary").unwrap().contains("Accept"));
            assert!(body.header("content-location").unwrap().ends_with(ext));
            assert!(body.header("link").unwrap().contains("rel=\"alternate\""));
            let got = parse(*format, &body.body);
            assert!(
                canonical(&got) == canonical(graph),
                "{path} as {accept} differs:\n{}",
                body.text()
            );
        }
    }
}

#[tokio::test]
async fn browsers_get_the_page_and_unknown_iris_get_404_with_a_search() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let r = send(&app, get("/concept/risk-management", Some(browser))).await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("../page/concept/risk-management")
    );
    let page = send(&app, get("/page/concept/risk-management", Some(browser))).await;
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let missing = send(&app, get("/concept/no-such-topic", Some(browser))).await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("action=\"../search\""),
        "{}",
        missing.text()
    );
    let missing = send(&app, get("/concept/no-such-topic", Some("text/turtle"))).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), Some("text/turtle"));
    assert_eq!(
        send(&app, get("/data/concept/no-such-topic.ttl", None))
            .await
            .status,
        404
    );
    // HEAD has the same headers.
    let head = send(
        &app,
        axum::http::Request::head("/data/concept/risk-management.ttl")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/turtle"));
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn etags_give_304_and_change_after_a_write() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    for path in [
        "/data/concept/risk-management.ttl",
        "/page/concept/risk-management",
        "/",
        "/concepts",
        "/schemes",
    ] {
        let first = send(&app, get(path, None)).await;
        assert_eq!(first.status, 200, "{path}");
        let tag = first.header("etag").unwrap().to_owned();
        assert!(first.header("cache-control").is_some());
        assert_eq!(
            first.header("vary"),
            Some("Accept, Accept-Encoding, Accept-Language")
        );
        let again = axum::http::Request::get(path)
            .header("if-none-match", &tag)
            .body(axum::body::Body::empty())
            .unwrap();
        let again = send(&app, again).await;
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty());
        kg.write("test", |c| {
            c.insert(oxigraph::model::QuadRef::new(
                oxigraph::model::NamedNodeRef::new("http://e/x").unwrap(),
                oxigraph::model::NamedNodeRef::new("http://e/p").unwrap(),
                oxigraph::model::LiteralRef::new_simple_literal(path),
                oxigraph::model::GraphNameRef::DefaultGraph,
            ))
            .map(|_| ())
        })
        .unwrap();
        let after = axum::http::Request::get(path)
            .header("if-none-match", &tag)
            .body(axum::body::Body::empty())
            .unwrap();
        let after = send(&app, after).await;
        assert_eq!(after.status, 200, "{path} after a write");
        assert_ne!(after.header("etag").unwrap(), tag);
    }
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    for encoding in ["gzip", "br"] {
        let r = axum::http::Request::get("/page/scheme/topics")
            .header("accept-encoding", encoding)
            .body(axum::body::Body::empty())
            .unwrap();
        let r = send(&app, r).await;
        assert_eq!(r.header("content-encoding"), Some(encoding));
    }
}

fn text(r: &Reply) -> String {
    r.text()
}

#[tokio::test]
async fn polyhierarchy_breadcrumbs_and_documents_under_a_topic() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    for (slug, parents) in [
        (
            "risk-management",
            [
                "Safety, Security and Privacy Systems",
                "Supply Chain Management",
            ],
        ),
        (
            "business-models-process-improvement-contract-management-kpis-and-benchmarking-indexes",
            [
                "Collaborative Classification and Models",
                "Supply Chain Management",
            ],
        ),
    ] {
        let page = text(&send(&app, get(&format!("/page/concept/{slug}"), None)).await);
        let crumbs: Vec<&str> = page
            .match_indices("<nav class=\"crumbs\"")
            .map(|(i, _)| &page[i..i + page[i..].find("</nav>").unwrap()])
            .collect();
        assert_eq!(crumbs.len(), 2, "{slug}: two breadcrumb paths");
        for (crumb, parent) in crumbs.iter().zip(parents) {
            assert!(crumb.contains(parent), "{slug}: {crumb}");
        }
    }
    let cbm = text(
        &send(
            &app,
            get("/page/concept/coordinated-border-management", None),
        )
        .await,
    );
    assert!(cbm.contains("Documents (1)"), "{cbm}");
    assert!(cbm.contains("document/coordinated-border-management"));
    let top = text(
        &send(
            &app,
            get("/page/concept/safety-security-and-privacy-systems", None),
        )
        .await,
    );
    assert!(
        top.contains("Documents (1)"),
        "the top concept lists it through its narrower concept"
    );
    assert!(top.contains("via Coordinated Border Management"));
    let other = text(&send(&app, get("/page/concept/supply-chain-management", None)).await);
    assert!(other.contains("Documents (0)"));
}

#[tokio::test]
async fn document_organisation_landing_index_and_schemes_pages() {
    let t = TestDir::new();
    let (_, app) = writable_app(&t, |_| {});
    let doc = text(
        &send(
            &app,
            get("/page/document/coordinated-border-management", None),
        )
        .await,
    );
    assert!(doc.contains("<h1>Coordinated Border Management</h1>"));
    let article = &doc[doc.find("<article>").unwrap()..doc.find("</article>").unwrap()];
    let paragraphs = article.matches("<p>").count() - article.matches("<p>None").count();
    assert_eq!(paragraphs, 5, "five paragraphs: {article}");
    assert!(article.contains("<p>1.1. Coordinated Border Management – A New, Old Concept?</p>"));
    assert!(doc.contains("World Customs Organization") && doc.contains("Publication"));
    assert!(doc.contains("Reference link") && doc.contains("Attached documents"));
    assert!(doc.contains("\"@type\":[\"CreativeWork\",\"DigitalDocument\"]"));
    let org = text(&send(&app, get("/page/org/world-customs-organization", None)).await);
    assert!(
        org.contains("World Customs Organization (WCO)"),
        "the concept it is the focus of"
    );
    assert!(org.contains("Documents (1)"));
    let landing = text(&send(&app, get("/", None)).await);
    assert!(landing.contains("aims to provide a web location"));
    assert!(landing.contains("Safety, Security and Privacy Systems"));
    assert!(landing.contains("Coordinated Border Management"));
    assert!(landing.contains("action=\"search\"") && landing.contains("href=\"sparql\""));
    let index = text(&send(&app, get("/concepts?letter=R", None)).await);
    assert!(index.contains("Risk Management") && index.contains("Risk-Based Controls"));
    assert!(!index.contains("Secuirty"), "hidden labels are never shown");
    let schemes = text(&send(&app, get("/schemes", None)).await);
    assert!(schemes.contains("CHARIOT IoT Search Index topics") && schemes.contains(">92<"));
    for page in [&doc, &org, &landing, &index, &schemes] {
        assert!(
            page.contains(
                "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\""
            ),
            "every page has a schema.org island"
        );
    }
    let scheme = text(&send(&app, get("/page/scheme/topics", None)).await);
    assert!(scheme.contains("<details") && scheme.contains("DefinedTermSet"));
    assert!(scheme.contains("Tracking Sensors"), "the whole tree");
}

#[tokio::test]
async fn hostile_labels_are_escaped_on_every_page_and_in_the_json_ld_island() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    load_into(&kg, &fixture("xss-vocabulary.ttl"));
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    for (path, shows_it) in [
        (format!("/page?iri={}", enc("http://evil.test/top")), true),
        (format!("/page?iri={}", enc("http://evil.test/child")), true),
        (
            format!("/page?iri={}", enc("http://evil.test/scheme")),
            true,
        ),
        (
            format!(
                "/concepts?letter=%23&scheme={}",
                enc("http://evil.test/scheme")
            ),
            true,
        ),
        (
            format!(
                "/concepts?letter=C&scheme={}",
                enc("http://evil.test/scheme")
            ),
            false,
        ),
        ("/schemes".to_owned(), true),
    ] {
        let r = send(&app, get(&path, None)).await;
        assert_eq!(r.status, 200, "{path}");
        let html = r.text();
        assert!(
            !html.contains("<script>alert"),
            "{path}: raw script in {html}"
        );
        assert!(!html.contains("<img src=x"), "{path}");
        if shows_it {
            assert!(
                html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{path}: the label is shown escaped: {html}"
            );
        }
    }
    let top = send(
        &app,
        get(&format!("/page?iri={}", enc("http://evil.test/top")), None),
    )
    .await
    .text();
    let island = &top[top.find("application/ld+json\">").unwrap()..];
    let island = &island[..island.find("</script>").unwrap()];
    assert!(
        island.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"),
        "{island}"
    );
    assert!(top.contains("&lt;img src=x onerror=alert(3)&gt; &amp; &quot;quotes&quot;"));
}

#[tokio::test]
async fn third_party_vocabularies_browse_like_ours() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    for f in [
        "stw-9.06-skos.ttl",
        "annif-yso-archaeology.ttl",
        "skosmos-test-yso.ttl",
    ] {
        load_into(&kg, &vocabulary(f));
    }
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let stw = send(
        &app,
        get(&format!("/page?iri={}", enc("http://zbw.eu/stw")), None),
    )
    .await;
    assert_eq!(stw.status, 200);
    assert!(stw.text().contains("<details"));
    // A deprecated descriptor with a replacement, and one without.
    let with = column(&kg, "SELECT ?c WHERE { ?c <http://www.w3.org/2002/07/owl#deprecated> true ; <http://purl.org/dc/terms/isReplacedBy> ?r } ORDER BY ?c LIMIT 1");
    let without = column(&kg, "SELECT ?c WHERE { ?c <http://www.w3.org/2002/07/owl#deprecated> true FILTER NOT EXISTS { ?c <http://purl.org/dc/terms/isReplacedBy> ?r } FILTER(CONTAINS(STR(?c), '/descriptor/')) } ORDER BY ?c LIMIT 1");
    let page = send(&app, get(&format!("/page?iri={}", enc(&with[0])), None))
        .await
        .text();
    assert!(
        page.contains("deprecated") && page.contains("Use instead"),
        "{page}"
    );
    let page = send(&app, get(&format!("/page?iri={}", enc(&without[0])), None))
        .await
        .text();
    assert!(page.contains("No replacement is given"), "{page}");
    // A top concept of STW with its narrower tree.
    let top = column(&kg, "SELECT ?c WHERE { <http://zbw.eu/stw> <http://www.w3.org/2004/02/skos/core#hasTopConcept> ?c } ORDER BY ?c LIMIT 1");
    let page = send(
        &app,
        get(&format!("/page?iri={}&lang=de", enc(&top[0])), None),
    )
    .await
    .text();
    assert!(page.contains("<h2>Narrower</h2>"), "{page}");
    assert!(page.contains("lang=\"de\""));
    // /schemes counts equal a SPARQL count of distinct skos:inScheme members.
    let schemes = send(&app, get("/schemes", None)).await.text();
    let counts = column(&kg, "SELECT ?row WHERE { { SELECT ?s (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c <http://www.w3.org/2004/02/skos/core#inScheme> ?s } GROUP BY ?s } BIND(CONCAT(STR(?s), ' ', STR(?n)) AS ?row) }");
    assert!(counts.len() >= 4, "{counts:?}");
    for row in counts {
        let (scheme, n) = row.rsplit_once(' ').unwrap();
        let at = schemes
            .find(&format!("<code>{scheme}</code>"))
            .unwrap_or_else(|| panic!("{scheme} is not listed"));
        let cell = &schemes[at..];
        let num = &cell[cell.find("class=\"num\">").unwrap() + 12..];
        assert_eq!(&num[..num.find('<').unwrap()], n, "{scheme}");
    }
}

#[tokio::test]
async fn labels_follow_accept_language_and_the_lang_parameter() {
    let t = TestDir::new();
    let (kg, app) = writable_app(&t, |_| {});
    load_into(&kg, &vocabulary("annif-yso-archaeology.ttl"));
    let rows = column(&kg, "SELECT ?row WHERE { ?c skos:prefLabel ?fi, ?sv, ?en FILTER(lang(?fi) = 'fi' && lang(?sv) = 'sv' && lang(?en) = 'en') BIND(CONCAT(STR(?c), '|', ?fi, '|', ?sv, '|', ?en) AS ?row) } ORDER BY ?row LIMIT 1");
    let parts: Vec<&str> = rows[0].split('|').collect();
    let (iri, fi, sv, en) = (parts[0], parts[1], parts[2], parts[3]);
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let page = |accept_language: &str, lang: Option<&str>| {
        let uri = match lang {
            Some(l) => format!("/page?iri={}&lang={l}", enc(iri)),
            None => format!("/page?iri={}", enc(iri)),
        };
        axum::http::Request::get(uri)
            .header("accept-language", accept_language)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let sv_page = send(&app, page("sv, en;q=0.5", None)).await.text();
    assert!(sv_page.contains(&format!("<h1>{sv}")), "{sv_page}");
    assert!(sv_page.contains("Labels shown in <strong>svenska</strong>"));
    assert!(
        sv_page.contains("?lang=fi") && sv_page.contains("?lang=en"),
        "offers the others"
    );
    let fi_page = send(&app, page("sv", Some("fi"))).await.text();
    assert!(
        fi_page.contains(&format!("<h1>{fi}")),
        "?lang wins over Accept-Language"
    );
    let fallback = send(&app, page("de", None)).await.text();
    assert!(
        fallback.contains(&format!("<h1>{en}")),
        "falls back to a label in another language"
    );
}
