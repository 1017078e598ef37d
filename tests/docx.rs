//! DOCX in and out: the corpus's Word files give the expected cells, bad
//! packages give named errors, our DOCX output marks its header rows,
//! is reproducible, and reads back to the same tables.

mod common;

use common::*;
use gongkai::model::{Document, Format};
use gongkai::{OutputFormat, ReadError, ReadOptions, RenderOptions, render};
use serde_json::Value as Json;
use std::io::{Cursor, Read, Write};

fn read_docx_bytes(bytes: &[u8]) -> Result<Document, ReadError> {
    gongkai::read_bytes(
        bytes,
        "test.docx",
        &ReadOptions::default().with_from(Format::Docx),
    )
}

/// A minimal Word package around a document body.
fn package(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    zip_parts(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
                .as_bytes(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
                .as_bytes(),
        ),
        ("word/document.xml", document.as_bytes()),
    ])
}

fn zip_parts(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// One part of a zip package, as text.
fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut s = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn tc(inner: &str) -> String {
    format!("<w:tc>{inner}</w:tc>")
}

fn simple_table(rows: &[&[&str]]) -> String {
    let mut s = String::from("<w:tbl>");
    for r in rows {
        s.push_str("<w:tr>");
        for c in *r {
            s.push_str(&tc(&p(c)));
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

fn docx_of(doc: &Document, options: &RenderOptions) -> Vec<u8> {
    render(doc, OutputFormat::Docx, options).unwrap().bytes
}

#[test]
fn seed_docx_gives_the_expected_cells() {
    let exp = expected("seed.json");
    for rel in [
        "seed/budget.docx",
        "departments/广州开发区民营经济和企业服务局/2025年项目支出绩效目标表.docx",
    ] {
        let doc = read(rel);
        assert_eq!(doc.tables.len(), 1, "{rel}");
        assert_matches_expected(&doc.tables[0], &exp, rel);
    }
}

#[test]
fn merged_docx_gives_the_seed_cells_under_a_two_level_header() {
    let rel = "seed/budget-merged.docx";
    let doc = read(rel);
    assert_eq!(doc.tables.len(), 1);
    let table = &doc.tables[0];
    assert_two_level_seed(table, rel);
    assert_eq!(table.origin.header_rows, vec![1, 2]);
}

#[test]
fn docx_variants_and_department_copies_give_the_expected_cells() {
    for (rel, exp) in [
        (
            "variants/v02_部门收入总表.docx",
            "variants/v02_部门收入总表.json",
        ),
        (
            "variants/v05_一般公共预算支出表.docx",
            "variants/v05_一般公共预算支出表.json",
        ),
        (
            "variants/v09_政府性基金预算支出表_空表.docx",
            "variants/v09_政府性基金预算支出表_空表.json",
        ),
        (
            "departments/区卫生健康局 2025年 部门预算/部门收入总表.docx",
            "variants/v02_部门收入总表.json",
        ),
        (
            "departments/红山街道办事处/政府性基金预算支出表.docx",
            "variants/v09_政府性基金预算支出表_空表.json",
        ),
    ] {
        let doc = read(rel);
        assert_eq!(doc.tables.len(), 1, "{rel}");
        assert_matches_expected(&doc.tables[0], &expected(exp), rel);
    }
}

#[test]
fn legacy_doc_and_table_less_docx_get_named_errors() {
    for (rel, needle) in [
        (
            "bad/legacy.doc",
            "this is a Word 97-2003 .doc; save it as .docx",
        ),
        (
            "bad/no_table.docx",
            "no table found: the document has 3 paragraph(s) of text but no table",
        ),
    ] {
        let err = gongkai::read_path(&corpus(rel), &ReadOptions::default())
            .expect_err(rel)
            .to_string();
        assert!(err.contains(needle), "{rel}: {err}");
        assert!(err.contains(rel), "{rel}: the error names the file: {err}");
    }
}

#[test]
fn truncated_docx_is_an_error_at_every_cut() {
    let bytes = std::fs::read(corpus("seed/budget.docx")).unwrap();
    let mut cut = 1;
    while cut < bytes.len() {
        let err = read_docx_bytes(&bytes[..cut]).expect_err("a cut file");
        assert!(!err.to_string().is_empty());
        cut += 997;
    }
    // Through detection, as the CLI reads it.
    let err = gongkai::read_bytes(&bytes[..2000], "x.docx", &ReadOptions::default())
        .expect_err("truncated")
        .to_string();
    assert!(
        err.contains("damaged or truncated") || err.contains("not a valid .docx"),
        "{err}"
    );
}

/// Sets the uncompressed size the zip records for `name` (local header and
/// central directory) to `size`.
fn patch_declared_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        let sig = &zip[i..i + 4];
        let (name_at, size_at) = if sig == b"PK\x03\x04" {
            (30, 22)
        } else if sig == b"PK\x01\x02" {
            (46, 24)
        } else {
            continue;
        };
        let len_at = if sig == b"PK\x03\x04" { 26 } else { 28 };
        let len = u16::from_le_bytes([zip[i + len_at], zip[i + len_at + 1]]) as usize;
        if zip.get(i + name_at..i + name_at + len) == Some(name) {
            zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local header and central directory entry");
}

#[test]
fn zip_bombs_are_refused_before_inflating() {
    let body = simple_table(&[&["项目", "金额"], &["合计", "1.00"]]);
    // A part that declares 4 GB.
    let mut bomb = package(&body);
    patch_declared_size(&mut bomb, "word/document.xml", 0xFFFF_FFF0);
    let err = read_docx_bytes(&bomb).expect_err("bomb").to_string();
    assert!(err.contains("part 'word/document.xml'"), "{err}");
    assert!(
        err.contains("over the limit of 104857600 bytes per part"),
        "{err}"
    );
    assert!(err.contains("refused without inflating it"), "{err}");
    // A part that inflates to more than it declares.
    let filler = " ".repeat(200_000);
    let mut liar = package(&format!("{body}{}", p(&filler)));
    patch_declared_size(&mut liar, "word/document.xml", 1000);
    let err = read_docx_bytes(&liar).expect_err("liar").to_string();
    assert!(err.contains("part 'word/document.xml'"), "{err}");
    // The corpus's spreadsheet bomb read as a Word file: refused, quickly.
    let err = gongkai::read_path(
        &corpus("bad/zipbomb.xlsx"),
        &ReadOptions::default().with_from(Format::Docx),
    )
    .expect_err("xlsx bomb as docx")
    .to_string();
    assert!(!err.is_empty());
}

#[test]
fn runs_keep_every_character() {
    let cell = concat!(
        "<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr>",
        "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">a </w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>",
        "<w:r><w:rPr><w:b/></w:rPr><w:noBreakHyphen/><w:sym w:font=\"Symbol\" w:char=\"F0B3\"/><w:t>&amp;&#x4E2D;</w:t></w:r>",
        "<w:ins><w:r><w:rPr><w:b/></w:rPr><w:t>新</w:t></w:r></w:ins>",
        "<w:del><w:r><w:delText>旧</w:delText></w:r></w:del>",
        "<w:r><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType=\"begin\"/><w:instrText> PAGE </w:instrText><w:fldChar w:fldCharType=\"end\"/></w:r>",
        "</w:p>",
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>第二段</w:t></w:r></w:p><w:p/>",
    );
    let body = format!(
        "{}<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        p("表"),
        tc(&p("项目")),
        tc(&p("说明")),
        tc(&p("甲")),
        tc(cell),
    );
    let doc = read_docx_bytes(&package(&body)).unwrap();
    let t = &doc.tables[0];
    assert_eq!(t.rows.len(), 1);
    assert_eq!(
        t.rows[0].cells[1].text(),
        Some("a \tb\nc\u{2011}≥&中新\n第二段")
    );
}

#[test]
fn spans_vertical_merges_and_skipped_grid_columns() {
    let v = |val: &str, text: &str| {
        let merge = if val.is_empty() {
            "<w:vMerge/>".to_string()
        } else {
            format!("<w:vMerge w:val=\"{val}\"/>")
        };
        tc(&format!("<w:tcPr>{merge}</w:tcPr>{}", p(text)))
    };
    let span = |n: usize, text: &str| {
        tc(&format!(
            "<w:tcPr><w:gridSpan w:val=\"{n}\"/></w:tcPr>{}",
            p(text)
        ))
    };
    let header = "<w:trPr><w:tblHeader/></w:trPr>";
    let body = [
        "<w:tbl><w:tr>".to_string(),
        header.to_string(),
        v("restart", "项目"),
        span(2, "金额"),
        v("restart", "备注"),
        "</w:tr><w:tr>".to_string(),
        header.to_string(),
        v("", ""),
        tc(&p("资金")),
        tc(&p("其他")),
        v("", ""),
        "</w:tr><w:tr>".to_string(),
        tc(&p("办公费")),
        tc(&p("1.00")),
        tc(&p("2.00")),
        tc(&p("x")),
        "</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>".to_string(),
        tc(&p("3.00")),
        tc(&p("4.00")),
        tc(&p("y")),
        "</w:tr><w:tr>".to_string(),
        span(3, "合计"),
        tc(&p("z")),
        "</w:tr></w:tbl>".to_string(),
    ]
    .concat();
    let doc = read_docx_bytes(&package(&body)).unwrap();
    let t = &doc.tables[0];
    assert_eq!(
        column_paths(t),
        vec![
            vec!["项目"],
            vec!["金额", "资金"],
            vec!["金额", "其他"],
            vec!["备注"]
        ]
    );
    assert_eq!(t.origin.header_rows, vec![1, 2]);
    let rows: Vec<Vec<Json>> = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| canonical(&c.value)).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec![
                Json::from("办公费"),
                Json::from("1.00"),
                Json::from("2.00"),
                Json::from("x")
            ],
            vec![
                Json::Null,
                Json::from("3.00"),
                Json::from("4.00"),
                Json::from("y")
            ],
            vec![Json::from("合计"), Json::Null, Json::Null, Json::from("z")],
        ]
    );
    assert_eq!(t.rows[2].cells[0].col_span.get(), 3);
}

#[test]
fn paragraphs_between_tables_are_split_into_notes_and_captions() {
    let t1 = simple_table(&[&["项目", "金额"], &["合计", "1.00"]]);
    let t2 = simple_table(&[&["科目", "金额"], &["合计", "2.00"]]);
    let centred = |s: &str| {
        format!("<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t>{s}</w:t></w:r></w:p>")
    };
    // No page break: the caption-like run above the second table is its
    // title and meta; the rest are notes of the first.
    let body = format!(
        "{}{}{t1}{}{}<w:p/>{}{}{t2}{}",
        centred("表一"),
        p("单位：万元"),
        p("注：第一张表的说明。"),
        p("本表无其他事项。"),
        centred("表二"),
        p("单位：元"),
        p("说明：第二张表。")
    );
    let doc = read_docx_bytes(&package(&body)).unwrap();
    assert_eq!(doc.tables.len(), 2);
    let (a, b) = (&doc.tables[0], &doc.tables[1]);
    assert_eq!(a.title.as_deref(), Some("表一"));
    assert_eq!(a.notes, vec!["注：第一张表的说明。", "本表无其他事项。"]);
    assert_eq!(b.title.as_deref(), Some("表二"));
    assert_eq!(b.unit.map(|u| u.name()), Some("元"));
    assert_eq!(b.notes, vec!["说明：第二张表。"]);
    // A page break decides even for a meta-looking note.
    let body = format!(
        "{t1}{}<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>{}{t2}",
        p("填报人：张三"),
        centred("表二"),
    );
    let doc = read_docx_bytes(&package(&body)).unwrap();
    assert_eq!(doc.tables[0].notes, vec!["填报人：张三"]);
    assert_eq!(doc.tables[1].title.as_deref(), Some("表二"));
}

#[test]
fn a_meta_layout_table_gives_meta_lines() {
    let meta = simple_table(&[&["部门名称：某局", "单位：万元"]]);
    let data = simple_table(&[&["项目", "金额"], &["合计", "1.00"]]);
    let body = format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t>表</w:t></w:r></w:p>{meta}{data}"
    );
    let doc = read_docx_bytes(&package(&body)).unwrap();
    assert_eq!(doc.tables.len(), 1);
    assert_eq!(doc.tables[0].department(), Some("某局"));
    assert_eq!(doc.tables[0].unit.map(|u| u.name()), Some("万元"));
}

#[test]
fn header_rows_carry_tbl_header_and_cannot_split() {
    for (rel, depth) in [("seed/budget.txt", 1), ("seed/budget-merged.docx", 2)] {
        let doc = read(rel);
        let out = docx_of(&doc, &RenderOptions::default());
        let xml = part(&out, "word/document.xml");
        let rows: Vec<&str> = xml.split("<w:tr>").skip(1).collect();
        assert_eq!(rows.len(), depth + doc.tables[0].rows.len(), "{rel}");
        for (i, row) in rows.iter().enumerate() {
            let tr_pr = &row[..row.find("</w:trPr>").unwrap_or(0)];
            assert_eq!(
                tr_pr.contains("<w:tblHeader/>"),
                i < depth,
                "{rel}: row {i}: {tr_pr}"
            );
            if i < depth {
                assert!(tr_pr.contains("<w:cantSplit"), "{rel}: row {i}: {tr_pr}");
            }
        }
    }
}

#[test]
fn two_renders_give_the_same_bytes() {
    let options = RenderOptions::default().with_created(1_740_816_000);
    let a = read("seed/budget.txt");
    let b = read("variants/v05_一般公共预算支出表.docx");
    let first = docx_of(&a, &options);
    let _ = docx_of(&b, &options);
    let second = docx_of(&a, &options);
    assert_eq!(first, second);
    let other_thread = std::thread::spawn(move || docx_of(&a, &options))
        .join()
        .unwrap();
    assert_eq!(first, other_thread);
    // The time is the one given, in the properties and the zip entries.
    let core = part(&first, "docProps/core.xml");
    assert!(
        core.contains(">2025-03-01T08:00:00Z</dcterms:created>"),
        "{core}"
    );
    assert!(
        core.contains(">2025-03-01T08:00:00Z</dcterms:modified>"),
        "{core}"
    );
    assert!(core.contains("<dc:title>项目支出绩效目标表（含转移支付项目）</dc:title>"));
    assert!(core.contains("<dc:creator>广州开发区民营经济和企业服务局（部门）</dc:creator>"));
    let mut archive = zip::ZipArchive::new(Cursor::new(&first[..])).unwrap();
    for i in 0..archive.len() {
        let f = archive.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour()),
            (2025, 3, 1, 8),
            "{:?}",
            f.name()
        );
    }
    let dated_1970 = docx_of(
        &read("seed/budget.txt"),
        &RenderOptions::default().with_created(0),
    );
    assert_ne!(dated_1970, first);
}

#[test]
fn page_fonts_widths_and_amounts_follow_the_profile() {
    let doc = read("seed/budget.txt");
    let out = docx_of(&doc, &RenderOptions::default());
    let xml = part(&out, "word/document.xml");
    // A4 landscape, 15 mm side margins: 297 − 30 mm of text width.
    assert!(
        xml.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape""#),
        "{}",
        &xml[xml.find("<w:sectPr").unwrap_or(0)..]
    );
    assert!(xml.contains(r#"w:left="850""#) && xml.contains(r#"w:right="850""#));
    // The title in 黑体 for every script, bold; the body in 宋体.
    assert!(xml.contains(
        r#"<w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体" w:cs="黑体" w:hint="eastAsia"/>"#
    ));
    assert!(xml.contains(r#"w:eastAsia="宋体""#));
    // Grid widths: they fill the text width; 绩效指标 is the widest column,
    // amount columns are narrower than every text column.
    let grid: Vec<u32> = xml
        .split("<w:gridCol w:w=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect();
    assert_eq!(grid.len(), 7);
    assert_eq!(grid.iter().sum::<u32>(), 16838 - 2 * 850);
    assert_eq!(grid.iter().max(), Some(&grid[6]));
    for amount in &grid[1..5] {
        assert!(*amount < grid[0] && *amount < grid[5], "{grid:?}");
    }
    // Amounts with separators, right-aligned; the total row bold.
    let total = &xml[xml.find(">合计<").unwrap()..];
    let first_amount = &total[..total.find(">3,593.00<").expect("formatted amount")];
    assert!(
        first_amount.contains(r#"<w:jc w:val="right"/>"#),
        "{first_amount}"
    );
    assert!(first_amount.contains("<w:b/>"), "{first_amount}");
    // Simplified Chinese text; 宋体 and 黑体 declared with their Latin names.
    assert!(
        part(&out, "word/styles.xml")
            .contains(r#"<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>"#)
    );
    let font_table = part(&out, "word/fontTable.xml");
    assert!(font_table.contains(r#"<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="roman"/>"#), "{font_table}");
    assert!(
        font_table.contains(r#"<w:font w:name="黑体"><w:altName w:val="SimHei"/>"#),
        "{font_table}"
    );
    // Notes and meta: 部门名称 and 单位 on one line, 单位 at a right tab.
    assert!(xml.contains(r#"<w:tab w:val="right" w:pos="15138"/>"#));
}

#[test]
fn docx_round_trip_of_every_readable_table() {
    let mut checked = 0;
    for rel in all_readable() {
        let doc = match gongkai::read_path(&corpus(&rel), &ReadOptions::default()) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let out = docx_of(&doc, &RenderOptions::default());
        let back =
            read_docx_bytes(&out).unwrap_or_else(|e| panic!("{rel}: reading our DOCX back: {e}"));
        assert_same_tables(&doc, &back, &rel);
        eprintln!("checked {rel}");
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} inputs were readable");
}

#[test]
fn several_tables_round_trip_with_their_notes() {
    // Two tables in one document, the first with a note that looks like a
    // meta line: the page break between them keeps it with the first.
    let mut doc = read("variants/v05_一般公共预算支出表.docx");
    let mut second = read("seed/budget.txt").tables.remove(0);
    second.origin.index = 1;
    doc.tables[0].notes.push("填报人：张三".into());
    doc.tables.push(second);
    let out = docx_of(&doc, &RenderOptions::default());
    let back = read_docx_bytes(&out).unwrap();
    assert_same_tables(&doc, &back, "two tables");
}

/// Every corpus input outside bad/: seed, variants and the departments'
/// Word files.
fn all_readable() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["seed", "variants"] {
        let mut names: Vec<String> = std::fs::read_dir(corpus(dir))
            .unwrap()
            .map(|e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        names.sort();
        out.extend(names);
    }
    out.extend(
        [
            "departments/广州开发区民营经济和企业服务局/2025年项目支出绩效目标表.docx",
            "departments/区卫生健康局 2025年 部门预算/部门收入总表.docx",
            "departments/红山街道办事处/政府性基金预算支出表.docx",
        ]
        .map(String::from),
    );
    out
}

#[test]
fn body_spans_are_written_as_merges_and_read_back() {
    let vm = |val: &str, text: &str| {
        let merge = if val.is_empty() {
            "<w:vMerge/>".to_string()
        } else {
            format!("<w:vMerge w:val=\"{val}\"/>")
        };
        tc(&format!("<w:tcPr>{merge}</w:tcPr>{}", p(text)))
    };
    let body = [
        p("表"),
        "<w:tbl><w:tr>".into(),
        tc(&p("分类")),
        tc(&p("项目")),
        tc(&p("金额")),
        "</w:tr><w:tr>".into(),
        vm("restart", "一般"),
        tc(&p("办公费")),
        tc(&p("1.00")),
        "</w:tr><w:tr>".into(),
        vm("", ""),
        tc(&p("印刷费")),
        tc(&p("2.00")),
        "</w:tr><w:tr>".into(),
        tc(&format!(
            "<w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>{}",
            p("合计")
        )),
        tc(&p("3.00")),
        "</w:tr></w:tbl>".into(),
    ]
    .concat();
    let doc = read_docx_bytes(&package(&body)).unwrap();
    let spans = |d: &Document| -> Vec<(u32, u32)> {
        d.tables[0]
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(|c| (c.row_span.get(), c.col_span.get())))
            .collect()
    };
    assert_eq!(
        spans(&doc),
        vec![
            (2, 1),
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 1),
            (1, 2),
            (1, 1),
            (1, 1)
        ]
    );
    let out = docx_of(&doc, &RenderOptions::default());
    let xml = part(&out, "word/document.xml");
    assert_eq!(
        xml.matches(r#"<w:vMerge w:val="restart"/>"#).count(),
        1,
        "{xml}"
    );
    assert_eq!(
        xml.matches(r#"<w:vMerge w:val="continue"/>"#).count(),
        1,
        "{xml}"
    );
    assert_eq!(
        xml.matches(r#"<w:gridSpan w:val="2"/>"#).count(),
        1,
        "{xml}"
    );
    let back = read_docx_bytes(&out).unwrap();
    assert_same_tables(&doc, &back, "body spans");
    assert_eq!(spans(&back), spans(&doc));
}

/// The text of every paragraph (`w:p`) of a Word document's body, in
/// document order, table cells included: `w:t` runs, a tab or break as
/// white space.
fn source_paragraphs(docx: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    let xml = part(docx, "word/document.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut in_text = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == "p" => current = Some(String::new()),
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == "t" => in_text = false,
            Event::Empty(e) if matches!(e.local_name().as_ref(), "tab" | "br") => {
                if let Some(p) = current.as_mut() {
                    p.push(' ');
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = current.as_mut() {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(p) = current.as_mut() {
                    let c = match r.resolve_char_ref().unwrap() {
                        Some(c) => c,
                        None => match r.xml10_content().as_ref() {
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "quot" => '"',
                            "apos" => '\'',
                            other => panic!("unexpected reference &{other};"),
                        },
                    };
                    p.push(c);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "p" => out.extend(current.take()),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A clerk's Word document (python-docx, tests/fixtures/gen/
/// nothing_lost_docx.py) with prose before the first heading, under the
/// same heading as the first table, between the tables and after them:
/// every paragraph comes back as a text block, a table's title, meta line
/// or note, or a cell, in the order of the source.
#[test]
fn every_paragraph_of_a_word_document_is_kept_in_order() {
    use gongkai::model::Block;
    let path = "tests/cases/prose-docx/input.docx";
    let bytes = std::fs::read(path).unwrap();
    let source = source_paragraphs(&bytes);
    assert!(source.len() >= 20, "{} paragraphs", source.len());
    let doc = read_docx_bytes(&bytes).unwrap();
    assert_nothing_lost(&source, &doc, path);

    // The prose under 二、部门预算表 stays prose: the table's own lines are
    // its centred title and its 部门名称/单位 line only.
    let sections: Vec<(Option<&str>, Vec<&str>)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text(s) => Some((
                s.heading.as_deref(),
                s.paragraphs.iter().map(|p| p.text.as_str()).collect(),
            )),
            Block::Table { .. } => None,
        })
        .collect();
    let (_, under) = sections
        .iter()
        .find(|(h, _)| *h == Some("二、部门预算表"))
        .expect("a text section under 二、部门预算表");
    assert_eq!(
        under,
        &vec![
            "以下两张表按《预算法》第十四条的规定公开，金额单位见各表。",
            "各表数据均为年初预算数，执行中如有调整以调整后为准，本说明不另行列出调整情况。",
        ]
    );
    let t = &doc.tables[0];
    assert_eq!(t.title.as_deref(), Some("2025年部门收支总表"));
    let meta: Vec<&str> = t.meta.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(meta, vec!["部门名称：某区民政局", "单位：万元"]);
    assert_eq!(t.notes, vec!["注：本表收入总计与支出总计相等。"]);
    // The second table: its title over the page break, its meta lines from
    // the borderless layout table.
    let t = &doc.tables[1];
    assert_eq!(
        t.title.as_deref(),
        Some("2025年一般公共预算“三公”经费支出表")
    );
    assert_eq!(t.department(), Some("某区民政局"));
    let kinds = block_kinds(&doc);
    assert_eq!(kinds, "pppttpp", "{:?}", doc.blocks);
}

/// The book's DOCX reads back with every paragraph in order, the table
/// group's heading (五、部门预算表) a text section rather than the first
/// table's meta line, and each table with its numbered title and its
/// 部门名称 and 单位 lines only.
#[test]
fn the_books_docx_keeps_every_paragraph_and_the_table_groups_heading() {
    use gongkai::model::Block;
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/departments/广州开发区民营经济和企业服务局");
    let b = gongkai::book::build(&example, &Default::default()).unwrap();
    let bytes = gongkai::render_book(&b, OutputFormat::Docx, &RenderOptions::default())
        .unwrap()
        .bytes;
    let doc = read_docx_bytes(&bytes).unwrap();
    assert_nothing_lost(&source_paragraphs(&bytes), &doc, "the book's DOCX");
    let group = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Text(s) if s.heading.as_deref() == Some("五、部门预算表")))
        .expect("a section 五、部门预算表");
    assert!(matches!(doc.blocks[group + 1], Block::Table { index: 0 }));
    let book_tables: Vec<_> = b.tables().collect();
    assert_eq!(doc.tables.len(), book_tables.len());
    for (k, (t, bt)) in doc.tables.iter().zip(book_tables).enumerate() {
        assert_eq!(t.title, Some(format!("{}. {}", k + 1, bt.title)));
        let keys: Vec<Option<&str>> = t.meta.iter().map(|m| m.key.as_deref()).collect();
        assert_eq!(keys, vec![Some("部门名称"), Some("单位")], "{:?}", t.title);
    }
}
