//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) through calamine.

use super::{RawDocument, ReadError};
use crate::model::Format;

/// Reads a workbook.
pub fn read(_bytes: &[u8], format: Format) -> Result<RawDocument, ReadError> {
    Err(ReadError::NotYetSupported(format))
}
