//! Word documents (.docx) through docx-rs: paragraphs and tables.

use super::{RawDocument, ReadError};
use crate::model::Format;

/// Reads a Word document.
pub fn read(_bytes: &[u8]) -> Result<RawDocument, ReadError> {
    Err(ReadError::NotYetSupported(Format::Docx))
}
