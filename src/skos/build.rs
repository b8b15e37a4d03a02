//! Building the [`Taxonomy`] from the store in one pass per SKOS predicate.

use super::{Concept, DocumentId, Documents, LabelSet, Scheme, Taxonomy};
use crate::store::StoreError;
use crate::vocab::{DCTERMS, OWL, RDF, RDFS, SKOS};
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, Term};
use oxigraph::store::Store;
use std::collections::{BTreeSet, HashMap, HashSet};

fn iri_of(subject: &NamedOrBlankNode) -> Option<String> {
    match subject {
        NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

fn term_iri(term: &Term) -> Option<String> {
    match term {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

/// (subject IRI, object) for every quad with predicate `ns + local`, in any graph.
fn pairs(store: &Store, ns: &str, local: &str) -> Result<Vec<(String, Term)>, StoreError> {
    let p = format!("{ns}{local}");
    let mut out = Vec::new();
    for quad in store.quads_for_pattern(None, Some(NamedNodeRef::new_unchecked(&p)), None, None) {
        let quad = quad?;
        if let Some(s) = iri_of(&quad.subject) {
            out.push((s, quad.object));
        }
    }
    Ok(out)
}

/// The IRIs typed `class`, in any graph.
fn subjects_of_type(store: &Store, class: &str) -> Result<Vec<String>, StoreError> {
    let rdf_type = format!("{RDF}type");
    let mut out = Vec::new();
    for quad in store.quads_for_pattern(
        None,
        Some(NamedNodeRef::new_unchecked(&rdf_type)),
        Some(NamedNodeRef::new_unchecked(class).into()),
        None,
    ) {
        if let Some(s) = iri_of(&quad?.subject) {
            out.push(s);
        }
    }
    Ok(out)
}

fn links(store: &Store, local: &str) -> Result<Vec<(String, String)>, StoreError> {
    Ok(pairs(store, SKOS, local)?
        .into_iter()
        .filter_map(|(s, o)| term_iri(&o).map(|o| (s, o)))
        .collect())
}

fn literal(term: &Term) -> Option<(&str, &str)> {
    match term {
        Term::Literal(l) => Some((l.language().unwrap_or(""), l.value())),
        _ => None,
    }
}

/// Builds the view at `generation`.
pub fn build(store: &Store, generation: u64) -> Result<Taxonomy, StoreError> {
    let skos_concept = format!("{SKOS}Concept");
    let skos_scheme = format!("{SKOS}ConceptScheme");
    // Classes below skos:Concept (STW declares its own).
    let mut concept_classes: HashSet<String> = HashSet::from([skos_concept.clone()]);
    let sub_class_of = pairs(store, RDFS, "subClassOf")?;
    loop {
        let before = concept_classes.len();
        for (s, o) in &sub_class_of {
            if term_iri(o).is_some_and(|o| concept_classes.contains(&o)) {
                concept_classes.insert(s.clone());
            }
        }
        if concept_classes.len() == before {
            break;
        }
    }
    let mut concept_iris = BTreeSet::new();
    let mut scheme_iris = BTreeSet::new();
    let mut typed_schemes = HashSet::new();
    // Only the instances of these classes: a scan of every rdf:type would decode each
    // document's IRI too (a million of them in a big index).
    for s in subjects_of_type(store, &skos_scheme)? {
        typed_schemes.insert(s.clone());
        scheme_iris.insert(s);
    }
    for class in &concept_classes {
        concept_iris.extend(subjects_of_type(store, class)?);
    }
    let in_scheme = links(store, "inScheme")?;
    let top_concept_of = links(store, "topConceptOf")?;
    let has_top_concept = links(store, "hasTopConcept")?;
    let broader = links(store, "broader")?;
    let narrower = links(store, "narrower")?;
    let related = links(store, "related")?;
    for (c, s) in in_scheme.iter().chain(&top_concept_of) {
        concept_iris.insert(c.clone());
        scheme_iris.insert(s.clone());
    }
    for (s, c) in &has_top_concept {
        scheme_iris.insert(s.clone());
        concept_iris.insert(c.clone());
    }
    for (a, b) in broader.iter().chain(&narrower) {
        concept_iris.insert(a.clone());
        concept_iris.insert(b.clone());
    }
    for s in &scheme_iris {
        concept_iris.remove(s);
    }
    let mut t = Taxonomy {
        generation,
        ..Taxonomy::default()
    };
    for iri in concept_iris {
        t.by_iri.insert(iri.clone(), t.concepts.len());
        t.concepts.push(Concept {
            iri,
            ..Concept::default()
        });
    }
    for iri in scheme_iris {
        t.scheme_by_iri.insert(iri.clone(), t.schemes.len());
        t.schemes.push(Scheme {
            typed: typed_schemes.contains(&iri),
            iri,
            ..Scheme::default()
        });
    }
    let concept_ids = |t: &Taxonomy, a: &str, b: &str| Some((t.concept(a)?, t.concept(b)?));
    for (a, b) in &broader {
        if let Some((a, b)) = concept_ids(&t, a, b) {
            push_unique(&mut t.concepts[a].broader, b);
            push_unique(&mut t.concepts[b].narrower, a);
        }
    }
    for (a, b) in &narrower {
        if let Some((a, b)) = concept_ids(&t, a, b) {
            push_unique(&mut t.concepts[a].narrower, b);
            push_unique(&mut t.concepts[b].broader, a);
        }
    }
    for (a, b) in &related {
        if let Some((a, b)) = concept_ids(&t, a, b) {
            push_unique(&mut t.concepts[a].related, b);
            push_unique(&mut t.concepts[b].related, a);
        }
    }
    for (c, s) in &in_scheme {
        if let (Some(c), Some(s)) = (t.concept(c), t.scheme(s)) {
            push_unique(&mut t.concepts[c].schemes, s);
            push_unique(&mut t.schemes[s].members, c);
        }
    }
    let mut declared_top: HashMap<usize, Vec<usize>> = HashMap::new();
    for (c, s) in &top_concept_of {
        if let (Some(c), Some(s)) = (t.concept(c), t.scheme(s)) {
            push_unique(declared_top.entry(s).or_default(), c);
        }
    }
    for (s, c) in &has_top_concept {
        if let (Some(c), Some(s)) = (t.concept(c), t.scheme(s)) {
            push_unique(declared_top.entry(s).or_default(), c);
        }
    }
    labels(store, &mut t)?;
    for (s, o) in pairs(store, OWL, "deprecated")? {
        if let (Some(c), Some((_, v))) = (t.concept(&s), literal(&o)) {
            t.concepts[c].deprecated = v == "true" || v == "1";
        }
    }
    for (s, o) in pairs(store, DCTERMS, "isReplacedBy")? {
        if let (Some(c), Some(o)) = (t.concept(&s), term_iri(&o)) {
            t.concepts[c].replaced_by.push(o);
        }
    }
    // Top concepts: declared, else the members with no broader concept in the scheme.
    for s in 0..t.schemes.len() {
        let mut top = declared_top.remove(&s).unwrap_or_default();
        if top.is_empty() {
            top = t.schemes[s]
                .members
                .iter()
                .copied()
                .filter(|&c| {
                    !t.concepts[c]
                        .broader
                        .iter()
                        .any(|b| t.concepts[*b].schemes.contains(&s))
                })
                .collect();
        }
        top.sort_by(|a, b| sort_key(&t.concepts[*a]).cmp(&sort_key(&t.concepts[*b])));
        t.schemes[s].top = top;
    }
    let keys: Vec<String> = t.concepts.iter().map(sort_key).collect();
    for c in &mut t.concepts {
        c.narrower.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        c.broader.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        c.related.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
    }
    t.hierarchy = hierarchy_fingerprint(&t);
    t.store = Some(store.clone());
    Ok(t)
}

/// Which documents are filed under which concept (`dcterms:subject`), in any graph.
pub(super) fn documents(store: &Store, t: &Taxonomy) -> Result<Documents, StoreError> {
    let mut by_concept: Vec<Vec<DocumentId>> = vec![Vec::new(); t.concepts.len()];
    let mut document_ids: HashMap<String, DocumentId> = HashMap::new();
    for (doc, o) in pairs(store, DCTERMS, "subject")? {
        if let Some(c) = term_iri(&o).and_then(|o| t.concept(&o)) {
            let next = DocumentId::try_from(document_ids.len()).unwrap_or(DocumentId::MAX);
            let id = *document_ids.entry(doc).or_insert(next);
            by_concept[c].push(id);
        }
    }
    for docs in &mut by_concept {
        docs.sort_unstable();
        docs.dedup();
    }
    let mut iris = vec![String::new(); document_ids.len()];
    for (iri, id) in document_ids {
        if let Some(slot) = iris.get_mut(id as usize) {
            *slot = iri;
        }
    }
    Ok(Documents { iris, by_concept })
}

/// A fingerprint of the concepts (IRIs, in id order) and their broader links: equal
/// fingerprints mean equal [`super::ConceptId`]s and an equal hierarchy, so what was
/// derived from them (the search facets' rolled-up concepts) can be kept across writes
/// that touch only documents.
fn hierarchy_fingerprint(t: &Taxonomy) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for c in &t.concepts {
        c.iri.hash(&mut h);
        c.broader.hash(&mut h);
    }
    h.finish()
}

fn sort_key(c: &Concept) -> String {
    c.display_labels()
        .best(&["en".to_owned()])
        .map_or_else(|| c.iri.to_lowercase(), |(_, v)| v.to_lowercase())
}

fn push_unique(list: &mut Vec<usize>, x: usize) {
    if !list.contains(&x) {
        list.push(x);
    }
}

/// Which label set of a concept a predicate fills.
type LabelField = fn(&mut Concept) -> &mut LabelSet;

fn labels(store: &Store, t: &mut Taxonomy) -> Result<(), StoreError> {
    let kinds: [(&str, &str, LabelField); 4] = [
        (SKOS, "prefLabel", |c| &mut c.pref),
        (SKOS, "altLabel", |c| &mut c.alt),
        (SKOS, "hiddenLabel", |c| &mut c.hidden),
        (RDFS, "label", |c| &mut c.rdfs),
    ];
    for (ns, local, field) in kinds {
        for (s, o) in pairs(store, ns, local)? {
            if let Some((lang, value)) = literal(&o) {
                if let Some(c) = t.concept(&s) {
                    field(&mut t.concepts[c]).push(lang, value);
                }
                if let Some(sc) = t.scheme(&s) {
                    if local != "altLabel" && local != "hiddenLabel" {
                        t.schemes[sc].labels.push(lang, value);
                    }
                }
            }
        }
    }
    // Titles of the schemes only (documents have titles too, a million of them).
    let title = format!("{DCTERMS}title");
    for sc in 0..t.schemes.len() {
        let iri = t.schemes[sc].iri.clone();
        let Ok(subject) = oxigraph::model::NamedNodeRef::new(&iri) else {
            continue;
        };
        let quads = store.quads_for_pattern(
            Some(subject.into()),
            Some(NamedNodeRef::new_unchecked(&title)),
            None,
            None,
        );
        for quad in quads {
            if let Some((lang, value)) = literal(&quad?.object) {
                t.schemes[sc].labels.push(lang, value);
            }
        }
    }
    Ok(())
}
