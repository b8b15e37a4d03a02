//! The reader's languages: `?lang=` first, then `Accept-Language`, then English.

use crate::skos::parse_accept_language;
use axum::http::{header, HeaderMap};

/// The languages to choose labels in, best first.
pub fn reader_languages(headers: &HeaderMap, lang_param: Option<&str>) -> Vec<String> {
    let mut langs = Vec::new();
    if let Some(l) = lang_param.filter(|l| !l.is_empty() && l.len() < 36) {
        langs.push(l.to_ascii_lowercase());
    }
    if let Some(h) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        langs.extend(parse_accept_language(h));
    }
    langs.push("en".to_owned());
    langs
}

/// A language's name for display (the tag itself when unknown).
pub fn language_name(tag: &str) -> String {
    match tag {
        "en" => "English",
        "de" => "Deutsch",
        "fi" => "suomi",
        "sv" => "svenska",
        "se" => "davvisámegiella",
        "fr" => "français",
        "" => "no language",
        other => return other.to_owned(),
    }
    .to_owned()
}
