//! What the author hid never reaches a public output: hidden sheets, rows
//! and columns of xlsx (a WPS 表格 workbook), xls and ods files, Word's
//! hidden text, rows and columns of no size (height or width 0: hidden as
//! surely in Excel, without the word), internal columns and columns of formulas saved without
//! values. The run says what it left out (place and count, never the
//! content), the checks see what is published, and `hidden = "keep"`
//! keeps everything with its flags. Fixtures: tests/fixtures/hidden/,
//! made by tests/fixtures/gen/hidden.py (and hidden_xlsb.js, SheetJS).

mod common;

use gongkai::model::Document;
use gongkai::profile::{HiddenPolicy, Profile};
use gongkai::{OutputFormat, ReadOptions, RenderOptions};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hidden")
        .join(name)
}

/// What each fixture hides, as strings that occur nowhere else in it.
fn secrets(name: &str) -> &'static [&'static str] {
    match name {
        "wps_hidden.xlsx" => &[
            "勿公开",
            "编外人员58人",
            "预备费",
            "不公开",
            "内部备注",
            "备注（内部）",
            "仅供内部参考",
            "测算",
            "校验",
            "调整数",
            "机动经费",
            "777",
        ],
        "hidden.xls" | "hidden.ods" | "hidden.xlsb" | "zero_size.xlsx" => &[
            "勿公开",
            "编外人员58人",
            "预备费",
            "不公开",
            "内部备注",
            "机动经费",
            "777",
        ],
        "hidden.docx" => &["勿公开", "编外人员58人", "预备费", "不公开"],
        other => panic!("no secrets listed for {other}"),
    }
}

const FIXTURES: [&str; 6] = [
    "wps_hidden.xlsx",
    "hidden.xls",
    "hidden.ods",
    "hidden.xlsb",
    "zero_size.xlsx",
    "hidden.docx",
];

/// The text a reader sees in an output: PDFs through their ToUnicode maps
/// (and pdftotext where installed), whitespace removed so that a string
/// broken over two lines is still found; DOCX as its document part; the
/// rest as UTF-8.
fn visible_text(format: OutputFormat, bytes: &[u8]) -> String {
    match format {
        OutputFormat::Pdf | OutputFormat::PdfA => {
            let mut text = common::pdf::text(bytes);
            if let Some(t) = common::pdf::poppler_text(bytes) {
                text.push_str(&t);
            }
            common::pdf::compact(&text)
        }
        OutputFormat::Docx => {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
                .unwrap();
            xml
        }
        OutputFormat::Ofd => {
            // Every XML part of the package (its pages' TextCodes, DocInfo).
            let mut text = String::new();
            for (name, data) in common::ofd::parts(bytes) {
                if name.ends_with(".xml") {
                    for e in common::ofd::elements(&data) {
                        text.push_str(&e.text);
                    }
                }
            }
            common::pdf::compact(&text)
        }
        OutputFormat::Markdown | OutputFormat::Json => String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

fn formats() -> Vec<OutputFormat> {
    OutputFormat::ALL
        .into_iter()
        .chain(OutputFormat::ARCHIVAL)
        .collect()
}

fn convert(name: &str, keep: bool) -> gongkai::Converted {
    let read = ReadOptions::default().with_keep_hidden(keep);
    let doc = gongkai::read_path(&fixture(name), &read).unwrap();
    let mut profile = Profile::default();
    if keep {
        profile.disclosure.hidden = HiddenPolicy::Keep;
    }
    let options = RenderOptions::default().with_profile(profile);
    gongkai::convert(doc, &formats(), &options).unwrap()
}

fn report(c: &gongkai::Converted) -> Vec<String> {
    c.doc
        .warnings
        .iter()
        .chain(&c.disclosure)
        .map(|w| w.to_string())
        .collect()
}

#[test]
fn the_wps_workbook_says_it_is_from_wps() {
    let bytes = std::fs::read(fixture("wps_hidden.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut app = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/app.xml").unwrap(), &mut app).unwrap();
    assert!(app.contains("<Application>WPS 表格</Application>"), "{app}");
}

#[test]
fn no_hidden_string_reaches_a_public_output() {
    assert_eq!(
        formats().len(),
        6,
        "pdf, docx, md, json, pdfa and ofd are all written"
    );
    for name in FIXTURES {
        let converted = convert(name, false);
        for (format, out) in &converted.outputs {
            let text = visible_text(*format, &out.bytes);
            for s in secrets(name) {
                assert!(
                    !text.contains(s),
                    "{name}: the {format} output contains {s}"
                );
            }
            // What is public is there.
            for s in ["一般公共服务支出", "人大事务", "教育支出"] {
                assert!(text.contains(s), "{name}: the {format} output lacks {s}");
            }
        }
        // Nothing the author hid is left in the published model either.
        let json = serde_json::to_string(&converted.doc).unwrap();
        assert!(!json.contains("\"hidden\""), "{name}: {json}");
        // The report names places (sheets, columns by their headers) and
        // counts, never the content of a cell.
        let headers = ["内部备注", "备注（内部）", "测算", "校验", "调整数"];
        for line in report(&converted) {
            for s in secrets(name).iter().filter(|s| !headers.contains(s)) {
                assert!(!line.contains(s), "{name}: the report leaks {s}: {line}");
            }
        }
    }
}

#[test]
fn the_report_lists_what_was_left_out() {
    let xlsx = report(&convert("wps_hidden.xlsx", false));
    for want in [
        "sheet '部门支出预算表': 1 hidden row (source row 8), 3 hidden columns (G–I) left out",
        "sheet '内部测算底稿': hidden sheet left out (1 row)",
        "column '备注（内部）': left out: an internal column named in the profile",
        "sheet '部门支出预算表', column J '调整数': left out: every cell of the column is a \
         formula saved without its value",
        "sheet '部门支出预算表', cell H4: 15 formula cell(s) were saved without their value",
    ] {
        assert!(xlsx.iter().any(|l| l.contains(want)), "{want}: {xlsx:#?}");
    }
    for name in ["hidden.xls", "hidden.ods", "hidden.xlsb"] {
        let r = report(&convert(name, false));
        for want in [
            "sheet '部门支出预算表': 1 hidden row (source row 8), 1 hidden column (F) left out",
            "sheet '内部测算底稿': hidden sheet left out (1 row)",
        ] {
            assert!(r.iter().any(|l| l == want), "{name}: {want}: {r:#?}");
        }
    }
    let docx = report(&convert("hidden.docx", false));
    for want in [
        "paragraph 3: a paragraph hidden in Word (w:vanish) left out",
        "Word table 1, row 3: text hidden in Word (w:vanish) left out of 1 cell(s)",
        "Word table 1, row 4: text hidden in Word (w:vanish) left out of 1 cell(s)",
        "table 1 '2025年部门支出预算表': 1 hidden row (source row 6) left out",
    ] {
        assert!(docx.iter().any(|l| l == want), "{want}: {docx:#?}");
    }
}

#[test]
fn checks_see_what_is_published() {
    for name in FIXTURES {
        for keep in [false, true] {
            let converted = convert(name, keep);
            // The reserve line is left out of 合计 by its author: no sum
            // finding, a notice instead.
            assert!(
                converted.findings.is_empty(),
                "{name} (keep {keep}): {:#?}",
                converted.findings
            );
            let notice = converted
                .disclosure
                .iter()
                .find(|w| w.code == "hidden-not-in-total")
                .unwrap_or_else(|| panic!("{name}: no notice in {:#?}", converted.disclosure));
            assert!(notice.message.contains("1 hidden row"), "{notice}");
            assert!(
                !notice.message.contains("500"),
                "no hidden amount: {notice}"
            );
        }
        // Counting the hidden row really would break the total: the
        // notice is not said of every table.
        let mut doc = gongkai::read_path(&fixture(name), &ReadOptions::default()).unwrap();
        for t in &mut doc.tables {
            for r in &mut t.rows {
                r.hidden = false;
            }
        }
        let findings = gongkai::check::check(&doc);
        assert!(
            findings
                .iter()
                .any(|f| f.message.contains("difference -500.00")),
            "{name}: {findings:#?}"
        );
        assert!(gongkai::check::hidden_notices(&doc).is_empty());
    }
}

#[test]
fn keep_keeps_everything_with_its_flag() {
    for name in FIXTURES {
        let converted = convert(name, true);
        for (format, out) in &converted.outputs {
            let text = visible_text(*format, &out.bytes);
            for s in secrets(name) {
                assert!(
                    text.contains(s),
                    "{name}: the kept {format} output lacks {s}"
                );
            }
            if *format == OutputFormat::Json {
                let doc: Document = serde_json::from_slice(&out.bytes).unwrap();
                let t = &doc.tables[0];
                let hidden_rows: Vec<Option<u32>> = t
                    .rows
                    .iter()
                    .filter(|r| r.hidden)
                    .map(|r| r.source_row)
                    .collect();
                let expected_row = if name.ends_with(".docx") { 6 } else { 8 };
                assert_eq!(hidden_rows, [Some(expected_row)], "{name}");
                let hidden_cols: Vec<&str> = t
                    .columns
                    .iter()
                    .filter(|c| c.hidden)
                    .map(|c| c.name.as_str())
                    .collect();
                let expected_cols: &[&str] = match name {
                    "wps_hidden.xlsx" => &["内部备注", "测算", "校验"],
                    "hidden.docx" => &[],
                    _ => &["内部备注"],
                };
                assert_eq!(hidden_cols, expected_cols, "{name}");
                if !name.ends_with(".docx") {
                    assert_eq!(doc.tables.len(), 2, "{name}");
                    assert!(doc.tables[1].hidden, "{name}: the hidden sheet's flag");
                    assert!(!doc.tables[0].hidden, "{name}");
                }
            }
        }
        assert!(
            !converted
                .disclosure
                .iter()
                .any(|w| w.code.ends_with("left-out") || w.code == "dropped-column"),
            "{name}: {:#?}",
            converted.disclosure
        );
    }
    // Word's hidden run inside a visible cell is part of its text.
    let converted = convert("hidden.docx", true);
    let row = &converted.doc.tables[0].rows[1];
    assert_eq!(
        row.cells[1].text(),
        Some("一般公共服务支出（内部）含编外人员经费，勿公开")
    );
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-hidden-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_reports_and_keeps_on_request() {
    let dir = scratch("cli");
    let input = fixture("wps_hidden.xlsx");
    let input = input.to_str().unwrap();
    let public = dir.join("public");
    let (ok, _, err) = run(&[
        "convert",
        input,
        "-o",
        public.to_str().unwrap(),
        "--to",
        "json",
    ]);
    assert!(ok, "{err}");
    assert!(
        err.contains(
            "sheet '部门支出预算表': 1 hidden row (source row 8), 3 hidden columns (G–I) left out"
        ),
        "{err}"
    );
    let json = std::fs::read_to_string(public.join("wps_hidden.json")).unwrap();
    assert!(!json.contains("编外人员58人"));

    let archive = dir.join("archive");
    let (ok, _, err) = run(&[
        "convert",
        input,
        "-o",
        archive.to_str().unwrap(),
        "--to",
        "json",
        "--keep-hidden",
    ]);
    assert!(ok, "{err}");
    let json = std::fs::read_to_string(archive.join("wps_hidden.json")).unwrap();
    assert!(json.contains("编外人员58人") && json.contains("\"hidden\": true"));

    // check: no false sum finding, the notice instead.
    let (ok, out, err) = run(&["check", "--strict", input]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("notice:") && out.contains("[hidden-not-in-total]"),
        "{out}"
    );
    assert!(!out.contains('≠'), "{out}");
    assert!(out.contains(": ok"), "{out}");
}

#[test]
fn batch_and_book_report_what_was_left_out() {
    let dir = scratch("batch-book");
    let root = dir.join("in/示例局");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(fixture("wps_hidden.xlsx"), root.join("wps_hidden.xlsx")).unwrap();
    let out = dir.join("out");
    let (ok, _, err) = run(&[
        "batch",
        dir.join("in").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--to",
        "md",
        "-q",
    ]);
    assert!(ok, "{err}");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("1 hidden row (source row 8), 3 hidden columns (G–I) left out"),
        "{manifest}"
    );
    let md = std::fs::read_to_string(out.join("示例局/wps_hidden.md")).unwrap();
    assert!(!md.contains("预备费") && md.contains("人大事务"), "{md}");

    let book_out = dir.join("book");
    let (ok, _, err) = run(&[
        "book",
        root.to_str().unwrap(),
        "-o",
        book_out.to_str().unwrap(),
        "--to",
        "md",
    ]);
    assert!(ok, "{err}");
    assert!(
        err.contains("1 hidden row (source row 8), 3 hidden columns (G–I) left out"),
        "{err}"
    );
    assert!(err.contains("hidden sheet left out"), "{err}");
    let books: Vec<PathBuf> = std::fs::read_dir(&book_out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(books.len(), 1);
    let md = std::fs::read_to_string(&books[0]).unwrap();
    for s in secrets("wps_hidden.xlsx") {
        assert!(!md.contains(s), "the book contains {s}");
    }
}

/// A Word package of `body` with a character style `Secret` and a
/// paragraph style `HiddenPara`, both hidden (w:vanish).
fn styled_docx(body: &str) -> Vec<u8> {
    use std::io::Write;
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let styles = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="HiddenPara"><w:name w:val="Hidden Para"/><w:rPr><w:vanish/></w:rPr></w:style></w:styles>"#;
    let parts: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        ("word/document.xml", &document),
        ("word/styles.xml", styles),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn word_text_hidden_through_a_style_is_hidden_too() {
    let visible = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let styled_run =
        |t: &str| format!(r#"<w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>{t}</w:t></w:r>"#);
    let hidden_para = |t: &str| {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
        )
    };
    let tc = |p: String| format!("<w:tc>{p}</w:tc>");
    let body = [
        visible("项目支出表"),
        hidden_para("隐藏段落"),
        visible("单位：万元"),
        "<w:tbl>".to_string(),
        format!(
            "<w:tr>{}{}</w:tr>",
            tc(visible("项目")),
            tc(visible("金额"))
        ),
        format!(
            "<w:tr>{}{}</w:tr>",
            tc(visible("合计")),
            tc(visible("100.00"))
        ),
        format!(
            "<w:tr>{}{}</w:tr>",
            tc(format!(
                "<w:p><w:r><w:t>办公费</w:t></w:r>{}</w:p>",
                styled_run("内部甲")
            )),
            tc(visible("100.00"))
        ),
        format!(
            "<w:tr>{}{}</w:tr>",
            tc(hidden_para("秘密项")),
            tc(hidden_para("200.00"))
        ),
        "</w:tbl>".to_string(),
    ]
    .concat();
    let bytes = styled_docx(&body);
    for keep in [false, true] {
        let read = ReadOptions::default().with_keep_hidden(keep);
        let doc = gongkai::read_bytes(&bytes, "styled.docx", &read).unwrap();
        let t = &doc.tables[0];
        let rows: Vec<(Option<&str>, bool)> = t
            .rows
            .iter()
            .map(|r| (r.cells[0].text(), r.hidden))
            .collect();
        let label = if keep {
            "办公费内部甲"
        } else {
            "办公费"
        };
        assert_eq!(
            rows,
            [
                (Some("合计"), false),
                (Some(label), false),
                (Some("秘密项"), true)
            ],
            "keep {keep}"
        );
        let mut profile = Profile::default();
        if keep {
            profile.disclosure.hidden = HiddenPolicy::Keep;
        }
        let options = RenderOptions::default().with_profile(profile);
        let converted = gongkai::convert(doc, &[OutputFormat::Markdown], &options).unwrap();
        let md = String::from_utf8(converted.outputs[0].1.bytes.clone()).unwrap();
        for s in ["隐藏段落", "内部甲", "秘密项", "200.00"] {
            assert_eq!(md.contains(s), keep, "keep {keep}: {s} in {md}");
        }
        assert!(md.contains("办公费"), "{md}");
        assert!(converted.findings.is_empty(), "{:#?}", converted.findings);
    }
}
