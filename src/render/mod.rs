//! HTML rendering: the templates of `templates/` (minijinja, embedded in the binary, with
//! HTML auto-escaping of every value), and the view models handlers fill them with.
//! Nothing here reads the store.

mod views;

pub use views::{escape_json_for_script, Alternate, Link, PageFrame};

use minijinja::Environment;

/// The template names and sources.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("concept.html", include_str!("../../templates/concept.html")),
    ("scheme.html", include_str!("../../templates/scheme.html")),
    (
        "document.html",
        include_str!("../../templates/document.html"),
    ),
    (
        "organisation.html",
        include_str!("../../templates/organisation.html"),
    ),
    (
        "resource.html",
        include_str!("../../templates/resource.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("schemes.html", include_str!("../../templates/schemes.html")),
    ("landing.html", include_str!("../../templates/landing.html")),
    (
        "notfound.html",
        include_str!("../../templates/notfound.html"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
];

/// The site's stylesheet.
pub const STYLE_CSS: &str = include_str!("../../static/style.css");

/// The template environment.
#[derive(Debug)]
pub struct Renderer {
    env: Environment<'static>,
}

/// A template failed to load or render (a defect of ours).
#[derive(Debug, thiserror::Error)]
#[error("template {name}: {message}")]
pub struct RenderError {
    name: String,
    message: String,
}

impl Renderer {
    /// Loads the embedded templates.
    pub fn new() -> Result<Self, RenderError> {
        let mut env = Environment::new();
        // `.html` templates escape every value for HTML (minijinja's default for them);
        // our formatter escapes the five characters that matter (& < > " ') and leaves
        // `/` alone, so relative links stay readable.
        env.set_formatter(|out, state, value| {
            if state.auto_escape() == minijinja::AutoEscape::Html
                && !value.is_safe()
                && !value.is_none()
                && !value.is_undefined()
            {
                let text = value.to_string();
                let mut escaped = String::with_capacity(text.len());
                for ch in text.chars() {
                    match ch {
                        '&' => escaped.push_str("&amp;"),
                        '<' => escaped.push_str("&lt;"),
                        '>' => escaped.push_str("&gt;"),
                        '"' => escaped.push_str("&quot;"),
                        '\'' => escaped.push_str("&#39;"),
                        c => escaped.push(c),
                    }
                }
                out.write_str(&escaped).map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
                })
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        for (name, source) in TEMPLATES {
            env.add_template(name, source).map_err(|e| RenderError {
                name: (*name).to_owned(),
                message: e.to_string(),
            })?;
        }
        Ok(Self { env })
    }

    /// Renders `name` with `context`.
    pub fn render(
        &self,
        name: &str,
        context: impl serde::Serialize,
    ) -> Result<String, RenderError> {
        let err = |e: minijinja::Error| RenderError {
            name: name.to_owned(),
            message: format!("{e:#}"),
        };
        self.env
            .get_template(name)
            .map_err(err)?
            .render(context)
            .map_err(err)
    }
}
