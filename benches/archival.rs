//! What the archival formats cost beside the PDF: wall time per seed
//! document for PDF, PDF/A-2u and OFD in one process once the fonts are
//! loaded, and each output's size.
//!
//! `cargo bench --bench archival` (optionally `-- N` documents per format).

use gongkai::{OutputFormat, ReadOptions, RenderOptions, render};
use std::time::Instant;

/// Documents per format unless given on the command line.
const DEFAULT_DOCS: usize = 100;

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
    let options = RenderOptions::default().with_created(1_740_816_000);
    // Load the fonts once, outside the measurement.
    let _ = render(&seed, OutputFormat::Pdf, &options).expect("render");
    for format in [OutputFormat::Pdf, OutputFormat::PdfA, OutputFormat::Ofd] {
        let size = render(&seed, format, &options).expect("render").bytes.len();
        let t0 = Instant::now();
        for _ in 0..docs {
            std::hint::black_box(render(&seed, format, &options).expect("render"));
        }
        let wall = t0.elapsed().as_secs_f64();
        println!(
            "{:>4}: {docs} seed documents in {wall:.2} s = {:.2} ms each; {size} bytes",
            format.name(),
            wall * 1e3 / docs as f64
        );
    }
}
