//! Batch throughput: a generated tree of 200 seed-sized files (100 xlsx, 100
//! docx, with varied names and amounts) converted by the release binary per
//! output format and all together, with --jobs 1 and --jobs 2; files per
//! second and peak RSS of each run. When `soffice` is on the PATH, it
//! converts the same 200 files to PDF in one call for comparison (set
//! GONGKAI_BENCH_SOFFICE=0 to skip it).
//!
//! `cargo bench --bench batch`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Files of each kind in the generated tree.
const COPIES: usize = 100;
/// Folders the files are spread over (a district of departments).
const DEPARTMENTS: usize = 10;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed workbook with its title and two amounts varied; the sums stay
/// consistent (3593 = … + 3000).
fn xlsx_copy(seed: &[u8], i: usize) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(seed)).expect("seed xlsx");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for k in 0..zin.len() {
        let mut f = zin.by_index(k).expect("entry");
        let name = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("inflate");
        if name == "xl/worksheets/sheet1.xml" {
            let mut s = String::from_utf8(data).expect("utf-8");
            s = s.replacen(
                "</t></is></c></row>",
                &format!("-{i}</t></is></c></row>"),
                1,
            );
            s = s.replace("<v>3593</v>", &format!("<v>{}</v>", 3593 + i));
            s = s.replace("<v>3000</v>", &format!("<v>{}</v>", 3000 + i));
            data = s.into_bytes();
        }
        out.start_file(name, opts).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// The seed as our own DOCX with the title and two amounts varied.
fn docx_copy(seed: &gongkai::Document, i: usize) -> Vec<u8> {
    use rust_decimal::Decimal;
    let mut doc = seed.clone();
    let t = &mut doc.tables[0];
    t.title = t.title.as_ref().map(|s| format!("{s}-{i}"));
    for row in &mut t.rows {
        for cell in &mut row.cells {
            if let gongkai::model::Value::Amount(d) = &mut cell.value
                && (*d == Decimal::new(359300, 2) || *d == Decimal::new(300000, 2))
            {
                *d += Decimal::from(i as u64);
            }
        }
    }
    gongkai::render(
        &doc,
        gongkai::OutputFormat::Docx,
        &gongkai::RenderOptions::default(),
    )
    .expect("docx")
    .bytes
}

fn make_tree(dir: &Path) -> Vec<PathBuf> {
    let seed_xlsx =
        std::fs::read(root().join("tests/fixtures/corpus/seed/budget.xlsx")).expect("seed");
    let seed_doc = gongkai::read_path(
        &root().join("tests/fixtures/corpus/seed/budget.docx"),
        &gongkai::ReadOptions::default(),
    )
    .expect("seed docx");
    let _ = std::fs::remove_dir_all(dir);
    let mut files = Vec::new();
    for i in 0..COPIES {
        let dept = dir.join(format!("区第{}部门", i % DEPARTMENTS));
        std::fs::create_dir_all(&dept).expect("mkdir");
        let x = dept.join(format!("{i:03} 项目支出绩效目标表.xlsx"));
        std::fs::write(&x, xlsx_copy(&seed_xlsx, i)).expect("write");
        let d = dept.join(format!("{i:03} 绩效目标表（导出）.docx"));
        std::fs::write(&d, docx_copy(&seed_doc, i)).expect("write");
        files.push(x);
        files.push(d);
    }
    files
}

/// Runs a command; returns wall seconds and peak RSS in MB when
/// /usr/bin/time can tell it.
fn measure(mut cmd: Command) -> (f64, Option<f64>) {
    let time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("gongkai-bench-{}.time", std::process::id()));
    let mut run = if time.is_file() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&report);
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
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        eprintln!("warning: the run exited with {status}");
    }
    let rss = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    (secs, rss)
}

fn main() {
    let work = root().join("target/bench-batch");
    let tree = work.join("tree");
    let files = make_tree(&tree);
    let n = files.len();
    let bin = env!("CARGO_BIN_EXE_gongkai");
    println!("tree: {n} files ({COPIES} xlsx + {COPIES} docx) in {DEPARTMENTS} folders");
    println!(
        "{:<16} {:>4} {:>9} {:>10} {:>12}",
        "to", "jobs", "seconds", "files/s", "peak RSS MB"
    );
    let mut rates = Vec::new();
    for to in ["pdf", "docx", "md", "json", "pdf,docx,md,json"] {
        for jobs in [1, 2] {
            let out = work.join(format!("out-{}-{jobs}", to.replace(',', "+")));
            let _ = std::fs::remove_dir_all(&out);
            let mut cmd = Command::new(bin);
            cmd.arg("batch")
                .arg(&tree)
                .arg("--out")
                .arg(&out)
                .arg("--to")
                .arg(to)
                .arg("--jobs")
                .arg(jobs.to_string())
                .arg("--force")
                .arg("--quiet");
            let (secs, rss) = measure(cmd);
            let rate = n as f64 / secs;
            rates.push((to, jobs, rate));
            println!(
                "{to:<16} {jobs:>4} {secs:>9.2} {rate:>10.1} {:>12}",
                rss.map_or("n/a".to_string(), |r| format!("{r:.0}"))
            );
        }
    }
    for to in ["pdf", "pdf,docx,md,json"] {
        let r1 = rates
            .iter()
            .find(|r| r.0 == to && r.1 == 1)
            .map_or(1.0, |r| r.2);
        let r2 = rates
            .iter()
            .find(|r| r.0 == to && r.1 == 2)
            .map_or(1.0, |r| r.2);
        println!("{to}: --jobs 2 / --jobs 1 = {:.2}×", r2 / r1);
    }
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
            let (secs, rss) = measure(cmd);
            let rate = n as f64 / secs;
            println!(
                "soffice --convert-to pdf, one call: {secs:.1} s, {rate:.1} files/s, peak RSS {} MB",
                rss.map_or("n/a".to_string(), |r| format!("{r:.0}"))
            );
            let ours = rates
                .iter()
                .find(|r| r.0 == "pdf" && r.1 == 2)
                .map_or(0.0, |r| r.2);
            println!("gongkai pdf --jobs 2 / soffice = {:.0}×", ours / rate);
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
