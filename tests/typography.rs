//! Table typography on real pages (issue 14): amounts and codes never
//! split across lines, in the PDF (read back with lopdf) and in the DOCX
//! as LibreOffice sets it (soffice → PDF → pdftotext -bbox, with the
//! bundled Noto faces standing in for 宋体 and 黑体); short header labels
//! of tables up to eight columns on one line; the sample book's tables at
//! readable sizes.

mod common;

use common::pdf::{TextRun, poppler_words, text_runs};
use gongkai::book::{self, BookOptions};
use gongkai::model::{ColumnKind, Document, Table, Value};
use gongkai::{OutputFormat, ReadOptions, RenderOptions, format_amount, format_percent, render};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The 17-column 部门支出总表 under a three-row merged header
/// (tests/fixtures/gen/wide17.py).
fn wide17() -> PathBuf {
    root().join("tests/fixtures/typo/部门支出总表_17列.xlsx")
}

/// Every corpus file gongkai reads as tables, and the 17-column table.
fn documents() -> Vec<(String, Document)> {
    let mut files = Vec::new();
    for dir in ["seed", "variants", "departments"] {
        for e in walkdir::WalkDir::new(root().join("tests/fixtures/corpus").join(dir))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                files.push(e.into_path());
            }
        }
    }
    files.push(wide17());
    let mut docs = Vec::new();
    for f in files {
        if let Ok(doc) = gongkai::read_path(&f, &ReadOptions::default())
            && !doc.tables.is_empty()
        {
            docs.push((f.display().to_string(), doc));
        }
    }
    assert!(
        docs.len() >= 20,
        "only {} corpus documents read",
        docs.len()
    );
    docs
}

/// What must stay on one line: every amount and percentage, and every
/// code of a code column, as the writers show them.
fn unbreakable(table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for row in &table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            let kind = table.columns.get(c).map(|k| k.kind);
            match (&cell.value, kind) {
                (Value::Amount(d), _) => out.push(format_amount(*d)),
                (Value::Percent(d), _) => out.push(format_percent(*d)),
                (Value::Text(t), Some(ColumnKind::Code))
                    if !t.trim().is_empty() && !t.trim().contains(char::is_whitespace) =>
                {
                    out.push(t.trim().to_string())
                }
                _ => {}
            }
        }
    }
    out
}

/// Header labels that must stay on one line: in tables of up to eight
/// columns, every leaf label of up to ten characters.
fn short_labels(table: &Table) -> Vec<String> {
    if table.columns.len() > 8 {
        return Vec::new();
    }
    table
        .columns
        .iter()
        .filter_map(|c| {
            c.path
                .last()
                .map_or(Some(c.name.as_str()), |l| Some(l.as_str()))
        })
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.chars().count() <= 10 && !l.contains(char::is_whitespace))
        .map(str::to_string)
        .collect()
}

fn counts<'a>(items: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut m = BTreeMap::new();
    for i in items {
        *m.entry(i).or_insert(0) += 1;
    }
    m
}

/// Every string of `want` appears whole among `have` at least as often as
/// `want` holds it; the strings that do not, for the message.
fn missing(want: &[String], have: &[String]) -> Vec<String> {
    let have = counts(have.iter().map(|s| s.trim()));
    let want = counts(want.iter().map(String::as_str));
    want.iter()
        .filter(|(s, n)| have.get(*s).copied().unwrap_or(0) < **n)
        .map(|(s, n)| format!("{s} (×{n}, whole ×{})", have.get(*s).copied().unwrap_or(0)))
        .collect()
}

fn options() -> RenderOptions {
    RenderOptions::default()
}

#[test]
fn pdf_never_splits_an_amount_or_a_code_and_keeps_short_labels_whole() {
    for (name, doc) in documents() {
        let pdf = render(&doc, OutputFormat::Pdf, &options()).unwrap().bytes;
        let runs: Vec<String> = text_runs(&pdf).into_iter().map(|r| r.text).collect();
        let want: Vec<String> = doc.tables.iter().flat_map(unbreakable).collect();
        let lost = missing(&want, &runs);
        assert!(
            lost.is_empty(),
            "{name}: split in the PDF: {lost:?}; runs {:?}",
            &runs[..runs.len().min(40)]
        );
        for t in &doc.tables {
            let labels = short_labels(t);
            let lost: Vec<&String> = labels
                .iter()
                .filter(|l| !runs.iter().any(|r| r.trim() == l.as_str()))
                .collect();
            assert!(
                lost.is_empty(),
                "{name}: header labels wrapped in the PDF: {lost:?}"
            );
        }
    }
}

/// Every amount and code of `table` whole in one run of at least 10.5 pt
/// (where it also stands in a wider table, whose type is smaller, the
/// largest size is this table's), and every short header label whole.
/// Returns how many pieces were checked.
fn assert_readable(title: &str, table: &Table, runs: &[TextRun]) -> usize {
    let mut checked = 0;
    for piece in unbreakable(table) {
        let best = runs
            .iter()
            .filter(|r| r.text.trim() == piece)
            .map(|r| r.size)
            .fold(0.0, f32::max);
        assert!(best > 0.0, "{title}: {piece} not whole");
        assert!(best >= 10.5 - 0.01, "{title}: {piece} at {best} pt");
        checked += 1;
    }
    for label in short_labels(table) {
        assert!(
            runs.iter().any(|r| r.text.trim() == label),
            "{title}: header label {label} wraps"
        );
    }
    checked
}

#[test]
fn the_sample_books_tables_are_set_at_readable_sizes() {
    let folder = root().join("examples/departments/广州开发区民营经济和企业服务局");
    let b = book::build(&folder, &BookOptions::default()).unwrap();
    let pdf = gongkai::render_book(&b, OutputFormat::Pdf, &options())
        .unwrap()
        .bytes;
    let runs = text_runs(&pdf);
    let mut checked = 0;
    for bt in b.tables().filter(|t| t.table.columns.len() <= 8) {
        checked += assert_readable(&bt.title, &bt.table, &runs);
    }
    assert!(checked > 50, "only {checked} amounts checked");
}

/// A fontconfig file that adds the bundled faces and lets them stand in
/// for 宋体 and 黑体, as Noto CJK does on most Linux desktops.
fn fontconfig(dir: &Path) -> PathBuf {
    let conf = dir.join("fonts.conf");
    let fonts = root().join("fonts");
    let text = format!(
        r#"<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{}</dir>
  <cachedir>{}</cachedir>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans SC</family></prefer></alias>
</fontconfig>
"#,
        fonts.display(),
        dir.join("fc-cache").display()
    );
    std::fs::write(&conf, text).unwrap();
    conf
}

#[test]
fn libreoffice_sets_the_docx_without_splitting_amounts_codes_or_short_labels() {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|s| {
        Command::new(s)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(soffice) = soffice else {
        println!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    if Command::new("pdftotext").arg("-v").output().is_err() {
        println!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    }
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-typo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("in")).unwrap();
    let docs = documents();
    let mut inputs = Vec::new();
    for (i, (_, doc)) in docs.iter().enumerate() {
        let docx = render(doc, OutputFormat::Docx, &options()).unwrap().bytes;
        let path = dir.join("in").join(format!("d{i:02}.docx"));
        std::fs::write(&path, docx).unwrap();
        inputs.push(path);
    }
    let conf = fontconfig(&dir);
    let status = Command::new(soffice)
        .env("FONTCONFIG_FILE", &conf)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.join("out"))
        .args(&inputs)
        .output()
        .unwrap();
    assert!(status.status.success(), "soffice failed: {status:?}");
    for (i, (name, doc)) in docs.iter().enumerate() {
        let pdf = dir.join("out").join(format!("d{i:02}.pdf"));
        let words: Vec<String> = poppler_words(&pdf)
            .unwrap_or_else(|| panic!("{name}: LibreOffice wrote no readable PDF"))
            .into_iter()
            .map(|w| w.text)
            .collect();
        let want: Vec<String> = doc.tables.iter().flat_map(unbreakable).collect();
        let lost = missing(&want, &words);
        assert!(lost.is_empty(), "{name}: split in the DOCX: {lost:?}");
        for t in &doc.tables {
            let labels = short_labels(t);
            let lost: Vec<&String> = labels
                .iter()
                .filter(|l| !words.iter().any(|w| w == *l))
                .collect();
            assert!(
                lost.is_empty(),
                "{name}: header labels wrapped in the DOCX: {lost:?}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each page's table rules: the left and right ends of the rectangles it
/// strokes or fills (cell frames and shading), in points.
fn rule_extents(pdf: &[u8]) -> Vec<Option<(f32, f32)>> {
    let doc = common::pdf::load(pdf);
    let num = |o: &lopdf::Object| match o {
        lopdf::Object::Integer(i) => *i as f32,
        lopdf::Object::Real(r) => *r,
        _ => 0.0,
    };
    doc.get_pages()
        .values()
        .map(|&id| {
            let content = doc.get_and_decode_page_content(id).ok()?;
            content
                .operations
                .iter()
                .filter(|op| op.operator == "re" && op.operands.len() == 4)
                .map(|op| {
                    let (x, w) = (num(&op.operands[0]), num(&op.operands[2]));
                    (x.min(x + w), x.max(x + w))
                })
                .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
        })
        .collect()
}

#[test]
fn the_real_workbook_books_tables_are_readable_span_the_width_and_keep_labels_whole() {
    // The book `tests/workbook_book.rs` compares with the published one:
    // the Putuo department template filled with the real figures, set
    // with the shanghai profile.
    let workbook = root().join("tests/fixtures/workbook/putuo-department-2025.xlsx");
    let b = book::build(&workbook, &BookOptions::default()).unwrap();
    let out = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-typo-wb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "book".as_ref(),
            workbook.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .args(["--template", "shanghai", "--to", "pdf"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pdf_path = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("the book's PDF");
    let pdf = std::fs::read(&pdf_path).unwrap();
    let runs = text_runs(&pdf);

    // Body type ≥ 10.5 pt, measured from the text operators, and short
    // header labels whole, in every table of up to eight columns.
    let mut checked = 0;
    let mut tables = 0;
    for bt in b.tables().filter(|t| t.table.columns.len() <= 8) {
        tables += 1;
        checked += assert_readable(&bt.title, &bt.table, &runs);
    }
    assert!(
        tables >= 6 && checked > 50,
        "{tables} tables, {checked} pieces"
    );

    // Tables span the text width: on every page that draws a table the
    // rules run from the left margin to the right one (shanghai: 15 mm).
    let profile = gongkai::profile::Profile::load("shanghai").unwrap();
    let pt = 72.0 / 25.4;
    let sizes = common::pdf::page_sizes(&pdf);
    let mut spanned = 0;
    for (i, extent) in rule_extents(&pdf).into_iter().enumerate() {
        let (Some((left, right)), Some(&(w, h))) = (extent, sizes.get(i)) else {
            continue;
        };
        if w < h {
            continue;
        }
        let want_left = profile.page.margin_left_mm * pt;
        let want_right = w - profile.page.margin_right_mm * pt;
        assert!(
            (left - want_left).abs() < 1.0 && (right - want_right).abs() < 1.0,
            "page {}: table from {left:.1} to {right:.1} pt, text area {want_left:.1}–{want_right:.1}",
            i + 1
        );
        spanned += 1;
    }
    assert!(spanned >= 9, "only {spanned} table pages");
    let _ = std::fs::remove_dir_all(&out);
}

/// Column widths as shares of the table's width: in the PDF from the cell
/// rectangles of the first page (every left and right edge is a column
/// boundary), in the DOCX from `w:gridCol`.
fn pdf_column_shares(pdf: &[u8]) -> Vec<f32> {
    let doc = common::pdf::load(pdf);
    let num = |o: &lopdf::Object| match o {
        lopdf::Object::Integer(i) => *i as f32,
        lopdf::Object::Real(r) => *r,
        _ => 0.0,
    };
    let Some((_, &id)) = doc.get_pages().iter().next() else {
        return Vec::new();
    };
    let content = doc.get_and_decode_page_content(id).unwrap();
    let mut edges: Vec<f32> = Vec::new();
    for op in content.operations.iter() {
        if op.operator == "re" && op.operands.len() == 4 {
            let (x, w) = (num(&op.operands[0]), num(&op.operands[2]));
            for e in [x, x + w] {
                if !edges.iter().any(|have| (have - e).abs() < 0.05) {
                    edges.push(e);
                }
            }
        }
    }
    edges.sort_by(f32::total_cmp);
    let total = edges.last().copied().unwrap_or(0.0) - edges.first().copied().unwrap_or(0.0);
    edges.windows(2).map(|w| (w[1] - w[0]) / total).collect()
}

fn docx_column_shares(docx: &[u8]) -> Vec<f32> {
    let xml = common::golden::docx_document_xml(docx);
    let widths: Vec<f32> = xml
        .match_indices("<w:gridCol w:w=\"")
        .map(|(i, m)| {
            let rest = &xml[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    let total: f32 = widths.iter().sum();
    widths.iter().map(|w| w / total).collect()
}

#[test]
fn the_pdf_and_the_docx_of_a_table_have_the_same_column_proportions() {
    let mut compared = 0;
    for (name, doc) in documents() {
        if doc.tables.len() != 1 {
            continue;
        }
        let pdf = render(&doc, OutputFormat::Pdf, &options()).unwrap().bytes;
        let docx = render(&doc, OutputFormat::Docx, &options()).unwrap().bytes;
        let (p, d) = (pdf_column_shares(&pdf), docx_column_shares(&docx));
        assert_eq!(
            p.len(),
            doc.tables[0].columns.len(),
            "{name}: PDF columns {p:?}"
        );
        assert_eq!(d.len(), p.len(), "{name}: DOCX columns {d:?}, PDF {p:?}");
        for (c, (a, b)) in p.iter().zip(&d).enumerate() {
            assert!(
                (a - b).abs() <= 0.02 * b,
                "{name}: column {} is {:.2} % of the width in the PDF, {:.2} % in the DOCX; PDF {p:?} DOCX {d:?}",
                c + 1,
                a * 100.0,
                b * 100.0
            );
        }
        compared += 1;
    }
    assert!(
        compared >= 15,
        "only {compared} one-table documents compared"
    );
}
