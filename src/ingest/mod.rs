//! Reading RDF files for `load` and `validate`: every format Oxigraph parses, gzip too,
//! with errors that name the file, the line and the column.
//!
//! Files are parsed completely before anything is written, so that a syntax error at the
//! end of a big file writes nothing: the caller hands the quads to the one write path in
//! one transaction.

mod error;
mod format;
mod read;

pub use error::IngestError;
pub use format::{detect_format, parse_format_name};
pub use read::{open_source, parser_for, progress_bar, read_files, syntax_error, ReadOptions};
