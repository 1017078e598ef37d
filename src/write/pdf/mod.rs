//! The PDF public version: our own table layout on printpdf.

use super::{OutputFormat, RenderOptions, Rendered, WriteError};
use crate::model::Document;

/// Whether this build writes PDF.
pub const SUPPORTED: bool = false;

/// Renders the document as PDF.
pub fn write(_doc: &Document, _options: &RenderOptions) -> Result<Rendered, WriteError> {
    Err(WriteError::NotYetSupported(OutputFormat::Pdf))
}
