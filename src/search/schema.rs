//! The index schema: one tantivy document per concept, document or organisation, with
//! label and text fields per language analyzer, and the tokenizers behind them.
//!
//! Analyzers: English, German, Finnish and Swedish stemming (our taxonomy, STW, YSO), plus
//! a plain one for every other language; all lower-case and fold diacritics, so that
//! "Förderung" finds "forderung". A document keeps only its direct subjects' IRIs: the
//! hierarchy is applied at query time.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::Index;

/// The analyzer groups: a language tag prefix and its tokenizer name.
pub const LANGS: &[&str] = &["en", "de", "fi", "sv", "xx"];

/// The analyzer group of a language tag (`xx` for the others and for untagged text).
pub fn lang_group(tag: &str) -> &'static str {
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    LANGS
        .iter()
        .find(|l| **l == primary && **l != "xx")
        .copied()
        .unwrap_or("xx")
}

/// Text fields of one analyzer group.
#[derive(Clone, Copy, Debug)]
pub struct LangFields {
    /// Preferred labels, organisation names, document titles.
    pub pref: Field,
    /// Alternative labels.
    pub alt: Field,
    /// Hidden labels.
    pub hidden: Field,
    /// Definitions and notes; document text and attachment text.
    pub body: Field,
}

/// Every field handle.
#[derive(Clone, Debug)]
pub struct Fields {
    /// The resource IRI (the key).
    pub iri: Field,
    /// `concept`, `document` or `organisation`.
    pub kind: Field,
    /// Concept schemes of a concept.
    pub scheme: Field,
    /// Direct subjects (concept IRIs) of a document.
    pub subject: Field,
    /// Publisher IRI of a document.
    pub publisher: Field,
    /// Publisher name of a document (searchable).
    pub publisher_name: Field,
    /// Document type IRI.
    pub doc_type: Field,
    /// Publication year.
    pub year: Field,
    /// Labels to display, as JSON `{"pref": [[lang, label]], …}`.
    pub labels: Field,
    /// Every label word, for prefix suggestions.
    pub suggest: Field,
    /// Normalised whole labels, `p|…`, `a|…`, `h|…`, `n|…`, for the resolver.
    pub exact: Field,
    /// Per analyzer group.
    pub langs: Vec<(&'static str, LangFields)>,
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Builds the schema.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let iri = b.add_text_field("iri", STRING | STORED);
    let kind = b.add_text_field("kind", STRING | STORED | FAST);
    let scheme = b.add_text_field("scheme", STRING | STORED);
    let subject = b.add_text_field("subject", STRING | STORED | FAST);
    let publisher = b.add_text_field("publisher", STRING | STORED | FAST);
    let publisher_name = b.add_text_field("publisher_name", text("ck_xx", true));
    let doc_type = b.add_text_field("doc_type", STRING | STORED);
    let year = b.add_u64_field("year", INDEXED | STORED | FAST);
    let labels = b.add_text_field("labels", STORED);
    let suggest = b.add_text_field("suggest", text("ck_xx", false));
    let exact = b.add_text_field("exact", STRING);
    let langs = LANGS
        .iter()
        .map(|l| {
            let tok = format!("ck_{l}");
            (
                *l,
                LangFields {
                    pref: b.add_text_field(&format!("pref_{l}"), text(&tok, true)),
                    alt: b.add_text_field(&format!("alt_{l}"), text(&tok, true)),
                    hidden: b.add_text_field(&format!("hidden_{l}"), text(&tok, false)),
                    body: b.add_text_field(&format!("body_{l}"), text(&tok, true)),
                },
            )
        })
        .collect();
    let fields = Fields {
        iri,
        kind,
        scheme,
        subject,
        publisher,
        publisher_name,
        doc_type,
        year,
        labels,
        suggest,
        exact,
        langs,
    };
    (b.build(), fields)
}

/// Registers our tokenizers on `index`.
pub fn register_tokenizers(index: &Index) {
    let base = || {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(64))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
    };
    let manager = index.tokenizers();
    manager.register("ck_xx", base().build());
    for (name, language) in [
        ("ck_en", Language::English),
        ("ck_de", Language::German),
        ("ck_fi", Language::Finnish),
        ("ck_sv", Language::Swedish),
    ] {
        manager.register(name, base().filter(Stemmer::new(language)).build());
    }
}

/// The resolver's normal form of a label: lower case, diacritics folded, punctuation and
/// runs of white space to one space.
pub fn normalize(label: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(label);
    let mut words = Vec::new();
    while stream.advance() {
        words.push(stream.token().text.clone());
    }
    words.join(" ")
}
