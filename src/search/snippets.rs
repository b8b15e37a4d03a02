//! Snippets: the best passage of a hit around the query terms, with character offsets.

use super::error::SearchError;
use super::schema::lang_group;
use super::SearchIndex;
use std::collections::HashMap;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument};

/// Snippet generators per field, created on first use.
pub(super) struct Snippets<'a> {
    index: &'a SearchIndex,
    searcher: &'a Searcher,
    query: &'a dyn Query,
    generators: HashMap<Field, Option<SnippetGenerator>>,
}

impl<'a> Snippets<'a> {
    pub(super) fn new(
        index: &'a SearchIndex,
        searcher: &'a Searcher,
        query: &'a dyn Query,
    ) -> Self {
        Self {
            index,
            searcher,
            query,
            generators: HashMap::new(),
        }
    }

    /// The best passage of `doc`: from its text or notes if the terms are there, else
    /// from its label; with character offsets of the highlighted terms.
    pub(super) fn best(
        &mut self,
        doc: &TantivyDocument,
        lang: &str,
    ) -> Result<(String, Vec<[usize; 2]>), SearchError> {
        let group = lang_group(lang);
        let mut fields: Vec<Field> = Vec::new();
        for (g, f) in &self.index.fields().langs {
            if *g == group {
                fields.insert(0, f.body);
                fields.push(f.pref);
            } else {
                fields.push(f.body);
            }
        }
        let mut fallback = None;
        for field in fields {
            if doc.get_first(field).is_none() {
                continue;
            }
            let generator = match self.generators.entry(field) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    let mut g = SnippetGenerator::create(self.searcher, self.query, field).ok();
                    if let Some(g) = &mut g {
                        g.set_max_num_chars(240);
                    }
                    v.insert(g)
                }
            };
            let Some(generator) = generator else { continue };
            let snippet = generator.snippet_from_doc(doc);
            let fragment = snippet.fragment();
            if fragment.is_empty() {
                continue;
            }
            let highlights: Vec<[usize; 2]> = snippet
                .highlighted()
                .iter()
                .map(|r| {
                    [
                        fragment[..r.start].chars().count(),
                        fragment[..r.end].chars().count(),
                    ]
                })
                .collect();
            if !highlights.is_empty() {
                return Ok((fragment.to_owned(), highlights));
            }
            fallback.get_or_insert_with(|| (fragment.to_owned(), Vec::new()));
        }
        Ok(fallback.unwrap_or_default())
    }
}
