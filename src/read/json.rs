//! gongkai's own JSON model, read back (for example to render an archived
//! model again). A different schema version fails loudly.

use super::ReadError;
use crate::model::{Document, READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION};

/// Reads a model JSON file.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ReadError::at(format!("line {}", e.line()), format!("not JSON: {e}")))?;
    match value.get("schema").and_then(serde_json::Value::as_u64) {
        Some(v) if READABLE_SCHEMA_VERSIONS.iter().any(|&r| u64::from(r) == v) => {}
        Some(v) => {
            return Err(ReadError::Other(format!(
                "model schema version {v}, but this gongkai reads version {SCHEMA_VERSION}"
            )));
        }
        None => {
            return Err(ReadError::Other(
                "JSON without a \"schema\" version: not a gongkai model".into(),
            ));
        }
    }
    let mut doc: Document = serde_json::from_value(value)
        .map_err(|e| ReadError::Other(format!("not a gongkai model: {e}")))?;
    doc.check_blocks()
        .map_err(|e| ReadError::Other(format!("not a consistent gongkai model: {e}")))?;
    doc.schema = SCHEMA_VERSION;
    Ok(doc)
}
