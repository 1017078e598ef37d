//! Prints how long reading the ten pdftotext -layout books of
//! ../shared/realdata/pdftotext-derived takes (the fixed-width reader's
//! speed line: under 0.1 s together). `cargo run --release --example
//! fixed_speed [DIR]`.

use std::time::Instant;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/realdata/pdftotext-derived".to_string());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("{dir}: not found; pass the folder of the .layout.txt files");
        std::process::exit(2);
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(&p).ok()?)))
        .collect();
    files.sort();
    let options = gongkai::ReadOptions::default();
    let start = Instant::now();
    let mut tables = 0;
    for (name, bytes) in &files {
        match gongkai::read_bytes(bytes, name, &options) {
            Ok(doc) => tables += doc.tables.len(),
            Err(e) => eprintln!("{name}: {e}"),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} file(s), {tables} table(s) read in {secs:.3} s{}",
        files.len(),
        if secs < 0.1 {
            ""
        } else {
            " (over the 0.1 s line)"
        }
    );
}
