//! Which table each paragraph of the body belongs to. A table's own
//! lines (its `before`: title and meta lines) are the run of lines right
//! above it that read as such — meta lines (部门名称：…, 单位：万元), short
//! centred or bold lines, short lines naming a table (…支出表), topped by
//! at most one heading — and never reach back over a page break. The
//! lines after a table up to the first heading or page break are its
//! notes. Everything else is prose, text sections in reading order, so
//! that every paragraph of the body is a text block, a table's title,
//! meta line or note, or a cell. Tables that only lay out meta lines stand
//! with the paragraphs.

use super::grid::grid;
use super::walk::{Block, Para};
use crate::classify::{is_note_start, looks_like_meta};
use crate::limits::Limits;
use crate::model::Align;
use crate::read::{
    RawBlock, RawCell, RawDocument, RawLine, RawTable, ReadError, is_blank, is_meta_line,
    names_a_table, reads_as_title,
};

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

/// What a line above a table can be to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A heading: the top of a table's own lines when the run reaches it.
    Heading,
    /// A title or meta line by its look.
    Caption,
    /// Anything else.
    Other,
}

/// The role of a paragraph: a heading; a meta line; a short line that is
/// no sentence and no note, centred, bold or naming a table; else other.
fn role(p: &Para) -> Role {
    if p.heading.is_some() {
        return Role::Heading;
    }
    let titled =
        reads_as_title(&p.text) && (p.align == Align::Center || p.bold || names_a_table(&p.text));
    if !is_note_start(&p.text) && (is_meta_line(&p.text) || titled) {
        Role::Caption
    } else {
        Role::Other
    }
}

/// Where a table's own lines start among `lines` (the lines since the
/// previous table): the run of captions right above it, with the heading
/// just above that run, never reaching back over `floor` (the last page
/// break).
fn own_start(lines: &[(RawLine, Role)], floor: usize) -> usize {
    let mut at = lines.len();
    while at > floor {
        match lines[at - 1].1 {
            Role::Caption => at -= 1,
            Role::Heading => return at - 1,
            Role::Other => break,
        }
    }
    at
}

/// Where the notes of a table end among the lines after it: at the first
/// heading or page break.
fn notes_end(lines: &[(RawLine, Role)], first_break: Option<usize>) -> usize {
    let heading = lines
        .iter()
        .position(|(_, r)| *r == Role::Heading)
        .unwrap_or(lines.len());
    heading.min(first_break.unwrap_or(lines.len()))
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
    // Lines since the last table, each with its role, and where the first
    // and the last page break among them fell.
    let mut pending: Vec<(RawLine, Role)> = Vec::new();
    let mut first_break: Option<usize> = None;
    let mut last_break: Option<usize> = None;
    for item in items {
        let mut page_break = |at: usize| {
            first_break.get_or_insert(at);
            last_break = Some(at);
        };
        match item {
            Item::Para(p) => {
                if p.break_before {
                    page_break(pending.len());
                }
                if !is_blank(&p.text) {
                    pending.push((line(&p), role(&p)));
                }
                if p.break_after {
                    page_break(pending.len());
                }
            }
            Item::Lines(lines) => pending.extend(lines.into_iter().map(|l| (l, Role::Caption))),
            Item::Table(mut t) => {
                let mut lines = std::mem::take(&mut pending);
                let own = own_start(&lines, last_break.unwrap_or(0).min(lines.len()));
                let before = lines.split_off(own);
                if let Some(prev) = tables.last_mut() {
                    let prose = lines.split_off(notes_end(&lines, first_break));
                    prev.after.extend(lines.into_iter().map(|(l, _)| l));
                    push_sections(prose, &mut blocks);
                } else {
                    push_sections(lines, &mut blocks);
                }
                t.before = before.into_iter().map(|(l, _)| l).collect();
                blocks.push(RawBlock::Table(tables.len()));
                tables.push(t);
                first_break = None;
                last_break = None;
            }
        }
    }
    if let Some(last) = tables.last_mut() {
        let prose = pending.split_off(notes_end(&pending, first_break));
        last.after.extend(pending.into_iter().map(|(l, _)| l));
        push_sections(prose, &mut blocks);
    }
    Ok(RawDocument {
        tables,
        warnings: Vec::new(),
        blocks,
    })
}

/// Text sections of prose lines; a line opening with an outline number
/// (（一）, 1.) is a list item.
fn push_sections(lines: Vec<(RawLine, Role)>, blocks: &mut Vec<RawBlock>) {
    crate::read::push_sections(
        lines.into_iter().map(|(l, _)| {
            let item = crate::classify::outline_level(&l.text).is_some();
            (l, item)
        }),
        blocks,
    );
}
