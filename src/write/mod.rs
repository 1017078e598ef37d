//! Writers: each takes a [`Document`] and returns bytes; the caller decides
//! where they go. Writers know nothing of input formats.

pub(crate) mod docx;
pub(crate) mod fit;
pub(crate) mod markdown;
pub(crate) mod pdf;

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
}

impl OutputFormat {
    /// Every output format, in the order they are written.
    pub const ALL: [OutputFormat; 4] = [
        OutputFormat::Pdf,
        OutputFormat::Docx,
        OutputFormat::Markdown,
        OutputFormat::Json,
    ];

    /// File extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Markdown => "md",
            OutputFormat::Json => "json",
            OutputFormat::Pdf => "pdf",
            OutputFormat::Docx => "docx",
        }
    }

    /// Whether this build can write the format.
    pub fn is_supported(self) -> bool {
        match self {
            OutputFormat::Markdown | OutputFormat::Json => true,
            OutputFormat::Pdf => pdf::SUPPORTED,
            OutputFormat::Docx => docx::SUPPORTED,
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
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
            other => Err(format!(
                "unknown output format '{other}' (expected pdf, docx, md or json)"
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
    /// Anything else the writer reports.
    #[error("{0}")]
    Other(String),
}

/// Options for the writers.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Page, fonts and typography.
    pub profile: Profile,
    /// The time the outputs carry (creation/modification dates), as Unix
    /// seconds: taken from the input, never from the clock, so the same
    /// input gives the same bytes.
    pub created: i64,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            profile: Profile::default(),
            created: crate::time::FALLBACK_EPOCH,
        }
    }
}

impl RenderOptions {
    /// Uses this profile.
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Dates the outputs at `unix_seconds`.
    pub fn with_created(mut self, unix_seconds: i64) -> Self {
        self.created = unix_seconds;
        self
    }

    /// Dates the outputs from an input file: `SOURCE_DATE_EPOCH` when set,
    /// else the file's modification time, else the fallback epoch.
    pub fn dated_from(self, input: &std::path::Path) -> Self {
        let secs = crate::time::source_date_epoch().or_else(|| {
            let modified = std::fs::metadata(input).ok()?.modified().ok()?;
            let d = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
            i64::try_from(d.as_secs()).ok()
        });
        self.with_created(secs.unwrap_or(crate::time::FALLBACK_EPOCH))
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
    match format {
        OutputFormat::Markdown => Ok(markdown::write(doc).into()),
        OutputFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(doc)
                .map_err(|e| WriteError::Other(format!("cannot serialise the model: {e}")))?;
            bytes.push(b'\n');
            Ok(bytes.into())
        }
        OutputFormat::Pdf => pdf::write(doc, options),
        OutputFormat::Docx => docx::write(doc, options),
    }
}
