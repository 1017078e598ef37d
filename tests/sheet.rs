//! The spreadsheet reader's acceptance tests: the seed workbooks in every
//! format give the seed's expected cells, the variants and department
//! copies give theirs, nothing a sheet holds is lost, bad and hostile
//! workbooks give named errors, and the features of tests/fixtures/sheet
//! (hidden rows and columns, formats, formulas, error values, empty and
//! hidden sheets) come through in xlsx, xls and ods alike.

mod common;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use common::*;
use gongkai::model::{ColumnKind, Document, RowKind, Value};
use gongkai::{Format, ReadOptions};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::str::FromStr;

/// The seed workbooks whose one table is exactly expected/seed.json.
const SEED_WORKBOOKS: &[&str] = &["seed/budget.xlsx", "seed/budget.xls", "seed/budget.ods"];

/// Every spreadsheet of the corpus outside bad/, with its expected JSON.
const WORKBOOKS: &[(&str, &str)] = &[
    ("seed/budget.xlsx", "seed.json"),
    ("seed/budget.xls", "seed.json"),
    ("seed/budget.ods", "seed.json"),
    (
        "variants/v01_部门收支总表.xlsx",
        "variants/v01_部门收支总表.json",
    ),
    (
        "variants/v03_部门支出总表.xlsx",
        "variants/v03_部门支出总表.json",
    ),
    (
        "variants/v06_三公经费及基本支出.xlsx",
        "variants/v06_三公经费及基本支出.json",
    ),
    (
        "variants/v07_项目支出绩效目标表_生僻字.xlsx",
        "variants/v07_项目支出绩效目标表_生僻字.json",
    ),
    (
        "departments/区农业农村局/下属单位/区农业技术推广中心/三公经费及基本支出.xlsx",
        "variants/v06_三公经费及基本支出.json",
    ),
    (
        "departments/区农业农村局/项目支出绩效目标表.xlsx",
        "variants/v07_项目支出绩效目标表_生僻字.json",
    ),
    (
        "departments/区卫生健康局 2025年 部门预算/部门支出总表 (终稿).xlsx",
        "variants/v03_部门支出总表.json",
    ),
    (
        "departments/广州开发区民营经济和企业服务局/2025年项目支出绩效目标表.xlsx",
        "seed.json",
    ),
    ("departments/红山街道办事处/旧版导出.xls", "seed.json"),
    ("bad/bad_totals.xlsx", "bad/bad_totals.json"),
];

/// A file of tests/fixtures/sheet.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sheet")
        .join(name)
}

fn read_fixture(name: &str) -> Document {
    gongkai::read_path(&fixture(name), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_error(bytes: &[u8], name: &str) -> String {
    match gongkai::read_bytes(bytes, name, &ReadOptions::default()) {
        Ok(_) => panic!("{name}: read without error"),
        Err(e) => e.to_string(),
    }
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn seed_workbooks_give_the_expected_cells() {
    let exp = expected("seed.json");
    for rel in SEED_WORKBOOKS {
        let doc = read(rel);
        assert_eq!(doc.tables.len(), 1, "{rel}");
        assert_matches_expected(&doc.tables[0], &exp, rel);
        let kinds: Vec<RowKind> = doc.tables[0].rows.iter().map(|r| r.kind).collect();
        assert_eq!(kinds[0], RowKind::Total, "{rel}");
        assert_eq!(kinds[1], RowKind::Subtotal, "{rel}");
        assert!(kinds[2..].iter().all(|k| *k == RowKind::Item), "{rel}");
        assert!(doc.warnings.is_empty(), "{rel}: {:?}", doc.warnings);
        let t = &doc.tables[0];
        assert_eq!(
            t.origin.sheet.as_deref(),
            Some("项目支出绩效目标表"),
            "{rel}"
        );
        assert_eq!(t.origin.header_rows, vec![3], "{rel}");
        let rows: Vec<Option<u32>> = t.rows.iter().map(|r| r.source_row).collect();
        assert_eq!(rows, (4..=12).map(Some).collect::<Vec<_>>(), "{rel}");
    }
}

#[test]
fn an_xlsb_with_short_cell_records_loses_nothing() {
    // SheetJS writes every cell after the first of a row in the short
    // form, which calamine alone skips.
    let doc = read_fixture("budget.xlsb");
    assert_eq!(doc.tables.len(), 1);
    assert_eq!(doc.source.format, Format::Xlsb);
    assert_matches_expected(&doc.tables[0], &expected("seed.json"), "budget.xlsb");
    // The same cells as the xlsx it was written from, read by calamine.
    assert_eq!(
        model_cells(&doc),
        source_cells(&corpus("seed/budget.xlsx")),
        "budget.xlsb"
    );
}

#[test]
fn an_xlsm_reads_like_an_xlsx() {
    let bytes = std::fs::read(fixture("features.xlsx")).unwrap();
    let doc = gongkai::read_bytes(&bytes, "features.xlsm", &ReadOptions::default()).unwrap();
    assert_eq!(doc.source.format, Format::Xlsm);
    assert_same_tables(&doc, &read_fixture("features.xlsx"), "xlsm");
}

#[test]
fn two_level_header_carries_the_funding_group() {
    let rel = "seed/budget-2level.xlsx";
    let doc = read(rel);
    assert_eq!(doc.tables.len(), 1);
    let t = &doc.tables[0];
    assert_two_level_seed(t, rel);
    assert_eq!(t.origin.header_rows, vec![4, 5]);
}

#[test]
fn variant_and_department_workbooks_give_their_expected_cells() {
    for (rel, exp) in WORKBOOKS {
        let doc = read(rel);
        let exp = expected(exp);
        match exp["tables"].as_array() {
            Some(tables) => {
                assert_eq!(doc.tables.len(), tables.len(), "{rel}: tables");
                for (i, (t, e)) in doc.tables.iter().zip(tables).enumerate() {
                    assert_matches_expected(t, e, &format!("{rel} table {i}"));
                }
            }
            None => {
                assert_eq!(doc.tables.len(), 1, "{rel}: tables");
                assert_matches_expected(&doc.tables[0], &exp, rel);
            }
        }
    }
}

#[test]
fn sheets_become_tables_in_workbook_order() {
    let doc = read("variants/v06_三公经费及基本支出.xlsx");
    let sheets: Vec<Option<&str>> = doc
        .tables
        .iter()
        .map(|t| t.origin.sheet.as_deref())
        .collect();
    assert_eq!(sheets, vec![Some("三公经费"), Some("基本支出")]);
    let index: Vec<u32> = doc.tables.iter().map(|t| t.origin.index).collect();
    assert_eq!(index, vec![0, 1]);
}

/// What a cell shows, for comparing a sheet with the model: trimmed text,
/// or an exact number. Text that reads as a number compares as one, so a
/// code stored as the number 205 matches the text "205".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Shown {
    Text(String),
    Number(String),
}

fn shown_text(t: &str) -> Option<Shown> {
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    Some(match number_in(t) {
        Some(d) => shown_number(d),
        None => Shown::Text(t.to_string()),
    })
}

/// The number a text writes, in any of the ways clerks write one
/// (full-width digits, grouping commas, a minus or brackets for a negative,
/// a currency sign, a percent sign: a fraction); `None` when it is not one.
/// Lenient (commas are dropped wherever they are): both sides of a
/// comparison read text with it, so all it must do is read every number
/// the reader reads.
fn number_in(t: &str) -> Option<Decimal> {
    let mut s: String = t
        .chars()
        .map(|c| match c {
            // The full-width forms of ASCII (０-９, ．, ，, （, ）, ％ …).
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '−' | '‐' => '-',
            c => c,
        })
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let mut negative = false;
    if s.len() > 2 && s.starts_with('(') && s.ends_with(')') {
        negative = true;
        s = s[1..s.len() - 1].to_string();
    }
    let percent = s.ends_with('%');
    if percent {
        s.pop();
    }
    let s = s.trim_start_matches(['¥', '￥']);
    let (sign, digits) = match s.strip_prefix(['-', '+']) {
        Some(rest) => (&s[..1], rest),
        None => ("", s),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if negative && sign == "-" {
        return None;
    }
    let mut d = Decimal::from_str(digits).ok()?;
    d.set_sign_negative(negative || sign == "-");
    Some(if percent { d / Decimal::ONE_HUNDRED } else { d })
}

fn shown_number(d: Decimal) -> Shown {
    Shown::Number(d.normalize().to_string())
}

/// The exact value of a spreadsheet float by the reader's documented rule:
/// its shortest round-trip decimal, to Excel's 15 significant digits.
fn shown_float(f: f64) -> Shown {
    let d = Decimal::from_str(&f.to_string()).unwrap();
    shown_number(
        d.round_sf_with_strategy(15, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .unwrap(),
    )
}

/// The non-empty cells of every sheet, read straight from calamine.
fn source_cells(path: &PathBuf) -> BTreeSet<Shown> {
    let bytes = std::fs::read(path).unwrap();
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
    let mut out = BTreeSet::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for (_, _, v) in range.used_cells() {
            let s = match v {
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => shown_text(s),
                Data::Float(f) => Some(shown_float(*f)),
                Data::Int(i) => Some(shown_number(Decimal::from(*i))),
                Data::Bool(b) => Some(Shown::Text(if *b { "TRUE" } else { "FALSE" }.into())),
                Data::Error(e) => Some(Shown::Text(e.to_string())),
                Data::DateTime(d) => panic!("{path:?}: no dates expected, found {d:?}"),
                Data::Empty => None,
            };
            out.extend(s);
        }
    }
    out
}

/// Everything the model shows: titles, meta lines, header paths, cells,
/// notes.
fn model_cells(doc: &Document) -> BTreeSet<Shown> {
    let mut out = BTreeSet::new();
    for t in &doc.tables {
        out.extend(t.title.as_deref().and_then(shown_text));
        out.extend(t.meta.iter().filter_map(|m| shown_text(&m.text)));
        for c in &t.columns {
            out.extend(c.path.iter().filter_map(|p| shown_text(p)));
        }
        for r in &t.rows {
            for c in &r.cells {
                out.extend(match &c.value {
                    Value::Empty => None,
                    Value::Text(s) => shown_text(s),
                    Value::Amount(d) => Some(shown_number(*d)),
                    Value::Percent(d) => Some(shown_number(*d / Decimal::ONE_HUNDRED)),
                });
            }
        }
        out.extend(t.notes.iter().filter_map(|n| shown_text(n)));
    }
    out
}

#[test]
fn nothing_is_lost() {
    let mut files: Vec<PathBuf> = WORKBOOKS.iter().map(|(rel, _)| corpus(rel)).collect();
    files.push(corpus("seed/budget-2level.xlsx"));
    files.extend(
        ["features.xlsx", "features.xls", "features.ods"]
            .iter()
            .map(|f| fixture(f)),
    );
    for path in files {
        let source = source_cells(&path);
        let doc =
            gongkai::read_path(&path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let model = model_cells(&doc);
        let lost: Vec<&Shown> = source.difference(&model).collect();
        let invented: Vec<&Shown> = model.difference(&source).collect();
        assert!(lost.is_empty(), "{path:?}: lost {lost:?}");
        assert!(
            invented.is_empty(),
            "{path:?}: not in the source {invented:?}"
        );
        assert!(source.len() > 10, "{path:?}: {} cells", source.len());
    }
}

#[test]
fn bad_workbooks_give_named_errors() {
    for (rel, needle) in [
        ("bad/x.xlsx", "the file is empty"),
        (
            "bad/truncated.xlsx",
            "not a valid .xlsx: a zip archive holding none of the parts a .xlsx has (damaged or truncated?)",
        ),
        (
            "bad/zipbomb.xlsx",
            "zip part 'xl/worksheets/sheet1.xml': declares 1100006744 bytes uncompressed, over \
             the limit of 104857600 bytes per part; refused without inflating it",
        ),
        (
            "bad/encrypted.xlsx",
            "the workbook is encrypted (password-protected); remove the password",
        ),
        (
            "bad/empty_sheet.xlsx",
            "no table found: the workbook's only sheet, 'Sheet1', is empty",
        ),
        (
            "bad/legacy.doc",
            "this is a Word 97-2003 .doc; save it as .docx",
        ),
    ] {
        let err = gongkai::read_path(&corpus(rel), &ReadOptions::default())
            .expect_err(rel)
            .to_string();
        assert!(err.contains(needle), "{rel}: {err}");
        assert!(
            err.starts_with(&corpus(rel).to_string_lossy().into_owned()),
            "{rel}: {err}"
        );
    }
}

#[test]
fn a_workbook_cut_short_is_damaged() {
    // Cut after the part names (so it is known as an xlsx) but before the
    // zip directory at the end.
    for rel in ["seed/budget.xlsx", "seed/budget.ods"] {
        let bytes = std::fs::read(corpus(rel)).unwrap();
        let cut = &bytes[..bytes.len() - 200];
        let err = read_error(cut, rel);
        assert!(
            err.contains("file is damaged or truncated: its zip directory cannot be read"),
            "{rel}: {err}"
        );
    }
    // An xls keeps its directory at the end: overwrite sectors instead.
    let mut bytes = std::fs::read(corpus("seed/budget.xls")).unwrap();
    bytes[600..4000].fill(0xFF);
    let err = read_error(&bytes, "budget.xls");
    assert!(
        err.contains("the .xls workbook is damaged or truncated and cannot be read"),
        "{err}"
    );
}

#[test]
fn a_docx_named_xlsx_is_read_as_a_docx() {
    // (That it is detected as one is a unit test of the reader's
    // detection, src/read/mod.rs.)
    let bytes = std::fs::read(corpus("bad/docx_named_as.xlsx")).unwrap();
    // Whatever the Word reader makes of it, the spreadsheet reader is not
    // asked to.
    if let Err(e) = gongkai::read_bytes(&bytes, "docx_named_as.xlsx", &ReadOptions::default()) {
        assert!(!e.to_string().contains("workbook"), "{e}");
    }
}

#[test]
fn bad_totals_converts() {
    let doc = read("bad/bad_totals.xlsx");
    assert_eq!(doc.tables.len(), 1);
    assert_eq!(doc.tables[0].rows.len(), 5);
}

/// The features fixture reads the same in each format.
#[test]
fn features_come_through_in_every_format() {
    for name in ["features.xlsx", "features.xls", "features.ods"] {
        let doc = read_fixture(name);
        let sheets: Vec<Option<&str>> = doc
            .tables
            .iter()
            .map(|t| t.origin.sheet.as_deref())
            .collect();
        assert_eq!(sheets, vec![Some("数据"), Some("隐藏")], "{name}");
        let warnings: Vec<(&str, Option<&str>)> = doc
            .warnings
            .iter()
            .map(|w| (w.code.as_str(), w.at.as_deref()))
            .collect();
        for w in [
            ("error-value", Some("sheet '数据', cell D7")),
            ("hidden-sheet", Some("sheet '隐藏'")),
            ("empty-sheet", Some("sheet '空表'")),
        ] {
            assert!(warnings.contains(&w), "{name}: {w:?} not in {warnings:?}");
        }
        assert_eq!(warnings.len(), 3, "{name}: {warnings:?}");

        let t = &doc.tables[0];
        assert_eq!(t.title.as_deref(), Some("功能测试表"), "{name}");
        assert_eq!(t.unit.map(|u| u.name()), Some("元"), "{name}");
        assert_eq!(t.origin.header_rows, vec![4, 5], "{name}");
        let paths: Vec<String> = t.columns.iter().map(|c| c.path.join("/")).collect();
        assert_eq!(
            paths,
            [
                "科目名称",
                "金额/本年",
                "金额/上年",
                "金额/两倍",
                "占比",
                "备注"
            ],
            "{name}"
        );
        let kinds: Vec<ColumnKind> = t.columns.iter().map(|c| c.kind).collect();
        use ColumnKind::*;
        assert_eq!(
            kinds,
            [Text, Amount, Amount, Amount, Percent, Text],
            "{name}"
        );
        let hidden: Vec<bool> = t.columns.iter().map(|c| c.hidden).collect();
        assert_eq!(hidden, [false, false, true, false, false, false], "{name}");
        let cols: Vec<Option<u32>> = t.columns.iter().map(|c| c.source_col).collect();
        assert_eq!(cols, (0..6).map(Some).collect::<Vec<_>>(), "{name}");

        // The blank spacer row 3 and row 10 are gone; row 8 is hidden.
        let rows: Vec<(Option<u32>, bool)> =
            t.rows.iter().map(|r| (r.source_row, r.hidden)).collect();
        assert_eq!(
            rows,
            [
                (Some(6), false),
                (Some(7), false),
                (Some(8), true),
                (Some(9), false)
            ],
            "{name}"
        );
        let cell = |r: usize, c: usize| t.rows[r].cells[c].value.clone();
        let amount = |r: usize, c: usize| match cell(r, c) {
            Value::Amount(d) => d.to_string(),
            other => panic!("{name}: row {r} col {c} is {other:?}"),
        };
        // #,##0.00 gives two decimals; digits beyond the format are kept.
        assert_eq!(amount(0, 1), "1234.50", "{name}");
        assert_eq!(amount(0, 2), "0.30", "{name}: 0.1 + 0.2");
        assert_eq!(amount(0, 3), "2469.00", "{name}: cached formula value");
        assert_eq!(amount(1, 2), "-0.005", "{name}");
        assert_eq!(amount(2, 2), "0.00", "{name}: an explicit zero");
        assert_eq!(amount(3, 2), "1000000000000000.00", "{name}");
        assert_eq!(amount(3, 1), "-12.50", "{name}: a text amount");
        assert_eq!(t.rows[3].cells[1].raw.as_deref(), Some("(12.50)"), "{name}");
        assert_eq!(cell(0, 4), Value::Percent(dec("95.50")), "{name}");
        assert_eq!(cell(1, 3), Value::Text("#DIV/0!".into()), "{name}");
        assert_eq!(cell(3, 5), Value::Text("  前导空格".into()), "{name}");
        // Hierarchy from the indents of the label cells.
        let kinds: Vec<RowKind> = t.rows.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                RowKind::Total,
                RowKind::Subtotal,
                RowKind::Item,
                RowKind::Item
            ],
            "{name}"
        );
        let levels: Vec<u8> = t.rows.iter().map(|r| r.level).collect();
        assert_eq!(levels[0], 0, "{name}");
        assert_eq!(levels[1], 1, "{name}");
        assert!(levels[2] > levels[1], "{name}: {levels:?}");
        assert_eq!(levels[3], 1, "{name}");
        assert_eq!(t.notes, ["注：本表为测试数据。"], "{name}");

        let hidden_sheet = &doc.tables[1];
        assert_eq!(hidden_sheet.rows.len(), 1, "{name}");
        assert_eq!(
            hidden_sheet.rows[0].cells[1].value,
            Value::Amount(dec("12.50")),
            "{name}"
        );
    }
}

/// A one-sheet xlsx around `sheet_data` (the rows of `<sheetData>`).
fn xlsx(sheet_data: &str) -> Vec<u8> {
    xlsx_with_strings(sheet_data, &[])
}

/// A one-sheet xlsx with a shared-string table.
fn xlsx_with_strings(sheet_data: &str, strings: &[&str]) -> Vec<u8> {
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{}">{}</sst>"#,
        strings.len(),
        strings
            .iter()
            .map(|s| format!("<si><t>{s}</t></si>"))
            .collect::<String>()
    );
    let mut parts = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
            ),
        ),
    ];
    if !strings.is_empty() {
        parts.push(("xl/sharedStrings.xml", sst));
    }
    zip_of(
        &parts
            .iter()
            .map(|(n, d)| (*n, d.as_bytes()))
            .collect::<Vec<_>>(),
    )
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        w.start_file(
            *name,
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn text_cell(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

#[test]
fn the_grid_is_bounded_by_the_cells_not_the_sheet() {
    // Cells a million rows apart: the empty rows between are not laid out.
    let far = 1_000_000;
    let data = format!(
        r#"<row r="1">{}{}</row><row r="2">{}<c r="B2"><v>12.5</v></c></row><row r="{far}">{}<c r="B{far}"><v>7</v></c></row>"#,
        text_cell("A1", "项目"),
        text_cell("B1", "金额"),
        text_cell("A2", "办公费"),
        text_cell(&format!("A{far}"), "水费"),
    );
    let doc = gongkai::read_bytes(&xlsx(&data), "far.xlsx", &ReadOptions::default()).unwrap();
    let rows: Vec<Option<u32>> = doc.tables[0].rows.iter().map(|r| r.source_row).collect();
    assert_eq!(rows, [Some(2), Some(far)]);

    // A value in column XFD makes a table 16,384 columns wide: refused.
    let data = format!(
        r#"<row r="1">{}{}</row>"#,
        text_cell("A1", "项目"),
        text_cell("XFD1", "金额")
    );
    let err = read_error(&xlsx(&data), "wide.xlsx");
    assert!(
        err.contains("sheet '表': the cells span 16384 columns, over the limit of 1024"),
        "{err}"
    );
}

#[test]
fn a_cell_over_excels_limit_is_refused() {
    let long = "字".repeat(40_000);
    let data = format!(
        r#"<row r="1">{}{}</row>"#,
        text_cell("A1", "项目"),
        text_cell("B1", &long)
    );
    let err = read_error(&xlsx(&data), "long.xlsx");
    assert!(
        err.contains(
            "sheet '表', cell B1: 40000 characters in one cell, over the limit cell_chars = 32767"
        ),
        "{err}"
    );
}

#[test]
fn one_long_string_in_many_cells_is_refused_before_it_is_copied() {
    // 90 KB of text, shown by 10,000 cells: 900 MB once copied.
    let long = "字".repeat(30_000);
    let rows: String = (1..=10_000)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#))
        .collect();
    let err = read_error(&xlsx_with_strings(&rows, &[&long]), "copies.xlsx");
    assert!(
        err.contains("the workbook's cells hold more than 268435456 bytes of text together"),
        "{err}"
    );
}

/// Sets the uncompressed size that the zip headers declare for `member`
/// (the central directory and, with `local`, the local header too).
fn declare_size(zip: &mut [u8], member: &str, size: u32, local: bool) {
    let name = member.as_bytes();
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        let sig = &zip[i..i + 4];
        if sig == b"PK\x01\x02" {
            let n = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if &zip[i + 46..i + 46 + n] == name {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
        } else if local && sig == b"PK\x03\x04" {
            let n = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
            if &zip[i + 30..i + 30 + n] == name {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
        }
    }
    assert!(patched > 0, "{member} not found");
}

#[test]
fn a_part_that_inflates_past_its_declared_size_is_stopped() {
    let mut bytes = std::fs::read(fixture("features.xlsx")).unwrap();
    declare_size(&mut bytes, "xl/worksheets/sheet1.xml", 100, true);
    let err = read_error(&bytes, "lying.xlsx");
    assert!(
        err.contains(
            "the .xlsx file is damaged: part 'xl/worksheets/sheet1.xml' cannot be inflated"
        ),
        "{err}"
    );
}

#[test]
fn parts_too_large_together_are_refused_before_inflating() {
    let mut bytes = std::fs::read(fixture("features.xlsx")).unwrap();
    for part in [
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet3.xml",
    ] {
        declare_size(&mut bytes, part, 90 * 1024 * 1024, false);
    }
    let err = read_error(&bytes, "big.xlsx");
    assert!(
        err.contains("the .xlsx package declares 283")
            && err.contains("over the limit of 209715200 bytes"),
        "{err}"
    );
}

/// `features.xlsx` with one part's text edited.
fn edited_features(part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let bytes = std::fs::read(fixture("features.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if name == part {
            data = edit(&String::from_utf8(data).unwrap()).into_bytes();
        }
        parts.push((name, data));
    }
    zip_of(
        &parts
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect::<Vec<_>>(),
    )
}

#[test]
fn a_formula_saved_without_its_value_is_reported() {
    // As files written by libraries (never opened in Excel) have them.
    let bytes = edited_features("xl/worksheets/sheet1.xml", |x| {
        x.replace("<v>2469</v>", "").replace("<v>469</v>", "")
    });
    let doc = gongkai::read_bytes(&bytes, "uncalculated.xlsx", &ReadOptions::default()).unwrap();
    let w = doc
        .warnings
        .iter()
        .find(|w| w.code == "formula-without-value")
        .expect("a formula-without-value warning");
    assert_eq!(w.at.as_deref(), Some("sheet '数据', cell D6"));
    assert!(
        w.message
            .starts_with("2 formula cell(s) were saved without their value"),
        "{w}"
    );
    assert_eq!(doc.tables[0].rows[0].cells[3].value, Value::Empty);
}

#[test]
fn a_shared_string_count_the_part_cannot_hold_is_refused() {
    // calamine reserves room for uniqueCount strings before reading one.
    let bytes = edited_features("xl/sharedStrings.xml", |x| {
        x.replace(r#"uniqueCount="2""#, r#"uniqueCount="99999999999""#)
    });
    let err = read_error(&bytes, "sst.xlsx");
    assert!(
        err.contains("zip part 'xl/sharedStrings.xml': declares 99999999999 shared strings"),
        "{err}"
    );
}

#[test]
fn an_ods_whose_repeats_would_explode_is_refused() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="炸弹"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="100"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let bytes = zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ]);
    let err = read_error(&bytes, "bomb.ods");
    assert!(
        err.contains("sheet '炸弹': more than 1000000 cells of the workbook hold values"),
        "{err}"
    );
}

#[test]
fn an_xls_declaring_impossible_dimensions_is_refused() {
    // calamine reserves memory from the DIMENSIONS record; one declaring
    // 2³¹ rows must not reach it.
    let mut bytes = std::fs::read(fixture("features.xls")).unwrap();
    let at = bytes
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .expect("a DIMENSIONS record");
    bytes[at + 8..at + 12].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    let err = read_error(&bytes, "dims.xls");
    assert!(
        err.contains("sheet '数据': the sheet's DIMENSIONS record declares rows"),
        "{err}"
    );
}

#[test]
fn an_xls_whose_sheet_offset_points_nowhere_is_damaged() {
    // calamine slices the stream at this offset (and panics past its end).
    let mut bytes = std::fs::read(fixture("features.xls")).unwrap();
    // The first BOUNDSHEET record: type 0x0085, its length, the offset.
    let at = bytes
        .windows(6)
        .position(|w| w[0] == 0x85 && w[1] == 0x00 && w[3] == 0x00 && (8..64).contains(&w[2]))
        .expect("a BOUNDSHEET record");
    bytes[at + 4..at + 8].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    let err = read_error(&bytes, "offset.xls");
    assert!(
        err.contains("sheet '数据': the workbook says the sheet starts at byte 16777215"),
        "{err}"
    );
}

#[test]
fn an_xls_with_a_password_is_refused_as_encrypted() {
    // features.xls with a FILEPASS record (RC4) after the globals' BOF,
    // as Excel writes a password-protected workbook.
    let bytes = std::fs::read(fixture("features.xls")).unwrap();
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
    let mut stream = Vec::new();
    std::io::Read::read_to_end(&mut cfb.open_stream("/Workbook").unwrap(), &mut stream).unwrap();
    let bof_len = 4 + u16::from_le_bytes([stream[2], stream[3]]) as usize;
    let mut filepass = vec![0x2F, 0x00, 54, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00];
    filepass.resize(4 + 54, 0xA5);
    let mut edited = stream[..bof_len].to_vec();
    edited.extend(filepass);
    edited.extend(&stream[bof_len..]);
    cfb.create_stream("/Workbook")
        .unwrap()
        .write_all(&edited)
        .unwrap();
    cfb.flush().unwrap();
    let bytes = cfb.into_inner().into_inner();
    let err = read_error(&bytes, "locked.xls");
    assert!(
        err.contains("the workbook is encrypted (password-protected)"),
        "{err}"
    );
}

#[test]
fn convert_from_the_command_line() {
    let out = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-sheet-cli-{}", std::process::id()));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("convert")
        .arg(corpus("seed/budget.xlsx"))
        .arg("--out")
        .arg(&out)
        .args(["--to", "md,json"])
        .status()
        .unwrap();
    assert!(status.success());
    let md = std::fs::read_to_string(out.join("budget.md")).unwrap();
    assert!(
        md.contains("# 项目支出绩效目标表（含转移支付项目）"),
        "{md}"
    );
    assert!(md.contains("| 合计 | 3,593.00 | 3,593.00 |"), "{md}");
    let json = std::fs::read_to_string(out.join("budget.json")).unwrap();
    let back =
        gongkai::read_bytes(json.as_bytes(), "budget.json", &ReadOptions::default()).unwrap();
    assert_same_tables(&back, &read("seed/budget.xlsx"), "json output");
    std::fs::remove_dir_all(&out).unwrap();
}

/// Reads `bytes` with the limits of a profile whose `[limits]` table is
/// `limits_toml`.
fn read_with_profile_limits(
    bytes: &[u8],
    name: &str,
    limits_toml: &str,
) -> Result<Document, gongkai::ReadError> {
    let profile = gongkai::profile::Profile::parse(
        &format!("[limits]\n{limits_toml}\n"),
        "test profile",
        None,
    )
    .unwrap_or_else(|e| panic!("profile: {e}"));
    let options = ReadOptions::default().with_limits(profile.limits);
    gongkai::read_bytes(bytes, name, &options)
}

#[test]
fn a_profile_moves_the_zip_part_limit() {
    let data = format!(
        r#"<row r="1">{}{}</row><row r="2">{}<c r="B2"><v>12.5</v></c></row>"#,
        text_cell("A1", "项目"),
        text_cell("B1", "金额"),
        text_cell("A2", "办公费"),
    );
    let bytes = xlsx(&data);
    // The default reads it; a profile lowering zip_part_bytes refuses it,
    // naming the part, the limit's value and its key.
    gongkai::read_bytes(&bytes, "small.xlsx", &ReadOptions::default())
        .unwrap_or_else(|e| panic!("default limits: {e}"));
    let err = read_with_profile_limits(&bytes, "small.xlsx", "zip_part_bytes = 200")
        .expect_err("a 200-byte part limit")
        .to_string();
    assert!(
        err.contains("zip part '")
            && err.contains("': declares")
            && err.contains("over the limit of 200 bytes per part")
            && err.contains("--limits zip_part_bytes=N"),
        "{err}"
    );
    // Raising another limit leaves the file readable.
    read_with_profile_limits(&bytes, "small.xlsx", "zip_part_bytes = 200_000")
        .unwrap_or_else(|e| panic!("raised limit: {e}"));
}

#[test]
fn a_profile_moves_the_sheet_grid_limit() {
    let data = format!(
        r#"<row r="1">{}{}</row><row r="2">{}<c r="B2"><v>12.5</v></c></row>"#,
        text_cell("A1", "项目"),
        text_cell("B1", "金额"),
        text_cell("A2", "办公费"),
    );
    let bytes = xlsx(&data);
    let err = read_with_profile_limits(&bytes, "grid.xlsx", "sheet_grid_cells = 3")
        .expect_err("a 3-cell grid limit")
        .to_string();
    assert!(
        err.contains("sheet '表'") && err.contains("[limits] sheet_grid_cells = N"),
        "{err}"
    );
    read_with_profile_limits(&bytes, "grid.xlsx", "sheet_grid_cells = 4")
        .unwrap_or_else(|e| panic!("a 4-cell grid limit: {e}"));
}
