//! A sheet's cells laid out as the grid the normaliser reads: bounded by
//! the non-empty cells, empty rows dropped, merges in grid coordinates,
//! values turned into text and exact numbers.

use super::number::{NumFormat, decimal_from_f64, show_date};
use super::{Budget, CellStyle, CellValue, Sheet, SheetCell, cell_at};
use crate::limits::Limit;
use crate::model::Warning;
use crate::read::{Locator, Merge, RawCell, RawRow, RawTable, ReadError, is_blank};

/// Lays `sheet` out as a raw table; `None` when it has no non-empty cell.
pub(super) fn build(
    sheet: Sheet,
    budget: &mut Budget,
    warnings: &mut Vec<Warning>,
) -> Result<Option<RawTable>, ReadError> {
    let Sheet {
        name,
        hidden,
        cells,
        palette,
        merges,
        hidden_rows,
        hidden_cols,
        uncached,
    } = sheet;
    let mut cells: Vec<SheetCell> = cells
        .into_iter()
        .filter(|c| !matches!(&c.value, CellValue::Text(t) if is_blank(t)))
        .collect();
    if cells.is_empty() {
        return Ok(None);
    }
    cells.sort_by_key(|c| (c.row, c.col));

    // Bounds: the non-empty cells, nothing else.
    let first_col = cells.iter().map(|c| c.col).min().unwrap_or(0);
    let last_col = cells.iter().map(|c| c.col).max().unwrap_or(0);
    let mut rows: Vec<u32> = cells.iter().map(|c| c.row).collect();
    rows.dedup();
    let width = (last_col - first_col) as usize + 1;
    let too_big = |what: String| {
        ReadError::at(
            crate::error::Location::new().sheet(name.as_str()),
            format!("{what}; this is no budget table a person reads (damaged or generated file?)"),
        )
    };
    let limits = budget.limits;
    if width > limits.sheet_columns {
        return Err(too_big(format!(
            "the cells span {width} columns, over the limit of {} ({})",
            limits.sheet_columns,
            Limit::SheetColumns.how_to_raise()
        )));
    }
    if rows.len() > limits.sheet_rows {
        return Err(too_big(format!(
            "{} rows hold values, over the limit of {} ({})",
            rows.len(),
            limits.sheet_rows,
            Limit::SheetRows.how_to_raise()
        )));
    }
    budget.grid = budget.grid.saturating_add(rows.len().saturating_mul(width));
    if budget.grid > limits.sheet_grid_cells {
        return Err(too_big(format!(
            "the table would span {} rows × {width} columns, and the workbook's tables more \
             than {} positions together ({})",
            rows.len(),
            limits.sheet_grid_cells,
            Limit::SheetGridCells.how_to_raise()
        )));
    }
    let grid_row = |r: u32| rows.binary_search(&r).ok();

    let grid_merges = grid_merges(&name, &merges, &rows, first_col, last_col, &cells, warnings);

    let hidden_rows = disjoint(hidden_rows);
    let hidden_cols = disjoint(hidden_cols);
    let mut grid: Vec<RawRow> = rows
        .iter()
        .map(|&r| RawRow {
            cells: vec![RawCell::default(); width],
            source_row: r.saturating_add(1),
            hidden: is_hidden(&hidden_rows, r),
        })
        .collect();
    let default_style = CellStyle::default();
    for cell in cells {
        let style = palette.get(cell.style).unwrap_or(&default_style);
        let slot = (grid_row(cell.row), (cell.col - first_col) as usize);
        let raw = raw_cell(&name, cell, style, &limits, warnings)?;
        if let (Some(r), c) = slot
            && let Some(place) = grid.get_mut(r).and_then(|row| row.cells.get_mut(c))
        {
            *place = raw;
        }
    }

    Ok(Some(RawTable {
        sheet: Some(name),
        locator: Locator::Cell,
        rows: grid,
        merges: grid_merges,
        hidden_cols: (0..width)
            .filter(|&c| is_hidden(&hidden_cols, first_col + c as u32))
            .collect(),
        first_col,
        uncached: uncached
            .iter()
            .filter(|&&(_, c)| (first_col..=last_col).contains(&c))
            .filter_map(|&(r, c)| Some((grid_row(r)?, (c - first_col) as usize)))
            .collect(),
        hidden,
        ..RawTable::default()
    }))
}

/// Inclusive ranges sorted and joined where they overlap or touch.
fn disjoint(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => out.push((a, b.max(a))),
        }
    }
    out
}

/// Whether `x` lies in one of the sorted, disjoint `ranges`.
fn is_hidden(ranges: &[(u32, u32)], x: u32) -> bool {
    let i = ranges.partition_point(|&(a, _)| a <= x);
    i > 0 && ranges.get(i - 1).is_some_and(|&(_, b)| x <= b)
}

/// One grid cell: its shown text, its exact number, its style.
fn raw_cell(
    sheet: &str,
    cell: SheetCell,
    style: &CellStyle,
    limits: &crate::limits::Limits,
    warnings: &mut Vec<Warning>,
) -> Result<RawCell, ReadError> {
    let mut raw = RawCell {
        bold: style.bold,
        indent: style.indent,
        align: style.align,
        ..RawCell::default()
    };
    let at = || cell_at(sheet, cell.row, cell.col);
    match cell.value {
        CellValue::Text(t) => {
            // The limit error itself is the source, so callers see which
            // limit (cell_chars) and its value.
            if let Err(e) = limits.check(Limit::CellChars, t.chars().count()) {
                return Err(ReadError::limit_at(at(), e));
            }
            raw.text = t;
        }
        CellValue::Float(f) => match decimal_from_f64(f) {
            Some(d) => (raw.number, raw.text) = number(d, &style.format),
            None => {
                raw.text = f.to_string();
                warnings.push(Warning::new(
                    "unreadable-number",
                    Some(at().to_string()),
                    format!("the number {f} has no exact decimal form; kept as text"),
                ));
            }
        },
        CellValue::Int(i) => (raw.number, raw.text) = number(i.into(), &style.format),
        CellValue::Bool(b) => raw.text = if b { "TRUE" } else { "FALSE" }.to_string(),
        CellValue::Date(dt) => raw.text = show_date(&dt, &style.format),
        CellValue::Error(e) => {
            raw.text = e.clone();
            warnings.push(Warning::new(
                "error-value",
                Some(at().to_string()),
                format!("the cell shows the error value {e} (a formula that failed); kept as text"),
            ));
        }
    }
    Ok(raw)
}

fn number(
    d: rust_decimal::Decimal,
    format: &NumFormat,
) -> (Option<crate::read::RawNumber>, String) {
    let (n, text) = format.apply(d);
    (Some(n), text)
}

/// The merged regions in grid coordinates. A merge hides every cell but
/// its first: one that hides a value is dropped (read unmerged) so the
/// value is not lost, and one that overlaps an earlier merge is dropped
/// too. The work is bounded by the grid's size.
fn grid_merges(
    sheet: &str,
    merges: &[(u32, u32, u32, u32)],
    rows: &[u32],
    first_col: u32,
    last_col: u32,
    cells: &[SheetCell],
    warnings: &mut Vec<Warning>,
) -> Vec<Merge> {
    let width = (last_col - first_col) as usize + 1;
    // For each grid position, 1 + the index of the merge covering it.
    let mut cover = vec![0u32; rows.len() * width];
    let mut budget = cover.len().saturating_mul(2);
    let mut out: Vec<(Merge, (u32, u32))> = Vec::new();
    for &(r0, c0, r1, c1) in merges {
        let (r1, c1) = (r1.max(r0), c1.max(c0));
        let lo = rows.partition_point(|&r| r < r0);
        let hi = rows.partition_point(|&r| r <= r1);
        let (mc0, mc1) = (c0.max(first_col), c1.min(last_col));
        if hi <= lo || mc1 < mc0 {
            continue;
        }
        let m = Merge {
            row: lo,
            col: (mc0 - first_col) as usize,
            rows: hi - lo,
            cols: (mc1 - mc0) as usize + 1,
        };
        if m.rows == 1 && m.cols == 1 {
            continue;
        }
        let positions = (m.row..m.row + m.rows)
            .flat_map(|r| (m.col..m.col + m.cols).map(move |c| r * width + c));
        let area = m.rows * m.cols;
        if area > budget {
            warnings.push(Warning::new(
                "merge-ignored",
                Some(cell_at(sheet, r0, c0).to_string()),
                "too many or overlapping merged regions; this one and the rest are read unmerged",
            ));
            break;
        }
        budget -= area;
        if positions
            .clone()
            .any(|p| cover.get(p).is_some_and(|&k| k != 0))
        {
            warnings.push(Warning::new(
                "merge-ignored",
                Some(cell_at(sheet, r0, c0).to_string()),
                "the merged region overlaps another; it is read unmerged",
            ));
            continue;
        }
        let id = out.len() as u32 + 1;
        for p in positions {
            if let Some(slot) = cover.get_mut(p) {
                *slot = id;
            }
        }
        out.push((m, (r0, c0)));
    }
    let mut dropped = vec![false; out.len()];
    for cell in cells {
        let Ok(r) = rows.binary_search(&cell.row) else {
            continue;
        };
        let c = (cell.col - first_col) as usize;
        let Some(i) = cover
            .get(r * width + c)
            .and_then(|&k| (k as usize).checked_sub(1))
        else {
            continue;
        };
        let (Some((m, origin)), Some(done)) = (out.get(i), dropped.get_mut(i)) else {
            continue;
        };
        if (m.row, m.col) != (r, c) && !*done {
            *done = true;
            warnings.push(Warning::new(
                "merge-hides-value",
                Some(cell_at(sheet, cell.row, cell.col).to_string()),
                format!(
                    "the merged region from {} hides this cell's value; the region is read unmerged",
                    super::cell_ref(origin.0, origin.1)
                ),
            ));
        }
    }
    out.into_iter()
        .zip(dropped)
        .filter(|(_, d)| !d)
        .map(|((m, _), _)| m)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(row: u32, col: u32, t: &str) -> SheetCell {
        SheetCell {
            row,
            col,
            value: CellValue::Text(t.to_string()),
            style: 0,
        }
    }

    fn sheet(cells: Vec<SheetCell>, merges: Vec<(u32, u32, u32, u32)>) -> Sheet {
        Sheet {
            name: "表".into(),
            cells,
            merges,
            ..Sheet::default()
        }
    }

    #[test]
    fn grid_starts_at_the_first_cell_and_drops_empty_rows() {
        // B2 title merged over B2:D3, a blank row 4, header on row 5.
        let s = sheet(
            vec![
                text(1, 1, "标题"),
                text(4, 1, "项目"),
                text(4, 3, "金额"),
                text(5, 2, "  "),
            ],
            vec![(1, 1, 2, 3), (4, 1, 4, 1)],
        );
        let mut w = Vec::new();
        let t = build(s, &mut Budget::default(), &mut w).unwrap().unwrap();
        assert_eq!(t.first_col, 1);
        let rows: Vec<u32> = t.rows.iter().map(|r| r.source_row).collect();
        assert_eq!(rows, [2, 5]);
        assert!(t.rows.iter().all(|r| r.cells.len() == 3));
        assert_eq!(t.rows[1].cells[2].text, "金额");
        // The two-row title merge covers one kept row; the 1×1 merge goes.
        assert_eq!(
            t.merges,
            [Merge {
                row: 0,
                col: 0,
                rows: 1,
                cols: 3
            }]
        );
        assert!(w.is_empty());
    }

    #[test]
    fn a_merge_that_hides_a_value_is_dropped() {
        let s = sheet(
            vec![text(0, 0, "a"), text(0, 1, "b"), text(1, 0, "c")],
            vec![(0, 0, 0, 1), (1, 0, 1, 1)],
        );
        let mut w = Vec::new();
        let t = build(s, &mut Budget::default(), &mut w).unwrap().unwrap();
        assert_eq!(
            t.merges,
            [Merge {
                row: 1,
                col: 0,
                rows: 1,
                cols: 2
            }]
        );
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "merge-hides-value");
        assert_eq!(w[0].at.as_deref(), Some("sheet '表', cell B1"));
    }

    #[test]
    fn overlapping_merges_keep_the_first() {
        let s = sheet(
            vec![text(0, 0, "a"), text(1, 2, "m"), text(2, 3, "z")],
            vec![(0, 0, 1, 1), (1, 1, 2, 2)],
        );
        let mut w = Vec::new();
        let t = build(s, &mut Budget::default(), &mut w).unwrap().unwrap();
        assert_eq!(t.merges.len(), 1);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "merge-ignored");
        assert_eq!(w[0].at.as_deref(), Some("sheet '表', cell B2"));
    }

    #[test]
    fn hidden_ranges_mark_rows_and_columns() {
        let mut s = sheet(
            vec![text(0, 2, "a"), text(0, 4, "b"), text(3, 2, "c")],
            Vec::new(),
        );
        s.hidden_rows = vec![(3, 3)];
        s.hidden_cols = vec![(0, 3)];
        let t = build(s, &mut Budget::default(), &mut Vec::new())
            .unwrap()
            .unwrap();
        assert_eq!(t.hidden_cols, [0, 1]);
        let hidden: Vec<bool> = t.rows.iter().map(|r| r.hidden).collect();
        assert_eq!(hidden, [false, true]);
    }

    #[test]
    fn hidden_ranges_are_looked_up_sorted() {
        let r = disjoint(vec![(10, 12), (3, 3), (4, 5), (11, 20), (30, 30)]);
        assert_eq!(r, [(3, 5), (10, 20), (30, 30)]);
        let hidden: Vec<u32> = (0..32).filter(|&x| is_hidden(&r, x)).collect();
        let want: Vec<u32> = (3..=5).chain(10..=20).chain([30]).collect();
        assert_eq!(hidden, want);
        assert!(!is_hidden(&[], 0));
    }

    #[test]
    fn blank_sheet_is_no_table() {
        let s = sheet(vec![text(0, 0, " \u{3000}")], Vec::new());
        assert!(
            build(s, &mut Budget::default(), &mut Vec::new())
                .unwrap()
                .is_none()
        );
    }
}
