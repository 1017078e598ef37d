//! What the fuzz targets run, apart from libFuzzer so that it builds and
//! is checked on stable Rust (`cargo check --no-default-features` here).

use gongkai::{Format, OutputFormat, ReadOptions, RenderOptions};
use std::sync::Once;

/// libFuzzer's panic hook aborts on every panic, also on one gongkai
/// catches and reports as an error (a damaged .xls makes the spreadsheet
/// library panic: `gongkai::panics`). Wraps that hook, once, so that such
/// a panic passes and any other still aborts: only panics that escape
/// gongkai are findings.
fn tolerate_caught_panics() {
    static WRAP: Once = Once::new();
    WRAP.call_once(|| {
        let outer = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !gongkai::panics::caught_here() {
                outer(info);
            }
        }));
    });
}

/// Reads `data` as `format`; any error is fine, a panic or an abort is a
/// finding.
pub fn read_as(data: &[u8], format: Format) {
    tolerate_caught_panics();
    let options = ReadOptions::default().with_from(format);
    let _ = gongkai::read_bytes(data, "fuzz", &options);
}

/// Reads `data` with the format detected from its content and renders
/// every output format of what reads.
pub fn all_writers(data: &[u8]) {
    tolerate_caught_panics();
    let Ok(doc) = gongkai::read_bytes(data, "fuzz", &ReadOptions::default()) else {
        return;
    };
    let _ = gongkai::convert(doc, &OutputFormat::ALL, &RenderOptions::default());
}
