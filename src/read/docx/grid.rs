//! A Word table as a raw grid: cell text from its blocks, gridSpan,
//! vMerge and legacy hMerge turned into merges, gridBefore/gridAfter as
//! empty positions, and the leading tblHeader rows counted.

use super::walk::{Block, Para, VMerge, XCell, XTable};
use crate::error::Location;
use crate::limits::{Limit, Limits};
use crate::model::Align;
use crate::read::{Locator, Merge, RawCell, RawRow, RawTable, ReadError, is_blank};
use std::collections::HashMap;

/// Text of a cell: its paragraphs joined by line breaks (blank paragraphs
/// at the start and end are spacing, not content), a nested table as
/// tab-separated lines.
fn cell_text(blocks: &[Block], full: bool) -> String {
    let mut lines: Vec<String> = Vec::new();
    for b in blocks {
        match b {
            Block::Para(p) => lines.push(if full { &p.full } else { &p.text }.clone()),
            Block::Table(t) => {
                for row in &t.rows {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| cell_text(&c.blocks, full || row.hidden).replace('\n', " "))
                        .collect();
                    lines.push(cells.join("\t"));
                }
            }
        }
    }
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines[a..=b].join("\n"),
        _ => String::new(),
    }
}

/// Whether the blocks hold hidden text, and whether they hold visible
/// text.
pub(super) fn hidden_state(blocks: &[Block]) -> (bool, bool) {
    let mut state = (false, false);
    for b in blocks {
        let (h, v) = match b {
            Block::Para(p) => (p.any_hidden, p.any_visible),
            Block::Table(t) => t
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .map(|c| hidden_state(&c.blocks))
                .fold((false, false), |a, b| (a.0 || b.0, a.1 || b.1)),
        };
        state = (state.0 || h, state.1 || v);
    }
    state
}

fn cell_paras(blocks: &[Block]) -> impl Iterator<Item = &Para> {
    blocks.iter().filter_map(|b| match b {
        Block::Para(p) if !is_blank(&p.text) => Some(p),
        _ => None,
    })
}

/// A Word cell as a raw cell; `full` takes its hidden text too (the cells
/// of a hidden row, which the disclosure step leaves out whole).
fn raw_cell(cell: &XCell, full: bool) -> RawCell {
    let text = cell_text(&cell.blocks, full);
    let first = cell_paras(&cell.blocks).next();
    RawCell {
        bold: first.is_some() && cell_paras(&cell.blocks).all(|p| p.bold),
        align: first.map_or(Align::Left, |p| p.align),
        indent: first.map_or(0, |p| p.indent),
        text,
        ..RawCell::default()
    }
}

/// An open vertical merge: its index in `merges` and whether the current
/// row continued it.
struct OpenMerge {
    index: usize,
    continued: bool,
}

/// Word table `number` (from 1, in the body) as a raw grid with merges;
/// `positions` counts the grid positions of the document's tables so far,
/// against [`Limits::docx_grid_cells`]. A row is refused by
/// [`Limits::docx_grid_columns`] before it is laid out wider.
pub(super) fn grid(
    t: &XTable,
    number: u32,
    positions: &mut usize,
    limits: &Limits,
) -> Result<RawTable, ReadError> {
    let at_row = |ri: usize| Location::new().table(number).row(ri as u32 + 1);
    let mut rows: Vec<RawRow> = Vec::with_capacity(t.rows.len());
    let mut merges: Vec<Merge> = Vec::new();
    // Open vertical merges by starting column.
    let mut open: HashMap<usize, OpenMerge> = HashMap::new();
    for (ri, xr) in t.rows.iter().enumerate() {
        let mut cells: Vec<RawCell> = vec![RawCell::default(); xr.grid_before];
        let mut col = xr.grid_before;
        let mut last_hmerge: Option<usize> = None;
        for xc in &xr.cells {
            let span = xc.span.max(1);
            let width = col.saturating_add(span).saturating_add(xr.grid_after);
            limits
                .check(Limit::DocxGridColumns, width)
                .map_err(|e| ReadError::limit_at(at_row(ri), e))?;
            let raw = raw_cell(xc, xr.hidden);
            // Legacy w:hMerge: a continuing cell widens the merge on its left.
            if xc.hmerge == Some(false)
                && raw.is_blank()
                && let Some(mi) = last_hmerge
            {
                if let Some(m) = merges.get_mut(mi) {
                    m.cols += span;
                }
                cells.extend(std::iter::repeat_n(RawCell::default(), span));
                col += span;
                continue;
            }
            last_hmerge = None;
            if xc.vmerge == Some(VMerge::Continue)
                && raw.is_blank()
                && let Some(o) = open.get_mut(&col)
                && merges.get(o.index).is_some_and(|m| m.cols == span)
            {
                o.continued = true;
                if let Some(m) = merges.get_mut(o.index) {
                    m.rows += 1;
                }
                cells.extend(std::iter::repeat_n(RawCell::default(), span));
                col += span;
                continue;
            }
            open.retain(|&c, _| c < col || c >= col + span);
            let starts_v = xc.vmerge == Some(VMerge::Restart);
            if span > 1 || starts_v || xc.hmerge == Some(true) {
                merges.push(Merge {
                    row: ri,
                    col,
                    rows: 1,
                    cols: span,
                });
                if starts_v {
                    open.insert(
                        col,
                        OpenMerge {
                            index: merges.len() - 1,
                            continued: true,
                        },
                    );
                }
                if xc.hmerge == Some(true) {
                    last_hmerge = Some(merges.len() - 1);
                }
            }
            cells.push(raw);
            cells.extend(std::iter::repeat_n(RawCell::default(), span - 1));
            col += span;
        }
        cells.extend(std::iter::repeat_n(RawCell::default(), xr.grid_after));
        open.retain(|_, o| std::mem::replace(&mut o.continued, false));
        limits
            .check(Limit::DocxGridColumns, cells.len())
            .map_err(|e| ReadError::limit_at(at_row(ri), e))?;
        *positions = positions.saturating_add(cells.len());
        limits
            .check(Limit::DocxGridCells, *positions)
            .map_err(|e| ReadError::limit_at(at_row(ri), e))?;
        rows.push(RawRow {
            cells,
            source_row: u32::try_from(ri + 1).unwrap_or(u32::MAX),
            hidden: xr.hidden,
        });
    }
    merges.retain(|m| m.rows > 1 || m.cols > 1);
    let header = t.rows.iter().take_while(|r| r.header).count();
    Ok(RawTable {
        locator: Locator::TableRow,
        rows,
        merges,
        header_rows: (header > 0).then_some(header),
        ..RawTable::default()
    })
}
