//! Raw grid → canonical [`Table`]: title and meta lines, header rows
//! (multi-level, from merges or from group rows), column kinds, exact
//! amounts, notes, row kinds and levels. Shared by every reader.

pub(crate) mod indicators;
mod rows;

use crate::amount::{Parsed, format_amount, parse_number, with_min_scale};
use crate::classify::{is_note_start, looks_like_meta, parse_meta};
use crate::model::{
    Align, Block, Cell, Column, ColumnKind, Document, Meta, Origin, Row, RowKind, SCHEMA_VERSION,
    Source, Span, Table, Unit, Value, Warning,
};
use crate::read::{
    Locator, Merge, PrintedAmounts, RawBlock, RawCell, RawDocument, RawLine, RawNumber, RawTable,
    ReadError,
};

/// Most header rows a table is given; deeper "headers" are data.
const MAX_HEADER_ROWS: usize = 6;

/// Longest text still taken for a header label when deciding whether a
/// row continues the header; a sentence is a note or data, not a label.
const MAX_HEADER_LABEL_CHARS: usize = 30;

/// Builds the document from what a reader found.
pub(crate) fn normalize(raw: RawDocument, source: Source) -> Result<Document, ReadError> {
    let mut warnings = raw.warnings;
    let mut tables = Vec::new();
    let count = raw.tables.len();
    // Index in `tables` of each raw table that became one.
    let mut kept: Vec<Option<usize>> = Vec::with_capacity(count);
    let mut last_error = None;
    for (index, rt) in raw.tables.into_iter().enumerate() {
        let sheet = rt.sheet.clone();
        let printed = rt.printed_amounts;
        match build_table(rt, index as u32, &mut warnings) {
            Ok(t) => {
                if let Some(printed) = printed {
                    every_printed_amount_read(&t, printed)?;
                }
                kept.push(Some(tables.len()));
                tables.push(t);
            }
            Err(e) if count > 1 => {
                let at = sheet.map_or_else(
                    || format!("table {}", index + 1),
                    |s| format!("sheet '{s}'"),
                );
                warnings.push(Warning::new("skipped-table", Some(at), e.to_string()));
                kept.push(None);
                last_error = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    if tables.is_empty() {
        return Err(
            last_error.unwrap_or_else(|| ReadError::NoTable("the file holds no table".into()))
        );
    }
    let mut blocks: Vec<Block> = raw
        .blocks
        .into_iter()
        .filter_map(|b| match b {
            RawBlock::Table(i) => kept
                .get(i)
                .copied()
                .flatten()
                .map(|index| Block::Table { index }),
            RawBlock::Text(s) => Some(Block::Text(s)),
        })
        .collect();
    // Only tables: the plain order of the tables says as much.
    if !blocks.iter().any(|b| matches!(b, Block::Text(_))) {
        blocks.clear();
    }
    Ok(Document {
        schema: SCHEMA_VERSION,
        source,
        tables,
        blocks,
        warnings,
    })
}

/// A grid with merges resolved: which cell each position shows.
struct Grid<'a> {
    rt: &'a RawTable,
    /// For each covered position, the merge covering it.
    cover: Vec<Vec<Option<Merge>>>,
    width: usize,
}

impl<'a> Grid<'a> {
    fn new(rt: &'a RawTable) -> Grid<'a> {
        let width = rt.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let mut cover = vec![vec![None; width]; rt.rows.len()];
        for m in &rt.merges {
            for row in cover.iter_mut().skip(m.row).take(m.rows) {
                for slot in row.iter_mut().skip(m.col).take(m.cols) {
                    *slot = Some(*m);
                }
            }
        }
        Grid { rt, cover, width }
    }

    fn cell(&self, r: usize, c: usize) -> Option<&'a RawCell> {
        self.rt.rows.get(r)?.cells.get(c)
    }

    fn merge_at(&self, r: usize, c: usize) -> Option<Merge> {
        self.cover.get(r)?.get(c).copied().flatten()
    }

    /// Whether (r, c) is covered by a merge that starts elsewhere.
    fn is_covered(&self, r: usize, c: usize) -> bool {
        self.merge_at(r, c)
            .is_some_and(|m| (m.row, m.col) != (r, c))
    }

    /// The cells a row shows, one per merge: (column, cell).
    fn units(&self, r: usize) -> Vec<(usize, &'a RawCell)> {
        (0..self.width)
            .filter(|&c| !self.is_covered(r, c))
            .filter_map(|c| self.cell(r, c).map(|cell| (c, cell)))
            .filter(|(_, cell)| !cell.is_blank())
            .collect()
    }

    /// Text shown at (r, c), following merges to their origin.
    fn shown(&self, r: usize, c: usize) -> Option<(usize, usize, &'a RawCell)> {
        let (or, oc) = match self.merge_at(r, c) {
            Some(m) => (m.row, m.col),
            None => (r, c),
        };
        self.cell(or, oc)
            .filter(|cell| !cell.is_blank())
            .map(|cell| (or, oc, cell))
    }

    fn at(&self, r: usize, c: usize) -> crate::error::Location {
        let row = self.rt.rows.get(r).map_or(0, |x| x.source_row);
        let at = crate::error::Location::new();
        match self.rt.locator {
            Locator::Line => at.line(row),
            Locator::TableRow => at.row(row).column(c as u32 + 1),
            Locator::Cell => {
                let at = match &self.rt.sheet {
                    Some(s) => at.sheet(s.as_str()),
                    None => at,
                };
                at.row(row).column(self.rt.first_col + c as u32 + 1)
            }
        }
    }
}

fn is_meta_row(units: &[(usize, &RawCell)]) -> bool {
    !units.is_empty() && units.iter().all(|(_, c)| looks_like_meta(&c.text))
}

/// Builds one table from a raw grid, in steps: where the header starts and
/// ends, how wide the table is, where the notes begin (the body ends), the
/// lines above (title, meta), the notes, the columns and the body rows.
fn build_table(rt: RawTable, index: u32, warnings: &mut Vec<Warning>) -> Result<Table, ReadError> {
    let grid = &Grid::new(&rt);
    let h0 = header_start(grid)?;
    let h_end = header_end(grid, h0);
    let width = table_width(grid, h0, h_end);
    let body_end = notes_start(grid, h_end);
    refuse_ragged_rows(grid, h_end, body_end, width)?;
    let (title, meta) = title_and_meta(&lines_above(grid, h0, width));
    let unit = meta
        .iter()
        .filter(|m| matches!(m.key.as_deref(), Some("单位" | "金额单位" | "计量单位")))
        .find_map(|m| Unit::parse(&m.value));
    let notes = notes_below(grid, body_end);
    let body: Vec<usize> = (h_end..body_end).collect();
    let columns = columns(grid, h0, h_end, width, &body);
    let (rows_out, indents) = body_rows(grid, &columns, &body, body_end, warnings);
    let mut table = Table {
        title,
        meta,
        unit,
        columns,
        rows: rows_out,
        notes,
        origin: Origin {
            index,
            sheet: rt.sheet.clone(),
            header_rows: (h0..h_end).map(|r| rt.rows[r].source_row).collect(),
        },
        hidden: rt.hidden,
    };
    rows::classify(&mut table, &indents);
    indicators::annotate(&mut table);
    Ok(table)
}

/// Header start: the first row with two or more filled cells that is not a
/// row of meta items.
fn header_start(grid: &Grid) -> Result<usize, ReadError> {
    let nrows = grid.rt.rows.len();
    // A text reader that laid out the header itself from header paths (the
    // fixed-width and Markdown readers) puts it first: its top row is a
    // header row even when one group label spans every column (财政拨款
    // “三公”经费 over the whole 三公 table), not a title above the table.
    if grid.rt.locator == Locator::Line && grid.rt.header_rows.is_some_and(|n| n > 0 && n <= nrows)
    {
        return Ok(0);
    }
    (0..nrows)
        .find(|&r| {
            let u = grid.units(r);
            u.len() >= 2 && !is_meta_row(&u)
        })
        .ok_or_else(|| {
            let what = if nrows == 0 {
                "the file holds no rows".to_string()
            } else {
                format!(
                    "{} line(s) of text, but none with two or more filled fields (prose, or a \
                     table without column separators)",
                    nrows
                )
            };
            ReadError::NoTable(what)
        })
}

/// Table width: up to the last filled header column.
fn table_width(grid: &Grid, h0: usize, h_end: usize) -> usize {
    let rt = grid.rt;
    let width = (h0..h_end)
        .flat_map(|r| (0..grid.width).filter(move |&c| grid.shown(r, c).is_some()))
        .max()
        .map_or(0, |c| c + 1);
    // A text reader that laid out the header itself (fixed-width columns)
    // gives every column a header cell, labelled or not.
    if rt.header_rows.is_some() && rt.locator == Locator::Line {
        (h0..h_end)
            .map(|r| rt.rows[r].cells.len())
            .max()
            .unwrap_or(0)
            .max(width)
    } else {
        width
    }
}

/// Where the notes start (the body ends): a trailing run of one-cell rows
/// opened by 注/说明, a sentence (本部门无…，故本表为空表。) or key：value
/// (填报人：…).
fn notes_start(grid: &Grid, h_end: usize) -> usize {
    let nrows = grid.rt.rows.len();
    let mut body_end = nrows;
    for r in (h_end..nrows).rev() {
        let u = grid.units(r);
        if u.len() != 1 {
            break;
        }
        let text = &u[0].1.text;
        let sentence = text.trim_end().ends_with('。');
        if is_note_start(text) || sentence || (looks_like_meta(text) && u[0].0 == 0) {
            body_end = r;
        }
    }
    body_end
}

/// Ragged rows: values beyond the header have no column, and are refused.
fn refuse_ragged_rows(
    grid: &Grid,
    h_end: usize,
    body_end: usize,
    width: usize,
) -> Result<(), ReadError> {
    for r in h_end..body_end {
        let extra: Vec<&str> = grid
            .units(r)
            .into_iter()
            .filter(|(c, _)| *c >= width)
            .map(|(_, cell)| cell.text.as_str())
            .collect();
        if !extra.is_empty() {
            let fields = grid.rt.rows[r]
                .cells
                .iter()
                .rposition(|c| !c.is_blank())
                .map_or(0, |p| p + 1);
            return Err(ReadError::at(
                grid.at(r, width),
                format!(
                    "{fields} fields but the header has {width} columns; the extra field(s) {} have no column",
                    extra
                        .iter()
                        .map(|e| format!("'{e}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The lines above the header (the reader's own, then the grid's rows
/// above it), each with its alignment: the last of several on a row is
/// right-aligned, one merged over half the width or more is centred.
fn lines_above(grid: &Grid, h0: usize, width: usize) -> Vec<RawLine> {
    let rt = grid.rt;
    let mut before: Vec<RawLine> = rt.before.clone();
    for r in 0..h0 {
        let units = grid.units(r);
        let n = units.len();
        for (i, (c, cell)) in units.into_iter().enumerate() {
            let align = if n > 1 && i == n - 1 {
                Align::Right
            } else if rt
                .merges
                .iter()
                .any(|m| m.row == r && m.col == c && m.cols * 2 >= width.max(1) && m.cols > 1)
            {
                Align::Center
            } else {
                cell.align
            };
            before.push(RawLine {
                text: cell.text.clone(),
                align,
                bold: cell.bold,
                source_row: rt.rows[r].source_row,
                ..RawLine::default()
            });
        }
    }
    before
}

/// The notes: the rows from `body_end` on, then the reader's lines after
/// the table.
fn notes_below(grid: &Grid, body_end: usize) -> Vec<String> {
    let rt = grid.rt;
    let mut notes: Vec<String> = Vec::new();
    for r in body_end..rt.rows.len() {
        for (_, cell) in grid.units(r) {
            notes.push(cell.text.clone());
        }
    }
    notes.extend(
        rt.after
            .iter()
            .map(|l| l.text.clone())
            .filter(|t| !crate::read::is_blank(t)),
    );
    notes
}

/// The columns: header paths, hidden flags, source positions, kinds from
/// the body, and whether a column holds only formulas saved without values
/// (then it shows nothing the source computed).
fn columns(grid: &Grid, h0: usize, h_end: usize, width: usize, body: &[usize]) -> Vec<Column> {
    let rt = grid.rt;
    let mut columns = header_columns(grid, h0, h_end, width);
    for (c, col) in columns.iter_mut().enumerate() {
        col.hidden = rt.hidden_cols.contains(&c);
        col.source_col = Some(rt.first_col + c as u32);
    }
    for &c in &(0..width).collect::<Vec<_>>() {
        columns[c].kind = column_kind(grid, body, c, &columns[c]);
    }
    empty_columns_among_amounts(grid, body, &mut columns);
    let uncached_cells: std::collections::HashSet<(usize, usize)> =
        rt.uncached.iter().copied().collect();
    for (c, column) in columns.iter_mut().enumerate() {
        if !rt.uncached.iter().any(|&(_, uc)| uc == c) {
            continue;
        }
        let uncached = |r: usize| uncached_cells.contains(&(r, c));
        column.formulas_without_values = body.iter().any(|&r| uncached(r))
            && body
                .iter()
                .all(|&r| uncached(r) || grid.cell(r, c).is_none_or(RawCell::is_blank));
    }
    columns
}

/// A space-aligned table whose printed amounts did not all become amount
/// cells (one read as a column label, a title, or inside a text cell) was
/// not read with confidence: an error naming its lines, rather than a
/// table that moves or loses a number.
fn every_printed_amount_read(table: &Table, printed: PrintedAmounts) -> Result<(), ReadError> {
    let read = table
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| matches!(c.value, Value::Amount(_)))
        .count();
    let (first, last) = printed.lines;
    // An amount column without a label: its amounts stand under a header
    // the reader did not take apart (labels pdftotext joined over columns
    // it set closer than the body's).
    let unlabelled = table.columns.iter().enumerate().find(|(c, col)| {
        col.kind == ColumnKind::Amount
            && col.path.iter().all(|p| p.trim().is_empty())
            && table
                .rows
                .iter()
                .any(|r| r.cells.get(*c).is_some_and(|x| x.amount().is_some()))
    });
    let why = match unlabelled {
        _ if read < printed.count => format!(
            "it prints {} amounts, and {read} of them read as amounts; the others would \
             become column labels or text (cells wrapped around their rows in a way the \
             reader does not follow)",
            printed.count
        ),
        Some((c, _)) => format!(
            "its column {} holds amounts but no header label stands over it (labels set \
             closer together than the amounts under them)",
            c + 1
        ),
        None => return Ok(()),
    };
    let lines = if first == last {
        format!("line {first}")
    } else {
        format!("lines {first}–{last}")
    };
    let title = table
        .title
        .as_deref()
        .map_or_else(String::new, |t| format!(" '{t}'"));
    Err(ReadError::At {
        at: crate::error::Location::new().line(first),
        message: format!(
            "the space-aligned table{title} ({lines}) is not read with confidence: {why}. \
             Convert the source table instead"
        ),
    })
}

/// The body rows (empty ones dropped; merges recorded as spans on their
/// origin cell), with the source indentation of each row's label cell.
fn body_rows(
    grid: &Grid,
    columns: &[Column],
    body: &[usize],
    body_end: usize,
    warnings: &mut Vec<Warning>,
) -> (Vec<Row>, Vec<u8>) {
    let rt = grid.rt;
    let width = columns.len();
    let mut rows_out = Vec::with_capacity(body.len());
    let mut indents = Vec::with_capacity(body.len());
    let label_col = columns.iter().position(|c| c.kind == ColumnKind::Text);
    for &r in body {
        let mut cells = Vec::with_capacity(width);
        for (c, column) in columns.iter().enumerate() {
            cells.push(body_cell(
                grid,
                r,
                c,
                column.kind,
                body_end,
                width,
                warnings,
            ));
        }
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let source_indent = label_col
            .and_then(|c| grid.cell(r, c))
            .map_or(0, |cell| cell.indent);
        let text_indent = label_col
            .and_then(|c| cells.get_mut(c))
            .map_or(0, strip_indentation);
        indents.push(source_indent.max(text_indent));
        rows_out.push(Row {
            kind: RowKind::Item,
            level: 1,
            cells,
            hidden: rt.rows[r].hidden,
            source_row: Some(rt.rows[r].source_row),
        });
    }
    (rows_out, indents)
}

/// Where the header rows end (exclusive), starting from `h0`.
fn header_end(grid: &Grid, h0: usize) -> usize {
    let nrows = grid.rt.rows.len();
    let mut end = match grid.rt.header_rows {
        Some(n) if n > h0 => n,
        _ => h0 + 1,
    };
    loop {
        let mut next = end;
        // Vertical merges starting in the header extend it.
        for m in &grid.rt.merges {
            if m.row >= h0 && m.row < end && m.rows > 1 {
                next = next.max(m.row + m.rows);
            }
        }
        if next == end && end < nrows {
            let last = end - 1;
            // A group label merged across columns has its children below.
            let group_merge = grid
                .rt
                .merges
                .iter()
                .any(|m| m.row == last && m.cols > 1 && m.rows == 1 && m.row >= h0);
            // A group row of a text table: a blank position whose next row
            // has a label, and that next row holds no numbers.
            // Only a position with no label in any header row so far counts:
            // a blank under a label is that label's vertical continuation.
            let blank_filled_below = (0..grid.width).any(|c| {
                (h0..end).all(|r| grid.shown(r, c).is_none())
                    && grid.cell(end, c).is_some_and(|cell| !cell.is_blank())
            });
            let below = grid.units(end);
            let next_is_labels = !below.is_empty()
                && below.iter().all(|(_, cell)| {
                    cell.number.is_none()
                        && parse_number(&cell.text).is_none()
                        && !is_note_start(&cell.text)
                        && cell.text.chars().count() <= MAX_HEADER_LABEL_CHARS
                });
            if (group_merge || blank_filled_below) && next_is_labels {
                next = end + 1;
            }
        }
        let next = next.min(nrows).min(h0 + MAX_HEADER_ROWS);
        if next == end {
            return end;
        }
        end = next;
    }
}

/// Column paths from the header rows. With merges the paths follow them;
/// without (text), a blank cell of a group row belongs to the label on its
/// left when there is a label below it.
fn header_columns(grid: &Grid, h0: usize, h_end: usize, width: usize) -> Vec<Column> {
    let has_merges = grid
        .rt
        .merges
        .iter()
        .any(|m| m.row < h_end && m.row + m.rows > h0);
    (0..width)
        .map(|c| {
            let mut path: Vec<String> = Vec::new();
            let mut seen: Vec<(usize, usize)> = Vec::new();
            for r in h0..h_end {
                let shown = grid.shown(r, c).or_else(|| {
                    if has_merges || r + 1 >= h_end {
                        return None;
                    }
                    let below = (r + 1..h_end).any(|rr| grid.shown(rr, c).is_some());
                    if !below {
                        return None;
                    }
                    (0..c).rev().find_map(|cc| grid.shown(r, cc))
                });
                if let Some((or, oc, cell)) = shown
                    && !seen.contains(&(or, oc))
                {
                    seen.push((or, oc));
                    path.push(
                        cell.text
                            .trim_matches(|ch: char| ch.is_ascii_whitespace())
                            .to_string(),
                    );
                }
            }
            if path.is_empty() {
                path.push(String::new());
            }
            Column {
                name: path.last().cloned().unwrap_or_default(),
                path,
                kind: ColumnKind::Text,
                hidden: false,
                formulas_without_values: false,
                source_col: None,
            }
        })
        .collect()
}

/// Placeholders that stand for "nothing" in an amount column.
pub(crate) fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().all(|c| {
            matches!(
                c,
                '-' | '—' | '－' | '–' | '/' | '…' | '.' | '*' | 'x' | 'X'
            )
        })
}

/// Spreadsheet error values: a formula that failed, not a value. They do
/// not decide a column's kind, and stay text where they stand.
fn is_error_value(text: &str) -> bool {
    matches!(
        text.trim(),
        "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!" | "#DATA!"
    )
}

/// Header words of a column that holds codes kept as text.
fn is_code_header(name: &str) -> bool {
    let n = name.trim();
    matches!(n, "类" | "款" | "项" | "序号" | "行次")
        || n.contains("编码")
        || n.contains("代码")
        || n.contains("编号")
}

/// A column with no value at all, whose header names no text (its label
/// may be cut, as `经营支` / `出` from a wrapped header), standing between
/// money columns (or after the last of them) is a money column: an empty
/// 经营支出 between 上缴上级支出 and 对附属单位补助支出.
fn empty_columns_among_amounts(grid: &Grid, body: &[usize], columns: &mut [Column]) {
    let has_values = |c: usize| {
        body.iter()
            .any(|&r| !grid.is_covered(r, c) && grid.cell(r, c).is_some_and(|x| !x.is_blank()))
    };
    let filled: Vec<bool> = (0..columns.len()).map(has_values).collect();
    for c in 0..columns.len() {
        if filled[c] || columns[c].kind != ColumnKind::Text || names_text(&columns[c].name) {
            continue;
        }
        let left = (0..c).rev().find(|&k| filled[k]).map(|k| columns[k].kind);
        let right = (c + 1..columns.len())
            .find(|&k| filled[k])
            .map(|k| columns[k].kind);
        if left == Some(ColumnKind::Amount) && right.is_none_or(|k| k == ColumnKind::Amount) {
            columns[c].kind = ColumnKind::Amount;
        }
    }
}

/// Header words of a column of text.
fn names_text(name: &str) -> bool {
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    name.ends_with("单位")
        || name.ends_with("科目")
        || name == "项目"
        || TEXT_WORDS.iter().any(|w| name.contains(w))
}

/// Words of a header naming a column of text.
const TEXT_WORDS: &[&str] = &["名称", "目标", "指标", "说明", "备注", "内容"];

/// Header words of a money column, for columns with no values to judge by.
fn is_amount_header(name: &str) -> bool {
    // 单位 and 科目 name text columns only at the end ("预算单位",
    // "支出功能分类科目"); inside a header they qualify money
    // ("事业单位经营收入", "对下级单位补助支出").
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    if name.ends_with("单位") || name.ends_with("科目") || name == "项目" {
        return false;
    }
    const AMOUNT_WORDS: &[&str] = &[
        "合计", "总计", "小计", "金额", "拨款", "资金", "经费", "支出", "收入", "预算", "决算",
        "结转", "结余", "费", "数",
    ];
    !TEXT_WORDS.iter().any(|w| name.contains(w)) && AMOUNT_WORDS.iter().any(|w| name.contains(w))
}

fn column_kind(grid: &Grid, body: &[usize], c: usize, column: &Column) -> ColumnKind {
    if column.path.iter().any(|p| is_code_header(p)) {
        return ColumnKind::Code;
    }
    let mut amounts = 0;
    let mut percents = 0;
    let mut texts = 0;
    for &r in body {
        if grid.is_covered(r, c) {
            continue;
        }
        let Some(cell) = grid.cell(r, c) else {
            continue;
        };
        if cell.is_blank() {
            continue;
        }
        match cell.number {
            Some(RawNumber::Amount(_)) => amounts += 1,
            Some(RawNumber::Percent(_)) => percents += 1,
            None => match parse_number(&cell.text) {
                Some(Parsed::Amount(_)) => amounts += 1,
                Some(Parsed::Percent(_)) => percents += 1,
                None if is_placeholder(&cell.text) || is_error_value(&cell.text) => {}
                None => texts += 1,
            },
        }
    }
    if texts > 0 {
        ColumnKind::Text
    } else if percents > 0 && amounts == 0 {
        ColumnKind::Percent
    } else if (amounts > 0 && percents == 0)
        || (amounts == 0 && percents == 0 && is_amount_header(&column.name))
    {
        ColumnKind::Amount
    } else {
        ColumnKind::Text
    }
}

/// Takes the indentation off the front of a label cell's text and gives
/// its depth in steps: one a leading ideographic space (U+3000), or one
/// for two ASCII spaces when there is no ideographic one. Indentation is
/// the hierarchy, which the model keeps as the row's level and every
/// writer shows its own way (an indent in PDF and DOCX, ideographic
/// spaces in Markdown); kept in the text too, it would be shown twice.
fn strip_indentation(cell: &mut Cell) -> u8 {
    let Value::Text(text) = &mut cell.value else {
        return 0;
    };
    let body = text.trim_start_matches(['\u{3000}', ' ']);
    if body.len() == text.len() || body.is_empty() {
        return 0;
    }
    let lead = &text[..text.len() - body.len()];
    let ideographic = lead.chars().filter(|&c| c == '\u{3000}').count();
    let steps = if ideographic > 0 {
        ideographic
    } else {
        lead.len() / 2
    };
    *text = body.to_string();
    u8::try_from(steps).unwrap_or(u8::MAX)
}

fn body_cell(
    grid: &Grid,
    r: usize,
    c: usize,
    kind: ColumnKind,
    body_end: usize,
    width: usize,
    warnings: &mut Vec<Warning>,
) -> Cell {
    if grid.is_covered(r, c) {
        return Cell::default();
    }
    let Some(raw) = grid.cell(r, c) else {
        return Cell::default();
    };
    let (row_span, col_span) = match grid.merge_at(r, c) {
        Some(m) => (
            m.rows.min(body_end.saturating_sub(r)).max(1),
            m.cols.min(width.saturating_sub(c)).max(1),
        ),
        None => (1, 1),
    };
    let span = |n: usize| Span::new(n as u32).unwrap_or(Span::ONE);
    let mut cell = Cell {
        row_span: span(row_span),
        col_span: span(col_span),
        ..Cell::default()
    };
    if raw.is_blank() {
        return cell;
    }
    let text = raw.text.clone();
    let parsed = match raw.number {
        Some(RawNumber::Amount(d)) => Some(Parsed::Amount(d)),
        Some(RawNumber::Percent(d)) => Some(Parsed::Percent(d)),
        None => parse_number(&text),
    };
    cell.value = match (kind, parsed) {
        (ColumnKind::Amount, Some(Parsed::Amount(d))) => {
            let d = with_min_scale(d);
            if raw.number.is_none() && text != d.to_string() && text != format_amount(d) {
                cell.raw = Some(text);
            }
            Value::Amount(d)
        }
        (ColumnKind::Percent, Some(Parsed::Percent(d))) => {
            if raw.number.is_none() && text != format!("{d}%") {
                cell.raw = Some(text);
            }
            Value::Percent(d)
        }
        (ColumnKind::Amount | ColumnKind::Percent, _) => {
            let at = grid.at(r, c).to_string();
            if is_error_value(&text) {
                // Readers that see error values (spreadsheets) report them
                // at the cell already.
                let reported = warnings
                    .iter()
                    .any(|w| w.code == "error-value" && w.at.as_deref() == Some(at.as_str()));
                if !reported {
                    warnings.push(Warning::new(
                        "error-value",
                        Some(at),
                        format!("'{text}' (a failed formula) in an amount column is kept as text"),
                    ));
                }
            } else if !is_placeholder(&text) {
                warnings.push(Warning::new(
                    "not-an-amount",
                    Some(at),
                    format!("'{text}' in an amount column is kept as text"),
                ));
            }
            Value::Text(text)
        }
        (ColumnKind::Text | ColumnKind::Code, _) => Value::Text(text),
    };
    cell
}

/// Picks the title among the lines above a table (a heading, else the
/// centred/bold/largest non-meta line, else the first non-meta line); the
/// other lines are meta lines.
fn title_and_meta(lines: &[RawLine]) -> (Option<String>, Vec<Meta>) {
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| !looks_like_meta(&lines[i].text) && !crate::read::is_blank(&lines[i].text))
        .collect();
    let score = |l: &RawLine| {
        let mut s = 0u32;
        if l.heading.is_some() {
            s += 100 - u32::from(l.heading.unwrap_or(0)).min(99);
        }
        if l.align == Align::Center {
            s += 4;
        }
        if l.bold {
            s += 2;
        }
        if let Some(size) = l.size {
            s += (size.clamp(0.0, 72.0) / 4.0) as u32;
        }
        s
    };
    let title_idx = candidates
        .iter()
        .copied()
        .max_by(|&a, &b| score(&lines[a]).cmp(&score(&lines[b])).then(b.cmp(&a)));
    let mut meta = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if Some(i) == title_idx || crate::read::is_blank(&l.text) {
            continue;
        }
        meta.extend(parse_meta(&l.text, l.align));
    }
    (title_idx.map(|i| lines[i].text.trim().to_string()), meta)
}

#[cfg(test)]
mod tests {
    use super::is_amount_header;

    #[test]
    fn amount_headers_of_empty_columns() {
        for h in [
            "财政专户拨款",
            "其他资金",
            "事业单位\n经营收入",
            "对下级单位补助支出",
            "项目支出",
            "合计",
        ] {
            assert!(is_amount_header(h), "{h}");
        }
        for h in [
            "项目",
            "预算单位",
            "支出功能分类科目",
            "单位名称",
            "绩效目标",
            "备注",
        ] {
            assert!(!is_amount_header(h), "{h}");
        }
    }
}
