//! Forms in fixed-width text: a titled box of labels and their values, as
//! `pdftotext -layout` gives a 财政项目支出绩效目标填报表, read as what it is
//! rather than as a header over rows.
//!
//! A form is recognised by its geometry and content, not by its title: under
//! a table title (and its subtitle) come lines that alternate a label and its
//! value (`项目名称  新建…  项目性质  阶段性项目`), one of them holding a date —
//! a value no header label ever is. What follows is read in bands:
//! - *pairs*: every line a label, its value, another label, its value …;
//! - *amounts*: labels each followed by an amount, in one or two columns
//!   (left, right), with the band's own label stacked at its left edge
//!   (`项目资金` over `（元）`); a column's first label is the whole, the
//!   labels from its `其中：` one on are its parts;
//! - *texts*: a line of two or more column labels (项目总目标, 年度总体目标)
//!   over texts wrapped in their columns, with the band's label stacked at
//!   the left (项目 / 绩效 / 目标); each column's lines are joined in order;
//! - *grid*: a line of three or more column labels over rows (一级指标 二级指标
//!   三级指标 指标值), with the grid's label stacked at the left (绩效指标).
//!   The last column holds each row's value and the one before it the row's
//!   label (wrapped around the value line where it is long); the columns
//!   before them label runs of rows, each label centred on its run, as the
//!   merged cells of the source were.
//!
//! The form gives two tables: the pairs, amounts and texts as rows of
//! 项目 | 内容 | 金额 (parts one level below their whole, band labels above
//! their rows), and the grid with its own header, its spanning labels as
//! merged cells. Lines that do not fit these bands make the whole block no
//! form: the table reader reads it as before.

use super::{Chunk, Kind, Line, centre2, is_amount_token, names_table, next_content};
use crate::model::Align;
use crate::read::{Locator, Merge, RawCell, RawLine, RawRow, RawTable};
use unicode_width::UnicodeWidthChar;

/// Most characters of a column label (年度(/项目)指标值 has 11).
const MAX_LABEL_CHARS: usize = 12;

/// Most characters of one piece of a label stacked at a band's left edge
/// (项目资金, （元）, 绩效).
const MAX_STACKED_CHARS: usize = 4;

/// A text that straddles the start of the next text column is cut at a
/// space within this many columns of that start (`pdftotext` sets the two
/// columns' lines one space apart where the left one is full).
const COLUMN_CUT_SLACK: usize = 3;

/// The labels of a grid's spanning column that are one label wrapped in its
/// cell stand at most this many lines apart.
const MAX_WRAP_STEP: u32 = 2;

/// Header of the form's own table.
const FORM_COLUMNS: [&str; 3] = ["项目", "内容", "金额"];

/// One row of the form's table.
struct FormRow {
    label: String,
    text: Option<String>,
    amount: Option<String>,
    /// The row's level: 1 for a pair and a band's label, one more under a
    /// band's label, one more again for a part of a whole (其中…). Handed
    /// to the normaliser as the label cell's indent (level − 1).
    depth: u8,
    line: u32,
}

impl FormRow {
    fn new(label: String, depth: u8, line: u32) -> FormRow {
        FormRow {
            label,
            text: None,
            amount: None,
            depth,
            line,
        }
    }
}

/// Reads a form whose title is line `start`: its tables and the index of
/// the line after it, or `None` when the lines under the title are no form.
pub(super) fn take_form(lines: &[Line], start: usize) -> Option<(Vec<RawTable>, usize)> {
    let title = &lines[start];
    if !title.is_title_like() || !names_table(&title.chunks[0].text) {
        return None;
    }
    let mut i = start + 1;
    let mut heads = vec![start];
    if let Some(j) = next_content(lines, start)
        && lines[j].is_subtitle()
    {
        heads.push(j);
        i = j + 1;
    }
    // The form's lines: up to the next table's title, on the title's page.
    let in_form =
        |l: &Line| l.page == title.page && !(l.is_title_like() && names_table(&l.chunks[0].text));
    let mut content = Vec::new();
    let mut end = i;
    let mut rows: Vec<FormRow> = Vec::new();
    // Pairs: up to the first line with an amount or of anything else.
    let mut dated = false;
    let mut two_pairs = false;
    while end < lines.len() {
        let l = &lines[end];
        if l.kind == Kind::Content {
            if !in_form(l) {
                break;
            }
            let pieces = (!l.chunks.iter().any(Chunk::is_amount))
                .then(|| pair_pieces(l))
                .flatten();
            let Some(pieces) = pieces else {
                break;
            };
            two_pairs |= pieces.len() >= 4;
            for p in pieces.chunks(2) {
                dated |= is_date(&p[1].text);
                let mut row = FormRow::new(p[0].text.clone(), 1, l.no);
                row.text = Some(p[1].text.clone());
                rows.push(row);
            }
            content.push(end);
        }
        end += 1;
    }
    if !dated || !two_pairs {
        return None;
    }
    // The rest of the form's lines, read only for a form.
    let k = content.len();
    while end < lines.len() {
        let l = &lines[end];
        if l.kind == Kind::Content {
            if !in_form(l) {
                break;
            }
            content.push(end);
        }
        end += 1;
    }
    // Amounts: up to the first line of column labels.
    let header = (k..content.len()).find(|&n| is_label_line(&lines[content[n]], 2));
    let band_end = header.unwrap_or(content.len());
    rows.extend(amount_band(lines, &content[k..band_end])?);
    let mut tables = Vec::new();
    let mut n = band_end;
    while n < content.len() {
        let head = &lines[content[n]];
        if head.chunks.len() >= 3 {
            // The grid: the rest of the form.
            tables.push(grid(lines, head, &content[n + 1..])?);
            n = content.len();
        } else {
            let next = (n + 1..content.len())
                .find(|&m| is_label_line(&lines[content[m]], 3))
                .unwrap_or(content.len());
            rows.extend(text_band(lines, head, &content[n + 1..next])?);
            n = next;
        }
    }
    let heads: Vec<RawLine> = heads
        .iter()
        .map(|&h| RawLine {
            text: lines[h].text(),
            align: Align::Center,
            source_row: lines[h].no,
            ..RawLine::default()
        })
        .collect();
    tables.insert(0, form_table(heads, &rows, title.no));
    Some((tables, end))
}

/// `2023-01-01`, `2023/1/1`, `2023年1月1日`.
fn is_date(t: &str) -> bool {
    let t = t.trim();
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    for sep in ['-', '/'] {
        let parts: Vec<&str> = t.split(sep).collect();
        if parts.len() == 3
            && digits(parts[0], 4..=4)
            && digits(parts[1], 1..=2)
            && digits(parts[2], 1..=2)
        {
            return true;
        }
    }
    if let Some((y, rest)) = t.split_once('年')
        && let Some((m, rest)) = rest.split_once('月')
        && let Some(d) = rest.strip_suffix('日')
    {
        return digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2);
    }
    false
}

/// A label of a form: short, no amount or date, no sentence punctuation.
fn is_label(t: &str) -> bool {
    let n = t.chars().count();
    (1..=MAX_LABEL_CHARS).contains(&n)
        && !is_amount_token(t)
        && !is_date(t)
        && !t.contains(['。', '，', '、', '；', ',', ';'])
}

/// A line of at least `min` column labels and nothing else.
fn is_label_line(l: &Line, min: usize) -> bool {
    l.chunks.len() >= min && l.chunks.iter().all(|c| is_label(&c.text))
}

/// Full-width punctuation that `pdftotext` sets one space after the text
/// before it: a space before it is no gap between fields.
fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '、' | '；' | '：' | '）' | '》' | '」' | '”' | '！' | '？'
    )
}

/// The measure `c`'s positions are in: 0 characters, 1 display columns.
fn measure(c: &Chunk) -> usize {
    usize::from((c.start, c.end) != c.pos[0])
}

/// The spaces of `c` at which it may be cut into fields, each as its byte
/// offset and its position in `c`'s measure.
fn cut_points(c: &Chunk) -> Vec<(usize, usize)> {
    let m = measure(c);
    let mut pos = c.start;
    let mut out = Vec::new();
    let mut chars = c.text.char_indices().peekable();
    while let Some((b, ch)) = chars.next() {
        if ch == ' '
            && chars
                .peek()
                .is_some_and(|&(_, n)| !is_cjk_punct(n) && n != ' ')
        {
            out.push((b, pos));
        }
        pos += if m == 0 { 1 } else { ch.width().unwrap_or(0) };
    }
    out
}

/// `c` cut at the space at byte offset `at`.
fn cut(c: &Chunk, at: usize) -> (Chunk, Chunk) {
    let head = &c.text[..at];
    let chars = head.chars().count();
    let width: usize = head.chars().map(|ch| ch.width().unwrap_or(0)).sum();
    let left_pos = [
        (c.pos[0].0, c.pos[0].0 + chars),
        (c.pos[1].0, c.pos[1].0 + width),
    ];
    let right_pos = [
        (c.pos[0].0 + chars + 1, c.pos[0].1),
        (c.pos[1].0 + width + 1, c.pos[1].1),
    ];
    let m = measure(c);
    let make = |pos: [(usize, usize); 2], text: &str| Chunk {
        start: pos[m].0,
        end: pos[m].1,
        pos,
        text: text.to_string(),
    };
    (make(left_pos, head), make(right_pos, &c.text[at + 1..]))
}

/// A line of labels and values, two by two; a value joined to the next
/// label by one space (`阶段性项目 项目类别`) is cut where that is the one
/// way to make pairs.
fn pair_pieces(l: &Line) -> Option<Vec<Chunk>> {
    let mut pieces = l.chunks.clone();
    if pieces.len() % 2 == 1 {
        let joined: Vec<usize> = (0..pieces.len())
            .filter(|&k| !cut_points(&pieces[k]).is_empty())
            .collect();
        let [k] = joined[..] else {
            return None;
        };
        let points = cut_points(&pieces[k]);
        let [(at, _)] = points[..] else {
            return None;
        };
        let (a, b) = cut(&pieces[k], at);
        pieces.splice(k..=k, [a, b]);
    }
    let pairs = pieces.len() >= 2 && pieces.iter().step_by(2).all(|p| is_label(&p.text));
    pairs.then_some(pieces)
}

/// The rows of the amounts band: its stacked label, then each column's
/// labels with their amounts, the left column before the right one.
fn amount_band(lines: &[Line], idx: &[usize]) -> Option<Vec<FormRow>> {
    let mut stacked: Vec<String> = Vec::new();
    // (label, amount, line)
    let mut pairs: Vec<(Chunk, String, u32)> = Vec::new();
    // Where the second pair of a line starts: the right column.
    let mut right: Option<usize> = None;
    for &i in idx {
        let l = &lines[i];
        let c = &l.chunks;
        let mut k = 0;
        // Leading texts not followed by an amount: the band's label.
        while k < c.len() && !c[k].is_amount() && c.get(k + 1).is_none_or(|n| !n.is_amount()) {
            if c[k].text.chars().count() > MAX_STACKED_CHARS {
                return None;
            }
            stacked.push(c[k].text.clone());
            k += 1;
        }
        let mut on_line = 0;
        while k < c.len() {
            let (label, amount) = (&c[k], c.get(k + 1)?);
            if label.is_amount() || !amount.is_amount() || !is_label(&label.text) {
                return None;
            }
            if on_line == 1 {
                right = Some(right.map_or(label.start, |r: usize| r.min(label.start)));
            }
            pairs.push((label.clone(), amount.text.clone(), l.no));
            on_line += 1;
            k += 2;
        }
    }
    let mut rows = Vec::new();
    if pairs.is_empty() {
        return stacked.is_empty().then_some(rows);
    }
    let first_line = pairs.iter().map(|p| p.2).min().unwrap_or(0);
    let depth = if stacked.is_empty() {
        0
    } else {
        rows.push(FormRow::new(stacked.concat(), 1, first_line));
        1
    };
    let (left, right): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|p| right.is_none_or(|r| p.0.start < r));
    for column in [left, right] {
        let parts_from = column
            .iter()
            .position(|p| p.0.text.starts_with("其中"))
            .filter(|&p| p > 0);
        for (n, (label, amount, line)) in column.into_iter().enumerate() {
            let part = parts_from.is_some_and(|p| n >= p);
            let mut row = FormRow::new(label.text, 1 + depth + u8::from(part), line);
            row.amount = Some(amount);
            rows.push(row);
        }
    }
    Some(rows)
}

/// The rows of a texts band: its stacked label, then each column's label
/// with the column's lines joined.
fn text_band(lines: &[Line], head: &Line, idx: &[usize]) -> Option<Vec<FormRow>> {
    let all: Vec<&Chunk> = idx.iter().flat_map(|&i| &lines[i].chunks).collect();
    // The texts start here; stacked label pieces end before.
    let left = all
        .iter()
        .filter(|c| c.text.chars().count() > MAX_STACKED_CHARS)
        .map(|c| c.start)
        .min()?;
    let is_stacked = |c: &Chunk| c.end <= left && c.text.chars().count() <= MAX_STACKED_CHARS;
    let heads = &head.chunks;
    // Where each column's lines start: the k-th text on a line starts
    // column k, and so does a line's text standing right of the middle
    // between column k - 1 and column k's label.
    let mut starts = vec![left];
    for (k, h) in heads.iter().enumerate().skip(1) {
        let prev = *starts.last()?;
        let lower = (prev + h.start) / 2;
        let kth = idx.iter().filter_map(|&i| {
            lines[i]
                .chunks
                .iter()
                .filter(|c| !is_stacked(c))
                .nth(k)
                .map(|c| c.start)
        });
        let s = all
            .iter()
            .filter(|c| !is_stacked(c) && c.start > lower && c.start < h.end)
            .map(|c| c.start)
            .chain(kth)
            .min()
            .unwrap_or(lower);
        starts.push(s);
    }
    let mut stacked: Vec<String> = Vec::new();
    let mut texts: Vec<String> = vec![String::new(); heads.len()];
    for &i in idx {
        for c in &lines[i].chunks {
            if is_stacked(c) {
                stacked.push(c.text.clone());
                continue;
            }
            let mut rest = c.clone();
            let mut col = starts
                .iter()
                .rposition(|&s| s <= rest.start + 1)
                .unwrap_or(0);
            loop {
                let Some(&next) = starts.get(col + 1) else {
                    push_text(&mut texts[col], &rest.text);
                    break;
                };
                if rest.end <= next + 1 {
                    push_text(&mut texts[col], &rest.text);
                    break;
                }
                // Two columns' lines one space apart: cut at that space;
                // what follows it is the next column's.
                let (at, _) = cut_points(&rest)
                    .into_iter()
                    .filter(|&(_, p)| (p + 1).abs_diff(next) <= COLUMN_CUT_SLACK)
                    .min_by_key(|&(_, p)| (p + 1).abs_diff(next))?;
                let (a, b) = cut(&rest, at);
                push_text(&mut texts[col], &a.text);
                rest = b;
                col += 1;
            }
        }
    }
    let mut rows = Vec::new();
    let depth = if stacked.is_empty() {
        0
    } else {
        rows.push(FormRow::new(stacked.concat(), 1, head.no));
        1
    };
    for (h, text) in heads.iter().zip(texts) {
        let mut row = FormRow::new(h.text.clone(), 1 + depth, head.no);
        row.text = (!text.is_empty()).then_some(text);
        rows.push(row);
    }
    Some(rows)
}

/// Appends a wrapped line to a text: no space between CJK lines, one
/// between two Latin words.
fn push_text(text: &mut String, line: &str) {
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if latin(text.chars().last()) && latin(line.chars().next()) {
        text.push(' ');
    }
    text.push_str(line);
}

/// The form's own table: 项目 | 内容 | 金额, one row per label.
fn form_table(before: Vec<RawLine>, rows: &[FormRow], title_line: u32) -> RawTable {
    let mut rt = RawTable {
        locator: Locator::Line,
        before,
        header_rows: Some(1),
        ..RawTable::default()
    };
    rt.rows.push(RawRow {
        cells: FORM_COLUMNS.iter().map(|&h| RawCell::text(h)).collect(),
        source_row: title_line,
        hidden: false,
    });
    for r in rows {
        let label = RawCell {
            indent: r.depth.saturating_sub(1),
            ..RawCell::text(r.label.clone())
        };
        let cell = |t: &Option<String>| t.clone().map(RawCell::text).unwrap_or_default();
        rt.rows.push(RawRow {
            cells: vec![label, cell(&r.text), cell(&r.amount)],
            source_row: r.line,
            hidden: false,
        });
    }
    rt
}

/// The grid under its header line `head`: a table of its own, titled with
/// the label stacked at its left.
fn grid(lines: &[Line], head: &Line, idx: &[usize]) -> Option<RawTable> {
    let heads = &head.chunks;
    let n = heads.len();
    // Column of a chunk: the header whose territory (between the midpoints
    // of neighbouring headers' centres) holds its centre.
    let bounds: Vec<usize> = heads
        .windows(2)
        .map(|w| (centre2(&w[0]) + centre2(&w[1])) / 2)
        .collect();
    let col_of = |c: &Chunk| bounds.iter().filter(|&&b| b < centre2(c)).count();
    let mut title: Vec<String> = Vec::new();
    // (line index, column, piece) in reading order.
    let mut cells: Vec<(usize, usize, Chunk)> = Vec::new();
    for &i in idx {
        for c in &lines[i].chunks {
            if c.end <= heads[0].start {
                title.push(c.text.clone());
                continue;
            }
            for (col, piece) in grid_fields(c, &col_of) {
                cells.push((i, col, piece));
            }
        }
    }
    // Rows: one per line with a value; the row label's other lines join
    // the nearest such line without a label of its own, else the one above.
    let (value_col, label_col) = (n - 1, n - 2);
    let mut anchors: Vec<usize> = cells
        .iter()
        .filter(|c| c.1 == value_col)
        .map(|c| c.0)
        .collect();
    anchors.dedup();
    if anchors.is_empty() {
        return None;
    }
    let filled: std::collections::HashSet<(usize, usize)> =
        cells.iter().map(|c| (c.0, c.1)).collect();
    let has = |line: usize, col: usize| filled.contains(&(line, col));
    // Lines of each row, and its leaf texts.
    let mut extent: Vec<(usize, usize)> = anchors.iter().map(|&a| (a, a)).collect();
    let mut leaf: Vec<[Vec<(usize, String)>; 2]> = vec![Default::default(); anchors.len()];
    for (line, col, piece) in &cells {
        if *col < label_col {
            continue;
        }
        let row = match anchors.binary_search(line) {
            Ok(r) => r,
            Err(below) => {
                let above = below.checked_sub(1);
                let free = |r: usize| !has(anchors[r], *col);
                let pick_below = below < anchors.len()
                    && free(below)
                    && above.is_none_or(|a| !free(a) || anchors[below] - line <= line - anchors[a]);
                if pick_below {
                    below
                } else {
                    above.unwrap_or(below)
                }
            }
        };
        let row = row.min(anchors.len() - 1);
        extent[row].0 = extent[row].0.min(*line);
        extent[row].1 = extent[row].1.max(*line);
        leaf[row][col - label_col].push((*line, piece.text.clone()));
    }
    // Twice the position of a line in rows: 2r on row r, 2r + 1 between
    // rows r and r + 1.
    // (Rows' lines do not interleave: a line between two rows' value lines
    // joins one of them.)
    let pos2 = |line: usize| -> i64 {
        let r = extent.partition_point(|&(_, b)| b < line);
        if extent.get(r).is_some_and(|&(a, _)| a <= line) {
            2 * r as i64
        } else {
            2 * r as i64 - 1
        }
    };
    // The labels of each spanning column, their wrapped pieces joined,
    // with four times their centre in rows.
    let mut labels: Vec<Vec<(String, i64)>> = vec![Vec::new(); label_col];
    for (col, out) in labels.iter_mut().enumerate() {
        // (text, first piece's chars, last line, first pos2, last pos2)
        let mut open: Option<(String, usize, usize, i64, i64)> = None;
        for (line, _, piece) in cells.iter().filter(|c| c.1 == col) {
            let chars = piece.text.chars().count();
            let p = pos2(*line);
            if let Some(o) = open.as_mut()
                && line - o.2 <= MAX_WRAP_STEP as usize
                && (o.2 + 1..*line).all(|j| lines[j].kind == Kind::Content)
                && chars < o.1
            {
                o.0.push_str(&piece.text);
                o.2 = *line;
                o.4 = p;
                continue;
            }
            if let Some(o) = open.take() {
                out.push((o.0, o.3 + o.4));
            }
            open = Some((piece.text.clone(), chars, *line, p, p));
        }
        if let Some(o) = open.take() {
            out.push((o.0, o.3 + o.4));
        }
    }
    // Runs of rows for each label, column by column, inside the runs of
    // the column to the left.
    let rows_n = anchors.len();
    let mut groups: Vec<(usize, usize)> = vec![(0, rows_n - 1)];
    // (row, col, text, span)
    let mut spans: Vec<(usize, usize, String, usize)> = Vec::new();
    for (col, col_labels) in labels.iter().enumerate() {
        let mut next_groups = Vec::new();
        for &(a, b) in &groups {
            let last = groups.last().is_some_and(|g| g.0 == a);
            let first = groups.first().is_some_and(|g| g.0 == a);
            let inside: Vec<&(String, i64)> = col_labels
                .iter()
                .filter(|l| (first || l.1 >= 4 * a as i64 - 2) && (last || l.1 <= 4 * b as i64 + 2))
                .collect();
            if inside.is_empty() {
                next_groups.push((a, b));
                continue;
            }
            let centres: Vec<i64> = inside.iter().map(|l| l.1).collect();
            let runs = runs_for(&centres, a, b)?;
            for (l, &(s, e)) in inside.iter().zip(&runs) {
                spans.push((s, col, l.0.clone(), e - s + 1));
            }
            next_groups.extend(runs);
        }
        groups = next_groups;
    }
    let mut rt = RawTable {
        locator: Locator::Line,
        header_rows: Some(1),
        ..RawTable::default()
    };
    if !title.is_empty() {
        rt.before.push(RawLine {
            text: title.concat(),
            align: Align::Center,
            source_row: head.no,
            ..RawLine::default()
        });
    }
    rt.rows.push(RawRow {
        cells: heads
            .iter()
            .map(|h| RawCell::text(h.text.clone()))
            .collect(),
        source_row: head.no,
        hidden: false,
    });
    for (r, &a) in anchors.iter().enumerate() {
        let mut row = vec![RawCell::default(); n];
        for (k, pieces) in leaf[r].iter().enumerate() {
            let mut text = String::new();
            for (_, t) in pieces {
                push_text(&mut text, t);
            }
            row[label_col + k] = RawCell::text(text);
        }
        rt.rows.push(RawRow {
            cells: row,
            source_row: lines[a].no,
            hidden: false,
        });
    }
    for (r, col, text, span) in spans {
        rt.rows[1 + r].cells[col] = RawCell::text(text);
        if span > 1 {
            rt.merges.push(Merge {
                row: 1 + r,
                col,
                rows: span,
                cols: 1,
            });
        }
    }
    Some(rt)
}

/// A grid chunk as fields: two labels joined by one space
/// (`效益指标 社会效益指标`) are two fields where their centres stand in
/// two columns; anything else is one.
fn grid_fields(c: &Chunk, col_of: &impl Fn(&Chunk) -> usize) -> Vec<(usize, Chunk)> {
    let whole = vec![(col_of(c), c.clone())];
    let points = cut_points(c);
    if points.is_empty() {
        return whole;
    }
    let mut pieces = Vec::new();
    let mut rest = c.clone();
    let mut offset = 0;
    for (at, _) in points {
        let (a, b) = cut(&rest, at - offset);
        offset = at + 1;
        pieces.push(a);
        rest = b;
    }
    pieces.push(rest);
    if !pieces.iter().all(|p| is_label(&p.text)) {
        return whole;
    }
    let cols: Vec<usize> = pieces.iter().map(col_of).collect();
    if cols.windows(2).any(|w| w[1] != w[0] + 1) {
        return whole;
    }
    cols.into_iter().zip(pieces).collect()
}

/// Runs of the rows `a..=b`, one per label, in order: each label (four times
/// its centre in rows given) centred on its run as well as the rows allow.
/// The first run starts at `a` and the last ends at `b`, so those two are
/// placed by their one free end; the ones between take what is left the
/// same way.
fn runs_for(centres: &[i64], a: usize, b: usize) -> Option<Vec<(usize, usize)>> {
    let k = centres.len();
    if k == 0 {
        return Some(Vec::new());
    }
    if b + 1 < a + k {
        return None;
    }
    if k == 1 {
        return Some(vec![(a, b)]);
    }
    let (ai, bi) = (a as i64, b as i64);
    // A run from `a` centred on c: (a + e) / 2 = c / 4.
    let e1 = (centres[0] / 2 - ai).clamp(ai, bi - (k as i64 - 1)) as usize;
    let s_k = (centres[k - 1] / 2 - bi).clamp(e1 as i64 + k as i64 - 1, bi) as usize;
    let mut runs = vec![(a, e1)];
    if k > 2 {
        runs.extend(runs_for(&centres[1..k - 1], e1 + 1, s_k.checked_sub(1)?)?);
    }
    runs.push((s_k, b));
    Some(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2023-01-01"));
        assert!(is_date("2024/3/1"));
        assert!(is_date("2023年12月31日"));
        assert!(!is_date("2023"));
        assert!(!is_date("4,100,000.00"));
        assert!(!is_date("2023-01"));
        assert!(!is_date("项目名称"));
    }

    /// Four times a label's centre in rows, for a label on row `r` (or
    /// between rows `r` and `r + 1` when `between`).
    fn on(r: i64, between: bool) -> i64 {
        2 * (2 * r + i64::from(between))
    }

    #[test]
    fn runs_are_centred_on_their_labels_from_the_ends_in() {
        // The 产出/效益/满意度 labels of the 万里街道 book's fourth form:
        // 43 rows, 产出指标 on row 11, 效益指标 between rows 30 and 31,
        // 满意度指标 between rows 39 and 40. Centred from both ends:
        // 产出 0–22, 满意度 37–42, 效益 what lies between.
        let runs = runs_for(&[on(11, false), on(30, true), on(39, true)], 0, 42);
        assert_eq!(runs, Some(vec![(0, 22), (23, 36), (37, 42)]));
        // 数量指标 on row 7 and 质量指标 between rows 18 and 19 in 0–22.
        let runs = runs_for(&[on(7, false), on(18, true)], 0, 22);
        assert_eq!(runs, Some(vec![(0, 14), (15, 22)]));
        // One label takes its whole range; every label keeps a row.
        assert_eq!(runs_for(&[on(3, false)], 2, 5), Some(vec![(2, 5)]));
        assert_eq!(
            runs_for(&[on(0, false), on(0, false), on(0, false)], 0, 2),
            Some(vec![(0, 0), (1, 1), (2, 2)])
        );
        assert_eq!(runs_for(&[on(0, false), on(1, false)], 0, 0), None);
    }

    #[test]
    fn a_value_joined_to_the_next_label_is_cut_to_make_pairs() {
        let line = "      项目名称       某某项目                  项目性质           经常性项目 项目类别            其他运转类";
        let (chunks, width) = super::super::chunk_line(line);
        let l = Line {
            no: 1,
            page: 0,
            kind: Kind::Content,
            chunks,
            width,
            total_off_header: false,
        };
        let pieces = pair_pieces(&l).map(|p| p.into_iter().map(|c| c.text).collect::<Vec<_>>());
        assert_eq!(
            pieces,
            Some(
                [
                    "项目名称",
                    "某某项目",
                    "项目性质",
                    "经常性项目",
                    "项目类别",
                    "其他运转类"
                ]
                .map(String::from)
                .to_vec()
            )
        );
    }
}
