//! What the fuzz targets run, apart from libFuzzer so that it builds and
//! is checked on stable Rust (`cargo check --no-default-features` here).

use gongkai::{Format, OutputFormat, ReadOptions, RenderOptions};

/// Reads `data` as `format`; any error is fine, a panic or an abort is a
/// finding.
pub fn read_as(data: &[u8], format: Format) {
    let options = ReadOptions::default().with_from(format);
    let _ = gongkai::read_bytes(data, "fuzz", &options);
}

/// Reads `data` with the format detected from its content and renders
/// every output format of what reads.
pub fn all_writers(data: &[u8]) {
    let Ok(doc) = gongkai::read_bytes(data, "fuzz", &ReadOptions::default()) else {
        return;
    };
    let _ = gongkai::convert(doc, &OutputFormat::ALL, &RenderOptions::default());
}
