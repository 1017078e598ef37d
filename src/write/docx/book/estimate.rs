//! Where the headings of the book fall: a rough layout of line counts
//! and row heights that gives the page numbers cached in the 目录.
//!
//! LibreOffice 7.4 computes PAGEREF fields that stand on their own, but
//! shows the cached result of a TOC field as it stands, PAGEREFs and all;
//! so the cache should be right for the fonts LibreOffice puts in where
//! 宋体 and 黑体 are missing (Noto CJK, DejaVu Sans). The numbers are an
//! estimate, nothing more: Word replaces them when it updates the
//! fields (the package asks it to on opening).

use crate::model::Table;
use crate::profile::{FontSpec, Profile};
use crate::write::docx as wd;
use crate::write::docx::table::CELL_PADDING;
use crate::write::fit;
use crate::write::pdf::fonts::{FontBook, Role};
use crate::write::pdf::layout::text::shape;
use unicode_width::UnicodeWidthChar;

/// Single-spaced line height as a multiple of the font size: Noto
/// Sans/Serif CJK, which LibreOffice puts in for 宋体 and 黑体 where they
/// are missing, have ascent + descent = 1.448 em.
pub const SINGLE_LINE_FACTOR: f32 = 1.45;

/// Height a table row adds beyond its lines: the 0.5-pt border, in twips.
const ROW_BORDER_TWIPS: u32 = 10;

/// Width of a Latin letter or digit in half-ems: the fonts that stand in
/// for 宋体 (DejaVu Sans, Noto CJK's Latin) set digits at about 0.6 em, not
/// the half em of a monospaced grid.
const LATIN_UNITS: f32 = 1.2;

/// Room lost at the end of a wrapped line, in half-ems: a Latin word or a
/// mark that may not start a line moves to the next line whole. 1.5 gives
/// LibreOffice's page breaks on the sample book and a longer one, with
/// both bundled profiles.
const LINE_END_WASTE_UNITS: f32 = 1.5;

/// What the estimate needs to know of a body element.
#[derive(Debug, Clone, PartialEq)]
pub enum Flow {
    /// A paragraph.
    Lines {
        /// Its number of lines.
        lines: u32,
        /// The height of one line, in twips.
        line: u32,
        /// Space above and below it, in twips.
        space: u32,
        /// It stays on the page of the next paragraph's first line.
        keep_next: bool,
        /// It starts a new page.
        page_break_before: bool,
    },
    /// A table: its header rows (repeated on every page) and body rows.
    Table {
        /// Header row heights in twips.
        header: Vec<u32>,
        /// Body rows.
        rows: Vec<RowHeight>,
    },
    /// A 目录 entry's heading: its page is the page of what follows.
    Anchor(usize),
}

/// A table row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowHeight {
    /// Its whole height in twips.
    pub height: u32,
    /// One line of it: a row splits across pages only between lines.
    pub line: u32,
}

/// Width of a text in half-ems (a CJK character is 2).
pub fn units(s: &str) -> f32 {
    s.chars()
        .map(|c| match c.width().unwrap_or(0) {
            0 => 0.0,
            1 => LATIN_UNITS,
            w => w as f32,
        })
        .sum()
}

/// Lines of `text` at `spec` in `width` twips, the first line indented by
/// `indent_units` half-ems.
pub fn lines_of(text: &str, spec: &FontSpec, width: u32, indent_units: f32) -> u32 {
    let full = (width as f32 / (spec.size_pt.max(1.0) * 10.0)).max(1.0);
    let wrapped = (full - LINE_END_WASTE_UNITS).max(1.0);
    text.split('\n')
        .enumerate()
        .map(|(i, l)| {
            let u = units(l) + if i == 0 { indent_units } else { 0.0 };
            if u <= full {
                1
            } else {
                (u / wrapped).ceil() as u32
            }
        })
        .sum()
}

/// Single-spaced line height of a font, in twips.
pub fn single_line(spec: &FontSpec) -> u32 {
    (spec.size_pt.max(0.0) * SINGLE_LINE_FACTOR * 20.0).round() as u32
}

/// The heights of a table's header rows and body rows, from the column
/// widths and type sizes the DOCX writer gives the table at `width` twips,
/// its cells broken into lines with the same font metrics the fit used.
pub fn table_flow(t: &Table, width: u32, profile: &Profile, book: &FontBook) -> Flow {
    let fitted = wd::fit_table_with(t, profile, book, width);
    let (widths, sizes) = (fitted.twips, fitted.sizes);
    let span = |col: usize, cols: usize| -> u32 {
        let w: u32 = widths.iter().skip(col).take(cols.max(1)).sum();
        if w == 0 { width } else { w }
    };
    let cell_lines = |text: &str, col: usize, cols: usize, role: Role, size: f32| -> u32 {
        let inner = span(col, cols).saturating_sub(2 * CELL_PADDING);
        if text.is_empty() {
            return 1;
        }
        let lines = shape(text, role, size, book).break_lines(inner as f32 / 20.0);
        (lines.len() as u32).max(1)
    };
    let grid = crate::grid::resolve(t);
    let head_line = line_of(sizes.header);
    let mut header = vec![head_line + ROW_BORDER_TWIPS; grid.header.depth];
    for h in &grid.header.cells {
        if h.rows == 1
            && let Some(slot) = header.get_mut(h.row)
        {
            let lines = cell_lines(&h.text, h.col, h.cols, Role::Header, sizes.header);
            *slot = (*slot).max(lines * head_line + ROW_BORDER_TWIPS);
        }
    }
    let line = line_of(sizes.body.max(sizes.numbers));
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let lines = r
                .cells
                .iter()
                .enumerate()
                .map(|(c, cell)| {
                    let (role, numeric) = fit::body_role(r.kind, &cell.value);
                    let size = if numeric { sizes.numbers } else { sizes.body };
                    cell_lines(
                        &wd::display(&cell.value),
                        c,
                        cell.col_span.get() as usize,
                        role,
                        size,
                    )
                })
                .max()
                .unwrap_or(1);
            RowHeight {
                height: lines * line + ROW_BORDER_TWIPS,
                line,
            }
        })
        .collect();
    Flow::Table { header, rows }
}

/// Single-spaced line height at `size_pt`, in twips.
fn line_of(size_pt: f32) -> u32 {
    (size_pt.max(0.0) * SINGLE_LINE_FACTOR * 20.0).round() as u32
}

/// The page of every 目录 entry (`entries` of them), counting from 1 on
/// the first page of the first section. Each section starts a new page;
/// `sections` holds its text height in twips and its flows.
pub fn pages(sections: &[(u32, &[Flow])], entries: usize) -> Vec<Option<u32>> {
    let mut pages = vec![None; entries];
    let mut page = 0u32;
    for (height, flows) in sections {
        let height = (*height).max(1);
        page += 1;
        let mut used = 0u32;
        let mut anchors: Vec<usize> = Vec::new();
        let mut iter = flows.iter().peekable();
        while let Some(f) = iter.next() {
            match f {
                Flow::Anchor(i) => anchors.push(*i),
                Flow::Lines {
                    lines,
                    line,
                    space,
                    keep_next,
                    page_break_before,
                } => {
                    if *page_break_before && used > 0 {
                        page += 1;
                        used = 0;
                    }
                    let own = lines * line + space;
                    let mut need = own;
                    if *keep_next && let Some(Flow::Lines { line: next, .. }) = iter.peek() {
                        need += next;
                    }
                    if used > 0 && used + need > height {
                        page += 1;
                        used = 0;
                    }
                    for a in anchors.drain(..) {
                        if let Some(slot) = pages.get_mut(a) {
                            *slot = Some(page);
                        }
                    }
                    used += own;
                    while used > height {
                        page += 1;
                        used -= height;
                    }
                }
                Flow::Table { header, rows } => {
                    // Header rows taller than the page are not repeated.
                    let sum: u32 = header.iter().sum();
                    let head = if sum < height { sum } else { 0 };
                    let first = rows.first().map_or(0, |r| r.line);
                    if used > 0 && used + sum + first > height {
                        page += 1;
                        used = 0;
                    }
                    used += sum;
                    while used > height {
                        page += 1;
                        used -= height;
                    }
                    for r in rows {
                        // Rows split across pages between lines; a page
                        // with room for less than a line is left.
                        let mut rest = r.height;
                        while used + rest > height {
                            let room = height - used.min(height);
                            if used <= head || room >= r.line {
                                rest -= room.min(rest);
                            }
                            page += 1;
                            used = head;
                        }
                        used += rest;
                    }
                }
            }
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{FontFace, FontSpec};

    fn lines(lines: u32, keep_next: bool, page_break_before: bool) -> Flow {
        Flow::Lines {
            lines,
            line: 100,
            space: 0,
            keep_next,
            page_break_before,
        }
    }

    #[test]
    fn widths_and_lines() {
        assert_eq!(units("部门"), 4.0);
        assert_eq!(units("ab"), 2.4);
        let spec = FontSpec::new("宋体", FontFace::Serif, 10.0);
        // 200 twips a character: ten characters in 2,000 twips.
        assert_eq!(lines_of("一二三四五六七八九十", &spec, 2000, 0.0), 1);
        assert_eq!(lines_of("一二三四五六七八九十", &spec, 2000, 4.0), 2);
        assert_eq!(lines_of("一\n二", &spec, 2000, 0.0), 2);
    }

    #[test]
    fn headings_land_on_the_page_of_what_follows() {
        let text = [
            Flow::Anchor(0),
            lines(4, true, false),
            lines(5, false, false),
            Flow::Anchor(1),
            lines(1, true, false),
            lines(1, false, false),
        ];
        // 10 lines a page: the second heading and the line it keeps with
        // do not fit after 9 lines, so they move to page 2. The tables
        // start on page 3; the second of three 5-line rows splits onto
        // page 4 under the repeated header; the next heading breaks to 5.
        let tables = [
            Flow::Anchor(2),
            lines(0, true, true),
            lines(1, true, false),
            Flow::Table {
                header: vec![100],
                rows: vec![
                    RowHeight {
                        height: 500,
                        line: 100
                    };
                    3
                ],
            },
            lines(0, true, true),
            Flow::Anchor(3),
            lines(1, false, false),
        ];
        let p = pages(&[(1000, &text), (1000, &tables)], 4);
        assert_eq!(p, vec![Some(1), Some(2), Some(3), Some(5)]);
    }

    #[test]
    fn tall_rows_split_and_headers_taller_than_a_page_end() {
        let flows = [
            Flow::Table {
                header: vec![2000],
                rows: vec![RowHeight {
                    height: 2500,
                    line: 100,
                }],
            },
            Flow::Anchor(0),
            lines(1, false, false),
        ];
        let p = pages(&[(1000, &flows)], 1);
        assert_eq!(p, vec![Some(5)]);
    }
}
