//! The cells of a table as measured text, and row heights once the column
//! widths are known: header cells from the resolved header layout (with
//! their spans), body cells from the resolved body grid.

use super::text::{Line, Shaped, shape};
use super::{CELL_PAD_X, CELL_PAD_Y, HAlign, LINE_HEIGHT, TableCtx};
use crate::grid::{ResolvedTable, Slot};
use crate::model::{ColumnKind, RowKind};
use crate::write::fit::{self, Sizes};
use crate::write::pdf::fonts::Role;

/// One cell placed on the grid, with its text measured.
#[derive(Debug, Clone)]
pub(super) struct GridCell {
    /// First row (header row, or body row index).
    pub row: usize,
    /// First column.
    pub col: usize,
    /// Rows covered (≥ 1).
    pub rows: usize,
    /// Columns covered (≥ 1).
    pub cols: usize,
    /// The text, measured; `None` for an empty cell.
    pub text: Option<Shaped>,
    /// Horizontal alignment.
    pub align: HAlign,
    /// Lines once the widths are known.
    pub lines: Vec<Line>,
    /// Break into lines of even length (centred header labels: "一般公/
    /// 共预算", not "一般公共预/算").
    pub balance: bool,
    /// Space before the text on every line, in points: the hierarchy
    /// indent of a row label (类 ⊃ 款 ⊃ 项, unit ⊃ project).
    pub indent: f32,
}

impl GridCell {
    /// Height of one line of this cell.
    pub(super) fn line_height(&self) -> f32 {
        self.text.as_ref().map_or(0.0, |t| t.size * LINE_HEIGHT)
    }

    /// Height the cell needs for all its lines, padding included.
    pub(super) fn needed(&self) -> f32 {
        self.lines.len() as f32 * self.line_height() + 2.0 * CELL_PAD_Y
    }

    /// Breaks the text for a cell `width` points wide (padding included).
    pub(super) fn break_for(&mut self, width: f32) {
        let inner = (width - 2.0 * CELL_PAD_X - self.indent).max(0.0);
        self.lines = match &self.text {
            Some(t) if !t.is_blank() => {
                let lines = t.break_lines(inner);
                if self.balance && lines.len() > 1 {
                    balanced(t, lines, inner)
                } else {
                    lines
                }
            }
            _ => Vec::new(),
        };
    }
}

/// Steps of the search for the narrowest width that keeps the number of
/// lines: each halves the interval, 12 give a width within 1/4096 of it.
const BALANCE_STEPS: usize = 12;

/// The same number of lines as `lines`, at the narrowest width that keeps
/// that number: lines of even length.
fn balanced(text: &Shaped, lines: Vec<Line>, width: f32) -> Vec<Line> {
    let count = lines.len();
    let (mut lo, mut hi) = (text.min_width(), width);
    let mut best = lines;
    for _ in 0..BALANCE_STEPS {
        if hi - lo < 0.5 {
            break;
        }
        let mid = (lo + hi) / 2.0;
        let try_lines = text.break_lines(mid);
        if try_lines.len() <= count {
            hi = mid;
            best = try_lines;
        } else {
            lo = mid;
        }
    }
    best
}

/// The header and body cells of a table.
#[derive(Debug, Clone)]
pub(super) struct Cells {
    /// Header rows.
    pub depth: usize,
    /// Header cells.
    pub header: Vec<GridCell>,
    /// Body cells, row by row (covered positions have none).
    pub body: Vec<GridCell>,
    /// Kind of each body row.
    pub kinds: Vec<RowKind>,
}

/// Builds the measured cells at the fitted `sizes`.
pub(super) fn build(ctx: &mut TableCtx<'_>, resolved: &ResolvedTable<'_>, sizes: &Sizes) -> Cells {
    let fonts = ctx.fonts;
    let table = ctx.table;
    let header_size = sizes.header;
    let body_size = sizes.body;
    let number_size = sizes.numbers;
    let mut header = Vec::new();
    let look = ctx.geo.look;
    let header_role = look.header_role;
    for h in &resolved.header.cells {
        let shaped = shape(&h.text, header_role, header_size, fonts);
        let name = table.columns.get(h.col).map_or("", |c| c.name.as_str());
        ctx.missing.check(
            &shaped,
            &format!(
                "{}, header row {}, column '{}'",
                ctx.name(),
                h.row + 1,
                name
            ),
        );
        header.push(GridCell {
            row: h.row,
            col: h.col,
            rows: h.rows.max(1),
            cols: h.cols.max(1),
            text: Some(shaped),
            align: HAlign::Center,
            lines: Vec::new(),
            balance: true,
            indent: 0.0,
        });
    }
    let mut body = Vec::new();
    let mut kinds = Vec::new();
    // Row labels are indented by their depth when the table has one.
    let indents = fit::Indents::of(table);
    let indent_of = |r: usize, c: usize| -> f32 {
        if look.indent_levels {
            indents.ems(table, r, c) * body_size
        } else {
            0.0
        }
    };
    for (r, slots) in resolved.body.iter().enumerate() {
        let row = table.rows.get(r);
        let kind = row.map_or(RowKind::Item, |row| row.kind);
        kinds.push(kind);
        let total = kind == RowKind::Total;
        let bold = total && look.total_bold;
        for (c, slot) in slots.iter().enumerate() {
            let Slot::Cell { cell, rows, cols } = slot else {
                continue;
            };
            let col_kind = table
                .columns
                .get(c)
                .map_or(ColumnKind::Text, |col| col.kind);
            let numeric = matches!(
                cell.value,
                crate::model::Value::Amount(_) | crate::model::Value::Percent(_)
            );
            // Totals in the bold sans (when the profile's totals are bold),
            // at the size of the text around them; fit::body_role measured
            // them so, which is never narrower.
            let (role, size) = match (bold, numeric) {
                (true, true) => (Role::Header, number_size),
                (true, false) => (Role::Header, body_size),
                (false, true) => (Role::Numbers, number_size),
                (false, false) => (Role::Body, body_size),
            };
            let align = match (numeric, col_kind) {
                (true, _) | (_, ColumnKind::Amount | ColumnKind::Percent) => HAlign::Right,
                (false, _) if total && look.total_label_center => HAlign::Center,
                (false, ColumnKind::Code) if look.code_center => HAlign::Center,
                (false, ColumnKind::Code) => HAlign::Left,
                (false, ColumnKind::Text) => HAlign::Left,
            };
            let text = fit::cell_text(&cell.value).map(|t| {
                let shaped = shape(&t, role, size, fonts);
                ctx.missing.check(&shaped, &cell_place(ctx, r, c));
                shaped
            });
            body.push(GridCell {
                row: r,
                col: c,
                rows: *rows,
                cols: *cols,
                text,
                align,
                lines: Vec::new(),
                balance: false,
                indent: indent_of(r, c),
            });
        }
    }
    Cells {
        depth: resolved.header.depth,
        header,
        body,
        kinds,
    }
}

/// "table 1, row 5 (source row 9), column '绩效目标'", for warnings.
pub(super) fn cell_place(ctx: &TableCtx<'_>, row: usize, col: usize) -> String {
    let name = ctx
        .table
        .columns
        .get(col)
        .map_or(String::new(), |c| c.name.clone());
    let source = ctx
        .table
        .rows
        .get(row)
        .and_then(|r| r.source_row)
        .map(|s| format!(" (source row {s})"))
        .unwrap_or_default();
    format!("{}, row {}{source}, column '{name}'", ctx.name(), row + 1)
}

/// Breaks every cell for the column widths and returns the header row
/// heights and body row heights: a row is as tall as its tallest one-row
/// cell; a cell spanning rows adds what it still lacks to its last row.
pub(super) fn heights(cells: &mut Cells, widths: &[f32], body_rows: usize) -> (Vec<f32>, Vec<f32>) {
    let span_width = |col: usize, cols: usize| -> f32 { widths.iter().skip(col).take(cols).sum() };
    for c in cells.header.iter_mut().chain(cells.body.iter_mut()) {
        let w = span_width(c.col, c.cols);
        c.break_for(w);
    }
    let header = row_heights(&cells.header, cells.depth);
    let body = row_heights(&cells.body, body_rows);
    (header, body)
}

/// Height of an empty row: one line of body text.
fn empty_row(cells: &[GridCell]) -> f32 {
    let lh = cells.iter().map(GridCell::line_height).fold(0.0, f32::max);
    lh + 2.0 * CELL_PAD_Y
}

fn row_heights(cells: &[GridCell], rows: usize) -> Vec<f32> {
    let base = empty_row(cells);
    let mut h = vec![base; rows];
    for c in cells.iter().filter(|c| c.rows == 1) {
        if let Some(slot) = h.get_mut(c.row) {
            *slot = slot.max(c.needed());
        }
    }
    let mut spanning: Vec<&GridCell> = cells.iter().filter(|c| c.rows > 1).collect();
    spanning.sort_by_key(|c| c.row + c.rows);
    for c in spanning {
        let end = (c.row + c.rows).min(rows);
        if c.row >= end {
            continue;
        }
        let have: f32 = h[c.row..end].iter().sum();
        if c.needed() > have {
            h[end - 1] += c.needed() - have;
        }
    }
    h
}
