//! gongkai's own JSON model, read back (for example to render an archived
//! model again). A different schema version fails loudly, and the model is
//! validated before anything uses it: non-empty header paths within
//! [`Limits::header_depth`], column, row, table and cell counts within the
//! limits, rows no wider than the columns, spans inside the table. Each
//! error names the JSON path of what is wrong (`tables[0].columns[1].path`).

use super::ReadError;
use crate::error::Location;
use crate::limits::{Limit, Limits};
use crate::model::{Document, READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION, Value};

/// Reads a model JSON file.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|source| {
        let at = Location::new()
            .line(u32::try_from(source.line()).unwrap_or(u32::MAX))
            .column(u32::try_from(source.column()).unwrap_or(u32::MAX));
        ReadError::Json {
            at,
            what: "not JSON",
            source,
        }
    })?;
    match value.get("schema").and_then(serde_json::Value::as_u64) {
        Some(v) if READABLE_SCHEMA_VERSIONS.iter().any(|&r| u64::from(r) == v) => {}
        Some(v) => {
            return Err(ReadError::SchemaVersion {
                found: v,
                reads: SCHEMA_VERSION,
            });
        }
        None => return Err(ReadError::NoSchema),
    }
    // The path of what serde could not take (`tables[0].rows[1].kind`).
    let mut doc: Document = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let at = match path.as_str() {
            "." | "" => Location::new(),
            _ => Location::new().field(path),
        };
        ReadError::Json {
            at,
            what: "not a gongkai model",
            source: e.into_inner(),
        }
    })?;
    validate(&doc, limits)?;
    doc.check_blocks().map_err(ReadError::InconsistentModel)?;
    doc.schema = SCHEMA_VERSION;
    Ok(doc)
}

/// Checks what the writers and checks rely on and serde cannot express.
fn validate(doc: &Document, limits: &Limits) -> Result<(), ReadError> {
    let limit = |at: String, limit: Limit, found: usize| {
        limits
            .check(limit, found)
            .map_err(|e| ReadError::limit_at(Location::new().field(at), e))
    };
    limit("tables".into(), Limit::Tables, doc.tables.len())?;
    let mut cells = 0usize;
    for (t, table) in doc.tables.iter().enumerate() {
        let ncols = table.columns.len();
        let nrows = table.rows.len();
        limit(format!("tables[{t}].columns"), Limit::Columns, ncols)?;
        limit(format!("tables[{t}].rows"), Limit::Rows, nrows)?;
        for (c, col) in table.columns.iter().enumerate() {
            let at = format!("tables[{t}].columns[{c}].path");
            if col.path.is_empty() {
                return Err(ReadError::at(
                    Location::new().field(at),
                    "a column's header path is empty; it holds at least the column's name",
                ));
            }
            limit(at.clone(), Limit::HeaderDepth, col.path.len())?;
            for (i, label) in col.path.iter().enumerate() {
                limit(
                    format!("{at}[{i}]"),
                    Limit::CellChars,
                    label.chars().count(),
                )?;
            }
        }
        for (r, row) in table.rows.iter().enumerate() {
            let at = format!("tables[{t}].rows[{r}].cells");
            if row.cells.len() > ncols {
                return Err(ReadError::at(
                    Location::new().field(at),
                    format!(
                        "the row has {} cells but the table {ncols} columns",
                        row.cells.len()
                    ),
                ));
            }
            cells = cells.saturating_add(row.cells.len());
            limit(at.clone(), Limit::Cells, cells)?;
            for (c, cell) in row.cells.iter().enumerate() {
                let at = format!("{at}[{c}]");
                if let Value::Text(s) = &cell.value
                    && s.len() > limits.cell_chars
                {
                    limit(at.clone(), Limit::CellChars, s.chars().count())?;
                }
                let rows = cell.row_span.get() as usize;
                let cols = cell.col_span.get() as usize;
                if rows > nrows - r {
                    return Err(ReadError::at(
                        Location::new().field(format!("{at}.row_span")),
                        format!(
                            "a row span of {rows} reaches past the table's last row ({} row(s) from here)",
                            nrows - r
                        ),
                    ));
                }
                if cols > ncols - c {
                    return Err(ReadError::at(
                        Location::new().field(format!("{at}.col_span")),
                        format!(
                            "a column span of {cols} reaches past the table's last column ({} column(s) from here)",
                            ncols - c
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}
