//! Which RDF format a file is in: from `--format`, else from its name (a `.gz` suffix
//! is looked through); gzip itself is told by the file's magic bytes.

use super::error::IngestError;
use oxigraph::io::RdfFormat;
use std::path::Path;

/// Parses a `--format` value: a short name, an extension or a media type.
pub fn parse_format_name(name: &str) -> Result<RdfFormat, IngestError> {
    let lower = name.trim().to_ascii_lowercase();
    let by_name = match lower.as_str() {
        "turtle" => Some(RdfFormat::Turtle),
        "ntriples" | "n-triples" => Some(RdfFormat::NTriples),
        "nquads" | "n-quads" => Some(RdfFormat::NQuads),
        "rdfxml" | "rdf-xml" | "rdf/xml" | "xml" => Some(RdfFormat::RdfXml),
        "json-ld" | "json" => Some(RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        }),
        _ => None,
    };
    by_name
        .or_else(|| RdfFormat::from_extension(&lower))
        .or_else(|| RdfFormat::from_media_type(&lower))
        .ok_or_else(|| IngestError::BadFormatName(name.to_owned()))
}

/// The format of `path`: `explicit` if given, else from the file name.
pub fn detect_format(path: &Path, explicit: Option<RdfFormat>) -> Result<RdfFormat, IngestError> {
    if let Some(format) = explicit {
        return Ok(format);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    Path::new(name)
        .extension()
        .and_then(|e| RdfFormat::from_extension(&e.to_string_lossy()))
        .ok_or_else(|| IngestError::UnknownFormat {
            path: path.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names_and_extensions() {
        let p = |s: &str| detect_format(Path::new(s), None).ok();
        assert_eq!(p("a.ttl"), Some(RdfFormat::Turtle));
        assert_eq!(p("a.ttl.gz"), Some(RdfFormat::Turtle));
        assert_eq!(p("a.NT"), Some(RdfFormat::NTriples));
        assert_eq!(p("a.nq"), Some(RdfFormat::NQuads));
        assert_eq!(p("a.trig"), Some(RdfFormat::TriG));
        assert_eq!(p("a.rdf"), Some(RdfFormat::RdfXml));
        assert!(matches!(p("a.jsonld"), Some(RdfFormat::JsonLd { .. })));
        assert_eq!(p("a.png"), None);
        assert_eq!(p("README"), None);
        assert_eq!(parse_format_name("turtle").ok(), Some(RdfFormat::Turtle));
        assert_eq!(parse_format_name("nt").ok(), Some(RdfFormat::NTriples));
        assert_eq!(
            parse_format_name("text/turtle").ok(),
            Some(RdfFormat::Turtle)
        );
        assert!(parse_format_name("png").is_err());
    }
}
