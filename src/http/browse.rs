//! Browsing: the landing page, the alphabetical index of labels (`/concepts`), the list
//! of schemes (`/schemes`), and the stylesheet.

use super::cache::{cached_page, etag, keep_page, not_modified, not_modified_response};
use super::lang::{language_name, reader_languages};
use super::params::Params;
use super::site::{enc, Site};
use super::{blocking, AppState};
use crate::error::AppError;
use crate::render::{Link, PageFrame};
use crate::vocab::{DCTERMS, FOAF, RDF};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, Term};
use serde_json::{json, Value};

const PAGE_SIZE: usize = 200;

async fn render_cached(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<String>,
    key: &'static str,
    build: impl FnOnce(&AppState, &Site<'_>, &Params) -> Result<(&'static str, Value), AppError>
        + Send
        + 'static,
) -> Result<Response, AppError> {
    let params = Params::from_query(raw.as_deref())?;
    let langs = reader_languages(headers, params.one("lang")?.as_deref());
    let generation = state.kg.generation();
    let tag = etag(
        generation,
        &[key, raw.as_deref().unwrap_or(""), &langs.join(",")],
    );
    if not_modified(headers, &tag) {
        return Ok(not_modified_response(&tag));
    }
    if let Some(response) = cached_page(&state.pages, generation, &tag) {
        return Ok(response);
    }
    let st = state.clone();
    let html = blocking(move || {
        let tax = st.taxonomy.get(&st.kg)?;
        let site = Site {
            kg: &st.kg,
            tax: &tax,
            langs: &langs,
            root: String::new(),
        };
        let (template, mut context) = build(&st, &site, &params)?;
        let frame = PageFrame {
            root: String::new(),
            base: st.kg.base().to_string(),
            title: context
                .get("title")
                .and_then(Value::as_str)
                .unwrap_or("CHARIOT IoT Search Index")
                .to_owned(),
            lang: langs[0].clone(),
            lang_name: language_name(&langs[0]),
            languages: Vec::new(),
            alternates: Vec::new(),
            jsonld: context
                .get("jsonld")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        if let (Value::Object(ctx), Ok(Value::Object(f))) =
            (&mut context, serde_json::to_value(frame))
        {
            for (k, v) in f {
                ctx.entry(k).or_insert(v);
            }
        }
        st.renderer
            .render(template, context)
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await?;
    Ok(keep_page(&state.pages, generation, &tag, html))
}

/// `GET /`: what the index is, the topic tree, the latest documents, search, SPARQL.
pub async fn get_landing(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    render_cached(&state, &headers, raw, "landing", |st, site, _| {
        let scheme_iri = st.kg.base().topics_scheme();
        let (tree, description, name) = match site.tax.scheme(scheme_iri.as_str()) {
            Some(s) => {
                let scheme = &site.tax.schemes[s];
                let description = literal(site, scheme_iri.as_str(), &format!("{DCTERMS}description"));
                (site.tree(&scheme.top, 1, &mut Vec::new()), description, site.label_of(&scheme.iri).0)
            }
            None => (Vec::new(), None, "CHARIOT IoT Search Index".to_owned()),
        };
        let documents = latest_documents(site, 10);
        let island = json!({"@context": "https://schema.org", "@type": "WebSite", "name": "CHARIOT IoT Search Index", "description": description, "about": name});
        Ok(("landing.html", json!({
            "title": "CHARIOT IoT Search Index",
            "description": description.unwrap_or_default(),
            "tree": tree,
            "documents": documents,
            "jsonld": crate::render::escape_json_for_script(&island),
        })))
    })
    .await
}

fn literal(site: &Site<'_>, subject: &str, predicate: &str) -> Option<String> {
    let mut set = crate::skos::LabelSet::default();
    for q in site
        .kg
        .public_store()
        .quads_for_pattern(
            Some(NamedNodeRef::new_unchecked(subject).into()),
            Some(NamedNodeRef::new_unchecked(predicate)),
            None,
            None,
        )
        .flatten()
    {
        if let Term::Literal(l) = q.object {
            set.push(l.language().unwrap_or(""), l.value());
        }
    }
    site.best(&set).map(|(_, v)| v)
}

/// Documents, newest first by `dcterms:issued`/`created`/`date` where given, else by title.
fn latest_documents(site: &Site<'_>, n: usize) -> Vec<Link> {
    let store = site.kg.public_store();
    let t = format!("{RDF}type");
    let doc = format!("{FOAF}Document");
    let mut docs: Vec<(String, String)> = store
        .quads_for_pattern(
            None,
            Some(NamedNodeRef::new_unchecked(&t)),
            Some(NamedNodeRef::new_unchecked(&doc).into()),
            None,
        )
        .flatten()
        .filter_map(|q| match q.subject {
            NamedOrBlankNode::NamedNode(s) => Some(s.as_str().to_owned()),
            _ => None,
        })
        .map(|iri| {
            let date = ["issued", "created", "date", "modified"]
                .iter()
                .find_map(|p| literal(site, &iri, &format!("{DCTERMS}{p}")))
                .unwrap_or_default();
            (date, iri)
        })
        .collect();
    docs.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| site.label_of(&a.1).0.cmp(&site.label_of(&b.1).0))
    });
    docs.dedup_by(|a, b| a.1 == b.1);
    docs.into_iter()
        .take(n)
        .map(|(_, iri)| site.link(&iri))
        .collect()
}

/// `GET /concepts?letter=&page=&scheme=&lang=`: every preferred and alternative label,
/// alphabetically; alternative labels point to their concept.
pub async fn get_concepts(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    render_cached(&state, &headers, raw, "concepts", |_, site, params| {
        let scheme = params.one("scheme")?;
        let scheme_id = scheme.as_deref().map(|s| site.tax.scheme(s).ok_or_else(|| AppError::NotFound(format!("no concept scheme <{s}>")))).transpose()?;
        let mut entries: Vec<(String, bool, usize)> = Vec::new();
        for (id, c) in site.tax.concepts.iter().enumerate() {
            if scheme_id.is_some_and(|s| !c.schemes.contains(&s)) {
                continue;
            }
            let Some((lang, pref)) = site.best(c.display_labels()) else { continue };
            entries.push((pref, false, id));
            for alt in c.alt.all_in(&lang) {
                entries.push((alt.to_owned(), true, id));
            }
        }
        entries.sort_by_cached_key(|(text, alt, _)| (text.to_lowercase(), *alt));
        let letter_of = |s: &str| {
            s.chars()
                .next()
                .filter(|c| c.is_alphabetic())
                .map_or_else(|| "#".to_owned(), |c| c.to_uppercase().collect())
        };
        let mut letters: Vec<String> = entries.iter().map(|(t, _, _)| letter_of(t)).collect();
        letters.dedup();
        let letter = params.one("letter")?.filter(|l| !l.is_empty()).or_else(|| letters.first().cloned()).unwrap_or_default();
        let chosen: Vec<_> = entries.iter().filter(|(t, _, _)| letter_of(t) == letter).collect();
        let pages = chosen.len().div_ceil(PAGE_SIZE).max(1);
        let page: usize = params.one("page")?.and_then(|p| p.parse().ok()).unwrap_or(1).clamp(1, pages);
        let list: Vec<Value> = chosen
            .iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|(text, alt, id)| json!({"text": text, "alt": alt, "target": site.concept_link(*id)}))
            .collect();
        let query_rest = scheme.map(|s| format!("&scheme={}", enc(&s))).unwrap_or_default();
        let island = json!({"@context": "https://schema.org", "@type": "ItemList", "name": "Concepts A–Z", "numberOfItems": chosen.len()});
        Ok(("index.html", json!({
            "jsonld": crate::render::escape_json_for_script(&island),
            "title": "Concepts A–Z",
            "letters": letters, "letter": letter, "entries": list,
            "page": page, "pages": pages, "query_rest": query_rest,
        })))
    })
    .await
}

/// `GET /schemes`: every concept scheme with its concept count.
pub async fn get_schemes(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    render_cached(&state, &headers, raw, "schemes", |_, site, _| {
        let mut schemes: Vec<Value> = site
            .tax
            .schemes
            .iter()
            .map(|s| {
                let mut v = serde_json::to_value(site.link(&s.iri)).unwrap_or(Value::Null);
                if let Value::Object(m) = &mut v {
                    m.insert("iri".into(), json!(s.iri));
                    m.insert("count".into(), json!(s.members.len()));
                    m.insert("top".into(), json!(s.top.len()));
                }
                v
            })
            .collect();
        schemes.sort_by_key(|s| {
            s.get("label")
                .and_then(Value::as_str)
                .map(str::to_lowercase)
        });
        let island = json!({
            "@context": "https://schema.org",
            "@type": "ItemList",
            "name": "Concept schemes",
            "itemListElement": schemes.iter().map(|s| json!({"@type": "DefinedTermSet", "@id": s.get("iri"), "name": s.get("label")})).collect::<Vec<_>>(),
        });
        Ok((
            "schemes.html",
            json!({
                "jsonld": crate::render::escape_json_for_script(&island), "title": "Concept schemes", "schemes": schemes }),
        ))
    })
    .await
}

/// `GET /static/style.css`.
pub async fn get_style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        crate::render::STYLE_CSS,
    )
        .into_response()
}
