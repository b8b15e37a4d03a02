//! The HTML page of one resource: a concept, a scheme, a document, an organisation, or
//! any other resource (a table of its properties). Each page also carries a schema.org
//! JSON-LD island.

use super::lang::language_name;
use super::site::Site;
use crate::ld::Description;
use crate::render::{escape_json_for_script, Link, PageFrame};
use crate::vocab::{DCTERMS, FOAF, RDF, SKOS};
use oxigraph::model::Term;
use serde_json::{json, Value};

/// A page ready to render: its template and context.
pub struct Page {
    /// The template.
    pub template: &'static str,
    /// The context.
    pub context: Value,
}

pub(super) fn objects<'d>(desc: &'d Description, subject: &str, predicate: &str) -> Vec<&'d Term> {
    desc.triples
        .iter()
        .filter(|t| t.predicate.as_str() == predicate && matches!(&t.subject, oxigraph::model::NamedOrBlankNode::NamedNode(n) if n.as_str() == subject))
        .map(|t| &t.object)
        .collect()
}

pub(super) fn iris(terms: &[&Term]) -> Vec<String> {
    terms
        .iter()
        .filter_map(|t| match t {
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

pub(super) fn literals(terms: &[&Term]) -> crate::skos::LabelSet {
    let mut set = crate::skos::LabelSet::default();
    for t in terms {
        if let Term::Literal(l) = t {
            set.push(l.language().unwrap_or(""), l.value());
        }
    }
    set
}

pub(super) fn frame(
    site: &Site<'_>,
    iri: &str,
    title: String,
    lang: String,
    languages: Vec<String>,
    island: Value,
) -> PageFrame {
    PageFrame {
        root: site.root.clone(),
        base: site.kg.base().to_string(),
        title,
        lang_name: language_name(&lang),
        lang,
        languages,
        alternates: site.alternates(iri),
        jsonld: Some(escape_json_for_script(&island)),
    }
}

pub(super) fn with_frame(frame: PageFrame, mut context: Value) -> Value {
    if let (Value::Object(ctx), Ok(Value::Object(f))) = (&mut context, serde_json::to_value(frame))
    {
        ctx.extend(f);
    }
    context
}

/// The page of `iri`, from its description.
pub fn resource_page(site: &Site<'_>, iri: &str, desc: &Description) -> Page {
    let types = iris(&objects(desc, iri, &format!("{RDF}type")));
    if let Some(id) = site.tax.concept(iri) {
        return concept_page(site, id, desc);
    }
    if let Some(id) = site.tax.scheme(iri) {
        return scheme_page(site, id, desc);
    }
    if types.iter().any(|t| t == &format!("{FOAF}Document")) {
        return super::document_pages::document_page(site, iri, desc);
    }
    if types.iter().any(|t| t == &format!("{FOAF}Organization")) {
        return super::document_pages::organisation_page(site, iri);
    }
    generic_page(site, iri, desc)
}

fn concept_page(site: &Site<'_>, id: usize, desc: &Description) -> Page {
    let tax = site.tax;
    let c = &tax.concepts[id];
    let (lang, label) = site
        .best(c.display_labels())
        .unwrap_or_else(|| (String::new(), super::site::local_name(&c.iri).to_owned()));
    let counts = tax.subtree_document_counts();
    let notes: Vec<Value> = [
        ("definition", "Definition"),
        ("scopeNote", "Scope note"),
        ("note", "Note"),
        ("example", "Example"),
        ("historyNote", "History note"),
        ("changeNote", "Change note"),
        ("editorialNote", "Editorial note"),
    ]
    .iter()
    .flat_map(|(local, kind)| {
        let set = literals(&objects(desc, &c.iri, &format!("{SKOS}{local}")));
        let mut shown = set
            .all_in(&lang)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        if shown.is_empty() {
            shown = set
                .best(site.langs)
                .map(|(_, v)| vec![v.to_owned()])
                .unwrap_or_default();
        }
        shown
            .into_iter()
            .map(move |text| json!({ "kind": kind, "text": text }))
    })
    .collect();
    let narrower: Vec<Link> = c
        .narrower
        .iter()
        .map(|&n| {
            let mut l = site.concept_link(n);
            l.count = Some(counts[n]).filter(|n| *n > 0);
            l
        })
        .collect();
    let below = tax.descendants(id);
    let documents: Vec<Link> = tax
        .documents_below(id)
        .into_iter()
        .map(|d| {
            let mut l = site.link(tax.document_iri(d));
            if tax.documents_of(id).binary_search(&d).is_err() {
                l.via = below
                    .iter()
                    .find(|&&x| tax.documents_of(x).binary_search(&d).is_ok())
                    .map(|&x| site.concept_link(x).label);
            }
            l
        })
        .collect();
    let breadcrumbs: Vec<Vec<Link>> = tax
        .paths_to(id, 12)
        .into_iter()
        .filter(|p| p.len() > 1)
        .map(|p| {
            p[..p.len() - 1]
                .iter()
                .map(|&x| site.concept_link(x))
                .collect()
        })
        .collect();
    let schemes: Vec<Link> = c
        .schemes
        .iter()
        .map(|&s| site.link(&tax.schemes[s].iri))
        .collect();
    let island = json!({
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": c.iri,
        "name": label,
        "alternateName": c.alt.all_in(&lang),
        "inDefinedTermSet": c.schemes.iter().map(|&s| tax.schemes[s].iri.clone()).collect::<Vec<_>>(),
    });
    let mut languages: Vec<String> = c
        .display_labels()
        .languages()
        .into_iter()
        .map(str::to_owned)
        .collect();
    languages.retain(|l| !l.is_empty());
    let context = json!({
        "iri": c.iri,
        "label": label,
        "deprecated": c.deprecated,
        "replaced_by": c.replaced_by.iter().map(|r| site.link(r)).collect::<Vec<_>>(),
        "alt_labels": c.alt.all_in(&lang),
        "notes": notes,
        "broader": c.broader.iter().map(|&b| site.concept_link(b)).collect::<Vec<_>>(),
        "narrower": narrower,
        "related": c.related.iter().map(|&r| site.concept_link(r)).collect::<Vec<_>>(),
        "breadcrumbs": breadcrumbs,
        "documents": documents,
        "schemes": schemes,
    });
    Page {
        template: "concept.html",
        context: with_frame(
            frame(site, &c.iri, label.clone(), lang, languages, island),
            context,
        ),
    }
}

/// The page of a scheme: its top concepts and the whole tree.
pub fn scheme_page(site: &Site<'_>, id: usize, desc: &Description) -> Page {
    let s = &site.tax.schemes[id];
    let (lang, label) = site
        .best(&s.labels)
        .unwrap_or_else(|| (String::new(), super::site::local_name(&s.iri).to_owned()));
    let description = site
        .best(&literals(&objects(
            desc,
            &s.iri,
            &format!("{DCTERMS}description"),
        )))
        .map(|(_, v)| v);
    let tree = site.tree(&s.top, 64, &mut Vec::new());
    let island = json!({
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "@id": s.iri,
        "name": label,
        "description": description,
        "hasDefinedTerm": s.top.iter().map(|&c| json!({"@type": "DefinedTerm", "@id": site.tax.concepts[c].iri, "name": site.concept_link(c).label})).collect::<Vec<_>>(),
    });
    let mut languages: Vec<String> = s
        .labels
        .languages()
        .into_iter()
        .map(str::to_owned)
        .collect();
    if let Some(&first) = s.top.first() {
        languages.extend(
            site.tax.concepts[first]
                .display_labels()
                .languages()
                .into_iter()
                .map(str::to_owned),
        );
    }
    languages.sort();
    languages.dedup();
    let context = json!({
        "iri": s.iri,
        "label": label,
        "description": description,
        "member_count": s.members.len(),
        "tree": tree,
    });
    Page {
        template: "scheme.html",
        context: with_frame(
            frame(site, &s.iri, label.clone(), lang, languages, island),
            context,
        ),
    }
}

fn generic_page(site: &Site<'_>, iri: &str, desc: &Description) -> Page {
    let (label, lang) = site.label_of(iri);
    let mut rows: Vec<(String, Vec<Value>)> = Vec::new();
    for t in desc
        .triples
        .iter()
        .filter(|t| t.subject.to_string() == format!("<{iri}>"))
    {
        let value = match &t.object {
            Term::NamedNode(n) => {
                serde_json::to_value(site.link(n.as_str())).unwrap_or(Value::Null)
            }
            Term::Literal(l) => json!({"label": l.value(), "lang": l.language()}),
            other => json!({"label": other.to_string()}),
        };
        match rows.iter_mut().find(|(p, _)| p == t.predicate.as_str()) {
            Some((_, values)) => values.push(value),
            None => rows.push((t.predicate.as_str().to_owned(), vec![value])),
        }
    }
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|(p, values)| json!({"property": site.link(&p), "values": values}))
        .collect();
    let island =
        json!({"@context": "https://schema.org", "@type": "Thing", "@id": iri, "name": label});
    let context = json!({ "iri": iri, "label": label, "rows": rows });
    Page {
        template: "resource.html",
        context: with_frame(
            frame(
                site,
                iri,
                label.clone(),
                lang.unwrap_or_default(),
                Vec::new(),
                island,
            ),
            context,
        ),
    }
}
