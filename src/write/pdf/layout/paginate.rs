//! Row heights become page breaks: header rows at the top of every page of
//! the table, body rows (or groups of rows tied by row spans) kept whole
//! when they fit in the space left, short rows moved to the next page
//! rather than split, tall rows split between lines across pages.

use super::rows::{self, Cells, GridCell};
use super::text::Line;
use super::{
    CELL_PAD_X, CELL_PAD_Y, HEADER_SHADE, Item, PageLayout, Placement, RULE_WIDTH, Rect,
    RowFragment, RunKind, TOTAL_SHADE, TableCtx, push_lines,
};
use crate::grid;
use crate::model::{RowKind, Warning};
use crate::write::fit::{Cut, Fit, Fitter, HARD_MIN_SCALE};

/// A row no taller than this share of a page's body area is moved whole to
/// the next page instead of being split: splitting a few lines off a short
/// row strands them, and the row fits on the next page anyway.
const KEEP_WHOLE_SHARE: f32 = 0.33;

/// A split leaves at least this many lines of the row on the page it
/// starts on; with less room the row starts on the next page.
const MIN_SPLIT_LINES: usize = 2;

/// A table that would leave at most this many rows alone on a page of
/// their own is set smaller to save that page.
const FIT_WIDOW_ROWS: usize = 2;

/// The steps by which such a table's type is tried smaller: at most 10 %,
/// which a reader does not notice beside the table's other pages.
const FIT_STEPS: [f32; 2] = [0.95, 0.9];

/// Header rows taller than this share of a page's content height are
/// drawn once, at the top of the table, and not repeated on the pages it
/// continues on (with a `header-not-repeated` warning): repeated, they
/// would leave a sliver of each page for the body and multiply the pages
/// (a 2.6 KB text became 837 pages). Typesetters do the same.
const MAX_REPEATED_HEADER_SHARE: f32 = 0.5;

/// The code of the warning that marks header rows taller than a whole
/// page; the PDF writers refuse such a table (its header would be cut off).
pub(crate) const HEADER_TOO_TALL: &str = "header-too-tall";

/// What a laid-out grid is: its pages, where its rows went, and where the
/// table ends on its last page.
type Grid = (Vec<PageLayout>, Vec<RowFragment>, f32);

/// Lays out the grid of `ctx.table` from `y` on `page`; returns the table's
/// pages, where its rows went, and where the table ends on the last page.
/// The type is set smaller when the columns would not fit the page width,
/// and up to 10 % smaller when that saves a last page holding only a row or
/// two.
pub(crate) fn table_grid(ctx: &mut TableCtx<'_>, page: PageLayout, y: f32) -> Grid {
    let resolved = grid::resolve(ctx.table);
    let avail = ctx.geo.content_width();
    let fitter = Fitter::new(ctx.table, &resolved, ctx.fonts, &ctx.geo.table);
    let fitted = fitter.fit(avail);
    warn_fit(ctx, &fitted);
    let first = grid_at(ctx, &resolved, page.clone(), y, &fitted);
    let last_page = first.1.iter().map(|f| f.page).max();
    let alone = first.1.iter().filter(|f| Some(f.page) == last_page).count();
    if first.0.len() > 1 && alone <= FIT_WIDOW_ROWS {
        for step in FIT_STEPS {
            if fitted.scale * step < HARD_MIN_SCALE {
                break;
            }
            let smaller = fitter.rescaled(&fitted, step);
            let tight = grid_at(ctx, &resolved, page.clone(), y, &smaller);
            if tight.0.len() < first.0.len() {
                return tight;
            }
        }
    }
    first
}

/// Warns when a table had to be set smaller than the profile's sizes, or
/// had to cut pieces between characters.
fn warn_fit(ctx: &mut TableCtx<'_>, fitted: &Fit) {
    if fitted.scale < 1.0 {
        ctx.warnings.push(Warning::new(
            "table-too-wide",
            ctx.name(),
            format!(
                "the columns do not fit the page width; the table's type is set at {:.0} % of the profile's sizes (the profile's [table] min_scale is {})",
                fitted.scale * 100.0,
                ctx.geo.table.min_scale
            ),
        ));
    }
    let what = match fitted.cut {
        Cut::Nothing => return,
        Cut::Headers => "header labels",
        Cut::Text => "header labels and text cells",
    };
    ctx.warnings.push(Warning::new(
        "table-too-wide",
        ctx.name(),
        format!(
            "even at {:.0} % of the profile's sizes the columns do not fit the page width; {what} are broken between characters (lower [table] min_scale, or use a wider page: [page] size = \"A3\")",
            fitted.scale * 100.0
        ),
    ));
}

/// Lays out the grid with the fitted sizes and widths.
fn grid_at(
    ctx: &mut TableCtx<'_>,
    resolved: &grid::ResolvedTable<'_>,
    page: PageLayout,
    y: f32,
    fitted: &Fit,
) -> Grid {
    let geo = *ctx.geo;
    let mut cells = rows::build(ctx, resolved, &fitted.sizes);
    let widths = fitted.widths.clone();
    let nrows = ctx.table.rows.len();
    let (header_h, mut body_h) = rows::heights(&mut cells, &widths, nrows);
    let header_total: f32 = header_h.iter().sum();
    let page_h = geo.content_bottom - geo.content_top;
    let repeat_header = header_total <= page_h * MAX_REPEATED_HEADER_SHARE;
    let name = ctx.name();
    let warned = |w: &Warning| w.code == "header-not-repeated" && w.at.as_deref() == Some(&name);
    if header_total > page_h && !ctx.warnings.iter().any(|w| w.code == HEADER_TOO_TALL) {
        ctx.warnings.push(Warning::new(
            HEADER_TOO_TALL,
            Some(name.clone()),
            format!(
                "the header rows are {:.0} mm tall, taller than the page ({:.0} mm of room): \
                 a PDF page cannot show them (are a header cell's contents meant to be body rows?)",
                header_total / super::PT_PER_MM,
                page_h / super::PT_PER_MM
            ),
        ));
    } else if !repeat_header && !ctx.warnings.iter().any(warned) {
        ctx.warnings.push(Warning::new(
            "header-not-repeated",
            Some(name.clone()),
            format!(
                "the header rows are {:.0} mm tall, more than half the page; they are printed once, \
                 above the table's first rows, and not repeated on the pages after",
                header_total / super::PT_PER_MM
            ),
        ));
    }
    // The body's room on a continuation page.
    let repeated_h = if repeat_header { header_total } else { 0.0 };
    let page_body = (page_h - repeated_h).max(0.0);

    // Groups of rows tied by row spans; a group too tall for a page is cut
    // into runs of rows that each fit a page, and a cell spanning a cut is
    // printed again at the top of the next run (a 一级指标 over indicator
    // rows that go on over a page), so that no row loses its label.
    let mut blocks = blocks(&cells, nrows);
    let too_tall = |blocks: &[(usize, usize)], body_h: &[f32]| {
        blocks
            .iter()
            .any(|&(a, b)| b - a > 1 && body_h[a..b].iter().sum::<f32>() > page_body)
    };
    // The header and at least one line of body must fit under the title.
    let new_page_first = |body_h: &[f32]| {
        let first_need = header_total + body_h.first().copied().unwrap_or(0.0).min(page_body);
        y + first_need > geo.content_bottom && y > geo.content_top
    };
    if too_tall(&blocks, &body_h) {
        // Where each block starts, placed as the loop below places it
        // ([`place`]): the first run of a group cut into runs takes the
        // room left on its page.
        let fresh_top = geo.content_top + repeated_h;
        let mut at = if new_page_first(&body_h) {
            geo.content_top
        } else {
            y
        } + header_total;
        for &(a, b) in &blocks {
            let h: f32 = body_h[a..b].iter().sum();
            let space = geo.content_bottom - at;
            if b - a > 1 && h > page_body {
                let cuts = page_runs(&body_h[a..b], space, page_body);
                let tail: f32 = body_h[a + cuts.last().copied().unwrap_or(0)..b]
                    .iter()
                    .sum();
                at = if cuts.is_empty() {
                    at + h
                } else {
                    fresh_top + tail
                };
                split_spans(&mut cells, &cuts.iter().map(|k| a + k).collect::<Vec<_>>());
                continue;
            }
            at = match place(h, space, b - a > 1, page_body) {
                Place::Here => at + h,
                Place::NextPage => fresh_top + h,
                // A row broken over pages: its rest on the last one.
                Place::Split => fresh_top + (h - space.max(0.0)) % page_body.max(1.0),
            };
        }
        (_, body_h) = rows::heights(&mut cells, &widths, nrows);
        blocks = self::blocks(&cells, nrows);
    }
    // A run still too tall (a repeated label taller than its rows) loses
    // its row spans: each row then breaks on its own.
    if too_tall(&blocks, &body_h) {
        for &(a, b) in &blocks {
            if b - a > 1 && body_h[a..b].iter().sum::<f32>() > page_body {
                for c in cells.body.iter_mut().filter(|c| c.row >= a && c.row < b) {
                    c.rows = 1;
                }
            }
        }
        (_, body_h) = rows::heights(&mut cells, &widths, nrows);
        blocks = self::blocks(&cells, nrows);
    }

    let mut xs = Vec::with_capacity(widths.len() + 1);
    let mut x = geo.area.x;
    for w in &widths {
        xs.push(x);
        x += w;
    }
    xs.push(x);

    let mut by_row: Vec<Vec<usize>> = vec![Vec::new(); nrows];
    for (i, c) in cells.body.iter().enumerate() {
        if let Some(v) = by_row.get_mut(c.row) {
            v.push(i);
        }
    }

    let max_pages = geo.max_table_pages;
    let mut p = Paginator {
        ctx,
        cells: &cells,
        by_row: &by_row,
        xs: &xs,
        header_h: &header_h,
        repeat_header,
        pages: Vec::new(),
        page,
        y,
        fragments: Vec::new(),
    };
    if new_page_first(&body_h) {
        p.new_page_plain();
    }
    p.header();
    for (a, b) in blocks {
        // Past the page limit the table is refused (by the caller, which
        // sees the page count); laying out the rest would only cost memory.
        if p.pages.len() > max_pages {
            break;
        }
        let h: f32 = body_h[a..b].iter().sum();
        let space = geo.content_bottom - p.y;
        let fresh = p.y <= geo.content_top + repeated_h + 0.01;
        match place(h, space, b - a > 1, page_body) {
            Place::Here => p.block(a, b, &body_h, space),
            Place::NextPage => {
                if !fresh {
                    p.new_page();
                }
                let space = geo.content_bottom - p.y;
                if h <= space + 0.01 || b - a > 1 {
                    p.block(a, b, &body_h, space);
                } else {
                    p.split_row(a, h, &by_row[a]);
                }
            }
            Place::Split => p.split_row(a, h, &by_row[a]),
        }
    }
    let end = p.y;
    let mut pages = p.pages;
    pages.push(p.page);
    (pages, p.fragments, end)
}

/// Where a block of rows `h` tall goes with `space` left on the page.
enum Place {
    /// On this page.
    Here,
    /// Whole, at the top of the next page: a group tied by row spans, or a
    /// short row.
    NextPage,
    /// Broken over the pages from here on: a tall row.
    Split,
}

/// [`Place`] of a block of rows `h` tall (`group`: rows tied by row
/// spans), with `space` left on the page and `page_body` on a fresh one.
fn place(h: f32, space: f32, group: bool, page_body: f32) -> Place {
    if h <= space + 0.01 {
        Place::Here
    } else if group || (h <= page_body && h <= page_body * KEEP_WHOLE_SHARE) {
        Place::NextPage
    } else {
        Place::Split
    }
}

/// Where runs of rows of heights `h` start (after the first): the first run
/// fills the `first` points left on its page (unless not even its first row
/// fits there: it then starts a page), each other run a page of `room`; a
/// row taller than the page is a run of its own.
fn page_runs(h: &[f32], first: f32, room: f32) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut used = 0.0;
    let mut limit = match h.first() {
        Some(&h0) if h0 <= first + 0.01 => first,
        _ => room,
    };
    for (r, &rh) in h.iter().enumerate() {
        if r > 0 && used + rh > limit + 0.01 {
            cuts.push(r);
            used = 0.0;
            limit = room;
        }
        used += rh;
    }
    cuts
}

/// Cuts every body cell that spans one of the rows in `cuts` (where a run
/// of rows starts) into a cell per run, each with the cell's text.
fn split_spans(cells: &mut Cells, cuts: &[usize]) {
    let mut more = Vec::new();
    for c in &mut cells.body {
        let end = c.row + c.rows;
        let inner: Vec<usize> = cuts
            .iter()
            .copied()
            .filter(|&m| c.row < m && m < end)
            .collect();
        let Some(&first) = inner.first() else {
            continue;
        };
        for (k, &m) in inner.iter().enumerate() {
            let next = inner.get(k + 1).copied().unwrap_or(end);
            let mut piece = c.clone();
            piece.row = m;
            piece.rows = next - m;
            more.push(piece);
        }
        c.rows = first - c.row;
    }
    if more.is_empty() {
        return;
    }
    cells.body.extend(more);
    cells.body.sort_by_key(|c| (c.row, c.col));
}

/// Consecutive row ranges that row spans tie together.
fn blocks(cells: &Cells, nrows: usize) -> Vec<(usize, usize)> {
    let mut reach: Vec<usize> = (1..=nrows).collect();
    for c in &cells.body {
        if let Some(r) = reach.get_mut(c.row) {
            *r = (*r).max((c.row + c.rows).min(nrows));
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (r, reach) in reach.iter().enumerate() {
        end = end.max(*reach);
        if r + 1 == end {
            out.push((start, end));
            start = end;
        }
    }
    out
}

struct Paginator<'a, 'b> {
    ctx: &'a mut TableCtx<'b>,
    cells: &'a Cells,
    /// Indices into `cells.body` of each row's cells.
    by_row: &'a [Vec<usize>],
    xs: &'a [f32],
    header_h: &'a [f32],
    /// Whether each new page of the table starts with the header rows.
    repeat_header: bool,
    pages: Vec<PageLayout>,
    page: PageLayout,
    y: f32,
    fragments: Vec<RowFragment>,
}

impl Paginator<'_, '_> {
    fn page_index(&self) -> usize {
        self.ctx.first_page + self.pages.len()
    }

    fn new_page_plain(&mut self) {
        let fresh = PageLayout {
            items: Vec::new(),
            ..self.page.clone_empty()
        };
        self.pages.push(std::mem::replace(&mut self.page, fresh));
        self.y = self.ctx.geo.content_top;
    }

    fn new_page(&mut self) {
        self.new_page_plain();
        if self.repeat_header {
            self.header();
        }
    }

    fn span_rect(&self, col: usize, cols: usize, y: f32, h: f32) -> Rect {
        let x0 = self.xs.get(col).copied().unwrap_or(0.0);
        let x1 = self
            .xs
            .get(col + cols)
            .or(self.xs.last())
            .copied()
            .unwrap_or(x0);
        Rect {
            x: x0,
            y,
            w: x1 - x0,
            h,
        }
    }

    /// Draws the header rows at the current position.
    fn header(&mut self) {
        let top = self.y;
        let offsets: Vec<f32> = self
            .header_h
            .iter()
            .scan(0.0, |acc, h| {
                let o = *acc;
                *acc += h;
                Some(o)
            })
            .collect();
        for cell in &self.cells.header {
            let y = top + offsets.get(cell.row).copied().unwrap_or(0.0);
            let h: f32 = self.header_h.iter().skip(cell.row).take(cell.rows).sum();
            let rect = self.span_rect(cell.col, cell.cols, y, h);
            if self.ctx.geo.look.header_shading {
                self.page.items.push(Item::Fill {
                    rect,
                    gray: HEADER_SHADE,
                });
            }
            draw_lines(
                &mut self.page.items,
                cell,
                &cell.lines,
                rect,
                true,
                RunKind::Header,
                Some(cell.row),
            );
            self.page.items.push(Item::Frame {
                rect,
                width: RULE_WIDTH,
            });
        }
        self.y = top + self.header_h.iter().sum::<f32>();
    }

    /// Draws rows `a..b` whole at the current position.
    fn block(&mut self, a: usize, b: usize, body_h: &[f32], space: f32) {
        let top = self.y;
        let mut row_top = vec![top; b - a + 1];
        for r in a..b {
            row_top[r - a + 1] = row_top[r - a] + body_h.get(r).copied().unwrap_or(0.0);
        }
        for r in a..b {
            let full_height = body_h.get(r).copied().unwrap_or(0.0);
            self.fragments.push(RowFragment {
                table: self.ctx.index,
                row: r,
                page: self.page_index(),
                full_height,
                space_left: space - (row_top[r - a] - top),
            });
        }
        // Row by row through the index: scanning every body cell for each
        // block made long tables quadratic.
        let (cells, by_row) = (self.cells, self.by_row);
        let ids = by_row.get(a..b).unwrap_or_default().iter().flatten();
        for cell in ids.filter_map(|&i| cells.body.get(i)) {
            let y = row_top[cell.row - a];
            let end = (cell.row + cell.rows).min(b);
            let h = row_top[end - a] - y;
            let rect = self.span_rect(cell.col, cell.cols, y, h);
            self.cell_fragment(cell, &cell.lines, rect, true);
        }
        self.y = row_top[b - a];
    }

    fn cell_fragment(&mut self, cell: &GridCell, lines: &[Line], rect: Rect, center: bool) {
        if self.ctx.geo.look.total_shading
            && self.cells.kinds.get(cell.row) == Some(&RowKind::Total)
        {
            self.page.items.push(Item::Fill {
                rect,
                gray: TOTAL_SHADE,
            });
        }
        draw_lines(
            &mut self.page.items,
            cell,
            lines,
            rect,
            center,
            RunKind::Body,
            Some(cell.row),
        );
        self.page.items.push(Item::Frame {
            rect,
            width: RULE_WIDTH,
        });
    }

    /// Draws row `r` (its cells one row high) split between lines across as
    /// many pages as it needs.
    fn split_row(&mut self, r: usize, full_height: f32, cell_ids: &[usize]) {
        let geo = *self.ctx.geo;
        let cells: Vec<&GridCell> = cell_ids
            .iter()
            .filter_map(|&i| self.cells.body.get(i))
            .collect();
        let mut next: Vec<usize> = vec![0; cells.len()];
        loop {
            let space = geo.content_bottom - self.y;
            let fresh = self.y <= geo.content_top + self.header_h.iter().sum::<f32>() + 0.01;
            let rest_need = cells
                .iter()
                .zip(&next)
                .map(|(c, &n)| (c.lines.len() - n.min(c.lines.len())) as f32 * c.line_height())
                .fold(0.0, f32::max)
                + 2.0 * CELL_PAD_Y;
            let done = cells.iter().zip(&next).all(|(c, &n)| n >= c.lines.len());
            // Everything left fits; or nothing is left but the padding and
            // even a fresh page has no room for it (a header taller than the
            // page): close the row anyway.
            if rest_need <= space + 0.01 || (done && fresh) {
                self.row_fragment(r, &cells, &mut next, rest_need, full_height, space, None);
                return;
            }
            // How many lines of each cell fit in the space left.
            let fit: Vec<usize> = cells
                .iter()
                .map(|c| {
                    let lh = c.line_height();
                    if lh <= 0.0 {
                        0
                    } else {
                        ((space - 2.0 * CELL_PAD_Y + 0.01) / lh).floor().max(0.0) as usize
                    }
                })
                .collect();
            let placed = cells
                .iter()
                .zip(&next)
                .zip(&fit)
                .map(|((c, &n), &f)| (c.lines.len() - n.min(c.lines.len())).min(f))
                .max()
                .unwrap_or(0);
            if placed < MIN_SPLIT_LINES && !fresh {
                self.new_page();
                continue;
            }
            // On a fresh page at least one line goes down, so the row
            // always advances.
            let fit: Vec<usize> = fit.iter().map(|f| (*f).max(1)).collect();
            self.row_fragment(r, &cells, &mut next, space, full_height, space, Some(&fit));
            self.new_page();
        }
    }

    /// One fragment of row `r`, `height` tall: each cell's lines from
    /// `next`, at most `fit` of them (all when `None`).
    #[allow(clippy::too_many_arguments)]
    fn row_fragment(
        &mut self,
        r: usize,
        cells: &[&GridCell],
        next: &mut [usize],
        height: f32,
        full_height: f32,
        space: f32,
        fit: Option<&[usize]>,
    ) {
        self.fragments.push(RowFragment {
            table: self.ctx.index,
            row: r,
            page: self.page_index(),
            full_height,
            space_left: space,
        });
        for (i, cell) in cells.iter().enumerate() {
            let from = next.get(i).copied().unwrap_or(0).min(cell.lines.len());
            let take = fit
                .and_then(|f| f.get(i).copied())
                .unwrap_or(usize::MAX)
                .min(cell.lines.len() - from);
            let lines = &cell.lines[from..from + take];
            if let Some(n) = next.get_mut(i) {
                *n = from + take;
            }
            let rect = self.span_rect(cell.col, cell.cols, self.y, height);
            self.cell_fragment(cell, lines, rect, false);
        }
        self.y += height;
    }
}

/// Places a cell's lines in `rect`: inside the padding, centred vertically
/// when `center` (whole rows) or from the top (split rows).
fn draw_lines(
    items: &mut Vec<Item>,
    cell: &GridCell,
    lines: &[Line],
    rect: Rect,
    center: bool,
    kind: RunKind,
    row: Option<usize>,
) {
    let Some(text) = &cell.text else { return };
    if lines.is_empty() {
        return;
    }
    let lh = cell.line_height();
    let used = lines.len() as f32 * lh;
    let top = if center {
        rect.y + ((rect.h - used) / 2.0).max(CELL_PAD_Y)
    } else {
        rect.y + CELL_PAD_Y
    };
    let placement = Placement {
        bounds: rect,
        inner_x: rect.x + CELL_PAD_X + cell.indent,
        inner_w: (rect.w - 2.0 * CELL_PAD_X - cell.indent).max(0.0),
        align: cell.align,
        kind,
        row,
        col: Some(cell.col),
    };
    push_lines(items, text, lines, top, &placement);
}
