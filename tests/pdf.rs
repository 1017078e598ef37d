//! The PDF public version, checked from the outside: the file read back
//! with lopdf (and, where poppler-utils is installed, with pdftotext too):
//! embedded subset fonts with ToUnicode maps, every character of every cell
//! extractable, document info, the same bytes for the same input whatever
//! the process did before, every readable corpus file rendered.

mod common;

use common::*;
use gongkai::model::Document;
use gongkai::profile::Profile;
use gongkai::{OutputFormat, RenderOptions, render};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2025-03-01 08:00 UTC: a fixed creation time for the tests.
const CREATED: i64 = 1_740_816_000;

fn options() -> RenderOptions {
    RenderOptions::default().with_created(CREATED)
}

fn pdf(doc: &Document) -> Vec<u8> {
    render(doc, OutputFormat::Pdf, &options()).unwrap().bytes
}

fn tmp_dir(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-pdf-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every character a public version must show: title, meta lines,
/// header labels, cells (amounts as formatted), notes.
fn expected_chars(doc: &Document) -> BTreeMap<char, usize> {
    let mut text = String::new();
    for t in &doc.tables {
        text.push_str(t.title.as_deref().unwrap_or(""));
        text.push_str(&shown_text(t));
    }
    multiset(&text)
}

fn multiset(text: &str) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for ch in text.chars().filter(|c| !c.is_whitespace()) {
        *m.entry(ch).or_insert(0) += 1;
    }
    m
}

/// Asserts that the PDF's text (read back through its ToUnicode maps by
/// lopdf, and by pdftotext where installed) has every character of the
/// document at least as often as the document has it.
fn assert_all_characters_extract(doc: &Document, bytes: &[u8], ctx: &str) {
    let mut readers = vec![("lopdf", common::pdf::text(bytes))];
    if let Some(t) = common::pdf::poppler_text(bytes) {
        readers.push(("pdftotext", t));
    }
    for (reader, text) in readers {
        let got = multiset(&text);
        for (ch, n) in expected_chars(doc) {
            let have = got.get(&ch).copied().unwrap_or(0);
            assert!(
                have >= n,
                "{ctx}: {ch:?} (U+{:04X}) {n} times in the cells, {have} in the text {reader} reads",
                ch as u32
            );
        }
    }
}

/// Asserts that every font is embedded as a subset (six-capital tag) with a
/// ToUnicode map; returns the base font names.
fn assert_subset_fonts(bytes: &[u8], ctx: &str) -> Vec<String> {
    let fonts = common::pdf::fonts(bytes);
    assert!(!fonts.is_empty(), "{ctx}: no fonts");
    for f in &fonts {
        assert!(f.embedded && f.is_subset() && f.to_unicode, "{ctx}: {f:?}");
        assert_eq!(f.subtype, "Type0", "{ctx}: {f:?}");
    }
    fonts.into_iter().map(|f| f.base_font).collect()
}

#[test]
fn seed_pdf_has_subset_fonts_every_character_and_document_info() {
    let doc = read("seed/budget.txt");
    let bytes = pdf(&doc);
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        bytes.len() < 300 * 1024,
        "{} bytes is over 300 KB",
        bytes.len()
    );
    let fonts = assert_subset_fonts(&bytes, "seed");
    assert_eq!(fonts.len(), 2, "{fonts:?}");
    assert_all_characters_extract(&doc, &bytes, "seed");
    let info = common::pdf::info(&bytes);
    assert_eq!(info.title, "项目支出绩效目标表（含转移支付项目）");
    assert_eq!(info.author, "广州开发区民营经济和企业服务局（部门）");
    assert!(info.subject.starts_with("预算信息公开"), "{info:?}");
    assert!(
        info.creation_date.starts_with("D:20250301080000"),
        "{info:?}"
    );
    let lo = common::pdf::load(&bytes);
    let info_dict = lo
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|id| lo.get_dictionary(id))
        .unwrap();
    assert!(!info_dict.has(b"GTS_PDFXVersion"), "not a PDF/X file");
    let pages = info.pages;
    let text = common::pdf::compact(&common::pdf::text(&bytes));
    assert!(pages >= 2, "{info:?}");
    for n in 1..=pages {
        assert!(text.contains(&format!("第{n}页共{pages}页")), "{text}");
    }
}

#[test]
fn same_input_same_bytes_in_any_order() {
    let seed = read("seed/budget.txt");
    let v04 = read("variants/v04_财政拨款收支总表.txt");
    let rare = gongkai::read_path(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/v07_rare_chars.txt"),
        &gongkai::ReadOptions::default(),
    )
    .unwrap();
    let a1 = pdf(&seed);
    let b1 = pdf(&v04);
    let c1 = pdf(&rare);
    let c2 = pdf(&rare);
    let b2 = pdf(&v04);
    let a2 = pdf(&seed);
    assert!(a1 == a2 && b1 == b2 && c1 == c2);
    // In threads, at the same time.
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (seed, v04) = (seed.clone(), v04.clone());
            std::thread::spawn(move || (pdf(&v04), pdf(&seed)))
        })
        .collect();
    for h in handles {
        let (b, a) = h.join().unwrap();
        assert!(a == a1 && b == b1);
    }
    // Another date, another file.
    let other = render(
        &seed,
        OutputFormat::Pdf,
        &RenderOptions::default().with_created(CREATED + 86_400),
    )
    .unwrap()
    .bytes;
    assert_ne!(other, a1);
}

#[test]
fn the_command_line_gives_the_same_bytes_twice() {
    let input = corpus("seed/budget.txt");
    let mut outs = Vec::new();
    for run in ["a", "b"] {
        let dir = tmp_dir(&format!("cli-{run}"));
        let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["convert", "--quiet", "--to", "pdf", "--out"])
            .arg(&dir)
            .arg(&input)
            .env("SOURCE_DATE_EPOCH", CREATED.to_string())
            .status()
            .unwrap();
        assert!(status.success());
        outs.push(std::fs::read(dir.join("budget.pdf")).unwrap());
    }
    assert_eq!(outs[0], outs[1]);
    // And the same as the library's, dated the same.
    assert_eq!(outs[0], pdf(&read("seed/budget.txt")));
}

#[test]
fn rare_characters_are_drawn_from_the_fallback_face() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/v07_rare_chars.txt");
    let doc = gongkai::read_path(&path, &gongkai::ReadOptions::default()).unwrap();
    let out = render(&doc, OutputFormat::Pdf, &options()).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let fonts = assert_subset_fonts(&out.bytes, "v07");
    assert!(fonts.iter().any(|f| f.ends_with("+HanaMinB")), "{fonts:?}");
    assert_all_characters_extract(&doc, &out.bytes, "v07");
    let text = common::pdf::text(&out.bytes);
    for ch in ['䶮', '\u{2003E}', '堃', '喆', '珺', '≥', '１'] {
        assert!(text.contains(ch), "{ch}");
    }
}

#[test]
fn a_character_no_font_has_is_a_warning_naming_the_cell() {
    let text = "测试表\n名称\t金额\n项目\u{E000}\t12.00\n";
    let doc = gongkai::read_bytes(text.as_bytes(), "t.txt", &Default::default()).unwrap();
    let out = render(&doc, OutputFormat::Pdf, &options()).unwrap();
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    let w = &out.warnings[0];
    assert_eq!(w.code, "missing-glyph");
    assert!(w.message.contains("U+E000"), "{w}");
    let at = w.at.as_deref().unwrap();
    assert!(
        at.contains("table 1") && at.contains("row 1") && at.contains("'名称'"),
        "{at}"
    );
}

#[test]
fn a_profile_font_file_that_is_missing_is_an_error_naming_it() {
    let mut profile = Profile::default();
    profile.fonts.title.file = Some(PathBuf::from("/no/such/方正小标宋简体.ttf"));
    let doc = read("seed/budget.txt");
    let err = render(&doc, OutputFormat::Pdf, &options().with_profile(profile))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/no/such/方正小标宋简体.ttf"), "{err}");
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn every_readable_corpus_file_renders() {
    let mut files = Vec::new();
    for sub in ["seed", "variants", "departments"] {
        walk(&corpus(sub), &mut files);
    }
    files.push(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/v07_rare_chars.txt"),
    );
    let mut rendered = 0;
    for file in &files {
        let doc = match gongkai::read_path(file, &gongkai::ReadOptions::default()) {
            Ok(doc) => doc,
            // Not a table (prose, images, lock files): nothing to render.
            Err(_) => continue,
        };
        let ctx = file.display().to_string();
        let out =
            render(&doc, OutputFormat::Pdf, &options()).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        assert!(out.warnings.is_empty(), "{ctx}: {:?}", out.warnings);
        assert_subset_fonts(&out.bytes, &ctx);
        assert_all_characters_extract(&doc, &out.bytes, &ctx);
        rendered += 1;
    }
    eprintln!("{rendered} rendered");
    // Six seed text files, v04, v08, their copies under departments, v07.
    assert!(rendered >= 12, "{rendered}");
}

#[test]
fn an_empty_table_shows_its_header_and_note() {
    let text = "政府性基金预算支出表\n部门名称：测试局\n单位：万元\n科目编码\t科目名称\t合计\n注：本部门无政府性基金预算支出，故本表为空表。\n";
    let doc = gongkai::read_bytes(text.as_bytes(), "empty.txt", &Default::default()).unwrap();
    assert!(doc.tables[0].rows.is_empty());
    let out = render(&doc, OutputFormat::Pdf, &options()).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_all_characters_extract(&doc, &out.bytes, "empty");
    let text = common::pdf::text(&out.bytes);
    // "合计" on one line: an empty amount column is not one character wide.
    assert!(text.contains("合计"), "{text}");
}
