//! Which table each paragraph of the body belongs to: the lines before
//! the first table are its `before`; between two tables a page break
//! splits them, else the caption-like run just above a table is its own
//! and the rest are notes of the previous one; the lines after the last
//! table are its notes. Tables that only lay out meta lines stand with
//! the paragraphs.

use super::grid::grid;
use super::walk::{Block, Para};
use crate::classify::{is_note_start, looks_like_meta};
use crate::limits::Limits;
use crate::model::Align;
use crate::read::{RawBlock, RawCell, RawDocument, RawLine, RawTable, ReadError, is_blank};

/// Whether a Word table only lays out meta lines (a borderless table with
/// 部门名称 on the left and 单位 on the right): every filled cell is a
/// key：value line.
fn is_meta_table(t: &RawTable) -> bool {
    let mut filled = t
        .rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .filter(|c| !c.is_blank())
        .peekable();
    filled.peek().is_some() && filled.all(|c| looks_like_meta(&c.text))
}

/// The lines of a meta-only table, the last filled cell of a row to the
/// right when the row holds several.
fn meta_table_lines(t: &RawTable) -> Vec<RawLine> {
    let mut out = Vec::new();
    for r in &t.rows {
        let filled: Vec<&RawCell> = r.cells.iter().filter(|c| !c.is_blank()).collect();
        let n = filled.len();
        for (i, c) in filled.into_iter().enumerate() {
            out.push(RawLine {
                text: c.text.clone(),
                align: if n > 1 && i == n - 1 {
                    Align::Right
                } else {
                    c.align
                },
                bold: c.bold,
                source_row: r.source_row,
                ..RawLine::default()
            });
        }
    }
    out
}

fn line(p: &Para) -> RawLine {
    RawLine {
        text: p.text.clone(),
        align: p.align,
        heading: p.heading,
        bold: p.bold,
        size: p.size,
        source_row: p.number,
    }
}

/// Whether a paragraph between two tables reads as the next table's title
/// or meta line rather than a note of the previous one.
fn is_caption(p: &Para) -> bool {
    !is_note_start(&p.text)
        && (p.align == Align::Center || p.bold || p.heading.is_some() || looks_like_meta(&p.text))
}

enum Item {
    Para(Para),
    Table(RawTable),
    /// Lines of a meta-only layout table; they stand with the paragraphs.
    Lines(Vec<RawLine>),
}

/// Distributes the body's paragraphs over its tables.
pub(super) fn layout(blocks: Vec<Block>, limits: &Limits) -> Result<RawDocument, ReadError> {
    // Grid positions of the Word tables so far, and the tables.
    let mut positions = 0usize;
    let mut word_tables = 0u32;
    let mut items: Vec<Item> = Vec::new();
    let mut paragraphs_with_text = 0usize;
    for b in blocks {
        match b {
            Block::Para(p) => {
                if !is_blank(&p.text) {
                    paragraphs_with_text += 1;
                }
                items.push(Item::Para(p));
            }
            Block::Table(t) => {
                word_tables += 1;
                let raw = grid(&t, word_tables, &mut positions, limits)?;
                if raw
                    .rows
                    .iter()
                    .all(|r| r.cells.iter().all(RawCell::is_blank))
                {
                    continue;
                }
                if is_meta_table(&raw) {
                    items.push(Item::Lines(meta_table_lines(&raw)));
                } else {
                    items.push(Item::Table(raw));
                }
            }
        }
    }
    let table_count = items.iter().filter(|i| matches!(i, Item::Table(_))).count();
    if table_count == 0 {
        return Err(ReadError::NoTable(format!(
            "the document has {paragraphs_with_text} paragraph(s) of text but no table"
        )));
    }

    let mut tables: Vec<RawTable> = Vec::new();
    let mut blocks: Vec<RawBlock> = Vec::new();
    // Lines since the last table, each with whether it reads as a caption,
    // and where the last page break among them fell.
    let mut pending: Vec<(RawLine, bool)> = Vec::new();
    let mut last_break: Option<usize> = None;
    for item in items {
        match item {
            Item::Para(p) => {
                if p.break_before {
                    last_break = Some(pending.len());
                }
                if !is_blank(&p.text) {
                    pending.push((line(&p), is_caption(&p)));
                }
                if p.break_after {
                    last_break = Some(pending.len());
                }
            }
            Item::Lines(lines) => pending.extend(lines.into_iter().map(|l| (l, true))),
            Item::Table(mut t) => {
                let mut lines = std::mem::take(&mut pending);
                if let Some(prev) = tables.last_mut() {
                    // A page break splits the notes of the previous table
                    // from the title of this one; without one, the run of
                    // caption-like lines just above this table is its own.
                    let split = last_break.unwrap_or_else(|| {
                        lines.len() - lines.iter().rev().take_while(|(_, cap)| *cap).count()
                    });
                    let next = lines.split_off(split.min(lines.len()));
                    // Text from a heading on is prose between the tables.
                    let prose = prose_from(&mut lines, None);
                    prev.after.extend(lines.into_iter().map(|(l, _)| l));
                    push_sections(prose, &mut blocks);
                    lines = next;
                } else {
                    // Before the first table: the text up to the last page
                    // break, or up to the heading of the part holding the
                    // table's title, is prose when it holds a heading.
                    let own = last_break.unwrap_or_else(|| {
                        lines
                            .iter()
                            .rposition(|(l, _)| l.heading.is_some())
                            .unwrap_or(0)
                    });
                    let rest = lines.split_off(own.min(lines.len()));
                    let prose = prose_from(&mut lines, Some(0));
                    lines.extend(rest);
                    push_sections(prose, &mut blocks);
                }
                t.before = lines.into_iter().map(|(l, _)| l).collect();
                blocks.push(RawBlock::Table(tables.len()));
                tables.push(t);
                last_break = None;
            }
        }
    }
    if let Some(last) = tables.last_mut() {
        let prose = prose_from(&mut pending, None);
        last.after.extend(pending.into_iter().map(|(l, _)| l));
        push_sections(prose, &mut blocks);
    }
    Ok(RawDocument {
        tables,
        warnings: Vec::new(),
        blocks,
    })
}

/// Splits off the lines from the first heading on (the prose); with
/// `whole` given and no heading, nothing. `whole = Some(0)`: before the
/// first table, where lines before the first heading are prose too when
/// a heading follows them.
fn prose_from(lines: &mut Vec<(RawLine, bool)>, whole: Option<usize>) -> Vec<RawLine> {
    let Some(h) = lines.iter().position(|(l, _)| l.heading.is_some()) else {
        return Vec::new();
    };
    let at = whole.unwrap_or(h);
    lines.split_off(at).into_iter().map(|(l, _)| l).collect()
}

/// Text sections of prose lines; a line opening with an outline number
/// (（一）, 1.) is a list item.
fn push_sections(lines: Vec<RawLine>, blocks: &mut Vec<RawBlock>) {
    crate::read::push_sections(
        lines.into_iter().map(|l| {
            let item = crate::classify::outline_level(&l.text).is_some();
            (l, item)
        }),
        blocks,
    );
}
