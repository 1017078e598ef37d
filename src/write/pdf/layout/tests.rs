//! Checks on the engine's own output, no PDF involved: every glyph run
//! inside its cell and the margins, no line starting with a forbidden
//! character, header rows on every page, fitting rows never split, every
//! character of every cell drawn.

use super::text::{NO_LINE_END, NO_LINE_START};
use super::*;
use crate::amount::{format_amount, format_percent};
use crate::grid::{self, Slot};
use crate::model::{Span, Value};
use crate::profile::{Orientation, PaperSize};
use crate::write::pdf::fonts::FontStore;
use crate::{ReadOptions, read_bytes};
use std::collections::BTreeMap;

fn fixture(rel: &str) -> Document {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    crate::read_path(&path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const FIXTURES: &[&str] = &[
    "corpus/seed/budget.txt",
    "corpus/variants/v04_财政拨款收支总表.txt",
    "corpus/variants/v08_项目支出绩效目标表_含个人信息.txt",
    "pdf/v07_rare_chars.txt",
];

fn runs(page: &PageLayout) -> impl Iterator<Item = &GlyphRun> {
    page.items.iter().filter_map(|i| match i {
        Item::Text(r) => Some(r),
        _ => None,
    })
}

fn lay(doc: &Document, profile: &Profile) -> DocumentLayout {
    let fonts = FontBook::new(&FontStore::new(), &profile.fonts).unwrap();
    layout_document(doc, profile, &fonts)
}

/// Every check of this file on one layout.
fn check(doc: &Document, layout: &DocumentLayout, ctx: &str) {
    assert!(!layout.pages.is_empty(), "{ctx}: no pages");
    for (pi, page) in layout.pages.iter().enumerate() {
        for item in &page.items {
            match item {
                Item::Text(run) => {
                    let ink = run.ink_box();
                    assert!(
                        run.bounds.contains(&ink),
                        "{ctx}: page {pi}: {:?} sticks out of its box {:?} ({ink:?})",
                        run.text,
                        run.bounds
                    );
                    assert!(
                        page.area.contains(&ink),
                        "{ctx}: page {pi}: {:?} past the margins",
                        run.text
                    );
                    if run.starts_line && matches!(run.kind, RunKind::Body | RunKind::Header) {
                        let first = run.text.chars().next().unwrap();
                        assert!(
                            !NO_LINE_START.contains(&first),
                            "{ctx}: page {pi}: a line starts with {first:?}: {:?}",
                            run.text
                        );
                    }
                }
                Item::Frame { rect, .. } | Item::Fill { rect, .. } => {
                    assert!(page.area.contains(rect), "{ctx}: page {pi}: {rect:?}");
                }
                Item::MissingGlyph { rect } => {
                    assert!(page.area.contains(rect), "{ctx}: page {pi}: {rect:?}");
                }
            }
        }
    }
    // No line of a cell ends with an opening bracket unless its text does.
    let mut lines: BTreeMap<(usize, usize, usize, i64), Vec<&GlyphRun>> = BTreeMap::new();
    for (pi, page) in layout.pages.iter().enumerate() {
        for run in runs(page).filter(|r| r.kind == RunKind::Body) {
            let key = (
                pi,
                run.row.unwrap(),
                run.col.unwrap(),
                (run.baseline * 100.0) as i64,
            );
            lines.entry(key).or_default().push(run);
        }
    }
    let mut cell_text: BTreeMap<(usize, usize, usize), String> = BTreeMap::new();
    for ((pi, row, col, _), line) in &lines {
        let text: String = line.iter().map(|r| r.text.as_str()).collect();
        let table = layout.pages[*pi].table;
        let drawn = cell_text.entry((table, *row, *col)).or_default();
        drawn.push_str(&text);
        let full = cell_string(doc, table, *row, *col);
        let last = text.chars().last().unwrap();
        if NO_LINE_END.contains(&last) {
            assert!(
                full.trim_end().ends_with(&text),
                "{ctx}: a line ends with {last:?}: {text:?}"
            );
        }
    }
    // Every character of every body cell is drawn, in order (those no font
    // has as boxes, with a warning each).
    let fonts = FontBook::new(&FontStore::new(), &Profile::default().fonts).unwrap();
    for (ti, table) in doc.tables.iter().enumerate() {
        let resolved = grid::resolve(table);
        for (r, slots) in resolved.body.iter().enumerate() {
            for (c, slot) in slots.iter().enumerate() {
                if let Slot::Cell { .. } = slot {
                    let want: String = cell_string(doc, ti, r, c)
                        .chars()
                        .filter(|ch| !ch.is_whitespace())
                        .filter(|ch| {
                            fonts.lookup(Role::Body, *ch).is_some()
                                || layout
                                    .warnings
                                    .iter()
                                    .all(|w| !w.message.contains(&format!("U+{:04X}", *ch as u32)))
                        })
                        .collect();
                    let got: String = cell_text
                        .get(&(ti, r, c))
                        .map(|s| s.chars().filter(|ch| !ch.is_whitespace()).collect())
                        .unwrap_or_default();
                    assert_eq!(got, want, "{ctx}: table {ti} row {r} col {c}");
                }
            }
        }
    }
    // Header rows on every page that has body rows, the same on each.
    let mut headers: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for page in &layout.pages {
        let has_body = runs(page).any(|r| r.kind == RunKind::Body);
        let head: Vec<String> = runs(page)
            .filter(|r| r.kind == RunKind::Header)
            .map(|r| r.text.clone())
            .collect();
        if has_body {
            assert!(
                !head.is_empty(),
                "{ctx}: a page of table rows has no header"
            );
            let first = headers.entry(page.table).or_insert_with(|| head.clone());
            assert_eq!(*first, head, "{ctx}: header differs between pages");
        }
    }
    // A row that fits in the space left is never split.
    let mut by_row: BTreeMap<(usize, usize), Vec<&RowFragment>> = BTreeMap::new();
    for f in &layout.fragments {
        by_row.entry((f.table, f.row)).or_default().push(f);
    }
    for ((t, r), frags) in &by_row {
        if frags.len() > 1 {
            assert!(
                frags[0].full_height > frags[0].space_left,
                "{ctx}: table {t} row {r} fits ({} <= {}) but was split",
                frags[0].full_height,
                frags[0].space_left
            );
            let pages: Vec<usize> = frags.iter().map(|f| f.page).collect();
            assert!(
                pages.windows(2).all(|w| w[1] == w[0] + 1),
                "{ctx}: {pages:?}"
            );
        }
    }
}

fn cell_string(doc: &Document, table: usize, row: usize, col: usize) -> String {
    match doc.tables[table].rows[row].cells[col].value.clone() {
        Value::Empty => String::new(),
        Value::Text(t) => t,
        Value::Amount(d) => format_amount(d),
        Value::Percent(d) => format_percent(d),
    }
}

#[test]
fn corpus_text_files_lay_out_cleanly() {
    let profile = Profile::default();
    for rel in FIXTURES {
        let doc = fixture(rel);
        let layout = lay(&doc, &profile);
        check(&doc, &layout, rel);
    }
}

#[test]
fn seed_rows_split_only_when_taller_than_the_space_left() {
    let doc = fixture("corpus/seed/budget.txt");
    let layout = lay(&doc, &Profile::default());
    assert!(layout.pages.len() >= 2);
    let split = layout
        .fragments
        .iter()
        .filter(|f| layout.fragments.iter().filter(|g| g.row == f.row).count() > 1)
        .count();
    assert!(split > 0, "the seed's long rows should need a split");
    assert!(layout.warnings.is_empty(), "{:?}", layout.warnings);
}

#[test]
fn portrait_a3_and_dash_page_numbers() {
    let doc = fixture("corpus/seed/budget.txt");
    let mut profile = Profile::default();
    profile.page.orientation = Orientation::Portrait;
    profile.page_number = PageNumberStyle::Dash;
    profile.header_text = Some("内部资料".into());
    profile.footer_text = Some("广州市黄埔区".into());
    let layout = lay(&doc, &profile);
    check(&doc, &layout, "portrait");
    let numbers: Vec<String> = layout
        .pages
        .iter()
        .flat_map(|p| runs(p).filter(|r| r.kind == RunKind::Furniture))
        .map(|r| r.text.clone())
        .collect();
    assert!(numbers.contains(&"— 1 —".to_string()), "{numbers:?}");
    assert!(numbers.iter().filter(|t| *t == "内部资料").count() == layout.pages.len());
    assert_eq!(layout.pages[0].width.round(), 595.0);
    profile.page.size = PaperSize::A3;
    profile.page.orientation = Orientation::Landscape;
    let a3 = lay(&doc, &profile);
    check(&doc, &a3, "a3");
    assert_eq!(a3.pages[0].width.round(), 1191.0);
    assert!(a3.pages.len() <= layout.pages.len());
}

/// A table built to stress the engine: a cell longer than a page, a
/// row span, many wide columns, a missing character.
fn stress_doc() -> Document {
    let long = "长文本，".repeat(900);
    let mut text = String::from("压力测试表\n单位：元\n名称\t说明");
    for i in 0..14 {
        text.push_str(&format!("\t金额{i}"));
    }
    text.push('\n');
    for r in 0..6 {
        let note = if r == 2 {
            long.as_str()
        } else {
            "短说明（含括号）"
        };
        text.push_str(&format!("项目{r}\u{E000}\t{note}"));
        for i in 0..14 {
            text.push_str(&format!("\t{}", 1_234_567 + i * 1000 + r));
        }
        text.push('\n');
    }
    let mut doc = read_bytes(text.as_bytes(), "stress.txt", &ReadOptions::default()).unwrap();
    let table = &mut doc.tables[0];
    // Rows 4 and 5 share one name cell.
    table.rows[4].cells[0].row_span = Span::new(2).unwrap();
    table.rows[5].cells[0].value = Value::Empty;
    doc
}

#[test]
fn a_huge_cell_splits_over_pages_and_a_wide_table_shrinks_to_fit() {
    let doc = stress_doc();
    let layout = lay(&doc, &Profile::default());
    check(&doc, &layout, "stress");
    let row2: Vec<usize> = layout
        .fragments
        .iter()
        .filter(|f| f.row == 2)
        .map(|f| f.page)
        .collect();
    assert!(row2.len() >= 2, "{row2:?}");
    let codes: Vec<&str> = layout.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"missing-glyph"), "{codes:?}");
    let missing = layout
        .warnings
        .iter()
        .find(|w| w.code == "missing-glyph")
        .unwrap();
    assert!(missing.message.contains("U+E000"), "{missing:?}");
    assert!(
        missing.at.as_deref().unwrap().contains("column '名称'"),
        "{missing:?}"
    );
    let boxes = layout
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter(|i| matches!(i, Item::MissingGlyph { .. }))
        .count();
    // Rows 0–4 name a missing character; row 5's name cell is covered.
    assert_eq!(boxes, 5, "one box per missing character");
    assert!(codes.contains(&"table-too-wide"), "{codes:?}");
}

#[test]
fn same_document_same_layout() {
    let doc = fixture("corpus/seed/budget.txt");
    let a = lay(&doc, &Profile::default());
    let b = lay(&doc, &Profile::default());
    assert_eq!(a, b);
}

#[test]
fn each_table_starts_on_a_new_page() {
    let mut doc = fixture("corpus/variants/v04_财政拨款收支总表.txt");
    let second = fixture("corpus/seed/budget.txt").tables.remove(0);
    doc.tables.push(second);
    let layout = lay(&doc, &Profile::default());
    check(&doc, &layout, "two tables");
    let title_pages: Vec<usize> = layout
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| runs(p).any(|r| r.kind == RunKind::Title))
        .map(|(i, _)| i)
        .collect();
    // v04 fits on one page: the seed's title opens page 2.
    assert_eq!(title_pages, vec![0, 1]);
    assert_eq!(layout.pages[1].table, 1);
    let total = layout.pages.len();
    let last: Vec<String> = runs(&layout.pages[total - 1])
        .filter(|r| r.kind == RunKind::Furniture)
        .map(|r| r.text.clone())
        .collect();
    assert_eq!(last, vec![format!("第 {total} 页 共 {total} 页")]);
}

#[test]
fn absurd_profiles_still_finish_inside_the_page() {
    let doc = fixture("corpus/seed/budget.txt");
    let mut profile = Profile::default();
    profile.page.orientation = Orientation::Portrait;
    profile.page.margin_left_mm = 90.0;
    profile.page.margin_right_mm = 90.0;
    profile.page.margin_top_mm = 120.0;
    profile.page.margin_bottom_mm = f32::NAN;
    profile.fonts.header.size_pt = 72.0;
    profile.fonts.body.size_pt = 1000.0;
    let fonts = FontBook::new(&FontStore::new(), &profile.fonts).unwrap();
    let layout = layout_document(&doc, &profile, &fonts);
    // With room for a handful of characters the header rows are taller
    // than the page: the layout says so instead of cutting them off.
    match &layout.over_limit {
        Some(Stop::TooTall { table, message }) => {
            assert_eq!(table, "table 1");
            assert!(message.contains("taller than the page"), "{message}");
        }
        Some(other) => panic!("not a layout stop: {other:?}"),
        None => assert!(!layout.pages.is_empty()),
    }
    for page in &layout.pages {
        assert!(page.area.x >= 0.0 && page.area.right() <= page.width + 0.01);
        assert!(page.area.y >= 0.0 && page.area.bottom() <= page.height + 0.01);
    }
}

/// A table that would leave its last row or two alone on a page is set up
/// to 10 % smaller to save that page: with single-line rows (about 20 to a
/// page), no row count strands one or two rows on a last page, the type
/// never goes below 90 %, and some row counts are saved that way.
#[test]
fn a_table_is_set_a_little_smaller_rather_than_strand_a_row() {
    let profile = Profile::default();
    let body = profile.fonts.body.size_pt;
    let mut text = String::from("支出表\n单位：万元\n科目编码\t科目名称\t合计\n");
    let mut squeezed = 0;
    let mut two_pages = 0;
    for n in 1..=60 {
        text.push_str(&format!("{}\t科目{n}\t{n}.00\n", 200 + n));
        let doc = read_bytes(text.as_bytes(), "t.txt", &ReadOptions::default()).unwrap();
        let layout = lay(&doc, &profile);
        check(&doc, &layout, &format!("{n} rows"));
        let body_runs: Vec<&GlyphRun> = layout
            .pages
            .iter()
            .flat_map(runs)
            .filter(|r| r.kind == RunKind::Body)
            .collect();
        let smallest = body_runs.iter().map(|r| r.size).fold(body, f32::min);
        assert!(smallest >= body * 0.9 - 1e-3, "{n} rows: {smallest} pt");
        if smallest < body - 1e-3 {
            squeezed += 1;
        }
        if let Some(last) = layout.pages.last()
            && layout.pages.len() > 1
        {
            two_pages += 1;
            let rows: std::collections::BTreeSet<usize> = runs(last)
                .filter(|r| r.kind == RunKind::Body)
                .filter_map(|r| r.row)
                .collect();
            assert!(
                rows.len() > 2,
                "{n} rows: {} alone on the last page",
                rows.len()
            );
        }
    }
    assert!(squeezed > 0, "no row count needed the squeeze");
    assert!(two_pages > 0, "60 rows never took two pages");
}

#[test]
fn a_label_spanning_rows_over_a_page_break_is_printed_again_on_the_next_page() {
    let mut text = String::from("一级指标\t三级指标\t指标值\n");
    for r in 0..90 {
        text.push_str(&format!(
            "{}\t指标{r}\t达标\n",
            if r == 0 { "产出指标" } else { "" }
        ));
    }
    let mut doc = read_bytes(text.as_bytes(), "span.txt", &ReadOptions::default()).unwrap();
    let table = &mut doc.tables[0];
    let rows = table.rows.len();
    table.rows[0].cells[0].row_span = Span::new(u32::try_from(rows).unwrap()).unwrap();
    let layout = lay(&doc, &Profile::default());
    check(&doc, &layout, "span");
    let pages: Vec<&PageLayout> = layout
        .pages
        .iter()
        .filter(|p| runs(p).any(|r| r.kind == RunKind::Body))
        .collect();
    assert!(pages.len() >= 2, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let label: String = runs(page)
            .filter(|r| r.kind == RunKind::Body && r.col == Some(0))
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(label, "产出指标", "page {i} of the table");
    }
}
