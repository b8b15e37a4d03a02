//! Ranked search with filters and facets.
//!
//! Title and label matches are boosted over text matches. A query that matches concept
//! labels is widened to the documents filed under those concepts or below them (the
//! hierarchy comes from the taxonomy view at query time). Concept facets roll up: a
//! document under a narrower concept counts once for each broader concept, even through
//! two parents.

use super::error::SearchError;
use super::schema::{lang_group, LANGS};
use super::SearchIndex;
use crate::skos::{LabelSet, Taxonomy};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, Query, QueryParser, TermQuery, TermSetQuery,
};
use tantivy::schema::document::Value as _;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// A search request (`/api/search` parameters).
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    /// The query text (tantivy syntax: words, "phrases", prefix*, field:value).
    pub q: String,
    /// `concept`, `document` or `organisation`.
    pub kind: Option<String>,
    /// Only what is filed under this concept or below it.
    pub concept: Option<String>,
    /// Only documents of this publisher.
    pub publisher: Option<String>,
    /// Only documents of this year.
    pub year: Option<u64>,
    /// Only concepts of this scheme (and documents filed under them).
    pub scheme: Option<String>,
    /// The language of labels shown and of the analyzer.
    pub lang: Option<String>,
    /// Hits per page.
    pub limit: usize,
    /// Hits skipped.
    pub offset: usize,
}

/// One hit.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// The resource.
    pub iri: String,
    /// `concept`, `document` or `organisation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its label to display (a preferred label, never a hidden one).
    pub label: String,
    /// The label's language.
    pub lang: String,
    /// The relevance score.
    pub score: f32,
    /// A plain-text passage around the query terms.
    pub snippet: String,
    /// Character offsets `[start, end)` of the query terms in the snippet.
    pub highlights: Vec<[usize; 2]>,
}

/// A concept facet value, with its narrower values.
#[derive(Clone, Debug, Serialize)]
pub struct ConceptFacet {
    /// The concept.
    pub iri: String,
    /// Its label.
    pub label: String,
    /// Matching documents filed under it or below it.
    pub count: usize,
    /// Narrower concepts with matches.
    pub children: Vec<ConceptFacet>,
}

/// A value and its count.
#[derive(Clone, Debug, Serialize)]
pub struct ValueCount {
    /// The value.
    pub value: String,
    /// How many hits have it.
    pub count: usize,
}

/// A publisher facet value.
#[derive(Clone, Debug, Serialize)]
pub struct PublisherFacet {
    /// The publisher.
    pub iri: String,
    /// Its name.
    pub label: String,
    /// Matching documents.
    pub count: usize,
}

/// The facets of a result.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Facets {
    /// By concept, rolled up the hierarchy.
    pub concept: Vec<ConceptFacet>,
    /// By kind.
    #[serde(rename = "type")]
    pub kind: Vec<ValueCount>,
    /// By publisher.
    pub publisher: Vec<PublisherFacet>,
    /// By year.
    pub year: Vec<ValueCount>,
}

/// A result page.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// All hits.
    pub total: usize,
    /// Hits skipped.
    pub offset: usize,
    /// Hits asked for.
    pub limit: usize,
    /// This page of hits.
    pub hits: Vec<Hit>,
    /// Facets over all hits.
    pub facets: Facets,
}

pub(super) fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Splits `bord*`-style prefix words (a plain word ending with `*`) out of the query.
fn split_prefixes(q: &str) -> (String, Vec<String>) {
    let mut rest = Vec::new();
    let mut prefixes = Vec::new();
    for w in q.split_whitespace() {
        match w.strip_suffix('*') {
            Some(stem) if !stem.is_empty() && stem.chars().all(char::is_alphanumeric) => {
                prefixes.push(super::schema::normalize(stem))
            }
            _ => rest.push(w),
        }
    }
    (rest.join(" "), prefixes)
}

impl SearchIndex {
    fn text_fields(&self, lang: Option<&str>) -> Vec<(Field, f32)> {
        let groups: Vec<&str> = match lang {
            Some(l) => {
                let g = lang_group(l);
                if g == "xx" {
                    vec!["xx"]
                } else {
                    vec![g, "xx"]
                }
            }
            None => LANGS.to_vec(),
        };
        let mut out = vec![(self.fields().publisher_name, 1.0)];
        for (g, f) in &self.fields().langs {
            if groups.contains(g) {
                out.extend([(f.pref, 4.0), (f.alt, 2.0), (f.hidden, 1.0), (f.body, 1.0)]);
            }
        }
        // Fields no segment has a term in (languages the data does not use) match
        // nothing, but each still cost a term lookup per segment and a scorer.
        let indexed = self.indexed_fields();
        if out.iter().any(|(f, _)| indexed.contains(f)) {
            out.retain(|(f, _)| indexed.contains(f));
        }
        out
    }

    /// Parses the query text.
    fn parse(&self, q: &str, lang: Option<&str>) -> Result<Box<dyn Query>, SearchError> {
        if q.trim().is_empty() {
            return Ok(Box::new(AllQuery));
        }
        let fields = self.text_fields(lang);
        let mut parser =
            QueryParser::for_index(self.index(), fields.iter().map(|(f, _)| *f).collect());
        for (f, boost) in &fields {
            parser.set_field_boost(*f, *boost);
        }
        parser.set_conjunction_by_default();
        let (text, prefixes) = split_prefixes(q);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !text.trim().is_empty() {
            clauses.push((
                Occur::Must,
                parser
                    .parse_query(&text)
                    .map_err(|e| SearchError::BadQuery(e.to_string()))?,
            ));
        }
        for prefix in prefixes {
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (field, boost) in &fields {
                let regex =
                    tantivy::query::RegexQuery::from_pattern(&format!("{prefix}.*"), *field)?;
                any.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(regex), *boost)),
                ));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Parses plain query text over every language (for the resolver).
    pub(crate) fn parse_text(&self, q: &str) -> Result<Box<dyn Query>, SearchError> {
        self.parse(q, None)
    }

    /// Builds what searches need per index segment (the facet columns), ahead of them.
    pub fn warm(&self, tax: &Taxonomy) -> Result<(), SearchError> {
        self.facet_columns
            .for_searcher(&self.reader().searcher(), tax)
            .map(drop)
    }

    /// Runs a search.
    pub fn search(
        &self,
        tax: &Taxonomy,
        req: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let f = self.fields();
        let searcher = self.reader().searcher();
        let columns = self.facet_columns.for_searcher(&searcher, tax)?;
        let text = self.parse(&req.q, req.lang.as_deref())?;
        // Concepts whose labels match widen the query to what is filed under them.
        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, text.box_clone())];
        if !req.q.trim().is_empty() {
            let concept_only = BooleanQuery::new(vec![
                (Occur::Must, text.box_clone()),
                (Occur::Must, term_query(f.kind, "concept")),
            ]);
            let matched =
                searcher.search(&concept_only, &TopDocs::with_limit(20).order_by_score())?;
            let mut below = HashSet::new();
            for (_, addr) in matched {
                if let Some(c) = self.iri_of(&searcher, addr)?.and_then(|i| tax.concept(&i)) {
                    below.extend(tax.descendants(c));
                }
            }
            if !below.is_empty() {
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(columns.filed_under(below)), 0.5)),
                ));
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        if let Some(kind) = &req.kind {
            if !["concept", "document", "organisation"].contains(&kind.as_str()) {
                return Err(SearchError::BadParameter(format!(
                    "type={kind}: use concept, document or organisation"
                )));
            }
            clauses.push((Occur::Must, term_query(f.kind, kind)));
        }
        if let Some(concept) = &req.concept {
            let c = tax.concept(concept).ok_or_else(|| {
                SearchError::BadParameter(format!("concept=<{concept}> is not a known concept"))
            })?;
            let below = tax.descendants(c);
            let itself = TermSetQuery::new(
                below
                    .iter()
                    .map(|&d| Term::from_field_text(f.iri, &tax.concepts[d].iri)),
            );
            let subject = columns.filed_under(below);
            clauses.push((
                Occur::Must,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, Box::new(subject)),
                    (Occur::Should, Box::new(itself)),
                ])),
            ));
        }
        if let Some(p) = &req.publisher {
            clauses.push((Occur::Must, term_query(f.publisher, p)));
        }
        if let Some(y) = req.year {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.year, y),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some(s) = &req.scheme {
            let members = tax
                .scheme(s)
                .map(|sid| tax.schemes[sid].members.clone())
                .unwrap_or_default();
            clauses.push((
                Occur::Must,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, term_query(f.scheme, s)),
                    (Occur::Should, Box::new(columns.filed_under(members))),
                ])),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let limit = req.limit.clamp(1, 1000);
        // One pass over the matches: the page, the total, and the facet counts.
        let facet_counter = columns.collector();
        let (top, total, counted) = searcher.search(
            &query,
            &(
                TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by_score(),
                Count,
                facet_counter,
            ),
        )?;
        let langs: Vec<String> = req.lang.iter().cloned().chain(["en".to_owned()]).collect();
        let mut snippets = super::snippets::Snippets::new(self, &searcher, &*text);
        let mut hits = Vec::new();
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            };
            let labels: BTreeMap<String, Vec<(String, String)>> =
                serde_json::from_str(&get(f.labels)).unwrap_or_default();
            let mut set = LabelSet::default();
            for (lang, value) in labels
                .get("pref")
                .or_else(|| labels.get("name"))
                .into_iter()
                .flatten()
            {
                set.push(lang, value);
            }
            let (lang, label) = set
                .best(&langs)
                .map(|(l, v)| (l.to_owned(), v.to_owned()))
                .unwrap_or_default();
            let (snippet, highlights) = snippets.best(&doc, &lang)?;
            hits.push(Hit {
                iri: get(f.iri),
                kind: get(f.kind),
                label,
                lang,
                score,
                snippet,
                highlights,
            });
        }
        let facets = self.facets(tax, counted, &langs)?;
        Ok(SearchResults {
            query: req.q.clone(),
            total,
            offset: req.offset,
            limit,
            hits,
            facets,
        })
    }

    fn iri_of(&self, searcher: &Searcher, addr: DocAddress) -> Result<Option<String>, SearchError> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        Ok(doc
            .get_first(self.fields().iri)
            .and_then(|v| v.as_str().map(str::to_owned)))
    }
}
