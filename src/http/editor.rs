//! `GET /sparql` without a query: the SPARQL service description (Turtle, JSON-LD, …) or,
//! for a browser, the YASGUI query editor served from the binary (no CDN), with example
//! queries over the taxonomy.

use super::params::{accept, Params};
use super::AppState;
use crate::conneg::formats::{rdf_media_type, JSON_LD};
use crate::conneg::negotiate;
use crate::error::AppError;
use crate::store::{graph_from_key, DefaultGraph};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, Term, Triple};

const YASGUI_JS: &[u8] = include_bytes!("../../static/yasgui/yasgui.min.js");
const YASGUI_CSS: &[u8] = include_bytes!("../../static/yasgui/yasgui.min.css");

#[derive(Clone, Copy, Debug, PartialEq)]
enum Description {
    Rdf(RdfFormat),
    Editor,
}

const OFFERS: &[(Description, &[&str])] = &[
    (
        Description::Rdf(RdfFormat::Turtle),
        &["text/turtle", "application/x-turtle"],
    ),
    (Description::Rdf(JSON_LD), &["application/ld+json"]),
    (
        Description::Rdf(RdfFormat::NTriples),
        &["application/n-triples"],
    ),
    (
        Description::Rdf(RdfFormat::RdfXml),
        &["application/rdf+xml"],
    ),
    (Description::Editor, &["text/html", "application/xhtml+xml"]),
];

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";
const VOID: &str = "http://rdfs.org/ns/void#";

fn n(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

/// The service description or the editor, by `Accept` (or `format=`).
pub async fn describe_service(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
) -> Result<Response, AppError> {
    let accept = match params.one("format")? {
        Some(f) => crate::conneg::formats::format_param_media_type(&f).map(str::to_owned),
        None => accept(headers),
    };
    let chosen = *negotiate(accept.as_deref(), OFFERS)?;
    let mut response = match chosen {
        Description::Editor => Html(editor_page(state)).into_response(),
        Description::Rdf(format) => {
            let mut serializer = RdfSerializer::from_format(format)
                .with_prefix("sd", SD)
                .and_then(|s| s.with_prefix("void", VOID))
                .map_err(|e| AppError::Internal(e.to_string()))?
                .for_writer(Vec::new());
            for t in description(state) {
                serializer
                    .serialize_triple(&t)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
            }
            let body = serializer
                .finish()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            ([(header::CONTENT_TYPE, rdf_media_type(format))], body).into_response()
        }
    };
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

fn description(state: &AppState) -> Vec<Triple> {
    let kg = &state.kg;
    let endpoint = n(&kg.base().join("sparql"));
    let a = n(&format!("{}type", crate::vocab::RDF));
    let sd = |local: &str| n(&format!("{SD}{local}"));
    let mut out = vec![
        Triple::new(endpoint.clone(), a.clone(), sd("Service")),
        Triple::new(endpoint.clone(), sd("endpoint"), endpoint.clone()),
        Triple::new(
            endpoint.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        Triple::new(
            endpoint.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Update"),
        ),
    ];
    for f in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "JSON-LD",
        "N-Triples",
        "RDF_XML",
        "N-Quads",
        "TriG",
    ] {
        out.push(Triple::new(
            endpoint.clone(),
            sd("resultFormat"),
            n(&format!("{FORMATS}{f}")),
        ));
    }
    if kg.default_graph() == DefaultGraph::Union {
        out.push(Triple::new(
            endpoint.clone(),
            sd("feature"),
            sd("UnionDefaultGraph"),
        ));
    }
    if !state.config.limits.service_allow.is_empty() {
        out.push(Triple::new(
            endpoint.clone(),
            sd("feature"),
            sd("BasicFederatedQuery"),
        ));
    }
    let dataset = BlankNode::default();
    out.push(Triple::new(endpoint, sd("defaultDataset"), dataset.clone()));
    out.push(Triple::new(dataset.clone(), a.clone(), sd("Dataset")));
    let triples = |count: u64| Term::from(Literal::from(count as i64));
    let default_graph = BlankNode::default();
    out.push(Triple::new(
        dataset.clone(),
        sd("defaultGraph"),
        default_graph.clone(),
    ));
    out.push(Triple::new(default_graph.clone(), a.clone(), sd("Graph")));
    let counts = kg.counts().per_graph();
    let default_count = if kg.default_graph() == DefaultGraph::Union {
        kg.counts().total()
    } else {
        counts.get("").copied().unwrap_or(0)
    };
    out.push(Triple::new(
        default_graph,
        n(&format!("{VOID}triples")),
        triples(default_count),
    ));
    for (key, count) in counts.iter().filter(|(k, _)| !k.is_empty()) {
        let GraphName::NamedNode(name) = graph_from_key(key) else {
            continue;
        };
        let named = BlankNode::default();
        let graph = BlankNode::default();
        out.push(Triple::new(
            dataset.clone(),
            sd("namedGraph"),
            named.clone(),
        ));
        out.push(Triple::new(named.clone(), sd("name"), name));
        out.push(Triple::new(named, sd("graph"), graph.clone()));
        out.push(Triple::new(graph.clone(), a.clone(), sd("Graph")));
        out.push(Triple::new(
            graph,
            n(&format!("{VOID}triples")),
            triples(*count),
        ));
    }
    out
}

/// The example queries of the editor, over the taxonomy of this deployment.
pub fn example_queries(base: &str) -> Vec<(&'static str, String)> {
    let prefixes = format!(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\nPREFIX concept: <{base}concept/>\n"
    );
    vec![
        (
            "Full-text search",
            format!("{prefixes}PREFIX ck: <https://w3id.org/chariot-kg/ns#>\n\nSELECT ?doc ?title ?score WHERE {{\n  SERVICE ck:search {{ ?doc ck:query \"border management\" ; ck:score ?score ; ck:type \"document\" }}\n  ?doc dcterms:subject/skos:broader* concept:safety-security-and-privacy-systems ;\n       dcterms:title ?title .\n}}\nORDER BY DESC(?score)"),
        ),
        (
            "Top concepts",
            format!("{prefixes}\nSELECT ?concept ?label WHERE {{\n  <{base}scheme/topics> skos:hasTopConcept ?concept .\n  ?concept skos:prefLabel ?label .\n  FILTER(lang(?label) = \"en\")\n}}\nORDER BY ?label"),
        ),
        (
            "Narrower tree",
            format!("{prefixes}\nSELECT ?concept ?label ?broader WHERE {{\n  concept:safety-security-and-privacy-systems skos:narrower* ?concept .\n  ?concept skos:prefLabel ?label .\n  OPTIONAL {{ ?concept skos:broader ?broader }}\n}}\nORDER BY ?label"),
        ),
        (
            "Documents under a topic",
            format!("{prefixes}\nSELECT ?document ?title ?subject WHERE {{\n  ?subject skos:broader* concept:safety-security-and-privacy-systems .\n  ?document dcterms:subject ?subject ;\n            dcterms:title ?title .\n}}\nORDER BY ?title"),
        ),
    ]
}

fn editor_page(state: &AppState) -> String {
    let tabs: Vec<serde_json::Value> = example_queries(state.kg.base().as_str())
        .into_iter()
        .map(|(name, query)| serde_json::json!({ "name": name, "query": query }))
        .collect();
    // JSON inside <script>: `</` must not close the element.
    let tabs = serde_json::Value::Array(tabs)
        .to_string()
        .replace("</", "<\\/");
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPARQL query editor · CHARIOT IoT Search Index</title>
<link rel="stylesheet" href="static/yasgui/yasgui.min.css">
<style>body{{margin:0;font-family:system-ui,sans-serif}} header{{padding:.6rem 1rem;background:#1d3557;color:#fff}} header a{{color:#fff}}</style>
</head>
<body>
<header><strong>CHARIOT IoT Search Index</strong> · SPARQL endpoint <code>sparql</code> · <a href="sparql?format=ttl">service description</a></header>
<div id="yasgui"></div>
<script src="static/yasgui/yasgui.min.js"></script>
<script>
(function () {{
  var tabs = {tabs};
  // No autocompleter that calls other hosts.
  Yasgui.defaults.yasqe.autocompleters = ["variables", "prefixes"];
  var endpoint = new URL("sparql", document.baseURI).href;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {{
    requestConfig: {{ endpoint: endpoint, method: "POST" }},
    copyEndpointOnNewTab: true,
    persistenceId: null,
    tabName: tabs[0].name,
    yasqe: {{ value: tabs[0].query }}
  }});
  for (var i = 1; i < tabs.length; i++) {{
    yasgui.addTab(false, {{ name: tabs[i].name, yasqe: {{ value: tabs[i].query }}, requestConfig: {{ endpoint: endpoint, method: "POST" }} }});
  }}
}})();
</script>
</body>
</html>
"#
    )
}

/// `GET /static/yasgui/{file}`: the vendored editor assets.
pub async fn get_yasgui_asset(
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    let (bytes, media): (&'static [u8], &str) = match file.as_str() {
        "yasgui.min.js" => (YASGUI_JS, "text/javascript; charset=utf-8"),
        "yasgui.min.css" => (YASGUI_CSS, "text/css; charset=utf-8"),
        _ => return Err(AppError::NotFound(format!("no static file {file}"))),
    };
    Ok((
        [
            (header::CONTENT_TYPE, media),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes,
    )
        .into_response())
}
