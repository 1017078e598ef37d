//! The `gongkai` command line: parses flags, calls the library, prints,
//! sets the exit code (0 success, 1 a file failed, 2 usage). Every error
//! is one line, `gongkai: error: FILE: …`; the pipeline itself is the
//! library's ([`gongkai::pipeline`]).

use clap::{Args, CommandFactory, Parser, Subcommand};
use gongkai::model::Format;
use gongkai::pipeline::{PipelineError, Plan};
use gongkai::{OutputFormat, ReadOptions, RenderOptions};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Convert Chinese government budget tables (txt, csv, md, xlsx, xls, ods,
/// docx) into public-disclosure versions (pdf, docx, md, json).
#[derive(Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    /// Print only errors and warnings: no lines for what was written, no
    /// progress (`batch` keeps its summary).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: in `batch`, every warning of every file (otherwise
    /// only counted; all of them are in manifest.json).
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert table files into the output formats ("-" reads standard
    /// input).
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
    /// Check table files ("-" reads standard input), and department folders
    /// as whole books: sums, identities, totals between tables, required
    /// tables and chapters, years, units and the prose against the tables.
    Check(CheckArgs),
    /// Print the JSON Schema of the model.
    Schema,
    /// Print a completion script for a shell (bash, elvish, fish,
    /// powershell, zsh), e.g. `gongkai completions bash >
    /// ~/.local/share/bash-completion/completions/gongkai`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `gongkai man > gongkai.1`.
    Man,
}

/// Accepted `--from` names, for help and errors.
const INPUT_FORMATS: &str = "text (txt, tsv), csv, fixed (fixed-width, aligned), markdown (md), json, xlsx, xlsm, xlsb, xls, ods, docx";

#[derive(Args)]
struct CheckArgs {
    /// Input files ("-" for standard input), or department folders (checked
    /// as books).
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
    #[arg(long)]
    template: Option<String>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args)]
struct InputArgs {
    /// Read the input as this format, whatever its name and content say:
    /// text (txt, tsv), csv, fixed (fixed-width, aligned), markdown (md),
    /// json, xlsx, xlsm, xlsb, xls, ods or docx.
    #[arg(long, short, value_parser = parse_format)]
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
    /// Input files ("-" for standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output folder (created if missing).
    #[arg(long, short)]
    out: PathBuf,
    /// Output formats, comma-separated: pdf, pdfa (PDF/A-2u), ofd, docx, md,
    /// json (default: pdf, docx, md and json).
    #[arg(long, short, value_delimiter = ',')]
    to: Vec<OutputFormat>,
    #[command(flatten)]
    input: InputArgs,
    /// Rendering profile: a bundled name (default, gbt9704) or a .toml file.
    #[arg(long)]
    template: Option<String>,
    /// Fail on findings (nothing is rendered or written, exit 1): `--strict`
    /// on errors, `--strict=warning` also on warnings, `--strict=notice` on
    /// any finding.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "error", value_name = "LEVEL")]
    strict: Option<gongkai::check::Severity>,
    /// Keep hidden rows, columns, sheets and Word text, and internal
    /// columns, in the outputs (an archive copy, never a public one); the
    /// JSON keeps the `hidden` flags. Same as `[disclosure] hidden = "keep"`.
    #[arg(long)]
    keep_hidden: bool,
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
    #[arg(long, short, value_delimiter = ',')]
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
    #[arg(long)]
    template: Option<String>,
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
    /// The department folder, or a workbook (.xlsx, .xlsm, .xlsb, .xls,
    /// .ods) holding the whole book.
    folder: PathBuf,
    /// Output folder.
    #[arg(long, short)]
    out: PathBuf,
    /// Output formats, comma-separated: pdf, pdfa (PDF/A-2u), ofd, docx, md
    /// (default: pdf, docx and md).
    #[arg(long, short, value_delimiter = ',')]
    to: Vec<OutputFormat>,
    /// Rendering profile: a bundled name (default, gbt9704, shanghai) or a
    /// .toml file.
    #[arg(long)]
    template: Option<String>,
    /// Fail on findings and on text left from a template (nothing is
    /// rendered or written, exit 1): `--strict` on errors,
    /// `--strict=warning` also on warnings, `--strict=notice` on any
    /// finding.
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
        other => {
            return Err(format!(
                "unknown input format '{other}' (accepted: {INPUT_FORMATS})"
            ));
        }
    };
    Ok(f)
}

/// A mistake in how gongkai was called (exit 2), with a hint.
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Returns a usage mistake from the command.
fn usage<T>(message: impl Into<String>) -> anyhow::Result<T> {
    Err(Usage(message.into()).into())
}

/// How much to print, from the global flags.
#[derive(Debug, Clone, Copy)]
struct Ui {
    quiet: bool,
    verbose: bool,
}

/// Prints an error in the one form every command uses.
fn error(message: impl std::fmt::Display) {
    eprintln!("gongkai: error: {message}");
}

fn main() -> ExitCode {
    let last_panic = quiet_panics();
    let cli = Cli::parse();
    match std::panic::catch_unwind(|| dispatch(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) if e.is::<Usage>() => {
            error(e);
            ExitCode::from(2)
        }
        Ok(Err(e)) => {
            error(format!("{e:#}"));
            ExitCode::from(1)
        }
        Err(_) => {
            let what = last_panic
                .lock()
                .ok()
                .and_then(|p| p.clone())
                .unwrap_or_else(|| "unknown panic".into());
            eprintln!("gongkai: internal error (a bug in gongkai; please report it): {what}");
            ExitCode::from(101)
        }
    }
}

/// Panics print nothing by themselves. One that the library catches
/// inside a dependency (a damaged .xls) becomes the error of its file, in
/// its one line, whatever `RUST_BACKTRACE` says. One not caught is a bug:
/// `main` reports it in one line, and with `RUST_BACKTRACE` set (not 0) the
/// standard report with its backtrace comes first. Returns where the hook
/// keeps the last panic's message and place, for the one line main prints.
fn quiet_panics() -> std::sync::Arc<std::sync::Mutex<Option<String>>> {
    let last_panic = std::sync::Arc::new(std::sync::Mutex::new(None));
    let kept = last_panic.clone();
    let backtrace = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    let standard = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if gongkai::panics::caught_here() {
            return;
        }
        if backtrace {
            standard(info);
        }
        let message = gongkai::panics::message(info.payload());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let line = format!("{}{place}", message.replace('\n', " "));
        if let Ok(mut last) = kept.lock() {
            *last = Some(line);
        }
    }));
    last_panic
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let ui = Ui {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Convert(args) => convert(args, ui),
        Command::Inspect { file, input } => inspect(&file, &input),
        Command::Batch(args) => batch(args, ui),
        Command::Book(args) => book(args, ui),
        Command::Check(args) => check(&args, ui),
        Command::Schema => {
            let schema = schemars::schema_for!(gongkai::Document);
            print_stdout(&(serde_json::to_string_pretty(&schema)? + "\n"))
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "gongkai", &mut script);
            print_stdout(&String::from_utf8_lossy(&script))
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            print_stdout(&String::from_utf8_lossy(&page))
        }
    }
}

/// What an input path is, for the usage checks.
enum Input {
    Stdin,
    File,
    Folder,
}

/// Looks at an input before anything is read: a path that does not exist
/// is a usage mistake (exit 2) in our words. `-` is standard input where
/// `stdin` says the command reads it.
fn look_at(path: &Path, stdin: bool) -> anyhow::Result<Input> {
    if stdin && path.as_os_str() == "-" {
        return Ok(Input::Stdin);
    }
    let hint = if stdin {
        "check the path; \"-\" reads standard input"
    } else {
        "check the path"
    };
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok(Input::Folder),
        Ok(_) => Ok(Input::File),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => usage(format!(
            "{}: no such file or folder ({hint})",
            path.display()
        )),
        // Other refusals (permissions …) are the file's error when it is read.
        Err(_) => Ok(Input::File),
    }
}

/// Standard input given more than once.
fn stdin_once(files: &[PathBuf]) -> anyhow::Result<()> {
    if files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return usage("\"-\" (standard input) is given more than once; it can be read once");
    }
    Ok(())
}

/// The profile named (or the default), with `--limits` over its
/// `[limits]` (before the profile's font files are checked against them);
/// `keep_hidden` (`--keep-hidden`) switches its hidden policy to keep.
fn load_profile(
    template: Option<&str>,
    keep_hidden: bool,
    limits: &LimitArgs,
) -> anyhow::Result<gongkai::profile::Profile> {
    let mut profile = match template {
        Some(t) => gongkai::profile::Profile::load_with_limits(t, limits.limits.as_deref())?,
        None => gongkai::profile::Profile::default(),
    };
    profile.limits = limits.over(profile.limits);
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

/// Reads one input; `-` is standard input (format from the content, named
/// `stdin` in outputs and messages).
fn read_input(file: &Path, options: &ReadOptions) -> Result<gongkai::Document, gongkai::Error> {
    if file.as_os_str() == "-" {
        gongkai::read_stdin(options)
    } else {
        gongkai::read_path(file, options)
    }
}

fn inspect(file: &Path, input: &InputArgs) -> anyhow::Result<ExitCode> {
    if let Input::Folder = look_at(file, true)? {
        return usage(format!(
            "{}: is a folder; inspect reads one file (`gongkai check {}` checks a department folder)",
            file.display(),
            file.display()
        ));
    }
    match read_input(file, &read_options(input)) {
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

/// Lines of batch progress waiting for their turn: off a terminal they are
/// printed in the order of the inputs, whichever worker finishes first.
#[derive(Default)]
struct Ordered {
    /// Each input's place in the order.
    place: std::collections::BTreeMap<String, usize>,
    /// Finished inputs not yet printed, by place: (to stderr, line).
    waiting: std::collections::BTreeMap<usize, Vec<(bool, String)>>,
    /// The next place to print.
    next: usize,
}

/// Shows batch progress: a bar on a terminal, plain lines otherwise.
struct BatchProgress {
    bar: Option<indicatif::ProgressBar>,
    ui: Ui,
    total: std::sync::atomic::AtomicUsize,
    done: std::sync::atomic::AtomicUsize,
    ordered: std::sync::Mutex<Ordered>,
}

impl BatchProgress {
    /// The lines for one finished input: (to stderr, line).
    fn lines(&self, n: usize, r: &gongkai::batch::FileRecord) -> Vec<(bool, String)> {
        use gongkai::batch::Status;
        let total = self.total.load(std::sync::atomic::Ordering::Relaxed);
        let mut lines = Vec::new();
        match r.status {
            Status::Failed => lines.push((
                true,
                format!(
                    "gongkai: error: {}: {}",
                    r.path,
                    r.error.as_deref().unwrap_or("")
                ),
            )),
            _ if self.ui.quiet => {}
            Status::Skipped => lines.push((
                false,
                format!(
                    "[{n}/{total}] {}: skipped: {}",
                    r.path,
                    r.reason.as_deref().unwrap_or("")
                ),
            )),
            Status::Converted => lines.push((
                false,
                format!(
                    "[{n}/{total}] {}: converted ({} warning(s))",
                    r.path,
                    r.warnings.len()
                ),
            )),
            Status::Unchanged => {
                lines.push((false, format!("[{n}/{total}] {}: unchanged", r.path)))
            }
        }
        if self.ui.verbose {
            for w in &r.warnings {
                lines.push((true, format!("{}: warning: {w}", r.path)));
            }
        }
        lines
    }
}

impl gongkai::batch::Progress for BatchProgress {
    fn inputs(&self, paths: &[&str]) {
        if let Ok(mut o) = self.ordered.lock() {
            o.place = paths
                .iter()
                .enumerate()
                .map(|(i, p)| (p.to_string(), i))
                .collect();
        }
    }

    fn start(&self, total: usize) {
        self.total
            .store(total, std::sync::atomic::Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    fn file_done(&self, r: &gongkai::batch::FileRecord) {
        if let Some(bar) = &self.bar {
            let n = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            // On a terminal: failures and warnings above the bar, as they come.
            for (_, line) in self.lines(n, r).into_iter().filter(|(err, _)| *err) {
                bar.println(line);
            }
            bar.set_message(r.path.clone());
            bar.inc(1);
            return;
        }
        let Ok(mut o) = self.ordered.lock() else {
            return;
        };
        let Some(&place) = o.place.get(&r.path) else {
            let n = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            print_lines(self.lines(n, r));
            return;
        };
        let lines = self.lines(place + 1, r);
        o.waiting.insert(place, lines);
        while let Some(lines) = {
            let next = o.next;
            o.waiting.remove(&next)
        } {
            o.next += 1;
            print_lines(lines);
        }
    }
}

/// Prints progress lines, each to stdout or stderr.
fn print_lines(lines: Vec<(bool, String)>) {
    for (err, line) in lines {
        if err {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
}

/// The bar's rate: files a second, to one decimal below 10, whole above.
fn rate(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let per_sec = state.per_sec();
    let _ = if per_sec < 10.0 {
        write!(w, "{per_sec:.1} files/s")
    } else {
        write!(w, "{per_sec:.0} files/s")
    };
}

fn batch(args: BatchArgs, ui: Ui) -> anyhow::Result<ExitCode> {
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
        if !ui.quiet {
            println!(
                "merged {} file(s) into {}: converted {}, unchanged {}, skipped {}, failed {}",
                outcome.manifest.files.len(),
                outcome.manifest_path.display(),
                c.converted,
                c.unchanged,
                c.skipped,
                c.failed
            );
        }
        return Ok(if c.failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    let (Some(root), Some(out)) = (args.root, args.out) else {
        return usage("batch needs ROOT and --out");
    };
    match look_at(&root, false)? {
        Input::Folder => {}
        Input::Stdin | Input::File => {
            return usage(format!(
                "{}: is not a folder; batch converts a tree of folders (use `gongkai convert {} --out DIR` for one file)",
                root.display(),
                root.display()
            ));
        }
    }
    let formats = select_formats(&args.to, |_| true, "output is not supported yet")?;
    let template = args.template.clone().unwrap_or_else(|| "default".into());
    let profile = load_profile(Some(&template), args.keep_hidden, &args.limits)?;
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
    let bar = (!ui.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} files  {rate}  eta {eta}  {wide_msg}",
        ) {
            bar.set_style(style.with_key("rate", rate));
        }
        bar
    });
    let progress = BatchProgress {
        bar,
        ui,
        total: Default::default(),
        done: Default::default(),
        ordered: Default::default(),
    };
    let result = gongkai::batch::run(&options, &progress);
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{}", gongkai::error::report(&e));
            return Ok(ExitCode::from(1));
        }
    };
    let c = outcome.manifest.summary;
    let files = outcome.manifest.files.len();
    let rate = if outcome.seconds > 0.0 {
        (c.converted as f64) / outcome.seconds
    } else {
        0.0
    };
    // The summary stays under --quiet (batch's --quiet has always kept it).
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

fn book(args: BookArgs, ui: Ui) -> anyhow::Result<ExitCode> {
    if let Input::File | Input::Stdin = look_at(&args.folder, false)?
        && !gongkai::book::is_workbook_name(&args.folder)
    {
        return usage(format!(
            "{}: is not a folder or a workbook; book makes a department's book from its folder, \
             or from one workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) that holds it \
             (use `gongkai convert {} --out DIR` for one file)",
            args.folder.display(),
            args.folder.display()
        ));
    }
    let profile = load_profile(args.template.as_deref(), args.keep_hidden, &args.limits)?;
    let formats = select_formats(
        &args.to,
        gongkai::writes_book,
        "is not a format the book is written in",
    )?;
    let options = gongkai::book::BookOptions {
        created: gongkai::time::source_date_epoch(),
        limits: profile.limits,
        keep_hidden: !profile.disclosure.omits_hidden(),
        table_order: profile.book.table_order.clone(),
        ..Default::default()
    };
    let book = match gongkai::book::build(&args.folder, &options) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}", gongkai::error::report(&e));
            return Ok(ExitCode::from(1));
        }
    };
    let folder = args.folder.display().to_string();
    for w in &book.warnings {
        eprintln!("{folder}: warning: {w}");
    }
    let plan = Plan {
        formats: &formats,
        strict: args.strict,
        dir: &args.out,
        inputs: &[],
        durability: gongkai::pipeline::Durability::EachFile,
    };
    // Named and dated by the public version (a masked title is not in
    // the file name).
    let published = gongkai::pipeline::publish(book, &profile, &plan, |book| {
        let render_options = RenderOptions::default()
            .with_profile(profile.clone())
            .with_created(gongkai::book::epoch(book, &options));
        (render_options, gongkai::book::file_stem_for(book).into())
    });
    report_checked(
        &folder,
        &published.checked.findings,
        &published.checked.disclosure,
    );
    report_written(&folder, published.written, ui, |folder, written| {
        for w in written {
            println!("{folder} → {}", w.path.display());
        }
    })
}

/// Prints findings and disclosure reports of one input.
fn report_checked(
    name: &str,
    findings: &[gongkai::check::Finding],
    disclosure: &[gongkai::model::Warning],
) {
    for f in findings {
        eprintln!("{name}: {}: {f} [{}]", f.severity, f.rule);
    }
    for w in disclosure {
        eprintln!("{name}: warning: {w}");
    }
}

/// Prints what was written (unless quiet, by `lines`) and the writers'
/// warnings, or the error; the exit code.
fn report_written(
    name: &str,
    written: Result<Vec<gongkai::pipeline::Written>, PipelineError>,
    ui: Ui,
    lines: impl FnOnce(&str, &[gongkai::pipeline::Written]),
) -> anyhow::Result<ExitCode> {
    match written {
        Ok(written) => {
            for out in &written {
                for w in &out.warnings {
                    eprintln!("{name}: warning: {}: {w}", out.format);
                }
            }
            if !ui.quiet && !written.is_empty() {
                lines(name, &written);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            error(format!("{name}: {e}"));
            Ok(ExitCode::from(1))
        }
    }
}

fn check(args: &CheckArgs, ui: Ui) -> anyhow::Result<ExitCode> {
    stdin_once(&args.files)?;
    let mut kinds = Vec::with_capacity(args.files.len());
    for file in &args.files {
        kinds.push(look_at(file, true)?);
    }
    let profile = load_profile(args.template.as_deref(), false, &args.input.limits)?;
    let config = &profile.checks;
    let mut failed = false;
    let mut all: Vec<(String, gongkai::check::Finding)> = Vec::new();
    let mut ok: Vec<String> = Vec::new();
    for (file, kind) in args.files.iter().zip(kinds) {
        let name = file.display().to_string();
        let findings = if let Input::Folder = kind {
            let options = gongkai::book::BookOptions {
                limits: profile.limits,
                ..Default::default()
            };
            match gongkai::book::build(file, &options) {
                Ok(book) => gongkai::book::check_with(&book, config),
                Err(e) => {
                    error(e);
                    failed = true;
                    continue;
                }
            }
        } else {
            match read_input(file, &read_options(&args.input).with_limits(profile.limits)) {
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
                    error(e);
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
            if !ui.quiet {
                for file in &ok {
                    out.push_str(&format!("{file}: ok\n"));
                }
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

/// The formats asked for (every one `writes` can write when none is
/// named), sorted; a format named twice, or one `writes` cannot write, is
/// a usage mistake (`why` says what is wrong with it).
fn select_formats(
    asked: &[OutputFormat],
    writes: impl Fn(OutputFormat) -> bool,
    why: &str,
) -> anyhow::Result<Vec<OutputFormat>> {
    if let Some((_, f)) = asked
        .iter()
        .enumerate()
        .find(|(i, f)| asked[..*i].contains(f))
    {
        return usage(format!(
            "--to names {f} more than once; name each format once"
        ));
    }
    let mut formats: Vec<OutputFormat> = if asked.is_empty() {
        OutputFormat::ALL
            .into_iter()
            .filter(|f| writes(*f))
            .collect()
    } else {
        asked.to_vec()
    };
    formats.sort();
    match formats.iter().find(|f| !writes(**f)) {
        Some(f) => usage(format!("{f} {why}")),
        None => Ok(formats),
    }
}

fn convert(args: ConvertArgs, ui: Ui) -> anyhow::Result<ExitCode> {
    stdin_once(&args.files)?;
    for file in &args.files {
        if let Input::Folder = look_at(file, true)? {
            return usage(format!(
                "{}: is a folder; convert converts files (use `gongkai batch {} --out DIR` for a tree of folders, \
                 or `gongkai book {} --out DIR` for one department's book)",
                file.display(),
                file.display(),
                file.display()
            ));
        }
    }
    let formats = select_formats(&args.to, |_| true, "output is not supported yet")?;
    let names = gongkai::output_stems(&args.files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let inputs: Vec<PathBuf> = args
        .files
        .iter()
        .filter_map(|f| f.canonicalize().ok())
        .collect();
    let profile = load_profile(
        args.template.as_deref(),
        args.keep_hidden,
        &args.input.limits,
    )?;
    let options = read_options(&args.input)
        .with_limits(profile.limits)
        .with_keep_hidden(!profile.disclosure.omits_hidden());
    let plan = Plan {
        formats: &formats,
        strict: args.strict,
        dir: &args.out,
        inputs: &inputs,
        durability: gongkai::pipeline::Durability::EachFile,
    };
    let mut failed = false;
    // One font store for every file: the faces are parsed once.
    let fonts = gongkai::FontStore::new();
    for (file, stem) in args.files.iter().zip(names) {
        let stem = if file.as_os_str() == "-" {
            OsString::from("stdin")
        } else {
            stem
        };
        let name = file.display().to_string();
        let doc = match read_input(file, &options) {
            Ok(doc) => doc,
            Err(e) => {
                error(e);
                failed = true;
                continue;
            }
        };
        for w in &doc.warnings {
            eprintln!("{name}: warning: {w}");
        }
        // Dated by what the source states, hidden parts included.
        let render_options = RenderOptions::default()
            .with_profile(profile.clone())
            .with_fonts(fonts.clone())
            .dated_for(&doc);
        let published =
            gongkai::pipeline::publish(doc, &profile, &plan, |_| (render_options, stem));
        report_checked(
            &name,
            &published.checked.findings,
            &published.checked.disclosure,
        );
        let code = report_written(&name, published.written, ui, |name, written| {
            let paths: Vec<String> = written
                .iter()
                .map(|w| w.path.display().to_string())
                .collect();
            println!("{name} → {}", paths.join(", "));
        })?;
        failed |= code != ExitCode::SUCCESS;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
