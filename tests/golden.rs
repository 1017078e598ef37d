//! Golden tests: every folder of tests/cases holds one input (`input.*`)
//! and what `convert` makes of it with the default profile: the Markdown
//! (`out.md`), the model JSON (`model.json`), the DOCX's `document.xml`
//! one element a line (`document.xml`) and the PDF's structure (`pdf.txt`:
//! pages, MediaBox, fonts, text runs with positions).
//!
//! `UPDATE_GOLDEN=1 cargo test --release --test golden` writes the files
//! anew; review their diff before committing it.

mod common;

use common::golden::{docx_document_xml, line_diff, pdf_dump};
use gongkai::{OutputFormat, ReadOptions, RenderOptions};
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// The case folders, sorted by name.
fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The case's input file: the one file named `input.*`.
fn input_of(dir: &Path) -> PathBuf {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("case folder readable")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.file_stem().is_some_and(|s| s == "input"))
        .collect();
    assert_eq!(inputs.len(), 1, "{}: one input.* file", dir.display());
    inputs.remove(0)
}

/// The outputs of one case as (file name, text).
fn outputs(input: &Path) -> Vec<(&'static str, String)> {
    let bytes = std::fs::read(input).expect("input readable");
    let name = input
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name");
    let doc = gongkai::read_bytes(&bytes, name, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    let formats = [
        OutputFormat::Markdown,
        OutputFormat::Json,
        OutputFormat::Docx,
        OutputFormat::Pdf,
    ];
    // A fixed date: the golden files do not follow SOURCE_DATE_EPOCH.
    let options = RenderOptions::default();
    let converted = gongkai::convert(doc, &formats, &options)
        .unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    let mut out = Vec::new();
    for (format, rendered) in converted.outputs {
        let bytes = rendered.bytes;
        match format {
            OutputFormat::Markdown => out.push((
                "out.md",
                String::from_utf8(bytes).expect("Markdown is UTF-8"),
            )),
            OutputFormat::Json => out.push((
                "model.json",
                String::from_utf8(bytes).expect("JSON is UTF-8"),
            )),
            OutputFormat::Docx => out.push(("document.xml", docx_document_xml(&bytes))),
            OutputFormat::Pdf => out.push(("pdf.txt", pdf_dump(&bytes))),
            _ => {}
        }
    }
    out
}

#[test]
fn golden_cases() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let cases = cases();
    assert!(cases.len() >= 8, "tests/cases holds {} cases", cases.len());
    let mut failures = Vec::new();
    let mut written = 0;
    for dir in &cases {
        let case = dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        for (file, actual) in outputs(&input_of(dir)) {
            let path = dir.join(file);
            if update {
                let old = std::fs::read_to_string(&path).ok();
                if old.as_deref() != Some(actual.as_str()) {
                    std::fs::write(&path, &actual).expect("golden file writable");
                    written += 1;
                    eprintln!("updated {case}/{file}");
                }
                continue;
            }
            match std::fs::read_to_string(&path) {
                Err(e) => failures.push(format!(
                    "{case}/{file}: no golden file ({e}); run UPDATE_GOLDEN=1 cargo test --release --test golden"
                )),
                Ok(expected) => {
                    if let Some(diff) = line_diff(&expected, &actual) {
                        failures.push(format!("{case}/{file}: output changed\n{diff}"));
                    }
                }
            }
        }
    }
    if update {
        eprintln!("{written} golden file(s) written");
    }
    assert!(
        failures.is_empty(),
        "{} golden file(s) differ (UPDATE_GOLDEN=1 cargo test --release --test golden rewrites them; review the diff):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_diff_names_the_first_differing_line() {
    let diff = line_diff("a\nb\nc\nd\n", "a\nb\nX\nd\n").expect("a difference");
    assert!(diff.starts_with("first difference at line 3"), "{diff}");
    assert!(diff.contains("-      3 | c"), "{diff}");
    assert!(diff.contains("+      3 | X"), "{diff}");
    assert!(diff.contains("       2 | b"), "{diff}");
    assert!(line_diff("same\n", "same\n").is_none());
    let diff = line_diff("a\n", "a").expect("the final newline differs");
    assert!(diff.contains("final newline"), "{diff}");
}

#[test]
fn pretty_xml_puts_each_element_on_its_line() {
    let xml = r#"<?xml version="1.0"?><w:p><w:r><w:t xml:space="preserve"> 合计 </w:t></w:r><w:br/></w:p>"#;
    assert_eq!(
        common::golden::pretty_xml(xml),
        "<?xml version=\"1.0\"?>\n<w:p>\n  <w:r>\n    <w:t xml:space=\"preserve\">\n       合计 \n    </w:t>\n  </w:r>\n  <w:br/>\n</w:p>\n"
    );
}

/// The public document of a case's input, as `convert` renders it.
fn published(case: &str) -> gongkai::Document {
    let input = input_of(&cases_dir().join(case));
    let bytes = std::fs::read(&input).expect("input readable");
    let name = input
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name");
    let doc = gongkai::read_bytes(&bytes, name, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    gongkai::convert(doc, &[], &RenderOptions::default())
        .unwrap_or_else(|e| panic!("{case}: {e}"))
        .doc
}

/// Model → Markdown → model keeps the blocks (headings, paragraphs, list
/// items, line breaks) and the tables, in order; so does model → JSON →
/// model.
fn assert_markdown_round_trip(doc: &gongkai::Document, ctx: &str) {
    let md = gongkai::render(doc, OutputFormat::Markdown, &RenderOptions::default())
        .unwrap_or_else(|e| panic!("{ctx}: {e}"))
        .bytes;
    let back = gongkai::read_bytes(&md, "back.md", &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{ctx}: the Markdown does not read back: {e}"));
    assert_eq!(back.blocks.len(), doc.blocks.len(), "{ctx}: block count");
    for (i, (a, b)) in doc.blocks.iter().zip(&back.blocks).enumerate() {
        assert_eq!(a, b, "{ctx}: block {i}");
    }
    common::assert_same_tables(doc, &back, ctx);
    let json = gongkai::render(doc, OutputFormat::Json, &RenderOptions::default())
        .unwrap_or_else(|e| panic!("{ctx}: {e}"))
        .bytes;
    let back = gongkai::read_bytes(&json, "back.json", &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{ctx}: the JSON does not read back: {e}"));
    assert_eq!(back.blocks, doc.blocks, "{ctx}: blocks through JSON");
    common::assert_same_tables(doc, &back, ctx);
}

#[test]
fn markdown_keeps_the_blocks_of_a_fixed_width_book() {
    let doc = published("fixed-width-book");
    let texts = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, gongkai::model::Block::Text(_)))
        .count();
    assert!(texts >= 3, "{texts} text sections");
    assert_markdown_round_trip(&doc, "fixed-width-book");
}

#[test]
fn markdown_keeps_the_prose_sheets_of_a_workbook() {
    let doc = published("prose-workbook");
    // Prose sheets and tables in sheet order: the prose before the first
    // table, the two notes sheets after the last.
    let kinds = common::block_kinds(&doc);
    assert_eq!(kinds, "pppppptttttttttpp", "{:?}", doc.blocks);
    assert_markdown_round_trip(&doc, "prose-workbook");
}

#[test]
fn markdown_keeps_list_items_and_line_breaks() {
    use gongkai::model::{Block, Paragraph, ParagraphKind, Section};
    let mut doc = published("seed-txt");
    let section = |heading: &str, paragraphs: Vec<Paragraph>| {
        Block::Text(Section {
            heading: Some(heading.to_string()),
            paragraphs,
        })
    };
    let plain = |t: &str| Paragraph {
        kind: ParagraphKind::Plain,
        text: t.to_string(),
    };
    let item = |t: &str| Paragraph {
        kind: ParagraphKind::Item,
        text: t.to_string(),
    };
    doc.blocks = vec![
        section(
            "一、部门主要职能",
            vec![
                plain("第一行\n第二行，*不是强调*，1. 不是列表"),
                item("（一）负责……"),
                item("- 2. 也是一项"),
                plain("# 不是标题"),
            ],
        ),
        Block::Table { index: 0 },
        section("二、其他", vec![item("1.唯一一项")]),
    ];
    assert_markdown_round_trip(&doc, "items and breaks");
}

#[test]
fn docx_keeps_the_prose_sheets_of_a_workbook() {
    let doc = published("prose-workbook");
    let docx = gongkai::render(&doc, OutputFormat::Docx, &RenderOptions::default())
        .expect("DOCX renders")
        .bytes;
    let back = gongkai::read_bytes(&docx, "back.docx", &ReadOptions::default())
        .unwrap_or_else(|e| panic!("the DOCX does not read back: {e}"));
    assert_eq!(back.blocks.len(), doc.blocks.len(), "block count");
    for (i, (a, b)) in doc.blocks.iter().zip(&back.blocks).enumerate() {
        assert_eq!(a, b, "block {i}");
    }
    assert_eq!(back.tables.len(), doc.tables.len());
    for (a, b) in doc.tables.iter().zip(&back.tables) {
        assert_eq!(a.title, b.title);
        assert_eq!(a.notes, b.notes, "{:?}", a.title);
    }
}

/// The prose a Word or Markdown source holds around its tables survives
/// our Markdown and DOCX outputs: each reads back to the same blocks and
/// tables. (Through DOCX a paragraph's kind is left out of the comparison:
/// the DOCX writes a list item as a paragraph, and the reader takes a
/// paragraph for an item by its outline number, so a Markdown bullet
/// item comes back plain.)
#[test]
fn prose_of_word_and_markdown_inputs_round_trips() {
    for case in ["prose-docx", "prose-markdown"] {
        let doc = published(case);
        let texts = doc
            .blocks
            .iter()
            .filter(|b| matches!(b, gongkai::model::Block::Text(_)))
            .count();
        assert!(texts >= 4, "{case}: {texts} text sections");
        assert_markdown_round_trip(&doc, case);
        let docx = gongkai::render(&doc, OutputFormat::Docx, &RenderOptions::default())
            .expect("DOCX renders")
            .bytes;
        let back = gongkai::read_bytes(&docx, "back.docx", &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{case}: the DOCX does not read back: {e}"));
        let texts = |d: &gongkai::Document| -> Vec<(Option<String>, Vec<String>)> {
            d.blocks
                .iter()
                .map(|b| match b {
                    gongkai::model::Block::Text(s) => (
                        s.heading.clone(),
                        s.paragraphs.iter().map(|p| p.text.clone()).collect(),
                    ),
                    gongkai::model::Block::Table { index } => (None, vec![index.to_string()]),
                })
                .collect()
        };
        assert_eq!(texts(&back), texts(&doc), "{case}: blocks through DOCX");
        common::assert_same_tables(&doc, &back, case);
    }
}
