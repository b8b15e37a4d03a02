//! `validate`: SHACL against `shapes/`, for files or for the stopped store.

use super::{open_offline, GlobalArgs};
use crate::ingest::{self, parse_format_name, ReadOptions};
use crate::iri::BaseIri;
use crate::shacl::Shapes;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// `validate`'s options.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// RDF files to validate together (their union is one data graph). Without files,
    /// the public data of the store is validated.
    pub files: Vec<PathBuf>,
    /// The format of every file (default: from the extensions).
    #[arg(long)]
    pub format: Option<String>,
}

/// Runs `validate`.
pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let shapes = Shapes::embedded()?;
    let quads = if args.files.is_empty() {
        let kg = open_offline(global, "validate")?;
        kg.public_store().iter().collect::<Result<Vec<_>, _>>()?
    } else {
        // Relative IRIs: --base-iri, else the store's recorded base, else the default.
        let base = match &global.base_iri {
            Some(b) => b.clone(),
            None => match crate::store::read_meta(&global.data)? {
                Some(meta) => BaseIri::parse(&meta.base_iri)?,
                None => BaseIri::default_offline(),
            },
        };
        ingest::read_files(
            &args.files,
            &ReadOptions {
                format: args.format.as_deref().map(parse_format_name).transpose()?,
                graph: None,
                base: Some(base.to_string()),
                progress: false,
            },
        )?
    };
    let report = shapes.validate(quads.iter())?;
    for finding in &report.findings {
        println!("{finding}");
    }
    if report.conforms() {
        println!(
            "conforms: {} statement(s), {} finding(s)",
            quads.len(),
            report.findings.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("does not conform: {} violation(s)", report.violations());
        Ok(ExitCode::from(1))
    }
}
