//! A table as Word paragraphs and a Word table, for single documents and
//! the book alike: the title, the meta lines (部门名称 on the left, 单位 at
//! the right margin), the table — fixed layout, fitted column widths and
//! type sizes (the PDF's), borders, header rows marked `w:tblHeader` and
//! kept whole, spans as gridSpan and vMerge, amounts right-aligned, totals
//! bold, the hierarchy indented — and the notes. Rows are written as they
//! are made, straight into the writer.

use super::props::{Ind, Jc, PPr, RPr, RightTab, Spacing, pt_twips, run};
use super::widths::{self, Fitted, fit_table_with};
use super::xml::Xml;
use crate::grid::{self, Slot};
use crate::model::{Align, ColumnKind, Meta, RowKind, Table, Value, Warning};
use crate::profile::{CellAlign, FontRole, FontSpec, Profile};
use crate::write::pdf::fonts::FontBook;

/// Space between the cell border and its text, left and right, in twips:
/// the fitting routine's padding, so the widths it gives hold the text.
pub(crate) const CELL_PADDING: u32 = (crate::write::fit::CELL_PAD_X * 20.0) as u32;

/// Table border width in eighths of a point (0.5 pt, as printed tables).
const BORDER_EIGHTHS: u32 = 4;

/// Space after the title paragraph, in twips (half a line of 12 pt).
pub(crate) const TITLE_SPACE_AFTER: u32 = 120;

/// Space after the meta line and before each note, in twips.
pub(crate) const LINE_SPACE_AFTER: u32 = 60;

/// What the table writer needs to know besides the table.
pub(crate) struct TableCtx<'a> {
    pub(crate) profile: &'a Profile,
    /// The faces the columns are fitted with.
    pub(crate) fonts: &'a FontBook,
    /// The table's number in the document, from 1 (for warnings).
    pub(crate) table_no: usize,
}

/// `spec` at another size.
fn sized(spec: &FontSpec, size_pt: f32) -> FontSpec {
    FontSpec {
        size_pt,
        ..spec.clone()
    }
}

fn jc(a: Align) -> Jc {
    match a {
        Align::Left => Jc::Left,
        Align::Center => Jc::Center,
        Align::Right => Jc::Right,
    }
}

/// Whether a meta line can share a paragraph with another through a tab:
/// our reader splits such a line at the tab only when neither part holds a
/// gap of its own.
fn tab_safe(m: &Meta) -> bool {
    m.key.is_some() && !m.text.contains(['\t', '\u{3000}', '\n']) && !m.text.contains("  ")
}

/// Whether a meta line names the money unit (单位：万元), which stands at
/// the right margin of the meta line.
fn is_unit_key(m: &Meta) -> bool {
    matches!(m.key.as_deref(), Some("单位" | "金额单位" | "计量单位"))
}

/// The centred title paragraph above a table, in the title font, bold;
/// nothing when the table has no title. `page_break` is taken by the
/// paragraph written.
pub(crate) fn title(
    x: &mut Xml,
    ctx: &TableCtx,
    table: &Table,
    page_break: &mut bool,
    warnings: &mut Vec<Warning>,
) {
    let Some(title) = &table.title else {
        return;
    };
    let font = &ctx.profile.fonts.title;
    let ppr = PPr {
        page_break_before: std::mem::take(page_break),
        spacing: Some(Spacing::around(0, TITLE_SPACE_AFTER)),
        jc: Some(Jc::Center),
        ..PPr::default()
    };
    let at = format!("table {}, title", ctx.table_no);
    super::props::paragraph(x, &ppr, |x| {
        run(
            x,
            title,
            &RPr::font(&font.family, font.size_pt).bold(true),
            warnings,
            &at,
        );
    });
}

/// The meta paragraphs above a table: 部门名称 on the left and 单位 at
/// the right margin share a line. `keep_next` keeps them with the table;
/// `page_break` is taken by the first paragraph written.
pub(crate) fn meta(
    x: &mut Xml,
    ctx: &TableCtx,
    table: &Table,
    text_width: u32,
    keep_next: bool,
    page_break: &mut bool,
    warnings: &mut Vec<Warning>,
) {
    let body = &ctx.profile.fonts.body;
    let rpr = RPr::font(&body.family, body.size_pt);
    let at = format!("table {}, meta", ctx.table_no);
    let mut i = 0;
    while i < table.meta.len() {
        let m = &table.meta[i];
        let next = table.meta.get(i + 1);
        let mut ppr = PPr {
            keep_next,
            page_break_before: std::mem::take(page_break),
            spacing: Some(Spacing::around(0, LINE_SPACE_AFTER)),
            ..PPr::default()
        };
        if let Some(n) = next
            && m.align != Align::Right
            && (n.align == Align::Right || is_unit_key(n))
            && tab_safe(m)
            && tab_safe(n)
        {
            // 部门名称 on the left, 单位 at the right margin.
            ppr.tab = Some(RightTab {
                pos: text_width,
                dots: false,
            });
            let text = format!("{}\t{}", m.text, n.text);
            super::props::paragraph(x, &ppr, |x| run(x, &text, &rpr, warnings, &at));
            i += 2;
            continue;
        }
        ppr.jc = Some(jc(m.align));
        super::props::paragraph(x, &ppr, |x| run(x, &m.text, &rpr, warnings, &at));
        i += 1;
    }
}

/// The notes below a table, one paragraph each.
pub(crate) fn notes(x: &mut Xml, ctx: &TableCtx, table: &Table, warnings: &mut Vec<Warning>) {
    let body = &ctx.profile.fonts.body;
    let rpr = RPr::font(&body.family, body.size_pt);
    let at = format!("table {}, notes", ctx.table_no);
    let ppr = PPr {
        spacing: Some(Spacing::around(LINE_SPACE_AFTER, 0)),
        ..PPr::default()
    };
    for note in &table.notes {
        super::props::paragraph(x, &ppr, |x| run(x, note, &rpr, warnings, &at));
    }
}

/// A table as a piece of a larger body (the book's table pages and
/// chapter tables): the meta lines, kept with the table, the table and
/// the notes — what a single document writes for the table but its title,
/// which the caller sets as a heading of its own.
pub(crate) fn fragment(
    x: &mut Xml,
    ctx: &TableCtx,
    table: &Table,
    text_width: u32,
    warnings: &mut Vec<Warning>,
) {
    meta(x, ctx, table, text_width, true, &mut false, warnings);
    write(x, ctx, table, text_width, warnings);
    notes(x, ctx, table, warnings);
}

/// A cell's properties: its width, span and vertical merge, centred
/// vertically when `v_center`.
fn cell_start(x: &mut Xml, width: u32, cols: usize, merge: Option<&str>, v_center: bool) {
    x.open("w:tc");
    x.open("w:tcPr");
    x.elem("w:tcW")
        .num("w:w", width)
        .attr("w:type", "dxa")
        .empty();
    if cols > 1 {
        x.elem("w:gridSpan").num("w:val", cols as i64).empty();
    }
    if let Some(m) = merge {
        x.elem("w:vMerge").attr("w:val", m).empty();
    }
    if v_center {
        x.elem("w:vAlign").attr("w:val", "center").empty();
    }
    x.close();
}

/// A cell paragraph with no space around it.
fn cell_ppr(align: Jc) -> PPr<'static> {
    PPr {
        spacing: Some(Spacing::around(0, 0)),
        jc: Some(align),
        ..PPr::default()
    }
}

/// An empty cell: `<w:p>` with its alignment only.
fn empty_cell(x: &mut Xml, width: u32, cols: usize, merge: Option<&str>, align: Jc) {
    cell_start(x, width, cols, merge, false);
    super::props::paragraph(x, &cell_ppr(align), |_| {});
    x.close();
}

fn span_width(widths: &[u32], col: usize, cols: usize) -> u32 {
    widths.iter().skip(col).take(cols).sum()
}

/// The Word table: its properties and grid, then the header rows (marked
/// `w:tblHeader`, kept whole) and the body rows from the resolved grid.
pub(crate) fn write(
    x: &mut Xml,
    ctx: &TableCtx,
    table: &Table,
    text_width: u32,
    warnings: &mut Vec<Warning>,
) {
    let profile = ctx.profile;
    let fonts_ = &profile.fonts;
    let style = &profile.table_style;
    let Fitted {
        twips: widths,
        sizes,
    } = fit_table_with(table, profile, ctx.fonts, text_width);
    // The fitted sizes: the same as the PDF's for this table and width.
    let header_base = match style.header_font {
        FontRole::Header => &fonts_.header,
        FontRole::Body => &fonts_.body,
    };
    let header_font = sized(header_base, sizes.header);
    let header_bold = style.header_font == FontRole::Header;
    let body_font = sized(&fonts_.body, sizes.body);
    let numbers_font = sized(&fonts_.numbers, sizes.numbers);
    let resolved = grid::resolve(table);
    let layout = &resolved.header;

    x.open("w:tbl");
    x.open("w:tblPr");
    x.elem("w:tblW")
        .num("w:w", text_width)
        .attr("w:type", "dxa")
        .empty();
    x.elem("w:jc").attr("w:val", "center").empty();
    x.open("w:tblBorders");
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        x.elem(side)
            .attr("w:val", "single")
            .num("w:sz", BORDER_EIGHTHS)
            .num("w:space", 0)
            .attr("w:color", "000000")
            .empty();
    }
    x.close();
    x.elem("w:tblLayout").attr("w:type", "fixed").empty();
    x.open("w:tblCellMar");
    for (side, w) in [
        ("w:top", 0),
        ("w:left", CELL_PADDING),
        ("w:bottom", 0),
        ("w:right", CELL_PADDING),
    ] {
        x.elem(side).num("w:w", w).attr("w:type", "dxa").empty();
    }
    x.close();
    x.close();
    x.open("w:tblGrid");
    for w in &widths {
        x.elem("w:gridCol").num("w:w", *w).empty();
    }
    x.close();

    // Header rows: group labels span their columns, leaves span down.
    let header_rpr = RPr::font(&header_font.family, header_font.size_pt).bold(header_bold);
    let at = format!("table {}, header", ctx.table_no);
    for r in 0..layout.depth {
        x.open("w:tr");
        x.open("w:trPr");
        x.empty("w:tblHeader");
        x.empty("w:cantSplit");
        x.close();
        let mut c = 0;
        while c < widths.len() {
            let here = layout
                .cells
                .iter()
                .find(|h| h.col == c && h.row <= r && r < h.row + h.rows);
            let Some(h) = here else {
                empty_cell(x, span_width(&widths, c, 1), 1, None, Jc::Center);
                c += 1;
                continue;
            };
            let cols = h.cols.max(1);
            let width = span_width(&widths, c, cols);
            if h.row == r {
                let merge = (h.rows > 1).then_some("restart");
                cell_start(x, width, cols, merge, true);
                super::props::paragraph(x, &cell_ppr(Jc::Center), |x| {
                    run(x, &h.text, &header_rpr, warnings, &at);
                });
                x.close();
            } else {
                cell_start(x, width, cols, Some("continue"), true);
                super::props::paragraph(x, &cell_ppr(Jc::Center), |_| {});
                x.close();
            }
            c += cols;
        }
        x.close();
    }

    // Body rows from the resolved grid: a span's origin carries gridSpan
    // and vMerge restart, the positions below it vMerge continue.
    let mut origin: Vec<Vec<Option<(usize, usize, usize)>>> =
        vec![vec![None; widths.len()]; table.rows.len()];
    for (r, slots) in resolved.body.iter().enumerate() {
        for (c, slot) in slots.iter().enumerate() {
            if let Slot::Cell { rows: rs, cols, .. } = slot {
                for row in origin.iter_mut().skip(r).take(*rs) {
                    for o in row.iter_mut().skip(c).take(*cols) {
                        *o = Some((r, c, *cols));
                    }
                }
            }
        }
    }
    let label_col = table.label_column();
    for (r, row) in table.rows.iter().enumerate() {
        let total = row.kind == RowKind::Total;
        let bold = total && style.total_bold;
        let slots = resolved.body.get(r).map(Vec::as_slice).unwrap_or(&[]);
        x.open("w:tr");
        let mut c = 0;
        while c < widths.len() {
            match slots.get(c) {
                Some(Slot::Cell {
                    cell,
                    cols,
                    rows: rs,
                }) => {
                    let cols = (*cols).max(1);
                    let kind = table.columns.get(c).map_or(ColumnKind::Text, |k| k.kind);
                    let (align, font) = match (&cell.value, kind) {
                        (Value::Amount(_) | Value::Percent(_), _) => (Jc::Right, &numbers_font),
                        (_, ColumnKind::Amount | ColumnKind::Percent) => (Jc::Right, &body_font),
                        _ if total && style.total_label_align == CellAlign::Center => {
                            (Jc::Center, &body_font)
                        }
                        // Codes are centred in Word tables whatever
                        // `code_align` says: that is how the DOCX writer
                        // has always set them.
                        (_, ColumnKind::Code) => (Jc::Center, &body_font),
                        _ => (Jc::Left, &body_font),
                    };
                    let mut ppr = cell_ppr(align);
                    if style.indent_levels && Some(c) == label_col && row.level > 1 {
                        // The hierarchy as indentation, one character a level.
                        // leftChars for Word and WPS, twips for LibreOffice.
                        let steps = i32::from(row.level - 1);
                        let char_twips = pt_twips(font.size_pt.max(1.0)) as i32;
                        ppr.ind = Some(Ind {
                            left: Some(steps * char_twips),
                            left_chars: Some(steps * 100),
                            ..Ind::default()
                        });
                    }
                    let merge = (*rs > 1).then_some("restart");
                    cell_start(x, span_width(&widths, c, cols), cols, merge, true);
                    let text = widths::display(&cell.value);
                    let rpr = RPr::font(&font.family, font.size_pt).bold(bold);
                    super::props::paragraph(x, &ppr, |x| {
                        if !text.is_empty() {
                            let at =
                                format!("table {}, row {}, column {}", ctx.table_no, r + 1, c + 1);
                            run(x, &text, &rpr, warnings, &at);
                        }
                    });
                    x.close();
                    c += cols;
                }
                Some(Slot::Covered) => {
                    match origin.get(r).and_then(|o| o.get(c)).copied().flatten() {
                        Some((or, oc, cols)) if or < r && oc == c => {
                            let width = span_width(&widths, c, cols);
                            empty_cell(x, width, cols, Some("continue"), Jc::Left);
                            c += cols.max(1);
                        }
                        // Covered from the left: the gridSpan on its left
                        // already takes the place.
                        _ => c += 1,
                    }
                }
                None => {
                    empty_cell(x, span_width(&widths, c, 1), 1, None, Jc::Left);
                    c += 1;
                }
            }
        }
        x.close();
    }
    x.close();
}
