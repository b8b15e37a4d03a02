//! SHACL validation against the shapes in `shapes/`, with rudof's `shacl_validation`
//! engine (a real SHACL Core engine; we never hand-roll a subset).
//!
//! The shapes are embedded in the binary. Data is validated together with the project's
//! ontology, so that `sh:class ck:DocumentType` sees the document types. Validation only
//! reports: loading third-party vocabularies never depends on it.

use oxigraph::model::{Quad, TermRef};
use rudof_rdf::rdf_core::RDFFormat;
use rudof_rdf::rdf_impl::InMemoryGraph;
use shacl_ir::compiled::schema_ir::SchemaIR;
use shacl_validation::shacl_processor::{GraphValidation, ShaclProcessor, ShaclValidationMode};
use shacl_validation::store::{Graph, ShaclDataManager};
use std::fmt;

/// The shape files, embedded.
pub const SHAPE_FILES: &[(&str, &str)] = &[
    ("shapes/scheme.ttl", include_str!("../../shapes/scheme.ttl")),
    (
        "shapes/concept.ttl",
        include_str!("../../shapes/concept.ttl"),
    ),
    (
        "shapes/document.ttl",
        include_str!("../../shapes/document.ttl"),
    ),
    (
        "shapes/organisation.ttl",
        include_str!("../../shapes/organisation.ttl"),
    ),
    (
        "shapes/attachment.ttl",
        include_str!("../../shapes/attachment.ttl"),
    ),
];

/// A SHACL failure: the shapes did not compile, or the engine failed.
#[derive(Debug, thiserror::Error)]
#[error("SHACL: {0}")]
pub struct ShaclError(String);

/// One result of a validation report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The focus node (IRI, `_:id` or literal).
    pub focus: String,
    /// The property path, as a SPARQL-like path of IRIs, if the result has one.
    pub path: Option<String>,
    /// The offending value, if any.
    pub value: Option<String>,
    /// The constraint component IRI.
    pub component: String,
    /// `Violation`, `Warning`, `Info`, …
    pub severity: String,
    /// The shape's message, if it has one.
    pub message: Option<String>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: <{}>", self.severity, self.focus)?;
        if let Some(path) = &self.path {
            write!(f, " {path}")?;
        }
        if let Some(value) = &self.value {
            write!(f, " = {value}")?;
        }
        write!(f, " ({})", self.component)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

/// A validation report.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every result, in the engine's order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether there is no violation (warnings and infos do not count).
    pub fn conforms(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == "Violation")
    }

    /// The number of violations.
    pub fn violations(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == "Violation")
            .count()
    }
}

/// The compiled shapes.
pub struct Shapes {
    schema: SchemaIR,
}

impl Shapes {
    /// Compiles the embedded shapes.
    pub fn embedded() -> Result<Self, ShaclError> {
        let turtle: String = SHAPE_FILES.iter().map(|(_, t)| format!("{t}\n")).collect();
        let schema = ShaclDataManager::load(
            &mut std::io::Cursor::new(turtle),
            "shapes",
            RDFFormat::Turtle,
            None,
        )
        .map_err(|e| ShaclError(e.to_string()))?;
        Ok(Self { schema })
    }

    /// Validates the union of `quads`' graphs (plus the project's ontology).
    pub fn validate<'a>(
        &self,
        quads: impl IntoIterator<Item = &'a Quad>,
    ) -> Result<Report, ShaclError> {
        let mut graph = InMemoryGraph::new();
        let ontology = ontology_quads()?;
        let mut add = |q: &Quad| -> Result<(), ShaclError> {
            if matches!(
                q.object.as_ref(),
                TermRef::Literal(_) | TermRef::NamedNode(_) | TermRef::BlankNode(_)
            ) {
                graph
                    .add_triple_ref(q.subject.as_ref(), q.predicate.as_ref(), q.object.as_ref())
                    .map_err(|e| ShaclError(e.to_string()))?;
            }
            Ok(())
        };
        for q in quads {
            add(q)?;
        }
        for q in &ontology {
            add(q)?;
        }
        let data = Graph::from_graph(graph).map_err(|e| ShaclError(e.to_string()))?;
        let report = GraphValidation::from_graph(data, ShaclValidationMode::Native)
            .validate(&self.schema)
            .map_err(|e| ShaclError(e.to_string()))?;
        let findings = report
            .results()
            .iter()
            .map(|r| Finding {
                focus: unbracket(r.focus_node().to_string()),
                path: r.path().map(|p| unbracket(p.to_string())),
                value: r.value().map(|v| unbracket(v.to_string())),
                component: unbracket(r.component().to_string()),
                severity: severity_name(&format!("{:?}", r.severity())),
                message: r.message().map(str::to_owned),
            })
            .collect();
        Ok(Report { findings })
    }
}

fn ontology_quads() -> Result<Vec<Quad>, ShaclError> {
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(include_str!("../../ontology/chariot.ttl").as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ShaclError(e.to_string()))
}

fn unbracket(s: String) -> String {
    match s.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
        Some(inner) => inner.to_owned(),
        None => s,
    }
}

fn severity_name(debug: &str) -> String {
    debug.split('(').next().unwrap_or(debug).to_owned()
}
