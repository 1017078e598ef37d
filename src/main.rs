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
    /// from its folder: table files plus chapters written as Markdown.
    Book(BookArgs),
    /// Check the numbers and indicators of table files.
    Check {
        /// Input files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Treat findings as errors (exit 1 when there are any).
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Print the JSON Schema of the model.
    Schema,
}

#[derive(Args)]
struct InputArgs {
    /// Read the input as this format, whatever its name and content say
    /// (text, csv, fixed, markdown, json, xlsx, xls, ods, docx).
    #[arg(long, value_parser = parse_format)]
    from: Option<Format>,
}

#[derive(Args)]
struct ConvertArgs {
    /// Input files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output folder (created if missing).
    #[arg(long, short)]
    out: PathBuf,
    /// Output formats, comma-separated: pdf, docx, md, json (default: all).
    #[arg(long, value_delimiter = ',')]
    to: Vec<OutputFormat>,
    #[command(flatten)]
    input: InputArgs,
    /// Rendering profile: a bundled name (default, gbt9704) or a .toml file.
    #[arg(long, short)]
    template: Option<String>,
    /// Treat check findings as errors: a file with findings is not written
    /// and the exit code is 1.
    #[arg(long)]
    strict: bool,
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
    /// Output formats, comma-separated: pdf, docx, md, json (default: all
    /// this build writes).
    #[arg(long, value_delimiter = ',')]
    to: Vec<OutputFormat>,
    /// Worker threads (default: one per core).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Convert only shard I of N (0-based): a deterministic split by path,
    /// for running one tree on N machines. Each shard writes its own
    /// manifest part; join them with --merge-manifests.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(u32, u32)>,
    /// Convert every input, even those unchanged since the last run.
    #[arg(long)]
    force: bool,
    /// Rendering profile: a bundled name (default, gbt9704) or a .toml file.
    #[arg(long, short)]
    template: Option<String>,
    /// Print only failures and the summary.
    #[arg(long, short)]
    quiet: bool,
    /// Join the manifest parts of a sharded run in this folder into
    /// manifest.json, and do nothing else.
    #[arg(long, value_name = "OUT", conflicts_with_all = ["root", "shard", "force"])]
    merge_manifests: Option<PathBuf>,
}

#[derive(Args)]
struct BookArgs {
    /// The department folder.
    folder: PathBuf,
    /// Output folder.
    #[arg(long, short)]
    out: PathBuf,
    /// Output formats, comma-separated: pdf, docx, md (default: all this
    /// build writes).
    #[arg(long, value_delimiter = ',')]
    to: Vec<OutputFormat>,
    /// Rendering profile: a bundled name (default, gbt9704) or a .toml file.
    #[arg(long, short)]
    template: Option<String>,
    /// Treat check findings as errors (exit 1, nothing written).
    #[arg(long)]
    strict: bool,
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
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gongkai: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Convert(args) => convert(args),
        Command::Inspect { file, input } => inspect(&file, &input),
        Command::Batch(args) => batch(args),
        Command::Book(args) => book(args),
        Command::Check {
            files,
            strict,
            input,
        } => check(&files, strict, &input),
        Command::Schema => {
            let schema = schemars::schema_for!(gongkai::Document);
            print_stdout(&(serde_json::to_string_pretty(&schema)? + "\n"))
        }
    }
}

fn load_profile(template: Option<&str>) -> anyhow::Result<gongkai::profile::Profile> {
    Ok(match template {
        Some(t) => gongkai::profile::Profile::load(t)?,
        None => gongkai::profile::Profile::default(),
    })
}

fn read_options(input: &InputArgs) -> ReadOptions {
    ReadOptions { from: input.from }
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
    let result = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        gongkai::read_bytes(&bytes, "-", &read_options(input)).map_err(|source| {
            gongkai::Error::Read {
                path: "-".into(),
                source,
            }
        })
    } else {
        gongkai::read_path(file, &read_options(input))
    };
    match result {
        Ok(doc) => {
            for w in &doc.warnings {
                eprintln!("{}: warning: {w}", file.display());
            }
            print_stdout(&(serde_json::to_string_pretty(&doc)? + "\n"))
        }
        Err(e) => {
            eprintln!("{e}");
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
                eprintln!("gongkai: {e}");
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
    let formats = match select_formats(&args.to, OutputFormat::is_supported) {
        Ok(f) => f,
        Err(f) => {
            eprintln!("gongkai: {f} output is not supported yet");
            return Ok(ExitCode::from(2));
        }
    };
    let template = args.template.clone().unwrap_or_else(|| "default".into());
    let profile = load_profile(Some(&template))?;
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
            eprintln!("gongkai: {e}");
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
    let profile = load_profile(args.template.as_deref())?;
    let formats = match select_formats(&args.to, gongkai::book::writes) {
        Ok(f) => f,
        Err(f) => {
            eprintln!("gongkai: the book is not written as {f}");
            return Ok(ExitCode::from(2));
        }
    };
    let created = gongkai::time::source_date_epoch()
        .unwrap_or_else(|| gongkai::book::newest_input_time(&args.folder));
    let options = gongkai::book::BookOptions {
        created,
        ..Default::default()
    };
    let mut book = match gongkai::book::build(&args.folder, &options) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("gongkai: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let folder = args.folder.display().to_string();
    let findings = gongkai::book::checks::check(&book);
    let disclosure = book.disclose(&profile.disclosure);
    for w in book.warnings.iter().chain(&findings).chain(&disclosure) {
        eprintln!("{folder}: warning: {w}");
    }
    if args.strict && !findings.is_empty() {
        eprintln!(
            "{folder}: {} finding(s) and --strict: not written",
            findings.len()
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
        .with_created(created);
    let mut failed = false;
    let stem = gongkai::book::file_stem_for(&book);
    for format in formats {
        let target = args.out.join(format!("{stem}.{}", format.extension()));
        let result = gongkai::book::render(&book, format, &render_options)
            .map_err(|e| e.to_string())
            .and_then(|out| {
                for w in &out.warnings {
                    eprintln!("{folder}: warning: {format}: {w}");
                }
                gongkai::write_atomic(&target, &out.bytes).map_err(|e| e.to_string())
            });
        match result {
            Ok(()) => println!("{folder} → {}", target.display()),
            Err(e) => {
                eprintln!("{folder}: {format}: {e}");
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
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|source| {
        gongkai::Error::Io {
            path: "stdin".into(),
            source,
        }
    })?;
    gongkai::read_bytes(&bytes, "stdin", options).map_err(|source| gongkai::Error::Read {
        path: "stdin".into(),
        source,
    })
}

fn check(files: &[PathBuf], strict: bool, input: &InputArgs) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let mut total = 0;
    for file in files {
        let doc = match read_input(file, &read_options(input)) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("{e}");
                failed = true;
                continue;
            }
        };
        let findings = gongkai::check::check(&doc);
        total += findings.len();
        let level = if strict { "error" } else { "warning" };
        for f in &findings {
            println!("{}: {level}: {f} [{}]", file.display(), f.code);
        }
        if findings.is_empty() {
            println!("{}: ok", file.display());
        }
    }
    if strict && total > 0 {
        failed = true;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
    let formats = match select_formats(&args.to, OutputFormat::is_supported) {
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
    let options = read_options(&args.input);
    let profile = load_profile(args.template.as_deref())?;
    let mut failed = false;
    for (file, stem) in args.files.iter().zip(&names) {
        let stdin_stem = "stdin".to_string();
        let stem = if file.as_os_str() == "-" {
            &stdin_stem
        } else {
            stem
        };
        let doc = match read_input(file, &options) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("{e}");
                failed = true;
                continue;
            }
        };
        let render_options = RenderOptions::default()
            .with_profile(profile.clone())
            .dated_from(file);
        let warnings = doc.warnings.clone();
        let converted = match gongkai::convert(doc, &formats, &render_options) {
            Ok(c) => c,
            Err((format, e)) => {
                eprintln!("{}: {format}: {e}", file.display());
                failed = true;
                continue;
            }
        };
        for w in warnings
            .iter()
            .chain(&converted.findings)
            .chain(&converted.disclosure)
        {
            eprintln!("{}: warning: {w}", file.display());
        }
        if args.strict && !converted.findings.is_empty() {
            eprintln!(
                "{}: {} finding(s) and --strict: not written",
                file.display(),
                converted.findings.len()
            );
            failed = true;
            continue;
        }
        let mut written = Vec::new();
        for (format, out) in &converted.outputs {
            for w in &out.warnings {
                eprintln!("{}: warning: {format}: {w}", file.display());
            }
            let target = args.out.join(format!("{stem}.{}", format.extension()));
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
                Err(e) => {
                    eprintln!("{}: {e}", target.display());
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
