//! View models: plain data the templates show.

use serde::Serialize;

/// A link to a resource, with what a list or tree shows beside it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Link {
    /// Where it goes (relative).
    pub href: String,
    /// Its label (escaped by the template).
    pub label: String,
    /// The label's language, if any.
    pub lang: Option<String>,
    /// Whether the resource is deprecated.
    pub deprecated: bool,
    /// A document count, where one is shown.
    pub count: Option<usize>,
    /// For a document listed under a broader concept: the concept it is filed under.
    pub via: Option<String>,
    /// Children, in trees.
    pub children: Vec<Link>,
    /// Whether a tree node starts open.
    pub open: bool,
}

/// A link to another representation of the page.
#[derive(Clone, Debug, Serialize)]
pub struct Alternate {
    /// Its media type.
    pub media: &'static str,
    /// Its short name (Turtle, JSON-LD…).
    pub name: &'static str,
    /// Where it is (relative).
    pub href: String,
}

/// What every page has.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PageFrame {
    /// The relative path from the page to the site root (`""`, `"../../"`).
    pub root: String,
    /// The deployment's base IRI (shown in the footer).
    pub base: String,
    /// The page title.
    pub title: String,
    /// The language labels are shown in.
    pub lang: String,
    /// Its name, as shown.
    pub lang_name: String,
    /// The other languages the page's labels exist in.
    pub languages: Vec<String>,
    /// The other representations.
    pub alternates: Vec<Alternate>,
    /// The schema.org JSON-LD island, already escaped for a `<script>` element.
    pub jsonld: Option<String>,
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` become
/// `\u003c`, `\u003e`, `\u0026` (still the same JSON string), so no label can close the
/// element or open another.
pub fn escape_json_for_script(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
