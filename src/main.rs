//! The `gongkai` command line: parses flags, calls the library, sets the
//! exit code (0 success, 1 a file failed, 2 usage).

use clap::{Args, Parser, Subcommand};
use gongkai::model::Format;
use gongkai::{OutputFormat, ReadOptions, RenderOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Convert Chinese government budget tables (txt, csv, md, xlsx, xls, ods,
/// docx) into public-disclosure versions (pdf, docx, md, json).
#[derive(Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert table files into the output formats.
    Convert(ConvertArgs),
    /// Print the model of one file as JSON ("-" reads standard input).
    Inspect {
        /// The file.
        file: PathBuf,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Convert a tree of department folders; mirrors the tree under --out and
    /// writes OUT/manifest.json. Re-runs convert only what changed.
    Batch(BatchArgs),
    /// Make a department's disclosure book (cover, 目录, chapters, tables)
    /// from its folder (table files plus chapters written as Markdown) or
    /// from one workbook holding the whole book (封面, 目录, prose sheets).
    Book(BookArgs),
    /// Check table files, and department folders as whole books: sums,
    /// identities, totals between tables, required tables and chapters,
    /// years, units and the prose against the tables.
    Check(CheckArgs),
    /// Print the JSON Schema of the model.
    Schema,
}

#[derive(Args)]
struct CheckArgs {
    /// Input files, or department folders (checked as books).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Fail on findings: `--strict` on errors, `--strict=warning` also on
    /// warnings, `--strict=notice` on any finding.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "error", value_name = "LEVEL")]
    strict: Option<gongkai::check::Severity>,
    /// Output: text (one line per finding), json or csv.
    #[arg(long, default_value = "text", value_parser = ["text", "json", "csv"])]
    format: String,
    /// Profile whose `[checks]` table switches rules off or changes their
    /// severity: a bundled name or a .toml file.
    #[arg(long, short)]
    template: Option<String>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args)]
struct InputArgs {
    /// Read the input as this format, whatever its name and content say
    /// (text, csv, fixed, markdown, json, xlsx, xls, ods, docx).
    #[arg(long, value_parser = parse_format)]
    from: Option<Format>,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Args, Clone, Default)]
struct LimitArgs {
    /// Raise (or lower) limits: key=value,... e.g. rows=200000,pages=10000
    /// (keys and defaults: README, "Limits"). Applied over a profile's
    /// [limits].
    #[arg(long, value_name = "KEY=N,...", value_parser = parse_limits)]
    limits: Option<String>,
}

impl LimitArgs {
    /// `base` with the flag's values applied.
    fn over(&self, base: gongkai::Limits) -> gongkai::Limits {
        let mut l = base;
        if let Some(spec) = &self.limits {
            // Checked by parse_limits already.
            let _ = l.apply_overrides(spec);
        }
        l
    }
}

fn parse_limits(s: &str) -> Result<String, String> {
    gongkai::Limits::default()
        .apply_overrides(s)
        .map_err(|e| e.to_string())?;
    Ok(s.to_string())
}

#[derive(Args)]
struct ConvertArgs {
    /// Input files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output folder (created if missing).
    #[arg(long, short)]
    out: PathBuf,
    /// Output formats, comma-separated: pdf, pdfa (PDF/A-2u), ofd, docx, md,
    /// json (default: pdf, docx, md and json).
    #[arg(long, value_delimiter = ',')]
    to: Vec<OutputFormat>,
    #[command(flatten)]
    input: InputArgs,
    /// Rendering profile: a bundled name (default, gbt9704) or a .toml file.
    #[arg(long, short)]
    template: Option<String>,
    /// Fail on findings (the file is not written, exit 1): `--strict` on errors, `--strict=warning` also on
    /// warnings, `--strict=notice` on any finding.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "error", value_name = "LEVEL")]
    strict: Option<gongkai::check::Severity>,
    /// Keep hidden rows, columns, sheets and Word text, and internal
    /// columns, in the outputs (an archive copy, never a public one); the
    /// JSON keeps the `hidden` flags. Same as `[disclosure] hidden = "keep"`.
    #[arg(long)]
    keep_hidden: bool,
    /// Print nothing but errors and warnings.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct BatchArgs {
    /// The folder to convert.
    #[arg(required_unless_present = "merge_manifests")]
    root: Option<PathBuf>,
    /// Output folder (the tree is mirrored under it).
    #[arg(long, short, required_unless_present = "merge_manifests")]
    out: Option<PathBuf>,
    /// Output formats, comma-separated: pdf, pdfa (PDF/A-2u), ofd, docx, md,
    /// json (default: pdf, docx, md and json).
    #[arg(long, value_delimiter = ',')]
    to: Vec<OutputFormat>,
    /// Worker threads (default: one per core).
    #[arg(long, short, value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// Convert only shard I of N (0-based): a deterministic split by path,
    /// for running one tree on N machines. Each shard writes its own
    /// manifest part; join them with --merge-manifests.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(u32, u32)>,
    /// Convert every input, even those unchanged since the last run.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    limits: LimitArgs,
    /// Rendering profile: a bundled name (default, gbt9704) or a .toml file.
    #[arg(long, short)]
    template: Option<String>,
    /// Print only failures and the summary.
    #[arg(long, short)]
    quiet: bool,
    /// Keep hidden rows, columns, sheets and Word text, and internal
    /// columns, in the outputs (an archive copy, never a public one); the
    /// JSON keeps the `hidden` flags. Same as `[disclosure] hidden = "keep"`.
    #[arg(long)]
    keep_hidden: bool,
    /// Join the manifest parts of a sharded run in this folder into
    /// manifest.json, and do nothing else.
    #[arg(long, value_name = "OUT", conflicts_with_all = ["root", "shard", "force"])]
    merge_manifests: Option<PathBuf>,
}

#[derive(Args)]
struct BookArgs {
    /// The department folder, or a workbook holding the whole book.
    folder: PathBuf,
    /// Output folder.
    #[arg(long, short)]
    out: PathBuf,
    /// Output formats, comma-separated: pdf, pdfa (PDF/A-2u), ofd, docx, md
    /// (default: pdf, docx and md).
    #[arg(long, value_delimiter = ',')]
    to: Vec<OutputFormat>,
    /// Rendering profile: a bundled name (default, gbt9704, shanghai) or a
    /// .toml file.
    #[arg(long, short)]
    template: Option<String>,
    /// Fail on findings and on text left from a template (nothing written,
    /// exit 1): `--strict` on errors, `--strict=warning` also on warnings,
    /// `--strict=notice` on any finding.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "error", value_name = "LEVEL")]
    strict: Option<gongkai::check::Severity>,
    #[command(flatten)]
    limits: LimitArgs,
    /// Keep hidden rows, columns, sheets and Word text, and internal
    /// columns, in the outputs (an archive copy, never a public one); the
    /// JSON keeps the `hidden` flags. Same as `[disclosure] hidden = "keep"`.
    #[arg(long)]
    keep_hidden: bool,
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("--jobs 0 runs nothing; give at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("'{s}' is not a number of worker threads")),
    }
}

fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("'{s}': a shard is I/N, e.g. 0/3"))?;
    let i: u32 = i
        .trim()
        .parse()
        .map_err(|_| format!("'{s}': I is not a number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("'{s}': N is not a number"))?;
    if n == 0 || i >= n {
        return Err(format!("'{s}': I must be below N (shards are 0/N … N-1/N)"));
    }
    Ok((i, n))
}

fn parse_format(s: &str) -> Result<Format, String> {
    let f = match s.to_ascii_lowercase().as_str() {
        "text" | "txt" | "tsv" => Format::Text,
        "csv" => Format::Csv,
        "fixed" | "fixed-width" | "aligned" => Format::Fixed,
        "md" | "markdown" => Format::Markdown,
        "json" => Format::Json,
        "xlsx" => Format::Xlsx,
        "xlsm" => Format::Xlsm,
        "xlsb" => Format::Xlsb,
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        "docx" => Format::Docx,
        other => return Err(format!("unknown input format '{other}'")),
    };
    Ok(f)
}

fn main() -> ExitCode {
    quiet_panics();
    let cli = Cli::parse();
    match std::panic::catch_unwind(|| dispatch(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            eprintln!("{}", gongkai::error::report(e.as_ref()));
            ExitCode::from(1)
        }
        Err(_) => {
            let what = LAST_PANIC
                .lock()
                .ok()
                .and_then(|p| p.clone())
                .unwrap_or_else(|| "unknown panic".into());
            eprintln!("gongkai: internal error (a bug in gongkai; please report it): {what}");
            ExitCode::from(101)
        }
    }
}

/// The last panic's message and place, for the one line main prints.
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Panics print nothing by themselves: one caught inside a dependency
/// (a damaged .xls) becomes the error of its file, and one not caught is
/// reported by `main` in one line. `RUST_BACKTRACE` set (not 0) restores the
/// standard report with its backtrace.
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let line = format!("{}{place}", message.replace('\n', " "));
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(line);
        }
    }));
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Convert(args) => convert(args),
        Command::Inspect { file, input } => inspect(&file, &input),
        Command::Batch(args) => batch(args),
        Command::Book(args) => book(args),
        Command::Check(args) => check(&args),
        Command::Schema => {
            let schema = schemars::schema_for!(gongkai::Document);
            print_stdout(&(serde_json::to_string_pretty(&schema)? + "\n"))
        }
    }
}

/// The profile named (or the default); `keep_hidden` (`--keep-hidden`)
/// switches its hidden policy to keep.
fn load_profile(
    template: Option<&str>,
    keep_hidden: bool,
) -> anyhow::Result<gongkai::profile::Profile> {
    let mut profile = match template {
        Some(t) => gongkai::profile::Profile::load(t)?,
        None => gongkai::profile::Profile::default(),
    };
    if keep_hidden {
        profile.disclosure.hidden = gongkai::profile::HiddenPolicy::Keep;
    }
    Ok(profile)
}

fn read_options(input: &InputArgs) -> ReadOptions {
    ReadOptions {
        from: input.from,
        limits: input.limits.over(gongkai::Limits::default()),
        ..ReadOptions::default()
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn print_stdout(s: &str) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

fn inspect(file: &Path, input: &InputArgs) -> anyhow::Result<ExitCode> {
    let result = read_input(file, &read_options(input));
    match result {
        Ok(doc) => {
            for w in &doc.warnings {
                eprintln!("{}: warning: {w}", file.display());
            }
            print_stdout(&(serde_json::to_string_pretty(&doc)? + "\n"))
        }
        Err(e) => {
            eprintln!("{}", gongkai::error::report(&e));
            Ok(ExitCode::from(1))
        }
    }
}

/// Shows batch progress: a bar on a terminal, plain lines otherwise.
struct BatchProgress {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    done: std::sync::atomic::AtomicUsize,
    total: std::sync::atomic::AtomicUsize,
}

impl gongkai::batch::Progress for BatchProgress {
    fn start(&self, total: usize) {
        self.total
            .store(total, std::sync::atomic::Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    fn file_done(&self, r: &gongkai::batch::FileRecord) {
        use gongkai::batch::Status;
        let n = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let total = self.total.load(std::sync::atomic::Ordering::Relaxed);
        let line = match r.status {
            Status::Failed => format!("{}: failed: {}", r.path, r.error.as_deref().unwrap_or("")),
            Status::Skipped => {
                format!("{}: skipped: {}", r.path, r.reason.as_deref().unwrap_or(""))
            }
            Status::Converted => format!("{}: converted ({} warning(s))", r.path, r.warnings.len()),
            Status::Unchanged => format!("{}: unchanged", r.path),
        };
        match &self.bar {
            Some(bar) => {
                if r.status == Status::Failed {
                    bar.println(&line);
                }
                bar.set_message(r.path.clone());
                bar.inc(1);
            }
            None if r.status == Status::Failed => eprintln!("[{n}/{total}] {line}"),
            None if !self.quiet => println!("[{n}/{total}] {line}"),
            None => {}
        }
    }
}

fn batch(args: BatchArgs) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    if let Some(out) = &args.merge_manifests {
        let outcome = match gongkai::batch::merge_manifests(out) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("{}", gongkai::error::report(&e));
                return Ok(ExitCode::from(1));
            }
        };
        let c = outcome.manifest.summary;
        println!(
            "merged {} file(s) into {}: converted {}, unchanged {}, skipped {}, failed {}",
            outcome.manifest.files.len(),
            outcome.manifest_path.display(),
            c.converted,
            c.unchanged,
            c.skipped,
            c.failed
        );
        return Ok(if c.failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    let (Some(root), Some(out)) = (args.root, args.out) else {
        eprintln!("gongkai: batch needs ROOT and --out");
        return Ok(ExitCode::from(2));
    };
    if let Some(code) = repeated_format(&args.to) {
        return Ok(code);
    }
    let formats = match select_formats(&args.to, |_| true) {
        Ok(f) => f,
        Err(f) => {
            eprintln!("gongkai: {f} output is not supported yet");
            return Ok(ExitCode::from(2));
        }
    };
    let template = args.template.clone().unwrap_or_else(|| "default".into());
    let mut profile = load_profile(Some(&template), args.keep_hidden)?;
    profile.limits = args.limits.over(profile.limits);
    if args.jobs == Some(0) {
        eprintln!(
            "gongkai: --jobs 0: a batch needs at least 1 worker (leave --jobs out for one per core)"
        );
        return Ok(ExitCode::from(2));
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let options = gongkai::batch::BatchOptions {
        root,
        out,
        formats,
        jobs,
        shard: args.shard,
        force: args.force,
        template,
        profile,
    };
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} files  {per_sec}  {wide_msg}",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let progress = BatchProgress {
        bar,
        quiet: args.quiet,
        done: Default::default(),
        total: Default::default(),
    };
    let outcome = match gongkai::batch::run(&options, &progress) {
        Ok(o) => o,
        Err(e) => {
            if let Some(bar) = &progress.bar {
                bar.finish_and_clear();
            }
            eprintln!("{}", gongkai::error::report(&e));
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    let c = outcome.manifest.summary;
    let files = outcome.manifest.files.len();
    let rate = if outcome.seconds > 0.0 {
        (c.converted as f64) / outcome.seconds
    } else {
        0.0
    };
    if c.converted == 0 && c.failed == 0 && c.unchanged > 0 {
        println!(
            "nothing to convert: {} input(s) unchanged since the last run, {} skipped ({:.2} s)",
            c.unchanged, c.skipped, outcome.seconds
        );
    } else {
        println!(
            "{files} file(s): converted {}, unchanged {}, skipped {}, failed {}, warnings {} \
             in {:.2} s ({rate:.1} files/s)",
            c.converted, c.unchanged, c.skipped, c.failed, c.warnings, outcome.seconds
        );
    }
    println!("manifest: {}", outcome.manifest_path.display());
    Ok(if c.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn book(args: BookArgs) -> anyhow::Result<ExitCode> {
    let profile = load_profile(args.template.as_deref(), args.keep_hidden)?;
    if let Some(code) = repeated_format(&args.to) {
        return Ok(code);
    }
    let formats = match select_formats(&args.to, gongkai::write::writes_book) {
        Ok(f) => f,
        Err(f) => {
            eprintln!("gongkai: the book is not written as {f}");
            return Ok(ExitCode::from(2));
        }
    };
    let options = gongkai::book::BookOptions {
        created: gongkai::time::source_date_epoch(),
        limits: args.limits.over(profile.limits),
        keep_hidden: !profile.disclosure.omits_hidden(),
        table_order: profile.book.table_order.clone(),
        ..Default::default()
    };
    let mut book = match gongkai::book::build(&args.folder, &options) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}", gongkai::error::report(&e));
            return Ok(ExitCode::from(1));
        }
    };
    let folder = args.folder.display().to_string();
    // Checks see what is published.
    let disclosure = book.disclose(&profile.disclosure);
    let findings = gongkai::book::checks::check_with(&book, &profile.checks);
    for w in &book.warnings {
        eprintln!("{folder}: warning: {w}");
    }
    for f in &findings {
        eprintln!("{folder}: {}: {f} [{}]", f.severity, f.rule);
    }
    for w in &disclosure {
        eprintln!("{folder}: warning: {w}");
    }
    let unfilled = book
        .warnings
        .iter()
        .filter(|w| w.code == gongkai::book::workbook::UNFILLED)
        .count();
    if let Some(level) = args.strict
        && (gongkai::check::fails(&findings, level) || unfilled > 0)
    {
        eprintln!(
            "{folder}: {} finding(s) at {level} or worse, {unfilled} place(s) left from the template and --strict={level}: not written",
            findings.iter().filter(|f| f.severity >= level).count()
        );
        return Ok(ExitCode::from(1));
    }
    std::fs::create_dir_all(&args.out).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot create the output folder: {e}",
            args.out.display()
        )
    })?;
    let render_options = RenderOptions::default()
        .with_profile(profile)
        .with_created(gongkai::book::epoch(&book, &options));
    let mut failed = false;
    let stem = gongkai::book::file_stem_for(&book);
    for format in formats {
        let target = args.out.join(format!("{stem}.{}", format.extension()));
        let result = gongkai::write::render_book(&book, format, &render_options)
            .map_err(|source| gongkai::Error::Convert {
                path: folder.clone(),
                source: gongkai::ConvertError { format, source },
            })
            .and_then(|out| {
                for w in &out.warnings {
                    eprintln!("{folder}: warning: {format}: {w}");
                }
                gongkai::write_atomic(&target, &out.bytes).map_err(|source| gongkai::Error::Io {
                    path: target.display().to_string(),
                    source,
                })
            });
        match result {
            Ok(()) => println!("{folder} → {}", target.display()),
            Err(e) => {
                eprintln!("{}", gongkai::error::report(&e));
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads one input; `-` is standard input (format from the content, named
/// `stdin` in outputs and messages).
fn read_input(file: &Path, options: &ReadOptions) -> Result<gongkai::Document, gongkai::Error> {
    if file.as_os_str() != "-" {
        return gongkai::read_path(file, options);
    }
    // No more than the limit is read: a stream has no size to check first.
    let most = options.limits.input_bytes;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::io::stdin(), most.saturating_add(1)),
        &mut bytes,
    )
    .map_err(|source| gongkai::Error::Io {
        path: "stdin".into(),
        source,
    })?;
    options
        .limits
        .check_u64(gongkai::limits::Limit::InputBytes, bytes.len() as u64)
        .map_err(|e| gongkai::Error::Read {
            path: "stdin".into(),
            source: e.into(),
        })?;
    gongkai::read_bytes(&bytes, "stdin", options).map_err(|source| gongkai::Error::Read {
        path: "stdin".into(),
        source,
    })
}

fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let profile = load_profile(args.template.as_deref(), false)?;
    let config = &profile.checks;
    let mut failed = false;
    let mut all: Vec<(String, gongkai::check::Finding)> = Vec::new();
    let mut ok: Vec<String> = Vec::new();
    for file in &args.files {
        let name = file.display().to_string();
        let findings = if file.is_dir() {
            match gongkai::book::build(file, &gongkai::book::BookOptions::default()) {
                Ok(book) => gongkai::book::checks::check_with(&book, config),
                Err(e) => {
                    eprintln!("{}", gongkai::error::report(&e));
                    failed = true;
                    continue;
                }
            }
        } else {
            match read_input(file, &read_options(&args.input)) {
                Ok(mut doc) => {
                    // The published view: what the default policy leaves out
                    // is not checked (hidden rows of a total are a notice,
                    // not a finding).
                    for n in gongkai::check::hidden_notices(&doc) {
                        // With the findings in text form; beside JSON or CSV
                        // on standard error, so those stay machine-readable.
                        if args.format == "text" {
                            println!("{name}: notice: {n} [{}]", n.code);
                        } else {
                            eprintln!("{name}: notice: {n} [{}]", n.code);
                        }
                    }
                    let policy = gongkai::profile::Disclosure {
                        mask_personal_data: false,
                        ..profile.disclosure.clone()
                    };
                    gongkai::disclose::apply(&mut doc, &policy);
                    gongkai::check::check_with(&doc, config)
                }
                Err(e) => {
                    eprintln!("{}", gongkai::error::report(&e));
                    failed = true;
                    continue;
                }
            }
        };
        if findings.is_empty() {
            ok.push(name.clone());
        }
        all.extend(findings.into_iter().map(|f| (name.clone(), f)));
    }
    if let Some(level) = args.strict
        && all.iter().any(|(_, f)| f.severity >= level)
    {
        failed = true;
    }
    let text = match args.format.as_str() {
        "json" => {
            let items: Vec<serde_json::Value> = all
                .iter()
                .map(|(file, f)| {
                    let mut v = serde_json::to_value(f).unwrap_or_default();
                    if let Some(o) = v.as_object_mut() {
                        o.insert("input".into(), serde_json::Value::String(file.clone()));
                    }
                    v
                })
                .collect();
            serde_json::to_string_pretty(&items)? + "\n"
        }
        "csv" => gongkai::check::to_csv(all.iter().map(|(file, f)| (file.as_str(), f))),
        _ => {
            let mut out = String::new();
            for (file, f) in &all {
                out.push_str(&format!("{file}: {}: {f} [{}]\n", f.severity, f.rule));
            }
            for file in &ok {
                out.push_str(&format!("{file}: ok\n"));
            }
            out
        }
    };
    print_stdout(&text)?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A usage error (exit 2) when `--to` names a format twice (`--to md,md`).
fn repeated_format(asked: &[OutputFormat]) -> Option<ExitCode> {
    let (_, f) = asked
        .iter()
        .enumerate()
        .find(|(i, f)| asked[..*i].contains(f))?;
    eprintln!("gongkai: --to names {f} more than once; name each format once");
    Some(ExitCode::from(2))
}

/// The formats asked for (every one `writes` can write when none is
/// named), sorted and deduplicated; `Err` names the first it cannot write.
fn select_formats(
    asked: &[OutputFormat],
    writes: impl Fn(OutputFormat) -> bool,
) -> Result<Vec<OutputFormat>, OutputFormat> {
    let mut formats: Vec<OutputFormat> = if asked.is_empty() {
        OutputFormat::ALL
            .into_iter()
            .filter(|f| writes(*f))
            .collect()
    } else {
        asked.to_vec()
    };
    formats.sort();
    formats.dedup();
    match formats.iter().find(|f| !writes(**f)) {
        Some(f) => Err(*f),
        None => Ok(formats),
    }
}

fn convert(args: ConvertArgs) -> anyhow::Result<ExitCode> {
    if let Some(code) = repeated_format(&args.to) {
        return Ok(code);
    }
    let formats = match select_formats(&args.to, |_| true) {
        Ok(f) => f,
        Err(f) => {
            eprintln!("gongkai: {f} output is not supported yet");
            return Ok(ExitCode::from(2));
        }
    };
    std::fs::create_dir_all(&args.out).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot create the output folder: {e}",
            args.out.display()
        )
    })?;
    let names = gongkai::output_stems(&args.files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let inputs: Vec<PathBuf> = args
        .files
        .iter()
        .filter_map(|f| f.canonicalize().ok())
        .collect();
    let mut profile = load_profile(args.template.as_deref(), args.keep_hidden)?;
    profile.limits = args.input.limits.over(profile.limits);
    let options = read_options(&args.input)
        .with_limits(profile.limits)
        .with_keep_hidden(!profile.disclosure.omits_hidden());
    let mut failed = false;
    for (file, stem) in args.files.iter().zip(&names) {
        let stdin_stem = std::ffi::OsString::from("stdin");
        let stem = if file.as_os_str() == "-" {
            &stdin_stem
        } else {
            stem
        };
        let doc = match read_input(file, &options) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("{}", gongkai::error::report(&e));
                failed = true;
                continue;
            }
        };
        let render_options = RenderOptions::default()
            .with_profile(profile.clone())
            .dated_for(&doc);
        let warnings = doc.warnings.clone();
        let converted = match gongkai::convert(doc, &formats, &render_options) {
            Ok(c) => c,
            Err(source) => {
                let e = gongkai::Error::Convert {
                    path: file.display().to_string(),
                    source,
                };
                eprintln!("{}", gongkai::error::report(&e));
                failed = true;
                continue;
            }
        };
        for w in &warnings {
            eprintln!("{}: warning: {w}", file.display());
        }
        for f in &converted.findings {
            eprintln!("{}: {}: {f} [{}]", file.display(), f.severity, f.rule);
        }
        for w in &converted.disclosure {
            eprintln!("{}: warning: {w}", file.display());
        }
        if let Some(level) = args.strict
            && gongkai::check::fails(&converted.findings, level)
        {
            eprintln!(
                "{}: {} finding(s) at {level} or worse and --strict={level}: not written",
                file.display(),
                converted
                    .findings
                    .iter()
                    .filter(|f| f.severity >= level)
                    .count()
            );
            failed = true;
            continue;
        }
        let mut written = Vec::new();
        for (format, out) in &converted.outputs {
            for w in &out.warnings {
                eprintln!("{}: warning: {format}: {w}", file.display());
            }
            let target = args.out.join(gongkai::output_file_name(stem, *format));
            if target.canonicalize().is_ok_and(|t| inputs.contains(&t)) {
                eprintln!(
                    "{}: not writing {}: it is one of the inputs",
                    file.display(),
                    target.display()
                );
                failed = true;
                continue;
            }
            match gongkai::write_atomic(&target, &out.bytes) {
                Ok(()) => written.push(target.display().to_string()),
                Err(source) => {
                    let e = gongkai::Error::Io {
                        path: target.display().to_string(),
                        source,
                    };
                    eprintln!("{}", gongkai::error::report(&e));
                    failed = true;
                }
            }
        }
        if !args.quiet && !written.is_empty() {
            println!("{} → {}", file.display(), written.join(", "));
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
