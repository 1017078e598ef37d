//! gongkai (公开, "disclose") converts Chinese government budget tables —
//! raw text, CSV, Markdown, spreadsheets, Word files — into one canonical
//! model and renders public-disclosure versions of it.
//!
//! Readers and writers never talk to each other, only to the
//! [`model::Document`]:
//!
//! ```
//! use gongkai::{read_bytes, render, OutputFormat, ReadOptions, RenderOptions};
//!
//! let text = "项目支出表\n单位：万元\n项目\t金额\n合计\t1,234.50\n办公费\t1234.5\n";
//! let doc = read_bytes(text.as_bytes(), "t.txt", &ReadOptions::default()).unwrap();
//! let table = &doc.tables[0];
//! assert_eq!(table.title.as_deref(), Some("项目支出表"));
//! assert_eq!(table.rows[0].cells[1].amount().unwrap().to_string(), "1234.50");
//!
//! let md = render(&doc, OutputFormat::Markdown, &RenderOptions::default()).unwrap();
//! assert!(String::from_utf8(md.bytes).unwrap().contains("| 合计 | 1,234.50 |"));
//! ```
#![forbid(unsafe_code)]

pub mod batch;
pub mod book;
pub mod check;
pub mod disclose;
pub mod grid;
pub mod model;
pub mod normalize;
pub mod profile;
pub mod read;
pub mod time;
pub mod write;

pub use model::{Document, Format};
pub use read::ReadError;
pub use write::{OutputFormat, RenderOptions, Rendered, WriteError, render};

use sha2::{Digest, Sha256};
use std::path::Path;
use thiserror::Error;

/// Options for reading.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Read as this format whatever the content and name say.
    pub from: Option<Format>,
}

impl ReadOptions {
    /// Forces the input format.
    pub fn with_from(mut self, format: Format) -> Self {
        self.from = Some(format);
        self
    }
}

/// An error with the file it happened to.
#[derive(Debug, Error)]
pub enum Error {
    /// The file could not be read as a table.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: ReadError,
    },
    /// The file system said no.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An output could not be produced.
    #[error("{path}: {source}")]
    Write {
        /// The input the output was made from.
        path: String,
        /// Why.
        #[source]
        source: WriteError,
    },
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads a table file from memory; `name` (a file name or path) is used for
/// the extension hint and the provenance.
pub fn read_bytes(bytes: &[u8], name: &str, options: &ReadOptions) -> Result<Document, ReadError> {
    let size = bytes.len() as u64;
    if size > read::MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size,
            limit: read::MAX_INPUT_BYTES,
        });
    }
    let format = match options.from {
        Some(f) => f,
        None => read::detect(bytes, name)?,
    };
    let source = model::Source {
        path: name.to_string(),
        sha256: sha256_hex(bytes),
        size,
        format,
    };
    if format == Format::Json {
        return read::json::read(bytes);
    }
    let raw = read::read_raw(bytes, format)?;
    let mut doc = normalize::normalize(raw, source)?;
    if options.from.is_none()
        && let Some(named) = read::format_of_extension(name)
        && named != format
        && !(named.is_spreadsheet() && format.is_spreadsheet())
    {
        let ext = std::path::Path::new(name)
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        doc.warnings.insert(
            0,
            model::Warning::new(
                "format-mismatch",
                None,
                format!("the file is named .{ext} but its content is {format}; read as {format}"),
            ),
        );
    }
    Ok(doc)
}

/// Reads a table file.
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<Document, Error> {
    let name = path.to_string_lossy().into_owned();
    let io = |source| Error::Io {
        path: name.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > read::MAX_INPUT_BYTES {
        return Err(Error::Read {
            path: name,
            source: ReadError::TooLarge {
                size: meta.len(),
                limit: read::MAX_INPUT_BYTES,
            },
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    read_bytes(&bytes, &name, options).map_err(|source| Error::Read { path: name, source })
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// folder, then renamed over the target, so an interrupted run never leaves
/// a half-written file under the final name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// What converting one document produced.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The public version of the document that was rendered.
    pub doc: Document,
    /// Check findings (sums, totals, identities, indicators, empty
    /// tables …), after the profile's `[checks]`.
    pub findings: Vec<check::Finding>,
    /// What the disclosure policy masked or left out (never the values).
    pub disclosure: Vec<model::Warning>,
    /// Each output, in the order asked for.
    pub outputs: Vec<(OutputFormat, Rendered)>,
}

/// The per-document pipeline every command shares: check the numbers,
/// apply the disclosure policy of the profile, render each format.
pub fn convert(
    mut doc: Document,
    formats: &[OutputFormat],
    options: &RenderOptions,
) -> Result<Converted, (OutputFormat, WriteError)> {
    let findings = check::check_with(&doc, &options.profile.checks);
    let disclosure = disclose::apply(&mut doc, &options.profile.disclosure);
    let mut outputs = Vec::with_capacity(formats.len());
    for &format in formats {
        let rendered = render(&doc, format, options).map_err(|e| (format, e))?;
        outputs.push((format, rendered));
    }
    Ok(Converted {
        doc,
        findings,
        disclosure,
        outputs,
    })
}

/// Names for the outputs of inputs that write into one folder: each input's
/// stem, or its whole file name where two inputs share a stem (预算.xlsx and
/// 预算.docx → 预算.xlsx.pdf and 预算.docx.pdf, never one over the other).
pub fn output_stems(files: &[&Path]) -> Vec<String> {
    let stem = |f: &Path| {
        f.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into())
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in files {
        *counts.entry(stem(f)).or_default() += 1;
    }
    files
        .iter()
        .map(|f| {
            let s = stem(f);
            match f.file_name() {
                Some(name) if counts.get(&s).copied().unwrap_or(0) > 1 => {
                    name.to_string_lossy().into_owned()
                }
                _ => s,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_stems_keep_extensions_only_where_stems_meet() {
        let files = [
            Path::new("a/预算.xlsx"),
            Path::new("b/预算.docx"),
            Path::new("a/收入.txt"),
        ];
        assert_eq!(output_stems(&files), vec!["预算.xlsx", "预算.docx", "收入"]);
    }
}
