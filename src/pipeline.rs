//! The one pipeline `convert`, `book` and `batch` share, after reading:
//! disclose (what the profile's policy leaves out or masks) → check (what
//! is published) → `--strict` (before anything is rendered) → render each
//! format → write each output atomically.
//!
//! A [`Publication`] is what goes through it: a [`Document`] or a
//! [`crate::book::Book`]. The caller reads (a file, standard input, a
//! folder), builds the [`RenderOptions`] and prints what comes back; every
//! step in between is here, in one place.

use crate::check::{Config, Finding, Severity};
use crate::model::{Document, Warning};
use crate::profile::{Disclosure, Profile};
use crate::write::{OutputFormat, RenderOptions, Rendered, WriteError};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What the pipeline publishes: a document or a book.
pub trait Publication {
    /// Applies the disclosure policy; says what it masked or left out, and
    /// where hidden rows were kept out of a total (never the values).
    fn disclose(&mut self, policy: &Disclosure) -> Vec<Warning>;
    /// Findings on what is published, after the profile's `[checks]`.
    fn check(&self, config: &Config) -> Vec<Finding>;
    /// Places still holding a template's text (`--strict` fails on them);
    /// `None` for what has no template.
    fn unfilled(&self) -> Option<usize> {
        None
    }
    /// One output.
    fn render(&self, format: OutputFormat, options: &RenderOptions)
    -> Result<Rendered, WriteError>;
}

impl Publication for Document {
    fn disclose(&mut self, policy: &Disclosure) -> Vec<Warning> {
        let notices = crate::check::hidden_notices(self);
        let mut disclosure = crate::disclose::apply(self, policy);
        disclosure.extend(notices);
        disclosure
    }

    fn check(&self, config: &Config) -> Vec<Finding> {
        crate::check::check_with(self, config)
    }

    fn render(
        &self,
        format: OutputFormat,
        options: &RenderOptions,
    ) -> Result<Rendered, WriteError> {
        crate::write::render(self, format, options)
    }
}

impl Publication for crate::book::Book {
    fn disclose(&mut self, policy: &Disclosure) -> Vec<Warning> {
        crate::book::Book::disclose(self, policy)
    }

    fn check(&self, config: &Config) -> Vec<Finding> {
        crate::book::check_with(self, config)
    }

    fn unfilled(&self) -> Option<usize> {
        Some(
            self.warnings
                .iter()
                .filter(|w| w.code == crate::book::UNFILLED)
                .count(),
        )
    }

    fn render(
        &self,
        format: OutputFormat,
        options: &RenderOptions,
    ) -> Result<Rendered, WriteError> {
        crate::write::render_book(self, format, options)
    }
}

/// Why the pipeline wrote nothing, or stopped writing.
#[derive(Debug, Error)]
pub enum PipelineError {
    /// `--strict` failed: nothing was rendered or written.
    #[error(
        "{count} finding(s) at {level} or worse{} and --strict={level}: not written",
        unfilled.map(|n| format!(", {n} place(s) left from the template")).unwrap_or_default()
    )]
    Strict {
        /// The level `--strict` asked for.
        level: Severity,
        /// Findings at that level or worse.
        count: usize,
        /// Places left from a template (books only).
        unfilled: Option<usize>,
    },
    /// An output could not be rendered: nothing was written.
    #[error(transparent)]
    Render(#[from] crate::ConvertError),
    /// An output would replace one of the inputs: it and the outputs after
    /// it were not written.
    #[error("not writing {path}: it is one of the inputs")]
    IsInput {
        /// The output.
        path: String,
    },
    /// The file system refused the output folder or a file: it and the
    /// outputs after it were not written.
    #[error("{path}: {source}")]
    Write {
        /// The folder or file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A publication after disclosure and checks, before rendering.
#[derive(Debug, Clone)]
pub struct Checked<T> {
    /// The public version.
    pub item: T,
    /// Check findings on it.
    pub findings: Vec<Finding>,
    /// What the disclosure policy masked or left out.
    pub disclosure: Vec<Warning>,
}

/// Disclose, then check what is published, by the profile's
/// `[disclosure]` and `[checks]`.
pub fn prepare<T: Publication>(mut item: T, profile: &Profile) -> Checked<T> {
    let disclosure = item.disclose(&profile.disclosure);
    let findings = item.check(&profile.checks);
    Checked {
        item,
        findings,
        disclosure,
    }
}

impl<T: Publication> Checked<T> {
    /// `Err` when `--strict=level` fails on the findings (or on places left
    /// from a template).
    pub fn strict(&self, level: Option<Severity>) -> Result<(), PipelineError> {
        let Some(level) = level else {
            return Ok(());
        };
        let unfilled = self.item.unfilled();
        if crate::check::fails(&self.findings, level) || unfilled.is_some_and(|n| n > 0) {
            return Err(PipelineError::Strict {
                level,
                count: self.findings.iter().filter(|f| f.severity >= level).count(),
                unfilled,
            });
        }
        Ok(())
    }

    /// Every format, in the order given; the first that fails stops.
    pub fn render(
        &self,
        formats: &[OutputFormat],
        options: &RenderOptions,
    ) -> Result<Vec<(OutputFormat, Rendered)>, crate::ConvertError> {
        formats
            .iter()
            .map(|&format| {
                self.item
                    .render(format, options)
                    .map(|r| (format, r))
                    .map_err(|source| crate::ConvertError { format, source })
            })
            .collect()
    }
}

/// What to make of one input, and where.
#[derive(Debug, Clone, Copy)]
pub struct Plan<'a> {
    /// The formats, in the order they are rendered and written.
    pub formats: &'a [OutputFormat],
    /// Fail, before rendering, on findings at this level or worse.
    pub strict: Option<Severity>,
    /// The folder the outputs go in (created if missing).
    pub dir: &'a Path,
    /// Canonical paths of the inputs, which an output never replaces.
    pub inputs: &'a [PathBuf],
    /// When the outputs reach the disk.
    pub durability: Durability,
}

/// When [`write_outputs`] makes an output durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Each file is flushed to the disk before it is renamed into place.
    EachFile,
    /// Files are renamed into place unflushed; the caller flushes the
    /// folder afterwards (a batch: once for all its outputs, before its
    /// manifest records them).
    Deferred,
}

/// One output as written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The format.
    pub format: OutputFormat,
    /// Its file name in the destination folder.
    pub file_name: OsString,
    /// Its path.
    pub path: PathBuf,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// The writer's warnings.
    pub warnings: Vec<Warning>,
}

/// Writes rendered outputs as `plan.dir/stem.EXT`, each atomically
/// (into a temporary file in the same folder, then renamed over the
/// target), creating the folder first; the first that
/// fails stops.
pub fn write_outputs(
    outputs: Vec<(OutputFormat, Rendered)>,
    plan: &Plan<'_>,
    stem: &OsStr,
) -> Result<Vec<Written>, PipelineError> {
    std::fs::create_dir_all(plan.dir).map_err(|source| PipelineError::Write {
        path: plan.dir.display().to_string(),
        source,
    })?;
    let mut written = Vec::with_capacity(outputs.len());
    for (format, out) in outputs {
        let file_name = crate::output_file_name(stem, format);
        let path = plan.dir.join(&file_name);
        // No inputs to protect (a batch keeps its outputs apart itself):
        // no path to resolve.
        if !plan.inputs.is_empty() && path.canonicalize().is_ok_and(|t| plan.inputs.contains(&t)) {
            return Err(PipelineError::IsInput {
                path: path.display().to_string(),
            });
        }
        let write = match plan.durability {
            Durability::EachFile => crate::write_atomic,
            Durability::Deferred => crate::write_atomic_deferred,
        };
        write(&path, &out.bytes).map_err(|source| PipelineError::Write {
            path: path.display().to_string(),
            source,
        })?;
        written.push(Written {
            format,
            file_name,
            sha256: crate::sha256_hex(&out.bytes),
            size: out.bytes.len() as u64,
            path,
            warnings: out.warnings,
        });
    }
    Ok(written)
}

/// What [`publish`] did with one publication.
#[derive(Debug)]
pub struct Published<T> {
    /// The public version, its findings and what disclosure left out.
    pub checked: Checked<T>,
    /// The outputs written, or why none (or no more) were.
    pub written: Result<Vec<Written>, PipelineError>,
}

/// The whole pipeline for one publication: disclose and check by
/// `profile`, fail on `plan.strict` before rendering, render every format
/// (all before any is written: a format that fails leaves nothing
/// written), write each. `finish` gives, from the public version, the
/// options to render with (their profile is `profile`) and the outputs'
/// name before the extension.
pub fn publish<T: Publication>(
    item: T,
    profile: &Profile,
    plan: &Plan<'_>,
    finish: impl FnOnce(&T) -> (RenderOptions, OsString),
) -> Published<T> {
    let checked = prepare(item, profile);
    let written = checked.strict(plan.strict).and_then(|()| {
        let (options, stem) = finish(&checked.item);
        let outputs = checked.render(plan.formats, &options)?;
        write_outputs(outputs, plan, &stem)
    });
    Published { checked, written }
}
