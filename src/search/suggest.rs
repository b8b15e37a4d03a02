//! Autocomplete over every label (a prefix of any word) and the label resolver.

use super::error::SearchError;
use super::schema::normalize;
use super::SearchIndex;
use crate::skos::LabelSet;
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, RegexQuery, TermQuery};
use tantivy::schema::document::Value as _;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

/// One suggestion.
#[derive(Clone, Debug, Serialize)]
pub struct Suggestion {
    /// The resource.
    pub iri: String,
    /// Its preferred label (or name), to display.
    pub label: String,
    /// The label that matched.
    pub matched: String,
    /// What matched: `pref`, `alt`, `hidden` or `name`.
    pub kind: String,
    /// Its concept scheme, if it is a concept.
    pub scheme: Option<String>,
}

/// A resolver candidate.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    /// The resource.
    pub iri: String,
    /// Its label.
    pub label: String,
    /// How the query matched it: `pref`, `alt`, `hidden`, `name` or `search`.
    pub kind: String,
    /// Its concept scheme, if any.
    pub scheme: Option<String>,
}

/// What a label resolves to.
#[derive(Clone, Debug)]
pub enum Resolution {
    /// One best match.
    Found(Candidate),
    /// Several equally good matches.
    Multiple(Vec<Candidate>),
    /// Nothing; with suggestions.
    NotFound(Vec<Suggestion>),
}

const KINDS: &[(&str, &str)] = &[("p", "pref"), ("a", "alt"), ("h", "hidden"), ("n", "name")];

struct Stored {
    iri: String,
    labels: BTreeMap<String, Vec<(String, String)>>,
    schemes: Vec<String>,
}

impl SearchIndex {
    fn stored(&self, doc: &TantivyDocument) -> Stored {
        let f = self.fields();
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        Stored {
            iri: text(f.iri),
            labels: serde_json::from_str(&text(f.labels)).unwrap_or_default(),
            schemes: doc
                .get_all(f.scheme)
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
        }
    }

    fn display(stored: &Stored, langs: &[String]) -> (String, String) {
        let mut set = LabelSet::default();
        for (l, v) in stored
            .labels
            .get("pref")
            .or_else(|| stored.labels.get("name"))
            .into_iter()
            .flatten()
        {
            set.push(l, v);
        }
        set.best(langs)
            .map(|(l, v)| (l.to_owned(), v.to_owned()))
            .unwrap_or_default()
    }

    /// Labels starting with `q` (a prefix of any word; the words before it whole).
    pub fn suggest(
        &self,
        q: &str,
        scheme: Option<&str>,
        lang: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let words: Vec<String> = normalize(q)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let Some((last, before)) = words.split_last() else {
            return Ok(Vec::new());
        };
        let f = self.fields();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = before
            .iter()
            .map(|w| {
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.suggest, w),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                )
            })
            .collect();
        let escaped: String = last.chars().filter(|c| c.is_alphanumeric()).collect();
        clauses.push((
            Occur::Must,
            Box::new(RegexQuery::from_pattern(
                &format!("{escaped}.*"),
                f.suggest,
            )?),
        ));
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, "document"),
                IndexRecordOption::Basic,
            )),
        ));
        if let Some(s) = scheme {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.scheme, s),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let searcher = self.reader().searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.clamp(1, 100) * 4).order_by_score(),
        )?;
        let langs: Vec<String> = lang
            .iter()
            .map(|l| (*l).to_owned())
            .chain(["en".to_owned()])
            .collect();
        let mut out: Vec<(usize, f32, Suggestion)> = Vec::new();
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let stored = self.stored(&doc);
            let matches = |label: &str| {
                let words: Vec<String> = normalize(label).split(' ').map(str::to_owned).collect();
                let joined = words.join(" ");
                before.iter().all(|b| words.contains(b))
                    && words.iter().any(|w| w.starts_with(last.as_str()))
                    && !joined.is_empty()
            };
            let Some((rank, kind, matched)) =
                KINDS.iter().enumerate().find_map(|(rank, (_, kind))| {
                    stored
                        .labels
                        .get(*kind)?
                        .iter()
                        .find(|(_, v)| matches(v))
                        .map(|(_, v)| (rank, *kind, v.clone()))
                })
            else {
                continue;
            };
            let (_, label) = Self::display(&stored, &langs);
            out.push((
                rank,
                score,
                Suggestion {
                    iri: stored.iri,
                    label,
                    matched,
                    kind: kind.to_owned(),
                    scheme: stored.schemes.first().cloned(),
                },
            ));
        }
        out.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.total_cmp(&a.1))
                .then(a.2.label.len().cmp(&b.2.label.len()))
        });
        out.dedup_by(|a, b| a.2.iri == b.2.iri);
        Ok(out
            .into_iter()
            .take(limit.clamp(1, 100))
            .map(|(_, _, s)| s)
            .collect())
    }

    /// Resolves a label or phrase: the best exact match of the normalised label (pref over
    /// alt over hidden, `preferred_scheme` over the others), else the best search hit.
    pub fn resolve(
        &self,
        q: &str,
        scheme: Option<&str>,
        preferred_scheme: &str,
    ) -> Result<Resolution, SearchError> {
        let normal = normalize(q);
        if normal.is_empty() {
            return Ok(Resolution::NotFound(Vec::new()));
        }
        let f = self.fields();
        let searcher = self.reader().searcher();
        let langs = vec!["en".to_owned()];
        for (code, kind) in KINDS {
            let term = Term::from_field_text(f.exact, &format!("{code}|{normal}"));
            let found = searcher.search(
                &TermQuery::new(term, IndexRecordOption::Basic),
                &TopDocs::with_limit(50).order_by_score(),
            )?;
            if found.is_empty() {
                continue;
            }
            let mut candidates = Vec::new();
            for (_, addr) in found {
                let doc: TantivyDocument = searcher.doc(addr)?;
                let stored = self.stored(&doc);
                let (_, label) = Self::display(&stored, &langs);
                candidates.push(Candidate {
                    iri: stored.iri,
                    label,
                    kind: (*kind).to_owned(),
                    scheme: stored.schemes.first().cloned(),
                });
            }
            let wanted = scheme.unwrap_or(preferred_scheme);
            let preferred: Vec<Candidate> = candidates
                .iter()
                .filter(|c| c.scheme.as_deref() == Some(wanted))
                .cloned()
                .collect();
            let mut pool = if !preferred.is_empty() {
                preferred
            } else if scheme.is_some() {
                continue;
            } else {
                candidates
            };
            return Ok(if pool.len() == 1 {
                Resolution::Found(pool.remove(0))
            } else {
                Resolution::Multiple(pool)
            });
        }
        // No exact label: the best search hit, if it is a good one.
        let query = self.parse_for_resolve(q)?;
        let top = searcher.search(&*query, &TopDocs::with_limit(1).order_by_score())?;
        if let Some((score, addr)) = top.first() {
            if *score >= RESOLVE_THRESHOLD {
                let doc: TantivyDocument = searcher.doc(*addr)?;
                let stored = self.stored(&doc);
                let (_, label) = Self::display(&stored, &langs);
                return Ok(Resolution::Found(Candidate {
                    iri: stored.iri,
                    label,
                    kind: "search".to_owned(),
                    scheme: stored.schemes.first().cloned(),
                }));
            }
        }
        Ok(Resolution::NotFound(self.suggest(q, scheme, None, 5)?))
    }

    fn parse_for_resolve(&self, q: &str) -> Result<Box<dyn Query>, SearchError> {
        let cleaned: String = q
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c.is_whitespace() {
                    c
                } else {
                    ' '
                }
            })
            .collect();
        let mut query: Box<dyn Query> = Box::new(tantivy::query::AllQuery);
        if !cleaned.trim().is_empty() {
            query = self.parse_text(&cleaned)?;
        }
        Ok(query)
    }
}

/// The score a search hit needs for the resolver to take it.
const RESOLVE_THRESHOLD: f32 = 1.0;
