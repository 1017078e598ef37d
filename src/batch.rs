//! Batch conversion of a tree of department folders: walk, convert in
//! parallel, mirror the tree under the output folder, write a manifest, and
//! on a re-run convert only what changed.
//!
//! One file's failure never ends the run: errors, and panics, are recorded
//! for that file and the others go on. Every output is written atomically.
//! `--shard I/N` splits the inputs deterministically by a hash of their
//! relative path, so an existing scheduler can spread one tree over N
//! machines; each shard writes its own manifest part, which
//! [`merge_manifests`] joins.

use crate::inputs::skip_reason;
use crate::model::Warning;
use crate::read::docx::SharedStyles;
use crate::write::OutputFormat;
use crate::{FontStore, RenderOptions, profile::Profile};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;
use thiserror::Error;

/// File name of the manifest in the output folder.
pub const MANIFEST: &str = "manifest.json";

/// Options of a batch run.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The tree to convert.
    pub root: PathBuf,
    /// Where outputs and the manifest go.
    pub out: PathBuf,
    /// Output formats.
    pub formats: Vec<OutputFormat>,
    /// Worker threads (0 = one per core).
    pub jobs: usize,
    /// This run's share of the inputs: (index, count).
    pub shard: Option<(u32, u32)>,
    /// Convert everything, even unchanged inputs.
    pub force: bool,
    /// The profile's name as given (for the manifest).
    pub template: String,
    /// The profile.
    pub profile: Profile,
}

/// Why a batch could not run at all (single files failing is not this).
#[derive(Debug, Error)]
pub enum BatchError {
    /// The input folder cannot be opened.
    #[error("{path}: cannot open the input folder: {source}")]
    Root {
        /// The folder.
        path: String,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The input is not a folder.
    #[error("{path}: not a folder")]
    NotAFolder {
        /// The path.
        path: String,
    },
    /// The output folder or the manifest could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A manifest is not JSON of a manifest, or cannot be written as JSON.
    #[error("{path}: {what}{source}")]
    Json {
        /// The manifest file.
        path: String,
        /// "not a gongkai manifest: ", or nothing.
        what: &'static str,
        /// The line (and column) the JSON reader points at.
        at: Box<crate::error::Location>,
        /// What the JSON reader or writer said.
        #[source]
        source: serde_json::Error,
    },
    /// The parts of a sharded manifest do not fit together.
    #[error("{path}: {message}")]
    Manifest {
        /// The manifest file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// The line and column a JSON reader's error points at.
fn json_location(e: &serde_json::Error) -> crate::error::Location {
    crate::error::Location::new()
        .line(u32::try_from(e.line()).unwrap_or(u32::MAX))
        .column(u32::try_from(e.column()).unwrap_or(u32::MAX))
}

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Converted in this run.
    Converted,
    /// Converted in an earlier run with the same content and options; its
    /// outputs are still there.
    Unchanged,
    /// Not a table file, or no table in it.
    Skipped,
    /// Could not be converted.
    Failed,
}

/// One output file of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputRecord {
    /// Path relative to the output folder, with forward slashes, in the
    /// lossless form of [`crate::path_text`].
    pub path: String,
    /// Format.
    pub format: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// The manifest entry of one input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Path relative to the input folder, with forward slashes, in the
    /// lossless form of [`crate::path_text`]: a name that is not UTF-8 is
    /// written with `\xHH` for each byte that is not (`a\xff.txt`), and a
    /// backslash as `\\`.
    pub path: String,
    /// SHA-256 of the input (absent when it could not be read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub size: u64,
    /// Detected format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// What happened.
    pub status: Status,
    /// Why it was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Reader, check and writer warnings, and disclosure reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// The outputs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<OutputRecord>,
}

/// Options as recorded in the manifest; a change makes every input
/// convert again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedOptions {
    /// Output formats.
    pub to: Vec<String>,
    /// The profile as named.
    pub template: String,
    /// SHA-256 over the gongkai version, formats and the whole profile.
    pub fingerprint: String,
}

/// Counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Converted in this run.
    pub converted: usize,
    /// Unchanged since the previous run.
    pub unchanged: usize,
    /// Skipped.
    pub skipped: usize,
    /// Failed.
    pub failed: usize,
    /// Warnings over all files.
    pub warnings: usize,
}

/// The manifest: every input of the run (or shard) with its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// gongkai version that wrote it.
    pub gongkai: String,
    /// The options.
    pub options: RecordedOptions,
    /// The shard, when the run was one: [index, count].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<[u32; 2]>,
    /// Counts.
    pub summary: Counts,
    /// Inputs sorted by path.
    pub files: Vec<FileRecord>,
}

/// Receives progress; the CLI shows a bar or lines.
pub trait Progress: Sync {
    /// The inputs of this run (of this shard), by their manifest paths, in
    /// the order of the walk; called before [`Progress::start`]. Workers
    /// finish them in any order: this is the order to show them in.
    fn inputs(&self, _paths: &[&str]) {}
    /// The number of inputs to look at is known.
    fn start(&self, total: usize);
    /// One input is done.
    fn file_done(&self, record: &FileRecord);
}

/// A [`Progress`] that shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: usize) {}
    fn file_done(&self, _: &FileRecord) {}
}

/// The outcome of a run.
#[derive(Debug)]
pub struct Outcome {
    /// The manifest as written.
    pub manifest: Manifest,
    /// Where it was written.
    pub manifest_path: PathBuf,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// An input found by the walk.
struct Candidate {
    abs: PathBuf,
    /// The path relative to the root, as the file system names it.
    rel_path: PathBuf,
    /// The same as text ([`crate::path_text`]: lossless).
    rel: String,
    skip: Option<String>,
    failed: Option<String>,
}

/// A relative path as the manifest writes it: components joined with `/`,
/// each in the lossless form of [`crate::path_text`] (`a\xff.txt` for a
/// name that is not UTF-8).
fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| crate::path_text(Path::new(c.as_os_str())))
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks the tree: no symlinks out of it, no hidden files, no Office lock
/// files, the output folder excluded.
fn walk(root: &Path, out: &Path) -> Result<Vec<Candidate>, BatchError> {
    let root_abs = root.canonicalize().map_err(|source| BatchError::Root {
        path: root.display().to_string(),
        source,
    })?;
    if !root_abs.is_dir() {
        return Err(BatchError::NotAFolder {
            path: root.display().to_string(),
        });
    }
    let out_abs = out.canonicalize().ok();
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(&root_abs)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let is_out = out_abs.as_deref().is_some_and(|o| e.path() == o);
            !hidden && !is_out
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().unwrap_or(&root_abs).to_path_buf();
                let rel = path.strip_prefix(&root_abs).unwrap_or(&path).to_path_buf();
                found.push(Candidate {
                    abs: path.clone(),
                    rel: rel_string(&rel),
                    rel_path: rel,
                    skip: None,
                    failed: Some(format!("cannot read: {err}")),
                });
                continue;
            }
        };
        let path = entry.path().to_path_buf();
        let rel_path = path.strip_prefix(&root_abs).unwrap_or(&path).to_path_buf();
        let rel = rel_string(&rel_path);
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let mut skip = None;
        if ft.is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&root_abs) && target.is_file() => {}
                Ok(target) if target.is_dir() => {
                    skip = Some("a symlinked folder (not followed)".to_string())
                }
                Ok(_) => {
                    skip = Some("a symlink out of the input folder (not followed)".to_string())
                }
                Err(_) => skip = Some("a broken symlink".to_string()),
            }
        }
        if skip.is_none() {
            skip = skip_reason(&path);
        }
        found.push(Candidate {
            abs: path,
            rel,
            rel_path,
            skip,
            failed: None,
        });
    }
    Ok(found)
}

/// Which shard a relative path belongs to: the first 8 bytes of its
/// SHA-256, modulo the shard count. Stable across machines and runs.
pub(crate) fn shard_of(rel: &str, count: u32) -> u32 {
    let h = Sha256::digest(rel.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&h[..8]);
    (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32
}

/// Output stems, relative to the output folder: the input's folder and
/// its name by [`crate::output_stems`] (the stem, or the whole file name
/// where two inputs of one folder share a stem: 预算.xlsx and 预算.docx →
/// 预算.xlsx.pdf, …). Names keep their bytes, so no two inputs meet.
fn output_stems(cands: &[Candidate]) -> BTreeMap<String, PathBuf> {
    let mut by_dir: BTreeMap<PathBuf, Vec<&Candidate>> = BTreeMap::new();
    for c in cands.iter().filter(|c| c.skip.is_none()) {
        let dir = c
            .rel_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        by_dir.entry(dir).or_default().push(c);
    }
    let mut out = BTreeMap::new();
    for (dir, group) in by_dir {
        let paths: Vec<&Path> = group.iter().map(|c| c.rel_path.as_path()).collect();
        for (c, name) in group.iter().zip(crate::output_stems(&paths)) {
            out.insert(c.rel.clone(), dir.join(name));
        }
    }
    out
}

fn fingerprint(formats: &[OutputFormat], template: &str, profile: &Profile) -> RecordedOptions {
    let to: Vec<String> = formats.iter().map(|f| f.name().to_string()).collect();
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(to.join(",").as_bytes());
    h.update(format!("{profile:?}").as_bytes());
    RecordedOptions {
        to,
        template: template.to_string(),
        fingerprint: hex::encode(h.finalize()),
    }
}

/// The manifest file of a run: manifest.json, or a part per shard.
pub fn manifest_path(out: &Path, shard: Option<(u32, u32)>) -> PathBuf {
    match shard {
        None => out.join(MANIFEST),
        Some((i, n)) => out.join(format!("manifest.shard-{i}-of-{n}.json")),
    }
}

fn read_manifest(path: &Path) -> Result<Option<Manifest>, BatchError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(BatchError::Io {
                path: path.display().to_string(),
                source,
            });
        }
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|source| BatchError::Json {
            path: path.display().to_string(),
            what: "not a gongkai manifest: ",
            at: Box::new(json_location(&source)),
            source,
        })
}

/// Whether an earlier record can stand: same content, same options, every
/// output still there with the size recorded.
fn still_valid(prev: &FileRecord, sha: &str, out: &Path) -> bool {
    matches!(prev.status, Status::Converted | Status::Unchanged)
        && prev.sha256.as_deref() == Some(sha)
        && !prev.outputs.is_empty()
        && prev.outputs.iter().all(|o| {
            crate::path_from_text(&o.path)
                .and_then(|p| std::fs::metadata(out.join(p)).ok())
                .is_some_and(|m| m.len() == o.size)
        })
}

/// What every file and thread of a run shares.
struct Stores {
    /// The parsed faces and the subsets made of them.
    fonts: FontStore,
    /// The parsed styles parts of Word files (most of a run's come from
    /// one template).
    styles: SharedStyles,
}

/// Converts one input; never panics (a panic inside is caught and
/// reported as an internal error for this file).
fn convert_one(
    cand: &Candidate,
    stem: &Path,
    opts: &BatchOptions,
    stores: &Stores,
    previous: Option<&FileRecord>,
    options_unchanged: bool,
) -> FileRecord {
    let mut record = FileRecord {
        path: cand.rel.clone(),
        sha256: None,
        size: 0,
        format: None,
        status: Status::Skipped,
        reason: None,
        error: None,
        warnings: Vec::new(),
        outputs: Vec::new(),
    };
    if let Some(why) = &cand.skip {
        record.reason = Some(why.clone());
        return record;
    }
    if let Some(err) = &cand.failed {
        record.status = Status::Failed;
        record.error = Some(err.clone());
        return record;
    }
    isolate(&mut record, |r| {
        convert_inner(cand, stem, opts, stores, previous, options_unchanged, r)
    });
    record
}

/// Runs `work` on the record; an error or a panic inside marks the record
/// failed (a panic as an internal error), and the batch goes on.
fn isolate(record: &mut FileRecord, work: impl FnOnce(&mut FileRecord) -> Result<(), String>) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(record)));
    match result {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            record.status = Status::Failed;
            record.error = Some(e);
        }
        Err(payload) => {
            record.status = Status::Failed;
            record.outputs.clear();
            record.error = Some(format!(
                "internal error (please report it): {}",
                crate::panics::message(payload.as_ref())
            ));
        }
    }
}

fn convert_inner(
    cand: &Candidate,
    stem: &Path,
    opts: &BatchOptions,
    stores: &Stores,
    previous: Option<&FileRecord>,
    options_unchanged: bool,
    record: &mut FileRecord,
) -> Result<(), String> {
    let meta = std::fs::metadata(&cand.abs).map_err(|e| format!("cannot read: {e}"))?;
    record.size = meta.len();
    let limits = opts.profile.limits;
    let bytes = crate::read_input_file(&cand.abs, &limits).map_err(|e| match e {
        crate::InputFileError::Io(e) => format!("cannot read: {e}"),
        crate::InputFileError::Read(e) => e.to_string(),
    })?;
    let sha = crate::sha256_hex(&bytes);
    record.sha256 = Some(sha.clone());
    if !opts.force
        && options_unchanged
        && let Some(prev) = previous
        && still_valid(prev, &sha, &opts.out)
    {
        *record = FileRecord {
            status: Status::Unchanged,
            ..prev.clone()
        };
        return Ok(());
    }
    let name = cand.rel.clone();
    let read_options = crate::ReadOptions::default()
        .with_limits(limits)
        .with_keep_hidden(!opts.profile.disclosure.omits_hidden());
    let doc = match crate::read_bytes_hashed(
        &bytes,
        &name,
        &read_options,
        Some(sha),
        Some(&stores.styles),
    ) {
        Ok(doc) => doc,
        Err(crate::ReadError::NoTable(why)) => {
            record.status = Status::Skipped;
            record.reason = Some(format!("no table found: {why}"));
            return Ok(());
        }
        Err(e) => return Err(e.to_string()),
    };
    record.format = Some(doc.source.format.name().to_string());
    record.warnings.extend(doc.warnings.iter().cloned());
    let options = RenderOptions::default()
        .with_profile(opts.profile.clone())
        .with_fonts(stores.fonts.clone())
        .dated_for(&doc);
    let dir = opts.out.join(stem.parent().unwrap_or(Path::new("")));
    let plan = crate::pipeline::Plan {
        formats: &opts.formats,
        strict: None,
        dir: &dir,
        inputs: &[],
        durability: crate::pipeline::Durability::Deferred,
    };
    let name = stem.file_name().unwrap_or_default().to_os_string();
    let published = crate::pipeline::publish(doc, &opts.profile, &plan, |_| (options, name));
    let checked = published.checked;
    record.warnings.extend(
        checked
            .findings
            .iter()
            .map(crate::check::Finding::to_warning),
    );
    record.warnings.extend(checked.disclosure);
    for out in published.written.map_err(|e| e.to_string())? {
        record.warnings.extend(out.warnings);
        record.outputs.push(OutputRecord {
            path: rel_string(&stem.with_file_name(&out.file_name)),
            format: out.format.name().to_string(),
            sha256: out.sha256,
            size: out.size,
        });
    }
    record.status = Status::Converted;
    Ok(())
}

fn count(files: &[FileRecord]) -> Counts {
    let mut c = Counts::default();
    for f in files {
        match f.status {
            Status::Converted => c.converted += 1,
            Status::Unchanged => c.unchanged += 1,
            Status::Skipped => c.skipped += 1,
            Status::Failed => c.failed += 1,
        }
        c.warnings += f.warnings.len();
    }
    c
}

/// Runs a batch.
pub fn run(opts: &BatchOptions, progress: &dyn Progress) -> Result<Outcome, BatchError> {
    let started = Instant::now();
    std::fs::create_dir_all(&opts.out).map_err(|source| BatchError::Io {
        path: opts.out.display().to_string(),
        source,
    })?;
    let cands = walk(&opts.root, &opts.out)?;
    let stems = output_stems(&cands);
    let mine: Vec<&Candidate> = cands
        .iter()
        .filter(|c| opts.shard.is_none_or(|(i, n)| shard_of(&c.rel, n) == i))
        .collect();
    let manifest_file = manifest_path(&opts.out, opts.shard);
    let recorded = fingerprint(&opts.formats, &opts.template, &opts.profile);
    let previous = read_manifest(&manifest_file).ok().flatten();
    let options_unchanged = previous
        .as_ref()
        .is_some_and(|m| m.options.fingerprint == recorded.fingerprint);
    let prev_by_path: BTreeMap<&str, &FileRecord> = previous
        .as_ref()
        .map(|m| m.files.iter().map(|f| (f.path.as_str(), f)).collect())
        .unwrap_or_default();
    progress.inputs(&mine.iter().map(|c| c.rel.as_str()).collect::<Vec<_>>());
    progress.start(mine.len());
    let stores = Stores {
        fonts: FontStore::new(),
        styles: SharedStyles::new(),
    };
    let one = |c: &&Candidate| {
        let stem = stems
            .get(&c.rel)
            .map_or(c.rel_path.as_path(), PathBuf::as_path);
        let previous = prev_by_path.get(c.rel.as_str()).copied();
        let record = convert_one(c, stem, opts, &stores, previous, options_unchanged);
        progress.file_done(&record);
        record
    };
    let mut files: Vec<FileRecord> = if opts.jobs == 1 {
        // No pool: the plainest schedule, also for measuring one core.
        mine.iter().map(one).collect()
    } else {
        let work = || mine.par_iter().map(one).collect();
        match rayon::ThreadPoolBuilder::new()
            .num_threads(opts.jobs)
            .build()
        {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        }
    };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    make_durable(&opts.out, &files)?;
    let manifest = Manifest {
        gongkai: env!("CARGO_PKG_VERSION").to_string(),
        options: recorded,
        shard: opts.shard.map(|(i, n)| [i, n]),
        summary: count(&files),
        files,
    };
    write_manifest(&manifest_file, &manifest)?;
    Ok(Outcome {
        manifest,
        manifest_path: manifest_file,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Flushes the outputs this run wrote (renamed into place unflushed) to the
/// disk, before the manifest that records them is written: after a crash a
/// manifest never vouches for an output that was lost (and an output cut
/// short has another size than its record, so the next run converts it
/// again).
fn make_durable(out: &Path, files: &[FileRecord]) -> Result<(), BatchError> {
    let written: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.status == Status::Converted)
        .flat_map(|f| &f.outputs)
        .filter_map(|o| crate::path_from_text(&o.path).map(|p| out.join(p)))
        .collect();
    let folders: std::collections::BTreeSet<&Path> =
        written.iter().filter_map(|p| p.parent()).collect();
    let folders: Vec<&Path> = folders.into_iter().collect();
    let written: Vec<&Path> = written.iter().map(PathBuf::as_path).collect();
    crate::sync_folders(&folders, &written).map_err(|(path, source)| BatchError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn write_manifest(path: &Path, manifest: &Manifest) -> Result<(), BatchError> {
    let mut bytes = serde_json::to_vec_pretty(manifest).map_err(|source| BatchError::Json {
        path: path.display().to_string(),
        what: "",
        at: Box::default(),
        source,
    })?;
    bytes.push(b'\n');
    crate::write_atomic(path, &bytes).map_err(|source| BatchError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Joins the manifest parts of a sharded run (manifest.shard-I-of-N.json)
/// into `OUT/manifest.json`. All parts of one count must be there and
/// agree on the options.
pub fn merge_manifests(out: &Path) -> Result<Outcome, BatchError> {
    let started = Instant::now();
    let entries = std::fs::read_dir(out).map_err(|source| BatchError::Io {
        path: out.display().to_string(),
        source,
    })?;
    let mut parts: Vec<(PathBuf, Manifest)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("manifest.shard-") && name.ends_with(".json") {
            let path = entry.path();
            if let Some(m) = read_manifest(&path)? {
                parts.push((path, m));
            }
        }
    }
    parts.sort_by(|a, b| a.0.cmp(&b.0));
    let Some((first_path, first)) = parts.first() else {
        return Err(BatchError::Manifest {
            path: out.display().to_string(),
            message: "no manifest.shard-*-of-*.json parts to merge".into(),
        });
    };
    let shards = first.shard.map_or(0, |s| s[1]);
    let mut seen = BTreeSet::new();
    for (path, m) in &parts {
        let Some([i, n]) = m.shard else {
            return Err(BatchError::Manifest {
                path: path.display().to_string(),
                message: "a part without a shard".into(),
            });
        };
        if n != shards || m.options != first.options {
            return Err(BatchError::Manifest {
                path: path.display().to_string(),
                message: format!(
                    "does not fit {}: other shard count or options",
                    first_path.display()
                ),
            });
        }
        seen.insert(i);
    }
    let missing: Vec<String> = (0..shards)
        .filter(|i| !seen.contains(i))
        .map(|i| format!("{i}/{shards}"))
        .collect();
    if !missing.is_empty() {
        return Err(BatchError::Manifest {
            path: out.display().to_string(),
            message: format!("missing shard part(s): {}", missing.join(", ")),
        });
    }
    let mut files: Vec<FileRecord> = parts.iter().flat_map(|(_, m)| m.files.clone()).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest {
        gongkai: env!("CARGO_PKG_VERSION").to_string(),
        options: first.options.clone(),
        shard: None,
        summary: count(&files),
        files,
    };
    let path = out.join(MANIFEST);
    write_manifest(&path, &manifest)?;
    Ok(Outcome {
        manifest,
        manifest_path: path,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_of_that_file() {
        let mut record = FileRecord {
            path: "a/b.xlsx".into(),
            sha256: None,
            size: 0,
            format: None,
            status: Status::Converted,
            reason: None,
            error: None,
            warnings: Vec::new(),
            outputs: Vec::new(),
        };
        isolate(&mut record, |_| panic!("index out of bounds: the len is 3"));
        assert_eq!(record.status, Status::Failed);
        assert_eq!(
            record.error.as_deref(),
            Some("internal error (please report it): index out of bounds: the len is 3")
        );
    }

    #[test]
    fn shards_are_stable() {
        assert_eq!(shard_of("财政局/a.xlsx", 1), 0);
        let counts = (0..300).fold([0u32; 3], |mut acc, i| {
            acc[shard_of(&format!("dept{i}/table.xlsx"), 3) as usize] += 1;
            acc
        });
        assert!(counts.iter().all(|&c| c > 70), "{counts:?}");
        assert_eq!(shard_of("x", 3), shard_of("x", 3));
    }
}
