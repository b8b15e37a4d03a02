//! Turning resources of the store into index documents: what a concept, a document or an
//! organisation contributes, read from the store as it is now.

use super::schema::{lang_group, normalize, Fields};
use crate::store::StoreError;
use crate::vocab::{CK, DCTERMS, FOAF, RDF, RDFS, SCHEMA, SKOS};
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term};
use oxigraph::store::Store;
use std::collections::{BTreeMap, HashSet};
use tantivy::TantivyDocument;

/// What kind of resource a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A SKOS concept.
    Concept,
    /// A document (`foaf:Document`).
    Document,
    /// An organisation (`foaf:Organization`).
    Organisation,
}

impl Kind {
    /// Its name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Concept => "concept",
            Self::Document => "document",
            Self::Organisation => "organisation",
        }
    }
}

/// The classes whose instances are concepts: `skos:Concept` and its subclasses.
pub fn concept_classes(store: &Store) -> Result<HashSet<String>, StoreError> {
    let mut classes = HashSet::from([format!("{SKOS}Concept")]);
    let p = format!("{RDFS}subClassOf");
    let pairs: Vec<(String, String)> = store
        .quads_for_pattern(None, Some(NamedNodeRef::new_unchecked(&p)), None, None)
        .filter_map(|q| match q {
            Ok(q) => match (q.subject, q.object) {
                (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) => {
                    Some(Ok((s.as_str().to_owned(), o.as_str().to_owned())))
                }
                _ => None,
            },
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?;
    loop {
        let before = classes.len();
        for (s, o) in &pairs {
            if classes.contains(o) {
                classes.insert(s.clone());
            }
        }
        if classes.len() == before {
            return Ok(classes);
        }
    }
}

/// The triples of `subject`, as (predicate, object).
fn triples(
    store: &Store,
    subject: NamedOrBlankNodeRef<'_>,
) -> Result<Vec<(String, Term)>, StoreError> {
    store
        .quads_for_pattern(Some(subject), None, None, None)
        .map(|q| {
            q.map(|q| (q.predicate.as_str().to_owned(), q.object))
                .map_err(StoreError::from)
        })
        .collect()
}

fn literals<'a>(
    props: &'a [(String, Term)],
    predicate: &str,
) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let predicate = predicate.to_owned();
    props
        .iter()
        .filter(move |(p, _)| *p == predicate)
        .filter_map(|(_, o)| match o {
            Term::Literal(l) => Some((l.language().unwrap_or(""), l.value())),
            _ => None,
        })
}

fn iris<'a>(props: &'a [(String, Term)], predicate: &str) -> impl Iterator<Item = &'a str> + 'a {
    let predicate = predicate.to_owned();
    props
        .iter()
        .filter(move |(p, _)| *p == predicate)
        .filter_map(|(_, o)| match o {
            Term::NamedNode(n) => Some(n.as_str()),
            _ => None,
        })
}

/// The kind of `iri` now, from its triples.
pub fn kind_of(props: &[(String, Term)], classes: &HashSet<String>) -> Option<Kind> {
    let types: Vec<&str> = iris(props, &format!("{RDF}type")).collect();
    if types.iter().any(|t| classes.contains(*t))
        || props
            .iter()
            .any(|(p, _)| p == &format!("{SKOS}inScheme") || p == &format!("{SKOS}topConceptOf"))
    {
        Some(Kind::Concept)
    } else if types.contains(&format!("{FOAF}Document").as_str()) {
        Some(Kind::Document)
    } else if types.contains(&format!("{FOAF}Organization").as_str()) {
        Some(Kind::Organisation)
    } else {
        None
    }
}

/// Builds the index document of `iri`, or `None` if it is nothing we index.
pub fn build_document(
    store: &Store,
    fields: &Fields,
    iri: &str,
    classes: &HashSet<String>,
) -> Result<Option<(Kind, TantivyDocument)>, StoreError> {
    let Ok(node) = NamedNodeRef::new(iri) else {
        return Ok(None);
    };
    let props = triples(store, node.into())?;
    let Some(kind) = kind_of(&props, classes) else {
        return Ok(None);
    };
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.iri, iri);
    doc.add_text(fields.kind, kind.name());
    let mut shown: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    let lang_fields = |tag: &str| {
        let group = lang_group(tag);
        fields
            .langs
            .iter()
            .find(|(g, _)| *g == group)
            .map(|(_, f)| *f)
    };
    let mut add_label =
        |doc: &mut TantivyDocument, which: &'static str, lang: &str, value: &str| {
            let Some(f) = lang_fields(lang) else { return };
            let field = match which {
                "alt" => f.alt,
                "hidden" => f.hidden,
                _ => f.pref,
            };
            doc.add_text(field, value);
            doc.add_text(fields.suggest, value);
            let code = match which {
                "alt" => "a",
                "hidden" => "h",
                "name" => "n",
                _ => "p",
            };
            doc.add_text(fields.exact, format!("{code}|{}", normalize(value)));
            shown
                .entry(which)
                .or_default()
                .push((lang.to_owned(), value.to_owned()));
        };
    match kind {
        Kind::Concept => {
            let mut any_pref = false;
            for (lang, v) in literals(&props, &format!("{SKOS}prefLabel")) {
                add_label(&mut doc, "pref", lang, v);
                any_pref = true;
            }
            if !any_pref {
                for (lang, v) in literals(&props, &format!("{RDFS}label")) {
                    add_label(&mut doc, "pref", lang, v);
                }
            }
            for (lang, v) in literals(&props, &format!("{SKOS}altLabel")) {
                add_label(&mut doc, "alt", lang, v);
            }
            for (lang, v) in literals(&props, &format!("{SKOS}hiddenLabel")) {
                add_label(&mut doc, "hidden", lang, v);
            }
            for note in [
                "definition",
                "scopeNote",
                "note",
                "example",
                "historyNote",
                "editorialNote",
                "changeNote",
            ] {
                for (lang, v) in literals(&props, &format!("{SKOS}{note}")) {
                    if let Some(f) = lang_fields(lang) {
                        doc.add_text(f.body, v);
                    }
                }
            }
            for s in iris(&props, &format!("{SKOS}inScheme"))
                .chain(iris(&props, &format!("{SKOS}topConceptOf")))
            {
                doc.add_text(fields.scheme, s);
            }
        }
        Kind::Organisation => {
            for p in [
                format!("{FOAF}name"),
                format!("{SKOS}prefLabel"),
                format!("{RDFS}label"),
            ] {
                for (lang, v) in literals(&props, &p) {
                    add_label(&mut doc, "name", lang, v);
                }
            }
        }
        Kind::Document => {
            for (lang, v) in literals(&props, &format!("{DCTERMS}title")) {
                add_label(&mut doc, "pref", lang, v);
            }
            for (lang, v) in literals(&props, &format!("{SCHEMA}text"))
                .chain(literals(&props, &format!("{DCTERMS}description")))
            {
                if let Some(f) = lang_fields(lang) {
                    doc.add_text(f.body, v);
                }
            }
            for s in iris(&props, &format!("{DCTERMS}subject")) {
                doc.add_text(fields.subject, s);
            }
            for t in iris(&props, &format!("{DCTERMS}type")) {
                doc.add_text(fields.doc_type, t);
            }
            for p in iris(&props, &format!("{DCTERMS}publisher")) {
                doc.add_text(fields.publisher, p);
                let org = triples(store, NamedNodeRef::new_unchecked(p).into())?;
                for (_, name) in literals(&org, &format!("{FOAF}name")) {
                    doc.add_text(fields.publisher_name, name);
                }
            }
            let year = ["issued", "date", "created"]
                .iter()
                .flat_map(|p| {
                    literals(&props, &format!("{DCTERMS}{p}"))
                        .map(|(_, v)| v.to_owned())
                        .collect::<Vec<_>>()
                })
                .find_map(|v| v.get(..4).and_then(|y| y.parse::<u64>().ok()));
            if let Some(y) = year {
                doc.add_u64(fields.year, y);
            }
            // Text of attachments (once extracted) is the document's text too.
            for a in props
                .iter()
                .filter(|(p, _)| *p == format!("{CK}attachment"))
                .map(|(_, o)| o)
            {
                let node: Option<NamedOrBlankNode> = match a {
                    Term::NamedNode(n) => Some(n.clone().into()),
                    Term::BlankNode(b) => Some(b.clone().into()),
                    _ => None,
                };
                if let Some(node) = node {
                    let att = triples(store, node.as_ref())?;
                    for (lang, v) in literals(&att, &format!("{CK}extractedText")) {
                        if let Some(f) = lang_fields(lang) {
                            doc.add_text(f.body, v);
                        }
                    }
                }
            }
        }
    }
    doc.add_text(
        fields.labels,
        serde_json::to_string(&shown).unwrap_or_default(),
    );
    Ok(Some((kind, doc)))
}

/// The resources whose index documents depend on `resource` (itself, the documents it
/// publishes, the owners of a blank node).
pub fn dependents(store: &Store, resource: &str) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    if let Some(id) = resource.strip_prefix("_:") {
        let b = oxigraph::model::BlankNode::new_unchecked(id);
        for q in store.quads_for_pattern(None, None, Some(b.as_ref().into()), None) {
            if let NamedOrBlankNode::NamedNode(s) = q?.subject {
                out.push(s.as_str().to_owned());
            }
        }
        return Ok(out);
    }
    out.push(resource.to_owned());
    if let Ok(node) = NamedNodeRef::new(resource) {
        let p = format!("{DCTERMS}publisher");
        for q in store.quads_for_pattern(
            None,
            Some(NamedNodeRef::new_unchecked(&p)),
            Some(node.into()),
            None,
        ) {
            if let NamedOrBlankNode::NamedNode(s) = q?.subject {
                out.push(s.as_str().to_owned());
            }
        }
    }
    Ok(out)
}
