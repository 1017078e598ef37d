//! Row kinds and levels: 合计/总计 rows are totals; the hierarchy comes from
//! function codes (类 ⊃ 款 ⊃ 项), else from indentation, else from outline
//! numbering (一、 ⊃ （一） ⊃ 1.), else from the shape of a performance table
//! (a unit row without 绩效目标 above its projects).

use crate::classify::{is_subtotal_label, is_total_label, outline_level};
use crate::model::{Cell, ColumnKind, RowKind, Table, Value};

/// Sets `kind` and `level` of every row; `indents` are the source
/// indentation levels of the rows' label cells.
pub(super) fn classify(table: &mut Table, indents: &[u8]) {
    let n = table.rows.len();
    if n == 0 {
        return;
    }
    let label_col = table.label_column();
    let totals: Vec<bool> = table.rows.iter().map(|r| row_is_total(table, r)).collect();
    let levels = code_levels(table, &totals)
        .or_else(|| indent_levels(indents, &totals, label_col))
        .or_else(|| outline_levels(table, &totals, label_col))
        .or_else(|| detail_levels(table, &totals, label_col))
        .unwrap_or_else(|| totals.iter().map(|&t| if t { 0 } else { 1 }).collect());
    for i in 0..n {
        let level = levels[i];
        let next_deeper = table
            .rows
            .get(i + 1)
            .is_some_and(|_| levels[i + 1] > level && !totals[i + 1]);
        let label = label_col
            .and_then(|c| table.rows[i].cells.get(c))
            .and_then(Cell::text);
        let kind = if totals[i] {
            RowKind::Total
        } else if next_deeper || label.is_some_and(is_subtotal_label) {
            RowKind::Subtotal
        } else {
            RowKind::Item
        };
        let row = &mut table.rows[i];
        row.kind = kind;
        row.level = if totals[i] { 0 } else { level.max(1) };
    }
}

fn row_is_total(table: &Table, row: &crate::model::Row) -> bool {
    table.columns.iter().zip(&row.cells).any(|(col, cell)| {
        matches!(col.kind, ColumnKind::Text | ColumnKind::Code)
            && cell.text().is_some_and(is_total_label)
    })
}

/// Levels from classification codes: the codes of a row (one joined code
/// column, or 类/款/项 parts in several) concatenated; a code is the child
/// of the nearest earlier code that is a proper prefix of it.
fn code_levels(table: &Table, totals: &[bool]) -> Option<Vec<u8>> {
    let code_cols: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ColumnKind::Code && !is_sequence_header(&c.name))
        .map(|(i, _)| i)
        .collect();
    if code_cols.is_empty() {
        return None;
    }
    let codes: Vec<Option<String>> = table
        .rows
        .iter()
        .map(|row| {
            let joined: String = code_cols
                .iter()
                .filter_map(|&c| row.cells.get(c).and_then(Cell::text))
                .map(str::trim)
                .collect();
            (!joined.is_empty() && joined.chars().all(|c| c.is_ascii_alphanumeric()))
                .then_some(joined)
        })
        .collect();
    if codes.iter().filter(|c| c.is_some()).count() < 2 {
        return None;
    }
    let levels = crate::classify::code_prefix_levels(&codes, totals);
    Some(levels)
}

fn is_sequence_header(name: &str) -> bool {
    matches!(name.trim(), "序号" | "编号" | "行次")
}

/// Levels from the source's indentation of the label cells (spreadsheet
/// indent, or leading ideographic spaces the normaliser took off the text).
fn indent_levels(indents: &[u8], totals: &[bool], label_col: Option<usize>) -> Option<Vec<u8>> {
    label_col?;
    let depth = |i: usize| indents.get(i).copied().unwrap_or(0);
    let items = (0..totals.len()).filter(|&i| !totals[i]).map(depth);
    let min = items.clone().min()?;
    let max = items.max()?;
    if min == max {
        return None;
    }
    Some(
        (0..totals.len())
            .map(|i| {
                if totals[i] {
                    0
                } else {
                    (depth(i) - min).saturating_add(1)
                }
            })
            .collect(),
    )
}

fn outline_levels(table: &Table, totals: &[bool], label_col: Option<usize>) -> Option<Vec<u8>> {
    let label_col = label_col?;
    let raw: Vec<Option<u8>> = table
        .rows
        .iter()
        .map(|r| {
            r.cells
                .get(label_col)
                .and_then(Cell::text)
                .and_then(outline_level)
        })
        .collect();
    let distinct: std::collections::BTreeSet<u8> = raw.iter().flatten().copied().collect();
    if distinct.len() < 2 {
        return None;
    }
    // Compress the levels in use to 1, 2, 3 …
    let rank = |l: u8| {
        distinct
            .iter()
            .position(|&d| d == l)
            .map_or(1, |p| p as u8 + 1)
    };
    Some(
        raw.iter()
            .zip(totals)
            .map(|(l, &t)| if t { 0 } else { l.map_or(1, rank) })
            .collect(),
    )
}

/// Levels from the shape of a table with long text columns (绩效目标 …): a
/// row with amounts but no text beyond its label, directly above rows with
/// text, is the unit those rows belong to.
fn detail_levels(table: &Table, totals: &[bool], label_col: Option<usize>) -> Option<Vec<u8>> {
    let label_col = label_col?;
    let detail_cols: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != label_col && c.kind == ColumnKind::Text)
        .map(|(i, _)| i)
        .collect();
    if detail_cols.is_empty() {
        return None;
    }
    let has_detail: Vec<bool> = table
        .rows
        .iter()
        .map(|r| {
            detail_cols
                .iter()
                .any(|&c| r.cells.get(c).is_some_and(|cell| !cell.is_empty()))
        })
        .collect();
    let has_amount: Vec<bool> = table
        .rows
        .iter()
        .map(|r| r.cells.iter().any(|c| matches!(c.value, Value::Amount(_))))
        .collect();
    let n = table.rows.len();
    let mut levels = vec![1u8; n];
    let mut any_parent = false;
    let mut under_parent = false;
    for i in 0..n {
        if totals[i] {
            levels[i] = 0;
            under_parent = false;
            continue;
        }
        let parent =
            !has_detail[i] && has_amount[i] && i + 1 < n && has_detail[i + 1] && !totals[i + 1];
        if parent {
            levels[i] = 1;
            under_parent = true;
            any_parent = true;
        } else if has_detail[i] && under_parent {
            levels[i] = 2;
        } else {
            levels[i] = 1;
            under_parent = false;
        }
    }
    any_parent.then_some(levels)
}
