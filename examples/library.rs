//! gongkai as a library: read a table file, put it through the pipeline a
//! public version goes through (the profile's disclosure policy, the
//! checks, the writers), write its Markdown and PDF into a folder and
//! print the findings. It uses only what the crate exports, as any other
//! program would.
//!
//! `cargo run --release --example library [FILE [OUT_DIR] [PROFILE]]`: by
//! default the seed workbook of the test corpus, into a folder under the
//! system's temporary directory, with the bundled `default` profile.

use gongkai::check::{Finding, Severity};
use gongkai::{OutputFormat, Profile, ReadOptions, RenderOptions, convert, read_path};
use std::path::{Path, PathBuf};

/// What one run made.
pub struct Report {
    /// The tables' titles, in order.
    pub titles: Vec<String>,
    /// The check findings on what is published.
    pub findings: Vec<Finding>,
    /// What the disclosure policy masked or left out (as printed).
    pub disclosure: Vec<String>,
    /// The files written, in the order of the formats.
    pub written: Vec<PathBuf>,
}

/// Reads `input`, converts it to Markdown and PDF with `profile` and writes
/// both into `out` (created if missing) as `STEM.md` and `STEM.pdf`.
pub fn run(
    input: &Path,
    out: &Path,
    profile: Profile,
) -> Result<Report, Box<dyn std::error::Error>> {
    let read = ReadOptions::default().with_limits(profile.limits);
    let doc = read_path(input, &read)?;
    let titles = doc
        .tables
        .iter()
        .map(|t| t.title.clone().unwrap_or_default())
        .collect();
    // The outputs carry the date the document states (or SOURCE_DATE_EPOCH),
    // never the clock: the same input gives the same bytes.
    let options = RenderOptions::default()
        .with_profile(profile)
        .dated_for(&doc);
    let formats = [OutputFormat::Markdown, OutputFormat::Pdf];
    let converted = convert(doc, &formats, &options)?;

    std::fs::create_dir_all(out)?;
    let stem = input
        .file_stem()
        .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
    let mut written = Vec::new();
    for (format, rendered) in &converted.outputs {
        let path = out.join(format!("{stem}.{}", format.extension()));
        std::fs::write(&path, &rendered.bytes)?;
        written.push(path);
    }
    Ok(Report {
        titles,
        findings: converted.findings,
        disclosure: converted
            .disclosure
            .iter()
            .map(ToString::to_string)
            .collect(),
        written,
    })
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args_os().skip(1);
    let input = args.next().map_or_else(
        || PathBuf::from("tests/fixtures/corpus/seed/budget.xlsx"),
        PathBuf::from,
    );
    let out = args.next().map_or_else(
        || std::env::temp_dir().join("gongkai-library-example"),
        PathBuf::from,
    );
    let profile = match args.next() {
        Some(name) => match Profile::load(&name.to_string_lossy()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{e}");
                return std::process::ExitCode::from(2);
            }
        },
        None => Profile::default(),
    };
    let report = match run(&input, &out, profile) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", input.display());
            return std::process::ExitCode::FAILURE;
        }
    };
    for title in &report.titles {
        println!("table: {title}");
    }
    for finding in &report.findings {
        let (severity, rule) = (finding.severity.name(), &finding.rule);
        println!("{}: {severity}: {finding} [{rule}]", input.display());
    }
    for line in &report.disclosure {
        println!("{}: {line}", input.display());
    }
    for path in &report.written {
        println!("wrote {}", path.display());
    }
    if report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error)
    {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
