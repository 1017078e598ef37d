//! Never invent a number: every input either converts with only amounts
//! its source shows, or fails with an error — never an output carrying an
//! amount that is not in the source.
//!
//! Inputs: every file of tests/fixtures/corpus; where ../shared is there,
//! every file of its realdata/pdftotext-derived (whole, and each page cut
//! at its form feeds), corpus (all folders) and fuzz-findings; and a
//! space-aligned version of every corpus table, made here from
//! tests/fixtures/corpus/expected/*.json the way legacy exports and
//! `pdftotext -layout` lay tables out (columns padded with spaces, CJK
//! counted two wide, amounts right-aligned with thousands separators,
//! blanks for empty amounts), in UTF-8 and in GB18030.
//!
//! The comparison:
//!
//! - **The source's numbers.** For text inputs (text, CSV, Markdown) they
//!   are the numbers found in the decoded source text by [`numbers`]: a
//!   run of digits with its thousands separators and decimals is one
//!   number (`4,739,453.65` is 4739453.65, never 4, 739 and 453.65); signs
//!   and brackets are ignored, so amounts are compared by magnitude. For
//!   binary inputs (spreadsheets, Word, the JSON model) the numbers a
//!   person sees are what the reader produced: the numbers of every cell
//!   (its source text where the reader kept one), column name, title, meta
//!   line and note. Those checks then hold the writers to the model.
//! - **The model.** The multiset of amounts in the document (every
//!   `Value::Amount`, by magnitude, trailing zeros dropped) must be a
//!   sub-multiset of the source's numbers: no amount appears that the
//!   source does not show, nor more often than it shows it.
//! - **The outputs.** Markdown and JSON are rendered for every document
//!   that converts and every number in them must be among the source's
//!   numbers (as a set; a masked number such as `138****8000` is skipped,
//!   the disclosure policy wrote it). The JSON's amounts must be the
//!   model's, as a multiset. The PDF is rendered for the text inputs that
//!   convert (at most [`MAX_PDFS`]) and read back with lopdf, which runs
//!   neighbouring cells together, so it is held to the model: every amount
//!   of the model must be shown in it (the PDF writer renders the model,
//!   and nothing else, into the table).

mod common;

use common::*;
use gongkai::model::{Document, Format, Value};
use gongkai::{OutputFormat, ReadOptions, RenderOptions};
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use unicode_width::UnicodeWidthStr;

/// Most PDFs rendered (they are the slow part).
const MAX_PDFS: usize = 40;

/// A multiset of numbers.
type Numbers = BTreeMap<Decimal, usize>;

fn half_width(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '．' => '.',
        '，' => ',',
        c => c,
    }
}

fn add(set: &mut Numbers, token: &str) {
    if let Ok(d) = Decimal::from_str(token) {
        *set.entry(d.abs().normalize()).or_default() += 1;
    }
}

/// Whether `run` is digits with thousands separators: 4,739,453.65.
fn is_grouped(run: &str) -> bool {
    let (int, frac) = run.split_once('.').unwrap_or((run, ""));
    let groups: Vec<&str> = int.split(',').collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// The numbers in a text: maximal runs of digits, commas and points; a
/// run with thousands separators is one number, any other run is split at
/// its commas (and at its points where a part is no number). A run next to
/// `*` (a masked number, `\*` in Markdown) and the number of a character
/// reference (`&#9;`) are skipped.
fn numbers(text: &str) -> Numbers {
    let chars: Vec<char> = text.chars().map(half_width).collect();
    let mut set = Numbers::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || matches!(chars[i], ',' | '.')) {
            i += 1;
        }
        let at = |k: usize| chars.get(k).copied();
        let masked = at(i) == Some('*')
            || (at(i) == Some('\\') && at(i + 1) == Some('*'))
            || (start > 0 && at(start - 1) == Some('*'));
        // `&#9;` in Markdown is a character, not a number.
        let entity = start > 1 && at(start - 1) == Some('#') && at(start - 2) == Some('&');
        let run: String = chars[start..i].iter().collect();
        let run = run.trim_end_matches([',', '.']);
        if masked || entity {
            continue;
        }
        if is_grouped(run) {
            add(&mut set, &run.replace(',', ""));
            continue;
        }
        for part in run.split(',').filter(|p| !p.is_empty()) {
            if part.matches('.').count() <= 1 {
                add(&mut set, part);
            } else {
                part.split('.').for_each(|p| add(&mut set, p));
            }
        }
    }
    set
}

fn union(into: &mut Numbers, from: Numbers) {
    for (k, v) in from {
        *into.entry(k).or_default() += v;
    }
}

/// The text of a text input, decoded as the file says (BOM), else UTF-8,
/// else GB18030.
fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// The numbers a person sees in what the reader produced.
fn model_numbers(doc: &Document) -> Numbers {
    let mut set = Numbers::new();
    for t in &doc.tables {
        for s in t.title.iter().chain(t.notes.iter()) {
            union(&mut set, numbers(s));
        }
        for m in &t.meta {
            union(&mut set, numbers(&m.text));
        }
        for c in &t.columns {
            for p in &c.path {
                union(&mut set, numbers(p));
            }
        }
        for r in &t.rows {
            for cell in &r.cells {
                if let Some(raw) = &cell.raw {
                    union(&mut set, numbers(raw));
                }
                match &cell.value {
                    Value::Text(s) => union(&mut set, numbers(s)),
                    Value::Amount(d) | Value::Percent(d) => {
                        *set.entry(d.abs().normalize()).or_default() += 1
                    }
                    Value::Empty => {}
                }
            }
        }
    }
    set
}

fn amounts(doc: &Document) -> Numbers {
    let mut set = Numbers::new();
    for t in &doc.tables {
        for r in &t.rows {
            for cell in &r.cells {
                if let Value::Amount(d) = &cell.value {
                    *set.entry(d.abs().normalize()).or_default() += 1;
                }
            }
        }
    }
    set
}

/// Amounts of the JSON output: every "amount" field.
fn json_amounts(v: &Json, set: &mut Numbers) {
    match v {
        Json::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("amount", Json::String(s)) => add(set, s.trim_start_matches('-')),
                    _ => json_amounts(x, set),
                }
            }
        }
        Json::Array(a) => a.iter().for_each(|x| json_amounts(x, set)),
        _ => {}
    }
}

fn missing(found: &Numbers, source: &Numbers, as_multiset: bool) -> Vec<String> {
    found
        .iter()
        .filter(|(k, n)| {
            let have = source.get(*k).copied().unwrap_or(0);
            if as_multiset { have < **n } else { have == 0 }
        })
        .map(|(k, n)| {
            format!(
                "{k} (×{n}, source ×{})",
                source.get(k).copied().unwrap_or(0)
            )
        })
        .collect()
}

/// What happened to the inputs.
#[derive(Default)]
struct Tally {
    converted: usize,
    failed: usize,
    pdfs: usize,
    problems: Vec<String>,
}

impl Tally {
    /// Feeds one input; `pdf` allows rendering its PDF.
    fn feed(&mut self, name: &str, bytes: &[u8], pdf: bool) {
        let started = std::time::Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.feed_inner(name, bytes, pdf)
        }));
        if result.is_err() {
            self.problems.push(format!("{name}: panicked"));
        }
        let took = started.elapsed().as_secs_f64();
        if took > 2.0 {
            println!("{name}: {took:.1} s");
        }
    }

    fn feed_inner(&mut self, name: &str, bytes: &[u8], pdf: bool) {
        let doc = match gongkai::read_bytes(bytes, name, &ReadOptions::default()) {
            Ok(doc) => doc,
            Err(e) => {
                self.failed += 1;
                if e.to_string().trim().is_empty() {
                    self.problems
                        .push(format!("{name}: failed without a message"));
                }
                return;
            }
        };
        self.converted += 1;
        let is_text = matches!(
            doc.source.format,
            Format::Text | Format::Csv | Format::Markdown
        );
        let source = if is_text {
            numbers(&decode(bytes))
        } else {
            model_numbers(&doc)
        };
        let model = amounts(&doc);
        let bad = missing(&model, &source, true);
        if !bad.is_empty() {
            self.problems
                .push(format!("{name}: model amounts not in the source: {bad:?}"));
        }
        let mut formats = vec![OutputFormat::Markdown, OutputFormat::Json];
        if pdf && is_text && self.pdfs < MAX_PDFS {
            formats.push(OutputFormat::Pdf);
            self.pdfs += 1;
        }
        let converted = match gongkai::convert(doc, &formats, &RenderOptions::default()) {
            Ok(c) => c,
            Err(gongkai::ConvertError { format, source }) => {
                // A writer's error is an error, not an output.
                if source.to_string().trim().is_empty() {
                    self.problems
                        .push(format!("{name}: {format} failed without a message"));
                }
                return;
            }
        };
        for (format, out) in &converted.outputs {
            match format {
                OutputFormat::Markdown => {
                    let text = String::from_utf8_lossy(&out.bytes);
                    let bad = missing(&numbers(&text), &source, false);
                    if !bad.is_empty() {
                        self.problems
                            .push(format!("{name}: md numbers not in the source: {bad:?}"));
                    }
                }
                OutputFormat::Json => {
                    let v: Json = match serde_json::from_slice(&out.bytes) {
                        Ok(v) => v,
                        Err(e) => {
                            self.problems.push(format!("{name}: json unreadable: {e}"));
                            continue;
                        }
                    };
                    let mut found = Numbers::new();
                    json_amounts(&v["tables"], &mut found);
                    if found != amounts(&converted.doc) {
                        self.problems
                            .push(format!("{name}: json amounts are not the model's"));
                    }
                    let mut tables_only = v.clone();
                    if let Some(o) = tables_only.as_object_mut() {
                        // Provenance (sha256, size) is not a published amount.
                        o.remove("source");
                        o.remove("warnings");
                    }
                    let mut text = Vec::new();
                    strings(&tables_only, &mut text);
                    let bad = missing(&numbers(&text.join("\n")), &source, false);
                    if !bad.is_empty() {
                        self.problems
                            .push(format!("{name}: json numbers not in the source: {bad:?}"));
                    }
                }
                OutputFormat::Pdf => {
                    // lopdf runs neighbouring cells together (`3,593.003,593.00`),
                    // so the PDF is held to the model: every amount the
                    // model has is shown as the Markdown shows it.
                    let text = common::pdf::compact(&common::pdf::text(&out.bytes));
                    for d in amounts(&converted.doc).keys() {
                        let shown = gongkai::format_amount(*d);
                        if !text.contains(&shown) {
                            self.problems
                                .push(format!("{name}: the PDF does not show {shown}"));
                        }
                    }
                }
                OutputFormat::Docx | OutputFormat::PdfA | OutputFormat::Ofd => {}
            }
        }
    }
}

/// Every string of a JSON value.
fn strings(v: &Json, out: &mut Vec<String>) {
    match v {
        Json::String(s) => out.push(s.clone()),
        Json::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Json::Object(m) => m
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "schema" | "index" | "header_rows"))
            .for_each(|(_, x)| strings(x, out)),
        _ => {}
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// ../shared beside the checkout (or beside the worktrees' folder).
fn shared() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [root.join("../shared"), root.join("../../shared")]
        .into_iter()
        .find(|p| p.join("corpus").is_dir())
}

/// 4739453.65 → "4,739,453.65".
fn grouped(amount: &str) -> String {
    let (sign, digits) = match amount.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", amount),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    format!("{sign}{out}")
}

/// A table of the expected JSON laid out with spaces.
fn space_aligned(table: &Json) -> String {
    let strs = |v: &Json| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().unwrap_or("").replace('\n', " "))
                    .collect()
            })
            .unwrap_or_default()
    };
    let columns = strs(&table["columns"]);
    let kinds = strs(&table["column_kinds"]);
    let mut grid = vec![columns.clone()];
    for row in table["rows"].as_array().into_iter().flatten() {
        let cells = row.as_array().cloned().unwrap_or_default();
        grid.push(
            cells
                .iter()
                .enumerate()
                .map(
                    |(i, c)| match (c.as_str(), kinds.get(i).map(String::as_str)) {
                        (Some(s), Some("amount")) => grouped(s),
                        (Some(s), _) => s.replace('\n', " "),
                        (None, _) => String::new(),
                    },
                )
                .collect(),
        );
    }
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            grid.iter()
                .map(|r| r.get(i).map_or(0, |s| s.width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut lines = Vec::new();
    for key in ["title", "department_line", "unit_line"] {
        if let Some(s) = table[key].as_str() {
            lines.push(s.to_string());
        }
    }
    for row in &grid {
        let cells: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let s = row.get(i).map_or("", String::as_str);
                let pad = " ".repeat(w.saturating_sub(s.width()));
                if kinds.get(i).is_some_and(|k| k == "amount") {
                    format!("{pad}{s}")
                } else {
                    format!("{s}{pad}")
                }
            })
            .collect();
        lines.push(cells.join("   ").trim_end().to_string());
    }
    lines.join("\n") + "\n"
}

#[test]
fn no_input_publishes_an_amount_its_source_does_not_show() {
    let mut tally = Tally::default();
    let corpus_dir = corpus("");
    for f in files_under(&corpus_dir) {
        if f.extension().is_some_and(|e| e == "md")
            && f.file_name().is_some_and(|n| n == "README.md")
        {
            continue;
        }
        let bytes = std::fs::read(&f).unwrap();
        tally.feed(&f.display().to_string(), &bytes, true);
    }
    for f in files_under(&corpus_dir.join("expected")) {
        let exp: Json = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
        let tables = match exp["tables"].as_array() {
            Some(t) => t.clone(),
            None => vec![exp.clone()],
        };
        for (i, t) in tables.iter().enumerate() {
            let text = space_aligned(t);
            let name = format!("{} table {} (space-aligned).txt", f.display(), i + 1);
            tally.feed(&name, text.as_bytes(), true);
            let (gb, _, _) = encoding_rs::GB18030.encode(&text);
            tally.feed(&name.replace(".txt", ", GB18030.txt"), &gb, false);
        }
    }
    match shared() {
        None => println!("../shared is missing: only tests/fixtures were fed"),
        Some(shared) => {
            let real = shared.join("realdata/pdftotext-derived");
            for f in files_under(&real) {
                let bytes = std::fs::read(&f).unwrap();
                tally.feed(&f.display().to_string(), &bytes, true);
                let text = String::from_utf8_lossy(&bytes).into_owned();
                for (i, page) in text.split('\u{c}').enumerate() {
                    if !page.trim().is_empty() {
                        tally.feed(
                            &format!("{} page {}.txt", f.display(), i + 1),
                            page.as_bytes(),
                            true,
                        );
                    }
                }
            }
            for f in files_under(&shared.join("corpus")) {
                if f.extension().is_some_and(|e| e == "py") {
                    continue;
                }
                let bytes = std::fs::read(&f).unwrap();
                tally.feed(&f.display().to_string(), &bytes, true);
            }
        }
    }
    println!(
        "{} inputs converted, {} failed with an error, {} PDFs read back",
        tally.converted, tally.failed, tally.pdfs
    );
    assert!(
        tally.converted > 20,
        "too few inputs converted to mean anything"
    );
    assert!(
        tally.problems.is_empty(),
        "{} problem(s):\n{}",
        tally.problems.len(),
        tally.problems.join("\n")
    );
}

/// The fuzz findings, apart so they run beside the rest: Markdown and JSON
/// only (some are PDFs of hundreds of pages; their limits are another
/// issue's).
#[test]
fn no_fuzz_finding_publishes_an_amount_it_does_not_show() {
    let Some(shared) = shared() else {
        println!("../shared is missing: no fuzz findings to feed");
        return;
    };
    let mut tally = Tally::default();
    for f in files_under(&shared.join("fuzz-findings")) {
        let bytes = std::fs::read(&f).unwrap();
        tally.feed(&f.display().to_string(), &bytes, false);
    }
    println!(
        "fuzz findings: {} converted, {} failed with an error",
        tally.converted, tally.failed
    );
    assert!(
        tally.problems.is_empty(),
        "{} problem(s):\n{}",
        tally.problems.len(),
        tally.problems.join("\n")
    );
}

#[test]
fn the_number_finder_reads_numbers_whole() {
    let n = numbers(
        "合计 4,739,453.65 和 (12.50)、３，５９３．００ 1,2 138****8000 2025.03.01 a&#9;b 44\\*\\*",
    );
    let keys: Vec<String> = n.keys().map(|k| k.to_string()).collect();
    assert_eq!(keys, ["1", "2", "3", "12.5", "2025", "3593", "4739453.65"]);
    assert_eq!(grouped("4739453.65"), "4,739,453.65");
    assert_eq!(grouped("-24.40"), "-24.40");
    assert_eq!(grouped("123"), "123");
}
