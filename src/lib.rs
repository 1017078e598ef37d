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
//!
//! A file is read by path ([`read_path`] opens only regular files, no
//! bigger than the [`Limits`] allow); [`convert`] then runs the pipeline a
//! public version goes through — the disclosure policy of the
//! [`Profile`], the checks ([`check()`]), the writers — and returns the bytes of each
//! output without writing them anywhere:
//!
//! ```
//! use gongkai::check::Severity;
//! use gongkai::{OutputFormat, ReadOptions, RenderOptions, convert, read_path};
//!
//! let path = std::path::Path::new("tests/fixtures/corpus/seed/budget.xlsx");
//! let doc = read_path(path, &ReadOptions::default()).unwrap();
//! assert_eq!(doc.tables[0].title.as_deref(), Some("项目支出绩效目标表（含转移支付项目）"));
//!
//! let formats = [OutputFormat::Markdown, OutputFormat::Json];
//! let done = convert(doc, &formats, &RenderOptions::default()).unwrap();
//! let md = String::from_utf8(done.outputs[0].1.bytes.clone()).unwrap();
//! assert!(md.contains("| 合计 | 3,593.00 | 3,593.00 |"));
//!
//! // The source mixes up two indicator levels: a warning, not an error.
//! let rules: Vec<&str> = done.findings.iter().map(|f| f.rule.as_str()).collect();
//! assert!(rules.contains(&"indicator.level"), "{rules:?}");
//! assert!(done.findings.iter().all(|f| f.severity != Severity::Error));
//! ```
//!
//! The PDF, PDF/A, OFD and DOCX writers set text with the faces of the
//! [`FontStore`] the [`RenderOptions`] carry, parsed once per store;
//! nothing is kept per process. Clones of one `RenderOptions` share its
//! store, so render many documents with clones (or
//! [`RenderOptions::with_fonts`]) to parse the fonts once.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

mod amount;
pub mod batch;
pub mod book;
pub mod check;
mod classify;
pub mod disclose;
pub mod error;
mod grid;
mod inputs;
pub mod limits;
pub mod model;
mod normalize;
pub mod panics;
pub mod pipeline;
mod plausible;
pub mod profile;
mod read;
pub mod time;
mod write;

pub use amount::{format_amount, format_percent};
pub use check::check;
pub use error::Location;
pub use limits::{LimitError, Limits};
pub use model::{Document, Format};
pub use profile::Profile;
pub use read::ReadError;
pub use write::{
    FontError, FontStore, OutputFormat, RenderOptions, Rendered, WriteError, render, render_book,
    writes_book,
};

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
    /// Keep text the source hides (Word's hidden runs, `w:vanish`) as part
    /// of the cells and paragraphs; by default it is left out, with a
    /// warning saying where. Spreadsheets mark their hidden rows, columns
    /// and sheets either way (see [`disclose`]).
    pub keep_hidden: bool,
}

impl ReadOptions {
    /// Keeps hidden text (for archive copies).
    pub fn with_keep_hidden(mut self, keep: bool) -> Self {
        self.keep_hidden = keep;
        self
    }

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
    /// One format of a conversion could not be produced.
    #[error("{path}: {source}")]
    Convert {
        /// The input the outputs are made from.
        path: String,
        /// Which format, and why.
        #[source]
        source: ConvertError,
    },
}

impl Error {
    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            Error::Read { path, .. }
            | Error::Io { path, .. }
            | Error::Write { path, .. }
            | Error::Convert { path, .. } => path,
        }
    }

    /// Where in the file, when the reader knew.
    pub fn location(&self) -> Option<&error::Location> {
        match self {
            Error::Read { source, .. } => source.location(),
            _ => None,
        }
    }
}

/// [`convert`] could not render one of the formats asked for.
#[derive(Debug, Error)]
#[error("{format}: {source}")]
pub struct ConvertError {
    /// The format.
    pub format: OutputFormat,
    /// Why.
    #[source]
    pub source: WriteError,
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads a table file from memory; `name` (a file name or path) is used for
/// the extension hint and the provenance.
pub fn read_bytes(bytes: &[u8], name: &str, options: &ReadOptions) -> Result<Document, ReadError> {
    read_bytes_hashed(bytes, name, options, None, None)
}

/// [`read_bytes`] for a batch: `sha256`, when given, is the
/// [`sha256_hex`] of `bytes` (batch hashes every input to tell an
/// unchanged one, so they are not hashed twice); `shared` keeps parsed
/// parts for the files read after this one.
pub(crate) fn read_bytes_hashed(
    bytes: &[u8],
    name: &str,
    options: &ReadOptions,
    sha256: Option<String>,
    shared: Option<&read::docx::SharedStyles>,
) -> Result<Document, ReadError> {
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
        sha256: sha256.unwrap_or_else(|| sha256_hex(bytes)),
        size,
        format,
    };
    if format == Format::Json {
        let doc = read::json::read(bytes, limits)?;
        plausible::check(&doc, None)?;
        return Ok(doc);
    }
    let raw = read::read_raw(bytes, format, limits, options.keep_hidden, shared)?;
    read::check_raw(&raw, limits)?;
    let mut doc = normalize::normalize(raw, source)?;
    read::check_header_depth(&doc, limits)?;
    let text = match format {
        Format::Text | Format::Csv => read::text::decode(bytes).ok().map(|(t, _)| t),
        _ => None,
    };
    plausible::check(&doc, text.as_deref())?;
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
    let name = path_text(path);
    let bytes = read_input_file(path, &options.limits).map_err(|e| e.at(name.clone()))?;
    read_bytes(&bytes, &name, options).map_err(|source| Error::Read { path: name, source })
}

/// Why [`read_input_file`] refused.
#[derive(Debug, Error)]
pub(crate) enum InputFileError {
    /// The file system said no.
    #[error(transparent)]
    Io(std::io::Error),
    /// Not a regular file, or over a limit.
    #[error(transparent)]
    Read(ReadError),
}

impl InputFileError {
    /// The error with the file's name.
    pub(crate) fn at(self, path: String) -> Error {
        match self {
            InputFileError::Io(source) => Error::Io { path, source },
            InputFileError::Read(source) => Error::Read { path, source },
        }
    }
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

/// The temporary file of [`write_atomic`]'s `attempt` at `path`, in `dir`:
/// a short name whatever the target's length (a legal 250-byte name must
/// not fail for a suffix): `.gk-` and 16 hex digits of a hash of the
/// target's name, the process and the attempt, then `.tmp`.
fn temporary_path(dir: &Path, path: &Path, attempt: u32) -> std::path::PathBuf {
    let mut h = Sha256::new();
    h.update(path.file_name().map_or(&[][..], os_bytes));
    h.update(std::process::id().to_le_bytes());
    h.update(attempt.to_le_bytes());
    dir.join(format!(".gk-{}.tmp", &hex::encode(h.finalize())[..16]))
}

/// Temporary names [`write_atomic`] tries for one target before it gives
/// up: each is taken only by a write of the same target (from this or
/// another thread) still running, or left by one that was killed.
const TEMPORARY_NAMES: u32 = 64;

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// folder, flushed to the disk, then renamed over the target, so an
/// interrupted run never leaves a half-written file under the final name.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_renamed(path, bytes, true)
}

/// [`write_atomic`] without flushing the temporary file before the rename:
/// for a batch, which makes all its outputs durable at once with
/// [`sync_folders`] before it writes the manifest that records them.
pub(crate) fn write_atomic_deferred(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_renamed(path, bytes, false)
}

/// Flushes what was written into `folders` to the disk: one `syncfs` per
/// folder on Linux (a batch's outputs in one call, rather than an fsync
/// per file, which took 40 % of a Word batch's time); elsewhere an fsync
/// of every file in `files` and of each folder.
pub(crate) fn sync_folders(
    folders: &[&Path],
    files: &[&Path],
) -> Result<(), (std::path::PathBuf, std::io::Error)> {
    #[cfg(target_os = "linux")]
    {
        let _ = files;
        for dir in folders {
            std::fs::File::open(dir)
                .and_then(|d| rustix::fs::syncfs(&d).map_err(std::io::Error::from))
                .map_err(|e| (dir.to_path_buf(), e))?;
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        for f in files {
            std::fs::File::open(f)
                .and_then(|h| h.sync_all())
                .map_err(|e| (f.to_path_buf(), e))?;
        }
        // A folder cannot be opened as a file everywhere (Windows); its
        // entries are then the file system's to keep.
        for dir in folders {
            if let Ok(d) = std::fs::File::open(dir) {
                d.sync_all().map_err(|e| (dir.to_path_buf(), e))?;
            }
        }
    }
    Ok(())
}

fn write_renamed(path: &Path, bytes: &[u8], flush: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // Created only if no file has the name, so two writes of the same
    // target at once take two names.
    let mut attempt = 0u32;
    let (tmp, mut f) = loop {
        let tmp = temporary_path(dir, path, attempt);
        match std::fs::File::create_new(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e)
                if e.kind() == std::io::ErrorKind::AlreadyExists
                    && attempt + 1 < TEMPORARY_NAMES =>
            {
                attempt += 1
            }
            Err(e) => return Err(e),
        }
    };
    let result = f
        .write_all(bytes)
        .and_then(|()| if flush { f.sync_all() } else { Ok(()) })
        .and_then(|()| {
            drop(f);
            std::fs::rename(&tmp, path)
        });
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
    /// tables …) on what is published, after the profile's `[checks]`.
    pub findings: Vec<check::Finding>,
    /// What the disclosure policy masked or left out, and where hidden rows
    /// were kept out of a total (never the values).
    pub disclosure: Vec<model::Warning>,
    /// Each output, in the order asked for.
    pub outputs: Vec<(OutputFormat, Rendered)>,
}

/// The per-document pipeline as a library call, without writing: apply
/// the disclosure policy of the profile (hidden content, internal columns,
/// personal data), check the numbers of what is published, render each
/// format. [`pipeline::publish`] also writes, and fails on `--strict`
/// before rendering.
pub fn convert(
    doc: Document,
    formats: &[OutputFormat],
    options: &RenderOptions,
) -> Result<Converted, ConvertError> {
    let checked = pipeline::prepare(doc, &options.profile);
    let outputs = checked.render(formats, options)?;
    Ok(Converted {
        doc: checked.item,
        findings: checked.findings,
        disclosure: checked.disclosure,
        outputs,
    })
}

/// Reads a table file from standard input, at most the input size limit
/// (a stream has no size to check first); named `stdin` in provenance and
/// messages, its format found from the content (or `from`).
pub fn read_stdin(options: &ReadOptions) -> Result<Document, Error> {
    let most = options.limits.input_bytes;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::io::stdin(), most.saturating_add(1)),
        &mut bytes,
    )
    .map_err(|source| Error::Io {
        path: "stdin".into(),
        source,
    })?;
    options
        .limits
        .check_u64(limits::Limit::InputBytes, bytes.len() as u64)
        .map_err(|e| Error::Read {
            path: "stdin".into(),
            source: e.into(),
        })?;
    read_bytes(&bytes, "stdin", options).map_err(|source| Error::Read {
        path: "stdin".into(),
        source,
    })
}

/// The bytes of a name (on Unix, exactly the file system's bytes).
#[cfg(unix)]
fn os_bytes(s: &std::ffi::OsStr) -> &[u8] {
    std::os::unix::ffi::OsStrExt::as_bytes(s)
}

/// The bytes of a name (off Unix, its WTF-8 form).
#[cfg(not(unix))]
fn os_bytes(s: &std::ffi::OsStr) -> &[u8] {
    s.as_encoded_bytes()
}

/// A path as text that names it losslessly, for manifests, provenance and
/// messages: UTF-8 as it is, except that on Unix a backslash is written
/// `\\` and each byte that is not part of valid UTF-8 is written `\xHH`
/// (`a\xff.txt`). [`path_from_text`] turns it back into the path.
pub fn path_text(p: &Path) -> String {
    #[cfg(unix)]
    {
        let mut out = String::new();
        for chunk in os_bytes(p.as_os_str()).utf8_chunks() {
            for c in chunk.valid().chars() {
                if c == '\\' {
                    out.push_str("\\\\");
                } else {
                    out.push(c);
                }
            }
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        p.to_string_lossy().into_owned()
    }
}

/// The path [`path_text`] wrote; `None` when `text` is not such a form.
pub fn path_from_text(text: &str) -> Option<std::path::PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        let mut bytes = Vec::with_capacity(text.len());
        let mut rest = text.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            if b != b'\\' {
                bytes.push(b);
                rest = tail;
                continue;
            }
            match tail {
                [b'\\', t @ ..] => {
                    bytes.push(b'\\');
                    rest = t;
                }
                [b'x', h, l, t @ ..] => {
                    let hex = std::str::from_utf8(&[*h, *l]).ok()?.to_string();
                    bytes.push(u8::from_str_radix(&hex, 16).ok()?);
                    rest = t;
                }
                _ => return None,
            }
        }
        Some(std::ffi::OsString::from_vec(bytes).into())
    }
    #[cfg(not(unix))]
    {
        Some(text.into())
    }
}

/// The key two output names meet under: their bytes, lower-cased (ASCII
/// always, all of Unicode where they are UTF-8), since file systems that
/// ignore case (macOS, Windows) would put both in one file.
fn fold_key(name: &std::ffi::OsStr) -> Vec<u8> {
    match name.to_str() {
        Some(s) => s.to_lowercase().into_bytes(),
        None => os_bytes(name).to_ascii_lowercase(),
    }
}

/// Names for the outputs of inputs that write into one folder, one per
/// input and never two alike (not even when the file system ignores
/// case): each input's stem; its whole file name where two inputs share a
/// stem (预算.xlsx and 预算.docx → 预算.xlsx.pdf and 预算.docx.pdf); and
/// where even those meet (x/预算.xlsx and y/预算.xlsx), the file name with
/// `~` and 8 hex digits of the SHA-256 of the input's path. Names keep
/// their bytes: a name that is not UTF-8 stays as it is.
pub fn output_stems(files: &[&Path]) -> Vec<std::ffi::OsString> {
    use std::collections::HashMap;
    use std::ffi::OsString;
    let stem = |f: &Path| {
        f.file_stem()
            .map_or_else(|| OsString::from("output"), OsString::from)
    };
    let count = |names: &[OsString]| {
        let mut counts: HashMap<Vec<u8>, usize> = HashMap::new();
        for n in names {
            *counts.entry(fold_key(n)).or_default() += 1;
        }
        counts
    };
    let stems: Vec<OsString> = files.iter().map(|f| stem(f)).collect();
    let counts = count(&stems);
    let names: Vec<OsString> = files
        .iter()
        .zip(stems)
        .map(|(f, s)| match f.file_name() {
            Some(name) if counts.get(&fold_key(&s)).copied().unwrap_or(0) > 1 => name.into(),
            _ => s,
        })
        .collect();
    let counts = count(&names);
    files
        .iter()
        .zip(names)
        .map(|(f, n)| {
            if counts.get(&fold_key(&n)).copied().unwrap_or(0) > 1 {
                let mut n = n;
                let hash = sha256_hex(os_bytes(f.as_os_str()));
                n.push(format!("~{}", &hash[..8]));
                n
            } else {
                n
            }
        })
        .collect()
}

/// The file name of an output: the stem from [`output_stems`], a point and
/// the format's extension.
pub fn output_file_name(stem: &std::ffi::OsStr, format: OutputFormat) -> std::ffi::OsString {
    let mut name = stem.to_os_string();
    name.push(".");
    name.push(format.extension());
    name
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

    #[test]
    fn output_stems_never_meet() {
        let files = [
            Path::new("x/预算.xlsx"),
            Path::new("y/预算.xlsx"),
            Path::new("y/Budget.txt"),
            Path::new("z/budget.TXT"),
        ];
        let stems = output_stems(&files);
        let keys: std::collections::BTreeSet<Vec<u8>> = stems.iter().map(|s| fold_key(s)).collect();
        assert_eq!(keys.len(), 4, "{stems:?}");
        assert!(
            stems[0].to_string_lossy().starts_with("预算.xlsx~"),
            "{stems:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn path_text_is_lossless() {
        use std::os::unix::ffi::OsStrExt;
        let names: [&[u8]; 6] = [
            br"a\xff.txt",
            br"a\\b",
            b"a\xff.txt",
            b"a\xfe.txt",
            "预算\\".as_bytes(),
            b"\xe9\xa2",
        ];
        for bytes in names {
            let p = Path::new(std::ffi::OsStr::from_bytes(bytes));
            let text = path_text(p);
            assert_eq!(path_from_text(&text).as_deref(), Some(p), "{text}");
        }
        let p = |b: &[u8]| path_text(Path::new(std::ffi::OsStr::from_bytes(b)));
        assert_eq!(p(b"a\xff.txt"), r"a\xff.txt");
        assert_eq!(p(br"a\xff.txt"), r"a\\xff.txt");
        assert_eq!(path_from_text(r"a\q"), None);
    }

    #[test]
    fn writes_of_one_target_at_once_each_take_a_temporary_file_of_their_own() {
        let dir = std::env::temp_dir().join(format!("gongkai-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("预算.pdf");
        // A killed write's leftover holds the first name: passed over, kept.
        let stale = temporary_path(&dir, &target, 0);
        std::fs::write(&stale, b"stale").unwrap();
        write_atomic(&target, b"first").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        assert_eq!(std::fs::read(&stale).unwrap(), b"stale");
        std::fs::remove_file(&stale).unwrap();
        // Four threads writing the same file at once: every write lands
        // whole, the last one stays, no temporary file is left.
        let contents: Vec<Vec<u8>> = (0..4u8).map(|t| vec![b'a' + t; 4096]).collect();
        std::thread::scope(|s| {
            for c in &contents {
                let target = &target;
                s.spawn(move || {
                    for _ in 0..50 {
                        write_atomic(target, c).unwrap();
                    }
                });
            }
        });
        assert!(contents.contains(&std::fs::read(&target).unwrap()));
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, [std::ffi::OsString::from("预算.pdf")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_deferred_write_lands_whole_and_a_folder_that_cannot_be_flushed_is_named() {
        let dir = std::env::temp_dir().join(format!("gongkai-deferred-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("预算.docx");
        write_atomic_deferred(&target, b"first").unwrap();
        write_atomic_deferred(&target, b"second").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        sync_folders(&[&dir], &[&target]).unwrap();
        // A folder gone before the flush is an error that names it (on
        // Linux, where the folder is what is flushed).
        let gone = dir.join("gone");
        if cfg!(target_os = "linux") {
            let (path, _) = sync_folders(&[&gone], &[]).unwrap_err();
            assert_eq!(path, gone);
        }
        let (path, _) = sync_folders(&[&dir, &gone], &[&gone.join("x.pdf")]).unwrap_err();
        assert!(path.starts_with(&gone), "{}", path.display());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
