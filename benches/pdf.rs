//! PDF throughput: seed-sized documents per second in one process once the
//! fonts are loaded, CPU time per document, peak memory.
//!
//! `cargo bench --bench pdf` (optionally `-- N` documents per run).

use gongkai::{OutputFormat, ReadOptions, RenderOptions, render};
use std::time::Instant;

/// Documents per measured run unless given on the command line.
const DEFAULT_DOCS: usize = 200;

/// CPU time of the whole process (user + system), in seconds, from
/// /proc/self/stat (clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name in parentheses; utime and stime are
    // fields 14 and 15 (1-based) of the whole line.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// A line of /proc/self/status in MB.
fn status_mb(key: &str) -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

fn main() {
    let docs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(DEFAULT_DOCS);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let seed = gongkai::read_path(
        &root.join("corpus/seed/budget.txt"),
        &ReadOptions::default(),
    )
    .expect("seed");
    let rare = gongkai::read_path(
        &root.join("pdf/v07_rare_chars.txt"),
        &ReadOptions::default(),
    )
    .expect("v07");
    let options = RenderOptions::default().with_created(1_740_816_000);
    let one = |doc| {
        render(doc, OutputFormat::Pdf, &options)
            .expect("render")
            .bytes
    };

    let t0 = Instant::now();
    let first = one(&seed);
    let first_ms = t0.elapsed().as_secs_f64() * 1e3;
    let t0 = Instant::now();
    let _ = one(&rare);
    let extb_ms = t0.elapsed().as_secs_f64() * 1e3;
    println!(
        "first seed PDF (parses the two Noto faces): {first_ms:.0} ms; first Ext-B document (inflates and parses the fallback): {extb_ms:.0} ms"
    );
    println!("seed PDF: {} bytes", first.len());

    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    for _ in 0..docs {
        std::hint::black_box(one(&seed));
    }
    let wall = t0.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    println!(
        "1 thread: {docs} seed PDFs in {wall:.2} s = {:.1} docs/s; {:.1} ms wall, {:.1} ms CPU per document",
        docs as f64 / wall,
        wall * 1e3 / docs as f64,
        cpu * 1e3 / docs as f64
    );

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..docs / threads {
                    std::hint::black_box(one(&seed));
                }
            });
        }
    });
    let wall = t0.elapsed().as_secs_f64();
    let n = docs / threads * threads;
    println!(
        "{threads} threads: {n} seed PDFs in {wall:.2} s = {:.1} docs/s",
        n as f64 / wall
    );
    println!(
        "peak RSS (VmHWM): {:.0} MB; RSS now: {:.0} MB",
        status_mb("VmHWM:"),
        status_mb("VmRSS:")
    );
}
