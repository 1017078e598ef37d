//! Batch throughput on the tree of benches/make_tree.py: 100 xlsx written by
//! openpyxl and 100 docx written by python-docx, seed-sized, with varied
//! names and amounts (without python3 and those modules, the same shape made
//! here by re-zipping the seed fixtures). The release binary converts it to
//! PDF with --jobs 1 and 2, to all four formats and to md, json and docx
//! with --jobs 2; one table of seconds, files per second and peak RSS (from
//! `/usr/bin/time` where installed), then the seed PDF's and the sample
//! book PDF's sizes. When `soffice` is on the PATH, it converts the same
//! 200 files to PDF in one call for the ratio (set GONGKAI_BENCH_SOFFICE=0
//! to skip it).
//!
//! `cargo bench --bench batch`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Files of each kind in the generated tree.
const COPIES: usize = 100;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `seed` (a zip package) re-zipped with the one part `part` edited.
fn rezip(seed: &[u8], part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(seed)).expect("seed package");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for k in 0..zin.len() {
        let mut f = zin.by_index(k).expect("entry");
        let name = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("inflate");
        if name == part {
            data = edit(String::from_utf8(data).expect("utf-8")).into_bytes();
        }
        out.start_file(name, opts).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// The seed workbook with its title and two amounts varied; the sums stay
/// consistent (3593 = … + 3000).
fn xlsx_copy(seed: &[u8], i: usize) -> Vec<u8> {
    rezip(seed, "xl/worksheets/sheet1.xml", |s| {
        s.replacen(
            "</t></is></c></row>",
            &format!("-{i}</t></is></c></row>"),
            1,
        )
        .replace("<v>3593</v>", &format!("<v>{}</v>", 3593 + i))
        .replace("<v>3000</v>", &format!("<v>{}</v>", 3000 + i))
    })
}

/// The seed Word file (a fixture not written by gongkai) with the title and
/// two amounts varied: the package re-zipped with `word/document.xml` edited.
fn docx_copy(seed: &[u8], i: usize) -> Vec<u8> {
    rezip(seed, "word/document.xml", |s| {
        s.replace("3,593.00", &format!("{}.00", 3593 + i))
            .replace("3,000.00", &format!("{}.00", 3000 + i))
    })
}

/// The tree in Rust, where Python or its modules are missing: the same
/// shape as make_tree.py's (100 workbooks, 100 Word files, seed-sized),
/// made by re-zipping the seed fixtures, not by gongkai's writers.
fn rust_tree(dir: &Path) -> Vec<PathBuf> {
    let seed_xlsx =
        std::fs::read(root().join("tests/fixtures/corpus/seed/budget.xlsx")).expect("seed");
    let seed_docx =
        std::fs::read(root().join("tests/fixtures/corpus/seed/budget.docx")).expect("seed");
    let mut files = Vec::new();
    for i in 1..=COPIES {
        let dept = dir.join("dept");
        std::fs::create_dir_all(&dept).expect("mkdir");
        let x = dept.join(format!("{i:03}_项目支出绩效目标表_x.xlsx"));
        std::fs::write(&x, xlsx_copy(&seed_xlsx, i)).expect("write");
        let d = dept.join(format!("{i:03}_项目支出绩效目标表_d.docx"));
        std::fs::write(&d, docx_copy(&seed_docx, i)).expect("write");
        files.push(x);
        files.push(d);
    }
    std::fs::copy(
        root().join("tests/fixtures/corpus/seed/budget.xlsx"),
        dir.join("single.xlsx"),
    )
    .expect("seed copy");
    files
}

/// The tree of benches/make_tree.py (openpyxl and python-docx, i.e. files
/// gongkai did not write) when python3 has both modules, else
/// [`rust_tree`]. Returns the 200 files and which maker made them.
fn make_tree(dir: &Path) -> (Vec<PathBuf>, &'static str) {
    let _ = std::fs::remove_dir_all(dir);
    let made = Command::new("python3")
        .arg(root().join("benches/make_tree.py"))
        .arg(root().join("tests/fixtures/corpus/seed/budget.txt"))
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        let _ = std::fs::remove_dir_all(dir);
        return (
            rust_tree(dir),
            "Rust (python3, openpyxl or python-docx missing)",
        );
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("dept"))
        .expect("tree")
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    files.sort();
    (files, "benches/make_tree.py (openpyxl, python-docx)")
}

/// What a run cost: wall seconds, and where /usr/bin/time can tell,
/// CPU seconds (user + system) and peak RSS in MB.
struct Cost {
    wall: f64,
    cpu: Option<f64>,
    rss: Option<f64>,
}

/// Runs a command and measures it.
fn measure(mut cmd: Command) -> Cost {
    let time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("gongkai-bench-{}.time", std::process::id()));
    let _ = std::fs::remove_file(&report);
    let mut run = if time.is_file() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M %U %S").arg("-o").arg(&report);
        c.arg(cmd.get_program());
        c.args(cmd.get_args());
        c
    } else {
        std::mem::replace(&mut cmd, Command::new("true"))
    };
    run.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let start = Instant::now();
    let status = run.status().expect("run");
    let wall = start.elapsed().as_secs_f64();
    if !status.success() {
        eprintln!("warning: the run exited with {status}");
    }
    let fields: Vec<f64> = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| {
            let last = s.lines().last()?.to_string();
            Some(
                last.split_whitespace()
                    .filter_map(|f| f.parse::<f64>().ok())
                    .collect(),
            )
        })
        .unwrap_or_default();
    Cost {
        wall,
        rss: fields.first().map(|kb| kb / 1024.0),
        cpu: (fields.len() == 3).then(|| fields[1] + fields[2]),
    }
}

/// Size in KB of the one PDF `gongkai ARGS` writes into `out`.
fn pdf_kb(bin: &str, args: &[&std::ffi::OsStr], out: &Path) -> Option<f64> {
    let _ = std::fs::remove_dir_all(out);
    let ok = Command::new(bin)
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--to")
        .arg("pdf")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        return None;
    }
    let pdf = std::fs::read_dir(out)
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))?;
    Some(std::fs::metadata(pdf).ok()?.len() as f64 / 1000.0)
}

fn main() {
    let work = root().join("target/bench-batch");
    let tree = work.join("tree");
    let (files, maker) = make_tree(&tree);
    let n = files.len();
    // GONGKAI_BENCH_BIN measures another build (e.g. the one before a
    // change) on the same tree.
    let own = env!("CARGO_BIN_EXE_gongkai").to_string();
    let bin_path = std::env::var("GONGKAI_BENCH_BIN").unwrap_or(own);
    let bin = bin_path.as_str();
    println!("tree: {n} files from {maker}; binary {bin}");
    // CPU seconds are what a loaded machine does not change much; files
    // per CPU second is the rate one free core would give.
    println!(
        "{:<18} {:>4} {:>8} {:>8} {:>8} {:>10} {:>8}",
        "--to", "jobs", "wall s", "files/s", "CPU s", "files/CPUs", "RSS MB"
    );
    let mut pdf2 = 0.0;
    for (to, jobs) in [
        ("pdf", 1),
        ("pdf", 2),
        ("pdf,docx,md,json", 2),
        ("md", 2),
        ("json", 2),
        ("docx", 2),
    ] {
        let out = work.join(format!("out-{}-{jobs}", to.replace(',', "+")));
        let _ = std::fs::remove_dir_all(&out);
        let mut cmd = Command::new(bin);
        cmd.arg("batch")
            .arg(tree.join("dept"))
            .arg("--out")
            .arg(&out)
            .arg("--to")
            .arg(to)
            .arg("--jobs")
            .arg(jobs.to_string())
            .arg("--force")
            .arg("--quiet");
        let cost = measure(cmd);
        let rate = n as f64 / cost.wall;
        if to == "pdf" && jobs == 2 {
            pdf2 = rate;
        }
        let or_na = |v: Option<f64>, digits: usize| {
            v.map_or("n/a".to_string(), |v| format!("{v:.digits$}"))
        };
        println!(
            "{to:<18} {jobs:>4} {:>8.2} {rate:>8.1} {:>8} {:>10} {:>8}",
            cost.wall,
            or_na(cost.cpu, 2),
            or_na(cost.cpu.map(|c| n as f64 / c), 1),
            or_na(cost.rss, 0)
        );
    }
    let kb = |v: Option<f64>| v.map_or("n/a".to_string(), |k| format!("{k:.1} KB"));
    let seed = tree.join("single.xlsx");
    println!(
        "seed PDF (single.xlsx): {}",
        kb(pdf_kb(
            bin,
            &["convert".as_ref(), seed.as_os_str()],
            &work.join("out-seed")
        ))
    );
    let dept = root().join("examples/departments/广州开发区民营经济和企业服务局");
    println!(
        "sample book PDF (examples/departments/广州开发区民营经济和企业服务局): {}",
        kb(pdf_kb(
            bin,
            &["book".as_ref(), dept.as_os_str()],
            &work.join("out-book")
        ))
    );
    let soffice = which("soffice");
    match soffice {
        Some(soffice) if std::env::var("GONGKAI_BENCH_SOFFICE").as_deref() != Ok("0") => {
            let out = work.join("out-soffice");
            let _ = std::fs::remove_dir_all(&out);
            std::fs::create_dir_all(&out).expect("mkdir");
            let profile = work.join("soffice-profile");
            let mut cmd = Command::new(soffice);
            cmd.arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .arg("--headless")
            .arg("--convert-to")
            .arg("pdf")
            .arg("--outdir")
            .arg(&out)
            .args(&files);
            let cost = measure(cmd);
            let rate = n as f64 / cost.wall;
            println!(
                "soffice --convert-to pdf, one call: {:.1} s, {rate:.1} files/s, CPU {} s, peak RSS {} MB",
                cost.wall,
                cost.cpu.map_or("n/a".to_string(), |c| format!("{c:.1}")),
                cost.rss.map_or("n/a".to_string(), |r| format!("{r:.0}"))
            );
            println!("gongkai pdf --jobs 2 / soffice = {:.0}×", pdf2 / rate);
        }
        Some(_) => println!("soffice: skipped (GONGKAI_BENCH_SOFFICE=0)"),
        None => println!("soffice: not found, no comparison"),
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}
