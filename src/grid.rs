//! The resolved grid of a table: header cells with their spans, derived once
//! from the column paths, and body cells with the positions their spans
//! cover. The PDF and DOCX writers lay out this grid; the Markdown reader
//! uses the same header layout to rebuild multi-row headers.

use crate::model::{Cell, Table};

/// How header paths are joined in a single header cell (Markdown).
pub(crate) const HEADER_PATH_SEPARATOR: &str = " / ";

/// A header cell placed on the header grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderCell {
    /// Header row (0 = top).
    pub row: usize,
    /// First column.
    pub col: usize,
    /// Rows covered (≥ 1).
    pub rows: usize,
    /// Columns covered (≥ 1).
    pub cols: usize,
    /// The label.
    pub text: String,
}

/// The header rows of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderLayout {
    /// Number of header rows.
    pub depth: usize,
    /// Cells in row-major order.
    pub cells: Vec<HeaderCell>,
}

/// Lays out header rows from column paths: a group label spans the adjacent
/// columns that share the path up to it; a leaf spans down to the last
/// header row.
pub(crate) fn header_layout(paths: &[Vec<String>]) -> HeaderLayout {
    let depth = paths.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let mut cells = Vec::new();
    for row in 0..depth {
        let mut col = 0;
        while col < paths.len() {
            let path = &paths[col];
            let len = path.len().max(1);
            if row + 1 < len {
                // A group label: extend over the neighbours in the same group.
                let mut end = col + 1;
                while end < paths.len()
                    && paths[end].len() > row + 1
                    && paths[end][..=row] == path[..=row]
                {
                    end += 1;
                }
                cells.push(HeaderCell {
                    row,
                    col,
                    rows: 1,
                    cols: end - col,
                    text: path[row].clone(),
                });
                col = end;
            } else {
                if row + 1 == len {
                    cells.push(HeaderCell {
                        row,
                        col,
                        rows: depth - row,
                        cols: 1,
                        text: path.get(row).cloned().unwrap_or_default(),
                    });
                }
                col += 1;
            }
        }
    }
    HeaderLayout { depth, cells }
}

/// A body position of the resolved grid.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Slot<'a> {
    /// A cell starting here, covering `rows` × `cols` positions.
    Cell {
        /// The cell.
        cell: &'a Cell,
        /// Rows covered (≥ 1, clipped to the table).
        rows: usize,
        /// Columns covered (≥ 1, clipped to the table).
        cols: usize,
    },
    /// Covered by a span starting above or to the left.
    Covered,
}

/// A table with its header laid out and its body spans resolved.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedTable<'a> {
    /// The header rows.
    pub header: HeaderLayout,
    /// Body slots, one row per table row, one slot per column.
    pub body: Vec<Vec<Slot<'a>>>,
}

/// Resolves a table's grid once, for the writers.
pub(crate) fn resolve(table: &Table) -> ResolvedTable<'_> {
    let paths: Vec<Vec<String>> = table.columns.iter().map(|c| c.path.clone()).collect();
    let header = header_layout(&paths);
    let ncols = table.columns.len();
    let nrows = table.rows.len();
    let mut covered = vec![vec![false; ncols]; nrows];
    let mut body = Vec::with_capacity(nrows);
    for (r, row) in table.rows.iter().enumerate() {
        let mut slots = Vec::with_capacity(ncols);
        for c in 0..ncols {
            if covered[r][c] {
                slots.push(Slot::Covered);
                continue;
            }
            let Some(cell) = row.cells.get(c) else {
                continue;
            };
            let rows = (cell.row_span.get() as usize).clamp(1, nrows - r);
            let cols = (cell.col_span.get() as usize).clamp(1, ncols - c);
            for cov in covered.iter_mut().skip(r).take(rows) {
                for slot in cov.iter_mut().skip(c).take(cols) {
                    *slot = true;
                }
            }
            slots.push(Slot::Cell { cell, rows, cols });
        }
        body.push(slots);
    }
    ResolvedTable { header, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn two_level_header() {
        let paths = vec![
            p(&["项目名称"]),
            p(&["资金来源", "财政拨款"]),
            p(&["资金来源", "其他资金"]),
            p(&["绩效目标"]),
        ];
        let l = header_layout(&paths);
        assert_eq!(l.depth, 2);
        let texts: Vec<(usize, usize, usize, usize, &str)> = l
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.rows, c.cols, c.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (0, 0, 2, 1, "项目名称"),
                (0, 1, 1, 2, "资金来源"),
                (0, 3, 2, 1, "绩效目标"),
                (1, 1, 1, 1, "财政拨款"),
                (1, 2, 1, 1, "其他资金"),
            ]
        );
    }

    #[test]
    fn flat_header() {
        let l = header_layout(&[p(&["a"]), p(&["b"])]);
        assert_eq!(l.depth, 1);
        assert_eq!(l.cells.len(), 2);
        assert!(l.cells.iter().all(|c| c.rows == 1 && c.cols == 1));
    }
}
