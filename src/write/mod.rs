//! Writers: each takes a [`Document`] and returns bytes; the caller decides
//! where they go. Writers know nothing of input formats.

pub(crate) mod docx;
pub(crate) mod fit;
pub(crate) mod markdown;
pub(crate) mod ofd;
pub(crate) mod pdf;

pub use pdf::fonts::{FontError, FontStore};

use crate::book::Book;
use crate::model::{Document, Warning};
use crate::profile::Profile;
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutputFormat {
    /// GFM Markdown.
    Markdown,
    /// The model as JSON.
    Json,
    /// PDF public version.
    Pdf,
    /// DOCX public version.
    Docx,
    /// PDF/A-2u (ISO 19005-2), the PDF public version made for archives.
    PdfA,
    /// OFD (GB/T 33190-2016), the national fixed-layout format, from the
    /// same layout as the PDF.
    Ofd,
}

impl OutputFormat {
    /// The formats written when none is named, in the order they are
    /// written; the archival ones ([`OutputFormat::ARCHIVAL`]) only when
    /// asked for.
    pub const ALL: [OutputFormat; 4] = [
        OutputFormat::Pdf,
        OutputFormat::Docx,
        OutputFormat::Markdown,
        OutputFormat::Json,
    ];

    /// The archival formats.
    pub const ARCHIVAL: [OutputFormat; 2] = [OutputFormat::PdfA, OutputFormat::Ofd];

    /// The format's name, as `--to` takes it and the manifest records it.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Markdown => "md",
            OutputFormat::Json => "json",
            OutputFormat::Pdf => "pdf",
            OutputFormat::Docx => "docx",
            OutputFormat::PdfA => "pdfa",
            OutputFormat::Ofd => "ofd",
        }
    }

    /// File extension of the format: the name, but `pdfa.pdf` for PDF/A,
    /// so it sits beside the PDF and still opens as one.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::PdfA => "pdfa.pdf",
            other => other.name(),
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(OutputFormat::Markdown),
            "json" => Ok(OutputFormat::Json),
            "pdf" => Ok(OutputFormat::Pdf),
            "docx" => Ok(OutputFormat::Docx),
            "pdfa" | "pdf/a" | "pdf/a-2u" => Ok(OutputFormat::PdfA),
            "ofd" => Ok(OutputFormat::Ofd),
            other => Err(format!(
                "unknown output format '{other}' (expected pdf, pdfa, ofd, docx, md or json)"
            )),
        }
    }
}

/// Why a document could not be written.
#[derive(Debug, Error)]
pub enum WriteError {
    /// A format a later version of gongkai writes.
    #[error("{0} output is not supported yet")]
    NotYetSupported(OutputFormat),
    /// The model could not be serialised as JSON.
    #[error("cannot serialise the model: {0}")]
    Json(#[source] serde_json::Error),
    /// An output over [`crate::Limits::output_bytes`].
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
    /// A table whose PDF pages are over a page limit.
    #[error("{table}: {source}")]
    Pages {
        /// The table, as layout names it.
        table: String,
        /// The limit.
        #[source]
        source: crate::limits::LimitError,
    },
    /// Something layout cannot do at all (header rows taller than a page).
    #[error("{}{message}", table.as_deref().map(|t| format!("{t}: ")).unwrap_or_default())]
    Layout {
        /// The table, as layout names it.
        table: Option<String>,
        /// What.
        message: String,
    },
    /// A font the profile names could not be loaded.
    #[error(transparent)]
    Font(#[from] pdf::fonts::FontError),
    /// A table whose columns cannot be fitted to the page.
    #[error("table {table}: {message}")]
    Fit {
        /// The table, from 1.
        table: usize,
        /// Why.
        message: String,
    },
    /// The PDF file could not be assembled.
    #[error("{0}")]
    Pdf(String),
    /// The OFD package could not be assembled.
    #[error("{0}")]
    Ofd(String),
    /// The DOCX package could not be zipped.
    #[error("cannot pack the docx: {0}")]
    DocxZip(#[source] zip::result::ZipError),
}

/// Options for the writers.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Page, fonts and typography.
    pub profile: Profile,
    /// The time the outputs carry (creation/modification dates), as Unix
    /// seconds: by the date rule of [`crate::time`], never from the clock
    /// or a file's modification time, so the same input gives the same
    /// bytes.
    pub created: i64,
    /// The faces the PDF, PDF/A, OFD and DOCX writers set and measure text
    /// with, each parsed once per store, and the font subsets made of them.
    /// Clones of these options share it; [`RenderOptions::default`] makes
    /// a new one. Render many documents with one store to parse the faces
    /// once; the bytes are the same with any store.
    pub fonts: FontStore,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            profile: Profile::default(),
            created: crate::time::FALLBACK_EPOCH,
            fonts: FontStore::new(),
        }
    }
}

impl RenderOptions {
    /// Uses this profile.
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Sets text with the faces of `fonts` (a store shared with other
    /// renders).
    pub fn with_fonts(mut self, fonts: FontStore) -> Self {
        self.fonts = fonts;
        self
    }

    /// Dates the outputs at `unix_seconds`.
    pub fn with_created(mut self, unix_seconds: i64) -> Self {
        self.created = unix_seconds;
        self
    }

    /// Dates the outputs by the date rule ([`crate::time`]):
    /// `SOURCE_DATE_EPOCH`, else the date the document states (a cover
    /// sheet's date, the budget year), else the fallback epoch — never a
    /// file's modification time.
    pub fn dated_for(self, doc: &Document) -> Self {
        self.with_created(crate::time::document_epoch(doc))
    }
}

/// A rendered output: its bytes and what the writer noticed (characters no
/// font has, cells that had to be clipped …).
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Writer warnings, naming the table and cell.
    pub warnings: Vec<Warning>,
}

impl From<Vec<u8>> for Rendered {
    fn from(bytes: Vec<u8>) -> Self {
        Rendered {
            bytes,
            warnings: Vec::new(),
        }
    }
}

/// Renders `doc` in `format`.
pub fn render(
    doc: &Document,
    format: OutputFormat,
    options: &RenderOptions,
) -> Result<Rendered, WriteError> {
    let rendered = match format {
        OutputFormat::Markdown => markdown::write(doc).into(),
        OutputFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(doc).map_err(WriteError::Json)?;
            bytes.push(b'\n');
            bytes.into()
        }
        OutputFormat::Pdf => pdf::write(doc, options)?,
        OutputFormat::PdfA => pdf::write_pdfa(doc, options)?,
        OutputFormat::Ofd => ofd::write(doc, options)?,
        OutputFormat::Docx => docx::write(doc, options)?,
    };
    within_output_limit(rendered, options)
}

/// `rendered`, if it is within [`crate::Limits::output_bytes`].
fn within_output_limit(
    rendered: Rendered,
    options: &RenderOptions,
) -> Result<Rendered, WriteError> {
    options
        .profile
        .limits
        .check_u64(
            crate::limits::Limit::OutputBytes,
            rendered.bytes.len() as u64,
        )
        .map_err(WriteError::Limit)?;
    Ok(rendered)
}

/// Whether this build writes a book in `format` (every format but JSON:
/// a book has no model of its own to dump).
pub fn writes_book(format: OutputFormat) -> bool {
    matches!(
        format,
        OutputFormat::Markdown
            | OutputFormat::Pdf
            | OutputFormat::PdfA
            | OutputFormat::Ofd
            | OutputFormat::Docx
    )
}

/// Renders a department's book in `format`: the one dispatch of the three
/// book writers (PDF and its PDF/A and OFD forms, DOCX, Markdown).
pub fn render_book(
    book: &Book,
    format: OutputFormat,
    options: &RenderOptions,
) -> Result<Rendered, WriteError> {
    let rendered = match format {
        OutputFormat::Markdown => markdown::book::write(book).into(),
        OutputFormat::Docx => docx::book::write(book, options)?,
        OutputFormat::Pdf => pdf::book::write(book, options)?,
        OutputFormat::PdfA => pdf::book::write_pdfa(book, options)?,
        OutputFormat::Ofd => ofd::write_book(book, options)?,
        other => return Err(WriteError::NotYetSupported(other)),
    };
    within_output_limit(rendered, options)
}
