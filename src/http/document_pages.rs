//! The pages of documents and of organisations (their publishers): title, publisher,
//! paragraphs, reference link, attachments, topics; an organisation's concept and
//! documents.

use super::pages::{frame, iris, literals, objects, with_frame, Page};
use super::site::Site;
use crate::ld::Description;
use crate::render::Link;
use crate::vocab::{CK, DCAT, DCTERMS, FOAF, SCHEMA};
use oxigraph::model::{NamedNodeRef, Term};
use serde_json::{json, Value};

pub(super) fn document_page(site: &Site<'_>, iri: &str, desc: &Description) -> Page {
    let title = site
        .best(&literals(&objects(desc, iri, &format!("{DCTERMS}title"))))
        .unwrap_or_else(|| (String::new(), super::site::local_name(iri).to_owned()));
    let text = literals(&objects(desc, iri, &format!("{SCHEMA}text")));
    let paragraphs: Vec<String> = site
        .best(&text)
        .map(|(_, t)| {
            t.split("\n\n")
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let publisher = iris(&objects(desc, iri, &format!("{DCTERMS}publisher")))
        .first()
        .map(|p| site.link(p));
    let subjects: Vec<Link> = iris(&objects(desc, iri, &format!("{DCTERMS}subject")))
        .iter()
        .map(|s| site.link(s))
        .collect();
    let doc_type = iris(&objects(desc, iri, &format!("{DCTERMS}type")))
        .first()
        .map(|t| site.label_of(t).0);
    let links = iris(&objects(desc, iri, &format!("{CK}referenceLink")));
    let attachments: Vec<Value> = objects(desc, iri, &format!("{CK}attachment"))
        .into_iter()
        .map(|a| {
            let node = match a {
                Term::NamedNode(n) => n.as_str().to_owned(),
                Term::BlankNode(b) => format!("_:{}", b.as_str()),
                _ => String::new(),
            };
            let of = |p: &str| {
                desc.triples
                    .iter()
                    .find(|t| {
                        t.predicate.as_str() == p
                            && t.subject.to_string().trim_matches(['<', '>']) == node.as_str()
                    })
                    .map(|t| match &t.object {
                        Term::NamedNode(n) => n.as_str().to_owned(),
                        Term::Literal(l) => l.value().to_owned(),
                        other => other.to_string(),
                    })
            };
            json!({
                "label": of(&format!("{DCTERMS}title")).unwrap_or_else(|| "attachment".to_owned()),
                "href": of(&format!("{DCAT}downloadURL")),
                "media": of(&format!("{DCAT}mediaType")),
            })
        })
        .collect();
    let island = json!({
        "@context": "https://schema.org",
        "@type": ["CreativeWork", "DigitalDocument"],
        "@id": iri,
        "name": title.1,
        "publisher": publisher.as_ref().map(|p| json!({"@type": "Organization", "name": p.label})),
        "about": subjects.iter().map(|s| s.label.clone()).collect::<Vec<_>>(),
        "genre": doc_type,
    });
    let context = json!({
        "iri": iri,
        "label": title.1,
        "paragraphs": paragraphs,
        "publisher": publisher,
        "subjects": subjects,
        "doc_type": doc_type,
        "links": links,
        "attachments": attachments,
    });
    Page {
        template: "document.html",
        context: with_frame(
            frame(site, iri, title.1.clone(), title.0, Vec::new(), island),
            context,
        ),
    }
}

pub(super) fn organisation_page(site: &Site<'_>, iri: &str) -> Page {
    let (name, lang) = site.label_of(iri);
    let store = site.kg.public_store();
    let node = NamedNodeRef::new_unchecked(iri);
    let subjects_of = |p: String, o: NamedNodeRef<'_>| -> Vec<String> {
        let mut v: Vec<String> = store
            .quads_for_pattern(
                None,
                Some(NamedNodeRef::new_unchecked(&p)),
                Some(o.into()),
                None,
            )
            .flatten()
            .filter_map(|q| match q.subject {
                oxigraph::model::NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let focus_of: Vec<Link> = subjects_of(format!("{FOAF}focus"), node)
        .iter()
        .map(|c| site.link(c))
        .collect();
    let documents: Vec<Link> = subjects_of(format!("{DCTERMS}publisher"), node)
        .iter()
        .map(|d| site.link(d))
        .collect();
    let island = json!({"@context": "https://schema.org", "@type": "Organization", "@id": iri, "name": name});
    let context =
        json!({ "iri": iri, "label": name, "focus_of": focus_of, "documents": documents });
    Page {
        template: "organisation.html",
        context: with_frame(
            frame(
                site,
                iri,
                name.clone(),
                lang.unwrap_or_default(),
                Vec::new(),
                island,
            ),
            context,
        ),
    }
}
