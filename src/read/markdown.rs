//! Markdown (GFM pipe tables) through pulldown-cmark: headings give titles,
//! paragraphs before a table give meta lines, paragraphs after it give
//! notes. A header cell written as `资金来源 / 财政拨款` is a header path,
//! which is how our writer keeps multi-level headers in GFM's single header
//! row. `<br>` inside a cell is a line break.

use super::{Merge, RawBlock, RawCell, RawDocument, RawLine, RawRow, RawTable, ReadError};
use crate::grid::{HEADER_PATH_SEPARATOR, header_layout};
use crate::model::Align;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Stands for a soft line break while a paragraph is collected: each line
/// of a paragraph is a meta line or note of its own, while `<br>` and hard
/// breaks are line breaks inside one.
const SOFT_BREAK: char = '\u{1}';

/// Stands for a hard line break (two trailing spaces or a backslash) while
/// a paragraph is collected.
const HARD_BREAK: char = '\u{2}';

/// A paragraph whose hard-broken lines are each a meta line
/// (`**部门名称：…**␠␠⏎*单位：万元*`) is that many meta lines; elsewhere a
/// hard break is a line break inside the paragraph.
fn split_meta_at_hard_breaks(text: &str) -> String {
    if !text.contains(HARD_BREAK) {
        return text.to_string();
    }
    let all_meta = text
        .split([HARD_BREAK, SOFT_BREAK])
        .filter(|p| !p.trim().is_empty())
        .all(|p| crate::classify::looks_like_meta(p.trim()));
    let to = if all_meta { SOFT_BREAK } else { '\n' };
    text.replace(HARD_BREAK, &to.to_string())
}

/// Reads a Markdown file.
pub fn read(bytes: &[u8]) -> Result<RawDocument, ReadError> {
    let (text, _) = super::text::decode(bytes)?;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset) as u32;

    let mut tables: Vec<RawTable> = Vec::new();
    let mut blocks: Vec<RawBlock> = Vec::new();
    let mut pending: Vec<Line> = Vec::new();
    let mut items = 0usize;
    let mut inline = Inline::default();
    let mut table: Option<TableBuilder> = None;
    let mut heading: Option<u8> = None;
    let mut block_start = 0usize;

    let parser = Parser::new_ext(&text, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Table(_)) => {
                table = Some(TableBuilder::default());
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    let raw = t.finish(std::mem::take(&mut pending), &mut tables, &mut blocks);
                    blocks.push(RawBlock::Table(tables.len()));
                    tables.push(raw);
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.rows.push((line_of(range.start), Vec::new()));
                }
            }
            Event::Start(Tag::TableCell) => inline = Inline::default(),
            Event::End(TagEnd::TableCell) => {
                if let Some((_, cells)) = table.as_mut().and_then(|t| t.rows.last_mut()) {
                    let done = std::mem::take(&mut inline);
                    cells.push(RawCell {
                        text: done.text,
                        bold: done.bold,
                        ..RawCell::default()
                    });
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.head_rows = t.rows.len();
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(level as u8);
                inline = Inline::default();
                block_start = range.start;
            }
            Event::Start(Tag::Paragraph) => {
                inline = Inline::default();
                block_start = range.start;
            }
            Event::Start(Tag::Item) => {
                items += 1;
                inline = Inline::default();
                block_start = range.start;
            }
            Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item) => {
                let done = std::mem::take(&mut inline);
                let first = line_of(block_start);
                let level = heading.take();
                // A paragraph written as several lines holds several meta
                // lines or notes; a heading is one line.
                let text = split_meta_at_hard_breaks(&done.text);
                let parts: Vec<&str> = if level.is_some() {
                    vec![text.as_str()]
                } else {
                    text.split(SOFT_BREAK).collect()
                };
                for (i, part) in parts.into_iter().enumerate() {
                    if part.trim().is_empty() {
                        continue;
                    }
                    pending.push(Line {
                        raw: RawLine {
                            text: part.to_string(),
                            heading: level,
                            bold: done.bold,
                            source_row: first + i as u32,
                            ..RawLine::default()
                        },
                        item: items > 0,
                    });
                }
                if matches!(event, Event::End(TagEnd::Item)) {
                    items = items.saturating_sub(1);
                }
            }
            Event::Text(t) | Event::Code(t) => inline.text.push_str(&t),
            Event::SoftBreak => inline.text.push(SOFT_BREAK),
            Event::HardBreak => inline.text.push(HARD_BREAK),
            Event::Html(h) | Event::InlineHtml(h) => {
                if is_br(&h) {
                    inline.text.push('\n');
                } else {
                    inline.text.push_str(&h);
                }
            }
            Event::Start(Tag::Strong) => inline.bold = true,
            _ => {}
        }
    }
    match tables.last_mut() {
        Some(last) => {
            // Notes up to the first heading; text sections from there.
            let first_heading = pending
                .iter()
                .position(|l| l.raw.heading.is_some())
                .unwrap_or(pending.len());
            let prose = pending.split_off(first_heading);
            last.after.extend(pending.into_iter().map(|l| l.raw));
            push_sections(prose, &mut blocks);
        }
        None => {
            return Err(ReadError::NoTable(
                "the Markdown file has no pipe table (| a | b | with a | --- | line)".into(),
            ));
        }
    }
    Ok(RawDocument {
        tables,
        warnings: Vec::new(),
        blocks,
    })
}

/// A line of the document outside tables, and whether it stood in a list.
struct Line {
    raw: RawLine,
    item: bool,
}

/// Text sections of prose lines (list items as the Markdown marks them).
fn push_sections(lines: Vec<Line>, blocks: &mut Vec<RawBlock>) {
    super::push_sections(lines.into_iter().map(|l| (l.raw, l.item)), blocks);
}

#[derive(Default)]
struct Inline {
    text: String,
    bold: bool,
}

fn is_br(html: &str) -> bool {
    let h: String = html
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(h.as_str(), "<br>" | "<br/>" | "</br>")
}

#[derive(Default)]
struct TableBuilder {
    rows: Vec<(u32, Vec<RawCell>)>,
    head_rows: usize,
}

impl TableBuilder {
    /// Builds the raw table; `lines` are the paragraphs since the previous
    /// table, which are split between that table's notes and this table's
    /// title and meta lines: everything from the last heading on belongs to
    /// this table, and without a heading, the trailing key：value lines do.
    /// Headings before that one open text sections (pushed to `blocks`);
    /// the lines before the first of them are the previous table's notes
    /// (or, before the first table, a section without a heading).
    fn finish(
        self,
        mut lines: Vec<Line>,
        tables: &mut [RawTable],
        blocks: &mut Vec<RawBlock>,
    ) -> RawTable {
        let own = match lines.iter().rposition(|l| l.raw.heading.is_some()) {
            Some(h) => h,
            None => {
                let trailing_meta = lines
                    .iter()
                    .rev()
                    .take_while(|l| crate::classify::looks_like_meta(&l.raw.text))
                    .count();
                lines.len() - trailing_meta
            }
        };
        let first_heading = lines[..own].iter().position(|l| l.raw.heading.is_some());
        let mut rest = lines.split_off(own);
        match (tables.last_mut(), first_heading) {
            (Some(prev), h) => {
                let prose = lines.split_off(h.unwrap_or(lines.len()));
                prev.after.extend(lines.into_iter().map(|l| l.raw));
                push_sections(prose, blocks);
            }
            // Before the first table, with no section heading: all of it
            // is the table's, as its title and meta lines.
            (None, None) => {
                lines.append(&mut rest);
                rest = lines;
            }
            (None, Some(_)) => push_sections(lines, blocks),
        }
        let lines: Vec<RawLine> = rest.into_iter().map(|l| l.raw).collect();
        let mut rows = self.rows.into_iter();
        let mut grid: Vec<RawRow> = Vec::new();
        let mut merges: Vec<Merge> = Vec::new();
        let mut header_rows = 0;
        if self.head_rows > 0
            && let Some((line, head)) = rows.next()
        {
            let paths: Vec<Vec<String>> = head
                .iter()
                .map(|c| {
                    c.text
                        .split(HEADER_PATH_SEPARATOR)
                        .map(str::to_string)
                        .collect()
                })
                .collect();
            let layout = header_layout(&paths);
            header_rows = layout.depth;
            for _ in 0..layout.depth {
                grid.push(RawRow {
                    cells: vec![RawCell::default(); paths.len()],
                    source_row: line,
                    hidden: false,
                });
            }
            for cell in layout.cells {
                grid[cell.row].cells[cell.col] = RawCell {
                    text: cell.text,
                    align: Align::Center,
                    ..RawCell::default()
                };
                if cell.rows > 1 || cell.cols > 1 {
                    merges.push(Merge {
                        row: cell.row,
                        col: cell.col,
                        rows: cell.rows,
                        cols: cell.cols,
                    });
                }
            }
        }
        for (line, cells) in rows {
            if cells.iter().all(RawCell::is_blank) {
                continue;
            }
            grid.push(RawRow {
                cells,
                source_row: line,
                hidden: false,
            });
        }
        RawTable {
            locator: super::Locator::Line,
            before: lines,
            rows: grid,
            merges,
            header_rows: Some(header_rows),
            ..RawTable::default()
        }
    }
}
