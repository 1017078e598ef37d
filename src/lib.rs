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
pub mod limits;
pub mod model;
pub mod normalize;
pub mod profile;
pub mod read;
pub mod time;
pub mod write;

pub use limits::{LimitError, Limits};
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
    /// How much of anything one document may hold.
    pub limits: Limits,
}

impl ReadOptions {
    /// Forces the input format.
    pub fn with_from(mut self, format: Format) -> Self {
        self.from = Some(format);
        self
    }

    /// Uses these limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
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
    let limits = &options.limits;
    let size = bytes.len() as u64;
    limits.check_u64(limits::Limit::InputBytes, size)?;
    let format = match options.from {
        Some(f) => f,
        None => read::detect(bytes, name)?,
    };
    if read::is_text_format(format) {
        limits.check_u64(limits::Limit::TextInputBytes, size)?;
    }
    let source = model::Source {
        path: name.to_string(),
        sha256: sha256_hex(bytes),
        size,
        format,
    };
    if format == Format::Json {
        return read::json::read(bytes, limits);
    }
    let raw = read::read_raw(bytes, format, limits)?;
    read::check_raw(&raw, limits)?;
    let mut doc = normalize::normalize(raw, source)?;
    read::check_header_depth(&doc, limits)?;
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

/// Reads a table file. Only regular files are read (a FIFO, a device or a
/// folder is refused before anything is read from it), and no more bytes
/// than the limits allow are read.
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<Document, Error> {
    let name = path.to_string_lossy().into_owned();
    let bytes = read_input_file(path, &options.limits).map_err(|e| match e {
        InputFileError::Io(source) => Error::Io {
            path: name.clone(),
            source,
        },
        InputFileError::Read(source) => Error::Read {
            path: name.clone(),
            source,
        },
    })?;
    read_bytes(&bytes, &name, options).map_err(|source| Error::Read { path: name, source })
}

/// Why [`read_input_file`] refused.
#[derive(Debug)]
pub(crate) enum InputFileError {
    /// The file system said no.
    Io(std::io::Error),
    /// Not a regular file, or over a limit.
    Read(ReadError),
}

/// The bytes of an input file: refuses anything but a regular file before
/// opening it (a FIFO would block, a device never end), and a file over the
/// size limit for what its name says it is (text formats have the lower
/// limit) before reading it; reads at most the limit even when the file
/// grows meanwhile.
pub(crate) fn read_input_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, InputFileError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(InputFileError::Io)?;
    if !meta.is_file() {
        return Err(InputFileError::Read(ReadError::NotRegularFile(
            file_kind(&meta).to_string(),
        )));
    }
    let text_named = read::has_text_extension(&path.to_string_lossy());
    let (limit, max) = if text_named {
        (limits::Limit::TextInputBytes, limits.text_input_bytes)
    } else {
        (limits::Limit::InputBytes, limits.input_bytes)
    };
    limits
        .check_u64(limit, meta.len())
        .map_err(|e| InputFileError::Read(e.into()))?;
    let file = std::fs::File::open(path).map_err(InputFileError::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(InputFileError::Io)?;
    limits
        .check_u64(limit, bytes.len() as u64)
        .map_err(|e| InputFileError::Read(e.into()))?;
    Ok(bytes)
}

/// What a file that is not a regular file is, for messages.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// Most bytes of the output's name kept in its temporary file's name: with
/// the dot, process id, counter and ".tmp" it stays under the 255 bytes a
/// file name may have.
const MAX_TEMP_STEM_BYTES: usize = 200;

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
    // File names stop at 255 bytes: a long (legal) name keeps only its
    // first bytes in the temporary name, so the suffix never makes it fail.
    let mut cut = name.len().min(MAX_TEMP_STEM_BYTES);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let tmp = dir.join(format!(".{}.{}-{n}.tmp", &name[..cut], std::process::id()));
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
    /// Check findings (sums, totals, indicators, empty tables).
    pub findings: Vec<model::Warning>,
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
    let findings = check::check(&doc);
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
