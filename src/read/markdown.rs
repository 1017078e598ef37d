//! Markdown (GFM pipe tables) through pulldown-cmark: headings give titles,
//! paragraphs before a table give meta lines, paragraphs after it give
//! notes. A header cell written as `资金来源 / 财政拨款` is a header path,
//! which is how our writer keeps multi-level headers in GFM's single header
//! row. `<br>` inside a cell is a line break.

use super::{Merge, RawCell, RawDocument, RawLine, RawRow, RawTable, ReadError};
use crate::grid::{HEADER_PATH_SEPARATOR, header_layout};
use crate::model::Align;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Stands for a soft line break while a paragraph is collected: each line
/// of a paragraph is a meta line or note of its own, while `<br>` and hard
/// breaks are line breaks inside one.
const SOFT_BREAK: char = '\u{1}';

/// Reads a Markdown file.
pub fn read(bytes: &[u8]) -> Result<RawDocument, ReadError> {
    let (text, _) = super::text::decode(bytes)?;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset) as u32;

    let mut tables: Vec<RawTable> = Vec::new();
    let mut pending: Vec<RawLine> = Vec::new();
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
                    let raw = t.finish(std::mem::take(&mut pending), &mut tables);
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
                let parts: Vec<&str> = if level.is_some() {
                    vec![done.text.as_str()]
                } else {
                    done.text.split(SOFT_BREAK).collect()
                };
                for (i, part) in parts.into_iter().enumerate() {
                    if part.trim().is_empty() {
                        continue;
                    }
                    pending.push(RawLine {
                        text: part.to_string(),
                        heading: level,
                        bold: done.bold,
                        source_row: first + i as u32,
                        ..RawLine::default()
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => inline.text.push_str(&t),
            Event::SoftBreak => inline.text.push(SOFT_BREAK),
            Event::HardBreak => inline.text.push('\n'),
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
        Some(last) => last.after.append(&mut pending),
        None => {
            return Err(ReadError::NoTable(
                "the Markdown file has no pipe table (| a | b | with a | --- | line)".into(),
            ));
        }
    }
    Ok(RawDocument {
        tables,
        warnings: Vec::new(),
        ..RawDocument::default()
    })
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
    fn finish(self, mut lines: Vec<RawLine>, tables: &mut [RawTable]) -> RawTable {
        if let Some(prev) = tables.last_mut() {
            let split = match lines.iter().rposition(|l| l.heading.is_some()) {
                Some(h) => h,
                None => {
                    let trailing_meta = lines
                        .iter()
                        .rev()
                        .take_while(|l| crate::classify::looks_like_meta(&l.text))
                        .count();
                    lines.len() - trailing_meta
                }
            };
            let rest = lines.split_off(split);
            prev.after.extend(lines);
            lines = rest;
        }
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
