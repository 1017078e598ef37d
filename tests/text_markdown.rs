//! The foundation's acceptance tests: text, CSV and Markdown inputs give
//! exactly the corpus's expected cells; Markdown round-trips; bad inputs
//! give named errors.

mod common;

use common::*;
use gongkai::model::RowKind;
use gongkai::{OutputFormat, ReadOptions, RenderOptions, render};

const SEED_TEXT_FILES: &[&str] = &[
    "seed/budget.txt",
    "seed/budget-gb18030.txt",
    "seed/budget-utf16.txt",
    "seed/budget-bom.txt",
    "seed/budget.csv",
    "seed/budget.md",
];

#[test]
fn seed_text_files_give_the_expected_cells() {
    let exp = expected("seed.json");
    for rel in SEED_TEXT_FILES {
        let doc = read(rel);
        assert_eq!(doc.tables.len(), 1, "{rel}");
        assert_matches_expected(&doc.tables[0], &exp, rel);
    }
}

#[test]
fn seed_row_kinds() {
    for rel in SEED_TEXT_FILES {
        let doc = read(rel);
        let kinds: Vec<RowKind> = doc.tables[0].rows.iter().map(|r| r.kind).collect();
        assert_eq!(kinds[0], RowKind::Total, "{rel}");
        assert_eq!(kinds[1], RowKind::Subtotal, "{rel}");
        assert_eq!(kinds[2..].len(), 7, "{rel}");
        assert!(kinds[2..].iter().all(|k| *k == RowKind::Item), "{rel}");
    }
}

#[test]
fn text_variants_give_the_expected_cells() {
    for (rel, exp) in [
        (
            "variants/v04_财政拨款收支总表.txt",
            "variants/v04_财政拨款收支总表.json",
        ),
        (
            "variants/v08_项目支出绩效目标表_含个人信息.txt",
            "variants/v08_项目支出绩效目标表_含个人信息.json",
        ),
    ] {
        let doc = read(rel);
        assert_matches_expected(&doc.tables[0], &expected(exp), rel);
    }
}

#[test]
fn seed_markdown_is_one_gfm_table_with_right_aligned_amounts() {
    let doc = read("seed/budget.txt");
    let md = render(&doc, OutputFormat::Markdown, &RenderOptions::default()).unwrap();
    let md = String::from_utf8(md.bytes).unwrap();
    use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};
    let mut tables = 0;
    let mut aligns = Vec::new();
    let mut row_cells = Vec::new();
    let mut cells = 0;
    for ev in Parser::new_ext(&md, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Table(a)) => {
                tables += 1;
                aligns = a;
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => cells = 0,
            Event::End(TagEnd::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => row_cells.push(cells),
            _ => {}
        }
    }
    assert_eq!(tables, 1);
    assert_eq!(row_cells.len(), 10, "header + 9 rows");
    assert!(row_cells.iter().all(|&n| n == 7), "{row_cells:?}");
    assert_eq!(
        aligns,
        vec![
            Alignment::None,
            Alignment::Right,
            Alignment::Right,
            Alignment::Right,
            Alignment::Right,
            Alignment::None,
            Alignment::None
        ]
    );
    let back = gongkai::read_bytes(md.as_bytes(), "back.md", &ReadOptions::default()).unwrap();
    assert_same_tables(&doc, &back, "seed markdown round trip");
}

#[test]
fn markdown_round_trip_of_every_readable_table() {
    for rel in all_readable() {
        let doc = match gongkai::read_path(&corpus(&rel), &ReadOptions::default()) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let md = render(&doc, OutputFormat::Markdown, &RenderOptions::default()).unwrap();
        let back = gongkai::read_bytes(&md.bytes, "back.md", &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{rel}: reading our Markdown back: {e}"));
        assert_same_tables(&doc, &back, &rel);
    }
}

#[test]
fn json_output_reads_back_to_the_same_model() {
    let doc = read("seed/budget.csv");
    let json = render(&doc, OutputFormat::Json, &RenderOptions::default())
        .unwrap()
        .bytes;
    let text = String::from_utf8(json.clone()).unwrap();
    assert!(text.contains("\"amount\": \"3593.00\""));
    let back = gongkai::read_bytes(&json, "m.json", &ReadOptions::default()).unwrap();
    assert_eq!(back, doc);
}

#[test]
fn bad_text_files_give_named_errors() {
    for (rel, needle) in [
        ("bad/random.txt", "not readable as text"),
        (
            "bad/ragged.txt",
            "line 8: 7 fields but the header has 5 columns",
        ),
    ] {
        let err = gongkai::read_path(&corpus(rel), &ReadOptions::default())
            .expect_err(rel)
            .to_string();
        assert!(err.contains(needle), "{rel}: {err}");
        assert!(err.contains(rel), "{rel}: error names the file: {err}");
    }
    let err = gongkai::read_path(
        &corpus("departments/区农业农村局/README.txt"),
        &ReadOptions::default(),
    )
    .expect_err("prose")
    .to_string();
    assert!(err.contains("no table found"), "{err}");
}

/// Every corpus input that is not in bad/.
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
    out
}

/// Tab-separated versions of every variant (made from the expected JSON:
/// title, meta lines, a group row where the header has two levels, rows,
/// notes) give back exactly the expected cells: the text path of the
/// normaliser handles every table shape of the corpus.
#[test]
fn text_versions_of_every_variant_give_the_expected_cells() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text-variants");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let doc = gongkai::read_path(&path, &ReadOptions::default()).unwrap();
        let (json, table) = match stem.strip_suffix("_0").or(stem.strip_suffix("_1")) {
            Some(base) => {
                let idx: usize = stem[stem.len() - 1..].parse().unwrap();
                (
                    expected(&format!("variants/{base}.json"))["tables"][idx].clone(),
                    0,
                )
            }
            None if stem == "bad_totals" => (expected("bad/bad_totals.json"), 0),
            None => (expected(&format!("variants/{stem}.json")), 0),
        };
        assert_matches_expected(&doc.tables[table], &json, &stem);
        seen += 1;
    }
    assert_eq!(seen, 11);
}

/// A hard line break (two trailing spaces or a backslash) inside a bold or
/// italic meta paragraph splits it into meta lines: 部门名称 and 单位 are two
/// entries and the unit is read. A hard break in a note that is not meta
/// stays a line break inside the note.
#[test]
fn markdown_hard_line_break_splits_a_meta_paragraph() {
    let table = "| 项目 | 金额 |\n| --- | ---: |\n| 合计 | 10.00 |\n| 工资 | 10.00 |\n";
    for brk in ["  \n", "\\\n"] {
        let md = format!(
            "# 部门收入总表\n\n**部门名称：某局**{brk}*单位：万元*\n\n{table}\n注：第一句。{brk}第二句。\n"
        );
        let doc = gongkai::read_bytes(md.as_bytes(), "m.md", &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{brk:?}: {e}"));
        let t = &doc.tables[0];
        let meta: Vec<(Option<&str>, &str)> = t
            .meta
            .iter()
            .map(|m| (m.key.as_deref(), m.value.as_str()))
            .collect();
        assert_eq!(
            meta,
            [(Some("部门名称"), "某局"), (Some("单位"), "万元")],
            "{brk:?}"
        );
        assert_eq!(
            t.unit,
            Some(gongkai::model::Unit::TenThousandYuan),
            "{brk:?}"
        );
        assert_eq!(t.notes, ["注：第一句。\n第二句。"], "{brk:?}");
    }
}
