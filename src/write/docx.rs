//! The DOCX public version through docx-rs.

use super::{OutputFormat, RenderOptions, Rendered, WriteError};
use crate::model::Document;

/// Whether this build writes DOCX.
pub const SUPPORTED: bool = false;

/// Renders the document as DOCX.
pub fn write(_doc: &Document, _options: &RenderOptions) -> Result<Rendered, WriteError> {
    Err(WriteError::NotYetSupported(OutputFormat::Docx))
}
